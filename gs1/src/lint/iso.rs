//! Linters for ISO code values: country codes (ISO 3166), currency codes (ISO 4217) and
//! biological sex codes (ISO/IEC 5218).

use super::codes::{fixed_digits, iso3166, iso4217};
use super::{LintError, LintErrorKind, LintResult};

/// True if `value` is a three-digit ISO 3166-1 numeric country code.
fn is_iso3166_numeric(value: &[u8]) -> bool {
    fixed_digits::<3>(value).is_some_and(|n| iso3166::NUMERIC_SET.contains(n))
}

/// True if `value` is an ISO 3166-1 alpha-2 country code (capital letters only).
pub(crate) fn is_iso3166_alpha2(value: &[u8]) -> bool {
    match *value {
        [a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase() => {
            iso3166::ALPHA2_SET.contains(iso3166::alpha2_index(a, b))
        }
        _ => false,
    }
}

/// Refuses the whole of `value` as `kind` unless `ok`.
fn whole(ok: bool, value: &[u8], kind: LintErrorKind) -> LintResult {
    if ok {
        Ok(())
    } else {
        Err(LintError::new(kind, 0, value.len()))
    }
}

/// `iso3166`: an ISO 3166-1 numeric country code.
pub(crate) fn iso3166(value: &[u8]) -> LintResult {
    whole(is_iso3166_numeric(value), value, LintErrorKind::NotIso3166)
}

/// `iso3166999`: an ISO 3166-1 numeric country code, or `999` (e.g. "unknown / several").
pub(crate) fn iso3166999(value: &[u8]) -> LintResult {
    whole(
        value == b"999" || is_iso3166_numeric(value),
        value,
        LintErrorKind::NotIso3166Or999,
    )
}

/// `iso3166alpha2`: an ISO 3166-1 alpha-2 country code.
pub(crate) fn iso3166alpha2(value: &[u8]) -> LintResult {
    whole(
        is_iso3166_alpha2(value),
        value,
        LintErrorKind::NotIso3166Alpha2,
    )
}

/// `iso4217`: an ISO 4217 numeric currency code.
pub(crate) fn iso4217(value: &[u8]) -> LintResult {
    let ok = fixed_digits::<3>(value).is_some_and(|n| iso4217::NUMERIC_SET.contains(n));
    whole(ok, value, LintErrorKind::NotIso4217)
}

/// `iso5218`: a biological sex code: 0 not known, 1 male, 2 female, 9 not applicable.
pub(crate) fn iso5218(value: &[u8]) -> LintResult {
    whole(
        matches!(value, b"0" | b"1" | b"2" | b"9"),
        value,
        LintErrorKind::InvalidBiologicalSexCode,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_and_currencies() {
        assert!(iso3166(b"826").is_ok());
        assert!(iso3166(b"999").is_err());
        assert!(iso3166999(b"999").is_ok());
        assert!(iso3166(b"82").is_err());
        assert!(iso3166alpha2(b"GB").is_ok());
        assert!(iso3166alpha2(b"gb").is_err());
        assert!(iso3166alpha2(b"UK").is_err());
        assert!(iso4217(b"978").is_ok());
        assert!(iso4217(b"000").is_err());
        assert_eq!(
            iso5218(b"12"),
            Err(LintError::new(
                LintErrorKind::InvalidBiologicalSexCode,
                0,
                2
            ))
        );
    }
}
