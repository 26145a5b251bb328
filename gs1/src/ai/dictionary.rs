//! The whole dictionary: parsed once from the embedded GS1 Barcode Syntax Dictionary, indexed
//! for constant-time lookup by AI.

use std::sync::LazyLock;

use super::{AiEntry, DictError, entry::Ai, parse_entry_line};

/// The GS1 Barcode Syntax Dictionary, release 2026-01-27, as shipped in `gs1-data/`.
const EMBEDDED: &str = include_str!("../../../gs1-data/gs1-syntax-dictionary.txt");

const NONE: u16 = u16::MAX;

/// A parsed syntax dictionary with its lookup index.
#[derive(Debug)]
pub struct Dictionary {
    entries: Vec<AiEntry>,
    /// AI length (2..=4) for each two-digit prefix, 0 if no AI has that prefix.
    len_by_prefix: [u8; 100],
    /// Entry index by the AI's numeric value, one table per AI length (2, 3, 4 digits).
    index: [Vec<u16>; 3],
}

impl Dictionary {
    /// The dictionary embedded at compile time.
    pub fn embedded() -> &'static Dictionary {
        static DICT: LazyLock<Dictionary> = LazyLock::new(|| {
            // The embedded file is checked by a unit test, so failing here is a build defect.
            Dictionary::parse(EMBEDDED)
                .unwrap_or_else(|e| panic!("embedded syntax dictionary: {e}"))
        });
        &DICT
    }

    /// Parses a whole dictionary file.
    pub fn parse(text: &str) -> Result<Self, DictError> {
        let mut entries: Vec<AiEntry> = Vec::with_capacity(600);
        let mut len_by_prefix = [0u8; 100];
        let mut index = [vec![NONE; 100], vec![NONE; 1000], vec![NONE; 10000]];
        for (i, line) in text.lines().enumerate() {
            for entry in parse_entry_line(line, i + 1)? {
                let ai = entry.ai();
                let conflict = |reason| DictError::Conflict {
                    line: i + 1,
                    ai: ai.as_str().into(),
                    reason,
                };
                let p = prefix_of(ai.as_bytes());
                match len_by_prefix[p] {
                    0 => len_by_prefix[p] = ai.len() as u8,
                    l if usize::from(l) != ai.len() => {
                        return Err(conflict("differs in length from AIs sharing its prefix"));
                    }
                    _ => {}
                }
                let slot = &mut index[ai.len() - 2][number_of(ai.as_bytes())];
                if *slot != NONE {
                    return Err(conflict("is defined twice"));
                }
                *slot = entries.len() as u16;
                entries.push(entry);
            }
        }
        Ok(Self {
            entries,
            len_by_prefix,
            index,
        })
    }

    /// Every entry, in dictionary order.
    pub fn entries(&self) -> &[AiEntry] {
        &self.entries
    }

    /// The entry for exactly this AI.
    pub fn get(&self, ai: &str) -> Option<&AiEntry> {
        self.get_bytes(ai.as_bytes())
    }

    /// The entry for exactly this AI, given as bytes.
    pub fn get_bytes(&self, ai: &[u8]) -> Option<&AiEntry> {
        let ai = Ai::new(ai)?;
        self.get_ai(ai)
    }

    /// The entry for an [`Ai`].
    pub fn get_ai(&self, ai: Ai) -> Option<&AiEntry> {
        let i = self.index[ai.len() - 2][number_of(ai.as_bytes())];
        self.entries.get(usize::from(i))
    }

    /// The AI length every known AI starting with these two digits has, if any does.
    pub fn ai_len_by_prefix(&self, two_digits: &[u8]) -> Option<usize> {
        if two_digits.len() < 2 || !two_digits[..2].iter().all(u8::is_ascii_digit) {
            return None;
        }
        match self.len_by_prefix[prefix_of(two_digits)] {
            0 => None,
            l => Some(usize::from(l)),
        }
    }

    /// The entry whose AI is a prefix of `data` (for unbracketed element strings).
    pub fn match_prefix(&self, data: &[u8]) -> Option<&AiEntry> {
        let len = self.ai_len_by_prefix(data)?;
        self.get_bytes(data.get(..len)?)
    }
}

fn prefix_of(ai: &[u8]) -> usize {
    usize::from(ai[0] - b'0') * 10 + usize::from(ai[1] - b'0')
}

fn number_of(ai: &[u8]) -> usize {
    ai.iter().fold(0, |n, &d| n * 10 + usize::from(d - b'0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_dictionary_parses_with_every_ai() {
        let d = Dictionary::parse(EMBEDDED).unwrap();
        // The README of the reference data counts 541 AIs on 224 entry lines.
        assert_eq!(d.entries().len(), 541);
        let gtin = d.get("01").unwrap();
        assert_eq!(gtin.title(), "GTIN");
        assert!(!gtin.fnc1_required());
        assert!(gtin.attrs().dl_primary_key().is_some());
        assert_eq!(d.ai_len_by_prefix(b"31"), Some(4));
        assert_eq!(d.match_prefix(b"3103000123").unwrap().ai().as_str(), "3103");
        assert!(d.get("3106").is_none());
        assert!(d.get("0").is_none());
    }

    #[test]
    fn refuses_conflicting_lengths_and_duplicates() {
        assert!(matches!(
            Dictionary::parse("01 N2\n011 N3"),
            Err(DictError::Conflict { line: 2, .. })
        ));
        assert!(matches!(
            Dictionary::parse("01 N2\n01 N3"),
            Err(DictError::Conflict { line: 2, .. })
        ));
    }
}
