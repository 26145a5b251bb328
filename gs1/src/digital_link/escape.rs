//! Percent-encoding and decoding of Digital Link path elements and query values, byte for byte
//! as GS1's Barcode Syntax Engine does it.

use std::borrow::Cow;

use super::DlError;

/// Where in a URI a value goes; the two differ only in how a space is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UriPart {
    /// A path element: a space is `%20` and `+` is a literal plus.
    Path,
    /// A query parameter value: a space is `+`.
    Query,
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// True for the characters that are never escaped: `A-Z a-z 0-9 - . _ ~`.
pub(crate) fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Appends `value` to `out`, escaping every byte except `A-Z a-z 0-9 - . _ ~` as `%XX`
/// (upper-case hex); in a query a space becomes `+`.
pub fn escape_into(out: &mut String, value: &str, part: UriPart) {
    let bytes = value.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if is_unreserved(b) {
            continue;
        }
        // Bytes run..i are unreserved ASCII, so both ends are char boundaries.
        if run < i {
            out.push_str(&value[run..i]);
        }
        if b == b' ' && part == UriPart::Query {
            out.push('+');
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
        run = i + 1;
    }
    if run < bytes.len() {
        out.push_str(&value[run..]);
    }
}

/// Escapes `value` for a path element or query value, borrowing when nothing needs escaping.
///
/// ```
/// use gs1::digital_link::{escape, UriPart};
/// assert_eq!(escape("A B/C", UriPart::Path), "A%20B%2FC");
/// assert_eq!(escape("A B/C", UriPart::Query), "A+B%2FC");
/// assert_eq!(escape("ABC-1.2_3~", UriPart::Path), "ABC-1.2_3~");
/// ```
pub fn escape(value: &str, part: UriPart) -> Cow<'_, str> {
    if value.bytes().all(is_unreserved) {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len() + 8);
    escape_into(&mut out, value, part);
    Cow::Owned(out)
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'A'..=b'F' => Some(b - b'A' + 10),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    }
}

/// Decodes `%XX` sequences (either case of hex digit) and, in a query, `+` as a space.
///
/// As in the engine, a `%` not followed by two hex digits is kept literally, and `%00` is
/// refused because the decoded value would hold a NUL. The result is bytes: `%FF` decodes to
/// the byte 0xFF, which need not be UTF-8.
///
/// ```
/// use gs1::digital_link::{unescape, UriPart};
/// assert_eq!(&*unescape("A%20B+C", UriPart::Path).unwrap(), b"A B+C");
/// assert_eq!(&*unescape("A%20B+C", UriPart::Query).unwrap(), b"A B C");
/// assert_eq!(&*unescape("50%", UriPart::Query).unwrap(), b"50%");
/// assert!(unescape("A%00B", UriPart::Path).is_err());
/// ```
pub fn unescape(s: &str, part: UriPart) -> Result<Cow<'_, [u8]>, DlError> {
    let b = s.as_bytes();
    let plus_is_space = part == UriPart::Query;
    let Some(first) = b
        .iter()
        .position(|&c| c == b'%' || (plus_is_space && c == b'+'))
    else {
        return Ok(Cow::Borrowed(b));
    };
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&b[..first]);
    let mut i = first;
    while i < b.len() {
        let c = b[i];
        if c == b'%' && i + 2 < b.len() {
            if let (Some(hi), Some(lo)) = (hex_value(b[i + 1]), hex_value(b[i + 2])) {
                let byte = hi << 4 | lo;
                if byte == 0 {
                    return Err(DlError::EncodedNul { position: i });
                }
                out.push(byte);
                i += 3;
                continue;
            }
            out.push(b'%');
        } else if plus_is_space && c == b'+' {
            out.push(b' ');
        } else {
            out.push(c);
        }
        i += 1;
    }
    Ok(Cow::Owned(out))
}

/// Decodes leniently for display: NUL is kept and bytes that are not UTF-8 are replaced.
pub(crate) fn unescape_lossy(s: &str, part: UriPart) -> Cow<'_, str> {
    match unescape(s, part) {
        Ok(Cow::Borrowed(_)) => Cow::Borrowed(s),
        Ok(Cow::Owned(v)) => match String::from_utf8(v) {
            Ok(s) => Cow::Owned(s),
            Err(e) => Cow::Owned(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        },
        // Only "%00" fails; decode it as NUL by hand.
        Err(_) => Cow::Owned(
            s.split("%00")
                .map(|p| unescape_lossy(p, part).into_owned())
                .collect::<Vec<_>>()
                .join("\0"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(s: &str) -> (String, String) {
        (
            escape(s, UriPart::Path).into_owned(),
            escape(s, UriPart::Query).into_owned(),
        )
    }

    #[test]
    fn escapes_everything_but_unreserved() {
        assert_eq!(both("0123456789-._~").0, "0123456789-._~");
        assert_eq!(
            both("!\"#%&'()*+,/:;<=>?").0,
            "%21%22%23%25%26%27%28%29%2A%2B%2C%2F%3A%3B%3C%3D%3E%3F"
        );
        assert_eq!(both("A  B"), ("A%20%20B".into(), "A++B".into()));
        assert_eq!(both("é").0, "%C3%A9");
    }

    #[test]
    fn unescapes_like_the_engine() {
        let path = |s| unescape(s, UriPart::Path).unwrap().into_owned();
        assert_eq!(path("A%4fB"), b"AOB");
        assert_eq!(path("A%FfB"), b"A\xffB");
        assert_eq!(path("A%4gB"), b"A%4gB");
        assert_eq!(path("A%g4B"), b"A%g4B");
        assert_eq!(path("ABC%2"), b"ABC%2");
        assert_eq!(path("%"), b"%");
        assert_eq!(path("%%41"), b"%A");
        assert_eq!(path("+"), b"+");
        assert_eq!(&*unescape("+", UriPart::Query).unwrap(), b" ");
        assert!(matches!(
            unescape("AB%00", UriPart::Query),
            Err(DlError::EncodedNul { position: 2 })
        ));
        assert!(matches!(
            unescape("ABC", UriPart::Path),
            Ok(Cow::Borrowed(_))
        ));
    }

    #[test]
    fn lossy_decoding_keeps_nul_and_replaces_bad_bytes() {
        assert_eq!(unescape_lossy("a%00b+c", UriPart::Query), "a\0b c");
        assert_eq!(unescape_lossy("%FF", UriPart::Path), "\u{fffd}");
        assert_eq!(unescape_lossy("plain", UriPart::Path), "plain");
    }
}
