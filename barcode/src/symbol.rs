//! Symbols made from `gs1` values, never from raw text: the modules of a linear or matrix symbol,
//! device independent, with the human-readable interpretation that goes under it.

use gs1::{
    digital_link::DigitalLink,
    element::AiString,
    keys::{Gtin, GtinFormat, Sscc},
};
use rxing::{BarcodeFormat, EncodeHintValue, EncodeHints, Writer};

use crate::{
    LabelError, Symbology,
    code128::{self, Token},
};

/// The modules of a symbol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Modules {
    /// Bars and spaces left to right (`true` = bar), with the modules of guard patterns that
    /// extend below the others (EAN/UPC).
    Linear {
        /// One entry per module.
        bars: Vec<bool>,
        /// Per module: part of a guard pattern.
        guards: Vec<bool>,
    },
    /// A grid of dark (`true`) and light cells, row by row.
    Matrix {
        /// Columns.
        width: usize,
        /// Rows.
        height: usize,
        /// `width * height` cells.
        cells: Vec<bool>,
    },
}

/// The human-readable interpretation, split where it is printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Hri {
    /// EAN-13: the first digit left of the symbol, then two groups of six under the halves.
    Ean13 {
        /// The first digit.
        first: String,
        /// Digits 2–7.
        left: String,
        /// Digits 8–13.
        right: String,
    },
    /// EAN-8: two groups of four.
    Ean8 {
        /// Digits 1–4.
        left: String,
        /// Digits 5–8.
        right: String,
    },
    /// UPC-A: the number system digit and the check digit outside, five and five under.
    UpcA {
        /// The first digit.
        first: String,
        /// Digits 2–6.
        left: String,
        /// Digits 7–11.
        right: String,
        /// The check digit.
        last: String,
    },
    /// One centred line (ITF-14, GS1-128 in bracketed form, optional under 2D symbols).
    Line(String),
}

/// A symbol ready to draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    /// Its symbology.
    pub symbology: Symbology,
    /// Its modules.
    pub modules: Modules,
    /// The text printed under it, if any.
    pub hri: Option<Hri>,
    /// The data a scanner transmits after the symbology identifier (GS1 data with ASCII 29
    /// between values), for checking a read against.
    pub data: String,
}

/// DataMatrix's two forms.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MatrixShape {
    /// Square (the default).
    #[default]
    Square,
    /// Rectangular, for narrow spaces.
    Rectangle,
}

const GS: char = '\u{1d}';

impl Symbol {
    /// A GTIN in its own symbology: EAN-13 for a GTIN-13, EAN-8 for a GTIN-8, UPC-A for a
    /// GTIN-12 and ITF-14 for a GTIN-14.
    pub fn for_gtin(gtin: &Gtin) -> Result<Self, LabelError> {
        let symbology = match gtin.format() {
            GtinFormat::Gtin8 => Symbology::Ean8,
            GtinFormat::Gtin12 => Symbology::UpcA,
            GtinFormat::Gtin13 => Symbology::Ean13,
            // ITF-14 carries any GTIN, zero-padded to 14 digits.
            _ => Symbology::Itf14,
        };
        Self::gtin(symbology, gtin)
    }

    /// A GTIN in `symbology`: EAN-13, EAN-8, UPC-A, ITF-14, or any GS1 symbol as `(01)`.
    pub fn gtin(symbology: Symbology, gtin: &Gtin) -> Result<Self, LabelError> {
        let refuse = |why| LabelError::GtinFormat {
            symbology,
            gtin: gtin.as_str().to_owned(),
            why,
        };
        let digits = gtin.as_str();
        match symbology {
            Symbology::Ean13 => {
                if gtin.format() == GtinFormat::Gtin14 {
                    return Err(refuse(
                        "a GTIN-14 with an indicator digit needs ITF-14 or GS1-128",
                    ));
                }
                if gtin.format() == GtinFormat::Gtin8 {
                    return Err(refuse("a GTIN-8 is printed as EAN-8"));
                }
                ean13(&digits[1..])
            }
            Symbology::UpcA => {
                if gtin.format() != GtinFormat::Gtin12 {
                    return Err(refuse("UPC-A carries a GTIN-12 (13 digits starting 0)"));
                }
                upca(&digits[2..])
            }
            Symbology::Ean8 => {
                if gtin.format() != GtinFormat::Gtin8 {
                    return Err(refuse("EAN-8 carries a GTIN-8"));
                }
                ean8(&digits[6..])
            }
            Symbology::Itf14 => Self::itf14(gtin),
            Symbology::DataMatrix | Symbology::Qr => Err(LabelError::NotCarried {
                symbology,
                what: "an element string (use gs1-datamatrix or gs1-qr, or a Digital Link URI)",
            }),
            Symbology::Gs1_128 | Symbology::Gs1DataMatrix | Symbology::Gs1Qr => {
                gs1_data(symbology, &format!("01{digits}"), format!("(01){digits}"))
            }
        }
    }

