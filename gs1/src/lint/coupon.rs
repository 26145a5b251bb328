//! North American coupon linters: `couponcode` for AI (8110) and `couponposoffer` for AI (8112).

use super::cset::csetnumeric;
use super::date::yymmdd;
use super::gcp::{GcpLookup, consult};
use super::{LintError, LintErrorKind as K, LintResult};

/// Walks a coupon value field by field, producing errors with the engine's spans: a missing
/// field flags the whole value, a bad indicator flags its one digit, and a short field flags
/// what is left (or the whole value when nothing is left).
struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(data: &'a [u8]) -> Self {
        Self { data, pos: 0 }
    }

    fn at_end(&self) -> bool {
        self.pos == self.data.len()
    }

    fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    /// Consumes the optional-field marker `marker` if it comes next.
    fn marker(&mut self, marker: u8) -> bool {
        let found = self.data.get(self.pos) == Some(&marker);
        self.pos += usize::from(found);
        found
    }

    /// Consumes one digit, reporting `missing` if the data has run out.
    fn digit(&mut self, missing: K) -> Result<u8, LintError> {
        match self.data.get(self.pos) {
            Some(&c) => {
                self.pos += 1;
                Ok(c - b'0')
            }
            None => Err(LintError::new(missing, 0, self.data.len())),
        }
    }

    /// Consumes one digit that must satisfy `valid`.
    fn digit_where(
        &mut self,
        missing: K,
        invalid: K,
        valid: impl Fn(u8) -> bool,
    ) -> Result<u8, LintError> {
        let d = self.digit(missing)?;
        if valid(d) {
            Ok(d)
        } else {
            Err(LintError::new(invalid, self.pos - 1, 1))
        }
    }

    /// Consumes a field of `len` digits, returning where it starts.
    fn field(&mut self, len: usize, truncated: K) -> Result<usize, LintError> {
        if self.remaining() < len {
            return Err(if self.at_end() {
                LintError::new(truncated, 0, self.data.len())
            } else {
                LintError::new(truncated, self.pos, self.remaining())
            });
        }
        let start = self.pos;
        self.pos += len;
        Ok(start)
    }

    /// Consumes a GS1 Company Prefix of `len` digits and asks `lookup` about it.
    fn gcp(
        &mut self,
        len: usize,
        truncated: K,
        lookup: Option<&dyn GcpLookup>,
    ) -> Result<(), LintError> {
        let start = self.field(len, truncated)?;
        consult(&self.data[start..self.pos], lookup).map_err(|e| e.shifted(start))
    }

    /// Consumes a six-digit YYMMDD date, returning its digits.
    fn date(&mut self, too_short: K, invalid: K) -> Result<&'a [u8], LintError> {
        let start = self.field(6, too_short)?;
        let date = &self.data[start..self.pos];
        yymmdd(date).map_err(|_| LintError::new(invalid, start, 6))?;
        Ok(date)
    }

    /// Fails if anything is left over.
    fn finish(&self) -> LintResult {
        if self.at_end() {
            Ok(())
        } else {
            Err(LintError::new(
                K::CouponExcessData,
                self.pos,
                self.remaining(),
            ))
        }
    }
}

/// Length of a company prefix, funder ID or serial number whose length indicator is `vli`.
const fn plus_six(vli: u8) -> usize {
    vli as usize + 6
}

/// Error kinds of one purchase requirement block (requirement, code, family code).
struct PurchaseKinds {
    missing_vli: K,
    invalid_vli: K,
    truncated: K,
    missing_code: K,
    invalid_code: K,
    truncated_family: K,
}

/// Error kinds of an optional purchase company prefix.
struct GcpKinds {
    missing_vli: K,
    invalid_vli: K,
    truncated: K,
}

const FIRST_PURCHASE: PurchaseKinds = PurchaseKinds {
    missing_vli: K::CouponMissing1stPurchaseRequirementVli,
    invalid_vli: K::CouponInvalid1stPurchaseRequirementLength,
    truncated: K::CouponTruncated1stPurchaseRequirement,
    missing_code: K::CouponMissing1stPurchaseRequirementCode,
    invalid_code: K::CouponInvalid1stPurchaseRequirementCode,
    truncated_family: K::CouponTruncated1stPurchaseFamilyCode,
};

