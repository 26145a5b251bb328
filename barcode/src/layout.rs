//! Where everything of a printed symbol goes, in modules (X units) from the top left corner:
//! quiet zones, bars or cells, EAN/UPC guard extensions, ITF-14 bearer bars, and the text.

use crate::{
    LabelError, Symbology,
    symbol::{Hri, Modules, Symbol},
};

/// A dark rectangle, in modules.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

/// How a text is placed horizontally on its `x`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// `x` is the text's left end.
    Start,
    /// `x` is the text's middle.
    Middle,
}

/// A line of human-readable text, in modules.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    /// Horizontal position (see `anchor`).
    pub x: f64,
    /// The baseline.
    pub baseline: f64,
    /// The font size (em height).
    pub size: f64,
    /// What to print.
    pub text: String,
    /// How `x` is read.
    pub anchor: Anchor,
    /// The typeface (OCR-B for the human-readable interpretation).
    pub font: crate::text::Font,
}

/// How to print a symbol.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    /// X-dimension, mm; `None` for the symbology's default.
    pub x_mm: Option<f64>,
    /// Print the human-readable text (under linear symbols by default, not under 2D ones).
    pub text: Option<bool>,
    /// EAN-13: print the `>` light-margin indicator in the right quiet zone.
    pub light_margin_indicator: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            x_mm: None,
            text: None,
            light_margin_indicator: true,
        }
    }
}

/// A symbol laid out for printing.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// The X-dimension, mm.
    pub x_mm: f64,
    /// Width with the quiet zones, modules.
    pub width: f64,
    /// Height with the text, modules.
    pub height: f64,
    /// The dark areas.
    pub rects: Vec<Rect>,
    /// The texts.
    pub texts: Vec<Text>,
}

/// EAN/UPC guard bars reach this far below the other bars (GenSpecs 5.2.5.1, 5X).
const GUARD_EXTENSION: f64 = 5.0;
/// Font size of the human-readable text under linear symbols, in modules: OCR-B digits about
/// 2.75 mm high at EAN-13's nominal 0.33 mm.
const HRI_SIZE: f64 = 9.0;
/// ITF-14 bearer bars: 4.83 mm at the largest X-dimension, 1.016 mm (GenSpecs 5.3.2.4).
const BEARER: f64 = 4.83 / 1.016;
/// GS1-128 is at most this long with its quiet zones (GenSpecs 5.4.4.3).
const GS1_128_MAX_MM: f64 = 165.10;

impl Layout {
    /// Lays `symbol` out; refuses an X-dimension outside the symbology's range and a GS1-128
    /// longer than 165.1 mm.
    pub fn new(symbol: &Symbol, opts: &Options) -> Result<Self, LabelError> {
        let g = symbol.symbology.geometry();
        let x_mm = opts.x_mm.unwrap_or(g.x_default_mm);
        if !(g.x_min_mm..=g.x_max_mm).contains(&x_mm) {
            return Err(LabelError::XDimension {
                symbology: symbol.symbology,
                x_mm,
                min_mm: g.x_min_mm,
                max_mm: g.x_max_mm,
            });
        }
        let text = opts.text.unwrap_or(!symbol.symbology.is_matrix());
        let (ql, qr) = (f64::from(g.quiet_left), f64::from(g.quiet_right));
        let mut out = Layout {
            x_mm,
            width: 0.0,
            height: 0.0,
            rects: Vec::new(),
            texts: Vec::new(),
        };
        match &symbol.modules {
            Modules::Linear { bars, guards } => {
                let bar_mm = if g.height_scales {
                    g.bar_height_mm * x_mm / g.x_default_mm
                } else {
                    g.bar_height_mm
                };
                let h = bar_mm / x_mm;
                let bearer = if symbol.symbology == Symbology::Itf14 {
                    BEARER
                } else {
                    0.0
                };
                out.width = ql + bars.len() as f64 + qr + 2.0 * bearer;
                if symbol.symbology == Symbology::Gs1_128 && out.width * x_mm > GS1_128_MAX_MM {
                    return Err(LabelError::TooLong {
                        length_mm: out.width * x_mm,
                    });
                }
                let left = ql + bearer;
                let top = bearer;
                let mut i = 0;
                while i < bars.len() {
                    if !bars[i] {
                        i += 1;
                        continue;
                    }
                    let start = i;
                    let guard = guards.get(i).copied().unwrap_or(false);
                    while i < bars.len() && bars[i] && guards.get(i).copied() == Some(guard) {
                        i += 1;
                    }
                    let extra = if guard && text { GUARD_EXTENSION } else { 0.0 };
                    out.rects.push(Rect {
                        x: left + start as f64,
                        y: top,
                        w: (i - start) as f64,
                        h: h + extra,
                    });
                }
                let mut bottom = top + h;
                if bearer > 0.0 {
                    out.bearers(bearer, h);
                    bottom += bearer;
                }
                out.height = bottom;
                if text && let Some(hri) = &symbol.hri {
                    out.hri(hri, left, bottom, bars.len() as f64, opts);
                }
            }
            Modules::Matrix {
                width,
                height,
                cells,
            } => {
                let q = ql;
                out.width = 2.0 * q + *width as f64;
                for y in 0..*height {
                    let row = &cells[y * width..(y + 1) * width];
                    let mut x = 0;
                    while x < *width {
                        if !row[x] {
                            x += 1;
                            continue;
                        }
                        let start = x;
                        while x < *width && row[x] {
                            x += 1;
                        }
                        out.rects.push(Rect {
                            x: q + start as f64,
                            y: q + y as f64,
                            w: (x - start) as f64,
                            h: 1.0,
                        });
                    }
                }
                out.height = 2.0 * q + *height as f64;
                if text && let Some(Hri::Line(line)) = &symbol.hri {
                    // Two-dimensional symbols: a smaller line under the quiet zone.
                    let size = (out.width / line.chars().count().max(1) as f64 * 1.6).min(6.0);
                    out.texts.push(Text {
                        x: out.width / 2.0,
                        baseline: out.height + size * 0.8,
                        size,
                        text: line.clone(),
                        anchor: Anchor::Middle,
                        font: crate::text::Font::OcrB,
                    });
                    out.height += size;
                }
            }
        }
        Ok(out)
    }

