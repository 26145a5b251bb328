//! Text drawn as glyph outlines, so that SVG, PDF and PNG show the same letters everywhere,
//! whatever fonts the viewer or printer has: the human-readable interpretation in OCR-B, and a
//! sheet's product names in DejaVu Sans Condensed, which has every letter of Vietnamese.
//!
//! Both fonts are shipped in `fonts/` with their licences (OCR-B: Matthew Skala's, public
//! domain; DejaVu: the Bitstream Vera licence) and read with `ttf-parser`.

use std::sync::OnceLock;

use ttf_parser::{Face, OutlineBuilder};

use crate::layout::{Anchor, Text};

/// A typeface we draw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Font {
    /// OCR-B, for the human-readable interpretation (GenSpecs asks for it).
    #[default]
    OcrB,
    /// DejaVu Sans Condensed, for names in any Latin script, Vietnamese included.
    Sans,
}

static OCR_B: &[u8] = include_bytes!("../fonts/OCRB.otf");
static SANS: &[u8] = include_bytes!("../fonts/DejaVuSansCondensed.ttf");

fn face(font: Font) -> Option<&'static Face<'static>> {
    static FACES: [OnceLock<Option<Face<'static>>>; 2] = [OnceLock::new(), OnceLock::new()];
    let (slot, data) = match font {
        Font::OcrB => (&FACES[0], OCR_B),
        Font::Sans => (&FACES[1], SANS),
    };
    slot.get_or_init(|| Face::parse(data, 0).ok()).as_ref()
}

/// A point, in modules from the label's top left corner (y down).
pub type Point = (f64, f64);

/// One step of an outline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Segment {
    /// Start a contour.
    Move(Point),
    /// A straight edge.
    Line(Point),
    /// A cubic Bézier curve: two control points and the end.
    Cubic(Point, Point, Point),
    /// Close the contour.
    Close,
}

/// Collects a glyph's outline, moved and scaled onto the label.
struct Pen {
    out: Vec<Segment>,
    x: f64,
    baseline: f64,
    scale: f64,
    last: Point,
}

impl Pen {
    fn at(&self, x: f32, y: f32) -> Point {
        (
            self.x + f64::from(x) * self.scale,
            self.baseline - f64::from(y) * self.scale,
        )
    }
}

impl OutlineBuilder for Pen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.last = self.at(x, y);
        self.out.push(Segment::Move(self.last));
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.last = self.at(x, y);
        self.out.push(Segment::Line(self.last));
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        // A quadratic curve is the cubic with controls two thirds of the way to its control.
        let (p0, q, p) = (self.last, self.at(x1, y1), self.at(x, y));
        let c1 = (
            p0.0 + 2.0 / 3.0 * (q.0 - p0.0),
            p0.1 + 2.0 / 3.0 * (q.1 - p0.1),
        );
        let c2 = (p.0 + 2.0 / 3.0 * (q.0 - p.0), p.1 + 2.0 / 3.0 * (q.1 - p.1));
        self.out.push(Segment::Cubic(c1, c2, p));
        self.last = p;
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.last = self.at(x, y);
        self.out
            .push(Segment::Cubic(self.at(x1, y1), self.at(x2, y2), self.last));
    }
    fn close(&mut self) {
        self.out.push(Segment::Close);
    }
}

/// The width of `text` in `font` at `size` (em height), in the same units.
pub fn advance(font: Font, text: &str, size: f64) -> f64 {
    let Some(face) = face(font) else {
        return 0.6 * size * text.chars().count() as f64;
    };
    let scale = size / f64::from(face.units_per_em());
    text.chars()
        .map(|c| {
            let id = face.glyph_index(c).or_else(|| face.glyph_index('?'));
            id.and_then(|g| face.glyph_hor_advance(g))
                .map_or(0.6 * size, |a| f64::from(a) * scale)
        })
        .sum()
}

