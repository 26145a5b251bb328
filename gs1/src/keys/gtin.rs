//! Global Trade Item Number (GTIN): GTIN-8, -12, -13 or -14, held in its 14-digit form.

use std::{fmt, str::FromStr};

use super::{AllocationError, KeyClass, KeyError, error::check_numeric_key};

/// A Global Trade Item Number, always held as 14 digits with a valid check digit.
///
/// GTIN-8, GTIN-12 and GTIN-13 are padded on the left with zeros, as GS1 does in AI (01) and in
/// GS1 Digital Link, so `"4006381333931"` and `"04006381333931"` are the same `Gtin`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Gtin([u8; 14]);

/// The length family a GTIN belongs to, read from its leading zeros.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum GtinFormat {
    /// GTIN-8 (EAN-8): six leading zeros in the 14-digit form.
    Gtin8,
    /// GTIN-12 (U.P.C.): two leading zeros.
    Gtin12,
    /// GTIN-13 (EAN-13): one leading zero.
    Gtin13,
    /// GTIN-14: an indicator digit 1 to 9 in front.
    Gtin14,
}

impl GtinFormat {
    /// How many digits the GTIN has in this family: 8, 12, 13 or 14.
    pub fn digits(self) -> usize {
        match self {
            Self::Gtin8 => 8,
            Self::Gtin12 => 12,
            Self::Gtin13 => 13,
            Self::Gtin14 => 14,
        }
    }
}

impl Gtin {
    /// Parses a GTIN-8, -12, -13 or -14, checking its check digit.
    ///
    /// ```
    /// use gs1::keys::{Gtin, GtinFormat, KeyError};
    /// let gtin: Gtin = "8934567890120".parse().unwrap();
    /// assert_eq!(gtin.as_str(), "08934567890120");
    /// assert_eq!(gtin.format(), GtinFormat::Gtin13);
    /// assert_eq!(Gtin::parse("96385074").unwrap().as_str(), "00000096385074");
    /// assert_eq!(
    ///     Gtin::parse("8934567890128"),
    ///     Err(KeyError::CheckDigit { key: "GTIN", found: '8', expected: '0' })
    /// );
    /// ```
    pub fn parse(s: &str) -> Result<Self, KeyError> {
        let got = s.chars().count();
        if ![8, 12, 13, 14].contains(&got) {
            return Err(KeyError::Length {
                key: "GTIN",
                expected: "8, 12, 13 or 14",
                got,
            });
        }
        check_numeric_key("GTIN", s, got, "8, 12, 13 or 14")?;
        let mut digits = [b'0'; 14];
        digits[14 - s.len()..].copy_from_slice(s.as_bytes());
        Ok(Self(digits))
    }

    /// Builds a GTIN from its first 13 digits, computing the check digit.
    pub(crate) fn from_body(body: &[u8; 13]) -> Self {
        let mut digits = [b'0'; 14];
        digits[..13].copy_from_slice(body);
        digits[13] = crate::check_digit::compute(body).unwrap_or(b'0');
        Self(digits)
    }

    /// The 14 digits.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The length family, derived from the leading zeros.
    pub fn format(&self) -> GtinFormat {
        match self.0 {
            [b'0', b'0', b'0', b'0', b'0', b'0', ..] => GtinFormat::Gtin8,
            [b'0', b'0', ..] => GtinFormat::Gtin12,
            [b'0', ..] => GtinFormat::Gtin13,
            _ => GtinFormat::Gtin14,
        }
    }

    /// The GTIN at its own length: 8, 12, 13 or 14 digits, as printed under a barcode.
    ///
    /// ```
    /// let gtin = gs1::keys::Gtin::parse("00614141000036").unwrap();
    /// assert_eq!(gtin.as_short(), "614141000036");
    /// ```
    pub fn as_short(&self) -> &str {
        &self.as_str()[14 - self.format().digits()..]
    }

