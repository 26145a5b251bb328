//! The GS1 Barcode Syntax Tests ("linters") named by the syntax dictionary, each checking one
//! component value and, on failure, naming the offending span.

/// A linter named in the GS1 Barcode Syntax Dictionary (or a character-set check implied by a
/// component type).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Linter {
    /// `csum`.
    Csum,
    /// `csumalpha`.
    Csumalpha,
    /// `gcppos1`.
    Gcppos1,
    /// `gcppos2`.
    Gcppos2,
    /// `hasnondigit`.
    Hasnondigit,
    /// `yymmdd`.
    Yymmdd,
    /// `yyyymmdd`.
    Yyyymmdd,
    /// `yymmd0`.
    Yymmd0,
    /// `yyyymmd0`.
    Yyyymmd0,
    /// `hh`.
    Hh,
    /// `mi`.
    Mi,
    /// `ss`.
    Ss,
    /// `hhmi`.
    Hhmi,
    /// `iso3166`.
    Iso3166,
    /// `iso3166999`.
    Iso3166999,
    /// `iso3166alpha2`.
    Iso3166alpha2,
    /// `iso4217`.
    Iso4217,
    /// `iso5218`.
    Iso5218,
    /// `iban`.
    Iban,
    /// `pcenc`.
    Pcenc,
    /// `nonzero`.
    Nonzero,
    /// `zero`.
    Zero,
    /// `nozeroprefix`.
    Nozeroprefix,
    /// `yesno`.
    Yesno,
    /// `winding`.
    Winding,
    /// `hyphen`.
    Hyphen,
    /// `pieceoftotal`.
    Pieceoftotal,
    /// `posinseqslash`.
    Posinseqslash,
    /// `latitude`.
    Latitude,
    /// `longitude`.
    Longitude,
    /// `mediatype`.
    Mediatype,
    /// `packagetype`.
    Packagetype,
    /// `importeridx`.
    Importeridx,
    /// `couponcode`.
    Couponcode,
    /// `couponposoffer`.
    Couponposoffer,
    /// `cset82`.
    Cset82,
    /// `cset39`.
    Cset39,
    /// `cset64`.
    Cset64,
    /// `csetnumeric`.
    CsetNumeric,
}

impl Linter {
    /// The linter with the dictionary name `name` (e.g. `"csum"`), if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "csum" => Some(Self::Csum),
            "csumalpha" => Some(Self::Csumalpha),
            "gcppos1" => Some(Self::Gcppos1),
            "gcppos2" => Some(Self::Gcppos2),
            "hasnondigit" => Some(Self::Hasnondigit),
            "yymmdd" => Some(Self::Yymmdd),
            "yyyymmdd" => Some(Self::Yyyymmdd),
            "yymmd0" => Some(Self::Yymmd0),
            "yyyymmd0" => Some(Self::Yyyymmd0),
            "hh" => Some(Self::Hh),
            "mi" => Some(Self::Mi),
            "ss" => Some(Self::Ss),
            "hhmi" => Some(Self::Hhmi),
            "iso3166" => Some(Self::Iso3166),
            "iso3166999" => Some(Self::Iso3166999),
            "iso3166alpha2" => Some(Self::Iso3166alpha2),
            "iso4217" => Some(Self::Iso4217),
            "iso5218" => Some(Self::Iso5218),
            "iban" => Some(Self::Iban),
            "pcenc" => Some(Self::Pcenc),
            "nonzero" => Some(Self::Nonzero),
            "zero" => Some(Self::Zero),
            "nozeroprefix" => Some(Self::Nozeroprefix),
            "yesno" => Some(Self::Yesno),
            "winding" => Some(Self::Winding),
            "hyphen" => Some(Self::Hyphen),
            "pieceoftotal" => Some(Self::Pieceoftotal),
            "posinseqslash" => Some(Self::Posinseqslash),
            "latitude" => Some(Self::Latitude),
            "longitude" => Some(Self::Longitude),
            "mediatype" => Some(Self::Mediatype),
            "packagetype" => Some(Self::Packagetype),
            "importeridx" => Some(Self::Importeridx),
            "couponcode" => Some(Self::Couponcode),
            "couponposoffer" => Some(Self::Couponposoffer),
            "cset82" => Some(Self::Cset82),
            "cset39" => Some(Self::Cset39),
            "cset64" => Some(Self::Cset64),
            "csetnumeric" => Some(Self::CsetNumeric),
            _ => None,
        }
    }

    /// The dictionary name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Csum => "csum",
            Self::Csumalpha => "csumalpha",
            Self::Gcppos1 => "gcppos1",
            Self::Gcppos2 => "gcppos2",
            Self::Hasnondigit => "hasnondigit",
            Self::Yymmdd => "yymmdd",
            Self::Yyyymmdd => "yyyymmdd",
            Self::Yymmd0 => "yymmd0",
            Self::Yyyymmd0 => "yyyymmd0",
            Self::Hh => "hh",
            Self::Mi => "mi",
            Self::Ss => "ss",
            Self::Hhmi => "hhmi",
            Self::Iso3166 => "iso3166",
            Self::Iso3166999 => "iso3166999",
            Self::Iso3166alpha2 => "iso3166alpha2",
            Self::Iso4217 => "iso4217",
            Self::Iso5218 => "iso5218",
            Self::Iban => "iban",
            Self::Pcenc => "pcenc",
            Self::Nonzero => "nonzero",
            Self::Zero => "zero",
            Self::Nozeroprefix => "nozeroprefix",
            Self::Yesno => "yesno",
            Self::Winding => "winding",
            Self::Hyphen => "hyphen",
            Self::Pieceoftotal => "pieceoftotal",
            Self::Posinseqslash => "posinseqslash",
            Self::Latitude => "latitude",
            Self::Longitude => "longitude",
            Self::Mediatype => "mediatype",
            Self::Packagetype => "packagetype",
            Self::Importeridx => "importeridx",
            Self::Couponcode => "couponcode",
            Self::Couponposoffer => "couponposoffer",
            Self::Cset82 => "cset82",
            Self::Cset39 => "cset39",
            Self::Cset64 => "cset64",
            Self::CsetNumeric => "csetnumeric",
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

impl std::fmt::Display for LintErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl LintErrorKind {
    /// The engine's error code.
    pub fn code(self) -> &'static str {
        "GS1_LINTER_INVALID_CSET82_CHARACTER"
    }
}