const SECOND_PURCHASE: PurchaseKinds = PurchaseKinds {
    missing_vli: K::CouponMissing2ndPurchaseRequirementVli,
    invalid_vli: K::CouponInvalid2ndPurchaseRequirementLength,
    truncated: K::CouponTruncated2ndPurchaseRequirement,
    missing_code: K::CouponMissing2ndPurchaseRequirementCode,
    invalid_code: K::CouponInvalid2ndPurchaseRequirementCode,
    truncated_family: K::CouponTruncated2ndPurchaseFamilyCode,
};

const THIRD_PURCHASE: PurchaseKinds = PurchaseKinds {
    missing_vli: K::CouponMissing3rdPurchaseRequirementVli,
    invalid_vli: K::CouponInvalid3rdPurchaseRequirementLength,
    truncated: K::CouponTruncated3rdPurchaseRequirement,
    missing_code: K::CouponMissing3rdPurchaseRequirementCode,
    invalid_code: K::CouponInvalid3rdPurchaseRequirementCode,
    truncated_family: K::CouponTruncated3rdPurchaseFamilyCode,
};

const SECOND_GCP: GcpKinds = GcpKinds {
    missing_vli: K::CouponMissing2ndPurchaseGcpVli,
    invalid_vli: K::CouponInvalid2ndPurchaseGcpLength,
    truncated: K::CouponTruncated2ndPurchaseGcp,
};

const THIRD_GCP: GcpKinds = GcpKinds {
    missing_vli: K::CouponMissing3rdPurchaseGcpVli,
    invalid_vli: K::CouponInvalid3rdPurchaseGcpLength,
    truncated: K::CouponTruncated3rdPurchaseGcp,
};

/// Length indicator of a value or requirement field: 1 to 5 digits follow.
fn is_short_vli(d: u8) -> bool {
    (1..=5).contains(&d)
}

/// Length indicator of a company prefix: 0 to 6 for 6 to 12 digits.
fn is_gcp_vli(d: u8) -> bool {
    d <= 6
}

impl Reader<'_> {
    /// Requirement (VLI + value), requirement code (0-4 or 9) and three-digit family code.
    fn purchase(&mut self, kinds: &PurchaseKinds) -> LintResult {
        let vli = self.digit_where(kinds.missing_vli, kinds.invalid_vli, is_short_vli)?;
        self.field(usize::from(vli), kinds.truncated)?;
        self.digit_where(kinds.missing_code, kinds.invalid_code, |d| d <= 4 || d == 9)?;
        self.field(3, kinds.truncated_family)?;
        Ok(())
    }

    /// An additional purchase's company prefix; indicator 9 means "same as the primary one".
    fn purchase_gcp(&mut self, kinds: &GcpKinds, lookup: Option<&dyn GcpLookup>) -> LintResult {
        let vli = self.digit_where(kinds.missing_vli, kinds.invalid_vli, |d| {
            is_gcp_vli(d) || d == 9
        })?;
        if vli == 9 {
            return Ok(());
        }
        self.gcp(plus_six(vli), kinds.truncated, lookup)
    }
}

