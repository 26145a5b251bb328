//! Reading an uncompressed Digital Link URI into a validated message, following the engine's
//! `gs1_parseDLuri` step by step (characters, scheme, domain, key search from the right, path
//! and query values, key-qualifier rules), then validating the message.

use super::escape::{UriPart, unescape};
use super::link::DigitalLink;
use super::{DlError, DlOptions, path_seq};
use crate::ai::{Ai, AiEntry, Dictionary};
use crate::element::{self, AiString, ElementError, MAX_AIS};

/// The deprecated convenience alphas the engine accepts (behind a switch) in place of AIs.
const CONVENIENCE_ALPHAS: &[(&str, &str)] = &[
    ("cpid", "8010"),
    ("cpsn", "8011"),
    ("cpv", "22"),
    ("gcn", "255"),
    ("gdti", "253"),
    ("giai", "8004"),
    ("ginc", "401"),
    ("gln", "414"),
    ("glnx", "254"),
    ("gmn", "8013"),
    ("grai", "8003"),
    ("gsin", "402"),
    ("gsrn", "8018"),
    ("gsrnp", "8017"),
    ("gtin", "01"),
    ("itip", "8006"),
    ("lot", "10"),
    ("party", "417"),
    ("refno", "8020"),
    ("ser", "21"),
    ("srin", "8019"),
    ("sscc", "00"),
];

/// Characters allowed anywhere in the URI (RFC 3986 unreserved, reserved, and `%`).
fn is_uri_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&b)
}

/// URI characters that may not appear in the authority.
fn is_bad_domain_char(b: u8) -> bool {
    b"_~?#@!$&'()*+,;=%".contains(&b)
}

/// Where the parts of an `http(s)` URI lie, as byte offsets.
#[derive(Clone, Copy, Debug)]
pub(super) struct UriParts {
    /// Start of the path info (its leading `/`).
    pub(super) path_at: usize,
    /// End of the path info (a `?`, a `#` or the end).
    pub(super) path_end: usize,
    /// The query, without its `?` and without any fragment.
    pub(super) query: Option<(usize, usize)>,
}

/// Checks the characters, scheme and domain, and finds the path info and query.
pub(super) fn split(uri: &str) -> Result<UriParts, DlError> {
    let b = uri.as_bytes();
    if let Some(p) = b.iter().position(|&c| !is_uri_char(c)) {
        return Err(DlError::IllegalCharacter {
            character: uri[p..].chars().next().unwrap_or('\0'),
            position: p,
        });
    }
    let host_at = if b.starts_with(b"https://") || b.starts_with(b"HTTPS://") {
        8
    } else if b.starts_with(b"http://") || b.starts_with(b"HTTP://") {
        7
    } else {
        return Err(DlError::BadScheme {
            uri: uri.chars().take(8).collect(),
        });
    };
    let mut r = host_at;
    while r < b.len() && b[r] != b'/' {
        if is_bad_domain_char(b[r]) {
            return Err(DlError::BadDomain {
                character: char::from(b[r]),
                position: r,
            });
        }
        r += 1;
    }
    if r == b.len() || r == host_at {
        return Err(DlError::MissingDomainOrPath);
    }
    let end = b[r..]
        .iter()
        .position(|&c| c == b'#')
        .map_or(b.len(), |p| r + p);
    let q = b[r..end].iter().position(|&c| c == b'?').map(|p| r + p);
    Ok(UriParts {
        path_at: r,
        path_end: q.unwrap_or(end),
        query: q.map(|q| (q + 1, end)),
    })
}

/// The dictionary entry for an AI written in the path: digits, or (when permitted) a
/// convenience alpha.
pub(super) fn path_ai_entry(seg: &str, alphas: bool) -> Option<&'static AiEntry> {
    let dict = Dictionary::embedded();
    if alphas && (3..=5).contains(&seg.len()) && !seg.as_bytes()[0].is_ascii_digit() {
        if let Some((_, ai)) = CONVENIENCE_ALPHAS.iter().find(|(a, _)| *a == seg) {
            return dict.get(ai);
        }
    }
    dict.get(seg)
}

