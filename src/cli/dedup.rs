//! `neardup dedup`: the input minus its copies, in the input's own format.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::{Context, Result, bail};
use neardup::{Input, InputFormat, Keep};

use super::args::DedupArgs;
use super::output::{write_output, write_output_raw, write_output_send};
use super::render;

/// Runs `dedup`; always `Ok(true)` when it succeeds (dropping nothing is not a failure).
pub fn run(a: DedupArgs) -> Result<bool> {
    // Settings are checked before any file is looked at.
    super::pipeline(&a.sim)?;
    let mut inputs = super::inputs(&a.input)?;
    let txt = |f: InputFormat| matches!(f, InputFormat::Txt | InputFormat::Raw);
    let first = inputs[0].format;
    if let Some(other) = inputs
        .iter()
        .find(|i| txt(i.format) != txt(first) || (!txt(first) && i.format != first))
    {
        bail!(
            "dedup writes its inputs' format, and {} is {} while {} is {}: deduplicate them \
             separately, or convert one",
            inputs[0].path.display(),
            format_name(first),
            other.path.display(),
            format_name(other.format)
        );
    }
    if let Some(files) = super::sketch_stage(&inputs)? {
        bail!(
            "{} is a sketch stage: it holds no records to write; run dedup on the input the \
             stage was made from (`neardup cluster` on the stage gives the same decisions)",
            files[0].display()
        );
    }
    let folder = txt(first);
    if folder {
        if let Some(stdin) = inputs.iter().find(|i| i.path.as_os_str() == "-") {
            bail!(
                "{}: standard input as {} is one document, with nothing to \
                 deduplicate it against: give the .txt files or their folder",
                stdin.path.display(),
                format_name(stdin.format)
            );
        }
        check_folder_output(a.run.output.as_deref())?;
    }
    // Standard input is read twice (once to find the copies, once to copy what is kept),
    // so it is saved to a temporary file first.
    let _spooled = spool_stdin(&mut inputs)?;
    let stamps = inputs
        .iter()
        .map(|i| stamp(&i.path))
        .collect::<Result<Vec<_>>>()?;

    let Some(mut run) = super::execute_inputs(inputs.clone(), &a.input, &a.sim, &a.run)? else {
        return Ok(true);
    };
    // Clusters and copying need only the pairs and the metadata: the shingle sets,
    // signatures and template counts (most of the memory) go first.
    run.corpus.sets = Default::default();
    run.corpus.templates = None;
    run.corpus.signatures =
        neardup::SignatureMatrix::from_flat(run.corpus.signatures.params(), Vec::new())?;
    let n = run.corpus.docs.len();
    let clusters = neardup::build_clusters(n, &run.found.pairs, &run.found.apart, false);
    let keep_rule = Keep::from(a.keep);
    let keep = keep_rule.kept(n, &run.corpus.docs, &clusters);
    let corpus = &run.corpus;

    for (input, before) in inputs.iter().zip(&stamps) {
        if stamp(&input.path)? != *before {
            bail!(
                "{}: the input changed while it was being deduplicated; run again",
                input.path.display()
            );
        }
    }
    // The inputs as the corpus numbers them (an input without documents has no number).
    let numbered: Vec<Input> = corpus
        .inputs
        .iter()
        .map(|p| {
            inputs
                .iter()
                .find(|i| &i.path == p)
                .cloned()
                .with_context(|| format!("{}: not among the inputs", p.display()))
        })
        .collect::<Result<_>>()?;

    let out = a.run.output.as_deref();
    let written = if folder {
        let dir = out.context("dedup of .txt inputs writes a folder: give -o FOLDER")?;
        write_folder(dir, &numbered, &corpus.docs, &keep)?
    } else if first == InputFormat::Parquet {
        let mut written = 0;
        write_output_send(out, |w| {
            written = neardup::corpus::copy_parquet_rows(&numbered, &corpus.docs, &keep, w)
                .map_err(std::io::Error::other)?;
            Ok(())
        })?;
        written
    } else {
        let mut written = 0;
        // An error leaves no output behind (the temporary file is not committed).
        // Records byte for byte, as they were.
        write_output_raw(out, |w| {
            written = neardup::corpus::copy_records(&numbered, &corpus.docs, &keep, w)
                .map_err(std::io::Error::other)?;
            Ok(())
        })?;
        written
    };
    let dropped_path = a.dropped.clone().or_else(|| out.map(sidecar_path));
    if let Some(path) = &dropped_path {
        write_output(Some(path), |w| {
            render::write_dropped(w, corpus, &clusters, &keep)
        })?;
    }
    if !a.run.quiet {
        let in_clusters = clusters.iter().filter(|c| c.members.len() > 1).count();
        eprintln!(
            "neardup: kept {written} of {}; dropped {} in {} (--keep {}){}{}",
            render::plural(n, "document"),
            render::plural(n - written as usize, "copy"),
            render::plural(in_clusters, "cluster"),
            keep_rule,
            out.map_or(String::new(), |o| format!(" -> {}", o.display())),
            dropped_path
                .as_ref()
                .map_or(String::new(), |d| format!(" (dropped: {})", d.display()))
        );
    }
    Ok(true)
}

