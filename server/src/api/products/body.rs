//! What a client sends about a product: a new one (also an import row) or a change, checked field by field.

use super::*;

/// Longest name.
pub(super) const NAME_MAX: usize = 200;

/// Longest description.
pub(super) const DESCRIPTION_MAX: usize = 5000;

/// Longest brand.
pub(super) const BRAND_MAX: usize = 100;

/// Most target markets or standards on one product.
pub(super) const LIST_MAX: usize = 50;

/// A new product as sent: the body of `POST /products`, an element of a JSON import, or a CSV
/// row (whose header names these fields; lists separated by `;`). Blank optional values are
/// absent.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductInput {
    /// GTIN-8, -12, -13 or -14.
    pub gtin: String,
    /// Name in Vietnamese.
    pub name_vi: String,
    /// Name in English.
    pub name_en: String,
    /// Description in Vietnamese.
    #[serde(default)]
    pub description_vi: Option<String>,
    /// Description in English.
    #[serde(default)]
    pub description_en: Option<String>,
    /// Brand.
    #[serde(default)]
    pub brand: Option<String>,
    /// GPC brick.
    #[serde(default)]
    pub gpc_brick: Option<String>,
    /// HS code.
    #[serde(default)]
    pub hs_code: Option<String>,
    /// Country of origin.
    #[serde(default)]
    pub country_of_origin: Option<String>,
    /// Net content.
    #[serde(default)]
    pub net_content: Option<String>,
    /// Its unit.
    #[serde(default)]
    pub net_content_unit: Option<String>,
    /// Image URL.
    #[serde(default)]
    pub image_url: Option<String>,
    /// Target markets.
    #[serde(default)]
    pub target_markets: Vec<String>,
    /// Standards applied.
    #[serde(default)]
    pub standards: Vec<String>,
}

/// Checks each element of a list (duplicates dropped), recording failures as `field[i]`.
pub(super) fn each<T: PartialEq>(
    f: &mut Fields,
    field: &str,
    items: Vec<String>,
    parse: impl Fn(&str) -> Result<T, InvalidValue>,
) -> Vec<T> {
    if items.len() > LIST_MAX {
        f.push(field, &format!("at most {LIST_MAX} entries"));
        return Vec::new();
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if let Some(v) = f.check(&format!("{field}[{i}]"), parse(item))
            && !out.contains(&v)
        {
            out.push(v);
        }
    }
    out
}

/// Checks a net content and its unit, which come together.
pub(super) fn net_content(
    f: &mut Fields,
    amount: Option<String>,
    unit: Option<String>,
) -> Option<NetContent> {
    match (present(amount), present(unit)) {
        (None, None) => None,
        (Some(_), None) => {
            f.push("net_content_unit", "required with net_content");
            None
        }
        (None, Some(_)) => {
            f.push("net_content", "required with net_content_unit");
            None
        }
        (Some(a), Some(u)) => match NetContent::parse(&a, &u) {
            Ok(n) => Some(n),
            Err((field, reason)) => {
                f.push(field, &reason);
                None
            }
        },
    }
}

impl TryFrom<ProductInput> for NewProduct {
    type Error = ApiError;
    fn try_from(b: ProductInput) -> Result<Self, ApiError> {
        let mut f = Fields::default();
        let gtin = if b.gtin.trim().is_empty() {
            f.push("gtin", "required");
            None
        } else {
            f.check("gtin", b.gtin.trim().parse::<Gtin>())
        };
        let name_vi = f.check("name_vi", text(&b.name_vi, NAME_MAX, false));
        let name_en = f.check("name_en", text(&b.name_en, NAME_MAX, false));
        let data = ProductData {
            name_vi: name_vi.unwrap_or_default(),
            name_en: name_en.unwrap_or_default(),
            description_vi: f.optional("description_vi", b.description_vi, |s| {
                text(s, DESCRIPTION_MAX, true)
            }),
            description_en: f.optional("description_en", b.description_en, |s| {
                text(s, DESCRIPTION_MAX, true)
            }),
            brand: f.optional("brand", b.brand, |s| text(s, BRAND_MAX, false)),
            gpc_brick: f.optional("gpc_brick", b.gpc_brick, GpcBrick::parse),
            hs_code: f.optional("hs_code", b.hs_code, HsCode::parse),
            country_of_origin: f.optional("country_of_origin", b.country_of_origin, Country::parse),
            net_content: net_content(&mut f, b.net_content, b.net_content_unit),
            image_url: f.optional("image_url", b.image_url, HttpUrl::parse),
            target_markets: each(&mut f, "target_markets", b.target_markets, Country::parse),
            standards: each(&mut f, "standards", b.standards, Standard::parse),
        };
        // Past `finish`, every required value parsed.
        f.finish()?;
        let gtin = gtin.ok_or_else(|| ApiError::field("gtin", "required"))?;
        Ok(NewProduct { gtin, data })
    }
}

