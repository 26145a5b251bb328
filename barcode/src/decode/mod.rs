//! Every GS1 symbol in an image's bytes (feature `decode`): rxing's readers, bounded in time and
//! isolated from their panics, with GS1's checks deciding what counts as a read.
//!
//! The image is decoded from bytes (no files): PNG, JPEG (EXIF orientation honoured), WebP,
//! BMP, TIFF, GIF, the format sniffed from the bytes.

mod confirm;
mod formats;
mod gs1_check;
mod isolate;
mod load;
mod passes;

use std::time::Duration;

use gs1::{
    date::Date,
    scan::{Identifiers, IdentifyError},
};
use image::GrayImage;

pub use formats::{Format, UnknownFormat};
use passes::Raw;

/// What to look for and how long to try.
#[derive(Clone, Debug)]
pub struct Options {
    /// The formats searched; the others are not looked for.
    pub formats: Vec<Format>,
    /// The longest the caller waits for one image.
    pub timeout: Duration,
    /// Also return reads whose GS1 check failed, marked with `misread`.
    pub keep_misreads: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            formats: Format::ALL.to_vec(),
            timeout: Duration::from_secs(2),
            keep_misreads: false,
        }
    }
}

/// One symbol found in the image.
#[derive(Clone, Debug)]
pub struct Found {
    /// Its format.
    pub format: Format,
    /// Its symbology identifier, always set: `]E0`, `]C1`, `]d2`, `]Q3`, `]e0`, `]I0`, `]Q1`...
    pub symbology_identifier: String,
    /// The data as a scanner sends it after the identifier (GS1 data with ASCII 29 separators).
    pub text: String,
    /// rxing's result points, in the original image's pixels after EXIF orientation.
    pub position: Vec<(f32, f32)>,
    /// `gs1::scan::identify` of identifier and text (a UPC-E expanded to its GTIN-12 first, an
    /// ITF-14's digits bare); the message when it is not GS1 data.
    pub reading: Result<Identifiers, IdentifyError>,
    /// Why this read failed its GS1 check; only ever `Some` with `Options::keep_misreads`.
    pub misread: Option<String>,
}

/// Why an image gave no answer (an image without symbols is `Ok` and empty, not an error).
// Not `#[non_exhaustive]`: the scanner CLI matches these three exhaustively to exit codes.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// The bytes are not an image this build can read.
    #[error("unreadable image: {0}")]
    Unreadable(String),
    /// The decoders did not finish within the timeout (their thread is left to finish alone).
    #[error("decoding took longer than {0:?}")]
    TimedOut(Duration),
    /// A decoder panicked; the panic was caught.
    #[error("the decoder panicked: {0}")]
    Panicked(String),
}

/// Every symbol in the image, deduplicated (same format + text once).
pub fn decode(bytes: &[u8], opts: &Options, today: Date) -> Result<Vec<Found>, DecodeError> {
    decode_with(bytes, opts, today, passes::read)
}

/// `decode` with the reader passes given, so that tests can put a failing reader in.
fn decode_with(
    bytes: &[u8],
    opts: &Options,
    today: Date,
    reader: fn(&GrayImage, &Options) -> Vec<Raw>,
) -> Result<Vec<Found>, DecodeError> {
    let bytes = bytes.to_vec();
    let worker_opts = opts.clone();
    isolate::bounded(opts.timeout, move || {
        let pixels = load::luma(&bytes)?;
        let mut out: Vec<Found> = Vec::new();
        for raw in reader(&pixels, &worker_opts) {
            let Some(found) = gs1_check::judge(raw, today, worker_opts.keep_misreads) else {
                continue;
            };
            if !out
                .iter()
                .any(|f| f.format == found.format && f.text == found.text)
            {
                out.push(found);
            }
        }
        Ok(out)
    })
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    fn blank_png() -> Vec<u8> {
        let mut bytes = Vec::new();
        GrayImage::new(8, 8)
            .write_to(
                &mut std::io::Cursor::new(&mut bytes),
                image::ImageFormat::Png,
            )
            .unwrap();
        bytes
    }

    fn today() -> Date {
        Date::new(2026, 1, 1).unwrap()
    }

    fn panicking(_: &GrayImage, _: &Options) -> Vec<Raw> {
        panic!("injected reader panic")
    }

    fn sleeping(_: &GrayImage, _: &Options) -> Vec<Raw> {
        std::thread::sleep(Duration::from_secs(5));
        Vec::new()
    }

    #[test]
    fn a_panicking_reader_is_reported() {
        let err = decode_with(&blank_png(), &Options::default(), today(), panicking).unwrap_err();
        assert!(
            matches!(&err, DecodeError::Panicked(m) if m.contains("injected")),
            "{err}"
        );
    }

    #[test]
    fn a_hanging_reader_times_out_and_the_caller_returns() {
        let opts = Options {
            timeout: Duration::from_millis(200),
            ..Options::default()
        };
        let start = Instant::now();
        let err = decode_with(&blank_png(), &opts, today(), sleeping).unwrap_err();
        assert!(
            matches!(err, DecodeError::TimedOut(d) if d == opts.timeout),
            "{err}"
        );
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn an_image_without_symbols_is_empty_not_an_error() {
        let found = decode(&blank_png(), &Options::default(), today()).unwrap();
        assert!(found.is_empty());
    }
}