/// Finds, from the right, the `/AI/value` pair whose AI is a primary key; returns the offset in
/// `path` of the `/` before that AI. Walks back pair by pair and stops at the first segment that
/// is not a known AI, as the engine does.
pub(super) fn find_key(path: &str, alphas: bool) -> Option<usize> {
    let b = path.as_bytes();
    let mut r = b.len();
    loop {
        let value_slash = b[..r].iter().rposition(|&c| c == b'/')?;
        if value_slash == 0 {
            return None;
        }
        let ai_slash = b[..value_slash].iter().rposition(|&c| c == b'/')?;
        let entry = path_ai_entry(&path[ai_slash + 1..value_slash], alphas)?;
        if path_seq::is_primary_key(entry) {
            return Some(ai_slash);
        }
        r = ai_slash;
    }
}

/// Where a decoded value lives: in the URI itself, or in the scratch buffer when decoding or
/// zero-padding changed it.
#[derive(Clone, Copy)]
enum Val {
    Uri(usize, usize),
    Scratch(usize, usize),
}

#[derive(Clone, Copy)]
struct Slot {
    ai: Ai,
    entry: &'static AiEntry,
    known: bool,
    value: Val,
}

/// Decodes values, keeping the scratch buffer for the few that need rewriting.
struct Values<'u> {
    uri: &'u str,
    scratch: String,
    zero_padding: bool,
}

impl<'u> Values<'u> {
    fn get(&self, v: Val) -> &str {
        match v {
            Val::Uri(s, e) => &self.uri[s..e],
            Val::Scratch(s, e) => &self.scratch[s..e],
        }
    }

    fn decode(&mut self, ai: Ai, s: usize, e: usize, part: UriPart) -> Result<Val, DlError> {
        let raw = &self.uri[s..e];
        let decoded = unescape(raw, part).map_err(|_| DlError::NulInValue {
            ai: ai.as_str().into(),
            position: s,
        })?;
        let pad = self.zero_padding && ai.as_str() == "01" && matches!(decoded.len(), 8 | 12 | 13);
        if matches!(decoded, std::borrow::Cow::Borrowed(_)) && !pad {
            return Ok(Val::Uri(s, e));
        }
        let text = std::str::from_utf8(&decoded).map_err(|_| DlError::NotUtf8 {
            ai: ai.as_str().into(),
            position: s,
        })?;
        let at = self.scratch.len();
        if pad {
            self.scratch
                .extend(std::iter::repeat_n('0', 14 - decoded.len()));
        }
        self.scratch.push_str(text);
        Ok(Val::Scratch(at, self.scratch.len()))
    }
}

/// Parses and validates a Digital Link URI (see [`DigitalLink::parse`]).
pub(super) fn digital_link(uri: &str, opts: &DlOptions) -> Result<DigitalLink, DlError> {
    let parts = split(uri)?;
    let path = &uri[parts.path_at..parts.path_end];
    let key_at = find_key(path, opts.permit_convenience_alphas)
        .ok_or_else(|| DlError::NoPrimaryKey { input: path.into() })?;
    let mut values = Values {
        uri,
        scratch: String::new(),
        zero_padding: opts.permit_zero_suppressed_gtin,
    };
    let mut slots: Vec<Slot> = Vec::with_capacity(8);

    // The key search guarantees that AI/value pairs follow, every AI known.
    let mut pos = parts.path_at + key_at + 1;
    let mut segments = path[key_at + 1..].split('/');
    while let Some(ai_seg) = segments.next() {
        let value_seg = segments.next().unwrap_or_default();
        let (ai_at, value_at) = (pos, pos + ai_seg.len() + 1);
        pos = value_at + value_seg.len() + 1;
        let entry = path_ai_entry(ai_seg, opts.permit_convenience_alphas)
            .ok_or_else(|| DlError::NoPrimaryKey { input: path.into() })?;
        let ai = entry.ai();
        if value_seg.is_empty() {
            return Err(DlError::EmptyValue {
                ai: ai.as_str().into(),
                position: ai_at,
            });
        }
        let value = values.decode(ai, value_at, value_at + value_seg.len(), UriPart::Path)?;
        slots.push(Slot {
            ai,
            entry,
            known: true,
            value,
        });
    }
    let path_len = slots.len();

    let mut others = Vec::new();
    if let Some((qs, qe)) = parts.query {
        let mut at = qs;
        for param in uri[qs..qe].split('&') {
            let (start, end) = (at, at + param.len());
            at = end + 1;
            if param.is_empty() {
                continue;
            }
            if slots.len() + others.len() >= MAX_AIS {
                return Err(ElementError::TooManyAis { max: MAX_AIS }.into());
            }
            let name = param.split_once('=').map(|(n, _)| n);
            let Some(name) = name.filter(|n| n.bytes().all(|b| b.is_ascii_digit())) else {
                others.push((start as u32, end as u32));
                continue;
            };
            let unknown = || DlError::UnknownAiInQuery {
                ai: name.into(),
                position: start,
            };
            let (entry, known) =
                element::lookup_ai(name.as_bytes(), opts.element.permit_unknown_ais)
                    .ok_or_else(unknown)?;
            let ai = Ai::new(name.as_bytes()).ok_or_else(unknown)?;
            let value_at = start + name.len() + 1;
            if value_at == end {
                return Err(DlError::EmptyValue {
                    ai: name.into(),
                    position: start,
                });
            }
            let value = values.decode(ai, value_at, end, UriPart::Query)?;
            slots.push(Slot {
                ai,
                entry,
                known,
                value,
            });
        }
    }

    check_structure(&slots, path_len, opts)?;

    let pairs = slots.iter().map(|s| (s.ai.as_str(), values.get(s.value)));
    let ais = AiString::from_pairs(pairs, &opts.element)?;
    Ok(DigitalLink {
        uri: uri.into(),
        stem_len: parts.path_at + key_at,
        ais,
        path_len,
        others,
    })
}

