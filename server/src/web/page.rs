//! The page a consumer sees after scanning a pack: the verdict first, then any recall, the
//! product, its maker, certificates with their accreditation chain, and the scanned code.
//! One self-contained HTML document (inline CSS, no script) readable on a small phone.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::i18n::{Lang, Msg};
use verdict::{Assessment, Verdict};

const STYLE: &str = include_str!("style.css");

/// Everything the consumer page shows about one scan, filled by the resolver; rendering only
/// formats it, so every field is already the text to show (dates as `YYYY-MM-DD`).
#[derive(Clone, Debug)]
pub struct PageView {
    /// The page language.
    pub lang: Lang,
    /// The code as scanned: a Digital Link URI, an element string or typed digits.
    pub scanned: String,
    /// The GTIN read from the code, if any (14 digits, or as the code carried it).
    pub gtin: Option<String>,
    /// The lot (AI 10) in the code.
    pub lot: Option<String>,
    /// The serial (AI 21) in the code.
    pub serial: Option<String>,
    /// The expiry date (AI 17) in the code.
    pub expiry: Option<String>,
    /// The verdict and its reasons, from `verdict::evaluate`.
    pub assessment: Assessment,
    /// The registered product; `None` for an unknown or invalid code.
    pub product: Option<ProductView>,
    /// The organisation the product belongs to.
    pub maker: Option<MakerView>,
    /// Certificates covering the product.
    pub certificates: Vec<CertificateView>,
    /// Active alerts on the GTIN, whichever lots they name; the page decides which apply.
    pub alerts: Vec<AlertView>,
    /// The scanned serial's state (`commissioned` ... `destroyed`); `None` with a serial in the
    /// code means the registry does not know it.
    pub serial_state: Option<String>,
    /// URL of the latest published, signed passport version.
    pub passport_url: Option<String>,
    /// Other links from the GTIN's linkset.
    pub links: Vec<LinkView>,
    /// The public journey of the scanned lot or item, in time order.
    pub journey: Vec<super::journey::JourneyStep>,
}

impl Default for PageView {
    fn default() -> Self {
        Self {
            lang: Lang::default(),
            scanned: String::new(),
            gtin: None,
            lot: None,
            serial: None,
            expiry: None,
            assessment: Assessment {
                verdict: Verdict::Unknown,
                reasons: Vec::new(),
            },
            product: None,
            maker: None,
            certificates: Vec::new(),
            alerts: Vec::new(),
            serial_state: None,
            passport_url: None,
            links: Vec::new(),
            journey: Vec::new(),
        }
    }
}

/// The product as registered.
#[derive(Clone, Debug, Default)]
pub struct ProductView {
    /// GTIN (14 digits).
    pub gtin: String,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
    /// Brand.
    pub brand: Option<String>,
    /// Vietnamese description.
    pub description_vi: Option<String>,
    /// English description.
    pub description_en: Option<String>,
    /// Picture of the pack (only `http(s)` URLs are shown).
    pub image_url: Option<String>,
    /// Net content amount, e.g. `500`.
    pub net_content: Option<String>,
    /// Its UN/CEFACT unit code, e.g. `GRM`.
    pub net_content_unit: Option<String>,
    /// Country of origin, ISO 3166 alpha-2.
    pub country_of_origin: Option<String>,
}

/// The organisation the product belongs to.
#[derive(Clone, Debug, Default)]
pub struct MakerView {
    /// Organisation name.
    pub name: String,
    /// Its country, ISO 3166 alpha-2.
    pub country: Option<String>,
}

/// A certificate with the chain that makes it trustworthy.
#[derive(Clone, Debug, Default)]
pub struct CertificateView {
    /// Certificate number.
    pub number: String,
    /// `certificate`, `test_report` or `inspection_certificate`.
    pub kind: String,
    /// Effective status today: `valid`, `expiring_soon`, `expired`, `suspended`, `withdrawn`.
    pub status: String,
    /// Issue date.
    pub issue_date: String,
    /// Expiry date, if it has one.
    pub expiry_date: Option<String>,
    /// Name of the issuing conformity assessment body.
    pub cab_name: String,
    /// The accreditation covering it at issue; `None`: issued without accreditation.
    pub accreditation: Option<AccreditationView>,
}

/// The accreditation of a CAB, as it stood when a certificate was issued.
#[derive(Clone, Debug, Default)]
pub struct AccreditationView {
    /// Name of the accreditation body.
    pub body_name: String,
    /// Accreditation number.
    pub number: String,
    /// The accreditation body signed the ILAC/IAF arrangement for the scope.
    pub internationally_recognised: bool,
}

