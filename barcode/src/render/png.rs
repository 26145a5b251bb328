//! PNG at a printer's resolution: every module the same whole number of pixels, so that bar
//! widths stay exact; refused when that is more than 10% off the asked X-dimension.

use crate::{LabelError, layout::Layout, text};

/// A greyscale image, one byte a pixel (0 black, 255 white), row by row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bitmap {
    /// Pixels across.
    pub width: u32,
    /// Pixels down.
    pub height: u32,
    /// `width * height` bytes.
    pub pixels: Vec<u8>,
}

/// Pixels per module for `x_mm` at `dpi`, if whole pixels print it within 10%.
pub fn pixels_per_module(x_mm: f64, dpi: u32) -> Result<u32, LabelError> {
    let exact = x_mm / 25.4 * f64::from(dpi);
    let pixels = exact.round().max(1.0) as u32;
    let printed_mm = f64::from(pixels) * 25.4 / f64::from(dpi);
    if (printed_mm - x_mm).abs() > 0.1 * x_mm {
        return Err(LabelError::Resolution {
            x_mm,
            dpi,
            printed_mm,
            pixels,
        });
    }
    Ok(pixels)
}

/// The layout drawn at `scale` pixels per module, text included (OCR-B outlines, filled by the
/// non-zero rule at pixel centres, no anti-aliasing).
pub fn raster(layout: &Layout, scale: u32) -> Bitmap {
    let s = f64::from(scale);
    let px = |v: f64| (v * s).round().max(0.0) as u32;
    let (width, height) = (px(layout.width).max(1), px(layout.height).max(1));
    let mut pixels = vec![255u8; width as usize * height as usize];
    for r in &layout.rects {
        let (x0, y0) = (px(r.x).min(width), px(r.y).min(height));
        let (x1, y1) = (px(r.x + r.w).min(width), px(r.y + r.h).min(height));
        for y in y0..y1 {
            let row = y as usize * width as usize;
            pixels[row + x0 as usize..row + x1 as usize].fill(0);
        }
    }
    for t in &layout.texts {
        fill(
            &mut pixels,
            width,
            height,
            &text::flatten(&text::outline(t)),
            s,
        );
    }
    Bitmap {
        width,
        height,
        pixels,
    }
}

/// Fills the shape bounded by `edges` (in modules) at `s` pixels per module.
fn fill(pixels: &mut [u8], width: u32, height: u32, edges: &[(text::Point, text::Point)], s: f64) {
    let (lo, hi) = edges.iter().fold((f64::MAX, f64::MIN), |(lo, hi), (a, b)| {
        (lo.min(a.1).min(b.1), hi.max(a.1).max(b.1))
    });
    if edges.is_empty() {
        return;
    }
    let first = ((lo * s).floor().max(0.0) as u32).min(height);
    let last = ((hi * s).ceil().max(0.0) as u32).min(height);
    let mut crossings: Vec<(f64, i32)> = Vec::new();
    for py in first..last {
        let y = (f64::from(py) + 0.5) / s;
        crossings.clear();
        for &((x0, y0), (x1, y1)) in edges {
            if (y0 <= y && y < y1) || (y1 <= y && y < y0) {
                let x = x0 + (y - y0) / (y1 - y0) * (x1 - x0);
                crossings.push((x * s, if y1 > y0 { 1 } else { -1 }));
            }
        }
        crossings.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut winding = 0;
        let row = py as usize * width as usize;
        for pair in crossings.windows(2) {
            winding += pair[0].1;
            if winding != 0 {
                // Pixels whose centres lie inside the span.
                let from = (pair[0].0 - 0.5).ceil().max(0.0) as u32;
                let to = ((pair[1].0 - 0.5).floor() + 1.0).max(0.0) as u32;
                for px in from.min(width)..to.min(width) {
                    pixels[row + px as usize] = 0;
                }
            }
        }
    }
}

/// The layout as a PNG for a printer of `dpi` dots per inch (the resolution is recorded in the
/// file's pHYs chunk).
pub fn png(layout: &Layout, dpi: u32) -> Result<Vec<u8>, LabelError> {
    let scale = pixels_per_module(layout.x_mm, dpi)?;
    let bitmap = raster(layout, scale);
    // One bit a pixel: a label is black and white, and eight times fewer bytes to compress.
    let row_bytes = (bitmap.width as usize).div_ceil(8);
    let mut packed = vec![0u8; row_bytes * bitmap.height as usize];
    for (y, row) in bitmap.pixels.chunks(bitmap.width as usize).enumerate() {
        let dst = &mut packed[y * row_bytes..(y + 1) * row_bytes];
        for (x, px) in row.iter().enumerate() {
            if *px != 0 {
                dst[x / 8] |= 0x80 >> (x % 8);
            }
        }
    }
    let mut out = Vec::new();
    let mut enc = ::png::Encoder::new(&mut out, bitmap.width, bitmap.height);
    enc.set_color(::png::ColorType::Grayscale);
    enc.set_depth(::png::BitDepth::One);
    enc.set_compression(::png::Compression::Fast);
    let per_metre = (f64::from(dpi) / 0.0254).round() as u32;
    enc.set_pixel_dims(Some(::png::PixelDimensions {
        xppu: per_metre,
        yppu: per_metre,
        unit: ::png::Unit::Meter,
    }));
    let write = enc
        .write_header()
        .and_then(|mut w| w.write_image_data(&packed));
    // Writing to a Vec fails only on a dimension png refuses, which raster cannot produce.
    write.map_err(|e| LabelError::Encoder {
        symbology: crate::Symbology::Qr,
        reason: e.to_string(),
    })?;
    Ok(out)
}
