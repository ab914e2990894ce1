//! The layers of the tree, checked: each top-level module imports only the ones below it, so there is no cycle

/// Bottom to top: each module may use the ones listed with it, and nothing above it.
const LAYERS: &[(&str, &[&str])] = &[
    ("ident", &[]),
    ("faults", &[]),
    ("error", &[]),
    ("sqlite", &["error", "ident"]),
    ("translate", &["sqlite", "error", "ident"]),
    ("report", &["sqlite", "translate", "error"]),
    ("postgres", &["report", "translate", "sqlite", "error", "ident"]),
    ("config", &["postgres", "translate", "sqlite", "error", "ident"]),
    ("load", &["config", "postgres", "report", "translate", "sqlite", "error", "ident", "faults"]),
    ("fleet", &["load", "config", "postgres", "report", "translate", "sqlite", "error", "ident", "faults"]),
];

/// Every `crate::<module>` a file names, in code or docs.
fn uses(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a, b::c}`: each item's first name
            let end = group.find('}').unwrap_or(group.len());
            found.extend(group[..end].split(',').map(|item| first_name(item.trim())).filter(|n| !n.is_empty()));
        } else {
            let name = first_name(rest);
            if !name.is_empty() {
                found.push(name);
            }
        }
    }
    found
}

fn first_name(text: &str) -> String {
    text.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
}

fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn each_top_level_module_imports_only_the_layers_below_it() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut wrong = Vec::new();
    for path in all {
        let relative = path.strip_prefix(&src).expect("under src");
        let top = relative.iter().next().and_then(|s| s.to_str()).expect("name").trim_end_matches(".rs").to_string();
        let Some((_, allowed)) = LAYERS.iter().find(|(name, _)| *name == top) else {
            assert!(["lib", "main", "layers"].contains(&top.as_str()), "{top} is in no layer: add it to LAYERS");
            continue;
        };
        let text = std::fs::read_to_string(&path).expect("read");
        for used in uses(&text) {
            if used != top && !allowed.contains(&used.as_str()) {
                wrong.push(format!("{}: crate::{used}", relative.display()));
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(wrong.is_empty(), "imports against the layers:\n  {}", wrong.join("\n  "));
}
