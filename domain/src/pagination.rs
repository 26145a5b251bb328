//! Cursor pagination: `?limit=` (default 50, max 500) and an opaque `?cursor=`.

use db::page::{PageRequest, decode_cursor, encode_cursor};
use serde::{Deserialize, Serialize};

use crate::error::DomainError;

/// The default page size.
pub const DEFAULT_LIMIT: i64 = 50;
/// The largest page size.
pub const MAX_LIMIT: i64 = 500;

/// The query string of a paged list.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// Page size.
    pub limit: Option<i64>,
    /// Where the previous page ended.
    pub cursor: Option<String>,
}

impl PageQuery {
    /// Checks the limit and decodes the cursor.
    pub fn parse(self) -> Result<PageRequest, DomainError> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(DomainError::field(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            ));
        }
        let after = match self.cursor {
            None => None,
            Some(c) => Some(decode_cursor(&c).ok_or_else(|| {
                DomainError::field("cursor", "not a cursor returned by this list")
            })?),
        };
        Ok(PageRequest { after, limit })
    }
}

/// The refusal of an EPCIS `nextPageToken` (the REST binding's paging) no earlier page gave.
pub(crate) fn bad_next_page_token() -> DomainError {
    DomainError::field("nextPageToken", "is not the token of a previous page")
}

/// The key an EPCIS `nextPageToken` resumes after.
pub(crate) fn next_page_key(token: Option<&str>) -> Result<Option<String>, DomainError> {
    token
        .map(|t| decode_cursor(t).ok_or_else(bad_next_page_token))
        .transpose()
}

/// One page of a list.
#[derive(Debug, Serialize)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; null on the last one.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` rows: the extra row only says another page exists.
    pub fn from_rows<R>(
        mut rows: Vec<R>,
        limit: i64,
        key: impl Fn(&R) -> String,
        map: impl Fn(R) -> T,
    ) -> Self {
        let more = rows.len() as i64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        let next_cursor = if more {
            rows.last().map(|r| encode_cursor(&key(r)))
        } else {
            None
        };
        Self {
            items: rows.into_iter().map(map).collect(),
            next_cursor,
        }
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_limits_are_checked() {
        let req = PageQuery {
            limit: Some(2),
            cursor: Some(encode_cursor("abc")),
        }
        .parse();
        assert_eq!(
            req.ok(),
            Some(PageRequest {
                after: Some("abc".into()),
                limit: 2
            })
        );
        assert!(
            PageQuery {
                limit: Some(0),
                cursor: None
            }
            .parse()
            .is_err()
        );
        assert!(
            PageQuery {
                limit: Some(501),
                cursor: None
            }
            .parse()
            .is_err()
        );
        assert!(
            PageQuery {
                limit: None,
                cursor: Some("!!".into())
            }
            .parse()
            .is_err()
        );
        let page = Page::from_rows(vec![1, 2, 3], 2, |r| r.to_string(), |r| r);
        assert_eq!(page.items, vec![1, 2]);
        assert_eq!(page.next_cursor, Some(encode_cursor("2")));
        let last = Page::from_rows(vec![1], 2, |r| r.to_string(), |r| r);
        assert_eq!(last.next_cursor, None);
    }
}
