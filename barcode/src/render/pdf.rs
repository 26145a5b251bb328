//! PDF: labels as filled rectangles in points, every text as filled outlines (OCR-B for the
//! human-readable interpretation and element strings, DejaVu Sans for names, Vietnamese
//! included), so the document embeds no font; written page by page to any `Write`, so that a sheet of 100,000 labels never
//! sits in memory. One label is a sheet of one page the size of the label.

use std::{
    fmt::Write as _,
    io::{self, Write},
};

use super::{MM_PER_PT, num};
use crate::{
    layout::{Anchor, Layout, Text},
    text::{self, Font, Segment},
};

/// Where labels go on a page.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PageSpec {
    /// Page width, mm.
    pub width_mm: f64,
    /// Page height, mm.
    pub height_mm: f64,
    /// Labels across.
    pub columns: u32,
    /// Labels down.
    pub rows: u32,
    /// Margin on every side, mm.
    pub margin_mm: f64,
}

impl PageSpec {
    /// A4 portrait in `columns` × `rows` cells inside `margin_mm`.
    pub fn a4(columns: u32, rows: u32, margin_mm: f64) -> Self {
        Self {
            width_mm: 210.0,
            height_mm: 297.0,
            columns: columns.max(1),
            rows: rows.max(1),
            margin_mm,
        }
    }

    /// A label roll: one label per page of this size.
    pub fn roll(width_mm: f64, height_mm: f64) -> Self {
        Self {
            width_mm,
            height_mm,
            columns: 1,
            rows: 1,
            margin_mm: 0.0,
        }
    }

    /// A cell's width and height, mm.
    pub fn cell_mm(&self) -> (f64, f64) {
        (
            (self.width_mm - 2.0 * self.margin_mm) / f64::from(self.columns),
            (self.height_mm - 2.0 * self.margin_mm) / f64::from(self.rows),
        )
    }

    /// Labels a page holds.
    pub fn per_page(&self) -> u32 {
        self.columns * self.rows
    }
}

/// Height of a line of text under a label on a sheet, mm.
const LINE_MM: f64 = 2.8;

/// Whether `layout` with `lines` of text fits a cell of `page`.
pub fn fits(page: &PageSpec, layout: &Layout, lines: usize) -> bool {
    let (cw, ch) = page.cell_mm();
    let (w, h) = layout.size_mm();
    w <= cw + 1e-9 && h + LINE_MM * lines as f64 <= ch + 1e-9
}