    /// An SSCC as GS1-128 `(00)`, or in GS1 DataMatrix or GS1 QR.
    pub fn sscc(symbology: Symbology, sscc: &Sscc) -> Result<Self, LabelError> {
        match symbology {
            Symbology::Gs1_128 | Symbology::Gs1DataMatrix | Symbology::Gs1Qr => {
                let s = sscc.as_str();
                gs1_data(symbology, &format!("00{s}"), format!("(00){s}"))
            }
            _ => Err(LabelError::NotCarried {
                symbology,
                what: "an SSCC",
            }),
        }
    }

    /// A GS1 element string. EAN/UPC and ITF-14 take one only if it is just `(01)`.
    pub fn element_string(symbology: Symbology, ais: &AiString) -> Result<Self, LabelError> {
        match symbology {
            Symbology::Gs1_128 | Symbology::Gs1DataMatrix | Symbology::Gs1Qr => {
                gs1_data(symbology, &ais.to_gs_separated(), ais.to_bracketed())
            }
            Symbology::DataMatrix | Symbology::Qr => Err(LabelError::NotCarried {
                symbology,
                what: "an element string (use gs1-datamatrix or gs1-qr, or a Digital Link URI)",
            }),
            Symbology::Ean13 | Symbology::Ean8 | Symbology::UpcA | Symbology::Itf14 => {
                let mut it = ais.iter();
                let first = it.next();
                if let Some(other) = it.next().or(first.filter(|e| e.ai != "01")) {
                    return Err(LabelError::OnlyGtin {
                        symbology,
                        ai: other.ai.to_owned(),
                    });
                }
                let gtin = first.and_then(|e| Gtin::parse(e.value).ok()).ok_or(
                    LabelError::NotCarried {
                        symbology,
                        what: "an empty element string",
                    },
                )?;
                Self::gtin(symbology, &gtin)
            }
        }
    }

    /// A GS1 Digital Link URI in a plain QR Code or DataMatrix; linear symbols refuse it.
    pub fn digital_link(
        symbology: Symbology,
        link: &DigitalLink,
        shape: MatrixShape,
    ) -> Result<Self, LabelError> {
        let uri = link.as_str();
        let format = match symbology {
            Symbology::Qr => BarcodeFormat::QR_CODE,
            Symbology::DataMatrix => BarcodeFormat::DATA_MATRIX,
            _ => {
                return Err(LabelError::NotCarried {
                    symbology,
                    what: "a GS1 Digital Link URI (use qr or datamatrix)",
                });
            }
        };
        let modules = matrix(symbology, format, uri, false, shape)?;
        Ok(Self {
            symbology,
            modules,
            hri: None,
            data: uri.to_owned(),
        })
    }

    /// DataMatrix in the given shape (GS1 DataMatrix from an element string or a GTIN is square
    /// unless asked otherwise).
    pub fn with_shape(self, shape: MatrixShape) -> Result<Self, LabelError> {
        match self.symbology {
            Symbology::Gs1DataMatrix | Symbology::DataMatrix if shape == MatrixShape::Rectangle => {
                let gs1 = self.symbology == Symbology::Gs1DataMatrix;
                let modules = matrix(
                    self.symbology,
                    BarcodeFormat::DATA_MATRIX,
                    &self.data,
                    gs1,
                    shape,
                )?;
                Ok(Self { modules, ..self })
            }
            _ => Ok(self),
        }
    }

    fn itf14(gtin: &Gtin) -> Result<Self, LabelError> {
        let digits = gtin.as_str();
        // 14 digits (even), so barcoders appends no check digit of its own.
        let bars = encoded(
            Symbology::Itf14,
            barcoders::sym::tf::TF::interleaved(digits).map(|t| t.encode()),
        )?;
        Ok(linear(
            Symbology::Itf14,
            &bars,
            Vec::new(),
            Some(Hri::Line(digits.to_owned())),
            digits.to_owned(),
        ))
    }

