//! One dictionary entry (an AI and its value specification) and the parser for one line.

use std::fmt;

use super::{Attributes, DictError, MAX_AI_LEN, MIN_AI_LEN, attrs};
use crate::lint::Linter;

/// An Application Identifier code: 2 to 4 digits.
#[derive(Clone, Copy)]
pub struct Ai {
    digits: [u8; MAX_AI_LEN],
    len: u8,
}

impl Ai {
    /// The AI whose digits are `s`, if `s` is 2 to 4 ASCII digits.
    pub fn new(s: &[u8]) -> Option<Self> {
        if !(MIN_AI_LEN..=MAX_AI_LEN).contains(&s.len()) || !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let mut digits = [0; MAX_AI_LEN];
        digits[..s.len()].copy_from_slice(s);
        Some(Self {
            digits,
            len: s.len() as u8,
        })
    }

    /// The digits, e.g. `"01"`.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored.
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }

    /// The digits as bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.digits[..usize::from(self.len)]
    }

    /// The digits as a big-endian integer (zero-padded), so that comparing keys compares AIs
    /// lexically without a call to `memcmp`.
    pub(crate) fn key(&self) -> u32 {
        u32::from_be_bytes(self.digits)
    }

    /// Number of digits (2 to 4).
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }
}

impl PartialEq for Ai {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key() && self.len == other.len
    }
}

impl Eq for Ai {}

impl std::hash::Hash for Ai {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.key(), self.len).hash(state);
    }
}

impl PartialOrd for Ai {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ai {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.key(), self.len).cmp(&(other.key(), other.len))
    }
}

impl fmt::Display for Ai {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Ai {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ai({})", self.as_str())
    }
}

/// The character set a component's type letter implies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cset {
    /// `N`: digits.
    N,
    /// `X`: GS1 AI encodable character set 82.
    X,
    /// `Y`: GS1 AI encodable character set 39.
    Y,
    /// `Z`: URI-safe base64 (character set 64).
    Z,
}

impl Cset {
    /// The linter that checks this character set.
    pub fn linter(self) -> Linter {
        match self {
            Self::N => Linter::CsetNumeric,
            Self::X => Linter::Cset82,
            Self::Y => Linter::Cset39,
            Self::Z => Linter::Cset64,
        }
    }

    /// The type letter as written in the dictionary.
    pub fn letter(self) -> char {
        match self {
            Self::N => 'N',
            Self::X => 'X',
            Self::Y => 'Y',
            Self::Z => 'Z',
        }
    }
}

/// One component of an AI value: a character set, a length range and extra linters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Component {
    /// The character set.
    pub cset: Cset,
    /// Minimum length.
    pub min: u8,
    /// Maximum length.
    pub max: u8,
    /// Whether the component may be omitted once the data runs out.
    pub optional: bool,
    /// Linters run after the character-set check, in order (at most 3).
    pub linters: Vec<Linter>,
}

/// A dictionary entry: one AI and everything the dictionary says about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AiEntry {
    pub(super) ai: Ai,
    pub(super) fnc1_required: bool,
    pub(super) dl_data_attr: bool,
    pub(super) components: Vec<Component>,
    pub(super) attrs: Attributes,
    pub(super) title: Box<str>,
    pub(super) min_len: usize,
    pub(super) max_len: usize,
}

impl AiEntry {
    /// The AI.
    pub fn ai(&self) -> Ai {
        self.ai
    }
    /// Whether an FNC1 separator must follow the value when another AI follows.
    pub fn fnc1_required(&self) -> bool {
        self.fnc1_required
    }
    /// Whether the AI may appear as a Digital Link data attribute (query parameter).
    pub fn dl_data_attr(&self) -> bool {
        self.dl_data_attr
    }
    /// The value's components.
    pub fn components(&self) -> &[Component] {
        &self.components
    }
    /// The relationship attributes.
    pub fn attrs(&self) -> &Attributes {
        &self.attrs
    }
    /// The short title, e.g. `"GTIN"`.
    pub fn title(&self) -> &str {
        &self.title
    }
    /// Minimum value length (sum of the mandatory components' minimums).
    pub fn min_len(&self) -> usize {
        self.min_len
    }
    /// Maximum value length (sum of every component's maximum).
    pub fn max_len(&self) -> usize {
        self.max_len
    }
}

