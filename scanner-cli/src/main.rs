//! `gs1scan`: read GS1 barcodes and codes the way customs and market inspectors meet them.

mod account;
mod cli;
mod client;
mod home;
mod inspect;
mod judge;
mod jws;
mod label;
mod lookup;
mod offline;
mod parse;
mod scan;
mod shipment;
mod today;
mod verify;

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
            // 3, as scan and lookup say: something could not be done (no network, bad file).
            ExitCode::from(3)
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
