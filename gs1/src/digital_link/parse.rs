//! Reading an uncompressed Digital Link URI into a validated message, following the engine's
//! `gs1_parseDLuri` step by step (characters, scheme, domain, key search from the right, path
//! and query values, key-qualifier rules), then validating the message.

use super::escape::{UriPart, unescape};
use super::link::DigitalLink;
use super::uri::split;
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

/// The most `/AI/value` pairs recorded while looking for the key; a valid path has at most six.
const MAX_PAIRS: usize = 8;

/// One `/AI/value` pair of the path: byte offsets in the path and the AI's entry.
#[derive(Clone, Copy)]
struct PathPair {
    ai_at: u32,
    value_at: u32,
    end: u32,
    entry: &'static AiEntry,
}

/// The pairs walked from the right up to and including the primary key.
struct KeyWalk {
    /// Offset in the path of the `/` before the key AI.
    key_slash: usize,
    /// The pairs, rightmost first, the key last (unless there were too many to record).
    pairs: [Option<PathPair>; MAX_PAIRS],
    n: usize,
    overflow: bool,
}

impl KeyWalk {
    fn new() -> Self {
        Self {
            key_slash: 0,
            pairs: [None; MAX_PAIRS],
            n: 0,
            overflow: false,
        }
    }
}

/// Finds, from the right, the `/AI/value` pair whose AI is a primary key. Walks back pair by
/// pair and stops at the first segment that is not a known AI, as the engine does.
fn walk_to_key(path: &str, alphas: bool, walk: &mut KeyWalk) -> Option<()> {
    let b = path.as_bytes();
    let mut r = b.len();
    loop {
        let value_slash = b[..r].iter().rposition(|&c| c == b'/')?;
        if value_slash == 0 {
            return None;
        }
        let ai_slash = b[..value_slash].iter().rposition(|&c| c == b'/')?;
        let entry = path_ai_entry(&path[ai_slash + 1..value_slash], alphas)?;
        if walk.n < MAX_PAIRS {
            walk.pairs[walk.n] = Some(PathPair {
                ai_at: (ai_slash + 1) as u32,
                value_at: (value_slash + 1) as u32,
                end: r as u32,
                entry,
            });
            walk.n += 1;
        } else {
            walk.overflow = true;
        }
        if path_seq::is_primary_key(entry) {
            walk.key_slash = ai_slash;
            return Some(());
        }
        r = ai_slash;
    }
}

/// The offset in `path` of the `/` before the primary key AI, if the path has one.
pub(super) fn find_key(path: &str, alphas: bool) -> Option<usize> {
    let mut walk = KeyWalk::new();
    walk_to_key(path, alphas, &mut walk).map(|()| walk.key_slash)
}

/// Where a decoded value lives: in the URI itself, or in the scratch buffer when decoding or
/// zero-padding changed it.
#[derive(Clone, Copy)]
enum Val {
    Uri(u32, u32),
    Scratch(u32, u32),
}

#[derive(Clone, Copy)]
struct Slot {
    ai: Ai,
    entry: &'static AiEntry,
    known: bool,
    value: Val,
}

/// The extracted AIs, held on the stack (a message has at most [`MAX_AIS`]).
struct Slots {
    items: [Option<Slot>; MAX_AIS],
    n: usize,
}

impl Slots {
    fn push(&mut self, slot: Slot) -> Result<(), DlError> {
        let item = self
            .items
            .get_mut(self.n)
            .ok_or(ElementError::TooManyAis { max: MAX_AIS })?;
        *item = Some(slot);
        self.n += 1;
        Ok(())
    }

    fn as_slice(&self) -> &[Option<Slot>] {
        &self.items[..self.n]
    }
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
            Val::Uri(s, e) => &self.uri[s as usize..e as usize],
            Val::Scratch(s, e) => &self.scratch[s as usize..e as usize],
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
            return Ok(Val::Uri(s as u32, e as u32));
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
        Ok(Val::Scratch(at as u32, self.scratch.len() as u32))
    }
}

