//! Digital Link generation from a message, as GS1's Barcode Syntax Engine does it: choose the
//! primary key and the longest qualifier sequence present, put everything else in the query.

use super::escape::{UriPart, escape_into};
use super::{CANONICAL_STEM, DlError, path_seq};
use crate::ai::Ai;
use crate::element::{AiString, Element, Options};

/// The most AIs a path can hold: a key and up to five qualifiers (the engine's bound).
const MAX_PATH: usize = 6;

/// A message's elements with their AIs, gathered once for the passes generation makes.
pub(super) struct Items<'a> {
    els: Vec<(Element<'a>, Option<Ai>)>,
}

impl<'a> Items<'a> {
    pub(super) fn new(m: &'a AiString) -> Self {
        Self {
            els: m.iter().map(|e| (e, Ai::new(e.ai.as_bytes()))).collect(),
        }
    }

    fn position(&self, ai: Ai) -> Option<usize> {
        self.els.iter().position(|(_, a)| *a == Some(ai))
    }
}

/// Which elements of a message form the path, by index, in path order.
#[derive(Clone, Copy, Debug)]
pub(super) struct PathChoice {
    idx: [u8; MAX_PATH],
    len: u8,
}

impl PathChoice {
    /// The first `n` elements, in order (a message read from a Digital Link URI).
    pub(super) fn first(n: usize) -> Self {
        let mut choice = Self::empty();
        for i in 0..n.min(MAX_PATH) {
            choice.push(i);
        }
        choice
    }

    fn empty() -> Self {
        Self {
            idx: [0; MAX_PATH],
            len: 0,
        }
    }

    fn push(&mut self, i: usize) {
        let at = usize::from(self.len);
        if at < MAX_PATH {
            self.idx[at] = i as u8;
            self.len += 1;
        }
    }

    fn indices(&self) -> impl Iterator<Item = usize> + '_ {
        self.idx[..usize::from(self.len)]
            .iter()
            .map(|&i| usize::from(i))
    }

    /// Whether element `i` has the AI of a path element.
    fn covers(&self, items: &Items<'_>, i: usize) -> bool {
        let ai = items.els[i].1;
        ai.is_some() && self.indices().any(|p| items.els[p].1 == ai)
    }
}

impl AiString {
    /// Generates a GS1 Digital Link URI from the message, as the engine does, refusing unknown
    /// AIs as query parameters (see [`AiString::to_digital_link_with`]).
    ///
    /// ```
    /// use gs1::element::{AiString, Options};
    /// let m = AiString::parse_bracketed("(21)XYZ(01)09506000134352(10)ABC123(17)201225",
    ///                                   &Options::default())?;
    /// assert_eq!(m.to_digital_link(None)?,
    ///            "https://id.gs1.org/01/09506000134352/10/ABC123/21/XYZ?17=201225");
    /// assert_eq!(m.to_digital_link(Some("https://example.com/"))?,
    ///            "https://example.com/01/09506000134352/10/ABC123/21/XYZ?17=201225");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_digital_link(&self, stem: Option<&str>) -> Result<String, super::DlError> {
        self.to_digital_link_with(stem, &Options::default())
    }

    /// Generates a GS1 Digital Link URI from the message, as the engine does.
    ///
    /// * The primary key is the first AI of the message that is a Digital Link primary key.
    /// * The path is the key then the longest of its qualifier sequences whose AIs are all in
    ///   the message (the first such in the engine's order on a tie).
    /// * Every other AI goes to the query: predefined-length AIs first, then the others, each
    ///   group in message order; a repeated AI appears once.
    /// * `stem` defaults to [`CANONICAL_STEM`]; one trailing `/` is dropped.
    ///
    /// Fails with [`DlError::NoPrimaryKey`] without a key, and with
    /// [`DlError::NotDataAttribute`] if a query AI lacks the dictionary's `?` flag, or is
    /// unknown while `opts.validations.unknown_ai_not_dl_attr` is on (the only option used).
    ///
    /// A message does not remember where it came from: for one read from a Digital Link URI,
    /// [`DigitalLink::to_canonical`](super::DigitalLink::to_canonical) keeps that URI's path
    /// (as the engine does), which matters when the path used a shorter alternative, e.g.
    /// `/01/…/235/…?10=…`, where this method would choose `/01/…/10/…` and then refuse (235).
    pub fn to_digital_link_with(
        &self,
        stem: Option<&str>,
        opts: &Options,
    ) -> Result<String, DlError> {
        let items = Items::new(self);
        let path = select_path(&items, false).ok_or_else(|| DlError::NoPrimaryKey {
            input: self.to_bracketed(),
        })?;
        let strict = opts.validations.unknown_ai_not_dl_attr;
        if let Some((e, _)) = (0..items.els.len())
            .filter(|&i| !path.covers(&items, i))
            .map(|i| items.els[i])
            .find(|(e, _)| !is_attribute(e, strict))
        {
            return Err(DlError::NotDataAttribute { ai: e.ai.into() });
        }
        Ok(write_uri(stem.unwrap_or(CANONICAL_STEM), &items, path))
    }
}

