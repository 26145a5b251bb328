//! `seed --demo` and `seed --products N`: demo and load-test data written through the domain
//! functions, so every row is validated and audited as it would be over HTTP.

mod journey;

use domain::Caller;
use std::time::Instant;

use anyhow::{Context, anyhow};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::NaiveDate;
use gs1::{
    keys::{CompanyPrefix, Gln, Gtin, Lot, Serial, Sscc},
    link_type::LinkType,
};
use serde_json::{Value, json};

use crate::config::Settings;

use db::{self, DbConn};

use db::page::PageRequest;
use domain::{
    Actor, Country, Email, OrgKind, OrgName, Owner, Password, Role,
    accreditation::{AccreditationStandard, Arrangement, SignatureScope, SignatureStatus},
    accreditations::{self, NewAccreditation, NewSignature},
    alerts::{self, AlertKind, AlertSource, NewAlert},
    certificates::{self, CertificateKind, CertificateStatus, NewCertificate},
    inspections::{self, NewInspection, Outcome},
    links::{self, NewLink},
    lots::{self, NewLot},
    orgs::{self, NewOrg},
    passports::{self, Draft, PassportKey},
    prefixes::{self, KeyKind, NewPrefix},
    product_fields::{HttpUrl, Standard},
    products::{self, NewProduct, ProductData},
    serials::{self, Commission, SerialSet},
    users::{self, NewUser},
};

use domain::keys::Keys;

/// The demo admin's e-mail; its presence means the demo was loaded.
pub const ADMIN_EMAIL: &str = "admin@demo.gs1dpp.vn";
const PREFIX: &str = "8934567";
const LOAD_PREFIX: &str = "893999";

fn open(settings: &Settings) -> anyhow::Result<db::PooledConn> {
    let mut s = settings.clone();
    s.db_pool_size = 1;
    let pool = crate::startup::open_database(&s)?;
    Ok(pool.get().map_err(db::DbError::Pool)?)
}

