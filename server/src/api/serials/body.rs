//! What a client sends: a commissioning request (a range or a list), a state change, the list's query; each checked.

use super::*;

/// The largest commissioning or bulk body: a million 20-character serials in JSON.
pub(super) const MAX_BODY: usize = 32 * 1024 * 1024;

/// Reads a JSON body of up to [`MAX_BODY`] bytes (the app-wide JSON limit is far smaller).
pub(crate) async fn read_json<T: DeserializeOwned>(payload: web::Payload) -> Result<T, ApiError> {
    let buf = payload
        .to_bytes_limited(MAX_BODY)
        .await
        .map_err(|_| ApiError::BadRequest {
            detail: format!("request body larger than {MAX_BODY} bytes"),
            errors: Vec::new(),
        })?
        .map_err(|e| ApiError::BadRequest {
            detail: format!("cannot read the body: {e}"),
            errors: Vec::new(),
        })?;
    crate::api::body::object_from_slice(&buf).map_err(|e| {
        if e.is_data() {
            let msg = e.to_string();
            ApiError::Validation(vec![FieldError::new("body", msg)])
        } else {
            ApiError::BadRequest {
                detail: format!("malformed JSON: {e}"),
                errors: vec![FieldError::new("body", e.to_string())],
            }
        }
    })
}

/// The `range` form of a commissioning body.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeBody {
    /// Leading characters, may be empty.
    #[serde(default)]
    pub prefix: String,
    /// First number.
    pub start: i64,
    /// How many.
    pub count: i64,
    /// Digits, zero-padded.
    pub width: i64,
}

/// Body of `POST /products/{gtin}/serials`: exactly one of `range` and `serials`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommissionBody {
    /// A numbered range.
    #[serde(default)]
    pub range: Option<RangeBody>,
    /// An explicit list.
    #[serde(default)]
    pub serials: Option<Vec<String>>,
    /// The lot they belong to.
    #[serde(default)]
    pub lot: Option<String>,
}

pub(super) fn parse_serials(list: Vec<String>) -> Result<Vec<Serial>, ApiError> {
    let mut f = Fields::default();
    let mut out = Vec::with_capacity(list.len());
    let mut bad = 0;
    for (i, s) in list.iter().enumerate() {
        match Serial::parse(s) {
            Ok(s) => out.push(s),
            Err(e) if bad < 20 => {
                bad += 1;
                f.check::<()>(&format!("serials[{i}]"), Err(e));
            }
            Err(_) => {}
        }
    }
    f.finish()?;
    Ok(out)
}

pub(crate) fn parse_commission(key: String, b: CommissionBody) -> Result<Commission, ApiError> {
    let lot = match b.lot {
        Some(l) => Some(Lot::parse(&l).map_err(|e| ApiError::field("lot", e.to_string()))?),
        None => None,
    };
    let set = match (b.range, b.serials) {
        (Some(r), None) => SerialSet::range(&r.prefix, r.start, r.count, r.width)?,
        (None, Some(list)) => SerialSet::list(parse_serials(list)?)?,
        _ => {
            return Err(ApiError::field(
                "body",
                "give exactly one of range and serials",
            ));
        }
    };
    Ok(Commission { key, set, lot })
}

pub(super) fn parse_serial(s: &str) -> Result<Serial, ApiError> {
    Serial::parse(s).map_err(|e| ApiError::field("serial", e.to_string()))
}

/// Query of `GET /products/{gtin}/serials`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only serials in this state.
    pub state: Option<String>,
    /// Only serials of this lot.
    pub lot: Option<String>,
    /// Page size.
    pub limit: Option<i64>,
    /// Where the previous page ended.
    pub cursor: Option<String>,
}

/// Body of `POST /products/{gtin}/serials/{serial}/state`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateBody {
    /// The new state.
    pub state: String,
    /// Why, recorded in the audit log.
    #[serde(default)]
    pub reason: Option<String>,
}

pub(super) fn parse_state(state: &str, reason: &Option<String>) -> Result<SerialState, ApiError> {
    let mut f = Fields::default();
    let st = f.check("state", state.parse::<SerialState>());
    if reason.as_ref().is_some_and(|r| r.chars().count() > 500) {
        f.push("reason", "must be at most 500 characters");
    }
    f.finish()?;
    st.ok_or_else(|| ApiError::field("state", "invalid"))
}

/// Body of `POST /products/{gtin}/serials/state`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkBody {
    /// The serials, 1 to 100,000, without duplicates.
    pub serials: Vec<String>,
    /// The new state.
    pub state: String,
    /// Why.
    #[serde(default)]
    pub reason: Option<String>,
}