    /// Width in modules, quiet zones excluded.
    pub fn width_modules(&self) -> usize {
        match &self.modules {
            Modules::Linear { bars, .. } => bars.len(),
            Modules::Matrix { width, .. } => *width,
        }
    }
}

/// barcoders' modules, or its refusal as ours (our inputs are checked GS1 keys, so a refusal
/// here is a bug, reported rather than drawn as an empty symbol).
fn encoded(
    symbology: Symbology,
    r: Result<Vec<u8>, barcoders::error::Error>,
) -> Result<Vec<u8>, LabelError> {
    r.map_err(|e| LabelError::Encoder {
        symbology,
        reason: e.to_string(),
    })
}

fn linear(
    symbology: Symbology,
    bars: &[u8],
    guards: Vec<bool>,
    hri: Option<Hri>,
    data: String,
) -> Symbol {
    let bars: Vec<bool> = bars.iter().map(|b| *b == 1).collect();
    let guards = if guards.is_empty() {
        vec![false; bars.len()]
    } else {
        guards
    };
    Symbol {
        symbology,
        modules: Modules::Linear { bars, guards },
        hri,
        data,
    }
}

/// The guard modules of a 95-module EAN-13/UPC-A (3 + 42 + 5 + 42 + 3) or a 67-module EAN-8
/// (3 + 28 + 5 + 28 + 3).
fn ean_guards(len: usize, upc: bool) -> Vec<bool> {
    let half = (len - 11) / 2;
    let mut g = vec![false; len];
    for (i, slot) in g.iter_mut().enumerate() {
        let guard = i < 3 || (i >= 3 + half && i < 8 + half) || i >= len - 3;
        // UPC-A's first and last digits have full-height bars too.
        let outer_digit = upc && ((3..10).contains(&i) || (len - 10..len - 3).contains(&i));
        *slot = guard || outer_digit;
    }
    g
}

/// An EAN/UPC symbol from barcoders' modules, its guard bars marked, the HRI as printed.
fn ean(
    symbology: Symbology,
    digits: &str,
    bars: Result<Vec<u8>, barcoders::error::Error>,
    hri: Hri,
) -> Result<Symbol, LabelError> {
    let bars = encoded(symbology, bars)?;
    let guards = ean_guards(bars.len(), symbology == Symbology::UpcA);
    Ok(linear(
        symbology,
        &bars,
        guards,
        Some(hri),
        digits.to_owned(),
    ))
}

fn ean13(d: &str) -> Result<Symbol, LabelError> {
    let bars = barcoders::sym::ean13::EAN13::new(d).map(|e| e.encode());
    let hri = Hri::Ean13 {
        first: d[..1].to_owned(),
        left: d[1..7].to_owned(),
        right: d[7..].to_owned(),
    };
    ean(Symbology::Ean13, d, bars, hri)
}

fn upca(d: &str) -> Result<Symbol, LabelError> {
    // UPC-A is EAN-13 with a leading zero.
    let bars = barcoders::sym::ean13::EAN13::new(format!("0{d}")).map(|e| e.encode());
    let hri = Hri::UpcA {
        first: d[..1].to_owned(),
        left: d[1..6].to_owned(),
        right: d[6..11].to_owned(),
        last: d[11..].to_owned(),
    };
    ean(Symbology::UpcA, d, bars, hri)
}

fn ean8(d: &str) -> Result<Symbol, LabelError> {
    let bars = barcoders::sym::ean8::EAN8::new(d).map(|e| e.encode());
    let hri = Hri::Ean8 {
        left: d[..4].to_owned(),
        right: d[4..].to_owned(),
    };
    ean(Symbology::Ean8, d, bars, hri)
}