fn password() -> anyhow::Result<String> {
    Ok(URL_SAFE_NO_PAD.encode(domain::keys::random_bytes(18)?))
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

fn org(conn: &mut DbConn, kind: OrgKind, name: &str) -> anyhow::Result<String> {
    if let [o] = db::orgs::by_name(conn, name)?.as_slice() {
        return Ok(o.id.clone());
    }
    let new = NewOrg {
        kind,
        name: OrgName::parse(name).map_err(|e| anyhow!(e))?,
        country: Country::parse("VN").map_err(|e| anyhow!(e))?,
        gln: None,
    };
    Ok(orgs::create(conn, &Actor::cli(), new)?.id)
}

fn user(
    conn: &mut DbConn,
    org_id: &str,
    email: &str,
    role: Role,
) -> anyhow::Result<(Caller, String)> {
    let pw = password()?;
    let u = users::create(
        conn,
        &Actor::cli(),
        NewUser {
            org_id: org_id.to_owned(),
            email: Email::parse(email).map_err(|e| anyhow!(e))?,
            password: Password::parse(pw.clone()).map_err(|e| anyhow!(e))?,
            role,
        },
    )?;
    let who = Caller {
        subject: domain::Subject::User(u.id),
        org_id: org_id.to_owned(),
        role,
    };
    Ok((who, pw))
}

fn gtin(cp: &CompanyPrefix, item: u64) -> anyhow::Result<Gtin> {
    Ok(cp.gtin13(item)?)
}

fn product_data(vi: &str, en: &str, standards: &[&str]) -> ProductData {
    ProductData {
        name_vi: vi.to_owned(),
        name_en: en.to_owned(),
        description_vi: None,
        description_en: None,
        brand: Some("Tây Nguyên".to_owned()),
        gpc_brick: None,
        hs_code: None,
        country_of_origin: Country::parse("VN").ok(),
        net_content: None,
        image_url: None,
        target_markets: vec![],
        standards: standards
            .iter()
            .filter_map(|s| Standard::parse(s).ok())
            .collect(),
    }
}

/// The demo's fixed names, GTINs and numbers (all but the generated passwords and the SSCC/GLN).
struct Plan {
    coffee: Gtin,
    pepper: Gtin,
    cashew: Gtin,
    rice: Gtin,
    unknown: Gtin,
}

fn plan() -> anyhow::Result<Plan> {
    let cp = CompanyPrefix::parse(PREFIX)?;
    Ok(Plan {
        coffee: gtin(&cp, 1)?,
        pepper: gtin(&cp, 2)?,
        cashew: gtin(&cp, 3)?,
        rice: gtin(&cp, 4)?,
        unknown: gtin(&cp, 99_999)?,
    })
}

const EXPORTER: &str = "exporter@taynguyen.demo.gs1dpp.vn";
const EXPORTER_ORG: &str = "Công ty TNHH Cà phê Tây Nguyên";
const CERTIFIER: &str = "certifier@quacert.demo.gs1dpp.vn";
const INSPECTOR: &str = "inspector@qltt.demo.gs1dpp.vn";
const BOA_CERTIFIER: &str = "certifier@boa.demo.gs1dpp.vn";
const LOT: &str = "CF2026A";
const RECALLED_LOT: &str = "PP2025R";
const SERIAL: &str = "CF0001";
/// The printable serials: prefix, first number and count (four digits each).
const PRINTABLE: (&str, i64, i64) = ("CF", 2, 20);

fn report(
    settings: &Settings,
    conn: &mut DbConn,
    p: &Plan,
    passwords: &[Option<String>; 5],
) -> anyhow::Result<Value> {
    let prefix = db::prefixes::overlapping(conn, PREFIX)?
        .into_iter()
        .find(|r| r.prefix == PREFIX)
        .context("the demo prefix is missing")?;
    let first = |conn: &mut DbConn, kind: KeyKind| -> anyhow::Result<Option<String>> {
        let page = PageRequest {
            after: None,
            limit: 1,
        };
        Ok(
            db::prefixes::list_keys(conn, &prefix.id, Some(kind.as_str()), &page)?
                .into_iter()
                .next()
                .map(|k| k.key),
        )
    };
    let sscc = first(conn, KeyKind::Sscc)?;
    let gln = first(conn, KeyKind::Gln)?;
    let base = settings.public_base_url(&settings.bind);
    let [admin, exporter, certifier, inspector, boa] = passwords;
    let item = format!("https://id.gs1.org/01/{}/21/{SERIAL}", gtin14(&p.coffee));
    let traceability = db::dte::latest(conn, &item)?.map(|row| {
        json!({
            "epc": row.epc,
            "url": domain::dte::url(&base, &row.id),
            "sha256": row.content_sha256,
            "passport": format!("/api/v1/products/{}/serials/{SERIAL}/passport", gtin14(&p.coffee)),
        })
    });
    let exporter_org = db::orgs::by_name(conn, EXPORTER_ORG)?
        .into_iter()
        .next()
        .context("the demo exporter is missing")?
        .id;
    Ok(json!({
        "admin": {"email": ADMIN_EMAIL, "password": admin},
        "users": {
            "exporter": {"email": EXPORTER, "password": exporter},
            "certifier": {"email": CERTIFIER, "password": certifier},
            "inspector": {"email": INSPECTOR, "password": inspector},
            "accreditation_body": {"email": BOA_CERTIFIER, "password": boa},
        },
        "gtins": {
            "with_links": p.coffee.as_str(),
            "with_lot": p.coffee.as_str(),
            "with_serial": p.coffee.as_str(),
            "with_passport": p.coffee.as_str(),
            "valid_certificate": p.coffee.as_str(),
            "recalled": p.pepper.as_str(),
            "expired_certificate": p.pepper.as_str(),
            "withdrawn_certificate": p.cashew.as_str(),
            "uncertified": p.rice.as_str(),
        },
        "lot": LOT,
        "recalled_lot": RECALLED_LOT,
        "serial": SERIAL,
        // The pallet the demo serial travelled on (`GET /epcis/events?MATCH_anyEPC=...`).
        "sscc": sscc,
        "gln": gln,
        "journey": {
            "serial": SERIAL,
            "events": 5,
            "importer_gln": journey::IMPORTER_GLN,
            // The serial's own events (commissioning, packing), then the pallet's (packing,
            // shipping, receiving).
            "query": format!("/epcis/events?MATCH_anyEPC=https://id.gs1.org/01/{}/21/{SERIAL}", gtin14(&p.coffee)),
            "pallet_query": sscc.as_ref().map(|s| format!("/epcis/events?MATCH_anyEPC=https://id.gs1.org/00/{s}")),
        },
        // The demo serial's UNTP traceability credential and the passport that links it.
        "traceability_credential": traceability,
        "unknown_valid_gtin": p.unknown.as_str(),
        "certificates": {
            "valid": "QUACERT-DEMO-001",
            "expired": "QUACERT-DEMO-002",
            "withdrawn": "QUACERT-DEMO-003",
        },
        "printable_serials": {
            "first": format!("{}{:04}", PRINTABLE.0, PRINTABLE.1),
            "last": format!("{}{:04}", PRINTABLE.0, PRINTABLE.1 + PRINTABLE.2 - 1),
            "count": PRINTABLE.2,
        },
        "labels": labels(&base, p.coffee.as_str()),
        // The demo exporter's signed offline pack: a certificate, a recall and serials.
        "status_pack": format!("/api/v1/status-pack?org={exporter_org}&serials=true"),
        "passport_version_url": format!(
            "{base}/api/v1/products/{}/passport/versions/1",
            p.coffee.as_str()
        ),
    }))
}

/// A label of the demo coffee in every symbology its GTIN-13 can take (an exporter's or admin's
/// token is needed to fetch them).
fn labels(base: &str, coffee: &str) -> Value {
    let url = |q: &str| format!("{base}/api/v1/products/{coffee}/label{q}");
    json!({
        "ean13": url(""),
        "itf14": url("?symbology=itf14"),
        "gs1_128": url(&format!("?symbology=gs1-128&lot={LOT}&format=png")),
        "gs1_datamatrix": url(&format!("?symbology=gs1-datamatrix&serial={SERIAL}&format=png")),
        "gs1_qr": url(&format!("?symbology=gs1-qr&lot={LOT}&serial={SERIAL}")),
        "digital_link_qr": url(&format!("?lot={LOT}&serial={SERIAL}&format=pdf")),
        "digital_link_datamatrix": url(&format!("?symbology=datamatrix&serial={SERIAL}")),
    })
}

/// Loads the demo data set once; prints the same summary (without passwords) on later runs.
pub fn demo(settings: &Settings) -> anyhow::Result<Value> {
    let p = plan()?;
    let mut conn = open(settings)?;
    let conn = &mut *conn;
    // This process runs the demo's commissioning jobs.
    let lease = db::lease::ProcessLease::acquire(settings.database_url.expose())?;
    if db::users::find_by_email(conn, ADMIN_EMAIL)?.is_some() {
        tracing::info!("the demo data set is already loaded");
        return report(settings, conn, &p, &Default::default());
    }
    let cli = Actor::cli();
    let boa = org(
        conn,
        OrgKind::AccreditationBody,
        "Bureau of Accreditation (BoA)",
    )?;
    let quacert = org(conn, OrgKind::CertificationBody, "QUACERT")?;
    let exporter = org(conn, OrgKind::Exporter, EXPORTER_ORG)?;
    let authority = org(conn, OrgKind::Authority, "Cục Quản lý thị trường")?;
    let platform = org(conn, OrgKind::Authority, "GS1 DPP Demo Platform")?;

    let (_, boa_pw) = user(conn, &boa, BOA_CERTIFIER, Role::Certifier)?;
    let (_, cert_pw) = user(conn, &quacert, CERTIFIER, Role::Certifier)?;
    let (ex, ex_pw) = user(conn, &exporter, EXPORTER, Role::Exporter)?;
    let (insp, insp_pw) = user(conn, &authority, INSPECTOR, Role::Inspector)?;

    for (arrangement, scope) in [
        (Arrangement::Ilac, SignatureScope::Testing),
        (Arrangement::Iaf, SignatureScope::ProductCertification),
    ] {
        accreditations::create_signature(
            conn,
            &cli,
            &boa,
            NewSignature {
                arrangement,
                scope,
                status: SignatureStatus::Signatory,
                valid_from: date("2015-01-01"),
                valid_until: None,
            },
        )?;
    }
    let scope_standards: Vec<String> = ["TCVN 4193:2014", "TCVN 7036:2008", "TCVN 4850:2010"]
        .map(String::from)
        .into();
    accreditations::create_accreditation(
        conn,
        &cli,
        NewAccreditation {
            body_org_id: boa.clone(),
            cab_org_id: quacert.clone(),
            number: "VICAS-DEMO-017".to_owned(),
            standard: AccreditationStandard::Iso17065,
            scope_standards,
            scope_categories: vec![],
            valid_from: date("2020-01-01"),
            valid_until: date("2030-12-31"),
        },
    )?;

    let prefix = prefixes::license(
        conn,
        &cli,
        NewPrefix {
            org_id: exporter.clone(),
            prefix: CompanyPrefix::parse(PREFIX)?,
        },
    )?;
    let owner = Owner::Org(&exporter);
    for (g, vi, en, std) in [
        (
            &p.coffee,
            "Cà phê Robusta rang xay",
            "Roasted ground Robusta coffee",
            "TCVN 4193:2014",
        ),
        (&p.pepper, "Hạt tiêu đen", "Black pepper", "TCVN 7036:2008"),
        (
            &p.cashew,
            "Hạt điều rang muối",
            "Roasted salted cashew nuts",
            "TCVN 4850:2010",
        ),
        (&p.rice, "Gạo ST25", "ST25 rice", "TCVN 5643:1999"),
    ] {
        products::create(
            conn,
            &cli,
            owner,
            NewProduct {
                gtin: *g,
                data: product_data(vi, en, &[std]),
            },
        )?;
    }

    let cert = |number: &str, g: &Gtin, std: &str, issued: &str, expires: &str| NewCertificate {
        number: number.to_owned(),
        kind: CertificateKind::Certificate,
        cab_org_id: quacert.clone(),
        holder_org_id: exporter.clone(),
        standards: vec![std.to_owned()],
        gtins: vec![*g],
        gpc_brick: None,
        issue_date: date(issued),
        expiry_date: Some(date(expires)),
        unaccredited: false,
        document_sha256: None,
        document_url: None,
    };
    certificates::issue(
        conn,
        &cli,
        cert(
            "QUACERT-DEMO-001",
            &p.coffee,
            "TCVN 4193:2014",
            "2025-06-01",
            "2028-05-31",
        ),
    )?;
    certificates::issue(
        conn,
        &cli,
        cert(
            "QUACERT-DEMO-002",
            &p.pepper,
            "TCVN 7036:2008",
            "2021-01-15",
            "2024-01-14",
        ),
    )?;
    let withdrawn = certificates::issue(
        conn,
        &cli,
        cert(
            "QUACERT-DEMO-003",
            &p.cashew,
            "TCVN 4850:2010",
            "2025-03-01",
            "2028-02-28",
        ),
    )?;
    certificates::change_status(
        conn,
        &cli,
        &withdrawn.id,
        CertificateStatus::Withdrawn,
        "surveillance audit found aflatoxin above the TCVN limit",
        |_| Ok(()),
    )?;

    // The coffee: links, a lot, a serial and a published passport.
    for (lt, href, title) in [
        (
            "gs1:pip",
            "https://taynguyen.example.vn/ca-phe-robusta",
            "Product page",
        ),
        (
            "gs1:certificationInfo",
            "https://quacert.example.vn/certificates/QUACERT-DEMO-001",
            "Certificate QUACERT-DEMO-001",
        ),
    ] {
        links::create(
            conn,
            &cli,
            owner,
            &p.coffee,
            NewLink {
                link_type: LinkType::parse(lt)?,
                href: HttpUrl::parse(href).map_err(|e| anyhow!(e))?,
                title: title.to_owned(),
                lang: None,
                media_type: None,
                context: None,
                is_default: lt == "gs1:pip",
                lot: None,
                serial: None,
            },
        )?;
    }
    let new_lot = |l: &str| -> anyhow::Result<NewLot> {
        Ok(NewLot {
            lot: Lot::parse(l)?,
            production_date: None,
            expiry_date: None,
        })
    };
    lots::create(conn, &ex, &p.coffee, new_lot(LOT)?)?;
    lots::create(conn, &ex, &p.pepper, new_lot(RECALLED_LOT)?)?;
    serials::commission(
        conn,
        &ex,
        &p.coffee,
        Commission {
            key: "seed-demo-serial".to_owned(),
            set: SerialSet::List(vec![Serial::parse(SERIAL)?]),
            lot: Some(Lot::parse(LOT)?),
        },
        &lease,
    )?;
    // Serials ready to print: CF0002 to CF0021 in the demo lot.
    serials::commission(
        conn,
        &ex,
        &p.coffee,
        Commission {
            key: "seed-demo-printable".to_owned(),
            set: SerialSet::range(PRINTABLE.0, PRINTABLE.1, PRINTABLE.2, 4)?,
            lot: Some(Lot::parse(LOT)?),
        },
        &lease,
    )?;

    let key = PassportKey {
        gtin: p.coffee,
        lot: None,
        serial: None,
    };
    let draft = Draft::parse(json!({"product": {
        "description": "Cà phê Robusta Tây Nguyên rang xay, 500 g / Roasted ground Robusta coffee from the Central Highlands, 500 g"
    }}))?;
    passports::save_draft(conn, &ex, &key, draft)?;
    let keys = Keys::load_or_create(&settings.data_dir)?;
    let base = settings.public_base_url(&settings.bind);
    passports::publish(conn, &ex, &key, keys.signing_key.expose(), &base)?;

    alerts::raise(
        conn,
        &insp,
        NewAlert {
            kind: AlertKind::Recall,
            source: AlertSource::Authority,
            reference: Some("QLTT-DEMO-2026-01".to_owned()),
            title: "Thu hồi lô hạt tiêu nhiễm nấm mốc / Recall of mould-contaminated pepper lot"
                .to_owned(),
            description: None,
            targets: vec![(p.pepper, vec![Lot::parse(RECALLED_LOT)?])],
        },
    )?;
    let code = format!("(01){}(10){RECALLED_LOT}", gtin14(&p.pepper));
    let today = chrono::Utc::now().date_naive();
    let ids = gs1::scan::identify(
        &code,
        gs1::date::Date::new(
            u16::try_from(chrono::Datelike::year(&today))?,
            u8::try_from(chrono::Datelike::month(&today))?,
            u8::try_from(chrono::Datelike::day(&today))?,
        )
        .context("today")?,
    )?;
    inspections::create(
        conn,
        &insp,
        NewInspection {
            code,
            ids,
            place: "Chợ Buôn Ma Thuột, Đắk Lắk".to_owned(),
            outcome: Outcome::NonCompliant,
            notes: Some("Mould visible on the recalled lot".to_owned()),
            evidence_sha256: None,
            inspected_at: None,
        },
    )?;

    let pallet =
        prefixes::issue_sscc(conn, &cli, &prefix.id, None, Some("Demo pallet".to_owned()))?;
    let factory = prefixes::issue_gln(
        conn,
        &cli,
        &prefix.id,
        Some("Nhà máy Buôn Ma Thuột".to_owned()),
    )?;
    let case = prefixes::issue_sscc(conn, &cli, &prefix.id, None, Some("Demo case".to_owned()))?;
    journey::record(
        conn,
        &ex,
        &p.coffee,
        &Gln::parse(&factory.key.key)?,
        &Sscc::parse(&case.key.key)?,
        &Sscc::parse(&pallet.key.key)?,
    )?;
    // The serial's passport links the signed journey (a UNTP DTE credential) by its digest.
    let serial_key = PassportKey {
        gtin: p.coffee,
        lot: None,
        serial: Some(Serial::parse(SERIAL)?),
    };
    passports::save_draft(
        conn,
        &ex,
        &serial_key,
        Draft::parse(
            json!({"product": {"description": "Roasted ground Robusta, 500 g, item CF0001"}}),
        )?,
    )?;
    passports::publish(conn, &ex, &serial_key, keys.signing_key.expose(), &base)?;
    let item = epcis::Epc::parse(&serial_key.digital_link("https://id.gs1.org"))?;
    domain::dte::issue(conn, &ex, &item, keys.signing_key.expose(), &base)?;

    // Last, so its presence means the whole set was loaded (the writes are not one transaction:
    // a run that failed midway leaves its rows, and is repeated on a fresh database).
    let (_, admin_pw) = user(conn, &platform, ADMIN_EMAIL, Role::Admin)?;
    report(
        settings,
        conn,
        &p,
        &[
            Some(admin_pw),
            Some(ex_pw),
            Some(cert_pw),
            Some(insp_pw),
            Some(boa_pw),
        ],
    )
}

fn gtin14(g: &Gtin) -> String {
    format!("{:0>14}", g.as_str())
}

/// Creates `n` synthetic products under a load-test exporter in chunked transactions.
pub fn products(settings: &Settings, n: u64) -> anyhow::Result<Value> {
    let started = Instant::now();
    let mut conn = open(settings)?;
    let conn = &mut *conn;
    let cp = CompanyPrefix::parse(LOAD_PREFIX)?;
    anyhow::ensure!(
        n <= cp.gtin13_capacity(),
        "at most {} products",
        cp.gtin13_capacity()
    );
    let exporter = org(conn, OrgKind::Exporter, "Công ty Tải thử (load test)")?;
    let licensed = db::prefixes::overlapping(conn, LOAD_PREFIX)?;
    if !licensed.iter().any(|r| r.prefix == LOAD_PREFIX) {
        prefixes::license(
            conn,
            &Actor::cli(),
            NewPrefix {
                org_id: exporter.clone(),
                prefix: cp,
            },
        )?;
    }
    let mut created = 0;
    let mut item = 0;
    while item < n {
        let end = (item + 10_000).min(n);
        let rows = (item..end)
            .map(|i| -> anyhow::Result<products::ImportRow> {
                let data = product_data(
                    &format!("Sản phẩm thử {i}"),
                    &format!("Load test product {i}"),
                    &[],
                );
                let row = usize::try_from(i)?;
                Ok((
                    row,
                    Ok(NewProduct {
                        gtin: cp.gtin13(i)?,
                        data,
                    }),
                ))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let r = products::import(conn, &Actor::cli(), Owner::Org(&exporter), rows)?;
        anyhow::ensure!(
            r.failed == 0,
            "{} rows failed: {:?}",
            r.failed,
            r.errors.first()
        );
        created += r.created;
        item = end;
        tracing::info!(created, "seeding products");
    }
    Ok(json!({"created": created, "seconds": started.elapsed().as_secs_f64()}))
}
