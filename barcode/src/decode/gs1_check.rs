//! From rxing's reads to results: symbology identifiers normalised, text in the form a
//! scanner transmits, and the GS1 checks that tell a misread from a read.

use gs1::{
    check_digit,
    date::Date,
    element::{AiString, Options as ElementOptions, Validations},
    scan::{GS, Identifiers, IdentifyError, identify},
};

use super::{Found, formats::Format, passes::Raw};

/// Symbology identifiers that say the data is GS1 element strings.
const GS1_MODES: &[&str] = &["]C1", "]d2", "]Q3", "]e0", "]J1"];

/// The symbol as a result, or, when a GS1 check fails, as a misread (kept only on request).
pub(crate) fn judge(raw: Raw, today: Date, keep_misreads: bool) -> Option<Found> {
    let (symbology_identifier, text) = normalise(&raw);
    let identify_input = match raw.format {
        // An 8-digit UPC-E is a compressed GTIN-12: read as written it would be a GTIN-8.
        Format::UpcE => upc_e_to_a(&text).map_or_else(
            || format!("{symbology_identifier}{text}"),
            |a| format!("{symbology_identifier}0{a}"),
        ),
        // ITF-14 carries a GTIN-14 without an AI, and `identify` knows no ]I identifier: the
        // digits are given bare.
        Format::Itf if text.len() == 14 => text.clone(),
        _ => format!("{symbology_identifier}{text}"),
    };
    let reading = identify(&identify_input, today);
    let misread = check(raw.format, &symbology_identifier, &text, &reading);
    if misread.is_some() && !keep_misreads {
        return None;
    }
    Some(Found {
        format: raw.format,
        symbology_identifier,
        text,
        position: raw.points,
        reading,
        misread,
    })
}

/// The symbology identifier (from rxing's metadata, or the format's default) and the data
/// after it: no "]C1" in the text, no leading FNC1, DataBar as element strings.
fn normalise(raw: &Raw) -> (String, String) {
    let id = raw
        .symbology_identifier
        .clone()
        .filter(|id| id.len() == 3 && id.starts_with(']'))
        .unwrap_or_else(|| default_identifier(raw.format).to_owned());
    let text = raw.text.strip_prefix(id.as_str()).unwrap_or(&raw.text);
    let text = text.strip_prefix(GS).unwrap_or(text);
    let text = match raw.format {
        // rxing gives the GTIN alone; the symbol carries it as AI (01).
        Format::DataBar if text.len() == 14 => format!("01{text}"),
        // rxing gives bracketed HRI; a scanner sends GS-separated element strings.
        Format::DataBarExpanded if text.starts_with('(') => {
            AiString::parse_bracketed(text, &lenient())
                .map_or_else(|_| text.to_owned(), |m| m.to_gs_separated())
        }
        _ => text.to_owned(),
    };
    (id, text)
}

/// The identifier a format's symbols carry when rxing does not say.
fn default_identifier(format: Format) -> &'static str {
    match format {
        Format::Ean13 | Format::UpcA | Format::UpcE => "]E0",
        Format::Ean8 => "]E4",
        Format::Itf => "]I0",
        Format::Code128 => "]C0",
        Format::DataBar | Format::DataBarExpanded | Format::DataBarLimited => "]e0",
        Format::DataMatrix => "]d1",
        Format::QrCode => "]Q1",
    }
}

/// Element-string checks as `identify` makes them: one carrier may lack an AI another supplies.
fn lenient() -> ElementOptions {
    ElementOptions {
        permit_unknown_ais: false,
        validations: Validations {
            requisites: false,
            ..Validations::default()
        },
    }
}

/// Why the read is a misread, or `None` when it passes its symbology's GS1 check.
fn check(
    format: Format,
    id: &str,
    text: &str,
    identified: &Result<Identifiers, IdentifyError>,
) -> Option<String> {
    let gs1_mode = GS1_MODES.contains(&id)
        || matches!(
            format,
            Format::DataBar | Format::DataBarExpanded | Format::DataBarLimited
        );
    match format {
        Format::Ean13 | Format::Ean8 | Format::UpcA => {
            let want = match format {
                Format::Ean13 => 13,
                Format::Ean8 => 8,
                _ => 12,
            };
            digits_check(text, want)
        }
        Format::UpcE => match upc_e_to_a(text) {
            Some(a) => digits_check(&a, 12).map(|why| format!("{why} (as UPC-A {a})")),
            None => Some(format!("{text:?} is not an 8-digit UPC-E")),
        },
        Format::Itf if text.len() == 14 => digits_check(text, 14),
        // Valid element strings without a key (e.g. only a lot) are what the symbol holds, not
        // a misread: the reading says why it identifies nothing.
        _ if gs1_mode => match identified {
            Ok(_) | Err(IdentifyError::NoPrimaryKey) => None,
            Err(why) => Some(format!("{id} data is not valid GS1: {why}")),
        },
        _ => None,
    }
}

