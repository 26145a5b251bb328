//! Parsers for the bracketed and unbracketed forms and for AI/value pairs, all producing the
//! canonical unbracketed data plus an index of AIs, then linting every value.

use super::{AiString, AiValue, ElementError, MAX_AIS, MAX_DATA, Options, unknown};
use crate::ai::{Ai, AiEntry, Dictionary};

/// Accumulates the canonical `^` form while AIs are added.
struct Builder {
    data: String,
    items: Vec<AiValue>,
    composite_at: Option<usize>,
    fnc1_pending: bool,
}

impl Builder {
    fn new(capacity: usize) -> Self {
        Self {
            data: String::with_capacity(capacity),
            items: Vec::with_capacity(8),
            composite_at: None,
            fnc1_pending: true,
        }
    }

    fn start_ai(
        &mut self,
        entry: &'static AiEntry,
        known: bool,
        ai: &str,
    ) -> Result<(), ElementError> {
        if self.items.len() >= MAX_AIS {
            return Err(ElementError::TooManyAis { max: MAX_AIS });
        }
        if self.fnc1_pending {
            self.data.push('^');
        }
        self.data.push_str(ai);
        self.fnc1_pending = entry.fnc1_required();
        let at = self.data.len() as u16;
        // The lookup accepted the AI, so it is 2 to 4 digits.
        let ai = Ai::new(ai.as_bytes()).unwrap_or(entry.ai());
        self.items.push(AiValue {
            entry,
            known,
            ai,
            value: (at, 0),
        });
        Ok(())
    }

    /// Closes the value of the AI started last, checking its length and content.
    fn end_value(&mut self) -> Result<(), ElementError> {
        let Some(item) = self.items.last_mut() else {
            return Ok(());
        };
        let start = usize::from(item.value.0);
        let value = &self.data[start..];
        let ai = || item.ai.as_str().to_string();
        if value.len() < item.entry.min_len() {
            return Err(ElementError::TooShort { ai: ai() });
        }
        if value.len() > item.entry.max_len() {
            return Err(ElementError::TooLong { ai: ai() });
        }
        if value.contains('^') {
            return Err(ElementError::IllegalCaret { ai: ai() });
        }
        item.value.1 = value.len() as u16;
        Ok(())
    }

    fn finish(self) -> Result<AiString, ElementError> {
        let m = AiString {
            data: self.data,
            items: self.items,
            composite_at: self.composite_at,
        };
        if m.items.is_empty() || m.composite_at == Some(m.items.len()) {
            return Err(ElementError::Empty);
        }
        for v in &m.items {
            let (at, len) = (usize::from(v.value.0), usize::from(v.value.1));
            lint_value(v.entry, v.ai, &m.data.as_bytes()[at..at + len])?;
        }
        Ok(m)
    }
}

/// Parses `(01)...(10)...`, with `\(` for a literal bracket and `|` before a composite part.
pub(super) fn bracketed(
    dict: &'static Dictionary,
    s: &str,
    opts: &Options,
) -> Result<AiString, ElementError> {
    check_len(s)?;
    let b = s.as_bytes();
    let mut out = Builder::new(s.len() + 8);
    let mut p = 0;
    while p < b.len() {
        if b[p] == b'|' && out.composite_at.is_none() && !out.items.is_empty() {
            out.data.push('|');
            out.composite_at = Some(out.items.len());
            out.fnc1_pending = true;
            p += 1;
            continue;
        }
        if b[p] != b'(' {
            return Err(ElementError::Syntax {
                position: p,
                reason: "expected '(' to start an AI",
            });
        }
        let close = memchr(b')', &b[p + 1..]).ok_or(ElementError::Syntax {
            position: p,
            reason: "an AI is missing its ')'",
        })? + p
            + 1;
        let ai = &s[p + 1..close];
        let (entry, known) = unknown::lookup_exact(dict, ai.as_bytes(), opts.permit_unknown_ais)
            .ok_or_else(|| ElementError::UnknownAi {
                ai: ai.into(),
                position: p,
            })?;
        out.start_ai(entry, known, ai)?;
        p = close + 1;
        if p == b.len() {
            return Err(ElementError::Syntax {
                position: p,
                reason: "an AI has no value",
            });
        }
        // The value runs to the next unescaped '(' or the composite separator.
        let mut run = p;
        while p < b.len() && b[p] != b'|' {
            if b[p] == b'(' {
                if b[p - 1] != b'\\' {
                    break;
                }
                out.data.push_str(&s[run..p - 1]);
                out.data.push('(');
                run = p + 1;
            }
            p += 1;
        }
        out.data.push_str(&s[run..p]);
        out.end_value()?;
    }
    out.finish()
}

