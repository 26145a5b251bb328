//! Image bytes to grey pixels: the format sniffed from the bytes, EXIF orientation applied.

use std::io::Cursor;

use image::{DynamicImage, GrayImage, ImageDecoder, ImageReader};

use super::DecodeError;

/// Decodes PNG, JPEG, WebP, BMP, TIFF or GIF bytes to 8-bit grey, upright as EXIF says.
pub(crate) fn luma(bytes: &[u8]) -> Result<GrayImage, DecodeError> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| DecodeError::Unreadable(format!("cannot read the image bytes: {e}")))?;
    if reader.format().is_none() {
        return Err(DecodeError::Unreadable(unknown_format(bytes)));
    }
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    // A broken EXIF block is no reason to refuse the pixels: they are then taken as stored.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    image.apply_orientation(orientation);
    Ok(grey(image))
}

/// Grey as ZXing makes it: BT.601 weights (0.299 R + 0.587 G + 0.114 B, the `image` crate's
/// are BT.709's), and a transparent pixel white, as the paper behind a label is. The readers'
/// thresholds were tuned on this grey; BT.709's loses reads on coloured packaging.
fn grey(image: DynamicImage) -> GrayImage {
    if let DynamicImage::ImageLuma8(grey) = image {
        return grey;
    }
    let rgba = image.into_rgba8();
    let (w, h) = rgba.dimensions();
    let pixels = rgba
        .pixels()
        .map(|p| {
            let [r, g, b, a] = p.0;
            if a == 0 {
                return 0xFF;
            }
            let y = (306 * u32::from(r) + 601 * u32::from(g) + 117 * u32::from(b) + 0x200) >> 10;
            u8::try_from(y).unwrap_or(u8::MAX)
        })
        .collect();
    GrayImage::from_raw(w, h, pixels).unwrap_or_else(|| GrayImage::new(w, h))
}

fn unreadable(e: image::ImageError) -> DecodeError {
    DecodeError::Unreadable(format!("cannot decode the image: {e}"))
}

/// Why bytes of no known format were refused, naming HEIC when that is what they are.
fn unknown_format(bytes: &[u8]) -> String {
    let brand = bytes.get(4..12).unwrap_or_default();
    if brand.starts_with(b"ftyp")
        && [&b"heic"[..], b"heix", b"mif1", b"msf1", b"hevc", b"avif"]
            .iter()
            .any(|b| brand.ends_with(b))
    {
        "HEIC/HEIF images are not supported by this build: convert to JPEG or PNG".to_owned()
    } else {
        "not a PNG, JPEG, WebP, BMP, TIFF or GIF image".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_bytes_are_unreadable_with_a_reason() {
        let err = luma(b"hello, not an image").unwrap_err().to_string();
        assert!(err.contains("not a PNG"), "{err}");
        let heic = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic";
        let err = luma(heic).unwrap_err().to_string();
        assert!(err.contains("HEIC"), "{err}");
    }

    #[test]
    fn a_truncated_png_is_unreadable() {
        let err = luma(b"\x89PNG\r\n\x1a\n\0\0").unwrap_err();
        assert!(matches!(err, DecodeError::Unreadable(_)), "{err}");
    }
}
