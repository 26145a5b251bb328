//! `POST /api/v1/products/import`: many products at once, from CSV (a header row naming the
//! fields of `POST /products`, lists separated by `;`) or a JSON array of such objects.

mod rows;

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use serde_json::Value;

use super::products::ProductInput;
use crate::{
    auth::Authenticated,
    error::{ApiError, FieldError},
    state::AppState,
};
use actix_web::web::Bytes;
use domain::products::{self, ImportRow, NewProduct};
use gs1::keys::Gtin;
use rows::{Format, csv_rows, json_rows};

/// The largest body accepted: about 100,000 typical CSV rows.
pub const MAX_BODY: usize = 32 * 1024 * 1024;

/// The fields a row may set; `gtin`, `name_vi` and `name_en` are required.
pub const COLUMNS: [&str; 14] = [
    "gtin",
    "name_vi",
    "name_en",
    "description_vi",
    "description_en",
    "brand",
    "gpc_brick",
    "hs_code",
    "country_of_origin",
    "net_content",
    "net_content_unit",
    "image_url",
    "target_markets",
    "standards",
];

const REQUIRED: [&str; 3] = ["gtin", "name_vi", "name_en"];

/// `POST /api/v1/products/import` (admins, or exporters: each row's GTIN must be theirs).
#[tracing::instrument(skip(state, req, payload))]
pub async fn import(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    who.owner()?;
    let format = Format::of(&req)?;
    let body = match payload.to_bytes_limited(MAX_BODY).await {
        Ok(Ok(body)) => body,
        Ok(Err(e)) => return Err(bad_request(format!("cannot read the body: {e}"))),
        Err(_) => {
            return Err(bad_request(format!(
                "request body too large: at most {MAX_BODY} bytes"
            )));
        }
    };
    // Rows are parsed as the import takes them: memory holds the body, one chunk of rows and
    // the capped error list, however many rows the body has.
    let report = match format {
        Format::Csv => {
            let rows = csv_rows(body)?;
            state
                .apply(move |conn| products::import(conn, &who.actor(), who.owner()?, rows))
                .await?
        }
        Format::Json => {
            let rows = json_rows(body)?;
            state
                .apply(move |conn| products::import(conn, &who.actor(), who.owner()?, rows))
                .await?
        }
    };
    state
        .cache
        .bump_each(report.created_gtins.iter().map(Gtin::as_str));
    Ok(HttpResponse::Ok().json(report))
}

fn bad_request(detail: String) -> ApiError {
    ApiError::BadRequest {
        detail,
        errors: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(rows: &[ImportRow]) -> Vec<(usize, Vec<String>)> {
        rows.iter()
            .map(|(n, r)| {
                let f = match r {
                    Ok(_) => Vec::new(),
                    Err(e) => e.iter().map(|e| e.field.clone()).collect(),
                };
                (*n, f)
            })
            .collect()
    }

    #[test]
    fn csv_rows_are_numbered_after_the_header_and_checked_one_by_one() {
        let body = "\u{feff}gtin,name_vi,name_en,target_markets,net_content,net_content_unit\n\
                    8934567890120,Cà phê,Coffee,VN; US,500,GRM\n\
                    8934567890127,Trà,Tea,,,\n\
                    8934567890137,\"Trà, xanh\",Green tea,XX,1,\n\
                    too,few\n";
        let rows: Vec<ImportRow> = csv_rows(Bytes::from(body)).unwrap().collect();
        assert_eq!(
            fields(&rows),
            vec![
                (1, vec![]),
                (2, vec!["gtin".to_owned()]),
                (
                    3,
                    vec![
                        "net_content_unit".to_owned(),
                        "target_markets[0]".to_owned()
                    ]
                ),
                (4, vec!["row".to_owned()]),
            ]
        );
        let Ok(first) = &rows[0].1 else { panic!() };
        assert_eq!(first.data.target_markets.len(), 2);
    }

    #[test]
    fn csv_headers_must_name_known_fields_once() {
        let err = |h: &str| match csv_rows(Bytes::copy_from_slice(h.as_bytes())) {
            Err(ApiError::Validation(e)) => e.into_iter().map(|e| e.reason).collect::<Vec<_>>(),
            Err(other) => panic!("{h}: {other:?}"),
            Ok(_) => panic!("{h}: accepted"),
        };
        assert!(err("gtin,name_vi\n")[0].contains("missing column \"name_en\""));
        assert!(err("gtin,name_vi,name_en,colour\n")[0].contains("unknown column \"colour\""));
        assert!(err("gtin,name_vi,name_en,gtin\n")[0].contains("appears twice"));
        assert_eq!(
            csv_rows(Bytes::from_static(b"gtin,name_vi,name_en\n"))
                .unwrap()
                .count(),
            0
        );
    }

    #[test]
    fn json_rows_name_the_bad_field() {
        let body = br#"[
            {"gtin": "8934567890120", "name_vi": "A", "name_en": "A", "standards": ["TCVN 5603:2023"]},
            {"gtin": 8934567890120, "name_vi": "A", "name_en": "A", "colour": "red"},
            "not an object",
            {"gtin": "8934567890120", "name_vi": "A", "name_en": "A", "target_markets": [1]}
        ]"#;
        let rows: Vec<ImportRow> = json_rows(Bytes::from_static(body)).unwrap().collect();
        assert_eq!(
            fields(&rows),
            vec![
                (1, vec![]),
                (2, vec!["colour".to_owned(), "gtin".to_owned()]),
                (3, vec!["row".to_owned()]),
                (4, vec!["target_markets".to_owned()]),
            ]
        );
        for bad in [&b"{}"[..], b"[1, 2", b"[1] x", b"", b"[{\"gtin\": }]"] {
            assert!(
                matches!(
                    json_rows(Bytes::from_static(bad)),
                    Err(ApiError::BadRequest { .. })
                ),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        let blank = |b: &'static [u8]| json_rows(Bytes::from_static(b)).unwrap().count();
        assert_eq!(blank(b" [ ] "), 0);
        assert_eq!(blank(b"\n[1,\n 2 ,3]\n"), 3);
    }
}