fn format_name(f: InputFormat) -> &'static str {
    match f {
        InputFormat::Jsonl => "JSONL",
        InputFormat::Csv => "CSV",
        InputFormat::Txt | InputFormat::Raw => ".txt",
        InputFormat::Parquet => "Parquet",
    }
}

/// `OUT.dropped.jsonl`, next to `OUT`.
fn sidecar_path(out: &Path) -> PathBuf {
    let mut name = out
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".dropped.jsonl");
    out.with_file_name(name)
}

/// A folder output must be given and must not hold anything yet.
fn check_folder_output(out: Option<&Path>) -> Result<()> {
    let Some(dir) = out else {
        bail!("dedup of .txt inputs writes a folder: give -o FOLDER");
    };
    if dir.exists() {
        let empty = dir.is_dir()
            && std::fs::read_dir(dir)
                .with_context(|| format!("{}: cannot read the folder", dir.display()))?
                .next()
                .is_none();
        if !empty {
            bail!(
                "{}: already exists; dedup writes a new folder (remove it or choose another)",
                dir.display()
            );
        }
    }
    Ok(())
}

/// Copies the kept files into a temporary folder beside `dir`, then renames it into place.
fn write_folder(
    dir: &Path,
    inputs: &[Input],
    docs: &[neardup::DocMeta],
    keep: &[bool],
) -> Result<u64> {
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".neardup-dedup-")
        .tempdir_in(parent)
        .with_context(|| {
            format!(
                "{}: cannot create a folder in {}",
                dir.display(),
                parent.display()
            )
        })?;
    let written = neardup::corpus::copy_files(inputs, docs, keep, tmp.path())?;
    let tmp = tmp.keep();
    std::fs::rename(&tmp, dir)
        .with_context(|| format!("{}: cannot move the folder into place", dir.display()))?;
    Ok(written)
}

/// Replaces each input that can be read only once (`-`, a pipe such as `/dev/stdin` or
/// `<(cat f)`) by a temporary file holding what it gave; the files live as long as the
/// returned handles.
pub(super) fn spool_stdin(inputs: &mut [Input]) -> Result<Vec<tempfile::TempPath>> {
    let mut spooled = Vec::new();
    for input in inputs.iter_mut() {
        let stdin = input.path.as_os_str() == "-";
        let pipe =
            !stdin && std::fs::metadata(&input.path).is_ok_and(|m| !m.is_file() && !m.is_dir());
        if !stdin && !pipe {
            continue;
        }
        let mut file = tempfile::Builder::new()
            .prefix("neardup-stdin-")
            .tempfile()
            .context("cannot create a temporary file for standard input")?;
        {
            let mut w = BufWriter::new(file.as_file_mut());
            if stdin {
                std::io::copy(&mut std::io::stdin().lock(), &mut w)
                    .context("reading standard input")?;
            } else {
                let mut r = std::fs::File::open(&input.path)
                    .with_context(|| format!("{}: cannot read", input.path.display()))?;
                std::io::copy(&mut r, &mut w)
                    .with_context(|| format!("{}: cannot read", input.path.display()))?;
            }
            w.flush().context("saving standard input")?;
        }
        let path = file.into_temp_path();
        input.path = path.to_path_buf();
        spooled.push(path);
    }
    Ok(spooled)
}

/// What tells whether a file changed: its length and modification time.
fn stamp(path: &Path) -> Result<Vec<(PathBuf, u64, Option<SystemTime>)>> {
    let meta = |p: &Path| -> Result<(PathBuf, u64, Option<SystemTime>)> {
        let m = std::fs::metadata(p).with_context(|| format!("{}: cannot read", p.display()))?;
        Ok((p.to_owned(), m.len(), m.modified().ok()))
    };
    if path.is_dir() {
        let mut out = Vec::new();
        for e in walkdir::WalkDir::new(path).sort_by_file_name() {
            let e = e.with_context(|| format!("{}: cannot read", path.display()))?;
            if e.file_type().is_file() {
                out.push(meta(e.path())?);
            }
        }
        Ok(out)
    } else {
        Ok(vec![meta(path)?])
    }
}