/// Parses and validates a Digital Link URI (see [`DigitalLink::parse`]).
pub(super) fn digital_link(uri: &str, opts: &DlOptions) -> Result<DigitalLink, DlError> {
    let parts = split(uri)?;
    let path = &uri[parts.path_at..parts.path_end];
    let mut walk = KeyWalk::new();
    walk_to_key(path, opts.permit_convenience_alphas, &mut walk)
        .ok_or_else(|| DlError::NoPrimaryKey { input: path.into() })?;
    if walk.overflow {
        return Err(DlError::InvalidKeyQualifierSequence {
            path: path[walk.key_slash..].into(),
        });
    }
    let mut values = Values {
        uri,
        scratch: String::new(),
        zero_padding: opts.permit_zero_suppressed_gtin,
    };
    let mut slots = Slots {
        items: [None; MAX_AIS],
        n: 0,
    };

    for pair in walk.pairs[..walk.n].iter().rev().flatten() {
        let ai = pair.entry.ai();
        if pair.value_at == pair.end {
            return Err(DlError::EmptyValue {
                ai: ai.as_str().into(),
                position: parts.path_at + pair.ai_at as usize,
            });
        }
        let (s, e) = (
            parts.path_at + pair.value_at as usize,
            parts.path_at + pair.end as usize,
        );
        let value = values.decode(ai, s, e, UriPart::Path)?;
        slots.push(Slot {
            ai,
            entry: pair.entry,
            known: true,
            value,
        })?;
    }
    let path_len = slots.n;

    let mut others = Vec::new();
    if let Some((qs, qe)) = parts.query {
        let q = &uri.as_bytes()[..qe];
        let mut start = qs;
        while start < qe {
            let end = q[start..]
                .iter()
                .position(|&c| c == b'&')
                .map_or(qe, |p| start + p);
            let param = (start, end);
            start = end + 1;
            if param.0 == param.1 {
                continue;
            }
            if slots.n + others.len() >= MAX_AIS {
                return Err(ElementError::TooManyAis { max: MAX_AIS }.into());
            }
            let (start, end) = param;
            let eq = q[start..end].iter().position(|&c| c == b'=');
            let name_end = start + eq.unwrap_or(0);
            if eq.is_none() || !q[start..name_end].iter().all(u8::is_ascii_digit) {
                others.push((start as u32, end as u32));
                continue;
            }
            let name = &uri[start..name_end];
            let unknown = || DlError::UnknownAiInQuery {
                ai: name.into(),
                position: start,
            };
            let (entry, known) =
                element::lookup_ai(name.as_bytes(), opts.element.permit_unknown_ais)
                    .ok_or_else(unknown)?;
            let ai = Ai::new(name.as_bytes()).ok_or_else(unknown)?;
            let value_at = name_end + 1;
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
            })?;
        }
    }

    check_structure(slots.as_slice(), path_len, opts)?;

    let items = slots
        .as_slice()
        .iter()
        .flatten()
        .map(|s| (s.entry, s.known, s.ai.as_str(), values.get(s.value)));
    let ais = AiString::from_resolved(items, &opts.element)?;
    Ok(DigitalLink {
        uri: uri.into(),
        stem_len: parts.path_at + walk.key_slash,
        ais,
        path_len,
        others,
    })
}

