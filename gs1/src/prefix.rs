//! The GS1 prefix table (`gs1-data/gs1-prefixes.txt`), embedded at compile time: which member
//! organisation or special use the leading digits of a key belong to.

use std::sync::LazyLock;

use crate::keys::{KeyClass, RcnScope};

static TEXT: &str = include_str!("../../gs1-data/gs1-prefixes.txt");

/// Parsed once. The embedded file is checked by a unit test, so the empty fallback is never
/// reached in a build whose tests pass; it exists so lookups cannot panic.
static TABLES: LazyLock<Tables> = LazyLock::new(|| parse(TEXT).unwrap_or_default());

/// A GS1 Member Organisation: the national body that issues GS1 Company Prefixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MemberOrganisation {
    name: &'static str,
    countries: &'static str,
}

impl MemberOrganisation {
    /// Its name, e.g. "GS1 Vietnam".
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The ISO 3166-1 alpha-2 codes of the countries it serves, e.g. `["VN"]`.
    pub fn countries(&self) -> impl Iterator<Item = &'static str> + use<> {
        self.countries.split(',')
    }
}

/// One line of the prefix table: a range of equally long prefixes and what they are for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrefixRange {
    start: &'static str,
    end: &'static str,
    class: KeyClass,
    name: &'static str,
}

impl PrefixRange {
    /// The first prefix of the range, e.g. "300".
    pub fn start(&self) -> &'static str {
        self.start
    }

    /// The last prefix of the range, as long as `start`, e.g. "379".
    pub fn end(&self) -> &'static str {
        self.end
    }

    /// What keys in this range are.
    pub fn class(&self) -> KeyClass {
        self.class
    }

    /// The member organisation or what the range is for, e.g. "GS1 France".
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// True if `digits` starts with a prefix in this range.
    pub fn matches(&self, digits: &str) -> bool {
        // Equal-length digit strings compare like the numbers they spell.
        digits
            .get(..self.start.len())
            .is_some_and(|head| self.start <= head && head <= self.end)
    }
}

/// The range whose prefix starts `digits` (a key in its 13-digit GTIN-13 frame, an SSCC
/// without its extension digit, a GLN or a company prefix), longest prefix first.
///
/// ```
/// let range = gs1::prefix::lookup("8934567890120").unwrap();
/// assert_eq!(range.name(), "GS1 Vietnam");
/// assert_eq!(gs1::prefix::lookup("9790123456785").unwrap().class(), gs1::keys::KeyClass::Ismn);
/// assert!(gs1::prefix::lookup("1501234567890").is_none());
/// ```
pub fn lookup(digits: &str) -> Option<&'static PrefixRange> {
    TABLES.main.iter().find(|r| r.matches(digits))
}

/// The range for the GTIN-8 `digits`: the GS1-8 table first, then the main table.
///
/// ```
/// use gs1::keys::{KeyClass, RcnScope};
/// let rcn = gs1::prefix::lookup_gtin8("01234565").unwrap();
/// assert_eq!(rcn.class(), KeyClass::RestrictedCirculation(RcnScope::Company));
/// assert_eq!(gs1::prefix::lookup_gtin8("96251234").unwrap().name(), "GS1 Poland");
/// assert_eq!(gs1::prefix::lookup_gtin8("89312346").unwrap().name(), "GS1 Vietnam");
/// ```
pub fn lookup_gtin8(digits: &str) -> Option<&'static PrefixRange> {
    TABLES
        .gtin8
        .iter()
        .find(|r| r.matches(digits))
        .or_else(|| lookup(digits))
}

/// Every range of the main table, longest prefixes first.
pub fn ranges() -> &'static [PrefixRange] {
    &TABLES.main
}

/// Every range of the GS1-8 table, longest prefixes first.
pub fn gtin8_ranges() -> &'static [PrefixRange] {
    &TABLES.gtin8
}

