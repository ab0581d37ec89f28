//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Exit codes: 0 found something, 1 found nothing, 2 error.

Examples:
  neardup cluster datasets/sample/news.jsonl
  neardup pairs corpus.jsonl --threshold 0.7 --output-format tsv -o pairs.tsv
  neardup cluster articles/ --output-format jsonl --singletons
  neardup cluster articles.jsonl --mode stories
  neardup dedup articles.jsonl -o deduplicated.jsonl
  neardup pairs --explain --threshold 0.8
  neardup rank articles.jsonl --top 10
  neardup compare a.txt b.txt
  neardup report articles.jsonl --html report.html
  neardup index build archive.jsonl -o archive.ndx
  neardup query archive.ndx --file story.txt";

/// Find near-duplicate and reworded text (copies of one story across outlets) and related
/// coverage (different articles about the same event).
#[derive(Debug, Parser)]
#[command(name = "neardup", version, about, after_help = AFTER_HELP, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Colour in terminal output (highlighted passages): `auto` on a terminal unless
    /// NO_COLOR is set.
    #[arg(long, global = true, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// Say more on stderr: the settings in effect and the time of each stage.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

/// When to colour terminal output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The verbs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List every near-duplicate pair (one row per pair, with Jaccard and containment).
    #[command(after_help = "Examples:
  neardup pairs corpus.jsonl --output-format tsv
  neardup pairs a.jsonl b.jsonl --threshold 0.8 --containment off -o pairs.tsv
  cat corpus.jsonl | neardup pairs - --output-format jsonl")]
    Pairs(PairsArgs),
    /// Group near-duplicates into clusters: copies of one text, reworded, truncated or padded
    /// (`--mode copies`, the default), or articles covering the same event (`--mode stories`).
    #[command(after_help = "Examples:
  neardup cluster datasets/sample/news.jsonl
  neardup cluster datasets/sample/news.jsonl --mode stories --date-window 3
  neardup cluster articles/ --output-format jsonl --singletons -o clusters.jsonl
  neardup cluster wire.csv --id-field guid --text-field body")]
    Cluster(ClusterArgs),
    /// Write the input minus its copies: one document per cluster of copies is kept (see
    /// `--keep`), every record byte for byte as it was (all fields, input order, input
    /// format), and a sidecar lists what was dropped and why.
    #[command(
        after_help = "Exit codes: 0 done (whether or not anything was dropped), 2 error.

Examples:
  neardup dedup datasets/sample/news.jsonl -o deduplicated.jsonl
  neardup dedup crawl.csv -o crawl.dedup.csv --keep longest --threshold 0.7
  neardup dedup articles/ -o kept-articles/ --dropped dropped.jsonl
  cat feed.jsonl | neardup dedup - > feed.dedup.jsonl"
    )]
    Dedup(DedupArgs),
    /// Write the sketch stage as Parquet (each document's id, shingle fingerprints, MinHash
    /// signature, length, date and figures), in the schema of `neardup.spark.sketch`, so a
    /// Spark job can continue from it (`neardup.spark.pairs`, `dedup`), and `pairs` and
    /// `cluster` can too (as from a Spark job's sketch stage)
    #[command(after_help = "Examples:
  neardup sketch datasets/sample/news.jsonl -o sample.sketch.parquet
  neardup sketch archive.parquet -o archive.sketch.parquet --shingle word:5
  neardup cluster sample.sketch.parquet --keep earliest

