//! The library's structure, checked: each module imports only modules below it, no two
//! files (of the library or the binary) import each other directly or round a circle,
//! every `impl` of a type lives in the module that defines it (the `Pipeline`'s in one
//! file), threads only in the orchestration layer, and one file per index concept.
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

/// A module's path from its crate root (`["cluster", "figures"]`).
type ModPath = Vec<String>;

/// Whether an item carries `#[cfg(test)]`.
fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg") && a.parse_args::<syn::Ident>().is_ok_and(|i| i == "test")
    })
}

/// The attributes of an item of the kinds a module holds.
fn attrs_of(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// Every path a file's code names, test items left out: each `use` declaration's paths
/// (`use super::{a::b, c}` is `super::a::b` and `super::c`) and every path in its code.
#[derive(Default)]
struct Paths(Vec<Vec<String>>);

impl Paths {
    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                let mut path = prefix.clone();
                if n.ident != "self" {
                    path.push(n.ident.to_string());
                }
                self.0.push(path);
            }
            syn::UseTree::Rename(r) => {
                let mut path = prefix.clone();
                path.push(r.ident.to_string());
                self.0.push(path);
            }
            syn::UseTree::Glob(_) => self.0.push(prefix.clone()),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(prefix, t);
                }
            }
        }
    }
}

impl<'ast> syn::visit::Visit<'ast> for Paths {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        if !is_test(attrs_of(item)) {
            syn::visit::visit_item(self, item);
        }
    }
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &item.tree);
    }
    fn visit_path(&mut self, path: &'ast syn::Path) {
        self.0
            .push(path.segments.iter().map(|s| s.ident.to_string()).collect());
        syn::visit::visit_path(self, path);
    }
}

/// The modules of the crate whose root is `root` (`src/lib.rs`), each with its file and
/// whether it is a front door (the root or a `mod.rs`, which declares and re-exports
/// the files of its folder), found through their `mod` declarations.
fn crate_modules(root: &Path) -> BTreeMap<ModPath, (PathBuf, syn::File, bool)> {
    let mut found = BTreeMap::new();
    let mut todo = vec![(ModPath::new(), root.to_path_buf())];
    while let Some((path, file)) = todo.pop() {
        let text = fs::read_to_string(&file).unwrap();
        let ast = syn::parse_file(&text)
            .unwrap_or_else(|e| panic!("{}: cannot parse: {e}", file.display()));
        let name = file.file_name().unwrap().to_str().unwrap();
        let front = ["lib.rs", "main.rs", "mod.rs"].contains(&name);
        let folder = if front {
            file.parent().unwrap().to_path_buf()
        } else {
            file.with_extension("")
        };
        for item in &ast.items {
            if let syn::Item::Mod(m) = item
                && m.content.is_none()
                && !is_test(&m.attrs)
            {
                let child = m.ident.to_string();
                let flat = folder.join(format!("{child}.rs"));
                let nested = folder.join(&child).join("mod.rs");
                let file = if flat.exists() { flat } else { nested };
                let mut p = path.clone();
                p.push(child);
                todo.push((p, file));
            }
        }
        found.insert(path, (file, ast, front));
    }
    found
}

/// Which module's file takes names from which other module's file: a path from `crate`,
/// `super` or `self` resolved to the deepest module it names. Paths into a front door, and
/// from a front door into its own folder, are left out.
fn file_imports(
    modules: &BTreeMap<ModPath, (PathBuf, syn::File, bool)>,
) -> BTreeMap<ModPath, Vec<ModPath>> {
    use syn::visit::Visit;
    let mut edges: BTreeMap<ModPath, Vec<ModPath>> = BTreeMap::new();
    for (here, (_, ast, front)) in modules {
        let mut paths = Paths::default();
        paths.visit_file(ast);
        let mut out = Vec::new();
        for path in paths.0 {
            let (mut at, mut rest) = match path.first().map(String::as_str) {
                Some("crate") => (ModPath::new(), &path[1..]),
                Some("super" | "self") => (here.clone(), &path[..]),
                _ => continue,
            };
            while let Some(step) = rest.first().map(String::as_str) {
                match step {
                    "super" => {
                        at.pop();
                    }
                    "self" => {}
                    _ => break,
                }
                rest = &rest[1..];
            }
            for seg in rest {
                at.push(seg.clone());
                if !modules.contains_key(&at) {
                    at.pop();
                    break;
                }
            }
            let into_front = modules.get(&at).is_some_and(|m| m.2);
            if at == *here || into_front || (*front && at.starts_with(here)) {
                continue;
            }
            out.push(at);
        }
        out.sort();
        out.dedup();
        edges.insert(here.clone(), out);
    }
    edges
}