/// The class of a key whose leading digits are `digits`, in the main table.
pub(crate) fn class(digits: &str) -> KeyClass {
    lookup(digits).map_or(KeyClass::Unassigned, PrefixRange::class)
}

/// The class of the GTIN-8 `digits`.
pub(crate) fn gtin8_class(digits: &str) -> KeyClass {
    lookup_gtin8(digits).map_or(KeyClass::Unassigned, PrefixRange::class)
}

#[derive(Debug, Default)]
struct Tables {
    main: Vec<PrefixRange>,
    gtin8: Vec<PrefixRange>,
}

/// A line of the embedded prefix table that does not follow its format.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("gs1-prefixes.txt line {line}: {reason}: {text:?}")]
struct TableError {
    line: usize,
    reason: &'static str,
    text: &'static str,
}

fn parse(text: &'static str) -> Result<Tables, TableError> {
    let mut tables = Tables::default();
    let mut in_gtin8 = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |reason| TableError {
            line: i + 1,
            reason,
            text: raw,
        };
        if line.starts_with('[') {
            if line != "[gtin8]" || in_gtin8 {
                return Err(err("unknown or repeated section"));
            }
            in_gtin8 = true;
            continue;
        }
        let range = parse_line(line).map_err(err)?;
        let table = if in_gtin8 {
            &mut tables.gtin8
        } else {
            &mut tables.main
        };
        if table.iter().any(|r| overlaps(r, &range)) {
            return Err(err("overlaps an earlier range of the same length"));
        }
        table.push(range);
    }
    // Longest prefixes first, so the first match is the most specific one.
    for table in [&mut tables.main, &mut tables.gtin8] {
        table.sort_by(|a, b| b.start.len().cmp(&a.start.len()).then(a.start.cmp(b.start)));
    }
    Ok(tables)
}

fn parse_line(line: &'static str) -> Result<PrefixRange, &'static str> {
    let (start, rest) = next_field(line);
    let (end, rest) = next_field(rest);
    let (kind, rest) = next_field(rest);
    let (countries, name) = next_field(rest);
    let is_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !(2..=7).contains(&start.len()) || !is_digits(start) || !is_digits(end) {
        return Err("range ends must be 2 to 7 digits");
    }
    if start.len() != end.len() || start > end {
        return Err("range start and end must be equally long, start first");
    }
    if name.is_empty() {
        return Err("missing name");
    }
    let class = match kind {
        "mo" => {
            let codes_ok = countries
                .split(',')
                .all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()));
            if !codes_ok {
                return Err("a member organisation needs ISO 3166-1 alpha-2 country codes");
            }
            KeyClass::Ordinary(MemberOrganisation { name, countries })
        }
        _ if countries != "-" => return Err("only a member organisation has countries"),
        "rcn-company" => KeyClass::RestrictedCirculation(RcnScope::Company),
        "rcn-region" => KeyClass::RestrictedCirculation(RcnScope::Region),
        "coupon" => KeyClass::Coupon,
        "refund-receipt" => KeyClass::RefundReceipt,
        "issn" => KeyClass::Issn,
        "isbn" => KeyClass::Isbn,
        "ismn" => KeyClass::Ismn,
        "demo" => KeyClass::Demo,
        "global-office" => KeyClass::GlobalOffice,
        "reserved" => KeyClass::Reserved,
        _ => return Err("unknown kind"),
    };
    Ok(PrefixRange {
        start,
        end,
        class,
        name,
    })
}

/// Splits off the first whitespace-separated field; the rest comes back trimmed.
fn next_field(s: &'static str) -> (&'static str, &'static str) {
    let s = s.trim_start();
    match s.find(char::is_whitespace) {
        Some(i) => (&s[..i], s[i..].trim()),
        None => (s, ""),
    }
}

