//! GS1 mod-10 check digits, shared by every numeric key (GTIN, SSCC, GLN, GSRN...).

/// Computes the GS1 mod-10 check digit for `body` (all digits except the check digit).
///
/// Returns `None` if `body` holds a non-digit.
///
/// ```
/// assert_eq!(gs1::check_digit::compute(b"950600013435"), Some(b'2'));
/// ```
pub fn compute(body: &[u8]) -> Option<u8> {
    let mut sum = 0u32;
    // Weights alternate 3,1,3,... counting from the rightmost body digit.
    for (i, &c) in body.iter().rev().enumerate() {
        if !c.is_ascii_digit() {
            return None;
        }
        let d = u32::from(c - b'0');
        sum += if i % 2 == 0 { d * 3 } else { d };
    }
    Some(b'0' + ((10 - sum % 10) % 10) as u8)
}

/// True if `digits` is all digits and its last digit is the correct GS1 check digit.
pub fn verify(digits: &[u8]) -> bool {
    match digits.split_last() {
        Some((&last, body)) => compute(body) == Some(last),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computes_known_check_digits() {
        assert_eq!(compute(b"0950600013435"), Some(b'2'));
        assert_eq!(compute(b"8934567890"), Some(b'7'));
        assert_eq!(compute(b""), Some(b'0'));
        assert_eq!(compute(b"12a"), None);
        assert!(verify(b"09506000134352"));
        assert!(!verify(b"09506000134353"));
        assert!(!verify(b""));
    }
}
