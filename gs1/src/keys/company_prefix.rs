//! GS1 Company Prefix: the 4 to 12 leading digits a member organisation licenses to a company,
//! and the GTINs, SSCCs and GLNs the company numbers under it.

use std::{fmt, str::FromStr};

use super::{AllocationError, Gln, Gtin, KeyClass, KeyError, Sscc};

const KEY: &str = "GS1 Company Prefix";

/// A GS1 Company Prefix: 4 to 12 digits.
///
/// A U.P.C. Company Prefix is written as a GS1 Company Prefix with a leading 0 (`0614141`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CompanyPrefix {
    // Unused tail bytes stay 0, so the derived ordering is the ordering of the digit strings.
    digits: [u8; 12],
    len: u8,
}

impl CompanyPrefix {
    /// Parses a GS1 Company Prefix of 4 to 12 digits.
    ///
    /// ```
    /// use gs1::keys::{CompanyPrefix, KeyError};
    /// let prefix: CompanyPrefix = "8934567".parse().unwrap();
    /// assert_eq!((prefix.len(), prefix.gs1_prefix()), (7, "893"));
    /// assert_eq!(
    ///     CompanyPrefix::parse("893"),
    ///     Err(KeyError::Length { key: "GS1 Company Prefix", expected: "4 to 12", got: 3 })
    /// );
    /// ```
    pub fn parse(s: &str) -> Result<Self, KeyError> {
        let got = s.chars().count();
        if !(4..=12).contains(&got) {
            return Err(KeyError::Length {
                key: KEY,
                expected: "4 to 12",
                got,
            });
        }
        if let Some((i, c)) = s.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(KeyError::NonDigit {
                key: KEY,
                found: c,
                position: i + 1,
            });
        }
        let mut digits = [0u8; 12];
        digits[..s.len()].copy_from_slice(s.as_bytes());
        Ok(Self {
            digits,
            len: s.len() as u8,
        })
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored in the first `len` bytes.
        std::str::from_utf8(&self.digits[..usize::from(self.len)]).unwrap_or_default()
    }

    /// How many digits the prefix has, 4 to 12.
    // A prefix is never empty, so an `is_empty` would only ever say false.
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// The first three digits, the GS1 prefix in its most common length.
    pub fn gs1_prefix(&self) -> &str {
        &self.as_str()[..3]
    }

    /// What the GS1 prefix table says about numbers under this prefix.
    pub fn class(&self) -> KeyClass {
        crate::prefix::class(self.as_str())
    }

    /// How many GTIN-13 item references the prefix holds: 10^(12 - length).
    pub fn gtin13_capacity(&self) -> u64 {
        10u64.pow(12 - u32::from(self.len))
    }

    /// The GTIN-13 with item reference `item_reference` (0 to capacity - 1).
    ///
    /// ```
    /// let prefix: gs1::keys::CompanyPrefix = "8934567".parse().unwrap();
    /// assert_eq!(prefix.gtin13(89012).unwrap().as_short(), "8934567890120");
    /// assert!(prefix.gtin13(100_000).is_err());
    /// ```
    pub fn gtin13(&self, item_reference: u64) -> Result<Gtin, AllocationError> {
        let body: [u8; 12] = self.fill("item reference", item_reference)?;
        let mut frame = [b'0'; 13];
        frame[1..].copy_from_slice(&body);
        Ok(Gtin::from_body(&frame))
    }

    /// The GTIN-14 with indicator digit `indicator` (1 to 8) and item reference
    /// `item_reference`: the trade item `gtin13(item_reference)` at another packaging level.
    pub fn gtin14(&self, indicator: u8, item_reference: u64) -> Result<Gtin, AllocationError> {
        if !(1..=8).contains(&indicator) {
            return Err(AllocationError::Indicator(indicator));
        }
        self.gtin13(item_reference)?.with_indicator(indicator)
    }

    /// How many SSCC serial references the prefix holds: 10^(16 - length) per extension digit.
    pub fn sscc_capacity(&self) -> u64 {
        10u64.pow(16 - u32::from(self.len))
    }

    /// The SSCC with extension digit `extension` (0 to 9) and serial reference
    /// `serial_reference` (0 to capacity - 1).
    ///
    /// ```
    /// let prefix: gs1::keys::CompanyPrefix = "8934567".parse().unwrap();
    /// assert_eq!(prefix.sscc(3, 1).unwrap().as_str(), "389345670000000018");
    /// ```
    pub fn sscc(&self, extension: u8, serial_reference: u64) -> Result<Sscc, AllocationError> {
        if extension > 9 {
            return Err(AllocationError::Extension(extension));
        }
        let body: [u8; 16] = self.fill("serial reference", serial_reference)?;
        let mut full = [b'0' + extension; 17];
        full[1..].copy_from_slice(&body);
        Ok(Sscc::from_body(&full))
    }

    /// How many GLN location references the prefix holds: 10^(12 - length).
    pub fn gln_capacity(&self) -> u64 {
        10u64.pow(12 - u32::from(self.len))
    }

    /// The GLN with location reference `location_reference` (0 to capacity - 1).
    pub fn gln(&self, location_reference: u64) -> Result<Gln, AllocationError> {
        let body: [u8; 12] = self.fill("location reference", location_reference)?;
        Ok(Gln::from_body(&body))
    }

    /// The item reference of `gtin` if it was numbered under this prefix, whatever its
    /// indicator digit. A GTIN-8 reads as `00000` and its digits here, which no issued
    /// company prefix starts with, so GTIN-8s (issued one by one) come back `None`.
    ///
    /// ```
    /// let prefix: gs1::keys::CompanyPrefix = "8934567".parse().unwrap();
    /// let gtin: gs1::keys::Gtin = "18934567890127".parse().unwrap();
    /// assert_eq!(prefix.item_reference(&gtin), Some(89012));
    /// ```
    pub fn item_reference(&self, gtin: &Gtin) -> Option<u64> {
        self.reference_in(&gtin.as_str()[1..13])
    }

    /// The serial reference of `sscc` if it was numbered under this prefix.
    pub fn serial_reference(&self, sscc: &Sscc) -> Option<u64> {
        self.reference_in(&sscc.as_str()[1..17])
    }

    /// The location reference of `gln` if it was numbered under this prefix.
    pub fn location_reference(&self, gln: &Gln) -> Option<u64> {
        self.reference_in(&gln.as_str()[..12])
    }

    /// The prefix followed by `reference`, zero-padded to fill `N` digits.
    fn fill<const N: usize>(
        &self,
        what: &'static str,
        reference: u64,
    ) -> Result<[u8; N], AllocationError> {
        let width = N - self.len();
        // width is at most 12, so the power fits in a u64.
        let capacity = 10u64.pow(width as u32);
        if reference >= capacity {
            return Err(AllocationError::OutOfRange {
                what,
                reference,
                prefix: *self,
                max: capacity - 1,
            });
        }
        let mut out = [b'0'; N];
        out[..self.len()].copy_from_slice(self.as_str().as_bytes());
        let mut rest = reference;
        for slot in out[self.len()..].iter_mut().rev() {
            *slot = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        Ok(out)
    }

    /// The number after this prefix in `body` (a key without check or leading digits).
    fn reference_in(&self, body: &str) -> Option<u64> {
        let rest = body.strip_prefix(self.as_str())?;
        // A 12-digit prefix leaves no digits: its only reference is 0.
        if rest.is_empty() {
            Some(0)
        } else {
            rest.parse().ok()
        }
    }
}

impl FromStr for CompanyPrefix {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for CompanyPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AsRef<str> for CompanyPrefix {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

#[cfg(test)]
mod tests;
