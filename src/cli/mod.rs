//! The `neardup` command line: parses arguments into library configurations, runs the
//! pipeline and prints. Nothing in the library depends on it.

mod args;
mod output;
mod render;

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Parser;
use neardup::{CorpusReader, FieldMap, Input, InputFormat, Pipeline, ShingleKind, SketchedCorpus};

pub use args::Cli;
use args::{ClusterArgs, Command, CommonArgs, FormatArg, PairsArgs};

/// Parses the command line, runs it, and returns the exit code (0 found, 1 nothing, 2 error).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("neardup: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<bool> {
    match cli.command {
        Command::Pairs(a) => run_pairs(a),
        Command::Cluster(a) => run_cluster(a),
    }
}

/// Builds the pipeline from the shared options.
fn pipeline(c: &CommonArgs) -> Result<Pipeline> {
    let shingle: ShingleKind = c.shingle.parse()?;
    let containment = match c.containment.as_str() {
        "off" | "none" | "0" => None,
        s => Some(
            s.parse::<f64>()
                .ok()
                .context("invalid --containment: expected a number in (0, 1] or `off`")?,
        ),
    };
    let mut b = Pipeline::builder()
        .shingle(shingle)
        .num_perm(c.num_perm)
        .seed(c.seed)
        .threshold(c.threshold)
        .containment(containment)
        .min_contained(c.min_contained);
    if let (Some(bands), Some(rows)) = (c.bands, c.rows) {
        b = b.bands_rows(bands, rows);
    }
    Ok(b.build()?)
}

fn inputs(c: &CommonArgs) -> Result<Vec<Input>> {
    let format = c.input_format.map(|f| match f {
        FormatArg::Jsonl => InputFormat::Jsonl,
        FormatArg::Csv => InputFormat::Csv,
        FormatArg::Txt => InputFormat::Txt,
        FormatArg::Raw => InputFormat::Raw,
    });
    c.inputs
        .iter()
        .map(|p| Input::new(p, format).map_err(Into::into))
        .collect()
}

fn fields(c: &CommonArgs) -> FieldMap {
    FieldMap {
        id: c.id_field.clone(),
        text: c.text_field.clone(),
        title: c.title_field.clone(),
        outlet: c.outlet_field.clone(),
        date: c.date_field.clone(),
        url: c.url_field.clone(),
    }
}

/// What a run produced, ready to render.
struct Run {
    corpus: SketchedCorpus,
    pairs: Vec<neardup::VerifiedPair>,
}

/// Reads, sketches and verifies; `None` when only `--explain` was asked.
fn execute(c: &CommonArgs) -> Result<Option<Run>> {
    let pipeline = pipeline(c)?;
    if c.explain {
        if c.inputs.is_empty() {
            print!("{}", pipeline.explain());
            return Ok(None);
        }
        eprint!("{}", pipeline.explain());
    }
    if c.threads == Some(0) {
        bail!("invalid --threads: must be at least 1");
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(c.threads.unwrap_or(0))
        .build()
        .context("starting worker threads")?;
    let inputs = inputs(c)?;
    let reader = CorpusReader::new(inputs, fields(c));
    let show = !c.quiet && std::io::stderr().is_terminal();
    let bar = if show {
        indicatif::ProgressBar::new_spinner()
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_message("reading and sketching");
    let start = Instant::now();
    let run = pool.install(|| -> Result<Run> {
        let corpus = pipeline.sketch_corpus(reader, |n| {
            bar.set_message(format!("sketched {n} documents"));
            bar.tick();
        })?;
        bar.set_message("finding candidate pairs");
        let candidates = pipeline.candidates(&corpus);
        bar.set_message(format!("verifying {} candidate pairs", candidates.len()));
        let pairs = pipeline.verify(&corpus, &candidates);
        bar.finish_and_clear();
        if !c.quiet {
            eprintln!(
                "neardup: {} documents, {} candidate pairs, {} near-duplicate pairs ({:.2} s)",
                corpus.docs.len(),
                candidates.len(),
                pairs.len(),
                start.elapsed().as_secs_f64()
            );
        }
        Ok(Run { corpus, pairs })
    })?;
    if !c.quiet && !run.corpus.empty.is_empty() {
        let first = run.corpus.location(run.corpus.empty[0] as usize);
        eprintln!(
            "neardup: warning: {} document(s) have no words and are never matched (first: {first})",
            run.corpus.empty.len()
        );
    }
    Ok(Some(run))
}

fn run_pairs(a: PairsArgs) -> Result<bool> {
    let Some(run) = execute(&a.common)? else {
        return Ok(true);
    };
    render::write_pairs(
        a.common.output.as_deref(),
        a.output_format,
        &run.corpus,
        &run.pairs,
    )?;
    Ok(!run.pairs.is_empty())
}

fn run_cluster(a: ClusterArgs) -> Result<bool> {
    let Some(run) = execute(&a.common)? else {
        return Ok(true);
    };
    let clusters = neardup::build_clusters(run.corpus.docs.len(), &run.pairs, a.singletons);
    render::write_clusters(
        a.common.output.as_deref(),
        a.output_format,
        &run.corpus,
        &clusters,
    )?;
    Ok(clusters.iter().any(|c| c.members.len() > 1))
}