/// An active alert on the product.
#[derive(Clone, Debug, Default)]
pub struct AlertView {
    /// `recall` or `safety_warning`.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Name of the organisation that raised it.
    pub raised_by: String,
    /// Lots concerned; empty means every lot.
    pub lots: Vec<String>,
    /// The raiser's reference.
    pub reference: Option<String>,
}

/// A link to show (from the linkset).
#[derive(Clone, Debug, Default)]
pub struct LinkView {
    /// Text of the link.
    pub title: String,
    /// Target; only `http(s)` and same-site paths are made links.
    pub href: String,
}

impl AlertView {
    /// Whether the alert may concern the scanned pack: it names no lot, names the scanned lot,
    /// or names lots while the scan carried none (the consumer must check the pack).
    fn applies_to(&self, lot: Option<&str>) -> bool {
        self.lots.is_empty() || lot.is_none_or(|l| self.lots.iter().any(|a| a == l))
    }

    fn is_recall(&self) -> bool {
        self.kind == "recall"
    }
}

/// Renders the complete HTML5 document for one scan.
pub fn render(view: &PageView) -> String {
    let lang = view.lang;
    let verdict = view.assessment.verdict;
    let name = view.product.as_ref().map(|p| names(lang, p).0);
    let title = match name {
        Some(n) => format!("{} · {n} · GS1 DPP", lang.verdict(verdict)),
        None => format!("{} · GS1 DPP", lang.verdict(verdict)),
    };
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light";
                // Lots and serials are in the URL; such pages do not belong in search engines.
                meta name="robots" content="noindex";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                main {
                    (verdict_section(view))
                    (recall_banner(view))
                    @if let Some(p) = &view.product {
                        (product_section(lang, p))
                    }
                    (reasons_section(view))
                    @if let Some(m) = &view.maker {
                        (maker_section(lang, m))
                    }
                    @if view.product.is_some() {
                        (certificates_section(lang, &view.certificates))
                    }
                    (super::journey::section(lang, &view.journey))
                    (code_section(view))
                    (passport_section(view))
                    (language_switch(lang))
                }
                footer {
                    p { (lang.t(Msg::Footer)) }
                    p.brand { "GS1 DPP" }
                }
            }
        }
    }
    .into_string()
}

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Verified => "v-verified",
        Verdict::Warning => "v-warning",
        Verdict::NonCompliant => "v-non-compliant",
        Verdict::Suspect => "v-suspect",
        Verdict::Unknown => "v-unknown",
        Verdict::Invalid => "v-invalid",
    }
}

/// A symbol beside the verdict word, so no verdict is told by colour alone. U+FE0E asks for
/// the text form where a phone would otherwise draw an emoji.
fn verdict_icon(v: Verdict) -> &'static str {
    match v {
        Verdict::Verified => "✓",
        Verdict::Warning => "!",
        Verdict::NonCompliant => "✕",
        Verdict::Suspect => "⚠\u{fe0e}",
        Verdict::Unknown => "?",
        Verdict::Invalid => "⊘",
    }
}

fn verdict_section(view: &PageView) -> Markup {
    let lang = view.lang;
    let v = view.assessment.verdict;
    html! {
        section.verdict.(verdict_class(v)) {
            div.verdict-head {
                span.verdict-icon aria-hidden="true" { (verdict_icon(v)) }
                h1 data-testid="verdict" { (lang.verdict(v)) }
            }
            p.explain { (lang.verdict_explanation(v)) }
        }
    }
}

