//! The `neardup` command line: parses arguments into library configurations, runs the
//! pipeline and prints. Nothing in the library depends on it.

mod args;
mod dedup;
mod html;
mod live;
mod output;
mod render;
#[cfg(feature = "server")]
mod serve;
mod watch;

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Parser;
use neardup::{CorpusReader, FieldMap, Input, InputFormat, Pipeline, ShingleKind, SketchedCorpus};

pub use args::Cli;
use args::{
    ClusterArgs, ClusterMode, ColorArg, Command, CompareArgs, CompareFormat, FormatArg,
    IndexAddArgs, IndexBuildArgs, IndexCommand, IndexInfoArgs, IndexMergeArgs, IndexRemoveArgs,
    InputArgs, PairsArgs, QueryArgs, RankArgs, ReportArgs, ReportFormat, RunArgs, SimilarityArgs,
    SketchArgs, StoryArgs, TfArg, TfidfArgs,
};

/// Parses the command line, runs it, and returns the exit code (0 found, 1 nothing, 2 error).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // Ctrl-C, SIGTERM, SIGHUP: destructors do not run, so the unfinished outputs'
    // temporary files are removed here; a previous file at each path stays as it was.
    // (The service stops by itself, finishing the requests under way; `watch` stops at its
    // next batch and removes its temporary folder.)
    #[cfg(feature = "server")]
    let serving = matches!(cli.command, Command::Serve(_) | Command::Watch(_));
    #[cfg(not(feature = "server"))]
    let serving = matches!(cli.command, Command::Watch(_));
    if !serving {
        let _ = ctrlc::set_handler(|| {
            neardup::remove_unfinished_outputs();
            std::process::exit(130);
        });
    }
    // An index cut short under a query (a `cp` over it): a clear error, not SIGBUS.
    neardup::store::guard_mapped_reads();
    match run(cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("neardup: error: {}", describe(&e));
            ExitCode::from(2)
        }
    }
}

/// An error and its causes, each cause said once (an error that already quotes its cause
/// is not followed by it again).
fn describe(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let part = cause.to_string();
        if !text.contains(&part) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&part);
        }
    }
    text
}

/// Every file the command will write.
fn outputs(command: &Command) -> Vec<&Path> {
    let mut out: Vec<&Path> = match command {
        Command::Pairs(a) => a.run.output.as_deref().into_iter().collect(),
        Command::Sketch(a) => a.run.output.as_deref().into_iter().collect(),
        Command::Cluster(a) => a.run.output.as_deref().into_iter().collect(),
        Command::Dedup(a) => a
            .run
            .output
            .as_deref()
            .into_iter()
            .chain(a.dropped.as_deref())
            .collect(),
        Command::Rank(a) => a.run.output.as_deref().into_iter().collect(),
        Command::Report(a) => a.run.output.as_deref().into_iter().collect(),
        Command::Query(a) => a.output.as_deref().into_iter().collect(),
        Command::Compare(a) => a.output.as_deref().into_iter().collect(),
        Command::Index(IndexCommand::Build(a)) => vec![a.output.as_path()],
        Command::Index(IndexCommand::Add(a)) => vec![a.index.as_path()],
        _ => Vec::new(),
    };
    if let Command::Report(a) = command
        && let Some(html) = &a.html
    {
        out.push(html);
    }
    out
}

/// Refuses, before any work, an output whose folder does not exist.
fn check_outputs(command: &Command) -> Result<()> {
    for path in outputs(command) {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        if !dir.is_dir() {
            anyhow::bail!(
                "{}: cannot write there: no folder {}",
                path.display(),
                dir.display()
            );
        }
        // (`dedup` of a folder of .txt writes a folder.)
        // (An index is a folder, unless built with --single-file.)
        let folder_ok = match command {
            Command::Dedup(_) | Command::Index(IndexCommand::Add(_)) => true,
            Command::Index(IndexCommand::Build(a)) => !a.single_file,
            _ => false,
        };
        if path.is_dir() && !folder_ok {
            anyhow::bail!("{}: is a folder; name a file to write", path.display());
        }
        // What writers that died there left behind goes first.
        neardup::remove_stale_outputs(dir);
    }
    Ok(())
}

/// `--color` and `--verbose`, set once from the command line.
static GLOBALS: std::sync::OnceLock<(ColorArg, bool)> = std::sync::OnceLock::new();

