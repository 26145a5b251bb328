//! How long the GS1 Company Prefix of a key is: GS1's published GCP length table
//! (`gs1-data/gcp-length.txt`, embedded at compile time) and the prefixes a caller knows.
//!
//! A GS1 Digital Link URI carries the key as one digit string; its EPC URN puts a dot after the
//! company prefix, so turning one into the other needs the prefix length.

use std::collections::HashMap;
use std::sync::LazyLock;

use gs1::keys::CompanyPrefix;

static TABLE_TEXT: &str = include_str!("../../../gs1-data/gcp-length.txt");

// Parsed once. A unit test parses the embedded file, so the empty fallback is never reached in
// a build whose tests pass; it exists so lookups cannot panic.
static TABLE: LazyLock<HashMap<&'static str, u8>> =
    LazyLock::new(|| parse_table(TABLE_TEXT).unwrap_or_default());

/// The longest prefix the table lists; no GS1 Company Prefix is longer either.
const MAX_PREFIX: usize = 12;

/// Tells how many leading digits of a GS1 key are its GS1 Company Prefix.
pub trait GcpLength {
    /// The company prefix length of `key_digits`, the key from its first company-prefix digit
    /// on (a GTIN without its indicator digit, an SSCC without its extension digit, a GRAI
    /// without its leading 0); `None` when unknown.
    fn gcp_length(&self, key_digits: &str) -> Option<usize>;
}

/// GS1's GCP length table (`gcpprefixformatlist.xml`), as embedded from `gs1-data/`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Gs1GcpTable;

impl GcpLength for Gs1GcpTable {
    fn gcp_length(&self, key_digits: &str) -> Option<usize> {
        let longest = key_digits.len().min(MAX_PREFIX);
        // Prefixes in the table never nest, so the first hit, from the longest, is the only one.
        let len = (1..=longest)
            .rev()
            .filter_map(|n| key_digits.get(..n))
            .find_map(|p| TABLE.get(p))?;
        // 0 marks ranges where GS1 issues no company prefixes (restricted circulation, coupons).
        let len = usize::from(*len);
        (len != 0 && len <= key_digits.len()).then_some(len)
    }
}

/// The company prefixes a caller knows (those the platform licenses), with GS1's table for keys
/// under any other prefix.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KnownPrefixes {
    prefixes: Vec<CompanyPrefix>,
}

impl KnownPrefixes {
    /// Knows `prefixes`, then falls back to [`Gs1GcpTable`].
    pub fn new(prefixes: impl IntoIterator<Item = CompanyPrefix>) -> Self {
        let mut prefixes: Vec<CompanyPrefix> = prefixes.into_iter().collect();
        // Longest first, so that a prefix nested in another (which GS1 never issues, but a
        // caller's list may hold by mistake) loses to the more specific one.
        prefixes.sort_by_key(|p| std::cmp::Reverse(p.len()));
        prefixes.dedup();
        Self { prefixes }
    }
}

impl GcpLength for KnownPrefixes {
    fn gcp_length(&self, key_digits: &str) -> Option<usize> {
        self.prefixes
            .iter()
            .find(|p| key_digits.starts_with(p.as_str()))
            .map(CompanyPrefix::len)
            .or_else(|| Gs1GcpTable.gcp_length(key_digits))
    }
}

/// A line of the embedded table that does not follow its format.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}: {text:?}")]
struct TableError {
    line: usize,
    reason: &'static str,
    text: &'static str,
}

fn parse_table(text: &'static str) -> Result<HashMap<&'static str, u8>, TableError> {
    let mut table = HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |reason| TableError {
            line: i + 1,
            reason,
            text: raw,
        };
        let mut fields = line.split_whitespace();
        let (Some(prefix), Some(len), None) = (fields.next(), fields.next(), fields.next()) else {
            return Err(err("expected a prefix and a length"));
        };
        if prefix.is_empty()
            || prefix.len() > MAX_PREFIX
            || !prefix.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(err("a prefix is 1 to 12 digits"));
        }
        let len: u8 = match len.parse() {
            Ok(n @ (0 | 6..=12)) => n,
            _ => return Err(err("a length is 0 or 6 to 12")),
        };
        if table.insert(prefix, len).is_some() {
            return Err(err("listed twice"));
        }
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_parses_and_no_prefix_nests_in_another() {
        let table = parse_table(TABLE_TEXT).unwrap();
        assert_eq!(table.len(), 94_394);
        for prefix in table.keys() {
            for n in 1..prefix.len() {
                assert!(
                    !table.contains_key(&prefix[..n]),
                    "{prefix} nests in {}",
                    &prefix[..n]
                );
            }
        }
    }

    #[test]
    fn looks_up_lengths() {
        let check = |digits: &str, expected: Option<usize>| {
            assert_eq!(Gs1GcpTable.gcp_length(digits), expected, "{digits}");
        };
        check("061414110734", Some(7));
        check("401234512345", Some(7));
        check("952525208400", Some(8));
        check("735005385000", Some(9));
        check("952912345678", Some(12));
        // GS1 lists only 9523-9529 of the 952 prefixes for examples; 2 is restricted circulation.
        check("952000101234", None);
        check("212345678901", None);
        check("", None);
        check("06", None);
    }

    #[test]
    fn known_prefixes_come_before_the_table() {
        let known = KnownPrefixes::new(["952000101", "9520001"].map(|p| p.parse().unwrap()));
        assert_eq!(known.gcp_length("952000101234"), Some(9));
        assert_eq!(known.gcp_length("952000191234"), Some(7));
        assert_eq!(known.gcp_length("061414110734"), Some(7));
        assert_eq!(known.gcp_length("952299991234"), None);
    }

    #[test]
    fn malformed_tables_are_refused() {
        let reason = |text| parse_table(text).map(|_| ()).map_err(|e| e.reason);
        assert_eq!(reason("061 7 x"), Err("expected a prefix and a length"));
        assert_eq!(reason("06a 7"), Err("a prefix is 1 to 12 digits"));
        assert_eq!(reason("061 5"), Err("a length is 0 or 6 to 12"));
        assert_eq!(reason("061 7\n061 8"), Err("listed twice"));
        assert_eq!(
            parse_table("# c\n061").unwrap_err().to_string(),
            "line 2: expected a prefix and a length: \"061\""
        );
    }
}
