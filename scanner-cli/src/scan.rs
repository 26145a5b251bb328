//! `gs1scan scan`: photos in, one verdict per code out. Decodes on every core, judges online in
//! batches or offline from the status pack, prints a table, JSON lines or CSV, and exits with
//! what the officer should do (see [`Outcome`]).

use std::{
    collections::HashMap,
    io::{IsTerminal, Read, Write},
    path::{Path, PathBuf},
    sync::{
        Mutex,
        atomic::{AtomicUsize, Ordering},
    },
};

use anyhow::Context;
use barcode::decode::{self, Found};
use gs1::element::AiString;
use serde_json::json;

use crate::{
    judge::{Judge, Judged, Outcome},
    today,
};

/// File extensions a folder is searched for.
const IMAGE_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "webp", "bmp", "tif", "tiff", "gif", "heic", "heif",
];

/// Largest image read (a phone photo is a few MB).
const MAX_IMAGE_BYTES: u64 = 64 * 1024 * 1024;

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Style {
    /// An aligned table.
    Table,
    /// One JSON object per line.
    Json,
    /// CSV with a header.
    Csv,
}

/// What `scan` does.
pub struct Config {
    /// Files, folders, or `-` for one image on standard input.
    pub inputs: Vec<PathBuf>,
    /// Decoding options (formats, timeout, misreads).
    pub decode: decode::Options,
    /// Decoding threads.
    pub jobs: usize,
    /// How to print.
    pub style: Style,
}

/// Why a row has no verdict.
#[derive(Clone, Debug, thiserror::Error)]
enum Failure {
    /// The file could not be read.
    #[error("cannot read: {0}")]
    Read(String),
    /// The file is larger than any photo needs.
    #[error("larger than {} MB", MAX_IMAGE_BYTES / 1024 / 1024)]
    TooLarge,
    /// The decoder gave up (unreadable, timed out, panicked).
    #[error("{0}")]
    Decode(String),
    /// The image holds no barcode that could be read.
    #[error("no barcode found")]
    NothingFound,
    /// A read failed its GS1 check (shown with --raw).
    #[error("misread: {0}")]
    Misread(String),
    /// The codes could not be judged (no network, server refused).
    #[error("{0}")]
    Judge(String),
}

/// One image's outcome.
struct Image {
    name: String,
    found: Result<Vec<Found>, Failure>,
}

/// A printed row.
struct Row<'a> {
    file: &'a str,
    code: String,
    judged: Result<&'a Judged, Failure>,
}

/// Runs `scan`.
pub fn run(cfg: &Config, judge: &Judge, out: &mut impl Write) -> anyhow::Result<Outcome> {
    let files = collect(&cfg.inputs)?;
    let images = decode_all(&files, cfg);
    let mut codes: Vec<String> = Vec::new();
    let mut seen = HashMap::new();
    for found in images
        .iter()
        .filter_map(|i| i.found.as_ref().ok())
        .flatten()
    {
        let code = scanner_output(found);
        if found.misread.is_none() && !seen.contains_key(&code) {
            seen.insert(code.clone(), codes.len());
            codes.push(code);
        }
    }
    let judged = judge
        .judge(&codes)
        .map_err(|e| Failure::Judge(e.to_string()));
    let mut rows = Vec::new();
    for image in &images {
        match &image.found {
            Err(e) => rows.push(Row {
                file: &image.name,
                code: String::new(),
                judged: Err(e.clone()),
            }),
            Ok(found) if found.is_empty() => rows.push(Row {
                file: &image.name,
                code: String::new(),
                judged: Err(Failure::NothingFound),
            }),
            Ok(found) => rows.extend(found.iter().map(|f| {
                let code = scanner_output(f);
                let judged = match (&f.misread, &judged) {
                    (Some(why), _) => Err(Failure::Misread(why.clone())),
                    (None, Err(e)) => Err(e.clone()),
                    (None, Ok(all)) => Ok(&all[seen[&code]]),
                };
                Row {
                    file: &image.name,
                    code: shown(f),
                    judged,
                }
            })),
        }
    }
    print(&rows, cfg.style, out)?;
    Ok(rows
        .iter()
        .map(|r| match &r.judged {
            Ok(j) => Outcome::of(j.verdict),
            Err(_) => Outcome::Error,
        })
        .max()
        .unwrap_or(Outcome::Error))
}

/// What a scanner would transmit: the symbology identifier and the data.
pub fn scanner_output(f: &Found) -> String {
    format!("{}{}", f.symbology_identifier, f.text)
}

/// The code as a person reads it: the bracketed element string when it is GS1 data.
fn shown(f: &Found) -> String {
    match &f.reading {
        Ok(ids) => ids
            .ais
            .as_ref()
            .map(AiString::to_bracketed)
            .unwrap_or_else(|| ids.primary.value().to_owned()),
        Err(_) => f.text.replace('\u{1d}', "<GS>"),
    }
}

/// The files named, folders searched (sorted, recursively) for images.
fn collect(inputs: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            files.push(input.clone());
            continue;
        }
        let meta =
            std::fs::metadata(input).with_context(|| format!("cannot read {}", input.display()))?;
        if meta.is_dir() {
            walk(input, &mut files)?;
        } else {
            files.push(input.clone());
        }
    }
    anyhow::ensure!(!files.is_empty(), "no images found in {:?}", inputs);
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .collect::<Result<_, _>>()
        .with_context(|| format!("cannot read {}", dir.display()))?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        if path.is_dir() {
            walk(&path, files)?;
        } else if path
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| IMAGE_EXTENSIONS.contains(&x.to_ascii_lowercase().as_str()))
        {
            files.push(path);
        }
    }
    Ok(())
}

