//! The page a list query reads: keys strictly after a cursor, at most a limit of them.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

/// A validated page request: items strictly after `after`, at most `limit` of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageRequest {
    /// The last key of the previous page.
    pub after: Option<String>,
    /// Page size.
    pub limit: i64,
}

/// Encodes a page's last key as an opaque cursor.
pub fn encode_cursor(key: &str) -> String {
    URL_SAFE_NO_PAD.encode(key.as_bytes())
}

/// The key a cursor of [`encode_cursor`] holds; `None` for anything else.
pub fn decode_cursor(cursor: &str) -> Option<String> {
    URL_SAFE_NO_PAD
        .decode(cursor.as_bytes())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        assert_eq!(decode_cursor(&encode_cursor("abc")).as_deref(), Some("abc"));
        assert_eq!(decode_cursor("!!"), None);
        assert_eq!(decode_cursor(""), None);
    }
}