/// The Digital Link rules over the extracted AIs: a valid key-qualifier path, no duplicates,
/// query AIs that may be data attributes and do not belong in the path.
fn check_structure(slots: &[Slot], path_len: usize, opts: &DlOptions) -> Result<(), DlError> {
    let (path, query) = slots.split_at(path_len);
    let key = path[0].entry;
    let quals = &path[1..];
    let qual_ais = || quals.iter().map(|s| s.ai);
    if !path_seq::is_valid_sequence(key, qual_ais()) {
        let path = path
            .iter()
            .map(|s| s.ai.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        return Err(DlError::InvalidKeyQualifierSequence { path });
    }
    for (i, s) in slots.iter().enumerate() {
        if slots[..i].iter().any(|p| p.ai == s.ai) {
            return Err(DlError::DuplicateAi {
                ai: s.ai.as_str().into(),
            });
        }
    }
    let strict = opts.element.validations.unknown_ai_not_dl_attr;
    for s in query {
        let allowed = if s.known {
            s.entry.dl_data_attr()
        } else {
            !strict
        };
        if !allowed {
            return Err(DlError::NotDataAttribute {
                ai: s.ai.as_str().into(),
            });
        }
        let fits_path = (0..=quals.len()).any(|k| {
            let seq = qual_ais()
                .take(k)
                .chain(std::iter::once(s.ai))
                .chain(qual_ais().skip(k));
            path_seq::is_valid_sequence(key, seq)
        });
        if fits_path {
            return Err(DlError::QualifierInQuery {
                ai: s.ai.as_str().into(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_key_from_the_right() {
        assert_eq!(find_key("/01/123", false), Some(0));
        assert_eq!(find_key("/x/00/faux/00/123", false), Some(10));
        assert_eq!(find_key("/01/123/10/", false), Some(0));
        assert_eq!(find_key("/01/123/", false), None);
        assert_eq!(find_key("/01//123", false), None);
        assert_eq!(find_key("/123", false), None);
        assert_eq!(find_key("/gtin/123", false), None);
        assert_eq!(find_key("/gtin/123/ser/4", true), Some(0));
    }

    #[test]
    fn splits_scheme_domain_path_query() {
        let p = split("https://a.b/c/01/1?x=1#f?g").unwrap();
        assert_eq!((p.path_at, p.path_end, p.query), (11, 18, Some((19, 22))));
        assert!(matches!(split("ftp://a/"), Err(DlError::BadScheme { .. })));
        assert!(matches!(split("HtTp://a/"), Err(DlError::BadScheme { .. })));
        assert!(matches!(
            split("http://a"),
            Err(DlError::MissingDomainOrPath)
        ));
        assert!(matches!(
            split("http:///"),
            Err(DlError::MissingDomainOrPath)
        ));
        assert!(matches!(
            split("https://a$/01"),
            Err(DlError::BadDomain { position: 9, .. })
        ));
        assert!(matches!(
            split("https://a/01 2"),
            Err(DlError::IllegalCharacter { position: 12, .. })
        ));
    }
}
