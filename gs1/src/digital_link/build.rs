//! Digital Link generation from a message, as GS1's Barcode Syntax Engine does it: choose the
//! primary key and the longest qualifier sequence present, put everything else in the query.

use super::escape::{UriPart, escape_into};
use super::{CANONICAL_STEM, DlError, path_seq};
use crate::ai::Ai;
use crate::element::{AiString, Element, Options};

/// The most AIs a path can hold: a key and up to five qualifiers (the engine's bound).
const MAX_PATH: usize = 6;

/// Which elements of a message form the path, by index, in path order.
#[derive(Clone, Copy, Debug)]
pub(super) struct PathChoice {
    idx: [u8; MAX_PATH],
    ais: [Option<Ai>; MAX_PATH],
    len: u8,
}

impl PathChoice {
    /// The first `n` elements of `m`, in order (a message read from a Digital Link URI).
    pub(super) fn first(m: &AiString, n: usize) -> Self {
        let mut choice = Self::empty();
        for (i, e) in m.iter().enumerate().take(n.min(MAX_PATH)) {
            choice.push(i, &e);
        }
        choice
    }

    fn empty() -> Self {
        Self {
            idx: [0; MAX_PATH],
            ais: [None; MAX_PATH],
            len: 0,
        }
    }

    fn push(&mut self, i: usize, e: &Element<'_>) {
        let at = usize::from(self.len);
        if at < MAX_PATH {
            self.idx[at] = i as u8;
            self.ais[at] = ai_of(e);
            self.len += 1;
        }
    }

    fn indices(&self) -> &[u8] {
        &self.idx[..usize::from(self.len)]
    }

    fn contains(&self, e: &Element<'_>) -> bool {
        let ai = ai_of(e);
        ai.is_some() && self.ais[..usize::from(self.len)].contains(&ai)
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
    pub fn to_digital_link_with(
        &self,
        stem: Option<&str>,
        opts: &Options,
    ) -> Result<String, DlError> {
        let path = select_path(self, false).ok_or_else(|| DlError::NoPrimaryKey {
            input: self.to_bracketed(),
        })?;
        let strict = opts.validations.unknown_ai_not_dl_attr;
        if let Some(e) = self
            .iter()
            .find(|e| !path.contains(e) && !is_attribute(e, strict))
        {
            return Err(DlError::NotDataAttribute { ai: e.ai.into() });
        }
        Ok(write_uri(stem.unwrap_or(CANONICAL_STEM), self, path))
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

fn ai_of(e: &Element<'_>) -> Option<Ai> {
    Ai::new(e.ai.as_bytes())
}

/// Chooses the path: the first primary key AI of the message and the first longest qualifier
/// sequence all present. With `robust`, a longer sequence is skipped when it would leave an AI
/// that may not be a query parameter, and a shorter one that does not is taken instead (used
/// when decompressing, where the path/query split is not recorded).
pub(super) fn select_path(m: &AiString, robust: bool) -> Option<PathChoice> {
    let (key_at, key) = m
        .iter()
        .enumerate()
        .find(|(_, e)| e.known && path_seq::is_primary_key(e.entry))?;
    let key_ai = ai_of(&key)?;
    let mut best: Option<PathChoice> = None;
    'candidates: for seq in path_seq::candidate_sequences(key_ai) {
        if seq.len() + 1 > MAX_PATH || best.is_some_and(|b| usize::from(b.len) > seq.len()) {
            continue;
        }
        let mut choice = PathChoice::empty();
        choice.push(key_at, &key);
        for q in seq.iter() {
            match m.iter().enumerate().find(|(_, e)| ai_of(e) == Some(*q)) {
                Some((i, e)) => choice.push(i, &e),
                None => continue 'candidates,
            }
        }
        if robust
            && m.iter()
                .any(|e| !choice.contains(&e) && !is_attribute(&e, false))
        {
            continue;
        }
        best = Some(choice);
    }
    best.or_else(|| {
        let mut key_only = PathChoice::empty();
        key_only.push(key_at, &key);
        Some(key_only)
    })
}

/// Writes `stem` (one trailing `/` dropped), the path elements, then every other AI as a query
/// parameter: predefined-length AIs first, then the rest, each in message order, a repeated AI
/// (or one already in the path) once.
pub(super) fn write_uri(stem: &str, m: &AiString, path: PathChoice) -> String {
    let stem = stem.strip_suffix('/').unwrap_or(stem);
    let mut out = String::with_capacity(stem.len() + m.as_unbracketed().len() + 24);
    out.push_str(stem);
    let elements = || m.iter().enumerate();
    for &i in path.indices() {
        if let Some(e) = m.iter().nth(usize::from(i)) {
            out.push('/');
            out.push_str(e.ai);
            out.push('/');
            escape_into(&mut out, e.value, UriPart::Path);
        }
    }
    let mut sep = '?';
    for predefined in [true, false] {
        for (i, e) in elements() {
            if e.entry.fnc1_required() == predefined
                || path.contains(&e)
                || elements().take(i).any(|(_, p)| p.ai == e.ai)
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
