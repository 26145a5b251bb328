//! The GS1 Barcode Syntax Tests ("linters") named by the syntax dictionary, each checking one
//! component value and, on failure, naming the offending span.
//!
//! Every linter reproduces the GS1 Barcode Syntax Engine: the same checks in the same order,
//! the same error code and the same highlighted span. Linters take bytes, allocate nothing and
//! look values up in compile-time tables.
//!
//! ```
//! use gs1::lint::{LintErrorKind, Linter};
//!
//! assert!(Linter::Iso3166.check(b"826").is_ok());
//! let err = Linter::Yymmdd.check(b"240230").unwrap_err();
//! assert_eq!(err.kind, LintErrorKind::IllegalDay);
//! assert_eq!(err.kind.code(), "GS1_LINTER_ILLEGAL_DAY");
//! assert_eq!(err.span(), 4..6);
//! ```

mod checksum;
mod codes;
mod coupon;
mod cset;
mod date;
mod error;
mod gcp;
mod geo;
mod iban;
mod iso;
mod sequence;
mod time;
mod value;

pub use error::{LintError, LintErrorKind};
pub use gcp::{GcpLookup, GcpStatus};

/// What every linter returns.
type LintResult = Result<(), LintError>;

/// Defines [`Linter`] and its name mapping from one table.
macro_rules! linters {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal,)*) => {
        /// A linter named in the GS1 Barcode Syntax Dictionary (or a character-set check implied
        /// by a component type).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Linter {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Linter {
            /// Every linter, in order of name.
            pub const ALL: &'static [Linter] = &[$(Linter::$variant),*];

            /// The linter with the dictionary name `name` (e.g. `"csum"`), if there is one.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($name => Some(Linter::$variant),)*
                    _ => None,
                }
            }

            /// The linter's dictionary name, e.g. `"csum"`.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Linter::$variant => $name,)*
                }
            }
        }
    };
}

linters! {
    /// North American coupon code, AI (8110).
    CouponCode = "couponcode",
    /// North American positive offer file coupon code, AI (8112).
    CouponPosOffer = "couponposoffer",
    /// Character set 39 (type `Y`).
    Cset39 = "cset39",
    /// Character set 64, URI-safe base64 (type `Z`).
    Cset64 = "cset64",
    /// Character set 82 (type `X`).
    Cset82 = "cset82",
    /// Digits only (type `N`).
    CsetNumeric = "csetnumeric",
    /// GS1 mod-10 check digit in the last position.
    Csum = "csum",
    /// GS1 alphanumeric check-character pair in the last two positions.
    CsumAlpha = "csumalpha",
    /// A GS1 Company Prefix starts at the first character.
    GcpPos1 = "gcppos1",
    /// A GS1 Company Prefix starts at the second character.
    GcpPos2 = "gcppos2",
    /// At least one non-digit.
    HasNonDigit = "hasnondigit",
    /// Hour, 00-23.
    Hh = "hh",
    /// Hour and minute, HHMI.
    Hhmi = "hhmi",
    /// Only hyphens.
    Hyphen = "hyphen",
    /// International Bank Account Number.
    Iban = "iban",
    /// EU 2018/574 importer index: one character.
    ImporterIdx = "importeridx",
    /// ISO 3166-1 numeric country code.
    Iso3166 = "iso3166",
    /// ISO 3166-1 numeric country code or `999`.
    Iso3166Or999 = "iso3166999",
    /// ISO 3166-1 alpha-2 country code.
    Iso3166Alpha2 = "iso3166alpha2",
    /// ISO 4217 numeric currency code.
    Iso4217 = "iso4217",
    /// ISO/IEC 5218 biological sex code.
    Iso5218 = "iso5218",
    /// Encoded WGS84 latitude, 10 digits.
    Latitude = "latitude",
    /// Encoded WGS84 longitude, 10 digits.
    Longitude = "longitude",
    /// AIDC media type.
    MediaType = "mediatype",
    /// Minute, 00-59.
    Mi = "mi",
    /// Digits, not all zero.
    NonZero = "nonzero",
    /// Digits without a leading zero.
    NoZeroPrefix = "nozeroprefix",
    /// PackageTypeCode (UN/ECE Recommendation 21 and GS1 additions).
    PackageType = "packagetype",
    /// Well-formed percent-encoding.
    PcEnc = "pcenc",
    /// Piece number and total of equal width.
    PieceOfTotal = "pieceoftotal",
    /// Position in sequence as `pos/end`.
    PosInSeqSlash = "posinseqslash",
    /// Second, 00-59.
    Ss = "ss",
    /// Winding direction `0`, `1` or `9`.
    Winding = "winding",
    /// `0` or `1`.
    YesNo = "yesno",
    /// YYMMDD date, day `00` allowed.
    Yymmd0 = "yymmd0",
    /// YYMMDD date.
    Yymmdd = "yymmdd",
    /// YYYYMMDD date, day `00` allowed.
    Yyyymmd0 = "yyyymmd0",
    /// YYYYMMDD date.
    Yyyymmdd = "yyyymmdd",
    /// Zero only.
    Zero = "zero",
}

