//! Bit strings for the compressed form: fixed-width fields, decimal numbers of any length as
//! binary, and the URI-safe base64 alphabet that carries the bits in the URI.

/// The URI-safe base64 alphabet, 6 bits per character, in value order.
pub(super) const BASE64: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The value of a base64 character, if it is one.
pub(super) fn base64_value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    }
}

/// Bits needed for an `n`-digit decimal number, by GS1's formula `ceil(n·log2(10) + 0.01)`:
/// the minimum, except 1 for `n = 0` and one more than needed for `n = 59`.
pub(super) fn value_bits(digits: usize) -> usize {
    (digits as f64 * std::f64::consts::LOG2_10 + 0.01).ceil() as usize
}

/// Bits of a length field for values up to `max` characters.
pub(super) fn length_bits(max: usize) -> usize {
    (usize::BITS - max.leading_zeros()) as usize
}

/// A growing string of bits.
#[derive(Debug, Default)]
pub(super) struct BitWriter {
    bits: Vec<bool>,
}

impl BitWriter {
    /// Appends the low `width` bits of `value`, most significant first.
    pub(super) fn push(&mut self, value: u64, width: usize) {
        self.bits
            .extend((0..width).rev().map(|i| i < 64 && (value >> i) & 1 == 1));
    }

    /// Appends a decimal number (ASCII digits) as a `width`-bit binary number. Returns false if
    /// the number needs more bits.
    pub(super) fn push_decimal(&mut self, digits: &[u8], width: usize) -> bool {
        // Little-endian base 2^32 limbs.
        let mut limbs: Vec<u32> = Vec::with_capacity(digits.len() / 9 + 1);
        for &d in digits {
            let mut carry = u64::from(d - b'0');
            for limb in &mut limbs {
                let v = u64::from(*limb) * 10 + carry;
                *limb = v as u32;
                carry = v >> 32;
            }
            if carry > 0 {
                limbs.push(carry as u32);
            }
        }
        let bit = |i: usize| limbs.get(i / 32).is_some_and(|l| (l >> (i % 32)) & 1 == 1);
        let used = limbs.len() * 32;
        if (width..used).any(bit) {
            return false;
        }
        self.bits.extend((0..width).rev().map(bit));
        true
    }

    /// The bits as base64 characters, zero-padded to a multiple of 6.
    pub(super) fn to_base64(&self) -> String {
        self.bits
            .chunks(6)
            .map(|chunk| {
                let v = (0..6).fold(0usize, |v, i| {
                    v << 1 | usize::from(chunk.get(i) == Some(&true))
                });
                char::from(BASE64[v])
            })
            .collect()
    }
}

/// Reads fields from a string of bits.
#[derive(Debug)]
pub(super) struct BitReader {
    bits: Vec<bool>,
    pos: usize,
}

impl BitReader {
    /// Decodes base64 characters into bits; `None` if a character is outside the alphabet.
    pub(super) fn from_base64(s: &str) -> Option<Self> {
        let mut bits = Vec::with_capacity(s.len() * 6);
        for c in s.bytes() {
            let v = base64_value(c)?;
            bits.extend((0..6).rev().map(|i| (v >> i) & 1 == 1));
        }
        Some(Self { bits, pos: 0 })
    }

    /// The bit offset of the next read.
    pub(super) fn pos(&self) -> usize {
        self.pos
    }

    /// Bits not yet read.
    pub(super) fn remaining(&self) -> usize {
        self.bits.len() - self.pos
    }

    /// Reads a `width`-bit number (at most 64 bits); `None` past the end.
    pub(super) fn read(&mut self, width: usize) -> Option<u64> {
        let bits = self.bits.get(self.pos..self.pos + width)?;
        self.pos += width;
        Some(bits.iter().fold(0u64, |v, &b| v << 1 | u64::from(b)))
    }

    /// Reads a `width`-bit binary number and writes it as exactly `digits` decimal digits
    /// (zero-padded); `None` past the end or if the number has more digits.
    pub(super) fn read_decimal(&mut self, width: usize, digits: usize) -> Option<String> {
        let bits = self.bits.get(self.pos..self.pos + width)?;
        self.pos += width;
        let mut limbs: Vec<u32> = Vec::with_capacity(width / 32 + 1);
        for &b in bits {
            let mut carry = u32::from(b);
            for limb in &mut limbs {
                let next = *limb >> 31;
                *limb = *limb << 1 | carry;
                carry = next;
            }
            if carry > 0 {
                limbs.push(carry);
            }
        }
        // Repeated division by 10 gives the digits, least significant first.
        let mut out = Vec::with_capacity(digits);
        while limbs.iter().any(|&l| l != 0) {
            let mut rem = 0u64;
            for limb in limbs.iter_mut().rev() {
                let v = rem << 32 | u64::from(*limb);
                *limb = (v / 10) as u32;
                rem = v % 10;
            }
            out.push(b'0' + rem as u8);
        }
        if out.len() > digits {
            return None;
        }
        out.resize(digits, b'0');
        out.reverse();
        String::from_utf8(out).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_counts_follow_the_gs1_formula() {
        assert_eq!(value_bits(0), 1);
        assert_eq!(value_bits(1), 4);
        assert_eq!(value_bits(6), 20);
        assert_eq!(value_bits(13), 44);
        assert_eq!(value_bits(14), 47);
        assert_eq!(value_bits(18), 60);
        assert_eq!(value_bits(59), 197);
        assert_eq!(value_bits(90), 299);
        assert_eq!(length_bits(20), 5);
        assert_eq!(length_bits(8), 4);
        assert_eq!(length_bits(90), 7);
        assert_eq!(length_bits(1), 1);
        // Everywhere else the formula gives the fewest bits that hold n nines.
        for n in (1..=100).filter(|&n| n != 59) {
            let nines = "9".repeat(n);
            assert!(BitWriter::default().push_decimal(nines.as_bytes(), value_bits(n)));
            assert!(!BitWriter::default().push_decimal(nines.as_bytes(), value_bits(n) - 1));
        }
    }

    #[test]
    fn decimal_round_trips_through_binary() {
        for digits in ["0", "7", "05412345000013", "0000", &"9".repeat(90)] {
            let width = value_bits(digits.len());
            let mut w = BitWriter::default();
            assert!(w.push_decimal(digits.as_bytes(), width));
            let mut r = BitReader::from_base64(&w.to_base64()).unwrap();
            assert_eq!(r.read_decimal(width, digits.len()).as_deref(), Some(digits));
        }
        let mut w = BitWriter::default();
        assert!(!w.push_decimal(b"16", 4));
    }

    #[test]
    fn base64_carries_bits_msb_first() {
        let mut w = BitWriter::default();
        w.push(0x01, 8);
        assert_eq!(w.to_base64(), "AQ");
        let mut r = BitReader::from_base64("AQ").unwrap();
        assert_eq!(r.read(8), Some(1));
        assert_eq!(r.remaining(), 4);
        assert!(BitReader::from_base64("A=").is_none());
    }
}