/// Counts what it writes, for the cross-reference table.
struct Counting<W> {
    inner: W,
    written: usize,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes a PDF of labels page by page.
pub struct SheetWriter<W: Write> {
    out: Counting<W>,
    page: PageSpec,
    /// Byte offset of each object, by object number (1-based; 0 unused).
    offsets: Vec<usize>,
    /// Page object numbers.
    pages: Vec<usize>,
    /// The current page's content and how many labels it holds.
    content: String,
    on_page: u32,
}

/// Object 1 is the catalog, 2 the page tree (written last, when the pages are known); every text
/// is a filled outline, so the document needs no font.
const PAGES_OBJ: usize = 2;

impl<W: Write> SheetWriter<W> {
    /// Starts a document of `page`s on `out`.
    pub fn new(out: W, page: PageSpec) -> io::Result<Self> {
        let mut s = Self {
            out: Counting {
                inner: out,
                written: 0,
            },
            page,
            offsets: vec![0; 3],
            pages: Vec::new(),
            content: String::new(),
            on_page: 0,
        };
        // The binary comment line tells tools the file is binary (ISO 32000-1 7.5.2).
        s.out.write_all(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")?;
        s.object(1, "<< /Type /Catalog /Pages 2 0 R >>")?;
        Ok(s)
    }

    fn object(&mut self, n: usize, body: &str) -> io::Result<()> {
        if self.offsets.len() <= n {
            self.offsets.resize(n + 1, 0);
        }
        self.offsets[n] = self.out.written;
        write!(self.out, "{n} 0 obj\n{body}\nendobj\n")
    }

    /// Adds a label with `lines` of text under it (each in its font, drawn as outlines), in the
    /// next cell (a new page when full).
    pub fn add(&mut self, layout: &Layout, lines: &[(Font, &str)]) -> io::Result<()> {
        let per_page = self.page.per_page();
        let (col, row) = (
            self.on_page % self.page.columns,
            self.on_page / self.page.columns,
        );
        let (cw, ch) = self.page.cell_mm();
        let (w, h) = layout.size_mm();
        let text_h = LINE_MM * lines.len() as f64;
        // Centred in its cell.
        let x0 = self.page.margin_mm + f64::from(col) * cw + (cw - w) / 2.0;
        let top = self.page.margin_mm + f64::from(row) * ch + (ch - h - text_h).max(0.0) / 2.0;
        self.draw(layout, x0, top);
        for (i, (font, line)) in lines.iter().enumerate() {
            // Smaller type for a line longer than its cell is wide.
            let per_em = text::advance(*font, line, 1.0).max(1e-9);
            let size = (LINE_MM * 0.8).min(0.95 * cw / per_em);
            let caption = Text {
                x: x0 + w / 2.0,
                baseline: top + h + LINE_MM * (i as f64 + 0.8),
                size,
                text: (*line).to_owned(),
                anchor: Anchor::Middle,
                font: *font,
            };
            // Captions are placed in page millimetres.
            self.fill(&caption, 1.0 / MM_PER_PT, 0.0, 0.0);
        }
        self.on_page += 1;
        if self.on_page == per_page {
            self.flush_page()?;
        }
        Ok(())
    }

    /// The layout's rectangles and texts with its top left corner at (`x0`, `top`) mm.
    fn draw(&mut self, layout: &Layout, x0: f64, top: f64) {
        let pt = layout.x_mm / MM_PER_PT;
        let (ox, page_h) = (x0 / MM_PER_PT, self.page.height_mm / MM_PER_PT);
        let oy = top / MM_PER_PT;
        self.content.push_str("0 g\n");
        for r in &layout.rects {
            // PDF's origin is the bottom left.
            let _ = writeln!(
                self.content,
                "{} {} {} {} re f",
                num(ox + r.x * pt),
                num(page_h - oy - (r.y + r.h) * pt),
                num(r.w * pt),
                num(r.h * pt)
            );
        }
        for t in &layout.texts {
            self.fill(t, pt, ox, oy);
        }
    }

    /// Fills the outline of `t`, whose units are `unit` points, offset by (`ox`, `oy`) points
    /// from the page's top left corner.
    fn fill(&mut self, t: &Text, unit: f64, ox: f64, oy: f64) {
        let page_h = self.page.height_mm / MM_PER_PT;
        let at = |p: text::Point| (num(ox + p.0 * unit), num(page_h - oy - p.1 * unit));
        for seg in text::outline(t) {
            let _ = match seg {
                Segment::Move(p) => {
                    let (x, y) = at(p);
                    writeln!(self.content, "{x} {y} m")
                }
                Segment::Line(p) => {
                    let (x, y) = at(p);
                    writeln!(self.content, "{x} {y} l")
                }
                Segment::Cubic(a, b, p) => {
                    let ((ax, ay), (bx, by), (x, y)) = (at(a), at(b), at(p));
                    writeln!(self.content, "{ax} {ay} {bx} {by} {x} {y} c")
                }
                Segment::Close => writeln!(self.content, "h"),
            };
        }
        self.content.push_str("f\n");
    }

    fn flush_page(&mut self) -> io::Result<()> {
        let content = std::mem::take(&mut self.content);
        // Deflated: a page of QR codes is mostly `x y w h re f` lines, ten times smaller so.
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(content.as_bytes())?;
        let packed = z.finish()?;
        let n = self.offsets.len();
        if self.offsets.len() <= n {
            self.offsets.resize(n + 1, 0);
        }
        self.offsets[n] = self.out.written;
        write!(
            self.out,
            "{n} 0 obj\n<< /Length {} /Filter /FlateDecode >>\nstream\n",
            packed.len()
        )?;
        self.out.write_all(&packed)?;
        self.out.write_all(b"\nendstream\nendobj\n")?;
        let page = n + 1;
        self.object(
            page,
            &format!(
                "<< /Type /Page /Parent {PAGES_OBJ} 0 R /MediaBox [0 0 {} {}] /Resources << >> /Contents {n} 0 R >>",
                num(self.page.width_mm / MM_PER_PT),
                num(self.page.height_mm / MM_PER_PT)
            ),
        )?;
        self.pages.push(page);
        self.on_page = 0;
        // A page at a time reaches the reader.
        self.out.flush()
    }

    /// Ends the document (the page tree, the cross-reference table, the trailer) and hands back
    /// the writer.
    pub fn finish(mut self) -> io::Result<W> {
        if self.on_page > 0 || self.pages.is_empty() {
            self.flush_page()?;
        }
        let kids: Vec<String> = self.pages.iter().map(|p| format!("{p} 0 R")).collect();
        self.object(
            PAGES_OBJ,
            &format!(
                "<< /Type /Pages /Kids [{}] /Count {} >>",
                kids.join(" "),
                self.pages.len()
            ),
        )?;
        let xref = self.out.written;
        let mut tail = format!("xref\n0 {}\n0000000000 65535 f \n", self.offsets.len());
        for off in &self.offsets[1..] {
            let _ = writeln!(tail, "{off:010} 00000 n ");
        }
        let _ = write!(
            tail,
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            self.offsets.len()
        );
        self.out.write_all(tail.as_bytes())?;
        self.out.flush()?;
        Ok(self.out.inner)
    }
}

/// The layout as a one-page PDF the size of the label.
pub fn pdf(layout: &Layout) -> Vec<u8> {
    let (w, h) = layout.size_mm();
    let page = PageSpec::roll(w, h);
    // Writing to a Vec cannot fail.
    SheetWriter::new(Vec::new(), page)
        .and_then(|mut s| {
            s.draw(layout, 0.0, 0.0);
            s.on_page = 1;
            s.finish()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_divide_the_page_inside_its_margins() {
        let a4 = PageSpec::a4(3, 8, 10.0);
        let (w, h) = a4.cell_mm();
        assert!((w - 190.0 / 3.0).abs() < 1e-9 && (h - 277.0 / 8.0).abs() < 1e-9);
        assert_eq!(a4.per_page(), 24);
    }
}