/// Parses one dictionary line into the entries it defines (none for a comment or blank line;
/// several for an AI range). `line_no` is only used in errors.
pub fn parse_entry_line(line: &str, line_no: usize) -> Result<Vec<AiEntry>, DictError> {
    let (spec, title) = split_title(line);
    let mut tokens = spec.split_ascii_whitespace().peekable();
    let Some(ai_field) = tokens.next() else {
        return match title {
            // A line that starts with "#" is a comment.
            Some(_) => Ok(Vec::new()),
            None => Ok(Vec::new()),
        };
    };
    let (first, last) = parse_ai_range(ai_field).ok_or_else(|| DictError::BadAi {
        line: line_no,
        field: ai_field.into(),
    })?;

    let mut fnc1_required = true;
    let mut dl_data_attr = false;
    while let Some(tok) = tokens.peek() {
        if !tok.bytes().all(is_flag_char) {
            break;
        }
        fnc1_required &= !tok.contains('*');
        dl_data_attr |= tok.contains('?');
        tokens.next();
    }

    let mut components = Vec::new();
    while let Some(tok) = tokens.peek() {
        if tok.as_bytes()[0].is_ascii_lowercase() {
            break;
        }
        components.push(parse_component(tok, line_no)?);
        tokens.next();
    }
    check_components(&components, line_no)?;

    let attr_tokens: Vec<&str> = tokens.collect();
    let attrs = attrs::parse(&attr_tokens, line_no)?;

    let title = match title {
        Some(t) => {
            let t = t.trim();
            if !t.chars().all(is_title_char) {
                return Err(DictError::BadTitle {
                    line: line_no,
                    title: t.into(),
                });
            }
            t
        }
        None => "",
    };

    let min_len = components
        .iter()
        .filter(|c| !c.optional)
        .map(|c| usize::from(c.min))
        .sum();
    let max_len = components.iter().map(|c| usize::from(c.max)).sum();
    let width = ai_field.find('-').unwrap_or(ai_field.len());
    Ok((first..=last)
        .map(|n| AiEntry {
            ai: ai_from_number(n, width),
            fnc1_required,
            dl_data_attr,
            components: components.clone(),
            attrs: attrs.clone(),
            title: title.into(),
            min_len,
            max_len,
        })
        .collect())
}

/// Splits off the title: everything after a whitespace-separated `#`.
fn split_title(line: &str) -> (&str, Option<&str>) {
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            return (&line[..i], Some(&line[i + 1..]));
        }
    }
    (line, None)
}

fn is_flag_char(b: u8) -> bool {
    b.is_ascii_punctuation() && b != b'#'
}

fn is_title_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || " #()-+,./²³".contains(c)
}

/// Parses `01` or `3100-3105` into the numeric range it covers.
fn parse_ai_range(field: &str) -> Option<(u32, u32)> {
    let (a, b) = match field.split_once('-') {
        Some((a, b)) => (a, Some(b)),
        None => (field, None),
    };
    Ai::new(a.as_bytes())?;
    let first: u32 = a.parse().ok()?;
    let Some(b) = b else {
        return Some((first, first));
    };
    Ai::new(b.as_bytes())?;
    // Both ends have the same width and differ only in their last digit.
    if b.len() != a.len() || a[..a.len() - 1] != b[..b.len() - 1] {
        return None;
    }
    let last: u32 = b.parse().ok()?;
    (last > first).then_some((first, last))
}

fn ai_from_number(n: u32, width: usize) -> Ai {
    let s = format!("{n:0width$}");
    Ai::new(s.as_bytes()).unwrap_or(Ai {
        digits: *b"0000",
        len: width as u8,
    })
}

/// Parses `N13,csum`, `[N..12]` or `[N3],iso3166`.
fn parse_component(tok: &str, line: usize) -> Result<Component, DictError> {
    let bad = |reason| DictError::BadComponent {
        line,
        field: tok.into(),
        reason,
    };
    let mut parts = tok.split(',');
    let mut spec = parts.next().unwrap_or_default();
    let optional = spec.starts_with('[');
    if optional {
        spec = spec
            .strip_prefix('[')
            .and_then(|s| s.strip_suffix(']'))
            .ok_or_else(|| bad("unbalanced brackets"))?;
    }
    let mut chars = spec.chars();
    let cset = match chars.next() {
        Some('N') => Cset::N,
        Some('X') => Cset::X,
        Some('Y') => Cset::Y,
        Some('Z') => Cset::Z,
        _ => return Err(bad("type must be N, X, Y or Z")),
    };
    let len = chars.as_str();
    let (variable, digits) = match len.strip_prefix("..") {
        Some(d) => (true, d),
        None => (false, len),
    };
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad("length must be 1 or 2 digits"));
    }
    let max: u8 = digits
        .parse()
        .map_err(|_| bad("length must be 1 or 2 digits"))?;
    if max == 0 {
        return Err(bad("length must be at least 1"));
    }
    let min = if variable { 1 } else { max };
    let mut linters = Vec::new();
    for name in parts {
        let linter = Linter::from_name(name).ok_or_else(|| DictError::UnknownLinter {
            line,
            name: name.into(),
        })?;
        linters.push(linter);
    }
    if linters.len() > 3 {
        return Err(bad("at most 3 linters per component"));
    }
    Ok(Component {
        cset,
        min,
        max,
        optional,
        linters,
    })
}

fn check_components(components: &[Component], line: usize) -> Result<(), DictError> {
    let err = |reason| Err(DictError::BadSpecification { line, reason });
    if components.is_empty() {
        return Err(DictError::NoComponents { line });
    }
    if components.len() > 5 {
        return err("at most 5 components");
    }
    let last = components.len() - 1;
    if components[..last].iter().any(|c| c.min != c.max) {
        return err("only the last component may have a variable length");
    }
    if components
        .windows(2)
        .any(|w| w[0].optional && !w[1].optional)
    {
        return err("a mandatory component follows an optional one");
    }
    Ok(())
}