/// Whether to colour what goes to standard output (not to a file).
fn colour_stdout(to_file: bool) -> bool {
    match GLOBALS.get().map_or(ColorArg::Auto, |g| g.0) {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            !to_file
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Whether `--verbose` was given (and not `--quiet`).
fn verbose(quiet: bool) -> bool {
    !quiet && GLOBALS.get().is_some_and(|g| g.1)
}

fn run(cli: Cli) -> Result<bool> {
    let _ = GLOBALS.set((cli.color, cli.verbose));
    check_outputs(&cli.command)?;
    match cli.command {
        Command::Pairs(a) => run_pairs(a),
        Command::Sketch(a) => run_sketch(a),
        Command::Cluster(a) => run_cluster(a),
        Command::Dedup(a) => dedup::run(a),
        Command::Rank(a) => run_rank(a),
        Command::Compare(a) => run_compare(a),
        Command::Index(IndexCommand::Build(a)) => run_index_build(a),
        Command::Index(IndexCommand::Add(a)) => run_index_add(a),
        Command::Index(IndexCommand::Info(a)) => run_index_info(a),
        Command::Index(IndexCommand::Remove(a)) => run_index_remove(a),
        Command::Index(IndexCommand::Merge(a)) => run_index_merge(a),
        Command::Query(a) => run_query(a),
        Command::Watch(a) => watch::run(a),
        #[cfg(feature = "server")]
        Command::Serve(a) => serve::run(a),
        Command::Report(a) => run_report(a),
    }
}

/// Builds the pipeline from the shared options.
fn pipeline(c: &SimilarityArgs) -> Result<Pipeline> {
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
        .sketch(c.sketch.parse::<neardup::SketchKind>()?)
        .threshold(c.threshold)
        .containment(containment)
        .min_contained(c.min_contained)
        .templates(c.template_df.parse().context("invalid --template-df")?)
        .bucket_cap((c.bucket_cap > 0).then_some(c.bucket_cap))
        .max_bucket((c.max_bucket > 0).then_some(c.max_bucket));
    if let (Some(bands), Some(rows)) = (c.bands, c.rows) {
        b = b.bands_rows(bands, rows);
    }
    Ok(b.build()?)
}

fn inputs(c: &InputArgs) -> Result<Vec<Input>> {
    if c.inputs.is_empty() {
        bail!("no input: give one or more files, folders, or - for standard input");
    }
    let format = c.input_format.map(format_of);
    c.inputs
        .iter()
        .map(|p| Input::new(p, format).map_err(Into::into))
        .collect()
}

/// A reader over the inputs, with the field names and date rule asked for.
fn reader(c: &InputArgs) -> Result<CorpusReader> {
    Ok(CorpusReader::new(inputs(c)?, fields(c))
        .strict_dates(c.strict_dates)
        .max_record_bytes(c.max_doc_bytes))
}

/// Warns, once per input, about dates that could not be read.
fn warn_dates(quiet: bool, inputs: &[std::path::PathBuf], docs: &[neardup::DocMeta]) {
    if quiet {
        return;
    }
    for u in neardup::corpus::unreadable_dates(docs) {
        let first = &docs[u.first as usize];
        let line = if first.line > 0 {
            format!(" line {},", first.line)
        } else {
            String::new()
        };
        eprintln!(
            "neardup: warning: {}: {} could not be read and count as undated (first at{line} \
             {:?}); --strict-dates makes this an error",
            inputs[u.input as usize].display(),
            render::plural(u.count, "date"),
            first.date.as_deref().unwrap_or(""),
        );
    }
}

fn fields(c: &InputArgs) -> FieldMap {
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
    found: neardup::pipeline::FoundPairs,
}

/// The most worker threads `--threads` may ask for: each costs a stack, and more than the
/// machine's cores only adds switching.
const MAX_THREADS: usize = 1024;

/// A rayon pool of `--threads` workers.
fn pool(run: &RunArgs) -> Result<rayon::ThreadPool> {
    if run.threads == Some(0) {
        bail!("invalid --threads: must be at least 1");
    }
    if let Some(n) = run.threads.filter(|&n| n > MAX_THREADS) {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        bail!("invalid --threads {n}: at most {MAX_THREADS} (this machine has {cores} cores)");
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(run.threads.unwrap_or(0))
        .build()
        .context("starting worker threads")
}

/// A spinner on stderr when it is a terminal and not `--quiet`.
fn progress(run: &RunArgs) -> indicatif::ProgressBar {
    if !run.quiet && std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new_spinner()
    } else {
        indicatif::ProgressBar::hidden()
    }
}

/// Reads, sketches and verifies; `None` when only `--explain` was asked.
fn execute(input: &InputArgs, sim: &SimilarityArgs, run: &RunArgs) -> Result<Option<Run>> {
    // Settings are checked before any file is looked at.
    let p = pipeline(sim)?;
    if sim.explain && input.inputs.is_empty() {
        print!("{}", p.explain());
        return Ok(None);
    }
    execute_inputs(inputs(input)?, input, sim, run)
}

/// The files of a sketch stage when the inputs are one (a file `neardup sketch` wrote, or
/// the folder or part files a Spark job wrote), else `None`; an error when a stage comes
/// with other inputs.
pub(crate) fn sketch_stage(list: &[Input]) -> Result<Option<Vec<std::path::PathBuf>>> {
    let mut files = Vec::new();
    let mut others = None;
    for i in list {
        let found = if i.path.is_dir() {
            let mut parts: Vec<std::path::PathBuf> = std::fs::read_dir(&i.path)
                .with_context(|| format!("reading {}", i.path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "parquet"))
                .collect();
            parts.sort();
            match parts.first() {
                Some(first) if neardup::pipeline::is_sketch_stage(first)? => parts,
                _ => Vec::new(),
            }
        } else if i.format == InputFormat::Parquet
            && i.path.is_file()
            && neardup::pipeline::is_sketch_stage(&i.path)?
        {
            vec![i.path.clone()]
        } else {
            Vec::new()
        };
        if found.is_empty() {
            others.get_or_insert(&i.path);
        }
        files.extend(found);
    }
    match (files.is_empty(), others) {
        (true, _) => Ok(None),
        (false, None) => Ok(Some(files)),
        (false, Some(other)) => bail!(
            "{} is not a sketch stage, and {} is: give a sketch stage alone, or the inputs alone",
            other.display(),
            files[0].display()
        ),
    }
}

/// [`execute`] on these inputs (read with the field names and date rule of `input`); a
/// sketch stage ([`sketch_stage`]) is read back instead of read and sketched.
fn execute_inputs(
    list: Vec<Input>,
    input: &InputArgs,
    sim: &SimilarityArgs,
    run: &RunArgs,
) -> Result<Option<Run>> {
    let pipeline = pipeline(sim)?;
    if sim.explain || verbose(run.quiet) {
        eprint!("{}", pipeline.explain());
    }
    let pool = pool(run)?;
    let stage = sketch_stage(&list)?;
    let reader = CorpusReader::new(list, fields(input))
        .strict_dates(input.strict_dates)
        .max_record_bytes(input.max_doc_bytes);
    let bar = progress(run);
    bar.set_message("reading and sketching");
    let start = Instant::now();
    let result = pool.install(|| -> Result<Run> {
        let corpus = match &stage {
            Some(files) => neardup::pipeline::read_sketch_stage(&pipeline, files)?,
            None => pipeline.sketch_corpus(reader, |n| {
                bar.set_message(format!("sketched {n} documents"));
                bar.tick();
            })?,
        };
        if verbose(run.quiet) {
            bar.suspend(|| {
                eprintln!(
                    "neardup: read, shingled and sketched {} ({:.2} s); {}",
                    render::plural(corpus.docs.len(), "document"),
                    start.elapsed().as_secs_f64(),
                    match &corpus.templates {
                        Some(t) =>
                            format!("{} template shingles (in {}+ documents)", t.len(), t.cut()),
                        None => "template weighting off".to_string(),
                    }
                )
            });
        }
        bar.set_message("finding and verifying candidate pairs");
        let found = pipeline.find_pairs(&corpus);
        let (pairs, counts) = (&found.pairs, found.counts);
        bar.finish_and_clear();
        if !run.quiet {
            let contained = pairs
                .iter()
                .filter(|p| p.kind == neardup::MatchKind::Containment)
                .count();
            let templates = match &corpus.templates {
                Some(t) if counts.templates > 0 || !found.apart.is_empty() => {
                    let mut parts = Vec::new();
                    if counts.templates > 0 {
                        parts.push(format!(
                            "{} as sharing only a template (shingles in {}+ documents weigh \
                             less)",
                            render::plural(counts.templates as usize, "pair"),
                            t.cut()
                        ));
                    }
                    if !found.apart.is_empty() {
                        parts.push(format!(
                            "{} as the same report with other figures (clusters keep them \
                             apart)",
                            render::plural(found.apart.len(), "pair")
                        ));
                    }
                    format!(
                        "; set aside: {}; --template-df off to count them",
                        parts.join(" and ")
                    )
                }
                _ => String::new(),
            };
            if counts.windowed > 0 {
                eprintln!(
                    "neardup: warning: {} held more than {} documents each (one text copied \
                     many times, or a passage many documents share): each document there met \
                     only its {} neighbours in signature order, so clusters stay whole but \
                     the pair list holds a window of their pairs (--max-bucket 0 for all)",
                    render::plural(counts.windowed as usize, "LSH bucket"),
                    pipeline.max_bucket().unwrap_or(0),
                    neardup::lsh::BUCKET_WINDOW
                );
            }
            eprintln!(
                "neardup: {}, {}, {} ({} by Jaccard, {} by containment{templates}) ({:.2} s)",
                render::plural(corpus.docs.len(), "document"),
                render::plural(counts.candidates as usize, "candidate pair"),
                render::plural(pairs.len(), "near-duplicate pair"),
                pairs.len() - contained,
                contained,
                start.elapsed().as_secs_f64()
            );
        }
        Ok(Run { corpus, found })
    })?;
    warn_dates(run.quiet, &result.corpus.inputs, &result.corpus.docs);
    warn_empty(run.quiet, &result.corpus);
    Ok(Some(result))
}

/// Warns (unless `quiet`) of the documents of `corpus` that have no words.
fn warn_empty(quiet: bool, corpus: &SketchedCorpus) {
    let Some(&first) = corpus.empty.first() else {
        return;
    };
    if !quiet {
        let (n, first) = (corpus.empty.len(), corpus.location(first as usize));
        let (has, is) = if n == 1 {
            ("has", "is")
        } else {
            ("have", "are")
        };
        eprintln!(
            "neardup: warning: {} {has} no words and {is} never matched (first: {first})",
            render::plural(n, "document")
        );
    }
}

fn run_pairs(a: PairsArgs) -> Result<bool> {
    let Some(run) = execute(&a.input, &a.sim, &a.run)? else {
        return Ok(true);
    };
    render::write_pairs(
        a.run.output.as_deref(),
        a.output_format,
        &run.corpus,
        &run.found.pairs,
    )?;
    Ok(!run.found.pairs.is_empty())
}

fn run_sketch(a: SketchArgs) -> Result<bool> {
    let pipeline = pipeline(&a.sim)?;
    let Some(out) = a.run.output.as_deref() else {
        bail!("sketch writes a Parquet file: give it with -o FILE.parquet");
    };
    let reader = reader(&a.input)?;
    let pool = pool(&a.run)?;
    let bar = progress(&a.run);
    bar.set_message("reading and sketching");
    let start = Instant::now();
    let corpus = pool.install(|| {
        pipeline.sketch_corpus(reader, |n| {
            bar.set_message(format!("sketched {n} documents"));
            bar.tick();
        })
    })?;
    bar.set_message("writing");
    neardup::pipeline::write_sketch_stage(&pipeline, &corpus, neardup::AtomicFile::create(out)?)?;
    bar.finish_and_clear();
    warn_dates(a.run.quiet, &corpus.inputs, &corpus.docs);
    if !a.run.quiet {
        eprintln!(
            "neardup: sketched {} into {} (stage version {}; {:.2} s)",
            render::plural(corpus.docs.len(), "document"),
            out.display(),
            neardup::pipeline::STAGE_VERSION,
            start.elapsed().as_secs_f64()
        );
    }
    Ok(true)
}

fn run_cluster(a: ClusterArgs) -> Result<bool> {
    if a.mode == ClusterMode::Stories {
        return run_stories(a);
    }
    let Some(run) = execute(&a.input, &a.sim, &a.run)? else {
        return Ok(true);
    };
    let clusters = neardup::build_clusters(
        run.corpus.docs.len(),
        &run.found.pairs,
        &run.found.apart,
        a.singletons,
    );
    render::write_clusters(
        a.run.output.as_deref(),
        a.output_format,
        &run.corpus,
        &clusters,
        a.keep.into(),
    )?;
    Ok(clusters.iter().any(|c| c.members.len() > 1))
}

/// Reads the corpus once for both levels of grouping (texts kept if `keep_text`), warns
/// about documents without words, and runs `then` on it, all in the `--threads` pool.
fn with_analysed<T: Send>(
    input: &InputArgs,
    sim: &SimilarityArgs,
    run: &RunArgs,
    keep_text: bool,
    then: impl FnOnce(&Pipeline, &neardup::AnalysedCorpus) -> Result<T> + Send,
) -> Result<(neardup::AnalysedCorpus, T)> {
    let pipeline = pipeline(sim)?;
    let pool = pool(run)?;
    let reader = reader(input)?;
    let bar = progress(run);
    bar.set_message("reading");
    pool.install(|| -> Result<_> {
        let corpus =
            pipeline.analyse_corpus(reader, &neardup::TfidfModel::builder(), keep_text, |n| {
                bar.set_message(format!("read {n} documents"));
                bar.tick();
            })?;
        bar.set_message("grouping copies and stories");
        let out = then(&pipeline, &corpus)?;
        bar.finish_and_clear();
        warn_dates(run.quiet, &corpus.sketched.inputs, &corpus.sketched.docs);
        warn_empty(run.quiet, &corpus.sketched);
        Ok((corpus, out))
    })
}

fn story_params(a: &StoryArgs) -> Result<neardup::StoryParams> {
    Ok(neardup::StoryParams::default()
        .with_threshold(a.story_threshold)
        .context("invalid --story-threshold")?
        .with_date_window(a.date_window.0))
}

fn run_stories(a: ClusterArgs) -> Result<bool> {
    let params = story_params(&a.story)?;
    let start = Instant::now();
    let (corpus, (pairs, copies, stories)) =
        with_analysed(&a.input, &a.sim, &a.run, false, |pipeline, corpus| {
            Ok(pipeline.copies_and_stories(corpus, &params))
        })?;
    if !a.run.quiet {
        eprintln!(
            "neardup: {}, {} in {}, {} of two or more ({:.2} s)",
            render::plural(corpus.docs().len(), "document"),
            render::plural(pairs.len(), "copy pair"),
            render::plural(copies.len(), "copy cluster"),
            render::plural(
                stories.iter().filter(|s| s.members.len() > 1).count(),
                "story"
            ),
            start.elapsed().as_secs_f64()
        );
    }
    // The library's numbers, as the report shows them (stories of two or more articles
    // come first, so hiding the others leaves no gaps).
    let stories: Vec<neardup::Story> = stories
        .into_iter()
        .filter(|s| a.singletons || s.members.len() > 1)
        .collect();
    render::write_stories(
        a.run.output.as_deref(),
        a.output_format,
        corpus.docs(),
        &stories,
    )?;
    Ok(stories.iter().any(|s| s.members.len() > 1))
}

fn run_report(a: ReportArgs) -> Result<bool> {
    let params = story_params(&a.story)?;
    let options = neardup::ReportOptions {
        cross_outlet_only: a.cross_outlet_only,
        ..Default::default()
    };
    let start = Instant::now();
    let (corpus, report) = with_analysed(&a.input, &a.sim, &a.run, true, |pipeline, corpus| {
        Ok(pipeline.report(corpus, &params, &options)?)
    })?;
    if !a.run.quiet {
        eprintln!(
            "neardup: {}, {} with two or more articles, {} ({:.2} s)",
            render::plural(report.documents, "document"),
            render::plural(report.stories.len(), "story"),
            render::plural(
                report.stories.iter().map(|s| s.copies.len()).sum::<usize>(),
                "copy"
            ),
            start.elapsed().as_secs_f64()
        );
    }
    if let Some(path) = &a.html {
        let title = match a.input.inputs.as_slice() {
            [one] => format!("neardup report: {}", one.display()),
            _ => format!("neardup report: {} inputs", a.input.inputs.len()),
        };
        let page = html::render(
            &report,
            corpus.docs(),
            &corpus.texts,
            &title,
            a.html_stories,
            a.matrix_outlets,
        );
        output::write_output_raw(Some(path), |w| w.write_all(page.as_bytes()))?;
    }
    output::write_output(a.run.output.as_deref(), |w| match a.output_format {
        ReportFormat::Json => {
            serde_json::to_writer(&mut *w, &report)?;
            writeln!(w)
        }
        ReportFormat::Text => render::write_report_text(w, &report, corpus.docs()),
    })?;
    Ok(!report.stories.is_empty())
}

fn tfidf_builder(t: &TfidfArgs) -> Result<neardup::TfidfBuilder> {
    Ok(neardup::TfidfModel::builder()
        .tf(match t.tf {
            TfArg::Raw => neardup::tfidf::TfWeight::Raw,
            TfArg::Sublinear => neardup::tfidf::TfWeight::Sublinear,
        })
        .min_df(t.min_df.parse().context("invalid --min-df")?)
        .max_df(t.max_df.parse().context("invalid --max-df")?))
}

/// Reads a file that must hold exactly one document; returns its id and text.
/// The one document of a file: its metadata and its text.
fn read_one(
    path: &std::path::Path,
    format: Option<FormatArg>,
) -> Result<(neardup::DocMeta, String)> {
    let format = format.map(format_of);
    let reader = CorpusReader::new(vec![Input::new(path, format)?], FieldMap::default());
    let read = neardup::pipeline::read_corpus(reader, |_| {}, |d, _: &mut ()| d.text.to_string())?;
    match read.items.len() {
        1 => {
            let meta = read.docs.into_iter().next().expect("one document");
            // Said, as for a corpus: an unread date decides as undated.
            if let (Some(date), None) = (&meta.date, meta.published) {
                eprintln!(
                    "neardup: warning: {}: its date {date:?} could not be read; the document \
                     counts as undated",
                    path.display()
                );
            }
            Ok((meta, read.items.into_iter().next().unwrap_or_default()))
        }
        n => bail!("{}: expected one document, found {n}", path.display()),
    }
}

fn run_compare(a: CompareArgs) -> Result<bool> {
    let tfidf = tfidf_builder(&a.tfidf)?;
    if !a.ids.is_empty() && a.ids.len() != 2 {
        bail!(
            "--id: give exactly two ids to compare (got {})",
            a.ids.len()
        );
    }
    if !a.ids.is_empty() && a.input.is_empty() {
        return compare_in_index(&a);
    }
    let pipeline = pipeline(&a.sim)?;
    // The idf of --index when given.
    let index_model = match &a.index {
        Some(path) => Some(neardup::Archive::open(path)?.tfidf_model()?),
        None => None,
    };
    let from_index = index_model
        .as_ref()
        .map(|m| (m, neardup::IdfSource::Corpus));
    let ((id_a, text_a), (id_b, text_b), c) = if a.ids.is_empty() {
        let (pa, pb) = (a.a.as_deref(), a.b.as_deref());
        let (Some(pa), Some(pb)) = (pa, pb) else {
            bail!("give two files, or --id A --id B");
        };
        let (meta_a, text_a) = read_one(pa, a.input_format)?;
        let (meta_b, text_b) = read_one(pb, a.input_format)?;
        // Decided as `pairs A B` decides: their figures compared, with their dates.
        fn document<'d>(m: &'d neardup::DocMeta, text: &'d str) -> neardup::Document<'d> {
            let mut d = neardup::Document::new(&*m.id, text);
            d.date = m.date.as_deref().map(Into::into);
            d
        }
        let (da, db) = (document(&meta_a, &text_a), document(&meta_b, &text_b));
        let c = pipeline.compare_documents(&da, &db, from_index, &tfidf)?;
        let id = |m: &neardup::DocMeta| m.id.to_string();
        ((id(&meta_a), text_a), (id(&meta_b), text_b), c)
    } else {
        let mut list = a
            .input
            .iter()
            .map(|p| Input::new(p, a.input_format.map(format_of)).map_err(anyhow::Error::from))
            .collect::<Result<Vec<_>>>()?;
        // The corpus is read twice (to decide as `pairs` does, and for the two texts).
        let _spooled = dedup::spool_stdin(&mut list)?;
        // The idf of --index when given, else of the --input corpus (as `rank` fits it).
        let fit = a.index.is_none().then_some(&tfidf);
        let (verdict, input_model) = corpus_verdict(&pipeline, &list, &a.ids, fit)?;
        let model =
            from_index.or_else(|| input_model.as_ref().map(|m| (m, neardup::IdfSource::Input)));
        let (one, two) = find_two(list, &a.ids)?;
        let c = pipeline
            .compare(&one.1, &two.1, model, &tfidf)?
            .in_corpus(verdict);
        (one, two, c)
    };
    let alignment = a
        .passages
        .then(|| neardup::Aligner::default().align(pipeline.analyzer(), &text_a, &text_b));
    let colour = colour_stdout(a.output.is_some());
    let texts = (text_a.as_str(), text_b.as_str());
    write_comparison_out(
        &a,
        (&id_a, &id_b),
        &c,
        &pipeline,
        alignment.as_ref(),
        texts,
        colour,
    )
}

/// Writes a comparison as `compare` prints it (with its passages, when found).
fn write_comparison_out(
    a: &CompareArgs,
    (id_a, id_b): (&str, &str),
    c: &neardup::Comparison,
    pipeline: &Pipeline,
    alignment: Option<&neardup::Alignment>,
    (text_a, text_b): (&str, &str),
    colour: bool,
) -> Result<bool> {
    output::write_output(a.output.as_deref(), |w| {
        match a.output_format {
            CompareFormat::Json => {
                let mut v = serde_json::json!({"a": id_a, "b": id_b, "comparison": c});
                if let Some(al) = alignment {
                    v["passages"] = serde_json::to_value(al)?;
                }
                serde_json::to_writer(&mut *w, &v)?;
                writeln!(w)?;
            }
            CompareFormat::Text => {
                render::write_comparison(w, id_a, id_b, c, pipeline)
                    .map_err(std::io::Error::other)?;
                if let Some(al) = alignment {
                    render::write_passages(w, text_a, text_b, al, colour)
                        .map_err(std::io::Error::other)?;
                }
            }
        }
        Ok(())
    })?;
    Ok(true)
}

/// What verification decides for the two `ids` documents of the corpus `list` (sketched
/// whole, so that its template shingles are learnt), as `pairs` decides; and, with `fit`,
/// the TF-IDF model fitted on that corpus in the same read, as `rank` fits it.
fn corpus_verdict(
    pipeline: &Pipeline,
    list: &[Input],
    ids: &[String],
    fit: Option<&neardup::TfidfBuilder>,
) -> Result<(neardup::cluster::Verdict, Option<neardup::TfidfModel>)> {
    let reader = CorpusReader::new(list.to_vec(), FieldMap::default());
    let (corpus, model) = match fit {
        Some(tfidf) => {
            let (corpus, model) = pipeline.sketch_and_fit(reader, tfidf, |_| {})?;
            (corpus, Some(model))
        }
        None => (pipeline.sketch_corpus(reader, |_| {})?, None),
    };
    let corpus = &corpus;
    let number = |id: &str| -> Result<u32> {
        let i = corpus
            .docs
            .iter()
            .rposition(|d| &*d.id == id)
            .with_context(|| format!("--id {id}: no document with this id in the input"))?;
        Ok(i as u32)
    };
    let verdict = pipeline.verdict(corpus, number(&ids[0])?, number(&ids[1])?);
    Ok((verdict, model))
}

/// The texts of the two `ids` documents of the `--input` corpus `list`.
fn find_two(list: Vec<Input>, ids: &[String]) -> Result<((String, String), (String, String))> {
    let reader = CorpusReader::new(list, FieldMap::default());
    let want = |id: &str| ids.iter().any(|w| w == id);
    let read = neardup::pipeline::read_corpus(
        reader,
        |_| {},
        |d, _: &mut ()| want(&d.id).then(|| d.text.to_string()),
    )?;
    let mut found: Vec<Option<String>> = vec![None, None];
    for (meta, text) in read.docs.iter().zip(read.items) {
        for (slot, id) in found.iter_mut().zip(ids) {
            if *meta.id == **id {
                *slot = text.clone();
            }
        }
    }
    let mut take = |i: usize| -> Result<(String, String)> {
        let text = found[i]
            .take()
            .with_context(|| format!("--id {}: no document with this id in the input", ids[i]))?;
        Ok((ids[i].clone(), text))
    };
    Ok((take(0)?, take(1)?))
}

/// `compare --id A --id B --index FILE`: from what the index stores.
fn compare_in_index(a: &CompareArgs) -> Result<bool> {
    let Some(path) = &a.index else {
        bail!("--id: give the corpus with --input, or an index with --index");
    };
    if a.passages {
        bail!("--passages needs the texts, which an index does not keep: give --input CORPUS");
    }
    let index = neardup::Archive::open(path)?;
    let pipeline = Pipeline::from_index(index.settings())?;
    let mut docs = Vec::new();
    for id in &a.ids {
        docs.push(index.find_id(id)?.with_context(|| {
            format!("--id {id}: no document with this id in {}", path.display())
        })?);
    }
    let c = pipeline.compare_indexed(&index, docs[0], docs[1])?;
    write_comparison_out(
        a,
        (&a.ids[0], &a.ids[1]),
        &c,
        &pipeline,
        None,
        ("", ""),
        false,
    )
}

fn format_of(f: FormatArg) -> InputFormat {
    match f {
        FormatArg::Jsonl => InputFormat::Jsonl,
        FormatArg::Csv => InputFormat::Csv,
        FormatArg::Txt => InputFormat::Txt,
        FormatArg::Raw => InputFormat::Raw,
        FormatArg::Parquet => InputFormat::Parquet,
    }
}

fn rank_analyzer(a: &RankArgs) -> Result<neardup::Analyzer> {
    let mut analyzer = neardup::Analyzer::default();
    if let Some(path) = &a.stop_words {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read the stop-word list", path.display()))?;
        let normalizer = neardup::text::Normalizer::default();
        let words: Vec<String> = text
            .lines()
            .map(|l| normalizer.normalize(l.trim()))
            .filter(|w| !w.is_empty())
            .collect();
        analyzer = analyzer.with_filter(neardup::text::StopWords::new(words));
    }
    #[cfg(feature = "stemming")]
    if let Some(lang) = &a.stem {
        analyzer = analyzer.with_filter(neardup::text::SnowballStemmer::new(lang)?);
    }
    Ok(analyzer)
}

fn run_rank(a: RankArgs) -> Result<bool> {
    let builder = tfidf_builder(&a.tfidf)?;
    if a.top == 0 {
        bail!("invalid --top: must be at least 1");
    }
    let rerank = match a.rerank_neighbours {
        0 => None,
        m => Some(
            neardup::tfidf::NeighbourRerank::new(m, a.rerank_weight)
                .context("invalid --rerank-neighbours/--rerank-weight")?,
        ),
    };
    let ranker = neardup::Ranker::new(builder)
        .rerank(rerank)
        .analyzer(rank_analyzer(&a)?);
    let pool = pool(&a.run)?;
    let reader = reader(&a.input)?;
    let bar = progress(&a.run);
    bar.set_message("reading and vectorising");
    let start = Instant::now();
    let (corpus, mut neighbours) = pool.install(|| -> Result<_> {
        let corpus = ranker.vectorize_corpus(reader, |n| {
            bar.set_message(format!("vectorised {n} documents"));
            bar.tick();
        })?;
        bar.set_message("ranking neighbours");
        let mut neighbours = ranker.neighbours(&corpus, a.top);
        if a.min_cosine > 0.0 {
            for list in &mut neighbours {
                list.retain(|n| n.cosine >= a.min_cosine);
            }
        }
        bar.finish_and_clear();
        Ok((corpus, neighbours))
    })?;
    warn_dates(a.run.quiet, &corpus.inputs, &corpus.docs);
    if !a.run.quiet {
        eprintln!(
            "neardup: {}, {}, top {} neighbours ranked ({:.2} s)",
            render::plural(corpus.docs.len(), "document"),
            render::plural(corpus.model.vocabulary_size(), "term"),
            a.top,
            start.elapsed().as_secs_f64()
        );
    }
    if !a.ids.is_empty() {
        let mut wanted = vec![false; corpus.docs.len()];
        for id in &a.ids {
            let doc = corpus
                .docs
                .iter()
                .position(|d| *d.id == **id)
                .with_context(|| format!("--id {id}: no document with this id in the input"))?;
            wanted[doc] = true;
        }
        for (list, keep) in neighbours.iter_mut().zip(&wanted) {
            if !keep {
                list.clear();
            }
        }
    }
    render::write_neighbours(
        a.run.output.as_deref(),
        a.output_format,
        &corpus.docs,
        &neighbours,
    )?;
    Ok(neighbours.iter().any(|n| !n.is_empty()))
}

fn run_index_build(a: IndexBuildArgs) -> Result<bool> {
    let pipeline = pipeline(&a.sim)?;
    let tfidf = tfidf_builder(&a.tfidf)?;
    let run = RunArgs {
        output: None,
        threads: a.threads,
        quiet: a.quiet,
    };
    let pool = pool(&run)?;
    let reader = reader(&a.input)?;
    let bar = progress(&run);
    let start = Instant::now();
    let header = pool.install(|| -> Result<_> {
        let contents = pipeline.index_contents(reader, |n| {
            bar.set_message(format!("indexed {n} documents"));
            bar.tick();
        })?;
        bar.suspend(|| warn_dates(a.quiet, &contents.inputs, &contents.docs));
        let settings = pipeline.index_settings(tfidf);
        if !a.single_file {
            let m = neardup::Archive::create(&a.output, &settings, contents)?;
            return Ok(m.settings);
        }
        if a.output.is_dir() {
            bail!(
                "{}: is a folder (an index folder?): --single-file writes a file",
                a.output.display()
            );
        }
        // Replacing an index that `index add` may be extending: after it, as
        // `neardup::pipeline::build_index` does.
        let _lock = match a.output.is_file() {
            true => Some(neardup::store::WriterLock::acquire(&a.output)?),
            false => None,
        };
        Ok(neardup::store::write_index(&a.output, &settings, contents)?)
    })?;
    bar.finish_and_clear();
    if !a.quiet {
        eprintln!(
            "neardup: indexed {} ({}) into {} ({:.2} s)",
            render::plural(header.documents as usize, "document"),
            render::plural(header.terms as usize, "term"),
            a.output.display(),
            start.elapsed().as_secs_f64()
        );
    }
    Ok(true)
}

fn run_index_add(a: IndexAddArgs) -> Result<bool> {
    let archive = neardup::Archive::open(&a.index)?;
    let before = archive.live();
    let settings = archive.settings().clone();
    let folder = archive.is_folder();
    drop(archive);
    let run = RunArgs {
        output: None,
        threads: a.threads,
        quiet: a.quiet,
    };
    let pool = pool(&run)?;
    let reader = reader(&a.input)?;
    let start = Instant::now();
    let pipeline = Pipeline::from_index(&settings)?;
    let (added, live, segments) = pool.install(|| -> Result<_> {
        let added = pipeline.index_contents(reader, |_| {})?;
        warn_dates(a.quiet, &added.inputs, &added.docs);
        let n = added.docs.len();
        if folder {
            let m = neardup::Archive::add(&a.index, added)?;
            let (all, deleted) = m.documents();
            Ok((n, all - deleted, Some(m.segments.len())))
        } else {
            let h = neardup::pipeline::add_contents_to_index(&a.index, added)?;
            Ok((n, h.documents, None))
        }
    })?;
    if !a.quiet {
        let segments = segments.map_or(String::new(), |s| {
            format!(" in {}", render::plural(s, "segment"))
        });
        eprintln!(
            "neardup: added {} to {} ({} in all{segments}, {:.2} s)",
            render::plural(added, "document"),
            a.index.display(),
            live.max(before),
            start.elapsed().as_secs_f64()
        );
    }
    Ok(true)
}

fn run_index_remove(a: IndexRemoveArgs) -> Result<bool> {
    let mut ids = a.ids.clone();
    if let Some(path) = &a.ids_from {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read the ids", path.display()))?;
        ids.extend(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from),
        );
    }
    // An id given twice is removed once (and counted once).
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    if ids.is_empty() {
        bail!("index remove: give the ids to delete, or --ids-from FILE");
    }
    if !a.index.is_dir() {
        bail!(
            "{}: documents can be removed from an index folder only (`index build` without --single-file)",
            a.index.display()
        );
    }
    let start = Instant::now();
    let (m, missing) = neardup::Archive::remove(&a.index, &ids)?;
    let (all, deleted) = m.documents();
    if !a.quiet {
        for id in missing.iter().take(5) {
            eprintln!("neardup: warning: no live document with id {id:?}");
        }
        if missing.len() > 5 {
            eprintln!(
                "neardup: warning: ... and {} more ids not found",
                missing.len() - 5
            );
        }
        eprintln!(
            "neardup: removed {} from {} ({} live, {} awaiting merge, {:.2} s)",
            render::plural(ids.len() - missing.len(), "document"),
            a.index.display(),
            all - deleted,
            deleted,
            start.elapsed().as_secs_f64()
        );
    }
    Ok(missing.len() < ids.len())
}

fn run_index_merge(a: IndexMergeArgs) -> Result<bool> {
    if !a.index.is_dir() {
        bail!(
            "{}: not an index folder (a single file has one segment already)",
            a.index.display()
        );
    }
    let start = Instant::now();
    let m = neardup::Archive::merge(&a.index)?;
    if !a.quiet {
        eprintln!(
            "neardup: merged {} into {} ({}, {:.2} s)",
            a.index.display(),
            render::plural(m.segments.len(), "segment"),
            render::plural(m.documents().0, "document"),
            start.elapsed().as_secs_f64()
        );
    }
    Ok(true)
}

fn run_index_info(a: IndexInfoArgs) -> Result<bool> {
    let archive = neardup::Archive::open(&a.index)?;
    if a.verify {
        archive.verify()?;
    }
    let mut out = std::io::stdout().lock();
    match archive.is_folder() {
        true => render::write_archive_info(&mut out, &archive, a.verify, a.output_format)?,
        false => {
            let index = archive.segment_indexes().next().expect("one file");
            render::write_index_info(&mut out, index, a.verify, a.output_format)?
        }
    }
    Ok(true)
}

fn run_query(a: QueryArgs) -> Result<bool> {
    if a.top == 0 {
        bail!("invalid --top: must be at least 1");
    }
    let index = neardup::Archive::open(&a.index)?;
    let searcher = neardup::ArchiveSearcher::new(&index)?
        .with_bucket_cap((a.bucket_cap > 0).then_some(a.bucket_cap));
    let result = if let Some(id) = &a.id {
        let doc = index.find_id(id)?.with_context(|| {
            format!(
                "--id {id}: no document with this id in {}",
                a.index.display()
            )
        })?;
        searcher.query_doc(doc, a.top)?
    } else {
        // The publication day: --date's, else the file's own date (read as `pairs` reads
        // it: a date it cannot read leaves the article undated).
        let date_day = match &a.date {
            Some(d) => Some(neardup::corpus::day_number(d).with_context(|| {
                format!(
                    "invalid --date {d:?}: not a date neardup reads (2024-06-01, \
                     2024-06-01T10:30:00+02:00, Sat, 01 Jun 2024 10:30:00 +0000, \
                     26-FEB-1987 15:01:01.79, epoch seconds...)"
                )
            })?),
            None => None,
        };
        let (id, text, file_day) = match (&a.text, &a.file) {
            (Some(t), _) => (None, t.clone(), None),
            (None, Some(p)) => {
                let (meta, text) = read_one(p, None)?;
                let day = meta.published.map(neardup::corpus::day_of);
                (Some(meta.id.to_string()), text, day)
            }
            (None, None) => {
                let mut s = String::new();
                std::io::Read::read_to_string(&mut std::io::stdin().lock(), &mut s)
                    .context("reading standard input")?;
                (None, s, None)
            }
        };
        // The article itself, when the index holds it, is not its own duplicate.
        let itself = match &id {
            Some(id) => index.find_id(id)?,
            None => None,
        };
        searcher.query_excluding(&text, date_day.or(file_day), a.top, itself)?
    };
    output::write_output(a.output.as_deref(), |w| {
        render::write_query(w, &index, &result, a.output_format).map_err(std::io::Error::other)
    })?;
    Ok(!result.duplicates.is_empty() || !result.related.is_empty())
}
