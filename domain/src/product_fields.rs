//! Validated values of product master data and resolver links: texts, GPC bricks, HS codes,
//! net contents with their UN/CEFACT unit, http(s) URLs, language tags, media types, standards.

use crate::error::InvalidValue;
use crate::error::invalid;
use std::fmt;

/// A trimmed text of 1 to `max` characters; `multiline` allows line breaks and tabs.
pub fn text(s: &str, max: usize, multiline: bool) -> Result<String, InvalidValue> {
    let s = s.trim();
    let n = s.chars().count();
    if n == 0 {
        return Err("must not be empty".into());
    }
    if n > max {
        return Err(invalid!("must be at most {max} characters, got {n}"));
    }
    let allowed = |c: char| multiline && matches!(c, '\n' | '\r' | '\t');
    if s.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err("must not contain control characters".into());
    }
    Ok(s.to_owned())
}

/// A GS1 Global Product Classification brick code: 8 digits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GpcBrick(String);

impl GpcBrick {
    /// Parses 8 digits.
    pub fn parse(s: &str) -> Result<Self, InvalidValue> {
        let s = s.trim();
        if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(invalid!("{s:?} is not a GPC brick code (8 digits)"))
        }
    }
}

/// A Harmonized System code: 6 to 10 digits (the 6-digit HS heading and national subdivisions).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HsCode(String);

impl HsCode {
    /// Parses 6 to 10 digits, written plain or grouped with dots (`0901.11.10`).
    pub fn parse(s: &str) -> Result<Self, InvalidValue> {
        let s = s.trim();
        let well_formed = !s.is_empty()
            && s.split('.')
                .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()));
        let digits: String = s.chars().filter(|c| *c != '.').collect();
        if well_formed && (6..=10).contains(&digits.len()) {
            Ok(Self(digits))
        } else {
            Err(invalid!("{s:?} is not an HS code (6 to 10 digits)"))
        }
    }
}

/// UN/CEFACT Recommendation 20 codes accepted as a net content unit, with their names.
pub const UNITS: &[(&str, &str)] = &[
    ("MGM", "milligram"),
    ("GRM", "gram"),
    ("KGM", "kilogram"),
    ("TNE", "tonne"),
    ("ONZ", "ounce"),
    ("LBR", "pound"),
    ("MLT", "millilitre"),
    ("CLT", "centilitre"),
    ("DLT", "decilitre"),
    ("LTR", "litre"),
    ("HLT", "hectolitre"),
    ("CMQ", "cubic centimetre"),
    ("MTQ", "cubic metre"),
    ("OZA", "fluid ounce (US)"),
    ("GLL", "gallon (US)"),
    ("MMT", "millimetre"),
    ("CMT", "centimetre"),
    ("MTR", "metre"),
    ("CMK", "square centimetre"),
    ("MTK", "square metre"),
    ("H87", "piece"),
    ("C62", "one"),
    ("EA", "each"),
    ("PR", "pair"),
    ("SET", "set"),
    ("DZN", "dozen"),
];

/// A net content: a positive decimal amount and its UN/CEFACT unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetContent {
    amount: String,
    unit: &'static str,
}

impl NetContent {
    /// Parses the amount (up to 12 integer and 6 decimal digits, greater than zero; written
    /// canonically without leading or trailing zeros) and the unit code (any case).
    pub fn parse(amount: &str, unit: &str) -> Result<Self, (&'static str, String)> {
        let amount = canonical_decimal(amount.trim())
            .ok_or_else(|| ("net_content", format!("{:?} is not a positive decimal number with at most 12 integer and 6 decimal digits", amount.trim())))?;
        let code = unit.trim().to_ascii_uppercase();
        let unit = UNITS
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(c, _)| *c)
            .ok_or_else(|| {
                let known: Vec<&str> = UNITS.iter().map(|(c, _)| *c).collect();
                (
                    "net_content_unit",
                    format!(
                        "{code:?} is not a supported UN/CEFACT unit code: use one of {}",
                        known.join(", ")
                    ),
                )
            })?;
        Ok(Self { amount, unit })
    }

    /// The amount, e.g. `500` or `1.5`.
    pub fn amount(&self) -> &str {
        &self.amount
    }

    /// The unit code, e.g. `GRM`.
    pub fn unit(&self) -> &'static str {
        self.unit
    }
}

/// `s` as a positive decimal in canonical form (`0500.50` becomes `500.5`), or `None`.
fn canonical_decimal(s: &str) -> Option<String> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || int.len() > 12 || frac.len() > 6 || !digits(int) || !digits(frac) {
        return None;
    }
    if s.ends_with('.') {
        return None;
    }
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let int = if int.is_empty() { "0" } else { int };
    Some(if frac.is_empty() {
        int.to_owned()
    } else {
        format!("{int}.{frac}")
    })
}

/// An absolute http or https URL of at most 2,048 characters, with a host and no spaces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpUrl(String);

