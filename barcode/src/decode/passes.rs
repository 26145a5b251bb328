//! The reader passes: a fast one first, then harder ones only when it found nothing, on a
//! downscaled copy of a large photo; positions go back to the original pixels.

use std::collections::HashSet;

use image::{GrayImage, imageops};
use rxing::{
    BarcodeFormat, Binarizer, BinaryBitmap, DecodeHints, Luma8Source, MultiUseMultiFormatReader,
    RXingResult, RXingResultMetadataType, RXingResultMetadataValue,
    common::HybridBinarizer,
    multi::{GenericMultipleBarcodeReader, MultipleBarcodeReader},
};

use super::{Options, confirm, formats::Format};

/// Photos whose longest side is above this are read at this size first: the symbols in them
/// are big enough to survive it, and the readers' time grows with the pixel count.
const MAX_SIDE: u32 = 1600;

/// One symbol as rxing read it, before the GS1 checks.
#[derive(Clone, Debug)]
pub(crate) struct Raw {
    /// Its format.
    pub format: Format,
    /// The text as rxing returned it.
    pub text: String,
    /// The symbology identifier from rxing's metadata, when it gave one.
    pub symbology_identifier: Option<String>,
    /// Result points: in the pass's pixels until `read` maps them to the original's.
    pub points: Vec<(f32, f32)>,
    /// Whether it was read from the inverted image (light bars on a dark ground).
    pub inverted: bool,
}

/// How hard one pass tries.
#[derive(Clone, Copy, Debug)]
enum Effort {
    /// The middle rows for linear symbols, no rotation, no inversion.
    Fast,
    /// Every row, 90° rotations for linear symbols, and the inverted image.
    Hard,
}

/// The image a pass reads: the loaded one, or one made from it after a miss.
#[derive(Clone, Copy, Debug)]
enum Variant {
    /// As loaded, or downscaled to `MAX_SIDE` when larger.
    Working,
    /// As loaded, when `Working` is downscaled.
    Original,
    /// `Working` thresholded locally (rxing's hybrid binariser) and read as black and white:
    /// the linear readers otherwise threshold each row on its own histogram, which uneven
    /// light on a curved or glossy package defeats.
    Binarised,
    /// `Working` with its contrast raised: faded print and grey photos.
    Contrast,
    /// `Working` at three quarters: noise and JPEG blocking average out, modules shrink towards
    /// the size the detectors expect.
    Smaller,
    /// `Working` at twice the size, for small images (longest side up to `MAX_SIDE / 2`): thin
    /// bars and small modules a few pixels wide become wide enough to sample.
    Larger,
}

/// The passes in order; each runs only when all before it found nothing.
const PLAN: &[(Variant, Effort)] = &[
    (Variant::Working, Effort::Fast),
    (Variant::Working, Effort::Hard),
    (Variant::Original, Effort::Hard),
    (Variant::Binarised, Effort::Hard),
    (Variant::Contrast, Effort::Hard),
    (Variant::Smaller, Effort::Hard),
    (Variant::Larger, Effort::Hard),
];

/// Every symbol of `opts.formats` in `image`, from the first pass that finds any, with
/// positions in `image`'s pixels.
pub(crate) fn read(image: &GrayImage, opts: &Options) -> Vec<Raw> {
    let formats: HashSet<BarcodeFormat> = opts.formats.iter().filter_map(|f| f.rxing()).collect();
    if formats.is_empty() || image.width() == 0 || image.height() == 0 {
        return Vec::new();
    }
    let longest = image.width().max(image.height());
    let working = (longest > MAX_SIDE).then(|| scale(image, MAX_SIDE as f32 / longest as f32));
    let working_ref = working.as_ref().unwrap_or(image);
    for &(variant, effort) in PLAN {
        let made;
        let pixels = match variant {
            Variant::Working => working_ref,
            Variant::Original if working.is_some() => image,
            Variant::Original => continue,
            Variant::Larger if working_ref.width().max(working_ref.height()) > MAX_SIDE / 2 => {
                continue;
            }
            _ => {
                made = make(working_ref, variant);
                &made
            }
        };
        // Confirmation reads the working image, never a derived one: binarising or enlarging
        // makes neighbouring rows alike, so they would confirm a chance read.
        let found: Vec<Raw> = pass(pixels, &formats, effort)
            .into_iter()
            .map(|raw| rescaled(raw, pixels, working_ref))
            .filter(|r| !r.format.needs_second_line() || confirm::confirmed(working_ref, r))
            .collect();
        let found = confirm::without_part_reads(found);
        if !found.is_empty() {
            return found
                .into_iter()
                .map(|raw| rescaled(raw, working_ref, image))
                .collect();
        }
    }
    Vec::new()
}

