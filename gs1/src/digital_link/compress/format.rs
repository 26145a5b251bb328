//! How each AI's value is laid out in the compressed form (numeric or alphanumeric parts, fixed
//! or variable length), derived from the syntax dictionary, and GS1's optimisation codes for
//! common AI sequences.

use crate::ai::{AiEntry, Cset};

/// One part of a value in the compressed form.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Part {
    /// Digits only, written as one binary number; otherwise an encoding indicator and
    /// characters.
    pub(super) numeric: bool,
    /// Exactly `len` characters; otherwise a length field and up to `len` characters.
    pub(super) fixed: bool,
    /// The fixed length, or the maximum.
    pub(super) len: usize,
}

/// The parts of an AI value, at most five.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Layout {
    parts: [Part; 5],
    n: usize,
}

impl Layout {
    /// The parts in order.
    pub(super) fn parts(&self) -> &[Part] {
        &self.parts[..self.n]
    }
}

/// The layout of an AI's value: the dictionary's components, merged the way the GS1 General
/// Specifications state AI formats (which is what the compression table follows): adjacent
/// mandatory fixed-length components of one kind become one (`N1 N13` of AI (8003) is `N14`,
/// `X1 X1 X1` of AI (7040) is `X3`), adjacent optional or variable numeric components become one
/// variable part (`[N2] [N2]` of AI (8008) is `N..4`), and alphanumeric components that include
/// an optional or variable one merge into one variable part (`X2 X..28` of AI (7230) is
/// `X..30`). This reproduces GS1's compression table for every AI it lists, except where
/// the General Specifications have since changed the format: (235) is `X..28` (not `N3+X..28`),
/// (8007) is `X..34` (not `X..24`), (8013) is `X..25` (not `X..30`, same length field).
pub(super) fn layout(entry: &AiEntry) -> Layout {
    let mut out = Layout::default();
    for c in entry.components() {
        let numeric = c.cset == Cset::N;
        let fixed = c.min == c.max && !c.optional;
        let len = usize::from(c.max);
        if out.n > 0 {
            let last = &mut out.parts[out.n - 1];
            if last.numeric == numeric {
                if !numeric {
                    *last = Part {
                        numeric,
                        fixed: last.fixed && fixed,
                        len: last.len + len,
                    };
                    continue;
                }
                if last.fixed == fixed {
                    last.len += len;
                    continue;
                }
            }
        }
        if out.n < out.parts.len() {
            out.parts[out.n] = Part {
                numeric,
                fixed,
                len,
            };
            out.n += 1;
        }
    }
    out
}

/// GS1's optimisation codes: one 8-bit code standing for a sequence of AIs whose values follow
/// in that order. Codes use a hex digit above 9, so they cannot be mistaken for an AI.
pub(super) const OPTIMISATIONS: &[(u8, &[&str])] = &[
    (0x0A, &["01", "22"]),
    (0x0B, &["01", "10"]),
    (0x0C, &["01", "21"]),
    (0x0D, &["01", "17"]),
    (0x0E, &["01", "7003"]),
    (0x0F, &["01", "30"]),
    (0x1A, &["01", "10", "21", "17"]),
    (0x1B, &["01", "15"]),
    (0x1C, &["01", "11"]),
    (0x1D, &["01", "16"]),
    (0x1E, &["01", "91"]),
    (0x1F, &["01", "10", "15"]),
    (0x2A, &["01", "3100"]),
    (0x2B, &["01", "3101"]),
    (0x2C, &["01", "3102"]),
    (0x2D, &["01", "3103"]),
    (0x2E, &["01", "3104"]),
    (0x2F, &["01", "3105"]),
    (0x3A, &["01", "3200"]),
    (0x3B, &["01", "3201"]),
    (0x3C, &["01", "3202"]),
    (0x3D, &["01", "3203"]),
    (0x3E, &["01", "3204"]),
    (0x3F, &["01", "3205"]),
    (0x9A, &["8010", "8011"]),
    (0x9B, &["8017", "8019"]),
    (0x9C, &["8018", "8019"]),
    (0x9D, &["414", "254"]),
    (0xA0, &["01", "3920"]),
    (0xA1, &["01", "3921"]),
    (0xA2, &["01", "3922"]),
    (0xA3, &["01", "3923"]),
    (0xA4, &["01", "3924"]),
    (0xA5, &["01", "3925"]),
    (0xA6, &["01", "3926"]),
    (0xA7, &["01", "3927"]),
    (0xA8, &["01", "3928"]),
    (0xA9, &["01", "3929"]),
    (0xC0, &["255", "3900"]),
    (0xC1, &["255", "3901"]),
    (0xC2, &["255", "3902"]),
    (0xC3, &["255", "3903"]),
    (0xC4, &["255", "3904"]),
    (0xC5, &["255", "3905"]),
    (0xC6, &["255", "3906"]),
    (0xC7, &["255", "3907"]),
    (0xC8, &["255", "3908"]),
    (0xC9, &["255", "3909"]),
    (0xCA, &["255", "3940"]),
    (0xCB, &["255", "3941"]),
    (0xCC, &["255", "3942"]),
    (0xCD, &["255", "3943"]),
];

