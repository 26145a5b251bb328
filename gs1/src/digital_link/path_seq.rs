//! Key-qualifier sequences: which AIs may follow a primary key in a Digital Link path, and in
//! which order, from the dictionary's `dlpkey` attributes.

use std::sync::LazyLock;

use crate::ai::{Ai, AiEntry, Dictionary};

/// Whether the dictionary marks this AI as a Digital Link primary key.
pub(crate) fn is_primary_key(entry: &AiEntry) -> bool {
    entry.attrs().dl_primary_key().is_some()
}

/// True if `quals` is an ordered selection from one alternative of `key`'s qualifier paths
/// (any may be skipped, order kept, alternatives not mixed). `quals` is given as an iterator so
/// that callers can test a sequence with one AI inserted without building it.
pub(crate) fn is_valid_sequence<I>(key: &AiEntry, quals: I) -> bool
where
    I: Iterator<Item = Ai> + Clone,
{
    let Some(alternatives) = key.attrs().dl_primary_key() else {
        return false;
    };
    let mut probe = quals.clone();
    if probe.next().is_none() {
        return true;
    }
    alternatives.iter().any(|alt| {
        let mut remaining = alt.iter();
        quals.clone().all(|q| remaining.any(|a| *a == q))
    })
}

/// Each primary key with its qualifier sequences in engine order, sorted by key.
type CandidateTable = Vec<(Ai, Vec<Box<[Ai]>>)>;

/// Every qualifier sequence a key admits (the empty one included), ordered as the engine's
/// sorted table of `"key q1 q2"` strings orders them. Generation picks the first longest
/// sequence present in the message, so this order decides ties.
pub(crate) fn candidate_sequences(key: Ai) -> &'static [Box<[Ai]>] {
    static TABLE: LazyLock<CandidateTable> = LazyLock::new(build_candidates);
    TABLE
        .binary_search_by(|(k, _)| k.cmp(&key))
        .map_or(&[][..], |i| TABLE[i].1.as_slice())
}

/// The candidates of every key, sorted by key for binary search.
fn build_candidates() -> CandidateTable {
    let mut table = Vec::new();
    for entry in Dictionary::embedded().entries() {
        let Some(alternatives) = entry.attrs().dl_primary_key() else {
            continue;
        };
        let mut seqs: Vec<Box<[Ai]>> = vec![Box::new([])];
        for alt in alternatives {
            // Every subset of the alternative, order kept (the engine bounds these at 5 AIs).
            let n = alt.len().min(16);
            for mask in 1u32..(1 << n) {
                let seq: Box<[Ai]> = (0..n)
                    .filter(|i| mask & (1 << i) != 0)
                    .map(|i| alt[i])
                    .collect();
                seqs.push(seq);
            }
        }
        let joined = |s: &[Ai]| s.iter().map(|a| a.as_str()).collect::<Vec<_>>().join(" ");
        seqs.sort_by_cached_key(|s| joined(s));
        seqs.dedup();
        table.push((entry.ai(), seqs));
    }
    table.sort_by_key(|(k, _)| *k);
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ai(s: &str) -> Ai {
        Ai::new(s.as_bytes()).unwrap()
    }

    fn valid(seq: &[&str]) -> bool {
        let key = Dictionary::embedded().get(seq[0]).unwrap();
        is_valid_sequence(key, seq[1..].iter().map(|s| ai(s)))
    }

    #[test]
    fn sequences_follow_dlpkey_order_and_alternatives() {
        assert!(valid(&["01"]));
        assert!(valid(&["01", "22", "10", "21"]));
        assert!(valid(&["01", "22", "21"]));
        assert!(valid(&["01", "235"]));
        assert!(!valid(&["01", "10", "22"]));
        assert!(!valid(&["01", "235", "10"]));
        assert!(!valid(&["01", "99"]));
        assert!(!valid(&["00", "21"]));
        assert!(!valid(&["10"]));
    }

    #[test]
    fn candidates_are_in_engine_order() {
        let got: Vec<String> = candidate_sequences(ai("01"))
            .iter()
            .map(|s| s.iter().map(|a| a.as_str()).collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(
            got,
            [
                "", "10", "10 21", "21", "22", "22 10", "22 10 21", "22 21", "235"
            ]
        );
        assert!(candidate_sequences(ai("10")).is_empty());
    }
}