/// The reasons behind the verdict, most severe first, each with its sentence in the page
/// language and the rule's English detail (which names the certificate, lot or date).
fn reasons_section(view: &PageView) -> Markup {
    let lang = view.lang;
    html! {
        @if !view.assessment.reasons.is_empty() {
            section.card.reasons {
                h2 { (lang.t(Msg::Why)) }
                ul {
                    @for r in &view.assessment.reasons {
                        li.(verdict_class(r.severity)) {
                            span.reason-icon aria-hidden="true" { (verdict_icon(r.severity)) }
                            span {
                                @if let Some(text) = lang.reason(r.code) {
                                    (text)
                                    @if !r.detail.is_empty() {
                                        small.detail lang="en" { (r.detail) }
                                    }
                                } @else {
                                    span lang="en" { (r.detail) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn recall_banner(view: &PageView) -> Markup {
    let lang = view.lang;
    let lot = view.lot.as_deref();
    let (ours, others): (Vec<&AlertView>, Vec<&AlertView>) =
        view.alerts.iter().partition(|a| a.applies_to(lot));
    let any_recall = ours.iter().any(|a| a.is_recall());
    html! {
        @if !ours.is_empty() {
            section.banner.recall[any_recall].safety[!any_recall]
                data-testid="recall-banner" {
                h2 {
                    span aria-hidden="true" { "⚠\u{fe0e} " }
                    (lang.t(if any_recall { Msg::RecallHeading } else { Msg::SafetyHeading }))
                }
                @for a in &ours {
                    article.alert {
                        p.alert-title {
                            strong { (lang.alert_kind(&a.kind).unwrap_or(&a.kind)) ": " }
                            (a.title)
                        }
                        @if let Some(d) = &a.description {
                            p { (d) }
                        }
                        dl {
                            dt { (lang.t(Msg::LotsAffected)) }
                            dd {
                                @if a.lots.is_empty() {
                                    (lang.t(Msg::AllLots))
                                } @else {
                                    (a.lots.join(", "))
                                }
                            }
                            @if !a.raised_by.is_empty() {
                                dt { (lang.t(Msg::RaisedBy)) }
                                dd { (a.raised_by) }
                            }
                            @if let Some(r) = &a.reference {
                                dt { (lang.t(Msg::Reference)) }
                                dd { (r) }
                            }
                        }
                        @if !a.lots.is_empty() && lot.is_none() {
                            p.check-lot { (lang.t(Msg::CheckLot)) }
                        }
                    }
                }
                @if any_recall {
                    p.advice { (lang.t(Msg::RecallAdvice)) }
                }
            }
        }
        @if !others.is_empty() {
            section.card.other-lots {
                h2 { (lang.t(Msg::OtherLots)) }
                ul {
                    @for a in &others {
                        li {
                            (lang.alert_kind(&a.kind).unwrap_or(&a.kind)) ": " (a.title)
                            " (" (lang.t(Msg::LotsAffected)) ": " (a.lots.join(", ")) ")"
                        }
                    }
                }
            }
        }
    }
}

/// The name in the page language (the other language's if it is missing) and the other name
/// when it differs, with that name's language.
fn names(lang: Lang, p: &ProductView) -> (&str, Option<(&str, Lang)>) {
    let (mine, theirs) = match lang {
        Lang::Vi => (p.name_vi.trim(), p.name_en.trim()),
        Lang::En => (p.name_en.trim(), p.name_vi.trim()),
    };
    if mine.is_empty() {
        (theirs, None)
    } else if theirs.is_empty() || theirs == mine {
        (mine, None)
    } else {
        (mine, Some((theirs, lang.other())))
    }
}

fn product_section(lang: Lang, p: &ProductView) -> Markup {
    let (name, other) = names(lang, p);
    let description = match lang {
        Lang::Vi => p.description_vi.as_ref().or(p.description_en.as_ref()),
        Lang::En => p.description_en.as_ref().or(p.description_vi.as_ref()),
    };
    let net = p.net_content.as_ref().map(|amount| {
        let unit = p.net_content_unit.as_deref().unwrap_or_default();
        format!("{amount} {}", lang.unit(unit).unwrap_or(unit))
    });
    html! {
        section.card.product {
            p.section-label { (lang.t(Msg::Product)) }
            @if let Some(src) = p.image_url.as_deref().and_then(link_target) {
                img src=(src) alt=(name) loading="lazy";
            }
            h2.product-name data-testid="product-name" { (name) }
            @if let Some((n, l)) = other {
                p.other-name lang=(l.code()) { (n) }
            }
            @if let Some(d) = description {
                p.description { (d) }
            }
            dl {
                @if let Some(b) = &p.brand {
                    dt { (lang.t(Msg::Brand)) }
                    dd { (b) }
                }
                @if let Some(n) = &net {
                    dt { (lang.t(Msg::NetContent)) }
                    dd { (n.trim_end()) }
                }
                @if let Some(c) = &p.country_of_origin {
                    dt { (lang.t(Msg::Origin)) }
                    dd { (lang.country(c).unwrap_or(c)) }
                }
                dt { (lang.t(Msg::Gtin)) }
                dd.code { (p.gtin) }
            }
        }
    }
}

fn maker_section(lang: Lang, m: &MakerView) -> Markup {
    html! {
        section.card.maker {
            p.section-label { (lang.t(Msg::Maker)) }
            p.maker-name { (m.name) }
            @if let Some(c) = &m.country {
                p.muted { (lang.t(Msg::Country)) ": " (lang.country(c).unwrap_or(c)) }
            }
        }
    }
}

fn status_class(status: &str) -> &'static str {
    match status {
        "valid" => "s-good",
        "expiring_soon" | "expired" => "s-warn",
        _ => "s-bad",
    }
}

fn certificates_section(lang: Lang, certificates: &[CertificateView]) -> Markup {
    html! {
        section.card.certificates data-testid="certificates" {
            h2 { (lang.t(Msg::Certificates)) }
            @if certificates.is_empty() {
                p.muted { (lang.t(Msg::NoCertificates)) }
            }
            @for c in certificates {
                article.cert {
                    div.cert-head {
                        span.cert-number {
                            (lang.certificate_kind(&c.kind).unwrap_or(&c.kind)) " " strong { (c.number) }
                        }
                        span.status.(status_class(&c.status)) {
                            (lang.certificate_status(&c.status).unwrap_or(&c.status))
                        }
                    }
                    dl {
                        dt { (lang.t(Msg::Issued)) }
                        dd { (c.issue_date) }
                        dt { (lang.t(Msg::Expires)) }
                        dd { (c.expiry_date.as_deref().unwrap_or(lang.t(Msg::NoExpiry))) }
                        dt { (lang.t(Msg::Cab)) }
                        dd { (c.cab_name) }
                        @if let Some(a) = &c.accreditation {
                            dt { (lang.t(Msg::AccreditedBy)) }
                            dd { (a.body_name) }
                            dt { (lang.t(Msg::AccreditationNumber)) }
                            dd { (a.number) }
                        }
                    }
                    @match &c.accreditation {
                        Some(a) if a.internationally_recognised => {
                            p.chain.s-good { "✓ " (lang.t(Msg::InternationallyRecognised)) }
                        }
                        Some(_) => {
                            p.chain.s-warn { "! " (lang.t(Msg::NotInternationallyRecognised)) }
                        }
                        None => {
                            p.chain.s-warn { "! " (lang.t(Msg::IssuedWithoutAccreditation)) }
                        }
                    }
                }
            }
        }
    }
}

fn code_section(view: &PageView) -> Markup {
    let lang = view.lang;
    let help = match view.assessment.verdict {
        Verdict::Unknown if view.product.is_none() => Some(Msg::UnknownHelp),
        Verdict::Invalid => Some(Msg::InvalidHelp),
        _ => None,
    };
    html! {
        section.card.scanned {
            h2 { (lang.t(Msg::ScannedCode)) }
            @if let Some(h) = help {
                p { (lang.t(h)) }
            }
            dl {
                @if !view.scanned.is_empty() {
                    dt { (lang.t(Msg::Code)) }
                    dd.code { (view.scanned) }
                }
                @if view.product.is_none() {
                    @if let Some(g) = &view.gtin {
                        dt { (lang.t(Msg::Gtin)) }
                        dd.code { (g) }
                    }
                }
                @if let Some(l) = &view.lot {
                    dt { (lang.t(Msg::Lot)) }
                    dd.code { (l) }
                }
                @if let Some(s) = &view.serial {
                    dt { (lang.t(Msg::Serial)) }
                    dd.code { (s) }
                    dt { (lang.t(Msg::SerialState)) }
                    dd {
                        @match &view.serial_state {
                            Some(st) => { (lang.serial_state(st).unwrap_or(st)) }
                            None => { (lang.t(Msg::SerialNotFound)) }
                        }
                    }
                }
                @if let Some(e) = &view.expiry {
                    dt { (lang.t(Msg::Expiry)) }
                    dd { (e) }
                }
            }
        }
    }
}

fn passport_section(view: &PageView) -> Markup {
    let lang = view.lang;
    let passport = view.passport_url.as_deref().and_then(link_target);
    let links: Vec<(&LinkView, Option<&str>)> = view
        .links
        .iter()
        .map(|l| (l, link_target(&l.href)))
        .collect();
    html! {
        @if let Some(href) = passport {
            section.card.passport {
                h2 { (lang.t(Msg::Passport)) }
                a.button href=(href) data-testid="passport-link" { (lang.t(Msg::PassportLink)) }
            }
        }
        @if !links.is_empty() {
            section.card.links {
                h2 { (lang.t(Msg::MoreLinks)) }
                ul {
                    @for (l, href) in &links {
                        li {
                            @let text = if l.title.is_empty() { &l.href } else { &l.title };
                            @if let Some(h) = href {
                                a href=(h) rel="noopener" { (text) }
                            } @else {
                                (text)
                            }
                        }
                    }
                }
            }
        }
    }
}

fn language_switch(lang: Lang) -> Markup {
    let other = lang.other();
    // A query-only reference keeps the scanned path as it is.
    html! {
        p.lang-switch {
            (lang.t(Msg::Language)) ": "
            a href={ "?lang=" (other.code()) } hreflang=(other.code()) lang=(other.code()) {
                (other.t(Msg::LanguageName))
            }
        }
    }
}

/// A URL safe to put in `href`/`src`: absolute `http(s)` or a same-site path; anything else
/// (`javascript:`, `data:`, protocol-relative) is shown as text or dropped.
fn link_target(url: &str) -> Option<&str> {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let ok = lower.starts_with("https://")
        || lower.starts_with("http://")
        || (url.starts_with('/') && !url.starts_with("//"));
    ok.then_some(url)
}
