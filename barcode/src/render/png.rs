//! PNG at a printer's resolution: every module the same whole number of pixels, so that bar
//! widths stay exact; refused when that is more than 10% off the asked X-dimension.

use crate::{LabelError, layout::Layout};

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

/// The layout drawn at `scale` pixels per module (text is not drawn yet: that needs the OCR-B
/// outlines of the labels issue).
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
    Bitmap {
        width,
        height,
        pixels,
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
