//! Message-level checks over all AIs: invalid pairs, requisites, repeats, and (8030)'s need for a
//! serialised key.

use super::{AiString, Element, ElementError, Validations};
use crate::ai::{Ai, AiPattern};

/// Runs the enabled checks in the engine's order: mutex, requisites, repeats, digital signature.
pub(super) fn message(m: &AiString, v: &Validations) -> Result<(), ElementError> {
    if !(v.mutex || v.requisites || v.repeats || v.digsig_serial) {
        return Ok(());
    }
    // Checks walk the AIs in lexical order so that the AI named in an error is stable.
    let mut sorted: Vec<Element<'_>> = m.iter().collect();
    sorted.sort_by(|a, b| a.ai.cmp(b.ai));
    if v.mutex {
        mutex(&sorted)?;
    }
    if v.requisites {
        requisites(&sorted)?;
    }
    if v.repeats {
        repeats(&sorted)?;
    }
    if v.digsig_serial {
        digsig_serial(&sorted)?;
    }
    Ok(())
}

/// Finds an AI other than `me` matching `pat`.
fn find<'a>(sorted: &'a [Element<'a>], pat: &AiPattern, me: &str) -> Option<&'a Element<'a>> {
    sorted
        .iter()
        .find(|e| e.ai != me && Ai::new(e.ai.as_bytes()).is_some_and(|ai| pat.matches(ai)))
}

fn mutex(sorted: &[Element<'_>]) -> Result<(), ElementError> {
    for e in sorted.iter().filter(|e| e.known) {
        for pat in e.entry.attrs().exclusions() {
            if let Some(other) = find(sorted, pat, e.ai) {
                return Err(ElementError::InvalidPair {
                    ai: e.ai.into(),
                    other: other.ai.into(),
                });
            }
        }
    }
    Ok(())
}

fn requisites(sorted: &[Element<'_>]) -> Result<(), ElementError> {
    for e in sorted.iter().filter(|e| e.known) {
        for (i, rule) in e.entry.attrs().requisites().iter().enumerate() {
            let met = rule
                .iter()
                .any(|group| group.iter().all(|pat| find(sorted, pat, e.ai).is_some()));
            if !met {
                let required = e
                    .entry
                    .attrs()
                    .as_str()
                    .split(' ')
                    .filter_map(|t| t.strip_prefix("req="))
                    .nth(i)
                    .unwrap_or_default();
                return Err(ElementError::Requisites {
                    ai: e.ai.into(),
                    required: required.into(),
                });
            }
        }
    }
    Ok(())
}

fn repeats(sorted: &[Element<'_>]) -> Result<(), ElementError> {
    for w in sorted.windows(2) {
        if w[0].ai == w[1].ai && w[0].value != w[1].value {
            return Err(ElementError::Repeats { ai: w[0].ai.into() });
        }
    }
    Ok(())
}

fn digsig_serial(sorted: &[Element<'_>]) -> Result<(), ElementError> {
    if !sorted.iter().any(|e| e.ai == "8030") {
        return Ok(());
    }
    for e in sorted
        .iter()
        .filter(|e| matches!(e.ai, "253" | "255" | "8003"))
    {
        if e.value.len() == e.entry.min_len() {
            return Err(ElementError::SerialNotPresent { ai: e.ai.into() });
        }
    }
    Ok(())
}