/// Body of `PATCH /products/{gtin}`: absent fields stay, `null` clears an optional one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatchBody {
    /// Name in Vietnamese.
    #[serde(default)]
    pub name_vi: Option<String>,
    /// Name in English.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Description in Vietnamese.
    #[serde(default, deserialize_with = "double_option")]
    pub description_vi: Option<Option<String>>,
    /// Description in English.
    #[serde(default, deserialize_with = "double_option")]
    pub description_en: Option<Option<String>>,
    /// Brand.
    #[serde(default, deserialize_with = "double_option")]
    pub brand: Option<Option<String>>,
    /// GPC brick.
    #[serde(default, deserialize_with = "double_option")]
    pub gpc_brick: Option<Option<String>>,
    /// HS code.
    #[serde(default, deserialize_with = "double_option")]
    pub hs_code: Option<Option<String>>,
    /// Country of origin.
    #[serde(default, deserialize_with = "double_option")]
    pub country_of_origin: Option<Option<String>>,
    /// Net content (with its unit, or both null).
    #[serde(default, deserialize_with = "double_option")]
    pub net_content: Option<Option<String>>,
    /// Unit of the net content.
    #[serde(default, deserialize_with = "double_option")]
    pub net_content_unit: Option<Option<String>>,
    /// Image URL.
    #[serde(default, deserialize_with = "double_option")]
    pub image_url: Option<Option<String>>,
    /// Target markets (replaced whole).
    #[serde(default)]
    pub target_markets: Option<Vec<String>>,
    /// Standards (replaced whole).
    #[serde(default)]
    pub standards: Option<Vec<String>>,
    /// `active` or `discontinued`.
    #[serde(default)]
    pub status: Option<String>,
}

impl TryFrom<PatchBody> for ProductPatch {
    type Error = ApiError;
    fn try_from(b: PatchBody) -> Result<Self, ApiError> {
        let mut f = Fields::default();
        let name = |f: &mut Fields, field: &str, v: Option<String>| {
            v.and_then(|s| f.check(field, text(&s, NAME_MAX, false)))
        };
        let long = |s: &str| text(s, DESCRIPTION_MAX, true);
        let net = match (b.net_content, b.net_content_unit) {
            (None, None) => None,
            (Some(a), Some(u)) => match (present(a), present(u)) {
                (None, None) => Some(None),
                (a, u) => net_content(&mut f, a, u).map(Some),
            },
            _ => {
                f.push(
                    "net_content",
                    "net_content and net_content_unit are changed together",
                );
                None
            }
        };
        let patch = ProductPatch {
            name_vi: name(&mut f, "name_vi", b.name_vi),
            name_en: name(&mut f, "name_en", b.name_en),
            description_vi: f.nullable("description_vi", b.description_vi, long),
            description_en: f.nullable("description_en", b.description_en, long),
            brand: f.nullable("brand", b.brand, |s| text(s, BRAND_MAX, false)),
            gpc_brick: f.nullable("gpc_brick", b.gpc_brick, GpcBrick::parse),
            hs_code: f.nullable("hs_code", b.hs_code, HsCode::parse),
            country_of_origin: f.nullable("country_of_origin", b.country_of_origin, Country::parse),
            net_content: net,
            image_url: f.nullable("image_url", b.image_url, HttpUrl::parse),
            target_markets: b
                .target_markets
                .map(|m| each(&mut f, "target_markets", m, Country::parse)),
            standards: b
                .standards
                .map(|s| each(&mut f, "standards", s, Standard::parse)),
            status: b
                .status
                .and_then(|s| f.check("status", s.parse::<ProductStatus>())),
        };
        f.finish()?;
        Ok(patch)
    }
}
