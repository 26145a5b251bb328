//! Command-line arguments: the clap structure only parses; [`Config`] does the work.

use std::{io::Write, process::ExitCode};

use anyhow::Context;
use clap::{Parser, Subcommand};

use std::time::Duration;

use crate::{
    account, home::Home, inspect, judge::Judge, label, lookup, offline, parse, scan, shipment,
    today, verify,
};

/// Read GS1 barcodes from photos and judge them: is the product what it claims to be?
///
/// For customs officers and market inspectors: scan photos (or a folder of them), look codes
/// up, record inspections (queued while offline), verify passports, and judge offline from a
/// signed status pack. Exit status of scan and lookup: 0 all verified, 1 something to look at,
/// 2 non-compliant or suspect goods, 3 an error (unreadable file, no network).
#[derive(Parser, Debug)]
#[command(name = "gs1scan", version, about, long_about)]
struct Args {
    /// The platform's base URL; default: the one signed in to.
    #[arg(long, global = true, env = "GS1DPP_SERVER", value_name = "URL")]
    server: Option<String>,
    #[command(subcommand)]
    command: Command,
}

/// Judging offline from the status pack.
#[derive(clap::Args, Debug)]
struct OfflineArgs {
    /// Judge from the status pack (`gs1scan pack fetch`) instead of asking the server.
    #[arg(long)]
    offline: bool,
    /// Offline: warn when the pack is older than this many hours.
    #[arg(long, default_value_t = 24, value_name = "HOURS")]
    max_pack_age: u32,
    /// Online: the coarse place of the scan (ISO 3166, e.g. VN-HN), recorded with serial scans.
    #[arg(long, env = "GS1SCAN_PLACE")]
    place: Option<String>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Read every barcode in photos and give each code a verdict.
    ///
    /// Takes image files (PNG, JPEG, WebP, BMP, TIFF, GIF), folders (searched recursively) or `-`
    /// for one image on standard input; decodes on every core, then asks the server in batches
    /// (or judges from the status pack with --offline). A photo in which nothing can be read is
    /// an error row.
    ///
    /// Example: gs1scan scan photos/ --csv > report.csv
    Scan {
        /// Image files, folders, or `-`.
        #[arg(required = true)]
        inputs: Vec<std::path::PathBuf>,
        #[command(flatten)]
        offline: OfflineArgs,
        /// Print one JSON object per code.
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Print CSV.
        #[arg(long)]
        csv: bool,
        /// Also show reads whose GS1 check failed (misreads), as errors.
        #[arg(long)]
        raw: bool,
        /// Formats to look for, comma-separated: ean-13, ean-8, upc-a, upc-e, itf, code-128,
        /// databar, databar-expanded, databar-limited, datamatrix, qr (default: all of them).
        #[arg(long, value_delimiter = ',', value_name = "FORMATS")]
        formats: Vec<barcode::decode::Format>,
        /// Give up on one image after this many milliseconds.
        #[arg(long, default_value_t = 2000, value_name = "MS")]
        timeout_ms: u64,
        /// Decoding threads; default: one per core.
        #[arg(long, short = 'j')]
        jobs: Option<usize>,
    },
    /// Give one code a verdict: what it is, who made it, its certificates, any recall.
    ///
    /// Example: gs1scan lookup '(01)08934567000017(10)CF2026A' --offline
    Lookup {
        /// Scanner output, a Digital Link URI, an element string or a bare GTIN/SSCC.
        code: String,
        #[command(flatten)]
        offline: OfflineArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check a pallet or container: every item inside with its verdict (needs a sign-in).
    ///
    /// Prints the counts per verdict, the items without a valid certificate, recalled lots and
    /// items whose journey starts elsewhere than the shipment's origin, then each item, worst
    /// first. Exits like `lookup` with the worst item's verdict.
    ///
    /// Example: gs1scan shipment '(00)389345670000000018'
    Shipment {
        /// The SSCC: 18 digits, `(00)...`, a scanned GS1-128 or a Digital Link URI.
        sscc: String,
        /// Print the server's JSON answer.
        #[arg(long)]
        json: bool,
    },
    /// Sign in to the platform; the token is kept readable by you only.
    ///
    /// Example: gs1scan login --server https://dpp.example.vn --email inspector@qltt.gov.vn
    Login {
        /// Your e-mail (not with --api-key).
        #[arg(long, required_unless_present = "api_key")]
        email: Option<String>,
        /// Sign in with an API key of your organisation instead of a password.
        #[arg(long, conflicts_with = "email")]
        api_key: bool,
        /// Read the password (or API key) from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Forget the saved sign-in (queued inspections and the pack stay).
    ///
    /// Example: gs1scan logout
    Logout,
    /// Record an inspection of a code (or of the code in a photo); queued when offline.
    ///
    /// Example: gs1scan inspect photo.jpg --outcome suspect --note 'label reprinted' --place VN-LS
    Inspect {
        /// A code, or an image file holding exactly one GS1 code.
        target: String,
        /// What you found.
        #[arg(long)]
        outcome: inspect::Finding,
        /// Notes.
        #[arg(long)]
        note: Option<String>,
        /// A photo kept as evidence (its SHA-256 is recorded); default: the image inspected.
        #[arg(long, value_name = "FILE")]
        photo: Option<std::path::PathBuf>,
        /// Where (ISO 3166, e.g. VN-LS).
        #[arg(long, env = "GS1SCAN_PLACE")]
        place: String,
    },
    /// Send the inspections queued while offline; each is recorded once however often this runs.
    ///
    /// Example: gs1scan sync
    Sync,
    /// Check a passport's signature with the cached platform keys and print what it says.
    ///
    /// Takes a file holding the passport's compact JWS (works with the network off), or a code
    /// whose published passport is fetched.
    ///
    /// Example: gs1scan verify passport.jws
    Verify {
        /// A .jws file, or a code.
        target: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// The platform's signing keys.
    ///
    /// Example: gs1scan keys fetch
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// The signed status pack that lets scan and lookup judge offline.
    ///
    /// Example: gs1scan pack fetch --serials
    Pack {
        #[command(subcommand)]
        command: PackCommand,
    },
    /// Parse codes (arguments, or one per line on standard input) and print what they identify.
    ///
    /// Accepts scanner output with a symbology identifier (`]d2...`, ASCII 29 as FNC1), a GS1
    /// Digital Link URI, a bracketed `(01)...(10)...` or unbracketed `^01...` element string, or a
    /// bare GTIN-8/12/13/14 or SSCC. Exits 1 if any code is invalid.
    ///
    /// Example: gs1scan parse '(01)08934567000017(17)271231(10)CF2026A' 8934567000017
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
    ///
    /// Example: gs1scan check-digit 893456700001
    CheckDigit {
        /// The digits.
        digits: String,
    },
}

/// `keys` subcommands.
#[derive(Subcommand, Debug)]
enum KeysCommand {
    /// Download and cache the platform's public signing keys (its JWKS).
    ///
    /// Example: gs1scan keys fetch --server https://dpp.example.vn
    Fetch,
}

/// `pack` subcommands.
#[derive(Subcommand, Debug)]
enum PackCommand {
    /// Download the signed status pack (incrementally when one of the same scope is cached).
    ///
    /// Per product: names, maker, certificates with status, validity and accreditation, active
    /// recalls with their lots, inspections; serial states with --serials. Needs a sign-in.
    ///
    /// Example: gs1scan pack fetch --gtin-prefix 893 --serials
    Fetch {
        /// Only this organisation's products (its id).
        #[arg(long)]
        org: Option<String>,
        /// Only GTINs starting with these digits (of the 14-digit GTIN, e.g. 0893).
        #[arg(long, value_name = "DIGITS")]
        gtin_prefix: Option<String>,
        /// Include the state of every commissioned serial (for serialised products).
        #[arg(long)]
        serials: bool,
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
    /// Scan images.
    Scan(scan::Config, Judging),
    /// Look one code up.
    Lookup(String, Judging, bool),
    /// Check a shipment.
    Shipment(Option<String>, String, bool),
    /// Sign in.
    Login(Option<String>, account::Login),
    /// Sign out.
    Logout,
    /// Record an inspection.
    Inspect(Option<String>, inspect::Config),
    /// Send queued inspections.
    Sync,
    /// Verify a passport.
    Verify(verify::Config),
    /// Cache the keys.
    KeysFetch(Option<String>),
    /// Fetch the pack.
    PackFetch(Option<String>, offline::Scope),
}

/// Where verdicts come from, before the pack or the server is opened.
pub struct Judging {
    server: Option<String>,
    offline: bool,
    max_pack_age: u32,
    place: Option<String>,
}

impl Judging {
    fn new(server: Option<String>, o: OfflineArgs) -> Self {
        Self {
            server,
            offline: o.offline,
            max_pack_age: o.max_pack_age,
            place: o.place,
        }
    }

    fn open(self, home: &Home) -> anyhow::Result<Judge> {
        if self.offline {
            return Ok(Judge::Offline {
                pack: Box::new(offline::load_pack(home)?),
                max_age_hours: self.max_pack_age,
            });
        }
        let server = account::server(home, self.server.as_deref())?;
        Ok(Judge::Online {
            client: account::client(home, &server)?,
            place: self.place,
        })
    }
}

/// Parses the process arguments (exits with clap's message on bad usage).
pub fn parse_args() -> Config {
    // clap exits 2 on bad usage, which `scan` uses for non-compliant goods: usage errors exit 3,
    // as every other error does.
    let args = Args::try_parse().unwrap_or_else(|e| {
        let code = if e.use_stderr() { 3 } else { 0 };
        let _ = e.print();
        std::process::exit(code)
    });
    let server = args.server;
    match args.command {
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
        Command::Scan {
            inputs,
            offline,
            json,
            csv,
            raw,
            formats,
            timeout_ms,
            jobs,
        } => {
            let mut decode = barcode::decode::Options {
                timeout: Duration::from_millis(timeout_ms),
                keep_misreads: raw,
                ..Default::default()
            };
            if !formats.is_empty() {
                decode.formats = formats;
            }
            let style = match (json, csv) {
                (true, _) => scan::Style::Json,
                (_, true) => scan::Style::Csv,
                _ => scan::Style::Table,
            };
            let jobs = jobs.unwrap_or_else(|| {
                std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
            });
            Config::Scan(
                scan::Config {
                    inputs,
                    decode,
                    jobs,
                    style,
                },
                Judging::new(server, offline),
            )
        }
        Command::Lookup {
            code,
            offline,
            json,
        } => Config::Lookup(code, Judging::new(server, offline), json),
        Command::Shipment { sscc, json } => Config::Shipment(server, sscc, json),
        Command::Login {
            email,
            api_key,
            password_stdin,
        } => Config::Login(
            server,
            account::Login {
                server: String::new(),
                email,
                secret_stdin: password_stdin,
                api_key,
            },
        ),
        Command::Logout => Config::Logout,
        Command::Inspect {
            target,
            outcome,
            note,
            photo,
            place,
        } => Config::Inspect(
            server,
            inspect::Config {
                target,
                outcome,
                note,
                photo,
                place,
                server: String::new(),
            },
        ),
        Command::Sync => Config::Sync,
        Command::Verify { target, json } => Config::Verify(verify::Config {
            target,
            server,
            json,
        }),
        Command::Keys {
            command: KeysCommand::Fetch,
        } => Config::KeysFetch(server),
        Command::Pack {
            command:
                PackCommand::Fetch {
                    org,
                    gtin_prefix,
                    serials,
                },
        } => Config::PackFetch(
            server,
            offline::Scope {
                org,
                gtin_prefix,
                serials,
            },
        ),
    }
}

impl Config {
    /// Runs the command, writing results to `out`.
    pub fn run(self, out: &mut impl Write) -> anyhow::Result<ExitCode> {
        let home = || Home::locate();
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
            Config::Scan(cfg, judging) => {
                let judge = judging.open(&home()?)?;
                Ok(scan::run(&cfg, &judge, out)?.into())
            }
            Config::Lookup(code, judging, json) => {
                let judge = judging.open(&home()?)?;
                Ok(lookup::run(&judge, &code, json, out)?.into())
            }
            Config::Shipment(server, sscc, json) => {
                let home = home()?;
                let server = account::server(&home, server.as_deref())?;
                account::signed_in(&home, &server)?;
                let client = account::client(&home, &server)?;
                Ok(shipment::run(&client, &sscc, json, out)?.into())
            }
            Config::Login(server, mut l) => {
                l.server =
                    server.context("--server URL (or GS1DPP_SERVER) is required to log in")?;
                account::login(&home()?, &l, out)?;
                Ok(ExitCode::SUCCESS)
            }
            Config::Logout => {
                account::logout(&home()?, out)?;
                Ok(ExitCode::SUCCESS)
            }
            Config::Inspect(server, mut cfg) => {
                let home = home()?;
                cfg.server = account::server(&home, server.as_deref())?;
                inspect::inspect(&home, &cfg, out)?;
                Ok(ExitCode::SUCCESS)
            }
            Config::Sync => {
                let refused = inspect::sync(&home()?, out)?;
                Ok(if refused == 0 {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                })
            }
            Config::Verify(cfg) => Ok(if verify::run(&home()?, &cfg, out)? {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }),
            Config::KeysFetch(server) => {
                let home = home()?;
                let server = account::server(&home, server.as_deref())?;
                offline::fetch_keys(&home, &account::client(&home, &server)?, out)?;
                Ok(ExitCode::SUCCESS)
            }
            Config::PackFetch(server, scope) => {
                let home = home()?;
                let server = account::server(&home, server.as_deref())?;
                account::signed_in(&home, &server)?;
                offline::fetch_pack(&home, &account::client(&home, &server)?, &scope, out)?;
                Ok(ExitCode::SUCCESS)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Every leaf command's `--help` ends with an example an officer can copy.
    #[test]
    fn every_command_has_an_example() {
        fn leaves(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            let path = format!("{path} {}", cmd.get_name());
            let subs: Vec<_> = cmd
                .get_subcommands()
                .filter(|c| c.get_name() != "help")
                .collect();
            let about = cmd
                .get_long_about()
                .map(ToString::to_string)
                .unwrap_or_default();
            let example = about
                .split("Example:")
                .nth(1)
                .is_some_and(|e| e.contains("gs1scan "));
            if !example && !path.trim().eq("gs1scan") {
                missing.push(path.clone());
            }
            for sub in subs {
                leaves(sub, &path, missing);
            }
        }
        let mut missing = Vec::new();
        leaves(&super::Args::command(), "", &mut missing);
        assert!(
            missing.is_empty(),
            "commands without an example: {missing:?}"
        );
    }
}
