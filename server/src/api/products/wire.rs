//! Products on the wire.

use super::*;

/// A product on the wire.
#[derive(Clone, Debug, Serialize)]
pub struct ProductOut {
    /// Id.
    pub id: String,
    /// 14 digits.
    pub gtin: String,
    /// Brand owner.
    pub org_id: String,
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// Description in Vietnamese.
    pub description_vi: Option<String>,
    /// Description in English.
    pub description_en: Option<String>,
    /// Brand.
    pub brand: Option<String>,
    /// GPC brick.
    pub gpc_brick: Option<String>,
    /// HS code.
    pub hs_code: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country_of_origin: Option<String>,
    /// Decimal string.
    pub net_content: Option<String>,
    /// UN/CEFACT unit code.
    pub net_content_unit: Option<String>,
    /// Image URL.
    pub image_url: Option<String>,
    /// ISO 3166-1 alpha-2 codes.
    pub target_markets: Vec<String>,
    /// Standard designations.
    pub standards: Vec<String>,
    /// `active` or `discontinued`.
    pub status: String,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

impl From<Product> for ProductOut {
    fn from(p: Product) -> Self {
        let list = |json: &str| serde_json::from_str(json).unwrap_or_default();
        Self {
            target_markets: list(&p.target_markets),
            standards: list(&p.standards),
            created_at: time(&p.created_at),
            updated_at: time(&p.updated_at),
            id: p.id,
            gtin: p.gtin,
            org_id: p.org_id,
            name_vi: p.name_vi,
            name_en: p.name_en,
            description_vi: p.description_vi,
            description_en: p.description_en,
            brand: p.brand,
            gpc_brick: p.gpc_brick,
            hs_code: p.hs_code,
            country_of_origin: p.country_of_origin,
            net_content: p.net_content,
            net_content_unit: p.net_content_unit,
            image_url: p.image_url,
            status: p.status,
        }
    }
}
