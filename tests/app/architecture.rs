//! The shape of `src/`: layers use only the layers below them, no two modules use each other
//! (directly or round a circle), and no file grows far beyond 800 lines.
//!
//! Reads the source as text: every `use` tree and every `crate::`, `super::` and `self::` path
//! (and a path through a child module a file declares) outside `#[cfg(test)]` code is an edge
//! from the file's module to the module the path names. A module and its own descendants may
//! use each other (a parent declares its children and re-exports them; children share what the
//! parent defines); between any two modules where neither contains the other, the edges are
//! lifted to the children of their nearest common parent, and those must form no circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Which top-level modules each top-level module may use (`main.rs` is outside the library).
const LAYERS: &[(&str, &[&str])] = &[
    ("config", &[]),
    ("domain", &[]),
    ("store", &["domain"]),
    ("export", &["domain", "store"]),
    ("demo", &["domain", "store"]),
    ("web", &["config", "domain", "store", "export"]),
];

/// No file in src/ goes beyond this.
const MAX_LINES: usize = 800;

type Module = Vec<String>;

struct Source {
    module: Module,
    text: String,
    children: BTreeSet<String>,
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read src")
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/store/activities/write.rs` -> `["store", "activities", "write"]`; `lib.rs` -> `[]`.
fn module_of(path: &Path) -> Option<Module> {
    let rel = path.strip_prefix(src_dir()).ok()?;
    let mut parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    match parts.last().map(String::as_str) {
        Some("main") if parts.len() == 1 => return None,
        Some("lib") if parts.len() == 1 => parts.clear(),
        Some("mod") => {
            parts.pop();
        }
        _ => {}
    }
    Some(parts)
}

/// The text without comments and without the items under `#[cfg(test)]`.
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut skip_depth: Option<i32> = None;
    let mut pending_test = false;
    for line in text.lines() {
        let line = match line.find("//") {
            Some(i) if !line[..i].contains('"') => &line[..i],
            _ => line,
        };
        let trimmed = line.trim();
        if let Some(depth) = skip_depth.as_mut() {
            *depth += line.matches('{').count() as i32 - line.matches('}').count() as i32;
            if *depth <= 0 && (trimmed.ends_with('}') || trimmed.ends_with(';')) {
                skip_depth = None;
            }
            continue;
        }
        if trimmed == "#[cfg(test)]" {
            pending_test = true;
            continue;
        }
        if pending_test {
            pending_test = false;
            let depth = line.matches('{').count() as i32 - line.matches('}').count() as i32;
            if depth > 0 {
                skip_depth = Some(depth);
            }
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The child modules a file declares (`mod x;`), without those only compiled for tests.
fn declared_children(text: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut children = BTreeSet::new();
    let mut test_only = BTreeSet::new();
    let mut after_cfg_test = false;
    for line in text.lines() {
        let t = line.trim();
        if t == "#[cfg(test)]" {
            after_cfg_test = true;
            continue;
        }
        let decl = t
            .trim_start_matches("pub(crate) ")
            .trim_start_matches("pub(super) ")
            .trim_start_matches("pub ");
        if let Some(name) = decl.strip_prefix("mod ").and_then(|r| r.strip_suffix(';')) {
            if after_cfg_test {
                test_only.insert(name.trim().to_owned());
            } else {
                children.insert(name.trim().to_owned());
            }
        }
        after_cfg_test = false;
    }
    (children, test_only)
}

/// Expands a `use` tree (`a::{b, c::{d, e as f}}`) into its paths.
fn expand(tree: &str) -> Vec<String> {
    let tree = tree.trim();
    let Some(open) = tree.find('{') else {
        let path = tree.split(" as ").next().unwrap_or(tree).trim();
        return vec![path.to_owned()];
    };
    let base = tree[..open].trim().trim_end_matches("::").to_owned();
    let close = tree.rfind('}').filter(|c| *c > open).unwrap_or(tree.len());
    let inner = &tree[open + 1..close];
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    let mut out = Vec::new();
    for item in items.into_iter().filter(|i| !i.trim().is_empty()) {
        for path in expand(item) {
            if path == "self" {
                out.push(base.clone());
            } else if base.is_empty() {
                out.push(path);
            } else {
                out.push(format!("{base}::{path}"));
            }
        }
    }
    out
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Every path a file's code names: its `use` trees and the paths written in its code.
fn paths_in(code: &str, children: &BTreeSet<String>) -> Vec<String> {
    let mut out = Vec::new();
    // `use` declarations, which may span lines.
    let mut rest = code;
    while let Some(i) = rest.find("use ") {
        let starts_word = rest[..i]
            .chars()
            .last()
            .is_none_or(|c| !is_ident_char(c) && c != ':');
        let after = &rest[i + 4..];
        match after.find(';') {
            Some(end) if starts_word => {
                out.extend(expand(&after[..end]));
                rest = &after[end + 1..];
            }
            _ => rest = after,
        }
    }
    // Paths in the code: `crate::a::b`, `super::a`, `self::a`, or through a child module.
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if is_ident_char(chars[i])
            && (i == 0 || !(is_ident_char(chars[i - 1]) || chars[i - 1] == ':'))
        {
            let mut j = i;
            let mut path = String::new();
            loop {
                let s = j;
                while j < chars.len() && is_ident_char(chars[j]) {
                    j += 1;
                }
                path.extend(&chars[s..j]);
                if j + 2 < chars.len()
                    && chars[j] == ':'
                    && chars[j + 1] == ':'
                    && is_ident_char(chars[j + 2])
                {
                    path.push_str("::");
                    j += 2;
                } else {
                    break;
                }
            }
            let first = path.split("::").next().unwrap_or("");
            if path.contains("::")
                && (matches!(first, "crate" | "super" | "self") || children.contains(first))
            {
                out.push(path);
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// The module a path names, from the module `from` (the longest known module prefix).
fn resolve(
    from: &Module,
    path: &str,
    known: &BTreeSet<Module>,
    children: &BTreeSet<String>,
) -> Option<Module> {
    let segments: Vec<&str> = path.split("::").collect();
    let mut target: Module = match segments.first().copied() {
        Some("crate") => Vec::new(),
        Some("super") | Some("self") => from.clone(),
        Some(first) if children.contains(first) => from.clone(),
        _ => return None,
    };
    let mut rest = &segments[..];
    if rest.first() == Some(&"crate") || rest.first() == Some(&"self") {
        rest = &rest[1..];
    }
    while rest.first() == Some(&"super") {
        target.pop();
        rest = &rest[1..];
    }
    for s in rest {
        target.push((*s).to_owned());
    }
    while !target.is_empty() && !known.contains(&target) {
        target.pop();
    }
    if target.is_empty() {
        None
    } else {
        Some(target)
    }
}

fn sources() -> Vec<Source> {
    let mut files = Vec::new();
    rust_files(&src_dir(), &mut files);
    let mut out = Vec::new();
    let mut test_only: BTreeSet<Module> = BTreeSet::new();
    for path in files {
        let Some(module) = module_of(&path) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).expect("read source");
        let (children, tests) = declared_children(&text);
        for t in tests {
            let mut m = module.clone();
            m.push(t);
            test_only.insert(m);
        }
        out.push(Source {
            module,
            text,
            children,
        });
    }
    out.retain(|s| !test_only.iter().any(|t| s.module.starts_with(t)));
    out
}

/// Edges between modules, neither containing the other, with the paths that make them.
fn edges(sources: &[Source]) -> BTreeMap<(Module, Module), String> {
    let known: BTreeSet<Module> = sources.iter().map(|s| s.module.clone()).collect();
    let mut out = BTreeMap::new();
    for s in sources {
        let code = code_of(&s.text);
        for path in paths_in(&code, &s.children) {
            let Some(to) = resolve(&s.module, &path, &known, &s.children) else {
                continue;
            };
            if to.starts_with(&s.module) || s.module.starts_with(&to) {
                continue;
            }
            out.entry((s.module.clone(), to)).or_insert(path);
        }
    }
    out
}

fn name(m: &[String]) -> String {
    m.join("::")
}

/// A circle in `graph`, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(node.to_owned(), 1);
        stack.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next.as_str()).copied().unwrap_or(0) {
                1 => {
                    let at = stack.iter().position(|n| n == next).unwrap_or(0);
                    let mut cycle = stack[at..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(next, graph, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(node.to_owned(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if state.get(node).copied().unwrap_or(0) == 0 {
            let mut stack = Vec::new();
            if let Some(c) = visit(node, graph, &mut state, &mut stack) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn no_two_modules_use_each_other_directly_or_round_a_circle() {
    let sources = sources();
    assert!(sources.len() > 40, "read {} files of src/", sources.len());
    let edges = edges(&sources);
    // One graph per parent: its children, with every edge between their descendants lifted.
    let mut graphs: BTreeMap<Module, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (from, to) in edges.keys() {
        let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
        let parent = from[..common].to_vec();
        graphs
            .entry(parent)
            .or_default()
            .entry(from[common].clone())
            .or_default()
            .insert(to[common].clone());
    }
    let mut circles = Vec::new();
    for (parent, graph) in &graphs {
        if let Some(cycle) = find_cycle(graph) {
            let witnesses: Vec<String> = edges
                .iter()
                .filter(|((f, t), _)| {
                    f.len() > parent.len()
                        && t.len() > parent.len()
                        && f.starts_with(parent)
                        && t.starts_with(parent)
                        && cycle
                            .windows(2)
                            .any(|w| f[parent.len()] == w[0] && t[parent.len()] == w[1])
                })
                .map(|((f, t), p)| format!("    {} -> {} ({p})", name(f), name(t)))
                .collect();
            circles.push(format!(
                "in `{}`: {}\n{}",
                if parent.is_empty() {
                    "crate".to_owned()
                } else {
                    name(parent)
                },
                cycle.join(" -> "),
                witnesses.join("\n")
            ));
        }
    }
    assert!(
        circles.is_empty(),
        "modules in a circle:\n{}",
        circles.join("\n")
    );
}

#[test]
fn each_layer_uses_only_the_layers_below_it() {
    let sources = sources();
    let allowed: BTreeMap<&str, &[&str]> = LAYERS.iter().copied().collect();
    let mut wrong = Vec::new();
    for s in &sources {
        if let Some(top) = s.module.first() {
            assert!(
                allowed.contains_key(top.as_str()),
                "`{top}` is not in the table of layers (tests/app/architecture.rs)"
            );
        }
    }
    for ((from, to), path) in edges(&sources) {
        let (Some(f), Some(t)) = (from.first(), to.first()) else {
            continue;
        };
        if f != t && !allowed[f.as_str()].contains(&t.as_str()) {
            wrong.push(format!("{} uses {} ({path})", name(&from), name(&to)));
        }
    }
    assert!(
        wrong.is_empty(),
        "uses across layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_reader_finds_the_edges_it_must() {
    let children: BTreeSet<String> = ["file".to_owned()].into();
    let code = code_of(
        "use super::{a::{self, B}, c as d};\nuse crate::store::x::Y;\nfn f() { file::go(); crate::web::z(); }\n\
         // use crate::commented::Out;\n#[cfg(test)]\nmod tests {\n    use crate::web::Only;\n}\n",
    );
    let paths = paths_in(&code, &children);
    for expected in [
        "super::a",
        "super::a::B",
        "super::c",
        "crate::store::x::Y",
        "file::go",
        "crate::web::z",
    ] {
        assert!(
            paths.iter().any(|p| p == expected),
            "{expected} not in {paths:?}"
        );
    }
    assert!(
        !paths
            .iter()
            .any(|p| p.contains("commented") || p.contains("Only")),
        "{paths:?}"
    );
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a".to_owned(), ["b".to_owned()].into()),
        ("b".to_owned(), ["a".to_owned()].into()),
    ]
    .into();
    assert!(find_cycle(&graph).is_some());
}

#[test]
fn no_file_in_src_is_far_beyond_800_lines() {
    let mut files = Vec::new();
    rust_files(&src_dir(), &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|p| {
            let n = std::fs::read_to_string(p).ok()?.lines().count();
            (n > MAX_LINES).then(|| format!("{} ({n} lines)", p.display()))
        })
        .collect();
    assert!(long.is_empty(), "files to split: {long:?}");
}
