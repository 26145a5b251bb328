//! What a linter reports: the kind of problem (one per `GS1_LINTER_*` code) and the offending span.

use std::fmt;
use std::ops::Range;

/// A linter's refusal: what is wrong and where, as a byte span of the component value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LintError {
    /// What is wrong.
    pub kind: LintErrorKind,
    /// Byte offset of the offending span within the component value.
    pub start: usize,
    /// Length in bytes of the offending span.
    pub len: usize,
}

impl LintError {
    /// An error of `kind` covering `len` bytes from `start`.
    pub const fn new(kind: LintErrorKind, start: usize, len: usize) -> Self {
        Self { kind, start, len }
    }

    /// The offending span as a range of byte offsets into the component value.
    pub const fn span(&self) -> Range<usize> {
        self.start..self.start + self.len
    }

    /// The same error moved `by` bytes to the right, for a linter that checked a slice of a
    /// larger value.
    pub(crate) const fn shifted(self, by: usize) -> Self {
        Self::new(self.kind, self.start + by, self.len)
    }
}

impl fmt::Display for LintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (bytes {}..{})",
            self.kind,
            self.start,
            self.start + self.len
        )
    }
}

impl std::error::Error for LintError {}

/// Defines [`LintErrorKind`] from one table so that the variant, its engine code and its message
/// cannot drift apart.
macro_rules! lint_error_kinds {
    ($($variant:ident = $code:literal, $message:literal;)*) => {
        /// What a linter found wrong. Each kind corresponds to one `GS1_LINTER_*` code of the GS1
        /// Barcode Syntax Engine (see [`LintErrorKind::code`]).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum LintErrorKind {
            $(
                #[doc = concat!("`", $code, "`: ", $message, ".")]
                $variant,
            )*
        }

        impl LintErrorKind {
            /// Every kind, in the engine's numbering order.
            pub const ALL: &'static [LintErrorKind] = &[$(LintErrorKind::$variant),*];

            /// The engine's name for this error, e.g. `"GS1_LINTER_NOT_ISO3166"`.
            pub const fn code(self) -> &'static str {
                match self {
                    $(LintErrorKind::$variant => $code,)*
                }
            }

            /// A short human description: lowercase, no trailing period.
            pub const fn message(self) -> &'static str {
                match self {
                    $(LintErrorKind::$variant => $message,)*
                }
            }

            /// The kind whose engine name is `code`, if there is one.
            pub fn from_code(code: &str) -> Option<Self> {
                match code {
                    $($code => Some(LintErrorKind::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

lint_error_kinds! {
    NonDigitCharacter = "GS1_LINTER_NON_DIGIT_CHARACTER",
        "a non-digit character where a digit is expected";
    InvalidCset82Character = "GS1_LINTER_INVALID_CSET82_CHARACTER",
        "a character outside GS1 character set 82";
    InvalidCset39Character = "GS1_LINTER_INVALID_CSET39_CHARACTER",
        "a character outside GS1 character set 39";
    InvalidCset32Character = "GS1_LINTER_INVALID_CSET32_CHARACTER",
        "a character outside GS1 character set 32";
    IncorrectCheckDigit = "GS1_LINTER_INCORRECT_CHECK_DIGIT",
        "incorrect check digit";
    TooShortForCheckDigit = "GS1_LINTER_TOO_SHORT_FOR_CHECK_DIGIT",
        "too short to hold a check digit";
    IncorrectCheckPair = "GS1_LINTER_INCORRECT_CHECK_PAIR",
        "incorrect check character pair";
    TooShortForCheckPair = "GS1_LINTER_TOO_SHORT_FOR_CHECK_PAIR",
        "too short to hold a check character pair";
    TooLongForCheckPairImplementation = "GS1_LINTER_TOO_LONG_FOR_CHECK_PAIR_IMPLEMENTATION",
        "too long for the check character pair calculation";
    GcpDatasourceOffline = "GS1_LINTER_GCP_DATASOURCE_OFFLINE",
        "the GS1 Company Prefix data source is offline";
    InvalidGcpPrefix = "GS1_LINTER_INVALID_GCP_PREFIX",
        "not a valid GS1 Company Prefix";
    ImporterIdxMustBeOneCharacter = "GS1_LINTER_IMPORTER_IDX_MUST_BE_ONE_CHARACTER",
        "the importer index must be a single character";
    InvalidImportIdxCharacter = "GS1_LINTER_INVALID_IMPORT_IDX_CHARACTER",
        "not a valid importer index character";
    IllegalZeroValue = "GS1_LINTER_ILLEGAL_ZERO_VALUE",
        "the value must not be zero";
    NotZero = "GS1_LINTER_NOT_ZERO",
        "the value must be zero";
    IllegalZeroPrefix = "GS1_LINTER_ILLEGAL_ZERO_PREFIX",
        "a leading zero is not allowed";
    NotZeroOrOne = "GS1_LINTER_NOT_ZERO_OR_ONE",
        "the value must be 0 or 1";
    InvalidWindingDirection = "GS1_LINTER_INVALID_WINDING_DIRECTION",
        "the winding direction must be 0, 1 or 9";
    NotIso3166 = "GS1_LINTER_NOT_ISO3166",
        "not a valid ISO 3166 country code";
    NotIso3166Or999 = "GS1_LINTER_NOT_ISO3166_OR_999",
        "not a valid ISO 3166 country code or 999";
    NotIso3166Alpha2 = "GS1_LINTER_NOT_ISO3166_ALPHA2",
        "not a valid ISO 3166 alpha-2 country code";
    NotIso4217 = "GS1_LINTER_NOT_ISO4217",
        "not a valid ISO 4217 currency code";
    IbanTooShort = "GS1_LINTER_IBAN_TOO_SHORT",
        "the IBAN is too short";
    InvalidIbanCharacter = "GS1_LINTER_INVALID_IBAN_CHARACTER",
        "a character not allowed in an IBAN";
    IllegalIbanCountryCode = "GS1_LINTER_ILLEGAL_IBAN_COUNTRY_CODE",
        "the IBAN does not start with an ISO 3166 alpha-2 country code";
    IncorrectIbanChecksum = "GS1_LINTER_INCORRECT_IBAN_CHECKSUM",
        "incorrect IBAN check digits";
    DateTooShort = "GS1_LINTER_DATE_TOO_SHORT",
        "the date is too short";
    DateTooLong = "GS1_LINTER_DATE_TOO_LONG",
        "the date is too long";
    HourWithMinuteTooShort = "GS1_LINTER_HOUR_WITH_MINUTE_TOO_SHORT",
        "too short for an HHMI time";
    HourWithMinuteTooLong = "GS1_LINTER_HOUR_WITH_MINUTE_TOO_LONG",
        "too long for an HHMI time";
    IllegalMonth = "GS1_LINTER_ILLEGAL_MONTH",
        "not a valid month";
    IllegalDay = "GS1_LINTER_ILLEGAL_DAY",
        "not a valid day of the month";
    IllegalHour = "GS1_LINTER_ILLEGAL_HOUR",
        "not a valid hour";
    IllegalMinute = "GS1_LINTER_ILLEGAL_MINUTE",
        "not a valid minute";
    IllegalSecond = "GS1_LINTER_ILLEGAL_SECOND",
        "not a valid second";
    InvalidLengthForPieceOfTotal = "GS1_LINTER_INVALID_LENGTH_FOR_PIECE_OF_TOTAL",
        "piece number and total must be two non-empty halves of equal length";
    ZeroPieceNumber = "GS1_LINTER_ZERO_PIECE_NUMBER",
        "the piece number must not be zero";
    ZeroTotalPieces = "GS1_LINTER_ZERO_TOTAL_PIECES",
        "the total number of pieces must not be zero";
    PieceNumberExceedsTotal = "GS1_LINTER_PIECE_NUMBER_EXCEEDS_TOTAL",
        "the piece number exceeds the total number of pieces";
    InvalidPercentSequence = "GS1_LINTER_INVALID_PERCENT_SEQUENCE",
        "not a valid percent-encoding sequence";
    CouponMissingFormatCode = "GS1_LINTER_COUPON_MISSING_FORMAT_CODE",
        "the coupon format code is missing";
    CouponInvalidFormatCode = "GS1_LINTER_COUPON_INVALID_FORMAT_CODE",
        "the coupon format code must be 0 or 1";
    CouponMissingFunderVli = "GS1_LINTER_COUPON_MISSING_FUNDER_VLI",
        "the coupon funder length indicator is missing";
    CouponInvalidFunderLength = "GS1_LINTER_COUPON_INVALID_FUNDER_LENGTH",
        "the coupon funder length indicator must be 0 to 6";
    CouponTruncatedFunder = "GS1_LINTER_COUPON_TRUNCATED_FUNDER",
        "the coupon funder is shorter than its length indicator says";
    CouponTruncatedOfferCode = "GS1_LINTER_COUPON_TRUNCATED_OFFER_CODE",
        "the coupon offer code is shorter than six digits";
    CouponMissingSerialNumberVli = "GS1_LINTER_COUPON_MISSING_SERIAL_NUMBER_VLI",
        "the coupon serial number length indicator is missing";
    CouponTruncatedSerialNumber = "GS1_LINTER_COUPON_TRUNCATED_SERIAL_NUMBER",
        "the coupon serial number is shorter than its length indicator says";
    CouponMissingGcpVli = "GS1_LINTER_COUPON_MISSING_GCP_VLI",
        "the coupon company prefix length indicator is missing";
    CouponInvalidGcpLength = "GS1_LINTER_COUPON_INVALID_GCP_LENGTH",
        "the coupon company prefix length indicator must be 0 to 6";
    CouponTruncatedGcp = "GS1_LINTER_COUPON_TRUNCATED_GCP",
        "the coupon company prefix is shorter than its length indicator says";
    CouponMissingSaveValueVli = "GS1_LINTER_COUPON_MISSING_SAVE_VALUE_VLI",
        "the coupon save value length indicator is missing";
    CouponInvalidSaveValueLength = "GS1_LINTER_COUPON_INVALID_SAVE_VALUE_LENGTH",
        "the coupon save value length indicator must be 1 to 5";
    CouponTruncatedSaveValue = "GS1_LINTER_COUPON_TRUNCATED_SAVE_VALUE",
        "the coupon save value is shorter than its length indicator says";
    CouponMissing1stPurchaseRequirementVli =
        "GS1_LINTER_COUPON_MISSING_1ST_PURCHASE_REQUIREMENT_VLI",
        "the coupon first purchase requirement length indicator is missing";
    CouponInvalid1stPurchaseRequirementLength =
        "GS1_LINTER_COUPON_INVALID_1ST_PURCHASE_REQUIREMENT_LENGTH",
        "the coupon first purchase requirement length indicator must be 1 to 5";
    CouponTruncated1stPurchaseRequirement =
        "GS1_LINTER_COUPON_TRUNCATED_1ST_PURCHASE_REQUIREMENT",
        "the coupon first purchase requirement is shorter than its length indicator says";
    CouponMissing1stPurchaseRequirementCode =
        "GS1_LINTER_COUPON_MISSING_1ST_PURCHASE_REQUIREMENT_CODE",
        "the coupon first purchase requirement code is missing";
    CouponInvalid1stPurchaseRequirementCode =
        "GS1_LINTER_COUPON_INVALID_1ST_PURCHASE_REQUIREMENT_CODE",
        "the coupon first purchase requirement code must be 0 to 4 or 9";
    CouponTruncated1stPurchaseFamilyCode =
        "GS1_LINTER_COUPON_TRUNCATED_1ST_PURCHASE_FAMILY_CODE",
        "the coupon first purchase family code is shorter than three digits";
    CouponMissingAdditionalPurchaseRulesCode =
        "GS1_LINTER_COUPON_MISSING_ADDITIONAL_PURCHASE_RULES_CODE",
        "the coupon additional purchase rules code is missing";
    CouponInvalidAdditionalPurchaseRulesCode =
        "GS1_LINTER_COUPON_INVALID_ADDITIONAL_PURCHASE_RULES_CODE",
        "the coupon additional purchase rules code must be 0 to 3";
    CouponMissing2ndPurchaseRequirementVli =
        "GS1_LINTER_COUPON_MISSING_2ND_PURCHASE_REQUIREMENT_VLI",
        "the coupon second purchase requirement length indicator is missing";
    CouponInvalid2ndPurchaseRequirementLength =
        "GS1_LINTER_COUPON_INVALID_2ND_PURCHASE_REQUIREMENT_LENGTH",
        "the coupon second purchase requirement length indicator must be 1 to 5";
    CouponTruncated2ndPurchaseRequirement =
        "GS1_LINTER_COUPON_TRUNCATED_2ND_PURCHASE_REQUIREMENT",
        "the coupon second purchase requirement is shorter than its length indicator says";
    CouponMissing2ndPurchaseRequirementCode =
        "GS1_LINTER_COUPON_MISSING_2ND_PURCHASE_REQUIREMENT_CODE",
        "the coupon second purchase requirement code is missing";
    CouponInvalid2ndPurchaseRequirementCode =
        "GS1_LINTER_COUPON_INVALID_2ND_PURCHASE_REQUIREMENT_CODE",
        "the coupon second purchase requirement code must be 0 to 4 or 9";
    CouponTruncated2ndPurchaseFamilyCode =
        "GS1_LINTER_COUPON_TRUNCATED_2ND_PURCHASE_FAMILY_CODE",
        "the coupon second purchase family code is shorter than three digits";
    CouponMissing2ndPurchaseGcpVli = "GS1_LINTER_COUPON_MISSING_2ND_PURCHASE_GCP_VLI",
        "the coupon second purchase company prefix length indicator is missing";
    CouponInvalid2ndPurchaseGcpLength = "GS1_LINTER_COUPON_INVALID_2ND_PURCHASE_GCP_LENGTH",
        "the coupon second purchase company prefix length indicator must be 0 to 6 or 9";
    CouponTruncated2ndPurchaseGcp = "GS1_LINTER_COUPON_TRUNCATED_2ND_PURCHASE_GCP",
        "the coupon second purchase company prefix is shorter than its length indicator says";
    CouponMissing3rdPurchaseRequirementVli =
        "GS1_LINTER_COUPON_MISSING_3RD_PURCHASE_REQUIREMENT_VLI",
        "the coupon third purchase requirement length indicator is missing";
    CouponInvalid3rdPurchaseRequirementLength =
        "GS1_LINTER_COUPON_INVALID_3RD_PURCHASE_REQUIREMENT_LENGTH",
        "the coupon third purchase requirement length indicator must be 1 to 5";
    CouponTruncated3rdPurchaseRequirement =
        "GS1_LINTER_COUPON_TRUNCATED_3RD_PURCHASE_REQUIREMENT",
        "the coupon third purchase requirement is shorter than its length indicator says";
    CouponMissing3rdPurchaseRequirementCode =
        "GS1_LINTER_COUPON_MISSING_3RD_PURCHASE_REQUIREMENT_CODE",
        "the coupon third purchase requirement code is missing";
    CouponInvalid3rdPurchaseRequirementCode =
        "GS1_LINTER_COUPON_INVALID_3RD_PURCHASE_REQUIREMENT_CODE",
        "the coupon third purchase requirement code must be 0 to 4 or 9";
    CouponTruncated3rdPurchaseFamilyCode =
        "GS1_LINTER_COUPON_TRUNCATED_3RD_PURCHASE_FAMILY_CODE",
        "the coupon third purchase family code is shorter than three digits";
    CouponMissing3rdPurchaseGcpVli = "GS1_LINTER_COUPON_MISSING_3RD_PURCHASE_GCP_VLI",
        "the coupon third purchase company prefix length indicator is missing";
    CouponInvalid3rdPurchaseGcpLength = "GS1_LINTER_COUPON_INVALID_3RD_PURCHASE_GCP_LENGTH",
        "the coupon third purchase company prefix length indicator must be 0 to 6 or 9";
    CouponTruncated3rdPurchaseGcp = "GS1_LINTER_COUPON_TRUNCATED_3RD_PURCHASE_GCP",
        "the coupon third purchase company prefix is shorter than its length indicator says";
    CouponTooShortForExpirationDate = "GS1_LINTER_COUPON_TOO_SHORT_FOR_EXPIRATION_DATE",
        "the coupon expiration date is shorter than YYMMDD";
    // The engine's code keeps its historical misspelling; the variant name does not.
    CouponInvalidExpirationDate = "GS1_LINTER_COUPON_INVALID_EXIPIRATION_DATE",
        "the coupon expiration date is not a valid date";
    CouponTooShortForStartDate = "GS1_LINTER_COUPON_TOO_SHORT_FOR_START_DATE",
        "the coupon start date is shorter than YYMMDD";
    CouponInvalidStartDate = "GS1_LINTER_COUPON_INVALID_START_DATE",
        "the coupon start date is not a valid date";
    CouponExpirationBeforeStart = "GS1_LINTER_COUPON_EXPIRATION_BEFORE_START",
        "the coupon expires before its start date";
    CouponMissingRetailerGcpOrGlnVli = "GS1_LINTER_COUPON_MISSING_RETAILER_GCP_OR_GLN_VLI",
        "the coupon retailer company prefix or GLN length indicator is missing";
    CouponInvalidRetailerGcpOrGlnLength =
        "GS1_LINTER_COUPON_INVALID_RETAILER_GCP_OR_GLN_LENGTH",
        "the coupon retailer company prefix or GLN length indicator must be 1 to 7";
    CouponTruncatedRetailerGcpOrGln = "GS1_LINTER_COUPON_TRUNCATED_RETAILER_GCP_OR_GLN",
        "the coupon retailer company prefix or GLN is shorter than its length indicator says";
    CouponMissingSaveValueCode = "GS1_LINTER_COUPON_MISSING_SAVE_VALUE_CODE",
        "the coupon save value code is missing";
    CouponInvalidSaveValueCode = "GS1_LINTER_COUPON_INVALID_SAVE_VALUE_CODE",
        "the coupon save value code must be 0, 1, 2, 5 or 6";
    CouponMissingSaveValueAppliesToItem = "GS1_LINTER_COUPON_MISSING_SAVE_VALUE_APPLIES_TO_ITEM",
        "the coupon save value applies-to-item indicator is missing";
    CouponInvalidSaveValueAppliesToItem = "GS1_LINTER_COUPON_INVALID_SAVE_VALUE_APPLIES_TO_ITEM",
        "the coupon save value applies-to-item indicator must be 0 to 2";
    CouponMissingStoreCouponFlag = "GS1_LINTER_COUPON_MISSING_STORE_COUPON_FLAG",
        "the coupon store coupon flag is missing";
    CouponMissingDontMultiplyFlag = "GS1_LINTER_COUPON_MISSING_DONT_MULTIPLY_FLAG",
        "the coupon don't-multiply flag is missing";
    CouponInvalidDontMultiplyFlag = "GS1_LINTER_COUPON_INVALID_DONT_MULTIPLY_FLAG",
        "the coupon don't-multiply flag must be 0 or 1";
    CouponExcessData = "GS1_LINTER_COUPON_EXCESS_DATA",
        "unexpected data after the last recognised coupon field";
    InvalidLatitude = "GS1_LINTER_INVALID_LATITUDE",
        "the latitude is outside 0000000000 to 1800000000";
    InvalidLongitude = "GS1_LINTER_INVALID_LONGITUDE",
        "the longitude is outside 0000000000 to 3600000000";
    InvalidMediaType = "GS1_LINTER_INVALID_MEDIA_TYPE",
        "not a valid AIDC media type";
    LatitudeInvalidLength = "GS1_LINTER_LATITUDE_INVALID_LENGTH",
        "the latitude must be 10 digits";
    LongitudeInvalidLength = "GS1_LINTER_LONGITUDE_INVALID_LENGTH",
        "the longitude must be 10 digits";
    InvalidCset64Character = "GS1_LINTER_INVALID_CSET64_CHARACTER",
        "a character outside GS1 character set 64";
    InvalidCset64Padding = "GS1_LINTER_INVALID_CSET64_PADDING",
        "wrong number of character set 64 padding characters";
    NotHyphen = "GS1_LINTER_NOT_HYPHEN",
        "only hyphens are allowed";
    InvalidBiologicalSexCode = "GS1_LINTER_INVALID_BIOLOGICAL_SEX_CODE",
        "not a valid ISO/IEC 5218 biological sex code";
    PositionInSequenceMalformed = "GS1_LINTER_POSITION_IN_SEQUENCE_MALFORMED",
        "not of the form pos/end";
    PositionExceedsEnd = "GS1_LINTER_POSITION_EXCEEDS_END",
        "the position exceeds the end of the sequence";
    RequiresNonDigitCharacter = "GS1_LINTER_REQUIRES_NON_DIGIT_CHARACTER",
        "at least one non-digit character is required";
    HourTooShort = "GS1_LINTER_HOUR_TOO_SHORT",
        "too short for an HH hour";
    HourTooLong = "GS1_LINTER_HOUR_TOO_LONG",
        "too long for an HH hour";
    MinuteTooShort = "GS1_LINTER_MINUTE_TOO_SHORT",
        "too short for an MI minute";
    MinuteTooLong = "GS1_LINTER_MINUTE_TOO_LONG",
        "too long for an MI minute";
    SecondTooShort = "GS1_LINTER_SECOND_TOO_SHORT",
        "too short for an SS second";
    SecondTooLong = "GS1_LINTER_SECOND_TOO_LONG",
        "too long for an SS second";
    InvalidPackageType = "GS1_LINTER_INVALID_PACKAGE_TYPE",
        "not a valid package type code";
    TooShortForGcp = "GS1_LINTER_TOO_SHORT_FOR_GCP",
        "too short to start with a GS1 Company Prefix";
    IbanTooLong = "GS1_LINTER_IBAN_TOO_LONG",
        "the IBAN is too long";
}

impl fmt::Display for LintErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        for &kind in LintErrorKind::ALL {
            assert_eq!(LintErrorKind::from_code(kind.code()), Some(kind));
            assert!(kind.code().starts_with("GS1_LINTER_"));
            let msg = kind.message();
            assert!(!msg.ends_with('.'), "{msg}");
            assert!(msg.starts_with(|c: char| c.is_lowercase()), "{msg}");
        }
        assert_eq!(LintErrorKind::from_code("GS1_LINTER_OK"), None);
    }

    #[test]
    fn display_and_span() {
        let e = LintError::new(LintErrorKind::NotIso3166, 0, 3);
        assert_eq!(e.span(), 0..3);
        assert_eq!(e.kind.to_string(), "not a valid ISO 3166 country code");
        assert_eq!(
            e.to_string(),
            "not a valid ISO 3166 country code (bytes 0..3)"
        );
    }
}
