//! What a key's GS1 prefix says about it: an ordinary number issued through a GS1 Member
//! Organisation, or one of the special ranges (restricted circulation, coupons, books, ...).

use std::fmt;

use crate::prefix::MemberOrganisation;

/// What a key's GS1 prefix says about it, from the GS1 prefix table.
///
/// The member organisation says where the number was issued, never where a product was made.
///
/// ```
/// use gs1::keys::{Gtin, KeyClass};
/// let gtin: Gtin = "8934567890120".parse().unwrap();
/// let KeyClass::Ordinary(mo) = gtin.class() else { panic!() };
/// assert_eq!(mo.name(), "GS1 Vietnam");
/// assert_eq!("9780306406157".parse::<Gtin>().unwrap().class(), KeyClass::Isbn);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyClass {
    /// An ordinary number issued through this GS1 Member Organisation.
    Ordinary(MemberOrganisation),
    /// A restricted circulation number, meaningful only within a company or a region.
    RestrictedCirculation(RcnScope),
    /// A coupon (GS1 prefixes 981 to 983, and 99).
    Coupon,
    /// A refund receipt (GS1 prefix 980).
    RefundReceipt,
    /// A serial publication: an ISSN in GTIN form (GS1 prefix 977).
    Issn,
    /// A book: an ISBN in GTIN form (GS1 prefixes 978 and 979, except 9790).
    Isbn,
    /// Printed music: an ISMN in GTIN form (9790).
    Ismn,
    /// A number for demonstrations and examples only (GS1 prefix 952).
    Demo,
    /// A number GS1 Global Office issues itself (950, 951 and some GS1-8 prefixes).
    GlobalOffice,
    /// A range GS1 lists as reserved: nothing is issued from it.
    Reserved,
    /// A range GS1 lists nowhere: held for non-member countries and future use.
    Unassigned,
}

/// Where a restricted circulation number is meaningful.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RcnScope {
    /// Within one company (GS1 prefixes 040 to 049; GS1-8 prefixes starting 0 or 2).
    Company,
    /// Within a geographic region, as the member organisation defines (020 to 029, 200 to 299).
    Region,
}

impl KeyClass {
    /// The issuing member organisation, for an ordinary number.
    pub fn member_organisation(&self) -> Option<MemberOrganisation> {
        match self {
            Self::Ordinary(mo) => Some(*mo),
            _ => None,
        }
    }
}

impl fmt::Display for KeyClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ordinary(mo) => write!(f, "issued by {}", mo.name()),
            Self::RestrictedCirculation(RcnScope::Company) => {
                f.write_str("restricted circulation within a company")
            }
            Self::RestrictedCirculation(RcnScope::Region) => {
                f.write_str("restricted circulation within a region")
            }
            Self::Coupon => f.write_str("coupon"),
            Self::RefundReceipt => f.write_str("refund receipt"),
            Self::Issn => f.write_str("serial publication (ISSN)"),
            Self::Isbn => f.write_str("book (ISBN)"),
            Self::Ismn => f.write_str("printed music (ISMN)"),
            Self::Demo => f.write_str("demonstration number"),
            Self::GlobalOffice => f.write_str("issued by GS1 Global Office"),
            Self::Reserved => f.write_str("reserved by GS1"),
            Self::Unassigned => f.write_str("unassigned GS1 prefix"),
        }
    }
}
