//! Command-line arguments: the clap structure only parses; [`Config`] does the work.

use std::{io::Write, process::ExitCode};

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::{label, parse, today};

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
    /// Draw a GS1 barcode into a file: SVG, PNG or PDF by the file's extension.
    ///
    /// The code picks the symbol unless --symbology says otherwise: a GTIN its own EAN-13,
    /// EAN-8, UPC-A or ITF-14; an SSCC or an element string GS1-128; a Digital Link URI a QR
    /// code. Sizes follow the GS1 General Specifications; an X-dimension outside the
    /// symbology's range, or data it cannot carry, is refused.
    ///
    /// Example: gs1scan label '(01)08934567000017(10)CF2026A' -o lot.png --symbology gs1-datamatrix
    Label {
        /// The code: GTIN, SSCC, `(01)...` element string or `https://.../01/...` URI.
        code: String,
        /// The file to write (.svg, .png or .pdf).
        #[arg(short, long, value_name = "FILE")]
        output: std::path::PathBuf,
        #[command(flatten)]
        symbol: label::SymbolArgs,
        /// A rectangular DataMatrix instead of a square one.
        #[arg(long)]
        rectangle: bool,
        /// Leave out the human-readable text.
        #[arg(long)]
        no_text: bool,
    },
    /// Draw one label per line of codes, into numbered files in a folder, on every core.
    ///
    /// Example: seq -f '(01)08934567000017(21)S%05g' 1000 | gs1scan labels - --out-dir out --format png --symbology gs1-datamatrix
    Labels {
        /// The file of codes, one a line; `-` for standard input.
        input: std::path::PathBuf,
        /// The folder for the files (`00001.png`, ... by line).
        #[arg(long, value_name = "DIR")]
        out_dir: std::path::PathBuf,
        /// svg, png or pdf.
        #[arg(long, default_value = "svg")]
        format: barcode::render::Format,
        #[command(flatten)]
        symbol: label::SymbolArgs,
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
    /// Draw a label.
    Label(label::Config),
    /// Draw many.
    Labels(label::Batch),
}

/// Parses the process arguments (exits with clap's message on bad usage).
pub fn parse_args() -> Config {
    match Args::parse().command {
        Command::Parse { codes, json, today } => {
            Config::Parse(parse::Config { codes, json, today })
        }
        Command::CheckDigit { digits } => Config::CheckDigit(digits),
        Command::Labels {
            input,
            out_dir,
            format,
            symbol,
        } => Config::Labels(label::Batch {
            input,
            out_dir,
            format,
            symbol,
        }),
        Command::Label {
            code,
            output,
            symbol,
            rectangle,
            no_text,
        } => Config::Label(label::Config {
            code,
            output,
            symbol,
            rectangle,
            text: no_text.then_some(false),
        }),
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
            Config::Label(l) => label::run(&l, out),
            Config::Labels(b) => label::run_batch(&b, out),
        }
    }
}