Then, in PySpark: neardup.spark.pairs(spark.read.parquet(\"sample.sketch.parquet\")) with the
same settings (the file records them, and a run with others is refused).")]
    Sketch(SketchArgs),
    /// Rank every document's most related documents by TF-IDF cosine (related coverage, not
    /// only copies); idf comes from the input corpus.
    #[command(after_help = "Examples:
  neardup rank articles.jsonl --top 10 --output-format tsv
  neardup rank articles.jsonl --top 5 --max-df 0.5 --output-format jsonl -o neighbours.jsonl")]
    Rank(RankArgs),
    /// Compare two documents: exact and estimated Jaccard, containment both ways, TF-IDF
    /// cosine, and whether they count as near-duplicates (decided as `pairs A B` decides:
    /// figures compared, dates read; a pair set aside says why).
    #[command(
        after_help = "Each of A and B is a file holding one document (.txt, the raw `OUTLET date \
YYYY-MM-DD body` form, or a one-line .jsonl), or - for standard input (one JSONL line, as for \
every verb; text with --input-format txt, which applies to both).

Examples:
  neardup compare story.txt rewrite.txt
  neardup compare a.txt b.txt --output-format json
  neardup compare story.txt rewrite.txt --passages
  neardup compare --id s00000-0 --id s00000-1 --input datasets/sample/news.jsonl
  neardup compare --id 17 --id 42 --index archive.ndx"
    )]
    Compare(CompareArgs),
    /// The overlap report: per story its outlets, first publisher, copies and who copied
    /// whom with the shared passages; an outlet x outlet matrix; related coverage.
    #[command(after_help = "Examples:
  neardup report datasets/sample/news.jsonl --html report.html
  neardup report articles/ --output-format json -o report.json
  neardup report articles.jsonl --cross-outlet-only --date-window 3 --html report.html")]
    Report(ReportArgs),
    /// Build, extend or describe a persistent index (MinHash/LSH for near-duplicates and
    /// TF-IDF for related articles) that `query` answers from.
    #[command(subcommand)]
    Index(IndexCommand),
    /// Find an article's near-duplicates and most related articles in an index (decided as
    /// `pairs` decides on the indexed corpus, with the index's `--template-df`).
    #[command(after_help = "Examples:
  neardup index build archive.jsonl -o archive.ndx
  neardup query archive.ndx --file story.txt
  neardup query archive.ndx --file story.txt --date 2024-06-01
  neardup query archive.ndx --text \"Central bank raises rates\" --top 5 --output-format jsonl
  neardup query archive.ndx --id s00000-0 -o similar.tsv --output-format tsv
  cat story.txt | neardup query archive.ndx -")]
    Query(QueryArgs),
    /// Follow a feed of articles (JSONL on standard input, or a file, as it grows) and print,
    /// for each one as it arrives, its copies and related coverage published within the
    /// window; memory and the index stay bounded by the window.
    #[command(
        after_help = "Each incoming article is added to an index folder holding the window
(--index to keep it between runs; a temporary one otherwise): articles are taken in
batches as they arrive, so a fast feed is answered in bulk and a slow one at once.
Each article is answered from the articles that came before it, inside the window as
it stood when it arrived: the answers do not depend on the batches (only cosines may
move a little, as the TF-IDF statistics are the window's at each batch). The window
ends at the newest date seen (not more than a day past the clock); undated articles
are dated by their arrival. Articles that fall out of it are deleted; one already
older than the window when it arrives is printed as such and not kept.

Examples:
  tail -f feed.jsonl | neardup watch --window 7d
  neardup watch feed.jsonl --follow --index window.ndx --output-format jsonl
  neardup watch datasets/sample/news.jsonl --window 30d --top 3"
    )]
    Watch(WatchArgs),
    /// Serve an index folder over HTTP (JSON): add and delete documents, ask for copies and
    /// related articles; writes are acknowledged once durable, queries read a snapshot.
    #[cfg(feature = "server")]
    #[command(
        after_help = "Endpoints (bodies and answers are JSON; see docs/serve.md):
  POST   /documents               one document or a list: {\"id\", \"text\", \"title\", \"outlet\",
                                  \"date\", \"url\"}; answers each one's copies and related articles
  POST   /query                   {\"text\": ..., \"top\": 10}: nothing stored
  GET    /documents/{id}          the stored record
  GET    /documents/{id}/similar  as `neardup query --id`
  DELETE /documents/{id}
  GET    /health, GET /metrics    (Prometheus text)

Examples:
  neardup index build datasets/sample/news.jsonl -o archive.ndx
  neardup serve archive.ndx --bind 127.0.0.1:8080
  curl -s localhost:8080/query -d '{\"text\": \"Central bank raises rates\"}'

Stops on SIGTERM or Ctrl-C after finishing the requests under way (no acknowledged write is lost)."
    )]
    Serve(ServeArgs),
}

