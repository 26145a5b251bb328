//! Message-level checks over all AIs: invalid pairs, requisites, repeats, and (8030)'s need for a
//! serialised key.

use super::{AiString, AiValue, ElementError, MAX_AIS, Validations};
use crate::ai::{Ai, AiPattern};

/// Runs the enabled checks in the engine's order: mutex, requisites, repeats, digital signature.
pub(super) fn message(m: &AiString, v: &Validations) -> Result<(), ElementError> {
    if !(v.mutex || v.requisites || v.repeats || v.digsig_serial) {
        return Ok(());
    }
    // Checks walk the AIs in lexical order so that the AI named in an error is stable; the order
    // is kept on the stack because this runs on every parse.
    let n = m.items.len().min(MAX_AIS);
    let mut order = [0u8; MAX_AIS];
    for (i, slot) in order[..n].iter_mut().enumerate() {
        *slot = i as u8;
    }
    let sorted = &mut order[..n];
    sorted.sort_unstable_by_key(|&i| m.items[usize::from(i)].ai);
    let view = Sorted { m, order: sorted };
    if v.mutex {
        view.mutex()?;
    }
    if v.requisites {
        view.requisites()?;
    }
    if v.repeats {
        view.repeats()?;
    }
    if v.digsig_serial {
        view.digsig_serial()?;
    }
    Ok(())
}

struct Sorted<'a> {
    m: &'a AiString,
    order: &'a [u8],
}

impl Sorted<'_> {
    fn iter(&self) -> impl Iterator<Item = &AiValue> + '_ {
        self.order.iter().map(|&i| &self.m.items[usize::from(i)])
    }

    /// Finds an AI other than `me` matching `pat`.
    fn find(&self, pat: &AiPattern, me: Ai) -> Option<Ai> {
        self.iter()
            .map(|v| v.ai)
            .find(|&ai| ai != me && pat.matches(ai))
    }

    fn mutex(&self) -> Result<(), ElementError> {
        for v in self.iter().filter(|v| v.known) {
            for pat in v.entry.attrs().exclusions() {
                if let Some(other) = self.find(pat, v.ai) {
                    return Err(ElementError::InvalidPair {
                        ai: v.ai.to_string(),
                        other: other.to_string(),
                    });
                }
            }
        }
        Ok(())
    }

    fn requisites(&self) -> Result<(), ElementError> {
        for v in self.iter().filter(|v| v.known) {
            for (i, rule) in v.entry.attrs().requisites().iter().enumerate() {
                let met = rule
                    .iter()
                    .any(|group| group.iter().all(|pat| self.find(pat, v.ai).is_some()));
                if !met {
                    let required = v
                        .entry
                        .attrs()
                        .as_str()
                        .split(' ')
                        .filter_map(|t| t.strip_prefix("req="))
                        .nth(i)
                        .unwrap_or_default();
                    return Err(ElementError::Requisites {
                        ai: v.ai.to_string(),
                        required: required.into(),
                    });
                }
            }
        }
        Ok(())
    }

    fn repeats(&self) -> Result<(), ElementError> {
        let mut prev: Option<&AiValue> = None;
        for v in self.iter() {
            if let Some(p) = prev {
                if p.ai == v.ai && self.m.element(p).value != self.m.element(v).value {
                    return Err(ElementError::Repeats {
                        ai: v.ai.to_string(),
                    });
                }
            }
            prev = Some(v);
        }
        Ok(())
    }

    fn digsig_serial(&self) -> Result<(), ElementError> {
        if !self.iter().any(|v| v.ai.as_bytes() == b"8030") {
            return Ok(());
        }
        for v in self
            .iter()
            .filter(|v| matches!(v.ai.as_bytes(), b"253" | b"255" | b"8003"))
        {
            if usize::from(v.value.1) == v.entry.min_len() {
                return Err(ElementError::SerialNotPresent {
                    ai: v.ai.to_string(),
                });
            }
        }
        Ok(())
    }
}
