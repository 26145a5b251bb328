//! Namespaces the XML bindings use and the CBV values the JSON binding writes in short form.

/// EPCIS 2.0 XML namespace.
pub(crate) const EPCIS2: &str = "urn:epcglobal:epcis:xsd:2";
/// EPCIS 1.x XML namespace.
pub(crate) const EPCIS1: &str = "urn:epcglobal:epcis:xsd:1";
/// EPCIS 2.0 query namespace.
pub(crate) const EPCISQ2: &str = "urn:epcglobal:epcis-query:xsd:2";
/// EPCIS 1.x query namespace.
pub(crate) const EPCISQ1: &str = "urn:epcglobal:epcis-query:xsd:1";
/// XML Schema instance namespace (`xsi:type`, `xsi:nil`).
pub(crate) const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// XML Schema namespace, declared for `xsi:type` values.
pub(crate) const XSD: &str = "http://www.w3.org/2001/XMLSchema";
/// The standard JSON-LD context the EPCIS 2.0 JSON binding names first.
pub(crate) const STANDARD_CONTEXT: &str =
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

/// Prefixes the standard context already defines, with the namespace the XML binding uses.
///
/// They are left out of `@context`: redefining `cbvmda` as the XML namespace
/// `urn:epcglobal:cbv:mda` (no trailing colon) would change the IRIs the standard context gives
/// its terms (`urn:epcglobal:cbv:mda:lotNumber`).
pub(crate) const STANDARD_PREFIXES: &[(&str, &str)] = &[
    ("cbvmda", "urn:epcglobal:cbv:mda"),
    ("gs1", "https://gs1.org/voc/"),
    (
        "sbdh",
        "http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader",
    ),
];

/// Whether a namespace is one of the binding's own, never an extension namespace.
pub(crate) fn is_binding_namespace(ns: &str) -> bool {
    matches!(ns, EPCIS2 | EPCIS1 | EPCISQ2 | EPCISQ1 | XSI | XSD)
        || ns.starts_with("urn:epcglobal:epcis-masterdata:xsd:")
}

/// A CBV vocabulary: the URN prefix the XML binding writes before the short JSON value.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cbv {
    BizStep,
    Disposition,
    BizTransactionType,
    SourceDestType,
    ErrorReason,
}

impl Cbv {
    fn urn_prefix(self) -> &'static str {
        match self {
            Cbv::BizStep => "urn:epcglobal:cbv:bizstep:",
            Cbv::Disposition => "urn:epcglobal:cbv:disp:",
            Cbv::BizTransactionType => "urn:epcglobal:cbv:btt:",
            Cbv::SourceDestType => "urn:epcglobal:cbv:sdt:",
            Cbv::ErrorReason => "urn:epcglobal:cbv:er:",
        }
    }

    fn web_prefix(self) -> &'static str {
        match self {
            Cbv::BizStep => "https://ref.gs1.org/cbv/BizStep-",
            Cbv::Disposition => "https://ref.gs1.org/cbv/Disp-",
            Cbv::BizTransactionType => "https://ref.gs1.org/cbv/BTT-",
            Cbv::SourceDestType => "https://ref.gs1.org/cbv/SDT-",
            Cbv::ErrorReason => "https://ref.gs1.org/cbv/ER-",
        }
    }

    /// The JSON form: a CBV URN or GS1 web URI becomes its bare value, anything else stays.
    pub(crate) fn short(self, value: &str) -> String {
        let value = value.trim();
        value
            .strip_prefix(self.urn_prefix())
            .or_else(|| value.strip_prefix(self.web_prefix()))
            .unwrap_or(value)
            .to_owned()
    }

    /// The XML form: a bare value (no colon, so not a URI) becomes the CBV URN.
    pub(crate) fn long(self, value: &str) -> String {
        if value.contains(':') {
            value.to_owned()
        } else {
            format!("{}{value}", self.urn_prefix())
        }
    }
}

/// Sensor report fields written as CURIEs in XML and as bare words in JSON.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SensorTerm {
    /// `type` (`gs1:Temperature`).
    Type,
    /// `exception` (`gs1:ALARM_CONDITION`).
    Exception,
    /// `component` (`cbv:Comp-latitude`).
    Component,
}

