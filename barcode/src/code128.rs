//! GS1-128's Code 128 code sets, chosen for the shortest symbol.
//!
//! GS1 data only needs sets B (every character of GS1's set 82) and C (digit pairs); FNC1 exists
//! in both. A dynamic programme over the data picks, at each position, staying or switching,
//! counting symbol characters; the result is written in `barcoders`' syntax: `Ɓ`/`Ć` to start
//! or switch, `Ź` for FNC1.

/// One thing to encode: a data character or FNC1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Token {
    /// FNC1: first, and after each variable-length value that is not last.
    Fnc1,
    /// A data character (printable ASCII).
    Char(u8),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Set {
    B,
    C,
}

const START_B: char = 'Ɓ';
const START_C: char = 'Ć';
const FNC1: char = 'Ź';

fn digit(t: Option<&Token>) -> Option<u8> {
    match t {
        Some(Token::Char(c)) if c.is_ascii_digit() => Some(*c),
        _ => None,
    }
}

/// The barcoders input for `tokens`, and how many symbol characters it takes (start symbol
/// included; check character and stop excluded).
pub(crate) fn encode(tokens: &[Token]) -> (String, usize) {
    let n = tokens.len();
    // cost[i][s]: symbol characters to encode tokens[i..] when in set s at position i.
    let mut cost = vec![[0usize; 2]; n + 1];
    let mut step = vec![[Step::End; 2]; n + 1];
    for i in (0..n).rev() {
        // Without switching first.
        let stay_b = 1 + cost[i + 1][0];
        let stay_c = match (&tokens[i], digit(tokens.get(i + 1))) {
            (Token::Fnc1, _) => Some((1 + cost[i + 1][1], Step::Fnc1)),
            (Token::Char(c), Some(_)) if c.is_ascii_digit() => {
                Some((1 + cost[i + 2][1], Step::Pair))
            }
            _ => None,
        };
        let b_step = if tokens[i] == Token::Fnc1 {
            Step::Fnc1
        } else {
            Step::Single
        };
        // In B: stay, or switch to C when C can take this position.
        cost[i][0] = stay_b;
        step[i][0] = b_step;
        if let Some((c_cost, _)) = stay_c
            && 1 + c_cost < cost[i][0]
        {
            cost[i][0] = 1 + c_cost;
            step[i][0] = Step::Switch;
        }
        // In C: stay when possible, else switch to B.
        match stay_c {
            Some((c_cost, s)) if c_cost <= 1 + stay_b => {
                cost[i][1] = c_cost;
                step[i][1] = s;
            }
            _ => {
                cost[i][1] = 1 + stay_b;
                step[i][1] = Step::Switch;
            }
        }
    }
    // The start symbol picks the first set for free (it is one symbol either way).
    let start = if n > 0 && step[0][1] != Step::Switch && cost[0][1] <= cost[0][0] {
        Set::C
    } else {
        Set::B
    };
    let mut out = String::with_capacity(n + 8);
    out.push(if start == Set::C { START_C } else { START_B });
    // Symbol character values, for the check character.
    let mut values = vec![if start == Set::C { 105 } else { 104 }];
    let (mut i, mut set) = (0, start);
    while i < n {
        match step[i][set as usize] {
            Step::Switch => {
                values.push(if set == Set::B { 99 } else { 100 });
                set = if set == Set::B { Set::C } else { Set::B };
                out.push(if set == Set::C { START_C } else { START_B });
            }
            Step::Fnc1 => {
                out.push(FNC1);
                values.push(102);
                i += 1;
            }
            Step::Pair => {
                let mut pair = 0;
                for t in &tokens[i..i + 2] {
                    if let Token::Char(c) = t {
                        out.push(char::from(*c));
                        pair = pair * 10 + u32::from(c - b'0');
                    }
                }
                values.push(pair);
                i += 2;
            }
            Step::Single => {
                if let Token::Char(c) = tokens[i] {
                    out.push(char::from(c));
                    values.push(u32::from(c) - 32);
                }
                i += 1;
            }
            Step::End => break,
        }
    }
    // ZXing-based readers (phones among them) decode the check character as data: in set B a
    // value of 96 and above reads as a function character (FNC2 turns `]C1` into `]C4`, FNC1
    // leaves a trailing GS), in set C one of 100 and above. When the check character would be
    // such a value, one more code set switch before it changes it; the symbol is as valid and
    // 11 modules longer.
    let unsafe_check = |values: &[u32], set: Set| {
        let check = checksum(values);
        match set {
            Set::B => check >= 96,
            Set::C => check >= 100,
        }
    };
    if unsafe_check(&values, set) {
        values.push(if set == Set::B { 99 } else { 100 });
        set = if set == Set::B { Set::C } else { Set::B };
        out.push(if set == Set::C { START_C } else { START_B });
        if unsafe_check(&values, set) {
            values.push(if set == Set::B { 99 } else { 100 });
            out.push(if set == Set::B { START_C } else { START_B });
        }
    }
    (out, values.len())
}

/// The Code 128 check value: the start value plus each value times its position, modulo 103.
fn checksum(values: &[u32]) -> u32 {
    let sum: u32 = values
        .iter()
        .enumerate()
        .map(|(i, v)| v * (i as u32).max(1))
        .sum();
    sum % 103
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    End,
    Switch,
    Fnc1,
    Pair,
    Single,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(s: &str) -> Vec<Token> {
        s.bytes()
            .map(|b| {
                if b == b'^' {
                    Token::Fnc1
                } else {
                    Token::Char(b)
                }
            })
            .collect()
    }

    #[test]
    fn digits_go_in_pairs_and_letters_switch_to_b() {
        // FNC1, 16 digits: start C, FNC1, 8 pairs.
        assert_eq!(
            encode(&tokens("^0109506000134352")),
            ("ĆŹ0109506000134352".to_owned(), 10)
        );
        // Digits then letters: C for the pairs, B for the lot.
        let (s, n) = encode(&tokens("^010950600013435210ABC"));
        assert_eq!(s, "ĆŹ010950600013435210ƁABC");
        assert_eq!(n, 1 + 1 + 9 + 1 + 3);
        // An odd digit run: one digit in B is cheaper than switching twice.
        let (s, _) = encode(&tokens("^10A1B"));
        assert_eq!(s, "ĆŹ10ƁA1B");
    }

    #[test]
    fn no_check_character_reads_as_a_function_character() {
        // The lot that gave check value 97 (FNC2) in set B.
        let (s, _) = encode(&tokens("^010893456700001710CF2026A"));
        assert_eq!(s, "ĆŹ010893456700001710ƁCF2026AĆ");
        for data in [
            "^10ABC",
            "^21XYZ123",
            "^0109506000134352^10ABC123^21S1",
            "^10A^21B^91C",
        ] {
            let t = tokens(data);
            let (_, n) = encode(&t);
            assert!(n <= 3 + t.len(), "{data}");
        }
    }

    #[test]
    fn the_choice_is_never_longer_than_all_b() {
        for data in [
            "^21ABC123456789",
            "^10X^21Y",
            "^0000",
            "^2112345678901234567",
        ] {
            let t = tokens(data);
            let (_, n) = encode(&t);
            // All of set B, plus at most one switch for the check character.
            assert!(n <= 2 + t.len(), "{data}: {n}");
        }
    }
}