/// Arguments of `watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The feed: a JSONL file, or `-` for standard input.
    #[arg(default_value = "-", value_name = "FEED")]
    pub input: PathBuf,
    /// Keep reading FEED as it grows, as `tail -f` (stop with Ctrl-C).
    #[arg(long)]
    pub follow: bool,
    /// The index folder holding the window: made with the settings below if missing, and
    /// kept (a later `watch` goes on from it). Default: a temporary folder.
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// How far back an earlier article counts (`7d`, `36h`, `90m`), from the newest date
    /// seen.
    #[arg(long, default_value = "7d", value_name = "SPAN", value_parser = parse_span)]
    pub window: std::time::Duration,
    /// Related articles to list per article.
    #[arg(long, default_value_t = 5)]
    pub top: usize,
    /// Related articles below this TF-IDF cosine are not listed.
    #[arg(long, default_value_t = 0.0, value_name = "COSINE")]
    pub min_cosine: f64,
    /// Similarity settings of a new index folder.
    #[command(flatten)]
    pub sim: SimilarityArgs,
    /// TF-IDF settings of a new index folder.
    #[command(flatten)]
    pub tfidf: TfidfArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = WatchFormat::Text)]
    pub output_format: WatchFormat,
    /// Worker threads (default: all cores; at most 1024).
    #[arg(long)]
    pub threads: Option<usize>,
    /// No summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Output formats of `watch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WatchFormat {
    /// For people: each article, then its copies and related articles indented.
    Text,
    /// One JSON object per article: {"id", "duplicates": [...], "related": [...]}.
    Jsonl,
}

/// Arguments of `serve`.
#[cfg(feature = "server")]
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The index folder (made by `neardup index build`; a single-file index cannot grow).
    pub index: PathBuf,
    /// Address and port to listen on (loopback by default: put a proxy with
    /// authentication in front before opening it to a network).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    pub bind: String,
    /// Threads answering queries (default: one per core).
    #[arg(short = 'j', long)]
    pub threads: Option<usize>,
    /// Largest request body, in bytes.
    #[arg(long, default_value_t = 16 << 20, value_name = "BYTES")]
    pub max_body: usize,
    /// Most documents in one POST /documents.
    #[arg(long, default_value_t = 10_000, value_name = "N")]
    pub max_batch: usize,
    /// Documents published (by their date, else their arrival) longer ago than this stop
    /// counting (`7d`, `36h`, `90m`) and are deleted from the index; off by default.
    #[arg(long, value_name = "SPAN", value_parser = parse_span)]
    pub window: Option<std::time::Duration>,
    /// No log lines on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

/// A span of time: a number and a unit (`d`, `h`, `m`, `s`).
pub fn parse_span(s: &str) -> Result<std::time::Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (n, unit) = s.split_at(split);
    let n: u64 = n
        .parse()
        .map_err(|_| format!("{s:?}: expected a number and a unit, as 7d, 36h, 90m or 30s"))?;
    let secs = match unit {
        "d" => 86_400,
        "h" => 3_600,
        "m" => 60,
        "s" | "" => 1,
        _ => return Err(format!("{s:?}: unknown unit {unit:?} (use d, h, m or s)")),
    };
    match n.checked_mul(secs) {
        Some(0) => Err(format!("{s:?}: must be more than 0")),
        Some(t) => Ok(std::time::Duration::from_secs(t)),
        None => Err(format!("{s:?}: too long")),
    }
}

/// `index` subcommands.
// Parsed once per run: the size of the largest variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum IndexCommand {
    /// Index a corpus into a new index folder (segments and a manifest, format 3), or one
    /// file with --single-file (format 2); written atomically.
    #[command(after_help = "Examples:
  neardup index build archive.jsonl -o archive.ndx
  neardup index build articles/ --shingle word:5 --threshold 0.5 -o articles.ndx
  neardup index build archive.jsonl --single-file -o archive-v2.ndx")]
    Build(IndexBuildArgs),
    /// Add documents to an index: a new segment of an index folder (time proportional to
    /// what is added; segments are merged when there are more than 10), or a single file
    /// rewritten whole. Queries score with the statistics of every live document.
    #[command(after_help = "Examples:
  neardup index add archive.ndx today.jsonl")]
    Add(IndexAddArgs),
    /// Delete documents from an index folder by id (recorded as deletions; `index merge`
    /// drops them from the segments).
    #[command(after_help = "Examples:
  neardup index remove archive.ndx s00000-0 s00001-1
  neardup index remove archive.ndx --ids-from withdrawn.txt")]
    Remove(IndexRemoveArgs),
    /// Rewrite an index folder as one segment without its deleted documents.
    #[command(after_help = "Examples:
  neardup index merge archive.ndx")]
    Merge(IndexMergeArgs),
    /// Describe an index: counts, parameters, format version, segments, sections.
    #[command(after_help = "Examples:
  neardup index info archive.ndx
  neardup index info archive.ndx --verify --output-format json")]
    Info(IndexInfoArgs),
}

