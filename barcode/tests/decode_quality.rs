//! Decodes every reference image (`../shared/reference/barcode-images`) with the default
//! options, prints a table per folder beside the baseline decoders' counts, and holds the
//! targets: at least 125 exact of the 140 images with expected text, no wrong read, no false
//! positive, and all six symbols of the two multi-symbol images.

use std::{
    collections::BTreeMap,
    fs,
    path::{Path, PathBuf},
};

use barcode::decode::{Format, Found, Options, decode};
use gs1::{
    date::Date,
    element::{AiString, Options as ElementOptions, Validations},
};

fn folder() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference/barcode-images");
    assert!(
        dir.join("README.md").is_file(),
        "the reference images are missing: expected them in {} (see its README.md)",
        dir.display()
    );
    dir
}

/// Every `.png` under `dir`, sorted, as paths relative to `root`.
fn images(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            images(root, &p, out);
        } else if p.extension().is_some_and(|x| x == "png") {
            out.push(p.strip_prefix(root).unwrap_or(&p).to_path_buf());
        }
    }
}

/// A read's text in the form the `.txt` files use (the README's conventions), one rule each.
fn normalise(found: &Found) -> String {
    // Line ends: some QR payloads decode with "\r\n", the files use "\n", and a final line
    // end may or may not be in a file.
    let text = found.text.replace("\r\n", "\n");
    let text = text.trim_end_matches('\n').to_owned();
    match found.format {
        // DataBar Expanded: the files hold bracketed HRI, `decode` gives GS-separated data.
        Format::DataBarExpanded => AiString::parse_unbracketed(&format!("^{text}"), &lenient())
            .map_or(text, |m| m.to_bracketed()),
        // Code 128 outside GS1 mode (]C0): we send an FNC1 as ASCII 29, as AIM says; zxing, which
        // wrote the files, drops it.
        Format::Code128 if found.symbology_identifier != "]C1" => text.replace('\u{1d}', ""),
        // UPC-E stays in its 8-digit form, as the files hold it; the EAN add-on of
        // upcean-extension is not in `text`, as it is not in the files; GS1 separators are
        // ASCII 29 in both. Nothing else to change.
        _ => text,
    }
}

/// Element-string checks without `req=`: a symbol may hold only a lot, as rssexpanded-1/25 does.
fn lenient() -> ElementOptions {
    ElementOptions {
        permit_unknown_ais: false,
        validations: Validations {
            requisites: false,
            ..Validations::default()
        },
    }
}

/// The expected text of one image: line ends normalised, a final line end dropped.
fn expected(path: &Path) -> Option<String> {
    let text = fs::read_to_string(path.with_extension("txt")).ok()?;
    Some(text.replace("\r\n", "\n").trim_end_matches('\n').to_owned())
}

#[derive(Default)]
struct Row {
    images: usize,
    exact: usize,
    wrong: usize,
    miss: usize,
    false_positives: usize,
    /// Misses whose symbol read to the expected text but failed its GS1 check.
    refused: usize,
    symbols: usize,
    rxing_multi: usize,
    zxingcpp_plain: usize,
}

impl Row {
    fn print(&self, name: &str) {
        println!(
            "{name:<24} {:>6} {:>5} {:>5} {:>4} {:>3} {:>11} {:>7} | {:>11} {:>14}",
            self.images,
            self.exact,
            self.wrong,
            self.miss,
            self.false_positives,
            self.refused,
            self.symbols,
            self.rxing_multi,
            self.zxingcpp_plain
        );
    }

    fn add(&mut self, r: &Row) {
        self.images += r.images;
        self.exact += r.exact;
        self.wrong += r.wrong;
        self.miss += r.miss;
        self.false_positives += r.false_positives;
        self.refused += r.refused;
        self.symbols += r.symbols;
        self.rxing_multi += r.rxing_multi;
        self.zxingcpp_plain += r.zxingcpp_plain;
    }
}