/// `couponcode`: the North American Coupon Code carried in AI (8110).
pub(crate) fn couponcode(value: &[u8], lookup: Option<&dyn GcpLookup>) -> LintResult {
    csetnumeric(value)?;
    let mut r = Reader::new(value);

    let vli = r.digit_where(
        K::CouponMissingGcpVli,
        K::CouponInvalidGcpLength,
        is_gcp_vli,
    )?;
    r.gcp(plus_six(vli), K::CouponTruncatedGcp, lookup)?;
    r.field(6, K::CouponTruncatedOfferCode)?;
    let vli = r.digit_where(
        K::CouponMissingSaveValueVli,
        K::CouponInvalidSaveValueLength,
        is_short_vli,
    )?;
    r.field(usize::from(vli), K::CouponTruncatedSaveValue)?;
    r.purchase(&FIRST_PURCHASE)?;

    // Optional fields follow, each introduced by its marker digit, in ascending marker order.
    if r.marker(b'1') {
        r.digit_where(
            K::CouponMissingAdditionalPurchaseRulesCode,
            K::CouponInvalidAdditionalPurchaseRulesCode,
            |d| d <= 3,
        )?;
        r.purchase(&SECOND_PURCHASE)?;
        r.purchase_gcp(&SECOND_GCP, lookup)?;
    }
    if r.marker(b'2') {
        r.purchase(&THIRD_PURCHASE)?;
        r.purchase_gcp(&THIRD_GCP, lookup)?;
    }
    let mut expiry = None;
    if r.marker(b'3') {
        expiry = Some(r.date(
            K::CouponTooShortForExpirationDate,
            K::CouponInvalidExpirationDate,
        )?);
    }
    if r.marker(b'4') {
        let start = r.date(K::CouponTooShortForStartDate, K::CouponInvalidStartDate)?;
        // YYMMDD strings compare like the dates; the span runs from the expiry marker to the
        // end of the start date.
        if expiry.is_some_and(|expiry| start > expiry) {
            return Err(LintError::new(
                K::CouponExpirationBeforeStart,
                r.pos - 14,
                14,
            ));
        }
    }
    if r.marker(b'5') {
        let vli = r.digit(K::CouponMissingSerialNumberVli)?;
        r.field(plus_six(vli), K::CouponTruncatedSerialNumber)?;
    }
    if r.marker(b'6') {
        let vli = r.digit_where(
            K::CouponMissingRetailerGcpOrGlnVli,
            K::CouponInvalidRetailerGcpOrGlnLength,
            |d| (1..=7).contains(&d),
        )?;
        r.gcp(plus_six(vli), K::CouponTruncatedRetailerGcpOrGln, lookup)?;
    }
    if r.marker(b'9') {
        r.digit_where(
            K::CouponMissingSaveValueCode,
            K::CouponInvalidSaveValueCode,
            |d| matches!(d, 0 | 1 | 2 | 5 | 6),
        )?;
        r.digit_where(
            K::CouponMissingSaveValueAppliesToItem,
            K::CouponInvalidSaveValueAppliesToItem,
            |d| d <= 2,
        )?;
        r.digit(K::CouponMissingStoreCouponFlag)?;
        r.digit_where(
            K::CouponMissingDontMultiplyFlag,
            K::CouponInvalidDontMultiplyFlag,
            |d| d <= 1,
        )?;
    }
    r.finish()
}

/// `couponposoffer`: the positive offer file coupon code carried in AI (8112).
pub(crate) fn couponposoffer(value: &[u8]) -> LintResult {
    csetnumeric(value)?;
    let mut r = Reader::new(value);
    r.digit_where(
        K::CouponMissingFormatCode,
        K::CouponInvalidFormatCode,
        |d| d <= 1,
    )?;
    let vli = r.digit_where(
        K::CouponMissingFunderVli,
        K::CouponInvalidFunderLength,
        is_gcp_vli,
    )?;
    r.field(plus_six(vli), K::CouponTruncatedFunder)?;
    r.field(6, K::CouponTruncatedOfferCode)?;
    let vli = r.digit(K::CouponMissingSerialNumberVli)?;
    r.field(plus_six(vli), K::CouponTruncatedSerialNumber)?;
    r.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_coupons() {
        for c in [
            "10614141011111275110111",
            "106141410222223100110222111101231023456721104561045678991201",
            "106141411234562891101201212085010048000214025610048000310123191000",
        ] {
            assert_eq!(couponcode(c.as_bytes(), None), Ok(()), "{c}");
        }
        assert_eq!(couponposoffer(b"106141416543213123456789"), Ok(()));
    }

    #[test]
    fn expiry_before_start() {
        let c = b"01234561234561111012331012314110101";
        assert_eq!(
            couponcode(c, None),
            Err(LintError::new(K::CouponExpirationBeforeStart, 21, 14))
        );
        assert_eq!(
            couponcode(b"01234561234561111012331101014101231", None),
            Ok(())
        );
    }
}