/// The Digital Link rules over the extracted AIs: a valid key-qualifier path, no duplicates,
/// query AIs that may be data attributes and do not belong in the path.
fn check_structure(
    slots: &[Option<Slot>],
    path_len: usize,
    opts: &DlOptions,
) -> Result<(), DlError> {
    let (path, query) = slots.split_at(path_len);
    let Some(Some(key)) = path.first() else {
        return Err(DlError::InvalidKeyQualifierSequence {
            path: String::new(),
        });
    };
    let key = key.entry;
    let quals = &path[1..];
    let qual_ais = || quals.iter().flatten().map(|s| s.ai);
    if !path_seq::is_valid_sequence(key, qual_ais()) {
        let path = path
            .iter()
            .flatten()
            .map(|s| s.ai.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        return Err(DlError::InvalidKeyQualifierSequence { path });
    }
    for (i, s) in slots.iter().enumerate() {
        let Some(s) = s else { continue };
        if slots[..i].iter().flatten().any(|p| p.ai == s.ai) {
            return Err(DlError::DuplicateAi {
                ai: s.ai.as_str().into(),
            });
        }
    }
    let strict = opts.element.validations.unknown_ai_not_dl_attr;
    for s in query.iter().flatten() {
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
        // Only an AI named in one of the key's qualifier sequences can fit the path.
        let qualifier_ai = key
            .attrs()
            .dl_primary_key()
            .is_some_and(|alts| alts.iter().any(|alt| alt.contains(&s.ai)));
        let fits_path = qualifier_ai
            && (0..=quals.len()).any(|k| {
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

    fn opts() -> DlOptions {
        let mut o = DlOptions::default();
        o.element.validations.requisites = false;
        o
    }

    fn refusal(uri: &str) -> DlError {
        match digital_link(uri, &opts()) {
            Ok(_) => panic!("{uri} accepted"),
            Err(e) => e,
        }
    }

    #[test]
    fn refusals_name_the_rule_broken() {
        let g = "https://a/01/09506000134352";
        let check = |tail: &str, want: fn(&DlError) -> bool| {
            let e = refusal(&format!("{g}{tail}"));
            assert!(want(&e), "{tail}: {e:?}");
        };
        check("/10/", |e| matches!(e, DlError::EmptyValue { .. }));
        check("?17=", |e| matches!(e, DlError::EmptyValue { .. }));
        check("/10/A%00B", |e| matches!(e, DlError::NulInValue { .. }));
        check("/10/%FF", |e| matches!(e, DlError::NotUtf8 { .. }));
        check("?999=1", |e| matches!(e, DlError::UnknownAiInQuery { .. }));
        check("?=1", |e| matches!(e, DlError::UnknownAiInQuery { .. }));
        check(
            "/99/X",
            |e| matches!(e, DlError::InvalidKeyQualifierSequence { path } if path == "01 99"),
        );
        check("/21/X/10/Y", |e| {
            matches!(e, DlError::InvalidKeyQualifierSequence { .. })
        });
        check(
            "?10=X",
            |e| matches!(e, DlError::QualifierInQuery { ai } if ai == "10"),
        );
        check(
            "/235/X?21=Y",
            |e| matches!(e, DlError::NotDataAttribute { ai } if ai == "21"),
        );
        check("/10/X?10=X", |e| matches!(e, DlError::DuplicateAi { .. }));
        check("/10/X/10/X/10/X/10/X/10/X/10/X/10/X/10/X", |e| {
            matches!(e, DlError::InvalidKeyQualifierSequence { .. })
        });
        check("?17=1", |e| matches!(e, DlError::Element(_)));
        assert!(matches!(
            refusal("https://a/x/10/ABC"),
            DlError::NoPrimaryKey { .. }
        ));
    }

    #[test]
    fn reads_stem_path_query_and_other_parameters() {
        let dl = digital_link(
            "HTTPS://a.example/x/y/01/09506000134352/22/V%2F1/21/S+1?lang=vi&3103=000195\
             &linkType=gs1%3Apip&solo&17=201225#frag",
            &opts(),
        )
        .unwrap();
        assert_eq!(dl.stem(), "HTTPS://a.example/x/y");
        assert_eq!(dl.primary_key().ai, "01");
        let quals: Vec<_> = dl.qualifiers().map(|e| (e.ai, e.value)).collect();
        assert_eq!(quals, [("22", "V/1"), ("21", "S+1")]);
        let attrs: Vec<_> = dl.attributes().map(|e| (e.ai, e.value)).collect();
        assert_eq!(attrs, [("3103", "000195"), ("17", "201225")]);
        let others: Vec<_> = dl
            .other_params()
            .map(|p| {
                (
                    p.raw(),
                    p.name().into_owned(),
                    p.value().map(|v| v.into_owned()),
                )
            })
            .collect();
        assert_eq!(
            others,
            [
                ("lang=vi", "lang".into(), Some("vi".into())),
                (
                    "linkType=gs1%3Apip",
                    "linkType".into(),
                    Some("gs1:pip".into())
                ),
                ("solo", "solo".into(), None),
            ]
        );
        assert_eq!(
            dl.to_canonical(Some("https://b/")),
            "https://b/01/09506000134352/22/V%2F1/21/S%2B1?3103=000195&17=201225"
        );
    }

    #[test]
    fn legacy_forms_need_their_switches() {
        let uri = "https://a/gtin/9506000134352/ser/X";
        assert!(digital_link(uri, &opts()).is_err());
        let legacy = DlOptions {
            permit_convenience_alphas: true,
            permit_zero_suppressed_gtin: true,
            ..opts()
        };
        let dl = digital_link(uri, &legacy).unwrap();
        assert_eq!(dl.ai_string().as_unbracketed(), "^010950600013435221X");
        assert_eq!(
            dl.to_canonical(None),
            "https://id.gs1.org/01/09506000134352/21/X"
        );
    }
}
