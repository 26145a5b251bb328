//! Command-line arguments: the clap structure only parses; [`Config`] does the work.

use std::{io::Write, process::ExitCode};

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::{parse, today};

/// Read GS1 barcodes and codes: scanner output, Digital Link URIs, element strings, bare GTINs.
#[derive(Parser, Debug)]
#[command(name = "gs1scan", version, about)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Parse codes (arguments, or one per line on standard input) and print what they identify.
    ///
    /// Accepts scanner output with a symbology identifier (`]d2...`, ASCII 29 as FNC1), a GS1
    /// Digital Link URI, a bracketed `(01)...(10)...` or unbracketed `^01...` element string, or a
    /// bare GTIN-8/12/13/14 or SSCC. Exits 1 if any code is invalid.
    Parse {
        /// The codes; read from standard input when none are given.
        codes: Vec<String>,
        /// Print one JSON object per code instead of text.
        #[arg(long)]
        json: bool,
        /// The date expiry is judged against (YYYY-MM-DD); default: today (UTC).
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
    },
    /// Print the GS1 check digit for a key without its check digit (e.g. 12 digits of a GTIN-13).
    CheckDigit {
        /// The digits.
        digits: String,
    },
}

/// What to do, with its inputs resolved.
pub enum Config {
    /// Parse codes.
    Parse(parse::Config),
    /// Compute a check digit.
    CheckDigit(String),
}

/// Parses the process arguments (exits with clap's message on bad usage).
pub fn parse_args() -> Config {
    match Args::parse().command {
        Command::Parse { codes, json, today } => {
            Config::Parse(parse::Config { codes, json, today })
        }
        Command::CheckDigit { digits } => Config::CheckDigit(digits),
    }
}

impl Config {
    /// Runs the command, writing results to `out`.
    pub fn run(self, out: &mut impl Write) -> anyhow::Result<ExitCode> {
        match self {
            Config::Parse(p) => {
                let today = match &p.today {
                    Some(s) => today::parse(s).with_context(|| format!("--today {s:?}"))?,
                    None => today::utc_today(),
                };
                parse::run(&p, today, out)
            }
            Config::CheckDigit(digits) => {
                let d = gs1::check_digit::compute(digits.as_bytes())
                    .filter(|_| !digits.is_empty())
                    .with_context(|| format!("{digits:?} must be one or more digits"))?;
                writeln!(out, "{}", char::from(d))?;
                Ok(ExitCode::SUCCESS)
            }
        }
    }
}
