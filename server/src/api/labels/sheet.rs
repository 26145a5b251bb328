//! `POST /api/v1/labels/sheets`: a printable PDF of a lot's labels, or of a range or list of
//! commissioned serials (optionally commissioned by the same idempotent request), streamed as it
//! is drawn. Every serial is checked against the registry before the first byte is sent.

use std::io::{self, Write};

use actix_web::{HttpRequest, HttpResponse, http::header, web, web::Bytes};
use barcode::{Layout, MatrixShape, Options, Symbology, render, text::Font};
use gs1::keys::{Gtin, Lot, Serial};
use serde::Deserialize;

use super::{refused, symbol_for};
use crate::{
    api::{
        Fields,
        serials::{CommissionBody, RangeBody, parse_commission, read_json},
    },
    auth::Authenticated,
    error::ApiError,
    state::AppState,
};
use domain::{
    labels::{self, Printable, SHEET_MAX},
    serials::{self, SerialSet},
};

/// Where labels go: A4 cells (default 3 × 8 inside 10 mm) or a roll, one label a page.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageBody {
    /// `a4` (default) or `roll`.
    pub size: Option<String>,
    /// A4: labels across (1–10).
    pub columns: Option<u32>,
    /// A4: labels down (1–20).
    pub rows: Option<u32>,
    /// A4: margin on every side, mm (0–50).
    pub margin_mm: Option<f64>,
    /// Roll: label width, mm.
    pub width_mm: Option<f64>,
    /// Roll: label height, mm.
    pub height_mm: Option<f64>,
}

/// Body of `POST /labels/sheets`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetBody {
    /// The product.
    pub gtin: String,
    /// Its lot: the lot's own labels (with `copies`), or the lot the serials belong to.
    #[serde(default)]
    pub lot: Option<String>,
    /// Serials, listed.
    #[serde(default)]
    pub serials: Option<Vec<String>>,
    /// Serials, as a numbered range.
    #[serde(default)]
    pub range: Option<RangeBody>,
    /// Without serials: how many copies of the product's or lot's label (default 1).
    #[serde(default)]
    pub copies: Option<u64>,
    /// `qr` (a Digital Link URI, default), `datamatrix`, `gs1-datamatrix` or `gs1-qr`.
    #[serde(default)]
    pub symbology: Option<String>,
    /// X-dimension, mm.
    #[serde(default)]
    pub x_mm: Option<f64>,
    /// The page layout.
    #[serde(default)]
    pub page: Option<PageBody>,
    /// Commission the serials first (needs `Idempotency-Key`; a retry commissions nothing twice).
    #[serde(default)]
    pub commission: bool,
    /// The language of the product name under each label: `vi` (default) or `en`.
    #[serde(default)]
    pub language: Option<String>,
}

/// What to print, checked.
struct Plan {
    gtin: Gtin,
    lot: Option<Lot>,
    serials: Option<SerialSet>,
    copies: u64,
    symbology: Symbology,
    x_mm: Option<f64>,
    page: render::PageSpec,
    commission: Option<serials::Commission>,
    english: bool,
}

fn page_spec(f: &mut Fields, p: PageBody) -> render::PageSpec {
    match p.size.as_deref().unwrap_or("a4") {
        "roll" => {
            let (w, h) = (p.width_mm.unwrap_or(50.0), p.height_mm.unwrap_or(30.0));
            if !(10.0..=300.0).contains(&w) {
                f.push("page.width_mm", "must be between 10 and 300");
            }
            if !(10.0..=300.0).contains(&h) {
                f.push("page.height_mm", "must be between 10 and 300");
            }
            render::PageSpec::roll(w, h)
        }
        "a4" => {
            let (c, r) = (p.columns.unwrap_or(3), p.rows.unwrap_or(8));
            let m = p.margin_mm.unwrap_or(10.0);
            if !(1..=10).contains(&c) {
                f.push("page.columns", "must be between 1 and 10");
            }
            if !(1..=20).contains(&r) {
                f.push("page.rows", "must be between 1 and 20");
            }
            if !(0.0..=50.0).contains(&m) {
                f.push("page.margin_mm", "must be between 0 and 50");
            }
            render::PageSpec::a4(c, r, m)
        }
        _ => {
            f.push("page.size", "use a4 or roll");
            render::PageSpec::a4(3, 8, 10.0)
        }
    }
}