impl SensorTerm {
    fn prefixes(self) -> &'static [&'static str] {
        match self {
            SensorTerm::Type | SensorTerm::Exception => {
                &["gs1:", "https://gs1.org/voc/", "http://gs1.org/voc/"]
            }
            SensorTerm::Component => &["cbv:Comp-", "https://ref.gs1.org/cbv/Comp-"],
        }
    }

    fn terms(self) -> &'static [&'static str] {
        match self {
            SensorTerm::Type => MEASUREMENT_TYPES,
            SensorTerm::Exception => &["ALARM_CONDITION", "ERROR_CONDITION"],
            SensorTerm::Component => COMPONENTS,
        }
    }

    /// The JSON form: a bare word only for terms the standard context defines; any other
    /// value (`gs1:EffectiveDoseRate`, `example:x`) stays a CURIE or IRI.
    pub(crate) fn short(self, value: &str) -> String {
        let value = value.trim();
        match self.prefixes().iter().find_map(|p| value.strip_prefix(p)) {
            Some(term) if self.terms().contains(&term) => term.to_owned(),
            _ => value.to_owned(),
        }
    }

    /// The XML form.
    pub(crate) fn long(self, value: &str) -> String {
        if value.contains(':') {
            value.to_owned()
        } else {
            format!("{}{value}", self.prefixes()[0])
        }
    }
}

/// Sensor report attributes the JSON binding types as numbers.
pub(crate) const SENSOR_NUMBERS: &[&str] = &[
    "value",
    "minValue",
    "maxValue",
    "meanValue",
    "sDev",
    "percRank",
    "percValue",
];

/// Measurement types of the GS1 Web Vocabulary the JSON schema lists.
const MEASUREMENT_TYPES: &[&str] = &[
    "AbsoluteHumidity",
    "AbsorbedDose",
    "AbsorbedDoseRate",
    "Acceleration",
    "Radioactivity",
    "Altitude",
    "AmountOfSubstance",
    "AmountOfSubstancePerUnitVolume",
    "Angle",
    "AngularAcceleration",
    "AngularMomentum",
    "AngularVelocity",
    "Area",
    "Capacitance",
    "Conductance",
    "Conductivity",
    "Count",
    "Density",
    "Dimensionless",
    "DoseEquivalent",
    "DoseEquivalentRate",
    "DynamicViscosity",
    "ElectricCharge",
    "ElectricCurrent",
    "ElectricCurrentDensity",
    "ElectricFieldStrength",
    "Energy",
    "Exposure",
    "Force",
    "Frequency",
    "Illuminance",
    "Inductance",
    "Irradiance",
    "KinematicViscosity",
    "Length",
    "LinearMomentum",
    "Luminance",
    "LuminousFlux",
    "LuminousIntensity",
    "MagneticFlux",
    "MagneticFluxDensity",
    "MagneticVectorPotential",
    "Mass",
    "MassConcentration",
    "MassFlowRate",
    "MassPerAreaTime",
    "MemoryCapacity",
    "MolalityOfSolute",
    "MolarEnergy",
    "MolarMass",
    "MolarVolume",
    "Power",
    "Pressure",
    "RadiantFlux",
    "RadiantIntensity",
    "RelativeHumidity",
    "Resistance",
    "Resistivity",
    "SolidAngle",
    "SpecificVolume",
    "Speed",
    "SurfaceDensity",
    "SurfaceTension",
    "Temperature",
    "Time",
    "Torque",
    "Voltage",
    "Volume",
    "VolumeFlowRate",
    "VolumeFraction",
    "VolumetricFlux",
    "Wavenumber",
];

/// CBV components (`cbv:Comp-x`).
const COMPONENTS: &[&str] = &[
    "x",
    "y",
    "z",
    "axial_distance",
    "azimuth",
    "height",
    "spherical_radius",
    "polar_angle",
    "elevation_angle",
    "easting",
    "northing",
    "latitude",
    "longitude",
    "altitude",
];