/// Decodes every file on `cfg.jobs` threads, with a progress bar when standard error is a terminal.
fn decode_all(files: &[PathBuf], cfg: &Config) -> Vec<Image> {
    let bar = if std::io::stderr().is_terminal() && files.len() > 1 {
        let bar = indicatif::ProgressBar::new(files.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:30} {pos}/{len} images, {per_sec}, eta {eta}",
        ) {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let today = today::utc_today();
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Image>>> = files.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..cfg.jobs.clamp(1, files.len()) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    let found = read(path).and_then(|bytes| {
                        decode::decode(&bytes, &cfg.decode, today)
                            .map_err(|e| Failure::Decode(e.to_string()))
                    });
                    let name = if path.as_os_str() == "-" {
                        "<stdin>".to_owned()
                    } else {
                        path.display().to_string()
                    };
                    if let Ok(mut slot) = slots[i].lock() {
                        *slot = Some(Image { name, found });
                    }
                    bar.inc(1);
                }
            });
        }
    });
    bar.finish_and_clear();
    slots
        .into_iter()
        .zip(files)
        .map(|(slot, path)| {
            slot.into_inner().ok().flatten().unwrap_or_else(|| Image {
                name: path.display().to_string(),
                found: Err(Failure::Decode("the decoder stopped".to_owned())),
            })
        })
        .collect()
}

/// The file's bytes (standard input for `-`), refusing what no photo needs.
fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    let res = if path.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .take(MAX_IMAGE_BYTES + 1)
            .read_to_end(&mut bytes)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(MAX_IMAGE_BYTES + 1).read_to_end(&mut bytes))
    };
    match res {
        Err(e) => Err(Failure::Read(e.to_string())),
        Ok(n) if n as u64 > MAX_IMAGE_BYTES => Err(Failure::TooLarge),
        Ok(_) => Ok(bytes),
    }
}

fn print(rows: &[Row<'_>], style: Style, out: &mut impl Write) -> anyhow::Result<()> {
    let verdict_of = |r: &Row<'_>| match &r.judged {
        Ok(j) => serde_json::to_value(j.verdict)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        Err(_) => "error".to_owned(),
    };
    let reasons_of = |r: &Row<'_>| match &r.judged {
        Ok(j) => j
            .reasons
            .iter()
            .map(|x| x.code.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        Err(e) => e.to_string(),
    };
    let product_of = |r: &Row<'_>| {
        r.judged
            .as_ref()
            .ok()
            .and_then(|j| j.product.clone())
            .unwrap_or_default()
    };
    match style {
        Style::Json => {
            for r in rows {
                let v = match &r.judged {
                    Ok(j) => json!({"file": r.file, "code": r.code, "verdict": j.verdict,
                        "product": j.product, "maker": j.maker, "reasons": j.reasons}),
                    Err(e) => {
                        json!({"file": r.file, "code": r.code, "verdict": "error", "error": e.to_string()})
                    }
                };
                writeln!(out, "{v}")?;
            }
        }
        Style::Csv => {
            writeln!(out, "file,code,product,verdict,reasons")?;
            for r in rows {
                let cells = [
                    r.file.to_owned(),
                    r.code.clone(),
                    product_of(r),
                    verdict_of(r),
                    reasons_of(r),
                ];
                let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
                writeln!(out, "{}", line.join(","))?;
            }
        }
        Style::Table => {
            let cells: Vec<[String; 5]> = rows
                .iter()
                .map(|r| {
                    [
                        r.file.to_owned(),
                        r.code.clone(),
                        clip(&product_of(r), 40),
                        verdict_of(r),
                        reasons_of(r),
                    ]
                })
                .collect();
            let header = ["FILE", "CODE", "PRODUCT", "VERDICT", "REASONS"].map(str::to_owned);
            let mut widths = [0usize; 4];
            for row in std::iter::once(&header).chain(&cells) {
                for (w, c) in widths.iter_mut().zip(row) {
                    *w = (*w).max(c.chars().count());
                }
            }
            for row in std::iter::once(&header).chain(&cells) {
                let mut line = String::new();
                for (w, c) in widths.iter().zip(row) {
                    line.push_str(c);
                    line.extend(std::iter::repeat_n(' ', w - c.chars().count() + 2));
                }
                line.push_str(&row[4]);
                writeln!(out, "{}", line.trim_end())?;
            }
        }
    }
    Ok(())
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_owned();
    }
    let mut c: String = s.chars().take(n - 1).collect();
    c.push('…');
    c
}

/// RFC 4180: quote a cell holding a comma, a quote or a line break.
fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_only_when_needed() {
        assert_eq!(csv_cell("plain"), "plain");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn folders_give_their_images_sorted_and_recursively() {
        let dir = std::env::temp_dir().join(format!("gs1scan-walk-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        for f in ["b.PNG", "a.jpg", "notes.txt", "sub/c.webp"] {
            std::fs::write(dir.join(f), b"x").unwrap();
        }
        let files = collect(std::slice::from_ref(&dir)).unwrap();
        let names: Vec<String> = files
            .iter()
            .map(|p| p.strip_prefix(&dir).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["a.jpg", "b.PNG", "sub/c.webp"]);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(collect(&[dir]).is_err(), "a missing folder is an error");
    }
}
