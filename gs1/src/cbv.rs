//! CBV 2.0 business steps and dispositions (`gs1-data/cbv-bizsteps.txt`,
//! `gs1-data/cbv-dispositions.txt`, embedded at compile time), in every spelling EPCIS uses.

use std::{fmt, str::FromStr, sync::LazyLock};

static BIZSTEP_TEXT: &str = include_str!("../../gs1-data/cbv-bizsteps.txt");
static DISPOSITION_TEXT: &str = include_str!("../../gs1-data/cbv-dispositions.txt");

// Parsed once. Unit tests check the embedded files, so the empty fallback is never reached in a
// build whose tests pass; it exists so lookups cannot panic.
static BIZSTEPS: LazyLock<Vec<Term>> =
    LazyLock::new(|| parse_terms(BIZSTEP_TEXT).unwrap_or_default());
static DISPOSITIONS: LazyLock<Vec<Term>> =
    LazyLock::new(|| parse_terms(DISPOSITION_TEXT).unwrap_or_default());

/// The ways one vocabulary's values are written: URN prefix, web URI prefix, JSON-LD CURIE prefix.
struct Spellings {
    urn: &'static str,
    uri: &'static str,
    curie: &'static str,
}

const BIZSTEP: Spellings = Spellings {
    urn: "urn:epcglobal:cbv:bizstep:",
    uri: "https://ref.gs1.org/cbv/BizStep-",
    curie: "cbv:BizStep-",
};

const DISPOSITION: Spellings = Spellings {
    urn: "urn:epcglobal:cbv:disp:",
    uri: "https://ref.gs1.org/cbv/Disp-",
    curie: "cbv:Disp-",
};

impl Spellings {
    /// The bare word in `s`, whichever way it is written.
    fn find(&self, table: &'static [Term], s: &str) -> Option<&'static str> {
        let word = [self.urn, self.uri, self.curie]
            .iter()
            .find_map(|p| s.strip_prefix(p))
            .unwrap_or(s);
        table.iter().find(|t| t.name == word).map(|t| t.name)
    }
}

/// A CBV 2.0 business step: what was being done when an EPCIS event was captured.
///
/// ```
/// use gs1::cbv::BizStep;
/// let step: BizStep = "urn:epcglobal:cbv:bizstep:shipping".parse().unwrap();
/// assert_eq!(step, BizStep::SHIPPING);
/// assert_eq!(step.to_string(), "shipping");
/// assert_eq!(step.uri(), "https://ref.gs1.org/cbv/BizStep-shipping");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BizStep {
    name: &'static str,
}

/// A CBV 2.0 disposition: the business condition of the objects in an EPCIS event.
///
/// ```
/// use gs1::cbv::Disposition;
/// let disp: Disposition = "https://ref.gs1.org/cbv/Disp-in_transit".parse().unwrap();
/// assert_eq!(disp, Disposition::IN_TRANSIT);
/// assert_eq!(disp.urn(), "urn:epcglobal:cbv:disp:in_transit");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Disposition {
    name: &'static str,
}

/// Why a string is not a CBV business step or disposition.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CbvError {
    /// CBV 2.0 defines no such business step.
    #[error("unknown business step {0:?}")]
    UnknownBizStep(String),
    /// CBV 2.0 defines no such disposition.
    #[error("unknown disposition {0:?}")]
    UnknownDisposition(String),
}

impl BizStep {
    /// `commissioning`: an identifier is associated with an object for the first time.
    pub const COMMISSIONING: Self = Self::new("commissioning");
    /// `creating_class_instance`: more of a class-level identifier (a lot) is produced.
    pub const CREATING_CLASS_INSTANCE: Self = Self::new("creating_class_instance");
    /// `inspecting`: objects are checked for defects.
    pub const INSPECTING: Self = Self::new("inspecting");
    /// `packing`: objects are put into a larger container.
    pub const PACKING: Self = Self::new("packing");
    /// `shipping`: objects leave a shipping point.
    pub const SHIPPING: Self = Self::new("shipping");
    /// `receiving`: objects are received and added to inventory.
    pub const RECEIVING: Self = Self::new("receiving");
    /// `retail_selling`: ownership passes to a customer at a point of sale.
    pub const RETAIL_SELLING: Self = Self::new("retail_selling");
    /// `decommissioning`: an identifier is disassociated from its object.
    pub const DECOMMISSIONING: Self = Self::new("decommissioning");

