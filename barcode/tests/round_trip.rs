//! Every symbology × at least five payloads × two X-dimensions, drawn and read back with rxing's
//! readers: the same data and the expected symbology identifier. Then geometry against GS1's
//! tables, and every refusal the symbologies' limits call for.

use barcode::{
    LabelError, Layout, MatrixShape, Options, Symbol, Symbology,
    render::{self, pixels_per_module},
    text::Font,
};
use gs1::{
    digital_link::{DigitalLink, DlOptions},
    element::{AiString, Options as ElementOptions},
    keys::{Gtin, Sscc},
};
use rxing::{
    BarcodeFormat, DecodeHintValue, DecodeHints, RXingResultMetadataType, RXingResultMetadataValue,
};

/// A GTIN from its digits without the check digit.
fn gtin(body: &str) -> Gtin {
    let check = gs1::check_digit::compute(body.as_bytes()).unwrap_or(b'0');
    let digits = format!("{body}{}", char::from(check));
    Gtin::parse(&digits).unwrap_or_else(|e| panic!("{digits}: {e}"))
}

fn ais(bracketed: &str) -> AiString {
    AiString::parse_bracketed(bracketed, &ElementOptions::default())
        .unwrap_or_else(|e| panic!("{bracketed}: {e}"))
}

fn link(uri: &str) -> DigitalLink {
    DigitalLink::parse(uri, &DlOptions::default()).unwrap_or_else(|e| panic!("{uri}: {e}"))
}

fn format_of(s: Symbology) -> BarcodeFormat {
    match s {
        Symbology::Ean13 => BarcodeFormat::EAN_13,
        Symbology::Ean8 => BarcodeFormat::EAN_8,
        Symbology::UpcA => BarcodeFormat::UPC_A,
        Symbology::Itf14 => BarcodeFormat::ITF,
        Symbology::Gs1_128 => BarcodeFormat::CODE_128,
        Symbology::Gs1DataMatrix | Symbology::DataMatrix => BarcodeFormat::DATA_MATRIX,
        Symbology::Gs1Qr | Symbology::Qr => BarcodeFormat::QR_CODE,
    }
}

/// Draws `symbol` at `x_mm` (600 dpi) and reads it back: (text, symbology identifier).
fn read_back(symbol: &Symbol, x_mm: f64) -> (String, String) {
    let layout = Layout::new(
        symbol,
        &Options {
            x_mm: Some(x_mm),
            ..Options::default()
        },
    )
    .unwrap_or_else(|e| panic!("{}: {e}", symbol.data));
    let scale = pixels_per_module(x_mm, 600).unwrap_or_else(|e| panic!("{e}"));
    let bitmap = render::raster(&layout, scale);
    let mut hints = DecodeHints::default().with(DecodeHintValue::TryHarder(true));
    // rxing's Code 128 reader sends FNC1 after the first as ASCII 29 only when told the data
    // is GS1, and then writes the symbology identifier into the text as well.
    let gs1_128 = symbol.symbology == Symbology::Gs1_128;
    if gs1_128 {
        hints = hints.with(DecodeHintValue::AssumeGs1(true));
    }
    let result = rxing::helpers::detect_in_luma_with_hints(
        bitmap.pixels,
        bitmap.width,
        bitmap.height,
        Some(format_of(symbol.symbology)),
        &mut hints,
    )
    .unwrap_or_else(|e| panic!("{} {:?} at {x_mm} mm: {e}", symbol.symbology, symbol.data));
    let id = match result
        .getRXingResultMetadata()
        .get(&RXingResultMetadataType::SYMBOLOGY_IDENTIFIER)
    {
        Some(RXingResultMetadataValue::SymbologyIdentifier(id)) => id.clone(),
        _ => String::new(),
    };
    let text = result.getText();
    let text = if gs1_128 {
        text.strip_prefix("]C1").unwrap_or(text)
    } else {
        text
    };
    (text.to_owned(), id)
}