/// (rxing_multi, zxingcpp_plain) `match` per image, from baseline-decode.csv.
fn baseline(root: &Path) -> BTreeMap<String, (bool, bool)> {
    let csv = fs::read_to_string(root.join("baseline-decode.csv")).unwrap_or_default();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (Some(multi), Some(plain)) = (col("rxing_multi"), col("zxingcpp_plain")) else {
        panic!("baseline-decode.csv lacks its columns");
    };
    lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .map(|f| {
            let is = |i: usize| f.get(i).is_some_and(|v| *v == "match");
            (f[0].to_owned(), (is(multi), is(plain)))
        })
        .collect()
}

/// The texts of the reads refused as misreads, normalised.
fn refused(bytes: &[u8], today: Date) -> Vec<String> {
    let opts = Options {
        keep_misreads: true,
        ..Options::default()
    };
    let found = decode(bytes, &opts, today).unwrap_or_default();
    found
        .iter()
        .filter(|f| f.misread.is_some())
        .map(normalise)
        .collect()
}

#[test]
fn reference_images_decode_to_their_text() {
    let root = folder();
    let mut paths = Vec::new();
    images(&root, &root, &mut paths);
    let base = baseline(&root);
    let today = Date::new(2026, 12, 1).unwrap_or_else(|| panic!("date"));
    let opts = Options::default();
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    let mut problems = Vec::new();
    for rel in &paths {
        let name = rel.to_string_lossy().replace('\\', "/");
        let folder = rel
            .parent()
            .map_or(String::new(), |p| p.to_string_lossy().into());
        let bytes = fs::read(root.join(rel)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let found = decode(&bytes, &opts, today).unwrap_or_else(|e| {
            let hint = if cfg!(debug_assertions) {
                " (rxing is slow unoptimised: run this test with --release)"
            } else {
                ""
            };
            panic!("{name}: {e}{hint}")
        });
        let texts: Vec<String> = found.iter().map(normalise).collect();
        let row = rows.entry(folder.clone()).or_default();
        row.images += 1;
        row.symbols += found.len();
        let (m, p) = base.get(&name).copied().unwrap_or_default();
        row.rxing_multi += usize::from(m);
        row.zxingcpp_plain += usize::from(p);
        if folder.starts_with("falsepositives") {
            if !found.is_empty() {
                row.false_positives += 1;
                problems.push(format!("{name}: false positive {texts:?}"));
            }
        } else if let Some(want) = expected(&root.join(rel)) {
            if texts.is_empty() {
                row.miss += 1;
                if refused(&bytes, today).contains(&want) {
                    row.refused += 1;
                }
            } else if texts.iter().all(|t| *t == want) {
                row.exact += 1;
            } else {
                row.wrong += 1;
                problems.push(format!("{name}: read {texts:?}, expected {want:?}"));
            }
        }
    }
    println!(
        "{:<24} {:>6} {:>5} {:>5} {:>4} {:>3} {:>11} {:>7} | {:>11} {:>14}",
        "folder",
        "images",
        "exact",
        "wrong",
        "miss",
        "fp",
        "gs1-refused",
        "symbols",
        "rxing_multi",
        "zxingcpp_plain"
    );
    let mut total = Row::default();
    for (folder, r) in &rows {
        r.print(folder);
        total.add(r);
    }
    total.print("total");
    for p in &problems {
        println!("  {p}");
    }
    let multi: usize = ["multi-1", "multi-qrcode-1"]
        .iter()
        .map(|f| rows.get(*f).map_or(0, |r| r.symbols))
        .sum();
    assert_eq!(total.wrong, 0, "wrong reads: {problems:#?}");
    assert_eq!(total.false_positives, 0, "false positives: {problems:#?}");
    assert_eq!(multi, 6, "the multi-symbol images must give all 6 symbols");
    assert!(total.exact >= 125, "only {} exact of 140", total.exact);
}
