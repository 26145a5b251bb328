//! ISO 3166-1 country codes: the numeric ("num-3") and alpha-2 code lists.

use super::BitSet;

/// ISO 3166-1 numeric country codes, ascending. Keep in step with the ISO 3166 Maintenance
/// Agency's published list.
const NUMERIC: &[u16] = &[
    4, 8, 10, 12, 16, 20, 24, 28, 31, 32, 36, 40, 44, 48, 50, 51, 52, 56, 60, 64, 68, 70, 72, 74,
    76, 84, 86, 90, 92, 96, 100, 104, 108, 112, 116, 120, 124, 132, 136, 140, 144, 148, 152, 156,
    158, 162, 166, 170, 174, 175, 178, 180, 184, 188, 191, 192, 196, 203, 204, 208, 212, 214, 218,
    222, 226, 231, 232, 233, 234, 238, 239, 242, 246, 248, 250, 254, 258, 260, 262, 266, 268, 270,
    275, 276, 288, 292, 296, 300, 304, 308, 312, 316, 320, 324, 328, 332, 334, 336, 340, 344, 348,
    352, 356, 360, 364, 368, 372, 376, 380, 384, 388, 392, 398, 400, 404, 408, 410, 414, 417, 418,
    422, 426, 428, 430, 434, 438, 440, 442, 446, 450, 454, 458, 462, 466, 470, 474, 478, 480, 484,
    492, 496, 498, 499, 500, 504, 508, 512, 516, 520, 524, 528, 531, 533, 534, 535, 540, 548, 554,
    558, 562, 566, 570, 574, 578, 580, 581, 583, 584, 585, 586, 591, 598, 600, 604, 608, 612, 616,
    620, 624, 626, 630, 634, 638, 642, 643, 646, 652, 654, 659, 660, 662, 663, 666, 670, 674, 678,
    682, 686, 688, 690, 694, 702, 703, 704, 705, 706, 710, 716, 724, 728, 729, 732, 740, 744, 748,
    752, 756, 760, 762, 764, 768, 772, 776, 780, 784, 788, 792, 795, 796, 798, 800, 804, 807, 818,
    826, 831, 832, 833, 834, 840, 850, 854, 858, 860, 862, 876, 882, 887, 894,
];

/// ISO 3166-1 alpha-2 country codes, ascending, each followed by a space.
const ALPHA2: &[u8] = concat!(
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ ",
    "BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ",
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ ",
    "DE DJ DK DM DO DZ ",
    "EC EE EG EH ER ES ET ",
    "FI FJ FK FM FO FR ",
    "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY ",
    "HK HM HN HR HT HU ",
    "ID IE IL IM IN IO IQ IR IS IT ",
    "JE JM JO JP ",
    "KE KG KH KI KM KN KP KR KW KY KZ ",
    "LA LB LC LI LK LR LS LT LU LV LY ",
    "MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ ",
    "NA NC NE NF NG NI NL NO NP NR NU NZ ",
    "OM ",
    "PA PE PF PG PH PK PL PM PN PR PS PT PW PY ",
    "QA ",
    "RE RO RS RU RW ",
    "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ ",
    "TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ ",
    "UA UG UM US UY UZ ",
    "VA VC VE VG VI VN VU ",
    "WF WS ",
    "YE YT ",
    "ZA ZM ZW ",
)
.as_bytes();

/// The numeric codes as a set indexed by value.
pub(crate) const NUMERIC_SET: BitSet<16> = BitSet::from_values(NUMERIC);

/// The alpha-2 codes as a set indexed by `26 * first + second` (letters counted from `A` = 0).
pub(crate) const ALPHA2_SET: BitSet<11> = {
    let mut set = BitSet::EMPTY;
    let mut i = 0;
    while i < ALPHA2.len() {
        set = set.with(alpha2_index(ALPHA2[i], ALPHA2[i + 1]));
        i += 3;
    }
    set
};

/// Position of a pair of capital letters in [`ALPHA2_SET`]; callers check that both are `A-Z`.
pub(crate) const fn alpha2_index(first: u8, second: u8) -> usize {
    (first - b'A') as usize * 26 + (second - b'A') as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_sizes() {
        assert_eq!(NUMERIC.len(), 249);
        assert_eq!(NUMERIC_SET.len(), 249);
        assert_eq!(ALPHA2.len(), 249 * 3);
        assert_eq!(ALPHA2_SET.len(), 249);
        assert!(NUMERIC.windows(2).all(|w| w[0] < w[1]));
        assert!(ALPHA2.chunks(3).all(|c| c[2] == b' '));
    }
}
