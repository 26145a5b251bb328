//! `gs1scan`: read GS1 barcodes and codes the way customs and market inspectors meet them.

mod cli;
mod label;
mod parse;
mod today;

use std::{io::Write, process::ExitCode};

fn main() -> ExitCode {
    let config = cli::parse_args();
    let mut out = std::io::stdout().lock();
    match config.run(&mut out) {
        Ok(code) => code,
        Err(e) => {
            // A closed pipe (`gs1scan parse ... | head`) is not an error.
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            let _ = out.flush();
            eprintln!("gs1scan: {}", chain(&e));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes on one line.
fn chain(e: &anyhow::Error) -> String {
    e.chain()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ")
}
