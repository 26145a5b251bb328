//! SVG: one path for every dark area, in module units scaled to millimetres by the viewBox.

use std::fmt::Write;

use super::{num, push_num};
use crate::layout::{Anchor, Layout};

/// The layout as an SVG document whose width and height are in millimetres.
///
/// Text is set in OCR-B where the viewer has it (monospace otherwise); drawing the glyphs as
/// outlines is still to do (see the labels issue).
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
    for t in &layout.texts {
        let anchor = match t.anchor {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
        };
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" font-family="OCR-B, OCRB, monospace" font-size="{}" text-anchor="{anchor}">{}</text>"#,
            num(t.x),
            num(t.baseline),
            num(t.size),
            escape(&t.text)
        );
    }
    out.push_str("</svg>");
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
