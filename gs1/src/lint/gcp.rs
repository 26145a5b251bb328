//! GS1 Company Prefix linters (`gcppos1`, `gcppos2`) and the hook through which a caller can plug
//! in a real GCP allocation lookup.

use super::{LintError, LintErrorKind, LintResult};

/// What a [`GcpLookup`] says about the data it was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GcpStatus {
    /// The data starts with an allocated GS1 Company Prefix (or should be treated as such, e.g.
    /// to fail open when the source is unreachable).
    Valid,
    /// The data does not start with an allocated GS1 Company Prefix.
    Invalid,
    /// The lookup source is unavailable and linting should fail closed.
    Offline,
}

/// A source of GS1 Company Prefix allocations, consulted by `gcppos1`, `gcppos2` and the coupon
/// linters once their own syntax checks pass.
///
/// `lookup` receives the data expected to *start* with a GCP; the prefix length is for the
/// implementation to work out. That data may begin with a regular GCP, a UPC Company Prefix
/// normalised by a leading `0`, or a GS1-8 Prefix normalised by a leading `00000`.
pub trait GcpLookup {
    /// Looks up the GS1 Company Prefix at the start of `data`.
    fn lookup(&self, data: &[u8]) -> GcpStatus;
}

/// The shortest GS1 Company Prefix currently allocated has four digits.
const GCP_MIN_LENGTH: usize = 4;

/// `gcppos1`: `value` starts with a GS1 Company Prefix. Without a lookup only the minimum length
/// and the digits of the shortest possible prefix are checked.
pub(crate) fn gcppos1(value: &[u8], lookup: Option<&dyn GcpLookup>) -> LintResult {
    if value.len() < GCP_MIN_LENGTH {
        return Err(LintError::new(
            LintErrorKind::TooShortForGcp,
            0,
            value.len(),
        ));
    }
    if let Some(pos) = value[..GCP_MIN_LENGTH]
        .iter()
        .position(|c| !c.is_ascii_digit())
    {
        return Err(LintError::new(LintErrorKind::InvalidGcpPrefix, pos, 1));
    }
    consult(value, lookup)
}

/// `gcppos2`: the GS1 Company Prefix starts at the second character.
pub(crate) fn gcppos2(value: &[u8], lookup: Option<&dyn GcpLookup>) -> LintResult {
    match value.split_first() {
        Some((_, rest)) if !rest.is_empty() => gcppos1(rest, lookup).map_err(|e| e.shifted(1)),
        _ => Err(LintError::new(
            LintErrorKind::TooShortForGcp,
            0,
            value.len(),
        )),
    }
}

/// Asks `lookup`, if there is one, about `data`; a refusal covers all of `data`.
pub(crate) fn consult(data: &[u8], lookup: Option<&dyn GcpLookup>) -> LintResult {
    let kind = match lookup.map(|l| l.lookup(data)) {
        None | Some(GcpStatus::Valid) => return Ok(()),
        Some(GcpStatus::Invalid) => LintErrorKind::InvalidGcpPrefix,
        Some(GcpStatus::Offline) => LintErrorKind::GcpDatasourceOffline,
    };
    Err(LintError::new(kind, 0, data.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Always(GcpStatus);

    impl GcpLookup for Always {
        fn lookup(&self, _: &[u8]) -> GcpStatus {
            self.0
        }
    }

    #[test]
    fn without_lookup_only_syntax() {
        assert!(gcppos1(b"1234", None).is_ok());
        assert_eq!(
            gcppos1(b"123", None),
            Err(LintError::new(LintErrorKind::TooShortForGcp, 0, 3))
        );
        assert_eq!(
            gcppos1(b"12A45", None),
            Err(LintError::new(LintErrorKind::InvalidGcpPrefix, 2, 1))
        );
        assert_eq!(
            gcppos2(b"X", None),
            Err(LintError::new(LintErrorKind::TooShortForGcp, 0, 1))
        );
        assert_eq!(
            gcppos2(b"X123", None),
            Err(LintError::new(LintErrorKind::TooShortForGcp, 1, 3))
        );
        assert_eq!(
            gcppos2(b"X12A4", None),
            Err(LintError::new(LintErrorKind::InvalidGcpPrefix, 3, 1))
        );
    }

    #[test]
    fn lookup_verdicts() {
        let offline = Always(GcpStatus::Offline);
        let valid = Always(GcpStatus::Valid);
        assert!(gcppos1(b"1234567", Some(&valid)).is_ok());
        assert_eq!(
            gcppos2(b"I1234567", Some(&offline)),
            Err(LintError::new(LintErrorKind::GcpDatasourceOffline, 1, 7))
        );
    }
}