fn overlaps(a: &PrefixRange, b: &PrefixRange) -> bool {
    a.start.len() == b.start.len() && a.start <= b.end && b.start <= a.end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_parses() {
        let tables = parse(TEXT).unwrap();
        assert!(tables.main.len() > 140, "{}", tables.main.len());
        assert_eq!(tables.gtin8.len(), 8);
    }

    fn check(digits: &str, name: &str, class: KeyClass) {
        let range = lookup(digits).unwrap_or_else(|| panic!("no range for {digits}"));
        assert_eq!((range.name(), range.class()), (name, class), "{digits}");
    }

    fn check_gtin8(digits: &str, name: &str, class: KeyClass) {
        let range = lookup_gtin8(digits).unwrap_or_else(|| panic!("no range for {digits}"));
        assert_eq!((range.name(), range.class()), (name, class), "{digits}");
    }

    fn mo(digits: &str, name: &str, countries: &[&str]) {
        let range = lookup(digits).unwrap_or_else(|| panic!("no range for {digits}"));
        let KeyClass::Ordinary(org) = range.class() else {
            panic!("{digits} is {:?}", range.class())
        };
        assert_eq!(org.name(), name, "{digits}");
        assert_eq!(org.countries().collect::<Vec<_>>(), countries, "{digits}");
    }

    #[test]
    fn member_organisations() {
        mo("8930000000000", "GS1 Vietnam", &["VN"]);
        mo("890", "GS1 India", &["IN"]);
        mo("885", "GS1 Thailand", &["TH"]);
        mo("000012", "GS1 US", &["US"]);
        mo("0001", "GS1 US", &["US"]);
        mo("019", "GS1 US", &["US"]);
        mo("139", "GS1 US", &["US"]);
        mo("300", "GS1 France", &["FR"]);
        mo("379", "GS1 France", &["FR"]);
        mo("440", "GS1 Germany", &["DE"]);
        mo("490", "GS1 Japan", &["JP"]);
        mo("545", "GS1 Belgium & Luxembourg", &["BE", "LU"]);
        mo("690", "GS1 China", &["CN"]);
        mo("958", "GS1 Macau, China", &["MO"]);
    }

    #[test]
    fn special_ranges() {
        use KeyClass::*;
        let company = RestrictedCirculation(RcnScope::Company);
        let region = RestrictedCirculation(RcnScope::Region);
        let rcn = "Restricted circulation numbers within a company";
        let rcn_region = "Restricted circulation numbers within a geographic region";
        check("0000000", rcn, company);
        check("0200000", rcn_region, region);
        check("0400000", rcn, company);
        check("2000000", rcn_region, region);
        check("2999999", rcn_region, region);
        check("977", "Serial publications (ISSN)", Issn);
        check("978", "Bookland (ISBN)", Isbn);
        check("9791", "Bookland (ISBN)", Isbn);
        check("9790", "Printed music (ISMN)", Ismn);
        check("980", "Refund receipts", RefundReceipt);
        check(
            "981",
            "GS1 coupon identification for common currency areas",
            Coupon,
        );
        check("990", "GS1 coupon identification", Coupon);
        check("952", "Demonstrations and examples of the GS1 system", Demo);
        check("950", "GS1 Global Office", GlobalOffice);
        assert_eq!(lookup("951").map(PrefixRange::class), Some(GlobalOffice));
        assert_eq!(lookup("055").map(PrefixRange::class), Some(Reserved));
        assert_eq!(lookup("0000012").map(PrefixRange::class), Some(Reserved));
        assert_eq!(lookup("960").map(PrefixRange::class), Some(Reserved));
        assert_eq!(lookup("610").map(PrefixRange::class), Some(Reserved));
        for unlisted in ["140", "199", "381", "390", "984", "985", "970", "95", ""] {
            assert_eq!(lookup(unlisted), None, "{unlisted}");
        }
    }

    #[test]
    fn gs1_8_prefixes() {
        use KeyClass::*;
        let company = RestrictedCirculation(RcnScope::Company);
        let rcn8 = "Restricted circulation numbers within a company (RCN-8)";
        check_gtin8("01234565", rcn8, company);
        check_gtin8("099", rcn8, company);
        check_gtin8("21234", rcn8, company);
        check_gtin8(
            "960",
            "GS1 UK",
            Ordinary(MemberOrganisation {
                name: "GS1 UK",
                countries: "GB",
            }),
        );
        check_gtin8(
            "9624",
            "GS1 UK",
            Ordinary(MemberOrganisation {
                name: "GS1 UK",
                countries: "GB",
            }),
        );
        check_gtin8(
            "9627",
            "GS1 Global Office (GTIN-8 allocations)",
            GlobalOffice,
        );
        check_gtin8(
            "969",
            "GS1 Global Office (GTIN-8 allocations)",
            GlobalOffice,
        );
        check_gtin8("977", "Reserved for future use", Reserved);
        check_gtin8("999", "Reserved for future use", Reserved);
        // Elsewhere a GS1-8 prefix means what the main table says.
        check_gtin8("100", "GS1 US", lookup("100").unwrap().class());
        check_gtin8("952", "Demonstrations and examples of the GS1 system", Demo);
        assert_eq!(lookup_gtin8("150"), None);
        assert_eq!(lookup_gtin8("975"), None);
        assert_eq!(gtin8_class("975"), Unassigned);
    }

    #[test]
    fn every_three_digit_prefix_resolves_consistently() {
        let assigned = (0..1000)
            .map(|n| format!("{n:03}0000000000"))
            .filter(|d| lookup(d).is_some())
            .count();
        // 1000 prefixes less the unlisted ones GS1 keeps for non-member countries.
        assert!((700..=800).contains(&assigned), "{assigned}");
        // Ranges are kept longest first.
        for table in [ranges(), gtin8_ranges()] {
            assert!(
                table
                    .windows(2)
                    .all(|w| w[0].start.len() >= w[1].start.len())
            );
        }
    }

    fn check_err(text: &'static str, line: usize, reason: &str) {
        let err = parse(text).unwrap_err();
        assert_eq!((err.line, err.reason), (line, reason), "{err}");
    }

    #[test]
    fn malformed_tables_are_refused() {
        check_err(
            "# c\n\n300 379 mo FR GS1 France\n[other]\n",
            4,
            "unknown or repeated section",
        );
        check_err("[gtin8]\n[gtin8]\n", 2, "unknown or repeated section");
        check_err(
            "3 3 mo FR GS1 France",
            1,
            "range ends must be 2 to 7 digits",
        );
        check_err("30a 379 mo FR x", 1, "range ends must be 2 to 7 digits");
        check_err(
            "300 37 mo FR x",
            1,
            "range start and end must be equally long, start first",
        );
        check_err(
            "379 300 mo FR x",
            1,
            "range start and end must be equally long, start first",
        );
        check_err("300 379 mo FR", 1, "missing name");
        check_err(
            "300 379 mo France GS1 France",
            1,
            "a member organisation needs ISO 3166-1 alpha-2 country codes",
        );
        check_err(
            "300 379 mo - GS1 France",
            1,
            "a member organisation needs ISO 3166-1 alpha-2 country codes",
        );
        check_err(
            "977 977 issn FR ISSN",
            1,
            "only a member organisation has countries",
        );
        check_err("977 977 magazine - ISSN", 1, "unknown kind");
        check_err(
            "300 379 mo FR a\n379 380 mo BG b",
            2,
            "overlaps an earlier range of the same length",
        );
        assert!(
            parse("300 379 mo FR a\n3790 3790 ismn - b\n[gtin8]\n300 300 reserved - c").is_ok()
        );
        let err = parse("3 3 mo FR x").unwrap_err();
        assert_eq!(
            err.to_string(),
            "gs1-prefixes.txt line 1: range ends must be 2 to 7 digits: \"3 3 mo FR x\""
        );
    }
}