/// Arguments of `index remove`.
#[derive(Debug, Args)]
pub struct IndexRemoveArgs {
    /// The index folder.
    pub index: PathBuf,
    /// Ids of the documents to delete.
    pub ids: Vec<String>,
    /// Also delete the ids in this file, one per line.
    #[arg(long, value_name = "FILE")]
    pub ids_from: Option<PathBuf>,
    /// No summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Arguments of `index merge`.
#[derive(Debug, Args)]
pub struct IndexMergeArgs {
    /// The index folder.
    pub index: PathBuf,
    /// No summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Arguments of `index build`.
#[derive(Debug, Args)]
pub struct IndexBuildArgs {
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// Similarity settings (recorded in the index).
    #[command(flatten)]
    pub sim: SimilarityArgs,
    /// TF-IDF settings (recorded in the index).
    #[command(flatten)]
    pub tfidf: TfidfArgs,
    /// The index to write: a folder (made if missing; its contents replaced), or a file
    /// with --single-file.
    #[arg(short, long, value_name = "PATH")]
    pub output: PathBuf,
    /// Write one index file (format 2: read-only in practice, as `index add` rewrites it
    /// whole) instead of a folder of segments.
    #[arg(long)]
    pub single_file: bool,
    /// Worker threads (default: all cores; at most 1024).
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress bar or summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Arguments of `index add`.
#[derive(Debug, Args)]
pub struct IndexAddArgs {
    /// The index (folder or file) to extend.
    pub index: PathBuf,
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// Worker threads (default: all cores; at most 1024).
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress bar or summary on stderr.
    #[arg(short, long)]
    pub quiet: bool,
}

/// Arguments of `index info`.
#[derive(Debug, Args)]
pub struct IndexInfoArgs {
    /// The index (folder or file).
    pub index: PathBuf,
    /// Also check the checksum of every section (reads every file).
    #[arg(long)]
    pub verify: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CompareFormat::Text)]
    pub output_format: CompareFormat,
}

/// Arguments of `query`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["text", "file", "stdin", "id"])))]
pub struct QueryArgs {
    /// The index file.
    pub index: PathBuf,
    /// `-`: read the article from standard input.
    #[arg(value_name = "-", value_parser = clap::builder::PossibleValuesParser::new(["-"]), id = "stdin")]
    pub stdin: Option<String>,
    /// The article's text.
    #[arg(long)]
    pub text: Option<String>,
    /// A file holding the article (one document: .txt, raw form, or one-line .jsonl). If
    /// its id is in the index, that document is left out of the results.
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,
    /// Ask about a document of the index, by id (from what the index stores; the document
    /// itself is left out of the results).
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,
    /// The article's publication date, in any form the readers take (2024-06-01, RFC 3339,
    /// RFC 2822, 26-FEB-1987 15:01:01.79, epoch seconds...): the article is then decided
    /// as `pairs` decides a dated document, so a notice filled in anew more than 3 days
    /// from an indexed one, with other figures, is not its near-duplicate. Without it, a
    /// --file's own date is used; text and standard input are undated. Not with --id (the
    /// index keeps each document's day).
    #[arg(long, value_name = "DATE", conflicts_with = "id")]
    pub date: Option<String>,
    /// Related articles to list.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Write the output to this file (atomically) instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Split an LSH bucket of more than N documents by the next band's key, as `pairs`
    /// does (0 = never split; see docs/design.md).
    #[arg(long, value_name = "N", default_value_t = neardup::lsh::DEFAULT_BUCKET_CAP)]
    pub bucket_cap: u32,
    /// Output format.
    #[arg(long, value_enum, default_value_t = QueryFormat::Text)]
    pub output_format: QueryFormat,
}

/// Output formats of `query`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QueryFormat {
    /// For people.
    Text,
    /// One JSON object per result: {"kind": "duplicate"|"related", ...}.
    Jsonl,
    /// Tab-separated, header `kind id rank jaccard containment cosine outlet date title`.
    Tsv,
}

