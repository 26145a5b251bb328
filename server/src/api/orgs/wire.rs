//! Organisations on the wire, and what a client sends.

use domain::orgs::ResolverRoot;

use super::*;

/// An organisation on the wire.
#[derive(Debug, Serialize)]
pub struct OrgOut {
    /// Id.
    pub id: String,
    /// Kind.
    pub kind: String,
    /// Name.
    pub name: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// GLN or null.
    pub gln: Option<String>,
    /// The brand owner's own resolver root for its labels' Digital Link, or null.
    pub resolver_root: Option<String>,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

impl From<Org> for OrgOut {
    fn from(o: Org) -> Self {
        Self {
            created_at: time(&o.created_at),
            updated_at: time(&o.updated_at),
            id: o.id,
            kind: o.kind,
            name: o.name,
            country: o.country,
            gln: o.gln,
            resolver_root: o.resolver_root,
        }
    }
}

/// Body of `POST /orgs`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    /// Kind.
    pub kind: String,
    /// Name.
    pub name: String,
    /// Country code.
    pub country: String,
    /// GLN.
    #[serde(default)]
    pub gln: Option<String>,
}

impl TryFrom<CreateBody> for NewOrg {
    type Error = ApiError;
    fn try_from(b: CreateBody) -> Result<Self, ApiError> {
        let mut f = Fields::default();
        let kind = f.check("kind", b.kind.parse::<OrgKind>());
        let name = f.check("name", OrgName::parse(&b.name));
        let country = f.check("country", Country::parse(&b.country));
        let gln = b.gln.map(|g| f.check("gln", g.parse::<Gln>()));
        f.finish()?;
        match (kind, name, country) {
            (Some(kind), Some(name), Some(country)) => Ok(NewOrg {
                kind,
                name,
                country,
                gln: gln.flatten(),
            }),
            _ => Err(ApiError::field("body", "invalid")),
        }
    }
}

/// Body of `PATCH /orgs/{id}`; absent fields stay, `gln: null` clears the GLN.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatchBody {
    /// Kind.
    #[serde(default)]
    pub kind: Option<String>,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Country.
    #[serde(default)]
    pub country: Option<String>,
    /// GLN, or null to clear.
    #[serde(default, deserialize_with = "double_option")]
    pub gln: Option<Option<String>>,
    /// Resolver root, or null to clear.
    #[serde(default, deserialize_with = "double_option")]
    pub resolver_root: Option<Option<String>>,
}

impl TryFrom<PatchBody> for OrgPatch {
    type Error = ApiError;
    fn try_from(b: PatchBody) -> Result<Self, ApiError> {
        let mut f = Fields::default();
        let patch = OrgPatch {
            kind: b.kind.and_then(|k| f.check("kind", k.parse::<OrgKind>())),
            name: b.name.and_then(|n| f.check("name", OrgName::parse(&n))),
            country: b
                .country
                .and_then(|c| f.check("country", Country::parse(&c))),
            gln: match b.gln {
                None => None,
                Some(None) => Some(None),
                Some(Some(g)) => f.check("gln", g.parse::<Gln>()).map(Some),
            },
            resolver_root: match b.resolver_root {
                None => None,
                Some(None) => Some(None),
                Some(Some(r)) => f.check("resolver_root", ResolverRoot::parse(&r)).map(Some),
            },
        };
        f.finish()?;
        Ok(patch)
    }
}
