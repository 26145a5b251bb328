//! `GET /api/v1/products/{gtin}/label`: a product's GS1 barcode, or one of its lots' or serials',
//! as SVG, PNG or PDF (admins, or exporters of the product's organisation); `sheet`: many of them
//! in one PDF. A label never names a lot or serial the registry does not know (`domain::labels`).

mod sheet;

pub use sheet::{PageBody, SheetBody, sheets};

use actix_web::{HttpResponse, http::header, web};
use barcode::{LabelError, Layout, MatrixShape, Options, Symbol, Symbology, render};
use gs1::{
    digital_link::{DigitalLink, DlOptions},
    element::{AiString, Options as ElementOptions},
    keys::{Lot, Serial},
};
use serde::Deserialize;

use super::{Fields, products::path_gtin};
use crate::{auth::Authenticated, error::ApiError, state::AppState};
use domain::{
    labels::{self, Printable},
    lots::IsoDate,
};

/// The printer resolutions a PNG may be made for.
const DPI: std::ops::RangeInclusive<u32> = 72..=2400;

/// Query of `GET /products/{gtin}/label`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelQuery {
    /// The symbology (default: the GTIN's own; a Digital Link QR with a lot, serial or expiry).
    pub symbology: Option<String>,
    /// `svg` (default), `png` or `pdf`.
    pub format: Option<String>,
    /// X-dimension, mm (default: the symbology's).
    pub x_mm: Option<f64>,
    /// PNG resolution (default 300).
    pub dpi: Option<u32>,
    /// A registered lot.
    pub lot: Option<String>,
    /// A commissioned serial.
    pub serial: Option<String>,
    /// Expiry date, `YYYY-MM-DD` (AI 17).
    pub expiry: Option<String>,
    /// Print the human-readable text (default: under linear symbols only).
    pub text: Option<bool>,
    /// Rectangular DataMatrix.
    pub rectangle: Option<bool>,
}

/// Which query field a refusal of the barcode crate is about.
fn field_of(e: &LabelError) -> &'static str {
    match e {
        LabelError::XDimension { .. } => "x_mm",
        LabelError::Resolution { .. } => "dpi",
        _ => "symbology",
    }
}

pub(crate) fn refused(e: LabelError) -> ApiError {
    ApiError::field(field_of(&e), e.to_string())
}

/// The symbol for `item`: the GTIN alone in its own symbology, or every AI it has (expiry, lot,
/// serial) in a GS1 symbol, or as a Digital Link URI on `base` in a QR code or DataMatrix.
pub fn symbol_for(
    item: &Printable,
    expiry: Option<&str>,
    symbology: Option<Symbology>,
    shape: MatrixShape,
    base: &str,
) -> Result<Symbol, LabelError> {
    let plain = item.lot.is_none() && item.serial.is_none() && expiry.is_none();
    let linear_gtin = matches!(
        symbology,
        Some(Symbology::Ean13 | Symbology::Ean8 | Symbology::UpcA | Symbology::Itf14)
    );
    if plain && (symbology.is_none() || linear_gtin) {
        return match symbology {
            None => Symbol::for_gtin(&item.gtin),
            Some(s) => Symbol::gtin(s, &item.gtin),
        };
    }
    let mut pairs = vec![("01", item.gtin.as_str())];
    pairs.extend(expiry.map(|e| ("17", e)));
    pairs.extend(item.lot.as_ref().map(|l| ("10", l.as_str())));
    pairs.extend(item.serial.as_ref().map(|s| ("21", s.as_str())));
    let encoder = |reason: String| LabelError::Encoder {
        symbology: symbology.unwrap_or(Symbology::Qr),
        reason,
    };
    let ais = AiString::from_pairs(pairs, &ElementOptions::default())
        .map_err(|e| encoder(e.to_string()))?;
    match symbology.unwrap_or(Symbology::Qr) {
        s @ (Symbology::Qr | Symbology::DataMatrix) => {
            let uri = ais
                .to_digital_link(Some(base))
                .map_err(|e| encoder(e.to_string()))?;
            let link = DigitalLink::parse(&uri, &DlOptions::default())
                .map_err(|e| encoder(e.to_string()))?;
            Symbol::digital_link(s, &link, shape)
        }
        s => Symbol::element_string(s, &ais)?.with_shape(shape),
    }
}

/// `GET /api/v1/products/{gtin}/label`.
#[tracing::instrument(skip(state))]
pub async fn product_label(
    state: web::Data<AppState>,
    who: Authenticated,
    gtin: web::Path<String>,
    q: web::Query<LabelQuery>,
) -> Result<HttpResponse, ApiError> {
    let gtin = path_gtin(&gtin)?;
    let q = q.into_inner();
    let mut f = Fields::default();
    let symbology = q
        .symbology
        .and_then(|s| f.check("symbology", s.parse::<Symbology>()));
    let format = match q.format {
        None => Some(render::Format::Svg),
        Some(s) => f.check("format", s.parse::<render::Format>()),
    };
    let lot = q.lot.and_then(|s| f.check("lot", Lot::parse(&s)));
    let serial = q.serial.and_then(|s| f.check("serial", Serial::parse(&s)));
    let expiry = q.expiry.and_then(|s| f.check("expiry", IsoDate::parse(&s)));
    let dpi = q.dpi.unwrap_or(300);
    if !DPI.contains(&dpi) {
        f.push("dpi", "must be between 72 and 2400");
    }
    if q.x_mm.is_some_and(|x| !x.is_finite() || x <= 0.0) {
        f.push("x_mm", "must be a positive number of millimetres");
    }
    f.finish()?;
    let format = format.unwrap_or(render::Format::Svg);
    let item = state
        .apply(move |conn| labels::printable(conn, &who, &gtin, lot.as_ref(), serial.as_ref()))
        .await?;
    let shape = if q.rectangle.unwrap_or(false) {
        MatrixShape::Rectangle
    } else {
        MatrixShape::Square
    };
    let yymmdd = expiry.map(|d| d.date().format("%y%m%d").to_string());
    let symbol = symbol_for(
        &item,
        yymmdd.as_deref(),
        symbology,
        shape,
        item.link_root(&state.public_base_url),
    )
    .map_err(refused)?;
    let opts = Options {
        x_mm: q.x_mm,
        text: q.text,
        ..Options::default()
    };
    let layout = Layout::new(&symbol, &opts).map_err(refused)?;
    let body = match format {
        render::Format::Svg => render::svg(&layout).into_bytes(),
        render::Format::Png => render::png(&layout, dpi).map_err(refused)?,
        render::Format::Pdf => render::pdf(&layout),
    };
    let mut name = item.gtin.as_str().to_owned();
    for part in [
        item.lot.as_ref().map(|l| l.as_str()),
        item.serial.as_ref().map(|s| s.as_str()),
    ]
    .into_iter()
    .flatten()
    {
        name.push('-');
        name.extend(part.chars().filter(char::is_ascii_alphanumeric));
    }
    let ext = match format {
        render::Format::Svg => "svg",
        render::Format::Png => "png",
        render::Format::Pdf => "pdf",
    };
    Ok(HttpResponse::Ok()
        .content_type(format.media_type())
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{name}.{ext}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .body(body))
}
