//! Writing and reading one value in the compressed form: numeric parts as binary numbers,
//! alphanumeric parts with a 3-bit encoding indicator (digits, lower or upper hex, URI-safe
//! base64, 7-bit ASCII) chosen to fit the characters.

use super::bits::{BASE64, BitReader, BitWriter, base64_value, length_bits, value_bits};
use super::format::Layout;
use crate::digital_link::DlError;

/// The encodings of alphanumeric characters, by their 3-bit indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Charset {
    /// `0`: digits only, as one binary number.
    Digits = 0,
    /// `1`: `0-9 a-f`, 4 bits each.
    HexLower = 1,
    /// `2`: `0-9 A-F`, 4 bits each.
    HexUpper = 2,
    /// `3`: URI-safe base64 characters, 6 bits each.
    Base64 = 3,
    /// `4`: any 7-bit ASCII, 7 bits each.
    Ascii = 4,
}

impl Charset {
    /// The most compact encoding for `s`, as GS1's toolkit chooses it; an empty string is
    /// written as ASCII.
    fn best_for(s: &str) -> Self {
        let b = s.as_bytes();
        let all = |f: fn(&u8) -> bool| !b.is_empty() && b.iter().all(f);
        if all(u8::is_ascii_digit) {
            Self::Digits
        } else if all(|c| c.is_ascii_digit() || (b'A'..=b'F').contains(c)) {
            Self::HexUpper
        } else if all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c)) {
            Self::HexLower
        } else if all(|&c| base64_value(c).is_some()) {
            Self::Base64
        } else {
            Self::Ascii
        }
    }

    fn from_indicator(v: u64) -> Option<Self> {
        Some(match v {
            0 => Self::Digits,
            1 => Self::HexLower,
            2 => Self::HexUpper,
            3 => Self::Base64,
            4 => Self::Ascii,
            _ => return None,
        })
    }
}

/// Writes `s` with an encoding indicator, a `length_width`-bit length field (none for a fixed
/// length) and the characters. Returns false if a character is not 7-bit ASCII.
pub(super) fn write_alpha(w: &mut BitWriter, s: &str, length_width: Option<usize>) -> bool {
    let charset = Charset::best_for(s);
    w.push(charset as u64, 3);
    if let Some(width) = length_width {
        w.push(s.len() as u64, width);
    }
    let b = s.as_bytes();
    match charset {
        Charset::Digits => w.push_decimal(b, value_bits(b.len())),
        Charset::HexLower | Charset::HexUpper => {
            for &c in b {
                let v = (c as char).to_digit(16).unwrap_or(0);
                w.push(u64::from(v), 4);
            }
            true
        }
        Charset::Base64 => {
            for &c in b {
                w.push(u64::from(base64_value(c).unwrap_or(0)), 6);
            }
            true
        }
        Charset::Ascii => {
            for &c in b {
                w.push(u64::from(c), 7);
            }
            b.is_ascii()
        }
    }
}

fn bad(r: &BitReader, reason: &'static str) -> DlError {
    DlError::BadCompressed {
        bit: r.pos(),
        reason,
    }
}

/// Reads an encoding indicator, a length field of `length_width` bits (or the fixed `count`)
/// and the characters.
pub(super) fn read_alpha(
    r: &mut BitReader,
    length_width: Option<usize>,
    count: usize,
) -> Result<String, DlError> {
    let indicator = r
        .read(3)
        .ok_or_else(|| bad(r, "data ends inside a value"))?;
    let charset =
        Charset::from_indicator(indicator).ok_or_else(|| bad(r, "unknown character encoding"))?;
    let count = match length_width {
        Some(width) => {
            let n = r
                .read(width)
                .ok_or_else(|| bad(r, "data ends inside a value"))? as usize;
            if n > count {
                return Err(bad(r, "value longer than its maximum"));
            }
            n
        }
        None => count,
    };
    let mut out = String::with_capacity(count);
    match charset {
        Charset::Digits => {
            return r
                .read_decimal(value_bits(count), count)
                .ok_or_else(|| bad(r, "bad numeric value"));
        }
        Charset::HexLower | Charset::HexUpper => {
            let digits: &[u8; 16] = if charset == Charset::HexLower {
                b"0123456789abcdef"
            } else {
                b"0123456789ABCDEF"
            };
            for _ in 0..count {
                let v = r
                    .read(4)
                    .ok_or_else(|| bad(r, "data ends inside a value"))?;
                out.push(char::from(digits[v as usize]));
            }
        }
        Charset::Base64 => {
            for _ in 0..count {
                let v = r
                    .read(6)
                    .ok_or_else(|| bad(r, "data ends inside a value"))?;
                out.push(char::from(BASE64[v as usize]));
            }
        }
        Charset::Ascii => {
            for _ in 0..count {
                let v = r
                    .read(7)
                    .ok_or_else(|| bad(r, "data ends inside a value"))?;
                out.push(char::from(v as u8));
            }
        }
    }
    Ok(out)
}

