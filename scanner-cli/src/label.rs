//! `gs1scan label`: the same symbols the platform prints, made offline into a file.

use std::{io::Write, path::PathBuf, process::ExitCode};

use anyhow::{Context, bail};
use barcode::{Layout, MatrixShape, Options, Symbol, Symbology, render};
use gs1::{
    digital_link::{DigitalLink, DlOptions},
    element::{AiString, Options as ElementOptions},
    keys::{Gtin, Sscc},
};

/// The symbol and its size, as `label` and `labels` both take them.
#[derive(clap::Args, Debug)]
pub struct SymbolArgs {
    /// ean13, ean8, upca, itf14, gs1-128, gs1-datamatrix, gs1-qr, datamatrix or qr; by
    /// default the code's own (EAN/UPC/ITF-14 for a GTIN, GS1-128 for an SSCC or an element
    /// string, QR for a Digital Link URI).
    #[arg(long)]
    pub symbology: Option<Symbology>,
    /// X-dimension (module width) in mm; default: the symbology's nominal one.
    #[arg(long, value_name = "MM")]
    pub x_mm: Option<f64>,
    /// PNG resolution in dots per inch; modules are whole pixels.
    #[arg(long, default_value_t = 300)]
    pub dpi: u32,
}

/// What to draw and where.
#[derive(Debug)]
pub struct Config {
    /// A GTIN, an SSCC, a bracketed or `^` element string, or a Digital Link URI.
    pub code: String,
    /// The file; its extension (`.svg`, `.png`, `.pdf`) picks the format.
    pub output: PathBuf,
    /// Symbology, X-dimension, resolution.
    pub symbol: SymbolArgs,
    /// Rectangular DataMatrix.
    pub rectangle: bool,
    /// Print the human-readable text (`Some(false)` leaves it out).
    pub text: Option<bool>,
}

/// The symbol `code` asks for.
fn symbol(code: &str, symbology: Option<Symbology>, shape: MatrixShape) -> anyhow::Result<Symbol> {
    let code = code.trim();
    let symbol = if code.starts_with("http://") || code.starts_with("https://") {
        let link = DigitalLink::parse(code, &DlOptions::default())
            .with_context(|| format!("{code:?} is not a GS1 Digital Link URI"))?;
        Symbol::digital_link(symbology.unwrap_or(Symbology::Qr), &link, shape)?
    } else if code.starts_with('(') || code.starts_with('^') {
        let opts = ElementOptions::default();
        let ais = if code.starts_with('(') {
            AiString::parse_bracketed(code, &opts)
        } else {
            AiString::parse_unbracketed(code, &opts)
        }
        .with_context(|| format!("{code:?} is not a valid element string"))?;
        Symbol::element_string(symbology.unwrap_or(Symbology::Gs1_128), &ais)?
    } else if code.len() == 18 && code.bytes().all(|b| b.is_ascii_digit()) {
        let sscc = Sscc::parse(code).with_context(|| format!("{code:?} is not a valid SSCC"))?;
        Symbol::sscc(symbology.unwrap_or(Symbology::Gs1_128), &sscc)?
    } else if code.bytes().all(|b| b.is_ascii_digit()) {
        let gtin = Gtin::parse(code).with_context(|| format!("{code:?} is not a valid GTIN"))?;
        match symbology {
            None => Symbol::for_gtin(&gtin)?,
            Some(s) => Symbol::gtin(s, &gtin)?,
        }
    } else {
        bail!("{code:?} is not a GTIN, an SSCC, an element string or a Digital Link URI");
    };
    Ok(symbol.with_shape(shape)?)
}

/// Draws the label and writes it; prints what it wrote.
pub fn run(c: &Config, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let ext = c
        .output
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    let format: render::Format = ext.parse().with_context(|| {
        format!(
            "{}: the file name must end .svg, .png or .pdf",
            c.output.display()
        )
    })?;
    let shape = if c.rectangle {
        MatrixShape::Rectangle
    } else {
        MatrixShape::Square
    };
    let symbol = symbol(&c.code, c.symbol.symbology, shape)?;
    let opts = Options {
        x_mm: c.symbol.x_mm,
        text: c.text,
        ..Options::default()
    };
    let layout = Layout::new(&symbol, &opts)?;
    let bytes = match format {
        render::Format::Svg => render::svg(&layout).into_bytes(),
        render::Format::Png => render::png(&layout, c.symbol.dpi)?,
        render::Format::Pdf => render::pdf(&layout),
    };
    std::fs::write(&c.output, bytes).with_context(|| format!("writing {}", c.output.display()))?;
    let (w, h) = layout.size_mm();
    writeln!(
        out,
        "{}: {} at X {} mm, {w:.1} x {h:.1} mm",
        c.output.display(),
        symbol.symbology,
        layout.x_mm
    )?;
    Ok(ExitCode::SUCCESS)
}

/// Many labels at once: one code a line in, one file a code out, on every core.
#[derive(Debug)]
pub struct Batch {
    /// Where the codes come from (`-` for standard input).
    pub input: PathBuf,
    /// The folder the files go to (`00001.png`, `00002.png`, ... by line number).
    pub out_dir: PathBuf,
    /// `svg`, `png` or `pdf`.
    pub format: render::Format,
    /// As for one label.
    pub symbol: SymbolArgs,
}

/// Draws one file per input line; prints how many and how fast. Stops at the first refusal,
/// naming its line.
pub fn run_batch(b: &Batch, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let text = if b.input.as_os_str() == "-" {
        std::io::read_to_string(std::io::stdin())?
    } else {
        std::fs::read_to_string(&b.input)
            .with_context(|| format!("reading {}", b.input.display()))?
    };
    // Blank lines are skipped but keep their numbers, so a refusal names the line in the file.
    let codes: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l))
        .collect();
    std::fs::create_dir_all(&b.out_dir)
        .with_context(|| format!("creating {}", b.out_dir.display()))?;
    let ext = match b.format {
        render::Format::Svg => "svg",
        render::Format::Png => "png",
        render::Format::Pdf => "pdf",
    };
    let started = std::time::Instant::now();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = codes.len().div_ceil(workers.max(1)).max(1);
    let opts = Options {
        x_mm: b.symbol.x_mm,
        ..Options::default()
    };
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let handles: Vec<_> = codes
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || -> anyhow::Result<()> {
                    for &(line, code) in part {
                        let draw = || -> anyhow::Result<Vec<u8>> {
                            let symbol = symbol(code, b.symbol.symbology, MatrixShape::Square)?;
                            let layout = Layout::new(&symbol, &opts)?;
                            Ok(match b.format {
                                render::Format::Svg => render::svg(&layout).into_bytes(),
                                render::Format::Png => render::png(&layout, b.symbol.dpi)?,
                                render::Format::Pdf => render::pdf(&layout),
                            })
                        };
                        let bytes = draw().with_context(|| format!("line {line}"))?;
                        let path = b.out_dir.join(format!("{line:05}.{ext}"));
                        std::fs::write(&path, bytes)
                            .with_context(|| format!("writing {}", path.display()))?;
                    }
                    Ok(())
                })
            })
            .collect();
        for h in handles {
            h.join()
                .map_err(|_| anyhow::anyhow!("a drawing thread panicked"))??;
        }
        Ok(())
    })?;
    let secs = started.elapsed().as_secs_f64();
    writeln!(
        out,
        "{} labels in {secs:.2} s ({:.0} labels/s) into {}",
        codes.len(),
        codes.len() as f64 / secs.max(1e-9),
        b.out_dir.display()
    )?;
    Ok(ExitCode::SUCCESS)
}
