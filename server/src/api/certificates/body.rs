//! What a client sends: a new certificate, a status change, the list's query.

use super::*;

/// Body of `POST /certificates`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateBody {
    /// Unique number.
    pub number: String,
    /// Kind.
    pub kind: String,
    /// Issuing CAB.
    pub cab_org_id: String,
    /// Holder.
    pub holder_org_id: String,
    /// Standards covered.
    pub standards: Vec<String>,
    /// GTINs covered.
    #[serde(default)]
    pub gtins: Vec<String>,
    /// GPC brick.
    #[serde(default)]
    pub gpc_brick: Option<String>,
    /// Issue date.
    pub issue_date: String,
    /// Expiry date.
    #[serde(default)]
    pub expiry_date: Option<String>,
    /// Issue without a covering accreditation.
    #[serde(default)]
    pub unaccredited: bool,
    /// Document hash.
    #[serde(default)]
    pub document_sha256: Option<String>,
    /// Document URL.
    #[serde(default)]
    pub document_url: Option<String>,
}

impl TryFrom<CertificateBody> for NewCertificate {
    type Error = ApiError;
    fn try_from(b: CertificateBody) -> Result<Self, ApiError> {
        let mut f = Fields::default();
        let number = b.number.trim().to_owned();
        if number.is_empty() || number.chars().count() > 100 || number.chars().any(char::is_control)
        {
            f.push("number", "must be 1 to 100 printable characters");
        }
        let kind: Option<certificates::CertificateKind> = f.check("kind", b.kind.parse());
        let standards = codes(&mut f, "standards", b.standards, true);
        let mut gtins = Vec::new();
        for (i, g) in b.gtins.iter().enumerate() {
            if let Some(g) = f.check(&format!("gtins[{i}]"), Gtin::parse(g))
                && !gtins.contains(&g)
            {
                gtins.push(g);
            }
        }
        let brick_ok = |g: &String| g.len() == 8 && g.bytes().all(|c| c.is_ascii_digit());
        if b.gpc_brick.as_ref().is_some_and(|g| !brick_ok(g)) {
            f.push("gpc_brick", "must be an 8-digit GPC brick code");
        }
        if b.gtins.is_empty() && b.gpc_brick.is_none() {
            f.push(
                "gtins",
                "name the products covered: gtins, gpc_brick or both",
            );
        }
        let issue_date = f.check("issue_date", parse_date(&b.issue_date));
        let expiry_given = b.expiry_date.is_some();
        let expiry_date = b
            .expiry_date
            .and_then(|d| f.check("expiry_date", parse_date(&d)));
        if let (Some(i), Some(e)) = (issue_date, expiry_date)
            && e <= i
        {
            f.push("expiry_date", "must be after issue_date");
        }
        if expiry_date.is_none()
            && kind.is_some_and(|k| k != certificates::CertificateKind::TestReport)
            && !expiry_given
        {
            f.push("expiry_date", "is required except for test reports");
        }
        let document_sha256 = b.document_sha256.filter(|h| {
            let ok = h.len() == 64 && h.bytes().all(|c| c.is_ascii_hexdigit());
            if !ok {
                f.push("document_sha256", "must be 64 hexadecimal digits");
            }
            ok
        });
        let document_url = b.document_url.filter(|u| {
            let ok = (u.starts_with("https://") || u.starts_with("http://"))
                && u.len() <= 2000
                && !u.chars().any(|c| c.is_whitespace() || c.is_control());
            if !ok {
                f.push("document_url", "must be an http(s) URL without spaces");
            }
            ok
        });
        f.finish()?;
        match (kind, issue_date) {
            (Some(kind), Some(issue_date)) => Ok(Self {
                number,
                kind,
                cab_org_id: b.cab_org_id,
                holder_org_id: b.holder_org_id,
                standards,
                gtins,
                gpc_brick: b.gpc_brick,
                issue_date,
                expiry_date,
                unaccredited: b.unaccredited,
                document_sha256: document_sha256.map(|h| h.to_ascii_lowercase()),
                document_url,
            }),
            _ => Err(ApiError::field("body", "invalid")),
        }
    }
}

/// Query of `GET /certificates`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateQuery {
    /// Holder organisation.
    pub holder: Option<String>,
    /// Issuing CAB.
    pub cab: Option<String>,
    /// A covered GTIN.
    pub gtin: Option<String>,
    /// `valid` (not expired), `expired`, `suspended` or `withdrawn`.
    pub status: Option<String>,
    /// Page size.
    pub limit: Option<i64>,
    /// Cursor.
    pub cursor: Option<String>,
}

/// Body of `POST /certificates/{id}/status`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusBody {
    /// `valid` (reinstate), `suspended` or `withdrawn`.
    pub status: String,
    /// Why; required.
    pub reason: String,
}
