//! The consumer page for a lookup: maps the [`Lookup`] onto the `web` renderer's view.

use super::lookup::Lookup;
use crate::web::{
    self, Lang, PageView,
    page::{AccreditationView, AlertView, CertificateView, MakerView, ProductView},
};
use verdict::Assessment;

pub use crate::web::negotiate;

/// The page for `l` in `lang`.
pub fn html(l: &Lookup, lang: Lang) -> String {
    web::render(&view(l, lang))
}

/// The renderer's view of a lookup.
pub fn view(l: &Lookup, lang: Lang) -> PageView {
    let ids = l.identifiers.as_ref();
    PageView {
        lang,
        scanned: l.code.clone(),
        gtin: ids.filter(|i| i.key_ai == "01").map(|i| i.key.clone()),
        lot: ids.and_then(|i| i.lot.clone()),
        serial: ids.and_then(|i| i.serial.clone()),
        expiry: ids.and_then(|i| i.expiry.clone()),
        assessment: Assessment {
            verdict: l.verdict,
            reasons: l.reasons.clone(),
        },
        product: l.product.as_ref().map(|p| ProductView {
            gtin: p.gtin.clone(),
            name_vi: p.name_vi.clone(),
            name_en: p.name_en.clone(),
            brand: p.brand.clone(),
            description_vi: p.description_vi.clone(),
            description_en: p.description_en.clone(),
            image_url: p.image_url.clone(),
            net_content: p.net_content.clone(),
            net_content_unit: p.net_content_unit.clone(),
            country_of_origin: p.country_of_origin.clone(),
        }),
        maker: l.maker.as_ref().map(|m| MakerView {
            name: m.name.clone(),
            country: Some(m.country.clone()),
        }),
        certificates: l
            .certificates
            .iter()
            .map(|c| CertificateView {
                number: c.number.clone(),
                kind: c.kind.clone(),
                status: c.effective_status.clone(),
                issue_date: c.issue_date.clone(),
                expiry_date: c.expiry_date.clone(),
                cab_name: c.cab.as_ref().map(|o| o.name.clone()).unwrap_or_default(),
                accreditation: c.accreditation.as_ref().map(|a| AccreditationView {
                    body_name: a.body.as_ref().map(|o| o.name.clone()).unwrap_or_default(),
                    number: a.number.clone(),
                    internationally_recognised: a.internationally_recognised,
                }),
            })
            .collect(),
        alerts: l
            .alerts
            .iter()
            .map(|a| AlertView {
                kind: a.kind.clone(),
                title: a.title.clone(),
                description: a.description.clone(),
                raised_by: a
                    .raised_by
                    .as_ref()
                    .map(|o| o.name.clone())
                    .unwrap_or_default(),
                lots: a.lots.clone(),
                reference: a.reference.clone(),
            })
            .collect(),
        serial_state: l.serial.as_ref().and_then(|s| s.state.clone()),
        passport_url: l.passport.as_ref().map(|p| p.url.clone()),
        links: Vec::new(),
        journey: l
            .journey
            .iter()
            .map(|s| web::journey::JourneyStep {
                date: s.event_time.get(..10).unwrap_or(&s.event_time).to_owned(),
                biz_step: s.biz_step.clone(),
                country: s.country.map(str::to_owned),
            })
            .collect(),
    }
}