/// Writes an AI value by its layout. Returns why not if the value does not fit the layout.
pub(super) fn write_value(
    w: &mut BitWriter,
    layout: &Layout,
    value: &str,
) -> Result<(), &'static str> {
    let mut rest = value;
    for part in layout.parts() {
        let take = if part.fixed {
            if rest.len() < part.len {
                return Err("value shorter than its format");
            }
            part.len
        } else {
            rest.len().min(part.len)
        };
        let (chunk, tail) = rest.split_at_checked(take).ok_or("value is not ASCII")?;
        rest = tail;
        if part.numeric {
            if !chunk.bytes().all(|c| c.is_ascii_digit()) {
                return Err("non-digit in a numeric part");
            }
            if !part.fixed {
                w.push(chunk.len() as u64, length_bits(part.len));
            }
            if !w.push_decimal(chunk.as_bytes(), value_bits(chunk.len())) {
                return Err("bad numeric value");
            }
        } else {
            let width = (!part.fixed).then(|| length_bits(part.len));
            if !write_alpha(w, chunk, width) {
                return Err("value is not ASCII");
            }
        }
    }
    if rest.is_empty() {
        Ok(())
    } else {
        Err("value longer than its format")
    }
}

/// Reads an AI value by its layout.
pub(super) fn read_value(r: &mut BitReader, layout: &Layout) -> Result<String, DlError> {
    let mut value = String::new();
    for part in layout.parts() {
        if part.numeric {
            let n = if part.fixed {
                part.len
            } else {
                let n = r
                    .read(length_bits(part.len))
                    .ok_or_else(|| bad(r, "data ends inside a value"))?
                    as usize;
                if n > part.len {
                    return Err(bad(r, "value longer than its maximum"));
                }
                n
            };
            let digits = r
                .read_decimal(value_bits(n), n)
                .ok_or_else(|| bad(r, "bad numeric value"))?;
            value.push_str(&digits);
        } else {
            let width = (!part.fixed).then(|| length_bits(part.len));
            value.push_str(&read_alpha(r, width, part.len)?);
        }
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(s: &str, width: Option<usize>) -> (String, usize) {
        let mut w = BitWriter::default();
        assert!(write_alpha(&mut w, s, width));
        let b64 = w.to_base64();
        let mut r = BitReader::from_base64(&b64).unwrap();
        let got = read_alpha(&mut r, width, if width.is_some() { 90 } else { s.len() }).unwrap();
        (got, r.pos())
    }

    #[test]
    fn alphanumerics_pick_the_tightest_charset() {
        assert_eq!(Charset::best_for("0123"), Charset::Digits);
        assert_eq!(Charset::best_for("12AB"), Charset::HexUpper);
        assert_eq!(Charset::best_for("12ab"), Charset::HexLower);
        assert_eq!(Charset::best_for("aB-_"), Charset::Base64);
        assert_eq!(Charset::best_for("a&b"), Charset::Ascii);
        assert_eq!(Charset::best_for(""), Charset::Ascii);
        for s in [
            "007",
            "12AB",
            "12ab",
            "AJY3095721P49",
            "8TFV883a904GH&3",
            "",
        ] {
            assert_eq!(round_trip(s, Some(7)).0, s);
            assert_eq!(round_trip(s, None).0, s);
        }
        // "ABC123" is upper-case hex: 3 + 5 + 6*4 bits.
        assert_eq!(round_trip("ABC123", Some(5)).1, 32);
    }
}