/// `None` when `text` is `len` digits whose last is their GS1 check digit; else why not.
fn digits_check(text: &str, len: usize) -> Option<String> {
    if text.len() != len || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!("{text:?} is not {len} digits"));
    }
    let (body, last) = text.split_at(len - 1);
    match check_digit::compute(body.as_bytes()) {
        Some(c) if last.as_bytes() == [c] => None,
        Some(c) => Some(format!(
            "bad check digit in {text}: {last}, expected {}",
            char::from(c)
        )),
        None => Some(format!("{text:?} is not digits")),
    }
}

/// The 12-digit UPC-A an 8-digit UPC-E (number system, six digits, check digit) stands for.
fn upc_e_to_a(e: &str) -> Option<String> {
    let d = e.as_bytes();
    if d.len() != 8 || !d.iter().all(u8::is_ascii_digit) || !matches!(d[0], b'0' | b'1') {
        return None;
    }
    let s = |r: std::ops::Range<usize>| std::str::from_utf8(&d[r]).unwrap_or_default();
    let body = match d[6] {
        b'0'..=b'2' => format!("{}{}0000{}", s(1..3), s(6..7), s(3..6)),
        b'3' => format!("{}00000{}", s(1..4), s(4..6)),
        b'4' => format!("{}00000{}", s(1..5), s(5..6)),
        _ => format!("{}0000{}", s(1..6), s(6..7)),
    };
    Some(format!("{}{body}{}", s(0..1), s(7..8)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upc_e_expands_as_gs1_says() {
        // GS1 General Specifications examples and rxing's own test vectors.
        assert_eq!(upc_e_to_a("01234565").as_deref(), Some("012345000065"));
        assert_eq!(upc_e_to_a("01234133").as_deref(), Some("012300000413"));
        assert_eq!(upc_e_to_a("04252614").as_deref(), Some("042100005264"));
        assert_eq!(upc_e_to_a("21234565"), None);
        assert_eq!(digits_check("012345000065", 12), None);
    }

    #[test]
    fn check_digits_and_gs1_data_decide_misreads() {
        let today = Date::new(2026, 1, 1).unwrap();
        let raw = |format, text: &str, id: Option<&str>| Raw {
            format,
            text: text.to_owned(),
            symbology_identifier: id.map(str::to_owned),
            points: Vec::new(),
            inverted: false,
        };
        let good = judge(
            raw(Format::Ean13, "5901234123457", Some("]E0")),
            today,
            false,
        );
        assert!(good.is_some_and(|f| f.reading.is_ok() && f.misread.is_none()));
        assert!(
            judge(
                raw(Format::Ean13, "5901234123458", Some("]E0")),
                today,
                false
            )
            .is_none()
        );
        let bad = judge(raw(Format::Ean13, "5901234123458", None), today, true);
        assert!(bad.is_some_and(|f| f.misread.is_some_and(|m| m.contains("check digit"))));
        let gs1_128 = "]C10109506000134352\u{1d}10ABC";
        let f = judge(raw(Format::Code128, gs1_128, Some("]C1")), today, false);
        let f = f.unwrap_or_else(|| panic!("GS1-128 refused"));
        assert_eq!(f.symbology_identifier, "]C1");
        assert_eq!(f.text, "0109506000134352\u{1d}10ABC");
        assert!(f.reading.is_ok());
        assert!(judge(raw(Format::Code128, "]C1ABC", Some("]C1")), today, false).is_none());
        let url = judge(
            raw(Format::QrCode, "https://example.com/", None),
            today,
            false,
        );
        assert!(url.is_some_and(|f| f.symbology_identifier == "]Q1" && f.reading.is_err()));
        let itf = judge(raw(Format::Itf, "15400638133393", None), today, false);
        assert!(itf.is_none(), "bad ITF-14 check digit accepted");
        let itf = judge(
            raw(Format::Itf, "15400638133392", Some("]I0")),
            today,
            false,
        );
        let itf = itf.unwrap_or_else(|| panic!("ITF-14 refused"));
        assert_eq!(
            itf.reading
                .map(|ids| ids.primary.value().to_owned())
                .ok()
                .as_deref(),
            Some("15400638133392")
        );
        let dbe = judge(
            raw(Format::DataBarExpanded, "(01)09506000134352(10)ABC", None),
            today,
            false,
        );
        let dbe = dbe.unwrap_or_else(|| panic!("DataBar Expanded refused"));
        // (01) has a fixed length: no separator after it.
        assert_eq!(dbe.text, "010950600013435210ABC");
        assert!(dbe.reading.is_ok(), "{:?}", dbe.reading);
    }
}