    /// The 13-digit form, for a GTIN-8, -12 or -13 (indicator 0); `None` for a GTIN-14.
    ///
    /// A GTIN-8 comes back padded as `00000` and its 8 digits, as GS1 writes it in a 13-digit
    /// field; that form is never printed as an EAN-13 barcode.
    pub fn as_gtin13(&self) -> Option<&str> {
        (self.0[0] == b'0').then(|| &self.as_str()[1..])
    }

    /// The indicator digit: the first of the 14, 0 for GTIN-8, -12 and -13.
    pub fn indicator(&self) -> u8 {
        self.0[0] - b'0'
    }

    /// The same item reference at another packaging level: this GTIN with indicator digit
    /// `indicator` (1 to 8) in front, and a new check digit.
    ///
    /// ```
    /// let each = gs1::keys::Gtin::parse("8934567890120").unwrap();
    /// assert_eq!(each.with_indicator(1).unwrap().as_str(), "18934567890127");
    /// ```
    pub fn with_indicator(&self, indicator: u8) -> Result<Self, AllocationError> {
        if !(1..=8).contains(&indicator) {
            return Err(AllocationError::Indicator(indicator));
        }
        let mut body = [0u8; 13];
        body.copy_from_slice(&self.0[..13]);
        body[0] = b'0' + indicator;
        Ok(Self::from_body(&body))
    }

    /// What the GS1 prefix table says about this GTIN.
    ///
    /// A GTIN whose 13-digit form starts with `00000` is a GTIN-8 (or a GTIN-14 built on one)
    /// and is read with the GS1-8 prefix rules, where prefixes 0 and 2 are restricted
    /// circulation within a company.
    pub fn class(&self) -> KeyClass {
        let frame = &self.as_str()[1..];
        match frame.strip_prefix("00000") {
            Some(gtin8) => crate::prefix::gtin8_class(gtin8),
            None => crate::prefix::class(frame),
        }
    }
}

impl FromStr for Gtin {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Gtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AsRef<str> for Gtin {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::RcnScope;

    fn check(input: &str, expected: Result<(&str, GtinFormat), KeyError>) {
        let got = Gtin::parse(input);
        let got = got
            .as_ref()
            .map(|g| (g.as_str(), g.format()))
            .map_err(Clone::clone);
        assert_eq!(got, expected, "{input:?}");
    }

    #[test]
    fn parses_every_length() {
        use GtinFormat::*;
        check("96385074", Ok(("00000096385074", Gtin8)));
        check("614141000036", Ok(("00614141000036", Gtin12)));
        check("8934567890120", Ok(("08934567890120", Gtin13)));
        check("09506000134352", Ok(("09506000134352", Gtin13)));
        check("18934567890127", Ok(("18934567890127", Gtin14)));
        check("00614141000036", Ok(("00614141000036", Gtin12)));
        check("00000096385074", Ok(("00000096385074", Gtin8)));
        check("00000000000000", Ok(("00000000000000", Gtin8)));
    }

    #[test]
    fn refuses_bad_input() {
        let len = |got| KeyError::Length {
            key: "GTIN",
            expected: "8, 12, 13 or 14",
            got,
        };
        check("", Err(len(0)));
        check("1234567", Err(len(7)));
        check("123456789", Err(len(9)));
        check("123456789012345", Err(len(15)));
        let non_digit = |found, position| KeyError::NonDigit {
            key: "GTIN",
            found,
            position,
        };
        check("893456789012a", Err(non_digit('a', 13)));
        check("893456789012ü", Err(non_digit('ü', 13))); // 14 bytes, 13 characters
        check("8934567890123ü", Err(non_digit('ü', 14)));
        check(" 893456789012", Err(non_digit(' ', 1)));
        check("-8934567890120", Err(non_digit('-', 1)));
        let check_digit = |found, expected| KeyError::CheckDigit {
            key: "GTIN",
            found,
            expected,
        };
        check("8934567890127", Err(check_digit('7', '0')));
        check("96385075", Err(check_digit('5', '4')));
        check("18934567890124", Err(check_digit('4', '7')));
    }

