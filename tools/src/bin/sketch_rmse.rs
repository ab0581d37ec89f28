//! Root-mean-square error of the Jaccard estimate of each sketch, 128 slots, J = 0.1 ... 0.9.
//!
//!   cargo run --release -p neardup-tools --bin sketch_rmse -- [PAIRS] [SET_SIZE]
//!
//! For each J, PAIRS random pairs of sets of SET_SIZE shingles (default 2000 pairs of 1000)
//! with exactly that Jaccard similarity, each pair sketched with its own seed. Prints the
//! RMSE of each kind, the theory sqrt(J(1-J)/k), and each kind's RMSE relative to classic.
use neardup::{
    MinHasher, SketchKind, estimate_jaccard, minhash::SplitMix64, minhash::standard_error,
};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let pairs: u64 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(2000);
    let size: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(1000);
    let k = 128;
    let kinds = [SketchKind::Classic, SketchKind::Oph, SketchKind::CMinHash];
    println!("{pairs} pairs of {size}-shingle sets per J, {k} slots");
    println!("   J    theory   classic       oph  cminhash   oph/classic  cminhash/classic");
    for tenth in 1..=9 {
        let j = f64::from(tenth) / 10.0;
        // |A| = |B| = size, shared s: J = s / (2 size - s).
        let shared = (2.0 * size as f64 * j / (1.0 + j)).round() as usize;
        let j = shared as f64 / (2 * size - shared) as f64;
        let mut rmse = [0.0f64; 3];
        for (slot, kind) in kinds.iter().enumerate() {
            let mut g = SplitMix64::new(1000 + u64::from(tenth as u32));
            let mut sq = 0.0;
            for t in 0..pairs {
                let h = MinHasher::builder()
                    .num_perm(k)
                    .seed(t)
                    .kind(*kind)
                    .build()?;
                let common: Vec<u64> = (0..shared).map(|_| g.next()).collect();
                let mut a = common.clone();
                let mut b = common;
                a.extend((0..size - shared).map(|_| g.next()));
                b.extend((0..size - shared).map(|_| g.next()));
                let e = estimate_jaccard(&h.signature(&a), &h.signature(&b));
                sq += (e - j).powi(2);
            }
            rmse[slot] = (sq / pairs as f64).sqrt();
        }
        println!(
            "{j:5.3}  {:8.4}  {:8.4}  {:8.4}  {:8.4}   {:11.3}  {:16.3}",
            standard_error(j, k),
            rmse[0],
            rmse[1],
            rmse[2],
            rmse[1] / rmse[0],
            rmse[2] / rmse[0]
        );
    }
    Ok(())
}