/// GS1 data (ASCII 29 between values, no leading FNC1) in a GS1 symbol.
fn gs1_data(symbology: Symbology, data: &str, bracketed: String) -> Result<Symbol, LabelError> {
    match symbology {
        Symbology::Gs1_128 => {
            let count = data.chars().count();
            if count > 48 {
                return Err(LabelError::TooManyCharacters { count });
            }
            let mut tokens = vec![Token::Fnc1];
            tokens.extend(data.bytes().map(|b| {
                if char::from(b) == GS {
                    Token::Fnc1
                } else {
                    Token::Char(b)
                }
            }));
            let (input, _) = code128::encode(&tokens);
            let bars = encoded(
                symbology,
                barcoders::sym::code128::Code128::new(&input).map(|c| c.encode()),
            )?;
            Ok(linear(
                symbology,
                &bars,
                Vec::new(),
                Some(Hri::Line(bracketed)),
                data.to_owned(),
            ))
        }
        Symbology::Gs1DataMatrix | Symbology::Gs1Qr => {
            let format = if symbology == Symbology::Gs1Qr {
                BarcodeFormat::QR_CODE
            } else {
                BarcodeFormat::DATA_MATRIX
            };
            let modules = matrix(symbology, format, data, true, MatrixShape::Square)?;
            Ok(Symbol {
                symbology,
                modules,
                hri: Some(Hri::Line(bracketed)),
                data: data.to_owned(),
            })
        }
        _ => Err(LabelError::NotCarried {
            symbology,
            what: "GS1 element strings",
        }),
    }
}

/// A matrix symbol from rxing's writers, at one pixel per module and no margin (we draw the
/// quiet zones). rxing's DataMatrix writer applies GS1 mode (FNC1 first, FNC1 for ASCII 29)
/// only with both the compact and the GS1 hints; its QR writer with the GS1 hint alone.
fn matrix(
    symbology: Symbology,
    format: BarcodeFormat,
    data: &str,
    gs1: bool,
    shape: MatrixShape,
) -> Result<Modules, LabelError> {
    use rxing::datamatrix::encoder::SymbolShapeHint;
    let mut hints = EncodeHints::default()
        .with(EncodeHintValue::Margin("0".to_owned()))
        .with(EncodeHintValue::Gs1Format(gs1));
    let bits = match format {
        BarcodeFormat::DATA_MATRIX => {
            let hint = match shape {
                MatrixShape::Square => SymbolShapeHint::FORCE_SQUARE,
                MatrixShape::Rectangle => SymbolShapeHint::FORCE_RECTANGLE,
            };
            hints = hints
                .with(EncodeHintValue::DataMatrixCompact(gs1))
                .with(EncodeHintValue::DataMatrixShape(hint));
            // Digits and short letter runs: ASCII encodation is already minimal, and fifty times
            // cheaper than rxing's minimal encoder (most of a DataMatrix label's time).
            let ascii = || {
                crate::datamatrix::gs1_ascii(data, shape).map(|(width, height, cells)| {
                    Modules::Matrix {
                        width,
                        height,
                        cells,
                    }
                })
            };
            if gs1 && crate::datamatrix::ascii_is_minimal(data) {
                return ascii();
            }
            let written = guarded(symbology, || {
                rxing::datamatrix::DataMatrixWriter.encode_with_hints(data, &format, 0, 0, &hints)
            });
            match written {
                Ok(bits) => bits,
                // GS1 data rxing's minimal encoder fails on: plain ASCII encodation instead.
                Err(_) if gs1 => return ascii(),
                Err(e) => return Err(e),
            }
        }
        _ => {
            // Level M: GS1's recommendation for Digital Link QR on packs.
            hints = hints.with(EncodeHintValue::ErrorCorrection("M".to_owned()));
            guarded(symbology, || {
                rxing::qrcode::QRCodeWriter.encode_with_hints(data, &format, 0, 0, &hints)
            })?
        }
    };
    let (width, height) = (bits.getWidth() as usize, bits.getHeight() as usize);
    let mut cells = Vec::with_capacity(width * height);
    for y in 0..height {
        for x in 0..width {
            cells.push(bits.get(x as u32, y as u32));
        }
    }
    Ok(Modules::Matrix {
        width,
        height,
        cells,
    })
}

/// Runs an rxing encoder, turning its errors and its panics (its DataMatrix minimal encoder
/// asserts on some inputs) into a refusal: a label request must not take the process down.
fn guarded(
    symbology: Symbology,
    f: impl FnOnce() -> Result<rxing::common::BitMatrix, rxing::Exceptions>,
) -> Result<rxing::common::BitMatrix, LabelError> {
    let refuse = |reason: String| LabelError::Encoder { symbology, reason };
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(Ok(bits)) => Ok(bits),
        Ok(Err(e)) => Err(refuse(e.to_string())),
        Err(_) => Err(refuse("the encoder failed on this data".to_owned())),
    }
}