    #[test]
    fn error_messages_name_the_input() {
        let err = Gtin::parse("8934567890127").unwrap_err();
        assert_eq!(err.to_string(), "GTIN check digit is 7, expected 0");
        let err = Gtin::parse("12345").unwrap_err();
        assert_eq!(
            err.to_string(),
            "GTIN must have 8, 12, 13 or 14 digits, got 5"
        );
    }

    #[test]
    fn short_forms_and_indicator() {
        let g = |s| Gtin::parse(s).unwrap();
        assert_eq!(g("96385074").as_short(), "96385074");
        assert_eq!(g("96385074").as_gtin13(), Some("0000096385074"));
        assert_eq!(g("614141000036").as_short(), "614141000036");
        assert_eq!(g("614141000036").as_gtin13(), Some("0614141000036"));
        assert_eq!(g("8934567890120").as_short(), "8934567890120");
        assert_eq!(g("18934567890127").as_short(), "18934567890127");
        assert_eq!(g("18934567890127").as_gtin13(), None);
        assert_eq!(g("18934567890127").indicator(), 1);
        assert_eq!(g("8934567890120").indicator(), 0);
        assert_eq!(
            g("8934567890120").with_indicator(8).unwrap().as_str(),
            "88934567890126"
        );
        assert_eq!(
            g("96385074").with_indicator(1).unwrap().as_str(),
            "10000096385071"
        );
        assert_eq!(
            g("8934567890120").with_indicator(0),
            Err(AllocationError::Indicator(0))
        );
        assert_eq!(
            g("8934567890120").with_indicator(9),
            Err(AllocationError::Indicator(9))
        );
        let back = g("18934567890127").with_indicator(2).unwrap();
        assert_eq!(back.as_str(), "28934567890124");
        assert_eq!(g("8934567890120").to_string(), "08934567890120");
        assert_eq!(g("8934567890120").as_ref(), "08934567890120");
    }

    fn check_class(input: &str, expected: KeyClass) {
        assert_eq!(Gtin::parse(input).unwrap().class(), expected, "{input}");
    }

    fn mo_name(input: &str) -> &'static str {
        match Gtin::parse(input).unwrap().class() {
            KeyClass::Ordinary(mo) => mo.name(),
            other => panic!("{input} is {other:?}"),
        }
    }

    #[test]
    fn classifies_by_prefix() {
        use KeyClass::*;
        let company = RestrictedCirculation(RcnScope::Company);
        let region = RestrictedCirculation(RcnScope::Region);
        assert_eq!(mo_name("8934567890120"), "GS1 Vietnam");
        assert_eq!(mo_name("18934567890127"), "GS1 Vietnam");
        assert_eq!(mo_name("614141000036"), "GS1 US");
        assert_eq!(mo_name("4006381333931"), "GS1 Germany");
        assert_eq!(mo_name("96012345"), "GS1 UK"); // a GS1-8 prefix
        assert_eq!(mo_name("96251232"), "GS1 Poland");
        check_class("96385074", GlobalOffice);
        assert_eq!(mo_name("89312346"), "GS1 Vietnam");
        check_class("2012345678903", region); // variable measure, GTIN-13
        check_class("212345678909", region); // U.P.C. number system 2 = GTIN-13 02
        check_class("412345678903", company); // U.P.C. number system 4 = GTIN-13 04
        check_class("01234565", company); // RCN-8
        check_class("21234569", company);
        check_class("10000001234562", company); // GTIN-14 on an RCN-8
        check_class("9771234567003", Issn);
        check_class("9780306406157", Isbn);
        check_class("9791234567896", Isbn);
        check_class("9790123456785", Ismn);
        check_class("9801234567892", RefundReceipt);
        check_class("9811234567891", Coupon);
        check_class("9912345678909", Coupon);
        check_class("9506000134352", GlobalOffice);
        check_class("9521234567899", Demo);
        check_class("512345678900", Reserved); // U.P.C. number system 5: GS1 US reserved
        check_class("1501234567899", Unassigned);
        check_class("9751234567890", Unassigned);
        check_class("97812340", Reserved); // GS1-8 prefixes 977-999 are reserved
    }
}
