//! Stand-in dictionary entries for AIs the dictionary does not define, used only when unknown
//! AIs are permitted, and only where the AI's length (and so its value's start) can be known.

use std::sync::LazyLock;

use crate::ai::{AiEntry, Dictionary, parse_entry_line};

/// The stand-ins: any length, 3-digit, 3-digit fixed 13, 4-digit, 4-digit fixed 6.
static UNKNOWN: LazyLock<[AiEntry; 5]> = LazyLock::new(|| {
    let make = |line: &str| parse_entry_line(line, 0).ok().and_then(|mut v| v.pop());
    let entries = [
        make("99 ? X..90 # UNKNOWN"),
        make("999 ? X..90 # UNKNOWN"),
        make("999 *? X13 # UNKNOWN"),
        make("9999 ? X..90 # UNKNOWN"),
        make("9999 *? X6 # UNKNOWN"),
    ];
    // The lines above are constants checked by a unit test.
    entries.map(|e| e.unwrap_or_else(|| panic!("unknown-AI stand-in does not parse")))
});

/// Value lengths that the GS1 General Specifications predefine for two-digit AI prefixes, used to
/// know where the value of an unknown AI ends when no FNC1 follows it.
fn predefined_len_by_prefix(prefix: &[u8]) -> Option<u8> {
    let p = (prefix[0] - b'0') * 10 + (prefix[1] - b'0');
    match p {
        0 => Some(18),
        1..=3 => Some(14),
        4 => Some(16),
        11..=19 => Some(6),
        20 => Some(2),
        31..=36 => Some(6),
        41 => Some(13),
        _ => None,
    }
}

/// Looks up an AI given explicitly (bracketed data, Digital Link). Returns the entry and whether
/// the dictionary defines it; `None` if it is invalid or unknown and not permitted.
pub(super) fn lookup_exact(
    dict: &'static Dictionary,
    ai: &[u8],
    permit_unknown: bool,
) -> Option<(&'static AiEntry, bool)> {
    if let Some(e) = dict.get_bytes(ai) {
        return Some((e, true));
    }
    if !(2..=4).contains(&ai.len()) || !ai.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let by_prefix = dict.ai_len_by_prefix(ai);
    // An AI whose length disagrees with the known AIs of its prefix can never exist.
    if by_prefix.is_some_and(|l| l != ai.len()) || !permit_unknown {
        return None;
    }
    Some((vivify(by_prefix, ai), false))
}

/// Looks up the AI that starts unbracketed data. Unknown AIs are only accepted where the
/// dictionary fixes the AI length for their prefix.
pub(super) fn lookup_prefix(
    dict: &'static Dictionary,
    data: &[u8],
    permit_unknown: bool,
) -> Option<(&'static AiEntry, bool, usize)> {
    let len = dict.ai_len_by_prefix(data)?;
    let ai = data.get(..len)?;
    if let Some(e) = dict.get_bytes(ai) {
        return Some((e, true, len));
    }
    if !permit_unknown || !ai.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some((vivify(Some(len), ai), false, len))
}

fn vivify(ai_len: Option<usize>, ai: &[u8]) -> &'static AiEntry {
    let u = &*UNKNOWN;
    match (ai_len, predefined_len_by_prefix(ai)) {
        (Some(3), None) => &u[1],
        (Some(3), Some(13)) => &u[2],
        (Some(4), None) => &u[3],
        (Some(4), Some(6)) => &u[4],
        _ => &u[0],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stand_ins_parse_and_vivify_by_prefix() {
        let d = Dictionary::embedded();
        assert_eq!(UNKNOWN.len(), 5);
        assert!(lookup_exact(d, b"89", false).is_none());
        let (e, known) = lookup_exact(d, b"89", true).unwrap();
        assert!(!known && e.fnc1_required());
        // Prefix 31 holds 4-digit AIs with 6-digit values.
        let (e, _) = lookup_exact(d, b"3199", true).unwrap();
        assert_eq!(e.max_len(), 6);
        assert!(!e.fnc1_required());
        // A 3-digit AI under a 4-digit prefix cannot exist.
        assert!(lookup_exact(d, b"319", true).is_none());
        assert!(lookup_prefix(d, b"89ABC", true).is_none());
        assert_eq!(lookup_prefix(d, b"3199123456", true).unwrap().2, 4);
    }
}
