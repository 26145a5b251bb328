//! SVG: one path for every dark area, in module units scaled to millimetres by the viewBox.

use std::fmt::Write;

use super::{num, push_num};
use crate::{
    layout::Layout,
    text::{self, Segment},
};

/// The layout as an SVG document whose width and height are in millimetres.
///
/// Text is drawn as OCR-B outlines, so no font is needed to view it.
pub fn svg(layout: &Layout) -> String {
    let (w_mm, h_mm) = layout.size_mm();
    let mut out = String::with_capacity(64 + layout.rects.len() * 24);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}mm" height="{}mm" viewBox="0 0 {} {}">"#,
        num(w_mm),
        num(h_mm),
        num(layout.width),
        num(layout.height)
    );
    let _ = write!(
        out,
        r##"<rect width="{}" height="{}" fill="#fff"/><path fill="#000" d=""##,
        num(layout.width),
        num(layout.height)
    );
    for r in &layout.rects {
        out.push('M');
        push_num(&mut out, r.x);
        out.push(' ');
        push_num(&mut out, r.y);
        out.push('h');
        push_num(&mut out, r.w);
        out.push('v');
        push_num(&mut out, r.h);
        out.push_str("h-");
        push_num(&mut out, r.w);
        out.push('z');
    }
    out.push_str(r#""/>"#);
    // The text as OCR-B outlines: the same letters in every viewer.
    if !layout.texts.is_empty() {
        out.push_str(r##"<path fill="#000" d=""##);
        for t in &layout.texts {
            for seg in text::outline(t) {
                match seg {
                    Segment::Move(p) => point(&mut out, 'M', p),
                    Segment::Line(p) => point(&mut out, 'L', p),
                    Segment::Cubic(a, b, p) => {
                        point(&mut out, 'C', a);
                        point(&mut out, ' ', b);
                        point(&mut out, ' ', p);
                    }
                    Segment::Close => out.push('Z'),
                }
            }
        }
        out.push_str(r#""/>"#);
    }
    out.push_str("</svg>");
    out
}

fn point(out: &mut String, command: char, (x, y): text::Point) {
    out.push(command);
    push_num(out, x);
    out.push(' ');
    push_num(out, y);
}