/// Symbols that must read back to their own data with their symbology's identifier.
fn cases() -> Vec<Symbol> {
    let mut out = Vec::new();
    let mut add = |r: Result<Symbol, LabelError>| out.push(r.unwrap_or_else(|e| panic!("{e}")));
    for body in [
        "893456700001",
        "893999000042",
        "950600013435",
        "400638133393",
        "590123412345",
    ] {
        add(Symbol::gtin(Symbology::Ean13, &gtin(&format!("0{body}"))));
    }
    for body in ["9638507", "9031101", "8934567", "5512345", "4006381"] {
        add(Symbol::gtin(
            Symbology::Ean8,
            &gtin(&format!("000000{body}")),
        ));
    }
    for body in [
        "03600029145",
        "01234567890",
        "61414100003",
        "72527273070",
        "04210000526",
    ] {
        add(Symbol::gtin(Symbology::UpcA, &gtin(&format!("00{body}"))));
    }
    for body in [
        "1893456700001",
        "2950600013435",
        "5400638133393",
        "8893999000042",
        "0893456700001",
    ] {
        add(Symbol::gtin(Symbology::Itf14, &gtin(body)));
    }
    let element_strings = [
        "(01)08934567000017(10)CF2026A",
        "(01)09506000134352(17)271231(10)ABC123",
        // FNC1-heavy: short variable-length values one after another.
        "(01)09506000134352(10)A(21)B(91)C",
        // An odd run of digits inside letters.
        "(01)09506000134352(21)A1234567B",
        // 48 data characters, GS1-128's maximum, which at 0.495 mm is just under 165.1 mm.
        "(01)09506000134352(17)271231(3103)000750(10)123456789012",
    ];
    for s in element_strings {
        for sym in [
            Symbology::Gs1_128,
            Symbology::Gs1DataMatrix,
            Symbology::Gs1Qr,
        ] {
            add(Symbol::element_string(sym, &ais(s)));
        }
    }
    // 48 characters with letters: too long for GS1-128 at any logistic X-dimension, so 2D only.
    for sym in [Symbology::Gs1DataMatrix, Symbology::Gs1Qr] {
        add(Symbol::element_string(
            sym,
            &ais("(01)09506000134352(10)ABCDEFGHIJKLMNOPQRST(21)1234567"),
        ));
    }
    let sscc = Sscc::parse("389345670000000018").unwrap_or_else(|e| panic!("{e}"));
    for sym in [
        Symbology::Gs1_128,
        Symbology::Gs1DataMatrix,
        Symbology::Gs1Qr,
    ] {
        add(Symbol::sscc(sym, &sscc));
    }
    // Longer 2D payloads than GS1-128 may carry.
    for sym in [Symbology::Gs1DataMatrix, Symbology::Gs1Qr] {
        add(Symbol::element_string(
            sym,
            &ais("(01)09506000134352(21)12345678901234567890(10)ABCDEFGHIJKLMNOPQRST(17)280101"),
        ));
    }
    let uris = [
        "https://id.gs1.org/01/09506000134352",
        "https://id.gs1.org/01/09506000134352/10/ABC123/21/S1",
        "http://127.0.0.1:8080/01/08934567000017/10/CF2026A?17=271231",
        "https://resolver.example.vn/01/08934567000017/21/CF0001",
        "https://id.gs1.org/00/389345670000000018",
    ];
    for uri in uris {
        for sym in [Symbology::Qr, Symbology::DataMatrix] {
            add(Symbol::digital_link(sym, &link(uri), MatrixShape::Square));
        }
    }
    add(Symbol::digital_link(
        Symbology::DataMatrix,
        &link(uris[1]),
        MatrixShape::Rectangle,
    ));
    add(
        Symbol::element_string(Symbology::Gs1DataMatrix, &ais(element_strings[0]))
            .and_then(|s| s.with_shape(MatrixShape::Rectangle)),
    );
    out
}

#[test]
fn every_symbol_reads_back_with_its_data_and_identifier() {
    let cases = cases();
    let mut per_symbology = std::collections::BTreeMap::new();
    for symbol in &cases {
        let g = symbol.symbology.geometry();
        // The smallest X-dimension each symbology allows (EAN/UPC: the nominal 0.33 mm), and
        // the largest at which the symbol keeps to its length limit.
        let small = g.x_min_mm.max(0.33).min(g.x_max_mm);
        let fits = |x: f64| {
            let opts = Options {
                x_mm: Some(x),
                ..Options::default()
            };
            Layout::new(symbol, &opts).is_ok()
        };
        let mut large = g.x_max_mm.min(1.0);
        while large > small && !fits(large) {
            large = (large * 0.9).max(small);
        }
        for x_mm in [small, large] {
            let (text, id) = read_back(symbol, x_mm);
            assert_eq!(text, symbol.data, "{} at {x_mm} mm", symbol.symbology);
            // rxing checks no ITF check digit and so reports `]I0`; a scanner set up for
            // ITF-14, which checks it, reports `]I1`. We check the digit here instead.
            let expected = match symbol.symbology {
                Symbology::Itf14 => {
                    assert!(gs1::check_digit::verify(text.as_bytes()), "{text}");
                    "]I0"
                }
                s => s.identifier(),
            };
            assert_eq!(
                id, expected,
                "{} {:?} at {x_mm} mm",
                symbol.symbology, symbol.data
            );
        }
        *per_symbology
            .entry(symbol.symbology.to_string())
            .or_insert(0) += 1;
    }
    for s in Symbology::ALL {
        let n = per_symbology.get(&s.to_string()).copied().unwrap_or(0);
        assert!(n >= 5, "{s}: {n} payloads");
    }
}