/// The AI sequence an optimisation code stands for.
pub(super) fn optimisation(code: u8) -> Option<&'static [&'static str]> {
    OPTIMISATIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, ais)| *ais)
}

/// Chooses optimisation codes greedily as GS1's toolkit does: while some code's AIs are all
/// among `ais`, take the one covering the most AI digits (the first in table order on a tie)
/// and remove its AIs. Returns the codes in the order chosen; `ais` keeps the rest.
pub(super) fn choose_optimisations(ais: &mut Vec<&str>) -> Vec<u8> {
    let mut chosen = Vec::new();
    loop {
        let best = OPTIMISATIONS
            .iter()
            .filter(|(_, seq)| seq.iter().all(|a| ais.contains(a)))
            .fold(None::<(u8, &[&str], usize)>, |best, &(code, seq)| {
                let score = seq.iter().map(|a| a.len()).sum();
                match best {
                    Some((_, _, s)) if s >= score => best,
                    _ => Some((code, seq, score)),
                }
            });
        let Some((code, seq, _)) = best else {
            return chosen;
        };
        ais.retain(|a| !seq.contains(a));
        chosen.push(code);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ai::Dictionary;

    fn show(ai: &str) -> String {
        let entry = Dictionary::embedded().get(ai).unwrap();
        layout(entry)
            .parts()
            .iter()
            .map(|p| {
                let kind = if p.numeric { 'N' } else { 'X' };
                let dots = if p.fixed { "" } else { ".." };
                format!("{kind}{dots}{}", p.len)
            })
            .collect::<Vec<_>>()
            .join("+")
    }

    #[test]
    fn layouts_follow_the_general_specifications_formats() {
        assert_eq!(show("01"), "N14");
        assert_eq!(show("10"), "X..20");
        assert_eq!(show("253"), "N13+X..17");
        assert_eq!(show("255"), "N13+N..12");
        assert_eq!(show("8003"), "N14+X..16");
        assert_eq!(show("8006"), "N18");
        assert_eq!(show("7040"), "N1+X3");
        assert_eq!(show("8008"), "N8+N..4");
        assert_eq!(show("7007"), "N6+N..6");
        assert_eq!(show("7230"), "X..30");
        assert_eq!(show("3910"), "N3+N..15");
        assert_eq!(show("4330"), "N6+X..1");
    }

    #[test]
    fn optimisations_prefer_the_longest_sequence() {
        let mut ais = vec!["01", "10", "15", "21"];
        assert_eq!(choose_optimisations(&mut ais), vec![0x1F]);
        assert_eq!(ais, vec!["21"]);
        let mut ais = vec!["01", "10", "17", "21"];
        assert_eq!(choose_optimisations(&mut ais), vec![0x1A]);
        let mut ais = vec!["01", "22", "8018", "8019"];
        assert_eq!(choose_optimisations(&mut ais), vec![0x9C, 0x0A]);
        assert!(ais.is_empty());
    }
}
