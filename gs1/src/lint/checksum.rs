//! Check-character linters: the GS1 mod-10 check digit (`csum`) and the alphanumeric
//! check-character pair of GMN and MUDI (`csumalpha`).

use super::cset::{CSET82_ORDER, csetnumeric};
use super::{LintError, LintErrorKind, LintResult};
use crate::check_digit;

/// `csum`: the last digit is the GS1 mod-10 check digit of the digits before it.
pub(crate) fn csum(value: &[u8]) -> LintResult {
    let Some((&check, body)) = value.split_last() else {
        return Err(LintError::new(LintErrorKind::TooShortForCheckDigit, 0, 0));
    };
    csetnumeric(value)?;
    if check_digit::compute(body) != Some(check) {
        return Err(LintError::new(
            LintErrorKind::IncorrectCheckDigit,
            body.len(),
            1,
        ));
    }
    Ok(())
}

/// The check-pair weights are successive primes from the right; 97 of them cover the longest
/// AI value (99 characters, two of which are the pair itself).
const PRIME_COUNT: usize = 97;

/// The first [`PRIME_COUNT`] primes, found by trial division at compile time.
const PRIMES: [u32; PRIME_COUNT] = {
    let mut primes = [0u32; PRIME_COUNT];
    let mut found = 0;
    let mut n = 2u32;
    while found < PRIME_COUNT {
        let mut i = 0;
        let mut is_prime = true;
        while i < found && primes[i] * primes[i] <= n {
            if n % primes[i] == 0 {
                is_prime = false;
                break;
            }
            i += 1;
        }
        if is_prime {
            primes[found] = n;
            found += 1;
        }
        n += 1;
    }
    primes
};

/// Value of each byte in the check-pair sum (its index in character set 82), or `None` outside
/// the set.
const CSET82_VALUE: [Option<u8>; 256] = {
    let mut table = [None; 256];
    let mut i = 0;
    while i < CSET82_ORDER.len() {
        table[CSET82_ORDER[i] as usize] = Some(i as u8);
        i += 1;
    }
    table
};

/// The 32 characters a check character may take, in value order (character set 32: digits and
/// capitals without the easily confused 0, 1, I and O).
const CSET32: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// `csumalpha`: the last two characters are the GS1 check-character pair of the rest.
pub(crate) fn csumalpha(value: &[u8]) -> LintResult {
    let len = value.len();
    if len > PRIME_COUNT + 2 {
        return Err(LintError::new(
            LintErrorKind::TooLongForCheckPairImplementation,
            0,
            len,
        ));
    }
    if len < 2 {
        return Err(LintError::new(LintErrorKind::TooShortForCheckPair, 0, len));
    }
    let (body, pair) = value.split_at(len - 2);
    let mut sum = 0u32;
    // The rightmost body character gets the smallest prime.
    for (pos, (&c, &weight)) in body
        .iter()
        .zip(PRIMES[..body.len()].iter().rev())
        .enumerate()
    {
        let Some(v) = CSET82_VALUE[usize::from(c)] else {
            return Err(LintError::new(
                LintErrorKind::InvalidCset82Character,
                pos,
                1,
            ));
        };
        sum += u32::from(v) * weight;
    }
    // The 10-bit remainder splits into two 5-bit check-character values.
    let sum = (sum % 1021) as usize;
    if pair != [CSET32[sum >> 5], CSET32[sum & 31]] {
        return Err(LintError::new(
            LintErrorKind::IncorrectCheckPair,
            len - 2,
            2,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primes_are_right() {
        assert_eq!(PRIMES[..5], [2, 3, 5, 7, 11]);
        assert_eq!(PRIMES[PRIME_COUNT - 1], 509);
    }

    #[test]
    fn csum_examples() {
        assert!(csum(b"09506000134352").is_ok());
        assert_eq!(
            csum(b"09506000134353"),
            Err(LintError::new(LintErrorKind::IncorrectCheckDigit, 13, 1))
        );
        assert_eq!(
            csum(b"0950600013435A"),
            Err(LintError::new(LintErrorKind::NonDigitCharacter, 13, 1))
        );
        assert_eq!(
            csum(b""),
            Err(LintError::new(LintErrorKind::TooShortForCheckDigit, 0, 0))
        );
    }

    #[test]
    fn csumalpha_examples() {
        // GMN example from the GS1 General Specifications.
        assert!(csumalpha(b"1987654Ad4X4bL5ttr2310c2K").is_ok());
        assert!(csumalpha(b"1987654Ad4X4bL5ttr2310c2L").is_err());
        assert!(csumalpha(b"22").is_ok());
    }
}