impl HttpUrl {
    /// Checks the scheme, the host and the characters; the scheme is lower-cased.
    pub fn parse(s: &str) -> Result<Self, InvalidValue> {
        let s = s.trim();
        let bad = || invalid!("{s:?} is not an absolute http or https URL");
        if s.chars().count() > 2048 {
            return Err("URL must be at most 2048 characters".into());
        }
        let (scheme, rest) = s.split_once("://").ok_or_else(bad)?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(bad());
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid!("{s:?} contains spaces or control characters"));
        }
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let (host, port) = match authority.strip_prefix('[') {
            Some(v6) => {
                let (addr, after) = v6.split_once(']').ok_or_else(bad)?;
                let ok = !addr.is_empty()
                    && addr
                        .chars()
                        .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
                (
                    if ok { "v6" } else { "" },
                    after
                        .strip_prefix(':')
                        .or(Some(after).filter(|a| !a.is_empty())),
                )
            }
            None => match authority.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            },
        };
        let host_ok = !host.is_empty()
            && !host.starts_with(['.', '-'])
            && !host.ends_with('-')
            && host
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        let port_ok = port
            .is_none_or(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
        if !host_ok || !port_ok {
            return Err(bad());
        }
        Ok(Self(format!("{scheme}://{rest}")))
    }

    /// The URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A BCP 47 language tag such as `vi`, `en` or `vi-VN`, in its conventional case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LangTag(String);

impl LangTag {
    /// Checks the shape (a 2 or 3 letter language, then subtags of 1 to 8 letters or digits)
    /// and normalises case: language lower, script title, region upper.
    pub fn parse(s: &str) -> Result<Self, InvalidValue> {
        let s = s.trim();
        let bad = || invalid!("{s:?} is not a BCP 47 language tag such as vi, en or vi-VN");
        if s.len() > 35 {
            return Err(bad());
        }
        let mut parts = s.split('-');
        let lang = parts.next().unwrap_or_default();
        if !(2..=3).contains(&lang.len()) || !lang.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(bad());
        }
        let mut out = lang.to_ascii_lowercase();
        for (i, sub) in parts.enumerate() {
            if sub.is_empty() || sub.len() > 8 || !sub.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(bad());
            }
            out.push('-');
            let alpha = sub.bytes().all(|b| b.is_ascii_alphabetic());
            match sub.len() {
                4 if i == 0 && alpha => {
                    out.push_str(&sub[..1].to_ascii_uppercase());
                    out.push_str(&sub[1..].to_ascii_lowercase());
                }
                2 if alpha => out.push_str(&sub.to_ascii_uppercase()),
                _ => out.push_str(&sub.to_ascii_lowercase()),
            }
        }
        Ok(Self(out))
    }

    /// The tag.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A media type `type/subtype` (RFC 6838 names), lower-cased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaType(String);

impl MediaType {
    /// Checks both names.
    pub fn parse(s: &str) -> Result<Self, InvalidValue> {
        let s = s.trim();
        let name = |n: &str| {
            (1..=127).contains(&n.len())
                && n.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
                && n.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
        };
        match s.split_once('/') {
            Some((t, sub)) if name(t) && name(sub) => Ok(Self(s.to_ascii_lowercase())),
            _ => Err(invalid!("{s:?} is not a media type such as text/html")),
        }
    }

    /// The media type.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The bodies whose standards a product may declare.
const STANDARD_BODIES: [&str; 5] = ["TCVN", "QCVN", "ISO/IEC", "ISO", "IEC"];

/// A standard's designation: `TCVN 5603:2023`, `QCVN 8-2:2011/BYT`, `ISO 22000:2018`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standard(String);

impl Standard {
    /// Checks the body (TCVN, QCVN, ISO, IEC or ISO/IEC, any case) and the number after it
    /// (up to 60 letters, digits, spaces and `.:/-`, with a digit); collapses spaces.
    pub fn parse(s: &str) -> Result<Self, InvalidValue> {
        let collapsed = s.split_whitespace().collect::<Vec<_>>().join(" ");
        let bad = || {
            invalid!(
                "{collapsed:?} is not a standard designation such as \"TCVN 5603:2023\", \"QCVN 8-2:2011/BYT\" or \"ISO 22000:2018\" (bodies: {})",
                STANDARD_BODIES.join(", ")
            )
        };
        let (body, number) = collapsed.split_once(' ').ok_or_else(bad)?;
        let body = body.to_ascii_uppercase();
        let number_ok = number.chars().count() <= 60
            && number.chars().any(|c| c.is_ascii_digit())
            && number
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || " .:/-".contains(c));
        if STANDARD_BODIES.contains(&body.as_str()) && number_ok {
            Ok(Self(format!("{body} {number}")))
        } else {
            Err(bad())
        }
    }

    /// The designation.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! as_str_display {
    ($($t:ty),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    )*};
}
as_str_display!(GpcBrick, HsCode, HttpUrl, LangTag, MediaType, Standard);

