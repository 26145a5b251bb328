//! Code-list linters (`mediatype`, `packagetype`, `importeridx`) and the code lists themselves,
//! kept as compile-time sets so that a lookup is a bit test or a short binary search.

pub(crate) mod iso3166;
pub(crate) mod iso4217;
pub(crate) mod package_type;

use super::cset::CSET64;
use super::{LintError, LintErrorKind, LintResult};

/// A fixed-size set of small integers (below `64 * WORDS`), built at compile time.
#[derive(Clone, Copy)]
pub(crate) struct BitSet<const WORDS: usize>([u64; WORDS]);

impl<const WORDS: usize> BitSet<WORDS> {
    /// The set with no members.
    pub(crate) const EMPTY: Self = Self([0; WORDS]);

    /// This set with `index` added.
    pub(crate) const fn with(mut self, index: usize) -> Self {
        self.0[index / 64] |= 1 << (index % 64);
        self
    }

    /// The set of `values`.
    pub(crate) const fn from_values(values: &[u16]) -> Self {
        let mut set = Self::EMPTY;
        let mut i = 0;
        while i < values.len() {
            set = set.with(values[i] as usize);
            i += 1;
        }
        set
    }

    /// True if `index` is a member; indexes beyond the set's range never are.
    #[inline]
    pub(crate) const fn contains(&self, index: usize) -> bool {
        index < 64 * WORDS && (self.0[index / 64] >> (index % 64)) & 1 == 1
    }

    /// Number of members.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }
}

/// The value of `code` if it is exactly `N` digits.
#[inline]
pub(crate) fn fixed_digits<const N: usize>(code: &[u8]) -> Option<usize> {
    let digits: &[u8; N] = code.try_into().ok()?;
    digits.iter().try_fold(0, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + usize::from(c - b'0'))
    })
}

/// `mediatype`: a two-digit AIDC media type. 01-10 are assigned by ICCBBA and 80-99 are for
/// ICCBBA local or national use; the rest are reserved.
pub(crate) fn mediatype(value: &[u8]) -> LintResult {
    match fixed_digits::<2>(value) {
        Some(1..=10 | 80..=99) => Ok(()),
        _ => Err(LintError::new(
            LintErrorKind::InvalidMediaType,
            0,
            value.len(),
        )),
    }
}

/// `packagetype`: a PackageTypeCode.
pub(crate) fn packagetype(value: &[u8]) -> LintResult {
    if package_type::contains(value) {
        Ok(())
    } else {
        Err(LintError::new(
            LintErrorKind::InvalidPackageType,
            0,
            value.len(),
        ))
    }
}

/// `importeridx`: one character valid as an importer index under EU regulation 2018/574, whose
/// alphabet is that of character set 64 without padding.
pub(crate) fn importeridx(value: &[u8]) -> LintResult {
    match value {
        [c] if CSET64.contains(*c) => Ok(()),
        [_] => Err(LintError::new(
            LintErrorKind::InvalidImportIdxCharacter,
            0,
            1,
        )),
        _ => Err(LintError::new(
            LintErrorKind::ImporterIdxMustBeOneCharacter,
            0,
            value.len(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_digit_values() {
        assert_eq!(fixed_digits::<3>(b"042"), Some(42));
        assert_eq!(fixed_digits::<3>(b"42"), None);
        assert_eq!(fixed_digits::<3>(b"4 2"), None);
    }

    #[test]
    fn media_types() {
        assert!(mediatype(b"01").is_ok());
        assert!(mediatype(b"10").is_ok());
        assert!(mediatype(b"80").is_ok());
        assert!(mediatype(b"00").is_err());
        assert!(mediatype(b"11").is_err());
        assert!(mediatype(b"1").is_err());
    }
}
