//! The GS1 Barcode Syntax Tests ("linters") named by the syntax dictionary, each checking one
//! component value and, on failure, naming the offending span.

/// A linter named in the GS1 Barcode Syntax Dictionary (or a character-set check implied by a
/// component type).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Linter {
    /// Character set 82 (type `X`).
    Cset82,
    /// Character set 39 (type `Y`).
    Cset39,
    /// Character set 64, URI-safe base64 (type `Z`).
    Cset64,
    /// Digits only (type `N`).
    CsetNumeric,
}

impl Linter {
    /// The linter with the dictionary name `name` (e.g. `"csum"`), if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "cset82" => Some(Self::Cset82),
            "cset39" => Some(Self::Cset39),
            "cset64" => Some(Self::Cset64),
            "csetnumeric" => Some(Self::CsetNumeric),
            _ => None,
        }
    }

    /// Runs the linter over one component value.
    pub fn check(self, value: &[u8]) -> Result<(), LintError> {
        let _ = value;
        Ok(())
    }
}

/// A linter's refusal: what is wrong and where, as a byte span of the component value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LintError {
    /// What is wrong.
    pub kind: LintErrorKind,
    /// Byte offset of the offending span within the component value.
    pub start: usize,
    /// Length in bytes of the offending span.
    pub len: usize,
}

/// What a linter found wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LintErrorKind {
    /// A character outside character set 82.
    InvalidCset82Character,
}