/// Arguments of `compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The first document (a file; not with --id).
    #[arg(required_unless_present = "ids")]
    pub a: Option<PathBuf>,
    /// The second document.
    #[arg(required_unless_present = "ids")]
    pub b: Option<PathBuf>,
    /// Compare two documents by id (give --id twice): in the corpus of --input, or, without
    /// it, in the --index (from what the index stores: no passages).
    #[arg(long = "id", value_name = "ID", id = "ids", num_args = 1, action = clap::ArgAction::Append, conflicts_with_all = ["a", "b"])]
    pub ids: Vec<String>,
    /// With --id: the corpus (files or folders, as for `pairs`) holding the two documents;
    /// near-duplicate is then decided as `pairs` decides in that corpus (template shingles
    /// weigh less, figures compared), and a pair set aside says why; the cosine's idf is
    /// that corpus's, as `rank` fits it (unless --index is given).
    #[arg(long, value_name = "INPUT", requires = "ids")]
    pub input: Vec<PathBuf>,
    /// Write the output to this file (atomically) instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Read both in this format instead of guessing from the extension.
    #[arg(long, value_enum, help_heading = "Input")]
    pub input_format: Option<FormatArg>,
    /// Take the idf for the cosine from this index (else from the --input corpus with --id,
    /// else from the two documents alone).
    #[arg(long, value_name = "FILE")]
    pub index: Option<PathBuf>,
    /// Similarity settings.
    #[command(flatten)]
    pub sim: SimilarityArgs,
    /// TF-IDF settings.
    #[command(flatten)]
    pub tfidf: TfidfArgs,
    /// Also find the passages the two share (character offsets in both, coverage of each)
    /// and show both texts with them highlighted (colour on a terminal unless NO_COLOR is
    /// set; otherwise passages are marked `[[1 ... ]]`).
    #[arg(long)]
    pub passages: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CompareFormat::Text)]
    pub output_format: CompareFormat,
}

/// Output formats of `compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompareFormat {
    /// For people.
    Text,
    /// One JSON object.
    Json,
}

/// Arguments of `rank`.
#[derive(Debug, Args)]
pub struct RankArgs {
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// TF-IDF settings.
    #[command(flatten)]
    pub tfidf: TfidfArgs,
    /// Drop the words listed in FILE (one per line, normalised like the text) before TF-IDF.
    #[arg(long, value_name = "FILE", help_heading = "TF-IDF")]
    pub stop_words: Option<PathBuf>,
    /// Reduce words to their Snowball stem before TF-IDF: english, german, french, ...
    /// (this build has the `stemming` feature).
    #[cfg(feature = "stemming")]
    #[arg(long, value_name = "LANG", help_heading = "TF-IDF")]
    pub stem: Option<String>,
    /// Output and threads.
    #[command(flatten)]
    pub run: RunArgs,
    /// Neighbours per document.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Leave out neighbours whose cosine is below this.
    #[arg(
        long,
        value_name = "C",
        default_value_t = 0.0,
        help_heading = "Ranking"
    )]
    pub min_cosine: f32,
    /// Re-rank by shared neighbours: each document's neighbourhood is itself and its M
    /// nearest documents by cosine; `0` ranks by cosine alone.
    #[arg(long, value_name = "M", default_value_t = neardup::tfidf::DEFAULT_RERANK_NEIGHBOURS, help_heading = "Ranking")]
    pub rerank_neighbours: usize,
    /// Weight W of the neighbourhood similarity: score = (cosine + W * neighbourhood) / (1 + W).
    #[arg(long, value_name = "W", default_value_t = neardup::tfidf::DEFAULT_RERANK_WEIGHT, help_heading = "Ranking")]
    pub rerank_weight: f32,
    /// List only these documents' neighbours (repeat for several); the ranking is the
    /// whole corpus's, as without it.
    #[arg(long = "id", value_name = "ID")]
    pub ids: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RankFormat::Tsv)]
    pub output_format: RankFormat,
}

/// Output formats of `rank`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RankFormat {
    /// Tab-separated, with a header row `id neighbour rank cosine score`.
    Tsv,
    /// One JSON object per document with its neighbours.
    Jsonl,
    /// Apache Parquet, the TSV's columns (rank as a 64-bit integer, cosine and score as
    /// doubles).
    Parquet,
}

/// Term-frequency weighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TfArg {
    /// The raw count.
    Raw,
    /// 1 + ln(count).
    Sublinear,
}

/// TF-IDF settings (named as in scikit-learn's TfidfVectorizer).
#[derive(Debug, Args)]
pub struct TfidfArgs {
    /// Term-frequency weighting.
    #[arg(long, value_enum, default_value_t = TfArg::Sublinear, help_heading = "TF-IDF")]
    pub tf: TfArg,
    /// Ignore terms in fewer documents than this: a count (2) or a share (0.01).
    #[arg(long, default_value = "1", help_heading = "TF-IDF")]
    pub min_df: String,
    /// Ignore terms in more documents than this: a count (5000) or a share (0.5).
    #[arg(long, default_value = neardup::tfidf::DEFAULT_MAX_DF, help_heading = "TF-IDF")]
    pub max_df: String,
}

/// Arguments of `pairs`.
#[derive(Debug, Args)]
pub struct PairsArgs {
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// Similarity settings.
    #[command(flatten)]
    pub sim: SimilarityArgs,
    /// Output and threads.
    #[command(flatten)]
    pub run: RunArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PairsFormat::Tsv)]
    pub output_format: PairsFormat,
}