fn plan(b: SheetBody, key: Option<Result<&str, ()>>) -> Result<Plan, ApiError> {
    let mut f = Fields::default();
    let gtin = f.check("gtin", Gtin::parse(b.gtin.trim()));
    let symbology = match b.symbology.as_deref().map(str::parse::<Symbology>) {
        None => Some(Symbology::Qr),
        Some(Ok(s)) if s.is_matrix() => Some(s),
        Some(Ok(_)) => {
            f.push(
                "symbology",
                "a sheet prints qr, datamatrix, gs1-datamatrix or gs1-qr",
            );
            None
        }
        Some(Err(e)) => f.check("symbology", Err::<Symbology, _>(e)),
    };
    let page = page_spec(&mut f, b.page.unwrap_or_default());
    if b.x_mm.is_some_and(|x| !x.is_finite() || x <= 0.0) {
        f.push("x_mm", "must be a positive number of millimetres");
    }
    let copies = b.copies.unwrap_or(1);
    let listed = b.serials.is_some() || b.range.is_some();
    if listed && b.copies.is_some() {
        f.push("copies", "give copies or serials, not both");
    }
    if !(1..=SHEET_MAX).contains(&copies) {
        f.push("copies", &format!("must be between 1 and {SHEET_MAX}"));
    }
    if b.commission && !listed {
        f.push("commission", "commissioning needs serials or a range");
    }
    let english = match b.language.as_deref() {
        None | Some("vi") => false,
        Some("en") => true,
        Some(_) => {
            f.push("language", "use vi or en");
            false
        }
    };
    let lot_text = b.lot.clone();
    f.finish()?;
    let (Some(gtin), Some(symbology)) = (gtin, symbology) else {
        return Err(ApiError::field("gtin", "invalid"));
    };
    let lot = match &lot_text {
        Some(l) => Some(Lot::parse(l).map_err(|e| ApiError::field("lot", e.to_string()))?),
        None => None,
    };
    let (serials, commission) = if listed {
        // The commissioning body's own checks, so a sheet and a commission agree on a range.
        let idem = match key {
            Some(Ok(k)) => serials::idempotency_key(Some(k)),
            Some(Err(())) => serials::idempotency_key(Some("\u{7f}")),
            None if b.commission => serials::idempotency_key(None),
            None => Ok(String::new()),
        }?;
        let cmd = parse_commission(
            idem,
            CommissionBody {
                range: b.range,
                serials: b.serials,
                lot: lot_text,
            },
        )
        .map_err(|e| match e {
            ApiError::Validation(mut errs) => {
                for fe in &mut errs {
                    if fe.field == "body" {
                        fe.field = "serials".into();
                    }
                }
                ApiError::Validation(errs)
            }
            other => other,
        })?;
        if cmd.set.len() > SHEET_MAX {
            return Err(ApiError::field(
                "serials",
                format!(
                    "at most {SHEET_MAX} labels a sheet; this asks for {}",
                    cmd.set.len()
                ),
            ));
        }
        (Some(cmd.set.clone()), b.commission.then_some(cmd))
    } else {
        (None, None)
    };
    Ok(Plan {
        gtin,
        lot,
        serials,
        copies,
        symbology,
        x_mm: b.x_mm,
        page,
        commission,
        english,
    })
}

/// Sends what is written as response chunks of up to 64 KiB.
struct ChannelWriter {
    tx: tokio::sync::mpsc::Sender<Bytes>,
    buf: Vec<u8>,
}

const CHUNK: usize = 64 * 1024;

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buf));
        // The client went away: stop drawing.
        self.tx
            .blocking_send(chunk)
            .map_err(|_| io::Error::from(io::ErrorKind::BrokenPipe))
    }
}

/// The receiving end as a response body.
struct Chunks(tokio::sync::mpsc::Receiver<Bytes>);

impl futures_core::Stream for Chunks {
    type Item = Result<Bytes, io::Error>;
    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|c| c.map(Ok))
    }
}

/// The text under a label: the product's name and the element string.
fn lines(item: &Printable, serial: Option<&str>, english: bool) -> [String; 2] {
    let mut ais = format!("(01){}", item.gtin);
    if let Some(l) = &item.lot {
        ais.push_str(&format!("(10){}", l.as_str()));
    }
    if let Some(s) = serial {
        ais.push_str(&format!("(21){s}"));
    }
    let name = if english {
        &item.name_en
    } else {
        &item.name_vi
    };
    [name.clone(), ais]
}

