//! The layering invariants of ARCHITECTURE.md, as absences the build could break: read from
//! Cargo.lock (every dependency of every target, so a superset of what is linked) and from the
//! sources. `.ci/layers` checks the same on `cargo tree`.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Package name → the names of its dependencies, from Cargo.lock.
fn lock_graph() -> BTreeMap<String, BTreeSet<String>> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).expect("Cargo.lock");
    let mut graph = BTreeMap::new();
    for block in lock.split("[[package]]").skip(1) {
        let mut name = None;
        let mut deps = BTreeSet::new();
        let mut in_deps = false;
        for line in block.lines() {
            let line = line.trim();
            if let Some(n) = line.strip_prefix("name = ") {
                name = Some(n.trim_matches('"').to_owned());
            } else if line.starts_with("dependencies = [") {
                in_deps = !line.ends_with(']');
            } else if in_deps && line == "]" {
                in_deps = false;
            } else if in_deps {
                // `"name"`, `"name 1.2.3"` or `"name 1.2.3 (registry+...)"`.
                let dep = line.trim_end_matches(',').trim_matches('"');
                deps.insert(dep.split(' ').next().unwrap_or(dep).to_owned());
            }
        }
        if let Some(n) = name {
            graph.entry(n).or_insert_with(BTreeSet::new).extend(deps);
        }
    }
    graph
}

/// Everything `package` depends on, directly or not.
fn closure(graph: &BTreeMap<String, BTreeSet<String>>, package: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![package.to_owned()];
    while let Some(p) = todo.pop() {
        for d in graph.get(&p).into_iter().flatten() {
            if seen.insert(d.clone()) {
                todo.push(d.clone());
            }
        }
    }
    seen
}

#[test]
fn only_the_server_depends_on_http_and_the_verdict_on_no_io() {
    let graph = lock_graph();
    assert!(
        closure(&graph, "server").contains("actix-web"),
        "the scan of Cargo.lock broke"
    );
    for pkg in [
        "gs1dpp-db",
        "gs1dpp-domain",
        "gs1dpp-verdict",
        "gs1",
        "gs1-barcode",
        "gs1-epcis",
    ] {
        let http: Vec<_> = closure(&graph, pkg)
            .into_iter()
            .filter(|d| d.starts_with("actix"))
            .collect();
        assert!(http.is_empty(), "{pkg} depends on {http:?}");
    }
    let verdict = closure(&graph, "gs1dpp-verdict");
    for io in [
        "diesel",
        "libsqlite3-sys",
        "tokio",
        "redis",
        "reqwest",
        "gs1dpp-db",
    ] {
        assert!(!verdict.contains(io), "gs1dpp-verdict depends on {io}");
    }
    // gs1's own freedom from diesel, clap and serde is checked by `.ci/layers` on `cargo tree`:
    // Cargo.lock also lists its benches' dependencies (criterion brings clap and serde).
    assert!(
        !closure(&graph, "gs1").contains("diesel"),
        "gs1 depends on diesel"
    );
    let barcode = closure(&graph, "gs1-barcode");
    for io in [
        "diesel",
        "tokio",
        "redis",
        "reqwest",
        "gs1dpp-db",
        "gs1dpp-domain",
    ] {
        assert!(!barcode.contains(io), "gs1-barcode depends on {io}");
    }
    let epcis = closure(&graph, "gs1-epcis");
    for io in ["diesel", "tokio", "redis", "reqwest", "gs1dpp-db"] {
        assert!(!epcis.contains(io), "gs1-epcis depends on {io}");
    }
    let domain = closure(&graph, "gs1dpp-domain");
    assert!(domain.contains("gs1dpp-db") && domain.contains("gs1dpp-verdict"));
}

/// Every `.rs` file below `dir`, skipping build output.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if name != "target" && name != ".git" && name != "fuzz" {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn no_file_outside_db_names_the_schema() {
    let root = root();
    let mut files = Vec::new();
    for dir in [
        "gs1",
        "barcode",
        "domain",
        "verdict",
        "server",
        "scanner-cli",
    ] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 50, "the scan of the sources broke");
    // Spelled in two pieces so this file does not name it itself.
    let needle = ["schema", "::"].concat();
    let mut named = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        for (n, line) in text.lines().enumerate() {
            let hit = line.match_indices(needle.as_str()).any(|(i, _)| {
                line[..i]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
            });
            if hit {
                named.push(format!("{}:{}: {line}", f.display(), n + 1));
            }
        }
    }
    assert!(named.is_empty(), "outside db/: {named:#?}");
}

/// Errors are types: no `Result<_, String>` and no `type Err = String` in library or binary
/// code (a file's `#[cfg(test)]` module, at its end by convention, and test files may use them).
#[test]
fn no_error_is_a_bare_string_outside_tests() {
    let root = root();
    let mut files = Vec::new();
    for dir in [
        "gs1/src",
        "barcode/src",
        "db/src",
        "domain/src",
        "verdict/src",
        "server/src",
        "scanner-cli/src",
    ] {
        rust_files(&root.join(dir), &mut files);
    }
    let string_err = [", String>", "type Err = String"];
    let mut found = Vec::new();
    for f in files.iter().filter(|f| !f.ends_with("tests.rs")) {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("#[cfg(test)]") {
                break;
            }
            let result = line.contains("Result<") && line.contains(string_err[0]);
            if result || line.contains(string_err[1]) {
                found.push(format!("{}:{}: {}", f.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "string errors: {found:#?}");
}
