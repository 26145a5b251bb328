//! A cached response (`Entry`) and its compact binary form for the shared level.

use actix_web::{
    http::header::{HeaderName, HeaderValue},
    web::Bytes,
};
use sha2::{Digest, Sha256};

/// A cached response: status, headers, body and, for a 200, a strong ETag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// HTTP status.
    pub status: u16,
    /// Response body.
    pub body: Bytes,
    /// Strong ETag, quoted; only a 200 has one (only a 200 is answered 304, and a redirect
    /// built on a cache miss skips the hashing).
    pub etag: Option<String>,
    /// Response headers, in order, parsed once: serving a hit clones reference-counted values
    /// instead of validating and copying text (a header that does not parse is left out).
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

fn parse(headers: &[(String, String)]) -> Vec<(HeaderName, HeaderValue)> {
    headers
        .iter()
        .filter_map(|(k, v)| {
            Some((
                HeaderName::try_from(k.as_str()).ok()?,
                HeaderValue::from_str(v).ok()?,
            ))
        })
        .collect()
}

/// Why bytes from the shared level are not an entry (another version wrote them, or they were
/// cut short).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// The bytes do not start with this format's tag.
    #[error("not a cache entry of format {FORMAT:?}")]
    Format,
    /// The bytes end inside a field.
    #[error("cache entry truncated")]
    Truncated,
    /// A header or the ETag is not UTF-8.
    #[error("cache entry text is not UTF-8")]
    Utf8,
    /// Bytes follow the body.
    #[error("cache entry has trailing bytes")]
    Trailing,
}

/// Tag and version of the binary form; a change of layout changes it, so old values read as
/// misses instead of garbage.
const FORMAT: &[u8; 4] = b"gce1";

impl Entry {
    /// An entry with its ETag, from header text (a header that does not parse is left out).
    pub fn new(status: u16, headers: Vec<(String, String)>, body: impl Into<Bytes>) -> Self {
        Self::from_parts(status, parse(&headers), body.into())
    }

    /// An entry with, for a 200, its ETag: the first 16 bytes of SHA-256 over headers and body,
    /// hex, quoted. Headers count because two representations may share a body.
    pub fn from_parts(status: u16, headers: Vec<(HeaderName, HeaderValue)>, body: Bytes) -> Self {
        let etag = (status == 200).then(|| {
            let mut h = Sha256::new();
            for (name, value) in &headers {
                h.update(name.as_str().as_bytes());
                h.update(b"\0");
                h.update(value.as_bytes());
                h.update(b"\0");
            }
            h.update(&body);
            format!("\"{}\"", hex::encode(&h.finalize()[..16]))
        });
        Self {
            status,
            headers,
            body,
            etag,
        }
    }

    /// The binary form: tag, status, ETag (empty for none), headers, body, each text
    /// length-prefixed.
    pub fn encode(&self) -> Vec<u8> {
        let text: usize = self
            .headers
            .iter()
            .map(|(n, v)| n.as_str().len() + v.len() + 8)
            .sum();
        let etag = self.etag.as_deref().unwrap_or_default();
        let mut out = Vec::with_capacity(16 + etag.len() + text + self.body.len());
        out.extend_from_slice(FORMAT);
        out.extend_from_slice(&self.status.to_be_bytes());
        put(&mut out, etag.as_bytes());
        put_len(&mut out, self.headers.len());
        for (name, value) in &self.headers {
            put(&mut out, name.as_str().as_bytes());
            put(&mut out, value.as_bytes());
        }
        put(&mut out, &self.body);
        out
    }

    /// Reads the binary form back.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let rest = bytes.strip_prefix(FORMAT).ok_or(DecodeError::Format)?;
        let mut r = Reader(rest);
        let status = u16::from_be_bytes(r.take(2)?.try_into().map_err(|_| DecodeError::Truncated)?);
        // An older writer hashed every status; only a 200's ETag is kept, as `from_parts` does.
        let etag = Some(r.text()?).filter(|e| status == 200 && !e.is_empty());
        let n = r.len()?;
        // A count larger than what is left cannot be honest; do not reserve memory for it.
        let mut headers = Vec::with_capacity(n.min(r.0.len() / 8));
        for _ in 0..n {
            headers.push((r.text()?, r.text()?));
        }
        let body = Bytes::copy_from_slice(r.field()?);
        if !r.0.is_empty() {
            return Err(DecodeError::Trailing);
        }
        Ok(Self {
            status,
            headers: parse(&headers),
            body,
            etag,
        })
    }
}

fn put_len(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_be_bytes());
}

fn put(out: &mut Vec<u8>, field: &[u8]) {
    put_len(out, field.len());
    out.extend_from_slice(field);
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if self.0.len() < n {
            return Err(DecodeError::Truncated);
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Ok(head)
    }

    fn len(&mut self) -> Result<usize, DecodeError> {
        let b: [u8; 4] = self
            .take(4)?
            .try_into()
            .map_err(|_| DecodeError::Truncated)?;
        usize::try_from(u32::from_be_bytes(b)).map_err(|_| DecodeError::Truncated)
    }

    fn field(&mut self) -> Result<&'a [u8], DecodeError> {
        let n = self.len()?;
        self.take(n)
    }

    fn text(&mut self) -> Result<String, DecodeError> {
        let b = self.field()?;
        String::from_utf8(b.to_vec()).map_err(|_| DecodeError::Utf8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Entry {
        Entry::new(
            307,
            vec![
                ("location".into(), "https://example.com/p?q=1".into()),
                ("link".into(), "<https://x>; rel=\"gs1:pip\"".into()),
            ],
            Bytes::from_static(b"\x00\xffbody"),
        )
    }

    #[test]
    fn round_trips_through_the_binary_form() {
        let e = sample();
        assert_eq!(Entry::decode(&e.encode()), Ok(e.clone()));
        let empty = Entry::new(200, Vec::new(), Bytes::new());
        assert_eq!(Entry::decode(&empty.encode()), Ok(empty));
    }

    #[test]
    fn refuses_damaged_bytes() {
        let bytes = sample().encode();
        assert_eq!(Entry::decode(b"nope"), Err(DecodeError::Format));
        for cut in [4, 5, 9, bytes.len() - 1] {
            assert_eq!(
                Entry::decode(&bytes[..cut]),
                Err(DecodeError::Truncated),
                "cut at {cut}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(Entry::decode(&longer), Err(DecodeError::Trailing));
    }

    #[test]
    fn only_a_200_has_an_etag_and_it_covers_headers_and_body() {
        let ok = |ct: &str, body: &'static [u8]| {
            Entry::new(200, vec![("content-type".into(), ct.into())], body)
                .etag
                .unwrap_or_default()
        };
        let a = ok("application/json", b"{}");
        assert!(
            a.starts_with('"') && a.ends_with('"') && a.len() == 34,
            "{a}"
        );
        assert_ne!(a, ok("application/linkset+json", b"{}"));
        assert_ne!(a, ok("application/json", b"[]"));
        assert_eq!(a, ok("application/json", b"{}"));
        let redirect = Entry::new(307, vec![("location".into(), "/a".into())], Bytes::new());
        assert_eq!(redirect.etag, None);
        assert_eq!(Entry::decode(&redirect.encode()), Ok(redirect.clone()));
        let mut older = redirect.clone();
        older.etag = Some("\"00\"".into());
        assert_eq!(
            Entry::decode(&older.encode()),
            Ok(redirect),
            "a redirect's ETag from an older writer is dropped"
        );
    }
}