impl Linter {
    /// Runs the linter over one component value, without a GS1 Company Prefix lookup: the GCP
    /// checks of `gcppos1`, `gcppos2` and the coupon linters then cover syntax only.
    #[inline]
    pub fn check(self, value: &[u8]) -> Result<(), LintError> {
        self.check_with(value, None)
    }

    /// Runs the linter over one component value, consulting `gcp` (if given) wherever the value
    /// should hold a GS1 Company Prefix.
    pub fn check_with(self, value: &[u8], gcp: Option<&dyn GcpLookup>) -> Result<(), LintError> {
        match self {
            Self::CouponCode => coupon::couponcode(value, gcp),
            Self::CouponPosOffer => coupon::couponposoffer(value),
            Self::Cset39 => cset::cset39(value),
            Self::Cset64 => cset::cset64(value),
            Self::Cset82 => cset::cset82(value),
            Self::CsetNumeric => cset::csetnumeric(value),
            Self::Csum => checksum::csum(value),
            Self::CsumAlpha => checksum::csumalpha(value),
            Self::GcpPos1 => gcp::gcppos1(value, gcp),
            Self::GcpPos2 => gcp::gcppos2(value, gcp),
            Self::HasNonDigit => cset::hasnondigit(value),
            Self::Hh => time::hh(value),
            Self::Hhmi => time::hhmi(value),
            Self::Hyphen => cset::hyphen(value),
            Self::Iban => iban::iban(value),
            Self::ImporterIdx => codes::importeridx(value),
            Self::Iso3166 => iso::iso3166(value),
            Self::Iso3166Or999 => iso::iso3166999(value),
            Self::Iso3166Alpha2 => iso::iso3166alpha2(value),
            Self::Iso4217 => iso::iso4217(value),
            Self::Iso5218 => iso::iso5218(value),
            Self::Latitude => geo::latitude(value),
            Self::Longitude => geo::longitude(value),
            Self::MediaType => codes::mediatype(value),
            Self::Mi => time::mi(value),
            Self::NonZero => value::nonzero(value),
            Self::NoZeroPrefix => value::nozeroprefix(value),
            Self::PackageType => codes::packagetype(value),
            Self::PcEnc => cset::pcenc(value),
            Self::PieceOfTotal => sequence::pieceoftotal(value),
            Self::PosInSeqSlash => sequence::posinseqslash(value),
            Self::Ss => time::ss(value),
            Self::Winding => value::winding(value),
            Self::YesNo => value::yesno(value),
            Self::Yymmd0 => date::yymmd0(value),
            Self::Yymmdd => date::yymmdd(value),
            Self::Yyyymmd0 => date::yyyymmd0(value),
            Self::Yyyymmdd => date::yyyymmdd(value),
            Self::Zero => value::zero(value),
        }
    }
}

impl std::fmt::Display for Linter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        assert_eq!(Linter::ALL.len(), 39);
        for &l in Linter::ALL {
            assert_eq!(Linter::from_name(l.name()), Some(l));
        }
        assert!(Linter::ALL.windows(2).all(|w| w[0].name() < w[1].name()));
        assert_eq!(Linter::from_name("key"), None);
    }

    /// Every linter, on every input, returns without panicking and with a span inside the
    /// input, so callers may slice with it.
    fn assert_well_behaved(value: &[u8]) {
        struct Refuse;
        impl GcpLookup for Refuse {
            fn lookup(&self, _: &[u8]) -> GcpStatus {
                GcpStatus::Invalid
            }
        }
        for &linter in Linter::ALL {
            for hook in [None, Some(&Refuse as &dyn GcpLookup)] {
                if let Err(e) = linter.check_with(value, hook) {
                    assert!(
                        e.start + e.len <= value.len(),
                        "{linter} on {:?}: span {:?}",
                        value.escape_ascii().to_string(),
                        e.span()
                    );
                }
            }
        }
    }

    #[test]
    fn spans_stay_inside_short_inputs() {
        const ALPHABET: &[u8] = b"0129A%=/-_\x00\xff";
        let n = ALPHABET.len();
        for len in 0..=4u32 {
            for mut i in 0..n.pow(len) {
                let mut value = Vec::with_capacity(len as usize);
                for _ in 0..len {
                    value.push(ALPHABET[i % n]);
                    i /= n;
                }
                assert_well_behaved(&value);
            }
        }
    }

    #[test]
    fn spans_stay_inside_long_inputs() {
        // Mostly digits, so that the structured linters (coupons, dates, IBAN) get deep.
        const ALPHABET: &[u8] = b"01234567890123456789AZ%/=-";
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let len = (next() % 100) as usize;
            let value: Vec<u8> = (0..len)
                .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                .collect();
            assert_well_behaved(&value);
        }
    }
}