/// Whether an AI may be a query parameter.
pub(super) fn is_attribute(e: &Element<'_>, unknown_ai_not_dl_attr: bool) -> bool {
    if e.known {
        e.entry.dl_data_attr()
    } else {
        !unknown_ai_not_dl_attr
    }
}

/// Chooses the path: the first primary key AI of the message and the first longest qualifier
/// sequence all present. With `robust`, a longer sequence is skipped when it would leave an AI
/// that may not be a query parameter, and a shorter one that does not is taken instead (used
/// when decompressing, where the path/query split is not recorded).
pub(super) fn select_path(items: &Items<'_>, robust: bool) -> Option<PathChoice> {
    let key_at = items
        .els
        .iter()
        .position(|(e, _)| e.known && path_seq::is_primary_key(e.entry))?;
    let key_ai = items.els[key_at].1?;
    let mut best: Option<PathChoice> = None;
    'candidates: for seq in path_seq::candidate_sequences(key_ai) {
        if seq.len() + 1 > MAX_PATH || best.is_some_and(|b| usize::from(b.len) > seq.len()) {
            continue;
        }
        let mut choice = PathChoice::empty();
        choice.push(key_at);
        for q in seq.iter() {
            match items.position(*q) {
                Some(i) => choice.push(i),
                None => continue 'candidates,
            }
        }
        if robust
            && (0..items.els.len())
                .any(|i| !choice.covers(items, i) && !is_attribute(&items.els[i].0, false))
        {
            continue;
        }
        best = Some(choice);
    }
    best.or_else(|| {
        let mut key_only = PathChoice::empty();
        key_only.push(key_at);
        Some(key_only)
    })
}

/// Writes `stem` (one trailing `/` dropped), the path elements, then every other AI as a query
/// parameter: predefined-length AIs first, then the rest, each in message order, a repeated AI
/// (or one already in the path) once.
pub(super) fn write_uri(stem: &str, items: &Items<'_>, path: PathChoice) -> String {
    let stem = stem.strip_suffix('/').unwrap_or(stem);
    let len: usize = items
        .els
        .iter()
        .map(|(e, _)| e.ai.len() + e.value.len() + 2)
        .sum();
    let mut out = String::with_capacity(stem.len() + len + 16);
    out.push_str(stem);
    for i in path.indices() {
        let (e, _) = &items.els[i];
        out.push('/');
        out.push_str(e.ai);
        out.push('/');
        escape_into(&mut out, e.value, UriPart::Path);
    }
    let mut sep = '?';
    for predefined in [true, false] {
        for (i, (e, ai)) in items.els.iter().enumerate() {
            if e.entry.fnc1_required() == predefined
                || path.covers(items, i)
                || items.els[..i].iter().any(|(_, a)| a == ai)
            {
                continue;
            }
            out.push(sep);
            sep = '&';
            out.push_str(e.ai);
            out.push('=');
            escape_into(&mut out, e.value, UriPart::Query);
        }
    }
    out
}