/// The outline of a line of text, in modules, placed as `t` says.
pub fn outline(t: &Text) -> Vec<Segment> {
    let Some(face) = face(t.font) else {
        return Vec::new();
    };
    let scale = t.size / f64::from(face.units_per_em());
    let start = match t.anchor {
        Anchor::Start => t.x,
        Anchor::Middle => t.x - advance(t.font, &t.text, t.size) / 2.0,
    };
    let mut pen = Pen {
        out: Vec::new(),
        x: start,
        baseline: t.baseline,
        scale,
        last: (0.0, 0.0),
    };
    for c in t.text.chars() {
        let Some(id) = face.glyph_index(c).or_else(|| face.glyph_index('?')) else {
            continue;
        };
        face.outline_glyph(id, &mut pen);
        pen.x += face
            .glyph_hor_advance(id)
            .map_or(0.6 * t.size, |a| f64::from(a) * scale);
    }
    pen.out
}

/// The outline as straight edges only (curves cut into eight), for a rasteriser.
pub fn flatten(segments: &[Segment]) -> Vec<(Point, Point)> {
    let mut edges = Vec::new();
    let (mut start, mut last) = ((0.0, 0.0), (0.0, 0.0));
    for s in segments {
        match *s {
            Segment::Move(p) => {
                if last != start {
                    edges.push((last, start));
                }
                start = p;
                last = p;
            }
            Segment::Line(p) => {
                edges.push((last, p));
                last = p;
            }
            Segment::Cubic(c1, c2, p) => {
                let p0 = last;
                let mut prev = p0;
                for i in 1..=8 {
                    let t = f64::from(i) / 8.0;
                    let u = 1.0 - t;
                    let b = |a: f64, b: f64, c: f64, d: f64| {
                        u * u * u * a + 3.0 * u * u * t * b + 3.0 * u * t * t * c + t * t * t * d
                    };
                    let q = (b(p0.0, c1.0, c2.0, p.0), b(p0.1, c1.1, c2.1, p.1));
                    edges.push((prev, q));
                    prev = q;
                }
                last = p;
            }
            Segment::Close => {
                if last != start {
                    edges.push((last, start));
                }
                last = start;
            }
        }
    }
    if last != start {
        edges.push((last, start));
    }
    edges
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Text {
        Text {
            x: 0.0,
            baseline: 10.0,
            size: 10.0,
            text: s.to_owned(),
            anchor: Anchor::Start,
            font: Font::OcrB,
        }
    }

    #[test]
    fn the_font_has_every_character_gs1_prints() {
        let face = face(Font::OcrB).expect("OCR-B parses");
        // GS1's character set 82, plus the brackets of element strings and `>`.
        let set82 =
            "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
        for c in set82.chars() {
            assert!(face.glyph_index(c).is_some(), "{c:?}");
        }
    }

    #[test]
    fn glyphs_are_outlines_under_the_baseline_and_monospaced() {
        let eight = outline(&text("8"));
        assert!(matches!(eight.first(), Some(Segment::Move(_))));
        assert!(eight.contains(&Segment::Close));
        // Digits stand on the baseline and are about 0.7 em high.
        let ys: Vec<f64> = flatten(&eight)
            .iter()
            .flat_map(|(a, b)| [a.1, b.1])
            .collect();
        let (top, bottom) = ys
            .iter()
            .fold((f64::MAX, f64::MIN), |(t, b), y| (t.min(*y), b.max(*y)));
        assert!(bottom <= 10.0 + 0.2 && bottom > 9.0, "{bottom}");
        assert!((10.0 - top) > 5.0 && (10.0 - top) < 8.5, "{top}");
        // OCR-B is monospaced.
        let a = |s: &str| advance(Font::OcrB, s, 10.0);
        assert!((a("1") - a("W")).abs() < 1e-9);
        assert!((a("1234") - 4.0 * a("1")).abs() < 1e-9);
    }

    #[test]
    fn the_sans_font_writes_vietnamese() {
        let face = face(Font::Sans).expect("DejaVu parses");
        for c in "Cà phê Robusta rang xay. Hạt tiêu đen, hạt điều rang muối, gạo ST25: ĂÂĐÊÔƠƯăâđêôơư ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ".chars() {
            assert!(c == ' ' || face.glyph_index(c).is_some(), "{c:?}");
        }
        let t = Text {
            font: Font::Sans,
            ..text("Hạt tiêu đen")
        };
        assert!(outline(&t).len() > 40);
        // Proportional: an i is narrower than an m.
        assert!(advance(Font::Sans, "i", 10.0) < advance(Font::Sans, "m", 10.0));
    }
}