fn layout(symbol: &Symbol, x_mm: f64) -> Layout {
    Layout::new(
        symbol,
        &Options {
            x_mm: Some(x_mm),
            ..Options::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn linear_geometry_follows_the_tables() {
    let ean =
        Symbol::gtin(Symbology::Ean13, &gtin("0893456700001")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ean.width_modules(), 95);
    let l = layout(&ean, 0.33);
    // 11X left and 7X right quiet zones.
    assert_eq!(l.width, 11.0 + 95.0 + 7.0);
    assert_eq!(l.rects.first().map(|r| r.x), Some(11.0));
    let (w_mm, _) = l.size_mm();
    assert!((w_mm - 37.29).abs() < 0.01, "{w_mm}");
    // Bars 22.85 mm at nominal X; guard bars 5X longer.
    let heights: std::collections::BTreeSet<u64> = l
        .rects
        .iter()
        .map(|r| (r.h * 0.33 * 1000.0).round() as u64)
        .collect();
    assert_eq!(heights.into_iter().collect::<Vec<_>>(), vec![22850, 24500]);
    // Twice the X-dimension: twice the bar height.
    let big = layout(&ean, 0.66);
    let tallest = big.rects.iter().map(|r| r.h).fold(0.0, f64::max) * 0.66;
    assert!((tallest - 2.0 * 24.5).abs() < 0.01, "{tallest}");

    let ean8 =
        Symbol::gtin(Symbology::Ean8, &gtin("0000009638507")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ean8.width_modules(), 67);
    assert_eq!(layout(&ean8, 0.33).width, 7.0 + 67.0 + 7.0);
    let upc =
        Symbol::gtin(Symbology::UpcA, &gtin("0003600029145")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(layout(&upc, 0.33).width, 9.0 + 95.0 + 9.0);

    // ITF-14: 10X quiet zones inside bearer bars, bars at least 31.75 mm.
    let itf =
        Symbol::gtin(Symbology::Itf14, &gtin("1893456700001")).unwrap_or_else(|e| panic!("{e}"));
    let l = layout(&itf, 1.016);
    let bearer = 4.83 / 1.016;
    assert!((l.width - (itf.width_modules() as f64 + 20.0 + 2.0 * bearer)).abs() < 1e-9);
    let top = l
        .rects
        .iter()
        .find(|r| r.y == 0.0 && r.x == 0.0)
        .map(|r| (r.w, r.h));
    assert_eq!(top, Some((l.width, bearer)));
    let bars: Vec<_> = l
        .rects
        .iter()
        .filter(|r| r.y == bearer && r.x > bearer)
        .collect();
    assert!(bars.iter().all(|r| (r.h * 1.016 - 31.75).abs() < 1e-9));
    assert_eq!(bars.first().map(|r| r.x), Some(bearer + 10.0));

    // GS1-128: 11 modules a symbol character (start and check included) and 13 for stop.
    let g = Symbol::element_string(Symbology::Gs1_128, &ais("(01)09506000134352"))
        .unwrap_or_else(|e| panic!("{e}"));
    // Start C, FNC1, 8 digit pairs, check: 11 characters.
    assert_eq!(g.width_modules(), 11 * 11 + 13);
    assert_eq!(layout(&g, 0.495).width, 10.0 + (11 * 11 + 13) as f64 + 10.0);
}

#[test]
fn matrix_quiet_zones_are_1x_for_datamatrix_and_4x_for_qr() {
    let data = ais("(01)09506000134352(10)ABC");
    for (sym, q) in [(Symbology::Gs1DataMatrix, 1.0), (Symbology::Gs1Qr, 4.0)] {
        let s = Symbol::element_string(sym, &data).unwrap_or_else(|e| panic!("{e}"));
        let l = layout(&s, 0.5);
        assert_eq!(l.width, s.width_modules() as f64 + 2.0 * q, "{sym}");
        let left = l.rects.iter().map(|r| r.x).fold(f64::MAX, f64::min);
        assert_eq!(left, q, "{sym}");
    }
    let rect = Symbol::element_string(Symbology::Gs1DataMatrix, &data)
        .and_then(|s| s.with_shape(MatrixShape::Rectangle))
        .unwrap_or_else(|e| panic!("{e}"));
    match rect.modules {
        barcode::symbol::Modules::Matrix { width, height, .. } => assert!(width > height),
        _ => panic!("not a matrix"),
    }
}

#[test]
fn what_a_symbology_cannot_carry_is_refused_naming_the_limit() {
    let dl = link("https://id.gs1.org/01/09506000134352");
    for sym in [
        Symbology::Ean13,
        Symbology::Gs1_128,
        Symbology::Itf14,
        Symbology::Gs1Qr,
    ] {
        assert!(
            matches!(
                Symbol::digital_link(sym, &dl, MatrixShape::Square),
                Err(LabelError::NotCarried { .. })
            ),
            "{sym}"
        );
    }
    assert_eq!(
        Symbol::element_string(Symbology::Ean13, &ais("(01)08934567000017(10)L1")),
        Err(LabelError::OnlyGtin {
            symbology: Symbology::Ean13,
            ai: "10".to_owned()
        })
    );
    let gtin14 = gtin("1893456700001");
    let e = Symbol::gtin(Symbology::Ean13, &gtin14).err();
    assert!(matches!(e, Some(LabelError::GtinFormat { .. })), "{e:?}");
    assert!(e.is_some_and(|e| e.to_string().contains("indicator digit")));
    let long = ais("(01)09506000134352(10)ABCDEFGHIJKLMNOPQRST(21)12345678");
    assert_eq!(
        Symbol::element_string(Symbology::Gs1_128, &long),
        Err(LabelError::TooManyCharacters { count: 49 })
    );
    // 48 characters fit, but not at the largest X-dimension: too long with quiet zones.
    let max = Symbol::element_string(
        Symbology::Gs1_128,
        &ais("(01)09506000134352(10)ABCDEFGHIJKLMNOPQRST(21)1234567"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let too_long = Layout::new(
        &max,
        &Options {
            x_mm: Some(1.016),
            ..Options::default()
        },
    );
    assert!(
        matches!(too_long, Err(LabelError::TooLong { .. })),
        "{too_long:?}"
    );
    let ean =
        Symbol::gtin(Symbology::Ean13, &gtin("0893456700001")).unwrap_or_else(|e| panic!("{e}"));
    for x in [0.2, 0.7] {
        let r = Layout::new(
            &ean,
            &Options {
                x_mm: Some(x),
                ..Options::default()
            },
        );
        assert!(
            matches!(r, Err(LabelError::XDimension { .. })),
            "{x}: {r:?}"
        );
    }
    // 0.33 mm at 100 dpi is 1.3 px: 1 px prints 0.254 mm, 23% off.
    assert!(matches!(
        pixels_per_module(0.33, 100),
        Err(LabelError::Resolution { pixels: 1, .. })
    ));
    assert_eq!(pixels_per_module(0.5, 300), Ok(6));
}

#[test]
fn the_three_formats_are_what_they_claim() {
    let s = Symbol::element_string(Symbology::Gs1_128, &ais("(01)09506000134352(10)ABC"))
        .unwrap_or_else(|e| panic!("{e}"));
    let l = layout(&s, 0.495);
    let svg = render::svg(&l);
    let (w, h) = l.size_mm();
    assert!(
        svg.contains(
            &format!("width=\"{w:.3}", w = w)
                .trim_end_matches('0')
                .to_owned()
        )
    );
    assert!(h > 31.75);
    // The bracketed HRI is drawn as OCR-B outlines, not left to the viewer's fonts.
    assert!(!svg.contains("<text"), "{svg}");
    assert_eq!(svg.matches("<path").count(), 2, "bars and text");
    let png = render::png(&l, 300).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(&png[1..4], b"PNG");
    let pdf = render::pdf(&l);
    check_pdf(&pdf, 1);
}

/// A PDF whose cross-reference table points at every object, with `pages` pages.
fn check_pdf(pdf: &[u8], pages: usize) {
    let find = |needle: &[u8]| pdf.windows(needle.len()).rposition(|w| w == needle);
    let at = find(b"startxref\n").expect("startxref") + b"startxref\n".len();
    let xref_at: usize = std::str::from_utf8(&pdf[at..])
        .ok()
        .and_then(|t| t.lines().next())
        .and_then(|n| n.parse().ok())
        .expect("xref offset");
    assert!(pdf[xref_at..].starts_with(b"xref\n0 "));
    let table = std::str::from_utf8(&pdf[xref_at..]).expect("ASCII table");
    for (n, line) in table
        .lines()
        .skip(3)
        .take_while(|l| l.ends_with(" n "))
        .enumerate()
    {
        let off: usize = line[..10].parse().expect("offset");
        let head = format!("{} 0 obj", n + 1);
        assert!(pdf[off..].starts_with(head.as_bytes()), "object {}", n + 1);
    }
    let count = format!("/Count {pages} ");
    assert!(find(count.as_bytes()).is_some(), "{count}");
    assert!(pdf.starts_with(b"%PDF-1.4") && pdf.ends_with(b"%%EOF\n"));
}

#[test]
fn sheets_fill_pages_cell_by_cell() {
    let page = render::PageSpec::a4(3, 8, 10.0);
    let mut sheet = render::SheetWriter::new(Vec::new(), page).unwrap_or_else(|e| panic!("{e}"));
    for i in 0..50 {
        let uri = format!("https://id.gs1.org/01/09506000134352/21/S{i}");
        let s = Symbol::digital_link(Symbology::Qr, &link(&uri), MatrixShape::Square)
            .unwrap_or_else(|e| panic!("{e}"));
        let l = layout(&s, 0.5);
        assert!(render::fits(&page, &l, 2));
        sheet
            .add(
                &l,
                &[
                    (Font::Sans, "Cà phê Robusta rang xay – hạt tiêu đen"),
                    (Font::OcrB, &format!("(21)S{i}")),
                ],
            )
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let pdf = sheet.finish().unwrap_or_else(|e| panic!("{e}"));
    // 50 labels, 24 a page: three pages.
    check_pdf(&pdf, 3);
    let big = Symbol::element_string(Symbology::Gs1_128, &ais("(01)09506000134352(10)ABC"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !render::fits(&page, &layout(&big, 0.495), 1),
        "a GS1-128 is wider than a third of A4"
    );
}

/// A PNG file reads back too: one bit a pixel, every module whole pixels at the dpi.
#[test]
fn png_files_read_back() {
    for symbol in [
        Symbol::element_string(
            Symbology::Gs1DataMatrix,
            &ais("(01)09506000134352(21)S00042"),
        )
        .unwrap_or_else(|e| panic!("{e}")),
        Symbol::gtin(Symbology::Ean13, &gtin("0893456700001")).unwrap_or_else(|e| panic!("{e}")),
    ] {
        let l = layout(&symbol, symbol.symbology.geometry().x_default_mm);
        let bytes = render::png(&l, 300).unwrap_or_else(|e| panic!("{e}"));
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().unwrap_or_else(|e| panic!("{e}"));
        let info = reader.info().clone();
        assert_eq!(info.bit_depth, png::BitDepth::One);
        // 300 dpi recorded as pixels per metre.
        assert_eq!(info.pixel_dims.map(|d| d.xppu), Some(11811));
        let mut buf = vec![0; reader.output_buffer_size()];
        let frame = reader
            .next_frame(&mut buf)
            .unwrap_or_else(|e| panic!("{e}"));
        let (w, h) = (frame.width, frame.height);
        let mut luma = Vec::with_capacity((w * h) as usize);
        for y in 0..h as usize {
            let row = &buf[y * frame.line_size..(y + 1) * frame.line_size];
            luma.extend((0..w as usize).map(|x| {
                if row[x / 8] & (0x80 >> (x % 8)) != 0 {
                    255
                } else {
                    0
                }
            }));
        }
        let mut hints = DecodeHints::default().with(DecodeHintValue::TryHarder(true));
        let r = rxing::helpers::detect_in_luma_with_hints(
            luma,
            w,
            h,
            Some(format_of(symbol.symbology)),
            &mut hints,
        )
        .unwrap_or_else(|e| panic!("{}: {e}", symbol.symbology));
        assert_eq!(r.getText(), symbol.data);
    }
}
