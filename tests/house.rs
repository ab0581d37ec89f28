//! The library's structure, checked: each module imports only modules below it, every
//! `impl` of a type lives in the module that defines it (the `Pipeline`'s in one file),
//! threads only in the orchestration layer, and one file per index concept.
//!
//! Reads the source under `src/` (test modules excluded, since tests may build fixtures
//! with higher layers).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Modules from the bottom up; a module may import those on a lower floor only.
const FLOORS: &[(&str, u32)] = &[
    ("error", 0),
    ("output", 1),
    ("corpus", 1),
    ("text", 1),
    ("shingle", 2),
    ("table", 2),
    ("minhash", 3),
    ("tfidf", 3),
    ("lsh", 4),
    ("cluster", 4),
    ("store", 5),
    ("report", 5),
    ("pipeline", 6),
];

fn floor(module: &str) -> u32 {
    FLOORS
        .iter()
        .find(|(m, _)| *m == module)
        .unwrap_or_else(|| panic!("module {module} has no floor in tests/house.rs"))
        .1
}

/// Every library source file (not the binary's `cli/`), with its code before any
/// `#[cfg(test)]`.
fn sources() -> Vec<(PathBuf, String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .filter_map(|p| {
            let rel = p.strip_prefix(&src).unwrap().to_path_buf();
            let top = rel.components().next()?.as_os_str().to_str()?.to_string();
            let module = top.trim_end_matches(".rs").to_string();
            if ["cli", "main", "lib"].contains(&module.as_str()) {
                return None;
            }
            let text = fs::read_to_string(&p).unwrap();
            let code = match text.find("#[cfg(test)]") {
                Some(i) => text[..i].to_string(),
                None => text,
            };
            Some((rel, module, code))
        })
        .collect()
}

#[test]
fn no_module_imports_a_module_above_it() {
    let mut wrong = Vec::new();
    for (file, module, code) in sources() {
        let own = floor(&module);
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            let dep: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if dep.is_empty() || dep == module {
                continue;
            }
            if floor(&dep) >= own {
                wrong.push(format!("{}: {module} uses {dep}", file.display()));
            }
        }
    }
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "imports that go up:\n{}",
        wrong.join("\n")
    );
}

/// The type names an `impl` line is for: `impl X`, `impl<..> X<..>`, `impl T for X`.
fn impl_target(line: &str) -> Option<String> {
    let line = line.trim_start();
    let rest = line.strip_prefix("impl")?;
    if !(rest.starts_with(' ') || rest.starts_with('<')) {
        return None;
    }
    let rest = if rest.starts_with('<') {
        let mut depth = 0;
        let end = rest.char_indices().find_map(|(i, c)| {
            match c {
                '<' => depth += 1,
                '>' => depth -= 1,
                _ => {}
            }
            (depth == 0).then_some(i)
        })?;
        &rest[end + 1..]
    } else {
        rest
    };
    let rest = rest.split(" where").next()?.trim_end_matches('{').trim();
    let target = match rest.rsplit_once(" for ") {
        Some((_, t)) => t,
        None => rest,
    };
    let name: String = target
        .trim()
        .trim_start_matches('&')
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

#[test]
fn every_impl_lives_with_its_type() {
    let files = sources();
    let mut home: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
    for (file, module, code) in &files {
        for line in code.lines() {
            let l = line.trim_start();
            for kw in [
                "pub struct ",
                "pub enum ",
                "pub trait ",
                "pub(crate) struct ",
                "struct ",
                "enum ",
            ] {
                if let Some(rest) = l.strip_prefix(kw) {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    home.entry(name).or_insert((module.clone(), file.clone()));
                }
            }
        }
    }
    let mut wrong = Vec::new();
    let mut pipeline_files = Vec::new();
    for (file, module, code) in &files {
        for line in code.lines().filter(|l| l.starts_with("impl")) {
            let Some(name) = impl_target(line) else {
                continue;
            };
            if name == "Pipeline" {
                pipeline_files.push(file.clone());
            }
            if let Some((m, f)) = home.get(&name)
                && m != module
            {
                wrong.push(format!(
                    "{}: `{}` is defined in {}",
                    file.display(),
                    line.trim(),
                    f.display()
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "impls away from their type:\n{}",
        wrong.join("\n")
    );
    pipeline_files.dedup();
    assert_eq!(
        pipeline_files,
        vec![PathBuf::from("pipeline").join("config.rs")],
        "Pipeline's impl blocks"
    );
}

#[test]
fn threads_only_in_the_pipeline_and_one_file_per_index_concept() {
    let mut index_files = Vec::new();
    for (file, module, code) in sources() {
        if code.contains("rayon") || code.contains("std::thread") {
            assert_eq!(module, "pipeline", "{} spawns work", file.display());
        }
        if file.file_name().is_some_and(|n| n == "index.rs") {
            index_files.push(file);
        }
    }
    assert_eq!(index_files, vec![PathBuf::from("store").join("index.rs")]);
}

#[test]
fn the_impl_target_parser_reads_the_forms_in_use() {
    assert_eq!(impl_target("impl Pipeline {").as_deref(), Some("Pipeline"));
    assert_eq!(
        impl_target("impl<'a> Searcher<'a> {").as_deref(),
        Some("Searcher")
    );
    assert_eq!(
        impl_target("impl<T: Copy> Iterator for Rows<'_, T> where T: Send {").as_deref(),
        Some("Rows")
    );
    assert_eq!(
        impl_target("impl std::fmt::Display for Location {").as_deref(),
        Some("Location")
    );
    assert_eq!(impl_target("implements(x)"), None);
}
