//! What a client sends about an accreditation: a new one, a change, the list's query.

use super::*;

/// Body of `POST /accreditations`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccreditationBody {
    /// The accrediting body.
    pub body_org_id: String,
    /// The accredited CAB.
    pub cab_org_id: String,
    /// The body's number for it.
    pub number: String,
    /// The standard.
    pub standard: String,
    /// Normative documents in scope.
    pub scope_standards: Vec<String>,
    /// Categories in scope.
    #[serde(default)]
    pub scope_categories: Vec<String>,
    /// First day.
    pub valid_from: String,
    /// Last day.
    pub valid_until: String,
}

/// Checks a list of codes: each trimmed, non-empty, at most 100 characters.
pub fn codes(f: &mut Fields, field: &str, list: Vec<String>, at_least_one: bool) -> Vec<String> {
    if at_least_one && list.is_empty() {
        f.push(field, "must name at least one");
    }
    let mut out = Vec::new();
    for (i, c) in list.into_iter().enumerate() {
        let c = c.trim().to_owned();
        if c.is_empty() || c.chars().count() > 100 || c.chars().any(char::is_control) {
            f.push(
                &format!("{field}[{i}]"),
                "must be 1 to 100 printable characters",
            );
        } else {
            out.push(c);
        }
    }
    out
}

impl TryFrom<AccreditationBody> for NewAccreditation {
    type Error = ApiError;
    fn try_from(b: AccreditationBody) -> Result<Self, ApiError> {
        let mut f = Fields::default();
        let number = b.number.trim().to_owned();
        if number.is_empty() || number.chars().count() > 100 {
            f.push("number", "must be 1 to 100 characters");
        }
        let standard = f.check("standard", b.standard.parse());
        let scope_standards = codes(&mut f, "scope_standards", b.scope_standards, true);
        let scope_categories = codes(&mut f, "scope_categories", b.scope_categories, false);
        let valid_from = f.check("valid_from", parse_date(&b.valid_from));
        let valid_until = f.check("valid_until", parse_date(&b.valid_until));
        f.finish()?;
        match (standard, valid_from, valid_until) {
            (Some(standard), Some(valid_from), Some(valid_until)) => Ok(Self {
                body_org_id: b.body_org_id,
                cab_org_id: b.cab_org_id,
                number,
                standard,
                scope_standards,
                scope_categories,
                valid_from,
                valid_until,
            }),
            _ => Err(ApiError::field("body", "invalid")),
        }
    }
}

/// Query of `GET /accreditations`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccreditationQuery {
    /// Only those held by this CAB.
    pub cab: Option<String>,
    /// Only those granted by this body.
    pub body: Option<String>,
    /// Page size.
    pub limit: Option<i64>,
    /// Cursor.
    pub cursor: Option<String>,
}

/// Body of `PATCH /accreditations/{id}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccreditationPatchBody {
    /// Status.
    #[serde(default)]
    pub status: Option<String>,
    /// First day.
    #[serde(default)]
    pub valid_from: Option<String>,
    /// Last day.
    #[serde(default)]
    pub valid_until: Option<String>,
}