/// Builds a message from AI/value pairs given apart (Digital Link path and query).
pub(super) fn pairs<'p>(
    dict: &'static Dictionary,
    pairs: impl IntoIterator<Item = (&'p str, &'p str)>,
    opts: &Options,
) -> Result<AiString, ElementError> {
    let mut out = Builder::new(64);
    for (i, (ai, value)) in pairs.into_iter().enumerate() {
        let (entry, known) = unknown::lookup_exact(dict, ai.as_bytes(), opts.permit_unknown_ais)
            .ok_or_else(|| ElementError::UnknownAi {
                ai: ai.into(),
                position: i,
            })?;
        out.start_ai(entry, known, ai)?;
        out.data.push_str(value);
        check_len(&out.data)?;
        out.end_value()?;
    }
    out.finish()
}

/// Builds a message from AIs whose dictionary entries the caller has already resolved (with
/// whether each AI is known), sparing a second lookup.
pub(super) fn resolved<'p>(
    items: impl IntoIterator<Item = (&'static AiEntry, bool, &'p str, &'p str)>,
) -> Result<AiString, ElementError> {
    let mut out = Builder::new(64);
    for (entry, known, ai, value) in items {
        out.start_ai(entry, known, ai)?;
        out.data.push_str(value);
        check_len(&out.data)?;
        out.end_value()?;
    }
    out.finish()
}

/// Parses `^01...10...^21...`: FNC1 in first position, `^` after variable-length values.
pub(super) fn unbracketed(
    dict: &'static Dictionary,
    owned: String,
    opts: &Options,
) -> Result<AiString, ElementError> {
    let s = owned.as_str();
    check_len(s)?;
    let b = s.as_bytes();
    if b.first() != Some(&b'^') {
        return Err(ElementError::MissingFnc1);
    }
    if b.len() == 1 {
        return Err(ElementError::Empty);
    }
    let mut items = Vec::with_capacity(8);
    let mut composite_at = None;
    let mut p = 1;
    while p < b.len() {
        if b[p] == b'|'
            && composite_at.is_none()
            && !items.is_empty()
            && b.get(p + 1) == Some(&b'^')
        {
            composite_at = Some(items.len());
            p += 2;
            continue;
        }
        let rest = || ElementError::NoAiForPrefix {
            position: p,
            rest: s[p..].into(),
        };
        let (entry, known, ai_len) =
            unknown::lookup_prefix(dict, &b[p..], opts.permit_unknown_ais).ok_or_else(rest)?;
        let ai = &s[p..p + ai_len];
        p += ai_len;
        // A predefined-length value ends at its length at the latest: no need to look further
        // for a separator.
        let limit = if entry.fnc1_required() {
            b.len()
        } else {
            b.len().min(p + entry.max_len())
        };
        let end = p + b[p..limit]
            .iter()
            .position(|&c| c == b'^' || c == b'|')
            .unwrap_or(limit - p);
        let code = Ai::new(ai.as_bytes()).unwrap_or(entry.ai());
        let used = lint_value(entry, code, &b[p..end])?;
        if items.len() >= MAX_AIS {
            return Err(ElementError::TooManyAis { max: MAX_AIS });
        }
        items.push(AiValue {
            entry,
            known,
            ai: code,
            value: (p as u16, used as u16),
        });
        p += used;
        if entry.fnc1_required() && p < b.len() && b[p] != b'^' && b[p] != b'|' {
            return Err(ElementError::TooLong { ai: ai.into() });
        }
        if b.get(p) == Some(&b'^') {
            p += 1;
        }
    }
    if composite_at == Some(items.len()) {
        return Err(ElementError::Empty);
    }
    Ok(AiString {
        data: owned,
        items,
        composite_at,
    })
}

/// Checks a value against its entry's components and linters; returns how many bytes the
/// components consumed.
fn lint_value(entry: &AiEntry, ai: Ai, value: &[u8]) -> Result<usize, ElementError> {
    if value.is_empty() {
        return Err(ElementError::EmptyValue {
            ai: ai.to_string(),
            position: 0,
        });
    }
    let mut p = 0;
    for comp in entry.components() {
        let len = (value.len() - p).min(usize::from(comp.max));
        if comp.optional && len == 0 {
            continue;
        }
        if len < usize::from(comp.min) {
            return Err(ElementError::IncorrectLength { ai: ai.to_string() });
        }
        let chunk = &value[p..p + len];
        for linter in std::iter::once(comp.cset.linter()).chain(comp.linters.iter().copied()) {
            if let Err(e) = linter.check(chunk) {
                let at = p + e.start;
                let text =
                    |r: std::ops::Range<usize>| String::from_utf8_lossy(&value[r]).into_owned();
                let markup = format!(
                    "({ai}){}|{}|{}",
                    text(0..at),
                    text(at..at + e.len),
                    text(at + e.len..p + len)
                );
                return Err(ElementError::Lint {
                    ai: ai.to_string(),
                    kind: e.kind,
                    position: at,
                    markup,
                });
            }
        }
        p += len;
    }
    Ok(p)
}

/// Offsets into the data are kept as `u16`, so longer input is refused up front.
fn check_len(s: &str) -> Result<(), ElementError> {
    if s.len() > MAX_DATA {
        return Err(ElementError::DataTooLong {
            len: s.len(),
            max: MAX_DATA,
        });
    }
    Ok(())
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&c| c == needle)
}