    /// The width and height, mm.
    pub fn size_mm(&self) -> (f64, f64) {
        (self.width * self.x_mm, self.height * self.x_mm)
    }

    /// ITF-14's bearer bars: a frame around the bars and their quiet zones.
    fn bearers(&mut self, b: f64, bar_height: f64) {
        let w = self.width;
        let inner = bar_height;
        self.rects.extend([
            Rect {
                x: 0.0,
                y: 0.0,
                w,
                h: b,
            },
            Rect {
                x: 0.0,
                y: b + inner,
                w,
                h: b,
            },
            Rect {
                x: 0.0,
                y: b,
                w: b,
                h: inner,
            },
            Rect {
                x: w - b,
                y: b,
                w: b,
                h: inner,
            },
        ]);
    }

    /// The text under a linear symbol whose bars start at `left` and end `bars` modules later.
    fn hri(&mut self, hri: &Hri, left: f64, bottom: f64, bars: f64, opts: &Options) {
        let size = HRI_SIZE;
        // EAN/UPC digits sit between the guard extensions; others below the bars.
        let (baseline, height) = match hri {
            Hri::Line(_) => (bottom + 1.0 + size * 0.75, bottom + 1.0 + size),
            _ => (bottom + size * 0.75, bottom + GUARD_EXTENSION.max(size)),
        };
        let mut put = |x: f64, text: &str, anchor| {
            self.texts.push(Text {
                x,
                baseline,
                size,
                text: text.to_owned(),
                anchor,
                font: crate::text::Font::OcrB,
            })
        };
        match hri {
            Hri::Ean13 {
                first,
                left: l,
                right,
            } => {
                put(left - 1.0 - size * 0.6, first, Anchor::Start);
                put(left + 3.0 + 21.0, l, Anchor::Middle);
                put(left + 50.0 + 21.0, right, Anchor::Middle);
                if opts.light_margin_indicator {
                    put(left + bars + 1.0, ">", Anchor::Start);
                }
            }
            Hri::Ean8 { left: l, right } => {
                put(left + 3.0 + 14.0, l, Anchor::Middle);
                put(left + 36.0 + 14.0, right, Anchor::Middle);
            }
            Hri::UpcA {
                first,
                left: l,
                right,
                last,
            } => {
                put(left - 1.0 - size * 0.45, first, Anchor::Start);
                put(left + 10.0 + 17.5, l, Anchor::Middle);
                put(left + 50.0 + 17.5, right, Anchor::Middle);
                put(left + bars + 1.0, last, Anchor::Start);
            }
            Hri::Line(line) => put(self.width / 2.0, line, Anchor::Middle),
        }
        self.height = height;
    }
}
