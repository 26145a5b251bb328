//! PDF: one page the size of the symbol, the dark areas as filled rectangles in points, the
//! text in the standard Courier font until the OCR-B outlines are in.

use std::fmt::Write;

use super::{MM_PER_PT, num};
use crate::layout::{Anchor, Layout};

/// The layout as a one-page PDF.
pub fn pdf(layout: &Layout) -> Vec<u8> {
    let pt = layout.x_mm / MM_PER_PT; // points per module
    let (w, h) = (layout.width * pt, layout.height * pt);
    let mut content = String::new();
    content.push_str("0 g\n");
    for r in &layout.rects {
        // PDF's origin is the bottom left.
        let _ = writeln!(
            content,
            "{} {} {} {} re f",
            num(r.x * pt),
            num(h - (r.y + r.h) * pt),
            num(r.w * pt),
            num(r.h * pt)
        );
    }
    for t in &layout.texts {
        let size = t.size * pt;
        // Courier's advance is 0.6 em.
        let width = 0.6 * size * t.text.chars().count() as f64;
        let x = match t.anchor {
            Anchor::Start => t.x * pt,
            Anchor::Middle => t.x * pt - width / 2.0,
        };
        let _ = writeln!(
            content,
            "BT /F1 {} Tf {} {} Td ({}) Tj ET",
            num(size),
            num(x),
            num(h - t.baseline * pt),
            t.text
                .replace('\\', "\\\\")
                .replace('(', "\\(")
                .replace(')', "\\)")
        );
    }
    document(w, h, &content)
}

/// A PDF of one page `w` × `h` points drawing `content`.
fn document(w: f64, h: f64, content: &str) -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {} {}] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            num(w),
            num(h)
        ),
        format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    let mut tail = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for off in offsets {
        let _ = writeln!(tail, "{off:010} 00000 n ");
    }
    let _ = write!(
        tail,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    out.extend_from_slice(tail.as_bytes());
    out
}