    const fn new(name: &'static str) -> Self {
        Self { name }
    }

    /// Parses a business step written as the bare word of EPCIS 2.0 JSON (`shipping`), the URN
    /// (`urn:epcglobal:cbv:bizstep:shipping`), the web URI
    /// (`https://ref.gs1.org/cbv/BizStep-shipping`) or the JSON-LD CURIE (`cbv:BizStep-shipping`).
    ///
    /// ```
    /// use gs1::cbv::{BizStep, CbvError};
    /// assert_eq!(BizStep::parse("receiving"), Ok(BizStep::RECEIVING));
    /// assert_eq!(BizStep::parse("flying"), Err(CbvError::UnknownBizStep("flying".into())));
    /// ```
    pub fn parse(s: &str) -> Result<Self, CbvError> {
        BIZSTEP
            .find(&BIZSTEPS, s)
            .map(Self::new)
            .ok_or_else(|| CbvError::UnknownBizStep(s.to_owned()))
    }

    /// Every CBV 2.0 business step.
    pub fn all() -> impl Iterator<Item = Self> {
        BIZSTEPS.iter().map(|t| Self::new(t.name))
    }

    /// The bare word, e.g. `shipping`.
    pub fn as_str(&self) -> &'static str {
        self.name
    }

    /// The URN, e.g. `urn:epcglobal:cbv:bizstep:shipping`.
    pub fn urn(&self) -> String {
        format!("{}{}", BIZSTEP.urn, self.name)
    }

    /// The web URI, e.g. `https://ref.gs1.org/cbv/BizStep-shipping`.
    pub fn uri(&self) -> String {
        format!("{}{}", BIZSTEP.uri, self.name)
    }

    /// A one-line English description.
    pub fn description(&self) -> &'static str {
        describe(&BIZSTEPS, self.name)
    }
}

impl Disposition {
    /// `active`: a commissioned object has just entered the supply chain.
    pub const ACTIVE: Self = Self::new("active");
    /// `in_transit`: being shipped between two trading partners.
    pub const IN_TRANSIT: Self = Self::new("in_transit");
    /// `in_progress`: moving through the supply chain.
    pub const IN_PROGRESS: Self = Self::new("in_progress");
    /// `conformant`: an inspection passed.
    pub const CONFORMANT: Self = Self::new("conformant");
    /// `non_conformant`: an inspection failed.
    pub const NON_CONFORMANT: Self = Self::new("non_conformant");
    /// `recalled`: may not be sold for reasons of public safety.
    pub const RECALLED: Self = Self::new("recalled");
    /// `retail_sold`: a customer has bought the product.
    pub const RETAIL_SOLD: Self = Self::new("retail_sold");
    /// `destroyed`: made fully unusable.
    pub const DESTROYED: Self = Self::new("destroyed");
    /// `inactive`: decommissioned, may come back.
    pub const INACTIVE: Self = Self::new("inactive");

    const fn new(name: &'static str) -> Self {
        Self { name }
    }

    /// Parses a disposition written as the bare word of EPCIS 2.0 JSON (`in_transit`), the URN
    /// (`urn:epcglobal:cbv:disp:in_transit`), the web URI
    /// (`https://ref.gs1.org/cbv/Disp-in_transit`) or the JSON-LD CURIE (`cbv:Disp-in_transit`).
    ///
    /// ```
    /// use gs1::cbv::{CbvError, Disposition};
    /// assert_eq!(Disposition::parse("cbv:Disp-recalled"), Ok(Disposition::RECALLED));
    /// assert_eq!(Disposition::parse("lost"), Err(CbvError::UnknownDisposition("lost".into())));
    /// ```
    pub fn parse(s: &str) -> Result<Self, CbvError> {
        DISPOSITION
            .find(&DISPOSITIONS, s)
            .map(Self::new)
            .ok_or_else(|| CbvError::UnknownDisposition(s.to_owned()))
    }

    /// Every CBV 2.0 disposition.
    pub fn all() -> impl Iterator<Item = Self> {
        DISPOSITIONS.iter().map(|t| Self::new(t.name))
    }