/// Arguments of `sketch`.
#[derive(Debug, Args)]
pub struct SketchArgs {
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// Similarity settings (the shingle, sketch and template settings shape the file).
    #[command(flatten)]
    pub sim: SimilarityArgs,
    /// Output and threads (`-o FILE.parquet` is required).
    #[command(flatten)]
    pub run: RunArgs,
}

/// Arguments of `dedup`.
#[derive(Debug, Args)]
pub struct DedupArgs {
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// Similarity settings.
    #[command(flatten)]
    pub sim: SimilarityArgs,
    /// Output and threads. The output is in the inputs' format (JSONL or CSV: one file, or
    /// standard output; .txt inputs: a new folder).
    #[command(flatten)]
    pub run: RunArgs,
    /// Which document of each cluster of copies to keep: the earliest published (undated
    /// last, ties by input order; without dates the first), the first in input order, or
    /// the longest text.
    #[arg(long, value_enum, default_value_t = KeepArg::Earliest)]
    pub keep: KeepArg,
    /// Where to list the dropped documents (JSONL: id, input, line, the kept document, the
    /// pair that joined it and its scores); default OUTPUT.dropped.jsonl next to the
    /// output, none when the output goes to standard output.
    #[arg(long, value_name = "FILE")]
    pub dropped: Option<PathBuf>,
}

/// Which member of a cluster of copies is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeepArg {
    /// The earliest published (undated last; ties by input order).
    Earliest,
    /// The first in input order.
    First,
    /// The longest text (in characters; ties by input order).
    Longest,
}

impl From<KeepArg> for neardup::Keep {
    fn from(k: KeepArg) -> Self {
        match k {
            KeepArg::Earliest => neardup::Keep::Earliest,
            KeepArg::First => neardup::Keep::First,
            KeepArg::Longest => neardup::Keep::Longest,
        }
    }
}

/// Arguments of `cluster`.
#[derive(Debug, Args)]
pub struct ClusterArgs {
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// Similarity settings.
    #[command(flatten)]
    pub sim: SimilarityArgs,
    /// Output and threads.
    #[command(flatten)]
    pub run: RunArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ClusterFormat::Text)]
    pub output_format: ClusterFormat,
    /// Also list documents that belong to no cluster, as clusters of one.
    #[arg(long)]
    pub singletons: bool,
    /// Which member of each cluster the `keep` field (jsonl, tsv) marks: the one `dedup
    /// --keep` with the same rule keeps.
    #[arg(long, value_enum, default_value_t = KeepArg::Earliest)]
    pub keep: KeepArg,
    /// What to group: `copies` (reworded versions of one text) or `stories` (articles
    /// covering the same event; copies nest inside them).
    #[arg(long, value_enum, default_value_t = ClusterMode::Copies)]
    pub mode: ClusterMode,
    /// How stories are formed (with `--mode stories`).
    #[command(flatten)]
    pub story: StoryArgs,
}

/// Story settings, shared by `cluster --mode stories` and `report`.
#[derive(Debug, Args)]
pub struct StoryArgs {
    /// Link into one story only articles published at most DAYS apart (by their `date`,
    /// days counted in UTC; articles without a readable date link to all), or `off`.
    #[arg(
        long,
        value_name = "DAYS",
        default_value = "7",
        help_heading = "Stories"
    )]
    pub date_window: DateWindow,
    /// The mean similarity two groups of articles need to merge into one story (average
    /// linkage over TF-IDF shared-neighbour scores; see docs/stories.md).
    #[arg(
        long,
        value_name = "S",
        default_value_t = neardup::cluster::DEFAULT_STORY_THRESHOLD,
        help_heading = "Stories"
    )]
    pub story_threshold: f64,
}

/// `--date-window`: a number of days, or `off`.
#[derive(Debug, Clone, Copy)]
pub struct DateWindow(pub Option<u32>);

impl std::str::FromStr for DateWindow {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "off" | "none" => Ok(DateWindow(None)),
            s => s
                .parse()
                .map(|d| DateWindow(Some(d)))
                .map_err(|_| "expected a number of days or `off`".to_string()),
        }
    }
}