/// One label's layout.
fn label(
    item: &Printable,
    serial: Option<&str>,
    plan: &Plan,
    base: &str,
) -> Result<Layout, barcode::LabelError> {
    let one = Printable {
        serial: serial.and_then(|s| Serial::parse(s).ok()),
        ..item.clone()
    };
    let symbol = symbol_for(&one, None, Some(plan.symbology), MatrixShape::Square, base)?;
    let opts = Options {
        x_mm: plan.x_mm,
        text: Some(false),
        ..Options::default()
    };
    Layout::new(&symbol, &opts)
}

/// Draws every label into `out`.
fn draw(plan: &Plan, item: &Printable, base: &str, out: impl Write) -> io::Result<()> {
    let mut sheet = render::SheetWriter::new(out, plan.page)?;
    let fail = |e: barcode::LabelError| io::Error::other(e.to_string());
    match &plan.serials {
        Some(set) => {
            let mut from = 0;
            while from < set.len() {
                let to = (from + 1000).min(set.len());
                for s in set.slice(from, to) {
                    let layout = label(item, Some(&s), plan, base).map_err(fail)?;
                    let [name, ais] = lines(item, Some(&s), plan.english);
                    sheet.add(&layout, &[(Font::Sans, &name), (Font::OcrB, &ais)])?;
                }
                from = to;
            }
        }
        None => {
            let layout = label(item, None, plan, base).map_err(fail)?;
            let [name, ais] = lines(item, None, plan.english);
            for _ in 0..plan.copies {
                sheet.add(&layout, &[(Font::Sans, &name), (Font::OcrB, &ais)])?;
            }
        }
    }
    sheet.finish()?.flush()
}

/// `POST /api/v1/labels/sheets`.
#[tracing::instrument(skip_all)]
pub async fn sheets(
    state: web::Data<AppState>,
    who: Authenticated,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let body: SheetBody = read_json(payload).await?;
    let key = req
        .headers()
        .get("idempotency-key")
        .map(|v| v.to_str().map_err(|_| ()));
    let mut plan = plan(body, key)?;
    let (gtin, lot, set) = (plan.gtin, plan.lot.clone(), plan.serials.clone());
    let commission = plan.commission.take();
    let committed = commission.is_some();
    let lease = std::sync::Arc::clone(&state.lease);
    let item = state
        .apply(move |conn| {
            if let Some(cmd) = commission {
                let out = serials::commission(conn, &who, &gtin, cmd, &lease)?;
                if out.job.status != "done" {
                    return Err(domain::DomainError::Conflict(format!(
                        "commissioning job {} is {}; retry when it is done",
                        out.job.id, out.job.status
                    )));
                }
            }
            match &set {
                Some(set) => labels::printable_serials(conn, &who, &gtin, lot.as_ref(), set),
                None => labels::printable(conn, &who, &gtin, lot.as_ref(), None),
            }
        })
        .await?;
    if committed {
        state.cache.bump(item.gtin.as_str());
    }
    let base = item.link_root(&state.public_base_url).to_owned();
    // The first label decides whether the symbology, the X-dimension and the page agree.
    let first = plan.serials.as_ref().and_then(|s| s.slice(0, 1).pop());
    let layout = label(&item, first.as_deref(), &plan, &base).map_err(refused)?;
    if !render::fits(&plan.page, &layout, 2) {
        let (w, h) = layout.size_mm();
        let (cw, ch) = plan.page.cell_mm();
        return Err(ApiError::field(
            "page",
            format!(
                "a {w:.1} × {h:.1} mm label with two lines of text does not fit a {cw:.1} × {ch:.1} mm cell"
            ),
        ));
    }
    let (tx, rx) = tokio::sync::mpsc::channel(8);
    let name = format!("{}-labels.pdf", item.gtin);
    tokio::task::spawn_blocking(move || {
        let out = ChannelWriter {
            tx,
            buf: Vec::with_capacity(CHUNK),
        };
        if let Err(e) = draw(&plan, &item, &base, out) {
            tracing::warn!(error = %e, "label sheet stopped");
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{name}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .streaming(Chunks(rx)))
}
