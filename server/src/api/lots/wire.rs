//! Lots on the wire, and what a client sends.

use super::*;

/// A lot on the wire.
#[derive(Debug, Serialize)]
pub struct LotOut {
    /// The product's GTIN.
    pub gtin: String,
    /// The lot number.
    pub lot: String,
    /// `YYYY-MM-DD` or null.
    pub production_date: Option<String>,
    /// `YYYY-MM-DD` or null.
    pub expiry_date: Option<String>,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

impl From<LotRow> for LotOut {
    fn from(l: LotRow) -> Self {
        Self {
            created_at: time(&l.created_at),
            updated_at: time(&l.updated_at),
            gtin: l.gtin,
            lot: l.lot,
            production_date: l.production_date,
            expiry_date: l.expiry_date,
        }
    }
}

pub(super) fn parse_lot(s: &str) -> Result<Lot, ApiError> {
    Lot::parse(s).map_err(|e| ApiError::field("lot", e.to_string()))
}

/// Body of `POST /products/{gtin}/lots`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    /// Lot number.
    pub lot: String,
    /// Production date.
    #[serde(default)]
    pub production_date: Option<String>,
    /// Expiry date.
    #[serde(default)]
    pub expiry_date: Option<String>,
}

impl TryFrom<CreateBody> for NewLot {
    type Error = ApiError;
    fn try_from(b: CreateBody) -> Result<Self, ApiError> {
        let mut f = Fields::default();
        let lot = f.check("lot", Lot::parse(&b.lot));
        let production_date = b
            .production_date
            .and_then(|d| f.check("production_date", IsoDate::parse(&d)));
        let expiry_date = b
            .expiry_date
            .and_then(|d| f.check("expiry_date", IsoDate::parse(&d)));
        f.finish()?;
        lots::check_order(production_date, expiry_date)?;
        let lot = lot.ok_or_else(|| ApiError::field("lot", "invalid"))?;
        Ok(NewLot {
            lot,
            production_date,
            expiry_date,
        })
    }
}

/// Body of `PATCH /products/{gtin}/lots/{lot}`; absent dates stay, null clears.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatchBody {
    /// Production date, or null.
    #[serde(default, deserialize_with = "double_option")]
    pub production_date: Option<Option<String>>,
    /// Expiry date, or null.
    #[serde(default, deserialize_with = "double_option")]
    pub expiry_date: Option<Option<String>>,
}

impl TryFrom<PatchBody> for LotPatch {
    type Error = ApiError;
    fn try_from(b: PatchBody) -> Result<Self, ApiError> {
        let mut f = Fields::default();
        let mut date = |name: &str, v: Option<Option<String>>| match v {
            None => None,
            Some(None) => Some(None),
            Some(Some(d)) => f.check(name, IsoDate::parse(&d)).map(Some),
        };
        let patch = LotPatch {
            production_date: date("production_date", b.production_date),
            expiry_date: date("expiry_date", b.expiry_date),
        };
        f.finish()?;
        Ok(patch)
    }
}
