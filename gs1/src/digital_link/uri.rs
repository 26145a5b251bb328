//! The `http(s)` URI around a Digital Link, checked as the engine checks it: allowed
//! characters, scheme written all lower or all upper case, a domain without reserved
//! characters, then where the path info and the query lie (the fragment is ignored).

use super::DlError;

/// A byte-indexed membership table for a set of ASCII bytes (optionally with alphanumerics).
const fn byte_set(extra: &[u8], alphanumeric: bool) -> [bool; 256] {
    let mut set = [false; 256];
    let mut c = 0u8;
    while c < 128 {
        set[c as usize] = alphanumeric && c.is_ascii_alphanumeric();
        c += 1;
    }
    let mut i = 0;
    while i < extra.len() {
        set[extra[i] as usize] = true;
        i += 1;
    }
    set
}

/// Characters allowed anywhere in the URI (RFC 3986 unreserved, reserved, and `%`), by class:
/// 0 not allowed, 1 allowed, 2 `?`, 3 `#`.
static URI_CLASS: [u8; 256] = {
    let allowed = byte_set(b"-._~:/?#[]@!$&'()*+,;=%", true);
    let mut class = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        class[c] = allowed[c] as u8;
        c += 1;
    }
    class[b'?' as usize] = 2;
    class[b'#' as usize] = 3;
    class
};

/// URI characters that may not appear in the authority.
static BAD_DOMAIN_CHARS: [bool; 256] = byte_set(b"_~?#@!$&'()*+,;=%", false);

/// Where the parts of an `http(s)` URI lie, as byte offsets.
#[derive(Clone, Copy, Debug)]
pub(super) struct UriParts {
    /// Start of the path info (its leading `/`).
    pub(super) path_at: usize,
    /// End of the path info (a `?`, a `#` or the end).
    pub(super) path_end: usize,
    /// The query, without its `?` and without any fragment.
    pub(super) query: Option<(usize, usize)>,
}

/// Checks the characters, scheme and domain, and finds the path info and query.
pub(super) fn split(uri: &str) -> Result<UriParts, DlError> {
    let b = uri.as_bytes();
    // One pass checks every character and notes the first '?' and '#'.
    let (mut first_q, mut first_hash) = (None, None);
    for (i, &c) in b.iter().enumerate() {
        match URI_CLASS[usize::from(c)] {
            1 => {}
            0 => {
                return Err(DlError::IllegalCharacter {
                    character: uri[i..].chars().next().unwrap_or('\0'),
                    position: i,
                });
            }
            2 => {
                first_q.get_or_insert(i);
            }
            _ => {
                first_hash.get_or_insert(i);
            }
        }
    }
    let host_at = if b.starts_with(b"https://") || b.starts_with(b"HTTPS://") {
        8
    } else if b.starts_with(b"http://") || b.starts_with(b"HTTP://") {
        7
    } else {
        return Err(DlError::BadScheme {
            uri: uri.chars().take(8).collect(),
        });
    };
    let mut r = host_at;
    while r < b.len() && b[r] != b'/' {
        if BAD_DOMAIN_CHARS[usize::from(b[r])] {
            return Err(DlError::BadDomain {
                character: char::from(b[r]),
                position: r,
            });
        }
        r += 1;
    }
    if r == b.len() || r == host_at {
        return Err(DlError::MissingDomainOrPath);
    }
    // '?' and '#' are refused in the domain, so both lie after the path's start.
    let end = first_hash.unwrap_or(b.len());
    let q = first_q.filter(|&q| q < end);
    Ok(UriParts {
        path_at: r,
        path_end: q.unwrap_or(end),
        query: q.map(|q| (q + 1, end)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_scheme_domain_path_query() {
        let p = split("https://a.b/c/01/1?x=1#f?g").unwrap();
        assert_eq!((p.path_at, p.path_end, p.query), (11, 18, Some((19, 22))));
        assert!(matches!(split("ftp://a/"), Err(DlError::BadScheme { .. })));
        assert!(matches!(split("HtTp://a/"), Err(DlError::BadScheme { .. })));
        assert!(matches!(
            split("http://a"),
            Err(DlError::MissingDomainOrPath)
        ));
        assert!(matches!(
            split("http:///"),
            Err(DlError::MissingDomainOrPath)
        ));
        assert!(matches!(
            split("https://a$/01"),
            Err(DlError::BadDomain { position: 9, .. })
        ));
        assert!(matches!(
            split("https://a/01 2"),
            Err(DlError::IllegalCharacter { position: 12, .. })
        ));
    }
}