/// Arguments of `report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// Similarity settings (for copies).
    #[command(flatten)]
    pub sim: SimilarityArgs,
    /// Output and threads.
    #[command(flatten)]
    pub run: RunArgs,
    /// Also write the report as one self-contained HTML page (written atomically).
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Stories in the HTML page: the N largest (0 for all; the JSON always has all).
    #[arg(long, value_name = "N", default_value_t = 300)]
    pub html_stories: usize,
    /// Outlets in the HTML page's outlet x outlet matrix: the N with the most stories (0
    /// for all; the JSON always has all).
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub matrix_outlets: usize,
    /// Format of the report on stdout (or -o).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub output_format: ReportFormat,
    /// Keep only stories carried by two or more outlets, and copies across outlets.
    #[arg(long)]
    pub cross_outlet_only: bool,
    /// How stories are formed.
    #[command(flatten)]
    pub story: StoryArgs,
}

/// Output formats of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A summary for people.
    Text,
    /// The whole report as one JSON object.
    Json,
}

/// Grouping levels of `cluster`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClusterMode {
    /// Reworded, truncated or padded versions of one text (verified Jaccard/containment).
    Copies,
    /// Articles covering the same event (TF-IDF similarity, average linkage).
    Stories,
}

/// Output formats of `pairs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PairsFormat {
    /// Tab-separated, with a header row `a b jaccard containment match`.
    Tsv,
    /// Comma-separated, same columns.
    Csv,
    /// One JSON object per pair.
    Jsonl,
    /// Apache Parquet, same columns (jaccard and containment as doubles).
    Parquet,
}

/// Output formats of `cluster`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClusterFormat {
    /// For people: each cluster with its outlets, dates and titles.
    Text,
    /// One JSON object per cluster.
    Jsonl,
    /// One row per member: cluster, id, outlet, date, joined_by, score.
    Tsv,
    /// Apache Parquet, one row per member: cluster, id, outlet, date, title, joined_by,
    /// score, match, first, keep.
    Parquet,
}

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header row.
    Csv,
    /// One document per .txt file (folders are read recursively).
    Txt,
    /// One article per file in the form `[OUTLET] date YYYY-MM-DD body`.
    Raw,
    /// Apache Parquet: one document per row (read a row group at a time).
    Parquet,
}

/// Where the documents come from.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// Input files or folders (`-` for standard input). Format from the extension:
    /// .jsonl/.ndjson, .csv, .parquet, .txt, or a folder of .txt files. A sketch stage
    /// (`neardup sketch`'s file, or a Spark job's folder of parts) is read back, not
    /// sketched again (`pairs` and `cluster`).
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Read every input in this format instead of guessing from its extension.
    #[arg(long, value_enum, help_heading = "Input")]
    pub input_format: Option<FormatArg>,
    /// Field (JSONL key or CSV column) holding the id; a missing id becomes FILE:LINE.
    #[arg(long, default_value = "id", help_heading = "Input")]
    pub id_field: String,
    /// Field holding the text.
    #[arg(long, default_value = "text", help_heading = "Input")]
    pub text_field: String,
    /// Field holding the title.
    #[arg(long, default_value = "title", help_heading = "Input")]
    pub title_field: String,
    /// Field holding the outlet.
    #[arg(long, default_value = "outlet", help_heading = "Input")]
    pub outlet_field: String,
    /// Field holding the date.
    #[arg(long, default_value = "date", help_heading = "Input")]
    pub date_field: String,
    /// Field holding the url.
    #[arg(long, default_value = "url", help_heading = "Input")]
    pub url_field: String,
    /// A date that cannot be read is an error (naming its file and line) instead of a
    /// warning; dates are read in ISO 8601/RFC 3339, RFC 2822, epoch seconds or
    /// milliseconds, and written-out forms such as `14 June 2013` or `26-FEB-1987 15:01:01`.
    #[arg(long, help_heading = "Input")]
    pub strict_dates: bool,
    /// The largest document read, in bytes: a longer JSONL line, CSV record, .txt file or
    /// Parquet text is an error naming it (not memory spent on a dump without line ends).
    #[arg(long, default_value_t = 256 << 20, value_name = "BYTES", help_heading = "Input")]
    pub max_doc_bytes: usize,
}