/// The groups of more than one node that reach each other (Tarjan's strongly connected
/// components), each sorted.
fn circles(edges: &BTreeMap<ModPath, Vec<ModPath>>) -> Vec<Vec<ModPath>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<ModPath, Vec<ModPath>>,
        index: BTreeMap<&'a ModPath, (usize, usize)>,
        stack: Vec<&'a ModPath>,
        out: Vec<Vec<ModPath>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a ModPath) {
            let n = self.index.len();
            self.index.insert(v, (n, n));
            self.stack.push(v);
            for w in self.edges.get(v).into_iter().flatten() {
                match self.index.get(w) {
                    None => {
                        self.visit(w);
                        let low = self.index[w].1.min(self.index[v].1);
                        self.index.get_mut(v).unwrap().1 = low;
                    }
                    Some(&(wi, _)) if self.stack.contains(&w) => {
                        let low = wi.min(self.index[v].1);
                        self.index.get_mut(v).unwrap().1 = low;
                    }
                    Some(_) => {}
                }
            }
            let (vi, low) = self.index[v];
            if vi == low {
                let at = self.stack.iter().rposition(|&x| x == v).unwrap();
                let mut group: Vec<ModPath> = self.stack.drain(at..).cloned().collect();
                if group.len() > 1 {
                    group.sort();
                    self.out.push(group);
                }
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        stack: Vec::new(),
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !walk.index.contains_key(v) {
            walk.visit(v);
        }
    }
    walk.out
}

#[test]
fn no_two_files_import_each_other_round_a_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for root in ["lib.rs", "main.rs"] {
        let modules = crate_modules(&src.join(root));
        assert!(modules.len() > 1, "{root} declares no module");
        let edges = file_imports(&modules);
        for group in circles(&edges) {
            let file = |m: &ModPath| {
                modules[m]
                    .0
                    .strip_prefix(&src)
                    .unwrap()
                    .display()
                    .to_string()
            };
            let mut lines = vec![format!(
                "circle: {}",
                group.iter().map(file).collect::<Vec<_>>().join(", ")
            )];
            for a in &group {
                for b in edges[a].iter().filter(|b| group.contains(b)) {
                    lines.push(format!("  {} -> {}", file(a), file(b)));
                }
            }
            found.push(lines.join("\n"));
        }
    }
    assert!(
        found.is_empty(),
        "files that import each other:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_import_reader_resolves_paths_and_finds_circles() {
    let dir = std::env::temp_dir().join(format!("neardup-house-{}", std::process::id()));
    let write = |rel: &str, text: &str| {
        let p = dir.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    };
    write("lib.rs", "mod a;\nmod b;\nmod c;\npub use a::A;\n");
    write("a/mod.rs", "mod x;\nmod y;\npub use x::X;\npub struct A;\n");
    // `y` reaches `x` by a grouped, renamed `use`; `x` reaches `y` by a path in code.
    write("a/x.rs", "pub struct X;\nfn f() { super::y::g(); }\n");
    write("a/y.rs", "use super::{x::{X as Z}, A};\npub fn g() {}\n");
    // `b` uses `c` in a test module only, and the front door `a` (not counted).
    write(
        "b.rs",
        "use crate::a::A;\n#[cfg(test)]\nmod tests { use crate::c::C; }\n",
    );
    write("c.rs", "pub struct C;\nfn h() -> crate::b::B { todo!() }\n");
    let modules = crate_modules(&dir.join("lib.rs"));
    let edges = file_imports(&modules);
    fs::remove_dir_all(&dir).unwrap();
    let m = |s: &str| s.split('/').map(String::from).collect::<ModPath>();
    assert_eq!(edges[&m("a/x")], vec![m("a/y")]);
    assert_eq!(edges[&m("a/y")], vec![m("a/x")]);
    assert!(edges[&m("b")].is_empty(), "{:?}", edges[&m("b")]);
    assert_eq!(edges[&m("c")], vec![m("b")]);
    assert_eq!(circles(&edges), vec![vec![m("a/x"), m("a/y")]]);
}
