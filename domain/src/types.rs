//! Small validated value types: roles, organisation kinds, countries, e-mails, names, passwords.

use crate::error::InvalidValue;
use crate::error::invalid;
use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::secret::Secret;

/// What a person or key may do; `admin` is the platform operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Platform administrator: manages every organisation.
    Admin,
    /// An exporter or manufacturer registering products.
    Exporter,
    /// A conformity assessment body issuing certificates.
    Certifier,
    /// An inspector (customs, market surveillance).
    Inspector,
}

impl Role {
    /// Every role, in a fixed order.
    pub const ALL: [Role; 4] = [
        Role::Admin,
        Role::Exporter,
        Role::Certifier,
        Role::Inspector,
    ];

    /// The stored and wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Exporter => "exporter",
            Role::Certifier => "certifier",
            Role::Inspector => "inspector",
        }
    }
}

impl FromStr for Role {
    type Err = InvalidValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                invalid!("unknown role {s:?}: use admin, exporter, certifier or inspector")
            })
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of organisation this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// Exporter or manufacturer.
    Exporter,
    /// Certification body.
    CertificationBody,
    /// Testing laboratory.
    TestingLab,
    /// Inspection body.
    InspectionBody,
    /// Accreditation body.
    AccreditationBody,
    /// Public authority such as customs or market surveillance.
    Authority,
}

impl OrgKind {
    /// Every kind, in a fixed order.
    pub const ALL: [OrgKind; 6] = [
        OrgKind::Exporter,
        OrgKind::CertificationBody,
        OrgKind::TestingLab,
        OrgKind::InspectionBody,
        OrgKind::AccreditationBody,
        OrgKind::Authority,
    ];

    /// The stored and wire form.
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Exporter => "exporter",
            OrgKind::CertificationBody => "certification_body",
            OrgKind::TestingLab => "testing_lab",
            OrgKind::InspectionBody => "inspection_body",
            OrgKind::AccreditationBody => "accreditation_body",
            OrgKind::Authority => "authority",
        }
    }
}

impl FromStr for OrgKind {
    type Err = InvalidValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OrgKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| invalid!("unknown organisation kind {s:?}"))
    }
}

/// An ISO 3166-1 alpha-2 country code, upper case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Country(String);

impl Country {
    /// Parses an assigned ISO 3166-1 alpha-2 code in either case, upper-casing it.
    pub fn parse(s: &str) -> Result<Self, InvalidValue> {
        let s = s.trim();
        let upper = s.to_ascii_uppercase();
        if gs1::lint::Linter::Iso3166Alpha2
            .check(upper.as_bytes())
            .is_ok()
        {
            Ok(Self(upper))
        } else {
            Err(invalid!(
                "{s:?} is not an assigned ISO 3166-1 alpha-2 country code"
            ))
        }
    }
    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A trimmed, non-empty display name of at most 200 characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgName(String);

impl OrgName {
    /// Trims and checks the length.
    pub fn parse(s: &str) -> Result<Self, InvalidValue> {
        let s = s.trim();
        match s.chars().count() {
            0 => Err("name must not be empty".into()),
            n if n > 200 => Err(invalid!("name must be at most 200 characters, got {n}")),
            _ if s.chars().any(char::is_control) => {
                Err("name must not contain control characters".into())
            }
            _ => Ok(Self(s.to_owned())),
        }
    }
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A lower-cased e-mail address with one `@` and non-empty parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Trims, lower-cases and checks the shape.
    pub fn parse(s: &str) -> Result<Self, InvalidValue> {
        let s = s.trim().to_lowercase();
        let ok = s.len() <= 254
            && !s.chars().any(|c| c.is_whitespace() || c.is_control())
            && matches!(s.split_once('@'), Some((local, domain)) if !local.is_empty() && !domain.is_empty() && !domain.contains('@'));
        if ok {
            Ok(Self(s))
        } else {
            Err(invalid!("{s:?} is not an e-mail address"))
        }
    }
    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: 12 to 1024 characters; never printed.
#[derive(Clone, Debug)]
pub struct Password(Secret<String>);

impl Password {
    /// Checks the length.
    pub fn parse(s: String) -> Result<Self, InvalidValue> {
        match s.chars().count() {
            n if n < 12 => Err("password must have at least 12 characters".into()),
            n if n > 1024 => Err("password must have at most 1024 characters".into()),
            _ => Ok(Self(Secret::new(s))),
        }
    }
    /// The password itself, for hashing.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<T: fmt::Debug>(r: Result<T, InvalidValue>, ok: bool) {
        assert_eq!(r.is_ok(), ok, "{r:?}");
    }

    #[test]
    fn values_parse_or_say_why() {
        check(Country::parse("vn"), true);
        assert_eq!(
            Country::parse("vn").map(|c| c.as_str().to_owned()),
            Ok("VN".to_owned())
        );
        check(Country::parse("VNM"), false);
        check(Country::parse("1A"), false);
        check(Country::parse("XX"), false);
        check(Email::parse(" A@B.vn "), true);
        check(Email::parse("a@@b"), false);
        check(Email::parse("@b"), false);
        check(Email::parse("a b@c"), false);
        check(OrgName::parse("  "), false);
        check(OrgName::parse("Công ty A"), true);
        check(Password::parse("short".into()), false);
        check(Password::parse("long enough pw".into()), true);
        assert_eq!("certifier".parse::<Role>(), Ok(Role::Certifier));
        assert!("root".parse::<Role>().is_err());
        assert_eq!("testing_lab".parse::<OrgKind>(), Ok(OrgKind::TestingLab));
    }

    #[test]
    fn passwords_do_not_print() {
        let p = Password::parse("correct horse battery".into());
        assert!(!format!("{p:?}").contains("horse"));
    }
}
