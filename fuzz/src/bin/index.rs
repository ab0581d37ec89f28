//! AFL++ target `index` (see `targets/mod.rs`).
#[path = "../../targets/mod.rs"]
#[allow(dead_code)]
mod targets;

fn main() {
    afl::fuzz!(|data: &[u8]| targets::index(data));
}
