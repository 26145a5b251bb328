//! Times `barcode::decode` on every PNG under a folder: each image decoded N times from its bytes
//! in memory (reading the file is not timed, decoding the PNG is), with the default options, and
//! its median printed in milliseconds as CSV (`image,ms,found`).
//!
//!   cargo run --release -p gs1-barcode --features decode --example decode_times -- DIR [N]

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
    time::Instant,
};

use barcode::decode::{Options, decode};

fn pngs(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            pngs(&path, out)?;
        } else if path.extension().is_some_and(|x| x == "png") {
            out.push(path);
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: decode_times DIR [N]");
        return ExitCode::from(2);
    };
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(5).max(1);
    let Some(today) = gs1::date::Date::new(2026, 12, 1) else {
        return ExitCode::FAILURE;
    };
    let mut files = Vec::new();
    if let Err(e) = pngs(&dir, &mut files) {
        eprintln!("{}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    files.sort();
    let opts = Options::default();
    println!("image,ms,found");
    for path in files {
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        };
        let mut times = Vec::with_capacity(n);
        let mut found = 0;
        for _ in 0..n {
            let start = Instant::now();
            found = decode(&bytes, &opts, today).map_or(0, |f| f.len());
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        let name = path.strip_prefix(&dir).unwrap_or(&path).display();
        println!("{name},{:.3},{found}", times[times.len() / 2]);
    }
    ExitCode::SUCCESS
}