/// `raw` with its points moved from `from`'s pixels to `to`'s.
fn rescaled(mut raw: Raw, from: &GrayImage, to: &GrayImage) -> Raw {
    let kx = to.width() as f32 / from.width() as f32;
    let ky = to.height() as f32 / from.height() as f32;
    for p in &mut raw.points {
        *p = (p.0 * kx, p.1 * ky);
    }
    raw
}

/// A derived image of `working` (`Working` and `Original` are not made, they are given).
fn make(working: &GrayImage, variant: Variant) -> GrayImage {
    match variant {
        Variant::Binarised => binarised(working).unwrap_or_else(|| working.clone()),
        Variant::Contrast => imageops::contrast(working, 40.0),
        Variant::Smaller => scale(working, 0.75),
        Variant::Larger => scale(working, 2.0),
        Variant::Working | Variant::Original => working.clone(),
    }
}

/// `image` resized by `k` (bilinear).
fn scale(image: &GrayImage, k: f32) -> GrayImage {
    let w = ((image.width() as f32 * k).round() as u32).max(1);
    let h = ((image.height() as f32 * k).round() as u32).max(1);
    imageops::resize(image, w, h, imageops::FilterType::Triangle)
}

/// `image` through rxing's hybrid binariser, as black (0) and white (255) pixels.
fn binarised(image: &GrayImage) -> Option<GrayImage> {
    let source = Luma8Source::new_with_slice(image.as_raw(), image.width(), image.height()).ok()?;
    let binariser = HybridBinarizer::new(source);
    let matrix = binariser.get_black_matrix().ok()?;
    Some(GrayImage::from_fn(image.width(), image.height(), |x, y| {
        image::Luma([if matrix.get(x, y) { 0 } else { 255 }])
    }))
}

/// One pass of rxing's multiple-symbol reader over `pixels`.
fn pass(pixels: &GrayImage, formats: &HashSet<BarcodeFormat>, effort: Effort) -> Vec<Raw> {
    let hard = matches!(effort, Effort::Hard);
    let hints = DecodeHints {
        PossibleFormats: Some(formats.clone()),
        TryHarder: Some(hard),
        AlsoInverted: Some(hard),
        // Code 128's FNC1s become "]C1" and ASCII 29 only with this; GS1 needs them.
        AssumeGs1: Some(true),
        ..DecodeHints::default()
    };
    let Ok(source) = Luma8Source::new_with_slice(pixels.as_raw(), pixels.width(), pixels.height())
    else {
        return Vec::new();
    };
    let results = multi(BinaryBitmap::new(HybridBinarizer::new(source)), &hints);
    results.into_iter().filter_map(|r| raw(&r)).collect()
}

/// rxing's multiple-symbol reader: the whole image, then the parts beside each symbol found.
fn multi<B: Binarizer>(mut bitmap: BinaryBitmap<B>, hints: &DecodeHints) -> Vec<RXingResult> {
    let mut reader = GenericMultipleBarcodeReader::new(MultiUseMultiFormatReader::default());
    reader
        .decode_multiple_with_hints(&mut bitmap, hints)
        .unwrap_or_default()
}

/// Ours from rxing's result, or `None` for a format GS1 does not use.
fn raw(r: &RXingResult) -> Option<Raw> {
    let format = Format::from_rxing(*r.getBarcodeFormat())?;
    let metadata = r.getRXingResultMetadata();
    let symbology_identifier = match metadata.get(&RXingResultMetadataType::SYMBOLOGY_IDENTIFIER) {
        Some(RXingResultMetadataValue::SymbologyIdentifier(id)) => Some(id.clone()),
        _ => None,
    };
    let inverted = matches!(
        metadata.get(&RXingResultMetadataType::IS_INVERTED),
        Some(RXingResultMetadataValue::IsInverted(true))
    );
    Some(Raw {
        format,
        text: r.getText().to_owned(),
        symbology_identifier,
        points: r.getPoints().iter().map(|p| (p.x, p.y)).collect(),
        inverted,
    })
}