/// What counts as a near-duplicate, and how candidates are found.
#[derive(Debug, Args)]
pub struct SimilarityArgs {
    /// Shingles: word:K (word K-grams) or char:N (character N-grams).
    #[arg(long, default_value = "word:3", help_heading = "Similarity")]
    pub shingle: String,
    /// A pair is a near-duplicate when the Jaccard similarity of its shingle sets is at
    /// least this, or by the containment rule below, which stays on unless `--containment
    /// off`: a pair listed by containment may have a lower Jaccard.
    #[arg(long, default_value_t = neardup::DEFAULT_THRESHOLD, help_heading = "Similarity")]
    pub threshold: f64,
    /// ... or when at least this share of the shorter text's shingles lie in the longer one
    /// (truncated or padded copies); `off` to judge on Jaccard alone.
    #[arg(long, default_value = "0.5", help_heading = "Similarity")]
    pub containment: String,
    /// The shortest text, in shingles, that can count as contained in another.
    #[arg(long, default_value_t = neardup::pipeline::DEFAULT_MIN_CONTAINED, help_heading = "Similarity")]
    pub min_contained: usize,
    /// Shingles found in at least this many documents (templates, boilerplate, tables)
    /// weigh less: a pair must also pass with each such shingle weighted `N / df`, so
    /// filled-in templates (bond issues, market reports) are not copies; nor are two
    /// texts whose figures differ in the same places (the next day's report), a notice
    /// filled in anew more than 3 days after (by the `date`s: a figure or date changed),
    /// notices that differ only in a name, a price raised against one cut, a word against
    /// its negation between the same words ("indirect supply", "direct supply"), a
    /// market's reports of other hours (a heading's MIDDAY against CLOSING, 1100 against
    /// 1230), two flashes opening with other names (SUN RAISES CRUDE POSTINGS, PHILLIPS
    /// RAISES ...), nor two short texts below Jaccard 0.5. Clusters keep two texts whose figures conflict apart, even
    /// through a third that matches both. `auto`: max(5, documents / 4000); `off` to count
    /// every shingle alike and compare no figures (to clean a corpus of templated items).
    /// An index records the rule and keeps each document's figures, so that `query`
    /// decides the same way. See docs/design.md.
    #[arg(
        long,
        default_value = "auto",
        value_name = "N",
        help_heading = "Similarity"
    )]
    pub template_df: String,

    /// MinHash slots per signature.
    #[arg(long, default_value_t = 128, help_heading = "Sketch and index")]
    pub num_perm: usize,
    /// Seed of the hash functions: the same seed gives the same output.
    #[arg(long, default_value_t = 42, help_heading = "Sketch and index")]
    pub seed: u64,
    /// The sketch: `oph` (one-permutation hashing with optimal densification, one hash per
    /// shingle), `classic` (k-permutation MinHash) or `cminhash` (C-MinHash). Indexes
    /// record it; signatures of different sketches never mix.
    #[arg(
        long,
        default_value = "oph",
        value_name = "KIND",
        help_heading = "Sketch and index"
    )]
    pub sketch: String,
    /// LSH bands (with --rows); by default chosen so that a pair at the threshold is a
    /// candidate with probability >= 0.95.
    #[arg(long, requires = "rows", help_heading = "Sketch and index")]
    pub bands: Option<usize>,
    /// LSH rows per band (with --bands).
    #[arg(long, requires = "bands", help_heading = "Sketch and index")]
    pub rows: Option<usize>,
    /// Split an LSH bucket of more than N documents by the next band's key: documents
    /// that share a band only through common phrases stop pairing with every other such
    /// document (0 = never split; see docs/design.md).
    #[arg(
        long,
        default_value_t = neardup::lsh::DEFAULT_BUCKET_CAP,
        value_name = "N",
        help_heading = "Sketch and index"
    )]
    pub bucket_cap: u32,
    /// Walk an LSH bucket of more than N documents (after splitting: one text copied
    /// thousands of times, a passage thousands of documents share) in a window: each
    /// document meets only its 100 neighbours in signature order, so time and memory grow
    /// with the bucket, not its square; clusters stay whole, the pair list holds a window
    /// of such a bucket's pairs (0 = no limit).
    #[arg(
        long,
        default_value_t = neardup::lsh::DEFAULT_MAX_BUCKET,
        value_name = "N",
        help_heading = "Sketch and index"
    )]
    pub max_bucket: u32,
    /// Print the chosen bands x rows and the candidate probability at several similarities
    /// (to stdout and exit when no input is given, else to stderr before running).
    #[arg(long, help_heading = "Sketch and index")]
    pub explain: bool,
}

/// Output and execution.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Write the output to this file (atomically: a temporary file renamed into place).
    #[arg(short, long, help_heading = "Output")]
    pub output: Option<PathBuf>,
    /// Worker threads (default: all cores; at most 1024).
    #[arg(long, help_heading = "Output")]
    pub threads: Option<usize>,
    /// No progress bar or summary on stderr.
    #[arg(short, long, help_heading = "Output")]
    pub quiet: bool,
}
