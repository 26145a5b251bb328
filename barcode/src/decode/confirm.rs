//! The rules that keep spurious linear reads out.
//!
//! rxing's linear readers accept the first single row of pixels that decodes. Among the
//! hundreds of rows a hard pass tries over a textured photo, one can decode by chance, and the
//! odds grow as the symbol gets shorter: UPC-E (51 modules, six digits and a parity-coded
//! check) and EAN-8 (67 modules) leave chance far less to match than EAN-13 or UPC-A (95
//! modules, a parity pattern for the first digit and a check digit) or Code 128 (a mod-103
//! check character); ITF's start and stop patterns are a few narrow bars any texture has.
//! Such a chance read is the UPC-E ("]E0") rxing finds in `falsepositives-2/13.png`.
//!
//! So an EAN-8, UPC-E or ITF read must be read again, to the same text, on a second scan line
//! parallel to the first and near it: within 3% of the image (at least 8 px). A real symbol's
//! bars are tall (at least 15% of its width for GS1) and read on a band of neighbouring rows;
//! a chance decode depends on one row's exact noise and, where it recurs at all, recurs on
//! isolated rows far apart (23 and 29 px away in the reference photos, while every real
//! EAN-8, UPC-E and ITF there reads again within 1 to 2 px). The second line is read on its
//! own, as a one-row image, with only that format and the per-row binarisation rxing uses, on
//! the working image even when a derived one (binarised, enlarged) gave the read, since those
//! make neighbouring rows alike. EAN-13, UPC-A and Code 128 are taken from one line:
//! photographed ones often read on one row only (four of the reference photos), and requiring
//! a second would cost those real reads.

use image::GrayImage;
use rxing::{
    BarcodeFormat, BinaryBitmap, DecodeHints, Luma8LuminanceSource, MultiFormatReader, Reader,
    common::GlobalHistogramBinarizer,
};

use super::{formats::Format, passes::Raw};

/// Whether `raw`, read from one scan line of `pixels`, reads again on a parallel line.
/// Call it for formats whose `needs_second_line` is true.
pub(crate) fn confirmed(pixels: &GrayImage, raw: &Raw) -> bool {
    let Some(format) = raw.format.rxing() else {
        return false;
    };
    let (Some(&(x0, y0)), Some(&(x1, y1))) = (raw.points.first(), raw.points.get(1)) else {
        return false;
    };
    // rxing scans rows, and columns when TryHarder rotates the image: the line is one of them.
    let horizontal = (y1 - y0).abs() <= (x1 - x0).abs();
    let (at, across) = if horizontal {
        (y0, pixels.height())
    } else {
        (x0, pixels.width())
    };
    // Nearest first.
    let reach = (across as f32 * 0.03).max(8.0) as i64;
    (1..=reach)
        .flat_map(|d| [d, -d])
        .filter_map(|d| {
            let line = at.round() as i64 + d;
            u32::try_from(line).ok().filter(|&l| l < across)
        })
        .any(|line| {
            let samples = scan_line(pixels, horizontal, line, raw.inverted);
            reads_as(samples, format, &raw.text)
        })
}

/// `reads` without the EAN-8 and UPC-E reads that lie along an EAN-13 or UPC-A read.
///
/// The multiple-symbol reader looks again above, below and beside each symbol it found; above
/// and below are the rest of the same symbol's bars, and EAN-8 and UPC-E are made of the same
/// guards and digit patterns as EAN-13 and UPC-A, so part of one can read as a valid EAN-8.
/// An EAN-8 or UPC-E whose scan line overlaps a longer EAN-13 or UPC-A's by more than half
/// its length, nearer to it than the longer one is long, is part of that symbol. Other
/// symbologies are left alone: a logistics label stacks GS1-128 symbols of any lengths.
pub(crate) fn without_part_reads(reads: Vec<Raw>) -> Vec<Raw> {
    let spans: Vec<Option<Span>> = reads.iter().map(Span::of).collect();
    reads
        .into_iter()
        .enumerate()
        .filter(|(i, r)| {
            let Some(mine) = spans[*i] else { return true };
            let part = matches!(r.format, Format::Ean8 | Format::UpcE);
            !(part
                && spans.iter().enumerate().any(|(j, other)| {
                    other.is_some_and(|o| {
                        j != *i && o.whole && o.len() > mine.len() && o.covers(&mine)
                    })
                }))
        })
        .map(|(_, r)| r)
        .collect()
}

/// A linear read's scan line: along its direction from `from` to `to`, at `at` across.
#[derive(Clone, Copy, Debug)]
struct Span {
    /// Whether it is an EAN-13 or UPC-A, which an EAN-8 or UPC-E can be part of.
    whole: bool,
    horizontal: bool,
    from: f32,
    to: f32,
    at: f32,
}

impl Span {
    fn of(raw: &Raw) -> Option<Self> {
        if !raw.format.is_row_read() {
            return None;
        }
        let (&(x0, y0), &(x1, y1)) = (raw.points.first()?, raw.points.get(1)?);
        let horizontal = (y1 - y0).abs() <= (x1 - x0).abs();
        let (a, b, at) = if horizontal {
            (x0, x1, y0)
        } else {
            (y0, y1, x0)
        };
        Some(Self {
            whole: matches!(raw.format, Format::Ean13 | Format::UpcA),
            horizontal,
            from: a.min(b),
            to: a.max(b),
            at,
        })
    }

    fn len(&self) -> f32 {
        self.to - self.from
    }

    /// Whether `other` lies along this one: same direction, overlapping by more than half of
    /// the shorter, and nearer than this one is long.
    fn covers(&self, other: &Span) -> bool {
        let overlap = self.to.min(other.to) - self.from.max(other.from);
        self.horizontal == other.horizontal
            && overlap > 0.5 * self.len().min(other.len())
            && (self.at - other.at).abs() < self.len()
    }
}

/// The pixels of one row (or column) of `pixels`, inverted when the read was.
fn scan_line(pixels: &GrayImage, horizontal: bool, at: u32, inverted: bool) -> Vec<u8> {
    let line: Vec<u8> = if horizontal {
        (0..pixels.width()).map(|x| pixels[(x, at)].0[0]).collect()
    } else {
        (0..pixels.height()).map(|y| pixels[(at, y)].0[0]).collect()
    };
    if inverted {
        line.into_iter().map(|v| 255 - v).collect()
    } else {
        line
    }
}

/// Whether one line of samples decodes, as `format`, to `text`.
fn reads_as(samples: Vec<u8>, format: BarcodeFormat, text: &str) -> bool {
    let Ok(width) = u32::try_from(samples.len()) else {
        return false;
    };
    let Ok(source) = Luma8LuminanceSource::new(samples, width, 1) else {
        return false;
    };
    let hints = DecodeHints {
        PossibleFormats: Some([format].into_iter().collect()),
        AssumeGs1: Some(true),
        ..DecodeHints::default()
    };
    let mut bitmap = BinaryBitmap::new(GlobalHistogramBinarizer::new(source));
    MultiFormatReader::default()
        .decode_with_hints(&mut bitmap, &hints)
        .is_ok_and(|r| r.getText() == text)
}