#[cfg(test)]
mod tests {
    use super::*;

    fn check<T: fmt::Display>(r: Result<T, InvalidValue>, expected: Option<&str>) {
        assert_eq!(
            r.as_ref().ok().map(ToString::to_string).as_deref(),
            expected,
            "{:?}",
            r.err()
        );
    }

    #[test]
    fn codes() {
        check(GpcBrick::parse("10000043"), Some("10000043"));
        check(GpcBrick::parse("1000004"), None);
        check(GpcBrick::parse("1000004x"), None);
        check(HsCode::parse("090111"), Some("090111"));
        check(HsCode::parse("0901.11.10"), Some("09011110"));
        check(HsCode::parse("09011110"), Some("09011110"));
        check(HsCode::parse("0901"), None);
        check(HsCode::parse("09011112345"), None);
        check(HsCode::parse("0901..11"), None);
        check(HsCode::parse(".090111"), None);
    }

    #[test]
    fn net_contents() {
        let ok = |a: &str, u: &str| {
            NetContent::parse(a, u).map(|n| format!("{} {}", n.amount(), n.unit()))
        };
        assert_eq!(ok("500", "grm"), Ok("500 GRM".to_owned()));
        assert_eq!(ok("0500.50", "KGM"), Ok("500.5 KGM".to_owned()));
        assert_eq!(ok("0.25", "LTR"), Ok("0.25 LTR".to_owned()));
        assert_eq!(ok("1.000", "H87"), Ok("1 H87".to_owned()));
        for bad in [
            "0",
            "0.0",
            "-1",
            "1.",
            ".5",
            "1e3",
            "1,5",
            "",
            "1234567890123",
            "1.1234567",
        ] {
            assert_eq!(ok(bad, "GRM").map_err(|e| e.0), Err("net_content"), "{bad}");
        }
        assert_eq!(ok("1", "XYZ").map_err(|e| e.0), Err("net_content_unit"));
    }

    #[test]
    fn urls() {
        check(
            HttpUrl::parse("https://example.vn/p?x=1#a"),
            Some("https://example.vn/p?x=1#a"),
        );
        check(
            HttpUrl::parse("HTTP://example.vn:8080"),
            Some("http://example.vn:8080"),
        );
        check(
            HttpUrl::parse("https://[2001:db8::1]/x"),
            Some("https://[2001:db8::1]/x"),
        );
        check(
            HttpUrl::parse("https://cà-phê.vn/ảnh"),
            Some("https://cà-phê.vn/ảnh"),
        );
        for bad in [
            "ftp://example.vn",
            "javascript:alert(1)",
            "https://",
            "https:///path",
            "https://exa mple.vn",
            "https://user@example.vn",
            "https://example.vn:port",
            "//example.vn",
            "example.vn",
        ] {
            check(HttpUrl::parse(bad), None);
        }
    }

    #[test]
    fn language_tags_and_media_types() {
        check(LangTag::parse("vi"), Some("vi"));
        check(LangTag::parse("VI-vn"), Some("vi-VN"));
        check(LangTag::parse("zh-hant-tw"), Some("zh-Hant-TW"));
        check(LangTag::parse("es-419"), Some("es-419"));
        for bad in [
            "",
            "v",
            "vietnamese",
            "vi_VN",
            "vi-",
            "vi--VN",
            "vi-VN-abcdefghi",
        ] {
            check(LangTag::parse(bad), None);
        }
        check(MediaType::parse("text/HTML"), Some("text/html"));
        check(
            MediaType::parse("application/ld+json"),
            Some("application/ld+json"),
        );
        for bad in [
            "text",
            "text/",
            "/html",
            "text/html; charset=utf-8",
            "te xt/html",
        ] {
            check(MediaType::parse(bad), None);
        }
    }

    #[test]
    fn standards_and_texts() {
        check(Standard::parse("TCVN 5603:2023"), Some("TCVN 5603:2023"));
        check(
            Standard::parse(" qcvn   8-2:2011/BYT "),
            Some("QCVN 8-2:2011/BYT"),
        );
        check(Standard::parse("ISO 22000:2018"), Some("ISO 22000:2018"));
        check(
            Standard::parse("ISO/IEC 17025:2017"),
            Some("ISO/IEC 17025:2017"),
        );
        check(
            Standard::parse("TCVN ISO 9001:2015"),
            Some("TCVN ISO 9001:2015"),
        );
        for bad in [
            "TCVN",
            "ASTM D123",
            "ISO abc",
            "TCVN 5603;2023",
            "5603:2023",
        ] {
            check(Standard::parse(bad), None);
        }
        assert_eq!(text("  Cà phê  ", 10, false), Ok("Cà phê".to_owned()));
        assert!(text("  ", 10, false).is_err());
        assert!(text("a\nb", 10, false).is_err());
        assert_eq!(text("a\nb", 10, true), Ok("a\nb".to_owned()));
        assert!(text("abcdefghijk", 10, false).is_err());
    }
}
