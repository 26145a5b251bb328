//! Errors that say where in a document and what: `eventList[3].quantityList[0].uom: ...`.

use std::fmt;

/// Where in a document a value sits, as a JSON path (`eventList[3].readPoint.id`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Path(String);

impl Path {
    /// The document or event itself.
    pub fn root() -> Path {
        Path::default()
    }

    /// The field `name` below this path.
    pub fn field(&self, name: &str) -> Path {
        if self.0.is_empty() {
            Path(name.to_owned())
        } else {
            Path(format!("{}.{name}", self.0))
        }
    }

    /// Item `i` of the array at this path.
    pub fn index(&self, i: usize) -> Path {
        Path(format!("{}[{i}]", self.0))
    }

    /// An error at this path.
    pub fn error(&self, reason: impl Into<String>) -> EventError {
        EventError {
            path: self.clone(),
            reason: reason.into(),
        }
    }

    /// The path as written, empty for the root.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_empty() {
            "(event)"
        } else {
            &self.0
        })
    }
}

/// Why an event or document was refused, and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct EventError {
    /// Where.
    pub path: Path,
    /// Why.
    pub reason: String,
}

impl EventError {
    /// The same error, its path placed below `prefix` (an event's path inside its document).
    pub fn under(self, prefix: &Path) -> EventError {
        let path = if self.path.0.is_empty() {
            prefix.clone()
        } else if self.path.0.starts_with('[') {
            Path(format!("{}{}", prefix.0, self.path.0))
        } else {
            prefix.field(&self.path.0)
        };
        EventError {
            path,
            reason: self.reason,
        }
    }
}