    /// The bare word, e.g. `in_transit`.
    pub fn as_str(&self) -> &'static str {
        self.name
    }

    /// The URN, e.g. `urn:epcglobal:cbv:disp:in_transit`.
    pub fn urn(&self) -> String {
        format!("{}{}", DISPOSITION.urn, self.name)
    }

    /// The web URI, e.g. `https://ref.gs1.org/cbv/Disp-in_transit`.
    pub fn uri(&self) -> String {
        format!("{}{}", DISPOSITION.uri, self.name)
    }

    /// A one-line English description.
    pub fn description(&self) -> &'static str {
        describe(&DISPOSITIONS, self.name)
    }
}

impl FromStr for BizStep {
    type Err = CbvError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl FromStr for Disposition {
    type Err = CbvError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for BizStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl fmt::Display for Disposition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl AsRef<str> for BizStep {
    fn as_ref(&self) -> &str {
        self.name
    }
}

impl AsRef<str> for Disposition {
    fn as_ref(&self) -> &str {
        self.name
    }
}

/// One value of a CBV vocabulary.
#[derive(Debug)]
struct Term {
    name: &'static str,
    description: &'static str,
}

fn describe(table: &[Term], name: &str) -> &'static str {
    table
        .iter()
        .find(|t| t.name == name)
        .map_or("", |t| t.description)
}

/// A line of an embedded CBV list that does not follow its format.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {reason}: {text:?}")]
struct TableError {
    line: usize,
    reason: &'static str,
    text: &'static str,
}

fn parse_terms(text: &'static str) -> Result<Vec<Term>, TableError> {
    let mut terms: Vec<Term> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let err = |reason| TableError {
            line: i + 1,
            reason,
            text: raw,
        };
        let (name, description) = match line.find(char::is_whitespace) {
            Some(at) => (&line[..at], line[at..].trim()),
            None => (line, ""),
        };
        if !name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            return Err(err("a name is lowercase letters and underscores"));
        }
        if description.is_empty() {
            return Err(err("missing description"));
        }
        if terms.iter().any(|t| t.name == name) {
            return Err(err("listed twice"));
        }
        terms.push(Term { name, description });
    }
    Ok(terms)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;

    #[test]
    fn embedded_lists_parse() {
        assert_eq!(parse_terms(BIZSTEP_TEXT).unwrap().len(), 41);
        assert_eq!(parse_terms(DISPOSITION_TEXT).unwrap().len(), 33);
    }

    /// The enumeration the EPCIS 2.0 JSON schema gives for `definition`.
    fn schema_enum(definition: &str) -> BTreeSet<String> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/reference/epcis/epcis-json-schema.json"
        );
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
        let any_of = schema["definitions"][definition]["anyOf"]
            .as_array()
            .unwrap();
        let listed = any_of.iter().find_map(|v| v["enum"].as_array()).unwrap();
        listed
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn lists_match_the_epcis_json_schema() {
        let ours: BTreeSet<String> = BizStep::all().map(|b| b.to_string()).collect();
        assert_eq!(ours, schema_enum("bizStep"));
        let ours: BTreeSet<String> = Disposition::all().map(|d| d.to_string()).collect();
        assert_eq!(ours, schema_enum("disposition"));
    }

    fn check_step(input: &str, expected: Result<&str, CbvError>) {
        assert_eq!(
            BizStep::parse(input).map(|b| b.as_str()),
            expected,
            "{input:?}"
        );
    }

    fn check_disp(input: &str, expected: Result<&str, CbvError>) {
        assert_eq!(
            Disposition::parse(input).map(|d| d.as_str()),
            expected,
            "{input:?}"
        );
    }

    #[test]
    fn parses_business_steps() {
        check_step("shipping", Ok("shipping"));
        check_step("urn:epcglobal:cbv:bizstep:shipping", Ok("shipping"));
        check_step("https://ref.gs1.org/cbv/BizStep-shipping", Ok("shipping"));
        check_step("cbv:BizStep-void_shipping", Ok("void_shipping"));
        check_step("creating_class_instance", Ok("creating_class_instance"));
        let unknown = |s: &str| Err(CbvError::UnknownBizStep(s.to_owned()));
        for bad in [
            "",
            "Shipping",
            "shipping ",
            "in_transit",
            "urn:epcglobal:cbv:disp:shipping",
            "https://ref.gs1.org/cbv/Disp-shipping",
            "http://ref.gs1.org/cbv/BizStep-shipping",
            "urn:epcglobal:cbv:bizstep:",
            "https://example.com/steps/sorting",
        ] {
            check_step(bad, unknown(bad));
        }
    }

    #[test]
    fn parses_dispositions() {
        check_disp("in_transit", Ok("in_transit"));
        check_disp("urn:epcglobal:cbv:disp:in_transit", Ok("in_transit"));
        check_disp("https://ref.gs1.org/cbv/Disp-in_transit", Ok("in_transit"));
        check_disp("cbv:Disp-container_closed", Ok("container_closed"));
        let unknown = |s: &str| Err(CbvError::UnknownDisposition(s.to_owned()));
        for bad in [
            "",
            "IN_TRANSIT",
            "in-transit",
            "shipping",
            "urn:epcglobal:cbv:bizstep:in_transit",
            "https://ref.gs1.org/cbv/BizStep-in_transit",
        ] {
            check_disp(bad, unknown(bad));
        }
        assert_eq!(
            Disposition::parse("lost").unwrap_err().to_string(),
            "unknown disposition \"lost\""
        );
        assert_eq!(
            BizStep::parse("flying").unwrap_err().to_string(),
            "unknown business step \"flying\""
        );
    }

    #[test]
    fn forms_and_descriptions() {
        let step = BizStep::COMMISSIONING;
        assert_eq!(step.urn(), "urn:epcglobal:cbv:bizstep:commissioning");
        assert_eq!(step.uri(), "https://ref.gs1.org/cbv/BizStep-commissioning");
        assert_eq!(step.as_ref(), "commissioning");
        assert!(
            step.description()
                .starts_with("An identifier is associated")
        );
        let disp = Disposition::RECALLED;
        assert_eq!(disp.to_string(), "recalled");
        assert_eq!(disp.uri(), "https://ref.gs1.org/cbv/Disp-recalled");
        assert!(disp.description().contains("public safety"));
        for step in [
            BizStep::COMMISSIONING,
            BizStep::CREATING_CLASS_INSTANCE,
            BizStep::INSPECTING,
            BizStep::PACKING,
            BizStep::SHIPPING,
            BizStep::RECEIVING,
            BizStep::RETAIL_SELLING,
            BizStep::DECOMMISSIONING,
        ] {
            assert_eq!(BizStep::parse(step.as_str()), Ok(step));
        }
        for disp in [
            Disposition::ACTIVE,
            Disposition::IN_TRANSIT,
            Disposition::IN_PROGRESS,
            Disposition::CONFORMANT,
            Disposition::NON_CONFORMANT,
            Disposition::RECALLED,
            Disposition::RETAIL_SOLD,
            Disposition::DESTROYED,
            Disposition::INACTIVE,
        ] {
            assert_eq!(Disposition::parse(disp.as_str()), Ok(disp));
        }
    }

    #[test]
    fn malformed_lists_are_refused() {
        let reason = |text| parse_terms(text).map(|_| ()).map_err(|e| e.reason);
        assert_eq!(
            reason("Shipping Ships"),
            Err("a name is lowercase letters and underscores")
        );
        assert_eq!(reason("shipping"), Err("missing description"));
        assert_eq!(reason("a x\n\na y"), Err("listed twice"));
        assert_eq!(
            parse_terms("# c\nshipping").unwrap_err().to_string(),
            "line 2: missing description: \"shipping\""
        );
    }

    proptest! {
        #[test]
        fn every_spelling_round_trips(step in 0usize..41, disp in 0usize..33) {
            let b = BizStep::all().nth(step).unwrap();
            for form in [format!("{b}"), b.urn(), b.uri(), format!("cbv:BizStep-{b}")] {
                prop_assert_eq!(BizStep::parse(&form), Ok(b));
            }
            let d = Disposition::all().nth(disp).unwrap();
            for form in [format!("{d}"), d.urn(), d.uri(), format!("cbv:Disp-{d}")] {
                prop_assert_eq!(Disposition::parse(&form), Ok(d));
            }
        }
    }
}
