//! `barcode::decode` on images this crate draws: an EAN-13 and a GS1 DataMatrix label read back
//! with their identifiers, and a JPEG whose pixels are stored turned, upright only by its EXIF
//! orientation.

use barcode::{
    Layout, Options as LayoutOptions, Symbol, Symbology,
    decode::{DecodeError, Format, Options, decode},
    render,
};
use gs1::{
    date::Date,
    element::{AiString, Options as ElementOptions},
    keys::Gtin,
    scan::PrimaryKey,
};
use image::{GrayImage, ImageEncoder, codecs::jpeg::JpegEncoder, imageops};

fn today() -> Date {
    Date::new(2026, 12, 1).unwrap_or_else(|| panic!("date"))
}

fn layout(symbol: &Symbol) -> Layout {
    Layout::new(symbol, &LayoutOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn ean13() -> Symbol {
    let gtin = Gtin::parse("08934567000017").unwrap_or_else(|e| panic!("{e}"));
    Symbol::gtin(Symbology::Ean13, &gtin).unwrap_or_else(|e| panic!("{e}"))
}

/// Width and height of a PNG.
fn size(png: &[u8]) -> (u32, u32) {
    let img = image::load_from_memory(png).unwrap_or_else(|e| panic!("{e}"));
    (img.width(), img.height())
}

#[test]
fn an_ean13_label_reads_back_with_its_gtin_and_position() {
    let png = render::png(&layout(&ean13()), 300).unwrap_or_else(|e| panic!("{e}"));
    let (w, h) = size(&png);
    let found = decode(&png, &Options::default(), today()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found.len(), 1, "{found:?}");
    let f = &found[0];
    assert_eq!(f.format, Format::Ean13);
    assert_eq!(f.symbology_identifier, "]E0");
    assert_eq!(f.text, "8934567000017");
    assert!(f.misread.is_none());
    let ids = f.reading.as_ref().unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(&ids.primary, PrimaryKey::Gtin(g) if g.as_str() == "08934567000017"));
    assert!(!f.position.is_empty());
    for &(x, y) in &f.position {
        assert!(
            (0.0..w as f32).contains(&x) && (0.0..h as f32).contains(&y),
            "{x},{y}"
        );
    }
}

#[test]
fn a_gs1_datamatrix_label_reads_back_as_gs1_data() {
    let ais = AiString::parse_bracketed(
        "(01)09506000134352(17)271231(10)ABC123",
        &ElementOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let symbol =
        Symbol::element_string(Symbology::Gs1DataMatrix, &ais).unwrap_or_else(|e| panic!("{e}"));
    let png = render::png(&layout(&symbol), 300).unwrap_or_else(|e| panic!("{e}"));
    let found = decode(&png, &Options::default(), today()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found.len(), 1, "{found:?}");
    let f = &found[0];
    assert_eq!(
        (f.format, f.symbology_identifier.as_str()),
        (Format::DataMatrix, "]d2")
    );
    assert_eq!(f.text, "01095060001343521727123110ABC123");
    let ids = f.reading.as_ref().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ids.lot.as_ref().map(|l| l.as_str()), Some("ABC123"));
}

#[test]
fn only_the_formats_asked_for_are_searched() {
    let png = render::png(&layout(&ean13()), 300).unwrap_or_else(|e| panic!("{e}"));
    let opts = Options {
        formats: vec![Format::QrCode, Format::DataMatrix],
        ..Options::default()
    };
    let found = decode(&png, &opts, today()).unwrap_or_else(|e| panic!("{e}"));
    assert!(found.is_empty(), "{found:?}");
}

/// `jpeg` with an APP1 Exif segment saying `orientation`, right after the SOI marker.
fn with_exif_orientation(jpeg: &[u8], orientation: u8) -> Vec<u8> {
    let tiff: &[u8] = &[
        b'M',
        b'M',
        0,
        42,
        0,
        0,
        0,
        8, // big-endian TIFF header, IFD at offset 8
        0,
        1, // one entry
        0x01,
        0x12,
        0,
        3,
        0,
        0,
        0,
        1,
        0,
        orientation,
        0,
        0, // Orientation, SHORT, 1 value
        0,
        0,
        0,
        0, // no next IFD
    ];
    let mut body = b"Exif\0\0".to_vec();
    body.extend_from_slice(tiff);
    let len = u16::try_from(body.len() + 2).unwrap_or(u16::MAX);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&body);
    out.extend_from_slice(&jpeg[2..]);
    out
}

#[test]
fn a_jpeg_is_read_upright_as_its_exif_orientation_says() {
    let bitmap = render::raster(&layout(&ean13()), 4);
    let upright = GrayImage::from_raw(bitmap.width, bitmap.height, bitmap.pixels)
        .unwrap_or_else(|| panic!("raster size"));
    let (w, h) = upright.dimensions();
    assert!(w > h, "an EAN-13 label is wider than tall");
    // Stored turned a quarter left; EXIF orientation 6 says "turn 90° clockwise to show".
    let stored = imageops::rotate270(&upright);
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 90)
        .write_image(
            stored.as_raw(),
            stored.width(),
            stored.height(),
            image::ExtendedColorType::L8,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let jpeg = with_exif_orientation(&jpeg, 6);
    let found = decode(&jpeg, &Options::default(), today()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "8934567000017");
    // Positions are in the upright image: inside w × h, along a row (rxing's linear readers
    // give two points on the scan line), not down a column of the stored pixels.
    let points = &found[0].position;
    for &(x, y) in points {
        assert!(x < w as f32 && y < h as f32, "({x}, {y}) outside {w}×{h}");
    }
    let ((x0, y0), (x1, y1)) = (points[0], points[1]);
    assert!(
        (y1 - y0).abs() < 1.0 && (x1 - x0).abs() > w as f32 / 2.0,
        "{points:?}"
    );
}

#[test]
fn a_large_photo_is_read_downscaled_with_positions_in_its_own_pixels() {
    let bitmap = render::raster(&layout(&ean13()), 24);
    let (w, h) = (bitmap.width, bitmap.height);
    assert!(w > 2000, "{w} px is not large");
    let image = GrayImage::from_raw(w, h, bitmap.pixels).unwrap_or_else(|| panic!("size"));
    let mut png = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap_or_else(|e| panic!("{e}"));
    let found = decode(&png, &Options::default(), today()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found.len(), 1, "{found:?}");
    let points = &found[0].position;
    let (x0, x1) = (points[0].0.min(points[1].0), points[0].0.max(points[1].0));
    // The bars span most of the label's width in its own pixels, not in the 1600 px copy.
    assert!(
        x1 - x0 > 0.7 * w as f32 && x1 < w as f32,
        "{points:?} in {w}×{h}"
    );
}

#[test]
fn bytes_that_are_no_image_are_unreadable() {
    let err = decode(b"GIF89a?", &Options::default(), today()).unwrap_err();
    assert!(matches!(err, DecodeError::Unreadable(_)), "{err}");
}
