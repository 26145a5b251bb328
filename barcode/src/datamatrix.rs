//! GS1 DataMatrix in ASCII encodation only: FNC1 first, digit pairs, one codeword a character.
//!
//! Used where it is minimal (digits, and letters in runs of at most three: C40, Text or X12 only
//! save codewords on longer runs, after a latch codeword), and as the fallback where rxing's
//! minimal encoder (the only one of its encoders that applies GS1 mode) fails an internal
//! assertion (e.g. `(01)…(10)` with 20 letters `(21)1234567`): a valid ECC 200 symbol, then
//! sometimes a size larger than the minimal one, built with rxing's symbol table, error
//! correction and module placement (ISO/IEC 16022 5.2.3, 5.2.4).

use rxing::datamatrix::encoder::{
    DefaultPlacement, SymbolInfoLookup, SymbolShapeHint, error_correction,
};

use crate::{LabelError, Symbology, symbol::MatrixShape};

const FNC1: u8 = 232;
const PAD: u8 = 129;
const GS: u8 = 0x1d;

/// Whether ASCII encodation is as short as any: no run of more than three characters that are
/// not digits (ASCII 29 ends a run: it is one FNC1 codeword in every mode).
pub(crate) fn ascii_is_minimal(data: &str) -> bool {
    let mut run = 0;
    for b in data.bytes() {
        if b.is_ascii_digit() || b == GS {
            run = 0;
        } else {
            run += 1;
            if run > 3 {
                return false;
            }
        }
    }
    true
}

/// ASCII encodation of GS1 data (ASCII 29 between values, no leading FNC1).
fn codewords(data: &[u8]) -> Vec<u8> {
    let mut out = vec![FNC1];
    let mut i = 0;
    while i < data.len() {
        let c = data[i];
        match data.get(i + 1) {
            Some(d) if c.is_ascii_digit() && d.is_ascii_digit() => {
                out.push(130 + (c - b'0') * 10 + (d - b'0'));
                i += 2;
            }
            _ => {
                out.push(if c == GS { FNC1 } else { c + 1 });
                i += 1;
            }
        }
    }
    out
}

/// The symbol's cells, row by row: (width, height, cells).
pub(crate) fn gs1_ascii(
    data: &str,
    shape: MatrixShape,
) -> Result<(usize, usize, Vec<bool>), LabelError> {
    let fail = |reason: String| LabelError::Encoder {
        symbology: Symbology::Gs1DataMatrix,
        reason,
    };
    let mut cw = codewords(data.as_bytes());
    let hint = match shape {
        MatrixShape::Square => SymbolShapeHint::FORCE_SQUARE,
        MatrixShape::Rectangle => SymbolShapeHint::FORCE_RECTANGLE,
    };
    let lookup = SymbolInfoLookup::new();
    let info = lookup
        .lookup_with_shape(cw.len() as u32, hint)
        .map_err(|e| fail(e.to_string()))?
        .ok_or_else(|| fail("too long for any DataMatrix symbol".to_owned()))?;
    // Padding: 129 first, then the 253-state pseudo-random pads (ISO/IEC 16022 5.2.3).
    let capacity = info.getDataCapacity() as usize;
    if cw.len() < capacity {
        cw.push(PAD);
    }
    while cw.len() < capacity {
        let position = cw.len() + 1;
        let r = (149 * position) % 253 + 1;
        let v = PAD as usize + r;
        cw.push(if v > 254 { (v - 254) as u8 } else { v as u8 });
    }
    let text: String = cw.iter().map(|b| char::from(*b)).collect();
    let full = error_correction::encodeECC200(&text, info).map_err(|e| fail(e.to_string()))?;
    let err = |e: rxing::Exceptions| fail(e.to_string());
    let (data_w, data_h) = (
        info.getSymbolDataWidth().map_err(err)? as usize,
        info.getSymbolDataHeight().map_err(err)? as usize,
    );
    let (w, h) = (
        info.getSymbolWidth().map_err(err)? as usize,
        info.getSymbolHeight().map_err(err)? as usize,
    );
    // Each data region is framed by two modules each way.
    let (regions_x, regions_y) = ((w - data_w) / 2, (h - data_h) / 2);
    let (mw, mh) = (data_w / regions_x.max(1), data_h / regions_y.max(1));
    let mut placement = DefaultPlacement::new(full, data_w, data_h);
    placement.place().map_err(err)?;

    let mut cells = vec![false; w * h];
    let mut my = 0;
    for y in 0..data_h {
        if y % mh == 0 {
            // The top edge of a region: alternating (timing pattern).
            for x in 0..w {
                cells[my * w + x] = x % 2 == 0;
            }
            my += 1;
        }
        let mut mx = 0;
        for x in 0..data_w {
            if x % mw == 0 {
                // The left edge: solid (finder).
                cells[my * w + mx] = true;
                mx += 1;
            }
            cells[my * w + mx] = placement.getBit(x, y);
            mx += 1;
            if x % mw == mw - 1 {
                // The right edge: alternating.
                cells[my * w + mx] = y % 2 == 0;
                mx += 1;
            }
        }
        my += 1;
        if y % mh == mh - 1 {
            // The bottom edge: solid.
            for x in 0..w {
                cells[my * w + x] = true;
            }
            my += 1;
        }
    }
    Ok((w, h, cells))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_the_minimal_size_where_it_is_chosen() {
        use rxing::{BarcodeFormat, EncodeHintValue, EncodeHints, Writer};
        for data in [
            "0109506000134352\x1d21S00042",
            "0108934567000017\x1d10CF2026A\x1d21CF0001",
            "0109506000134352172712311012345",
            "01095060001343521\x1d0ABC\x1d21XY1",
            "00389345670000000018",
            "0109506000134352\x1d21A1B2C3D4E5",
        ] {
            assert!(ascii_is_minimal(data), "{data}");
            let hints = EncodeHints::default()
                .with(EncodeHintValue::Gs1Format(true))
                .with(EncodeHintValue::DataMatrixCompact(true))
                .with(EncodeHintValue::Margin("0".to_owned()))
                .with(EncodeHintValue::DataMatrixShape(
                    SymbolShapeHint::FORCE_SQUARE,
                ));
            let minimal = rxing::datamatrix::DataMatrixWriter
                .encode_with_hints(data, &BarcodeFormat::DATA_MATRIX, 0, 0, &hints)
                .map(|m| m.getWidth() as usize)
                .unwrap_or(0);
            let ours = gs1_ascii(data, MatrixShape::Square)
                .map(|(w, _, _)| w)
                .unwrap_or(1);
            assert_eq!(ours, minimal, "{data}");
        }
        assert!(!ascii_is_minimal("0109506000134352\x1d10ABCDEFGH"));
    }

    #[test]
    fn ascii_encodation_pairs_digits_and_marks_fnc1() {
        assert_eq!(
            codewords(b"0109\x1d10A"),
            vec![FNC1, 131, 139, FNC1, 140, b'A' + 1]
        );
        // An odd digit before a letter is one character.
        assert_eq!(codewords(b"1A"), vec![FNC1, b'1' + 1, b'A' + 1]);
    }
}
