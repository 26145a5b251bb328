//! Bulk import of products from CSV and JSON: good rows land, bad rows are named, chunks are
//! atomic, and importing again creates nothing.

use std::time::Instant;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{Auth, Res, TestApp, gtin13, spawn_app};

const PATH: &str = "/api/v1/products/import";

async fn csv(app: &TestApp, auth: &Auth, body: &str) -> Res {
    app.post_raw(PATH, auth, "text/csv; charset=utf-8", body.to_owned())
        .await
}

fn errors(res: &Res) -> Vec<(u64, String)> {
    res.body["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["row"].as_u64().unwrap_or_default(),
                        e["field"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn csv_imports_good_rows_names_bad_ones_and_is_idempotent() {
    let app = spawn_app().await;
    let prefix = app.license(&app.org_a, "8934567").await;
    app.license(&app.org_b, "8930002").await;
    let ex = app.auth(&app.exporter);
    let body = format!(
        "gtin,name_vi,name_en,brand,country_of_origin,net_content,net_content_unit,target_markets,standards\n\
         {},Cà phê,Coffee,\"Cao Nguyên, Ltd\",VN,500,GRM,US;JP,TCVN 4193:2014\n\
         {},Trà,Tea,,vn,,,,\n\
         8934567000011,Sai,Wrong check digit,,,,,,\n\
         {},Gạo,Rice,,XX,1,KGM,,\n\
         {},Của B,B's,,,,,,\n\
         {},Nước mắm,Fish sauce,,,0.5,LTR,,\n",
        gtin13("8934567", 1),
        gtin13("8934567", 2),
        gtin13("8934567", 3),
        gtin13("8930002", 1),
        &gtin13("8934567", 4)[1..],
    );
    let res = csv(&app, &ex, &body).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(
        (
            &res.body["created"],
            &res.body["unchanged"],
            &res.body["failed"]
        ),
        (&json!(3), &json!(0), &json!(3)),
        "{}",
        res.text
    );
    assert_eq!(
        errors(&res),
        vec![
            (3, "gtin".to_owned()),
            (4, "country_of_origin".to_owned()),
            (5, "gtin".to_owned())
        ]
    );
    assert!(
        res.text.contains("belongs to another organisation"),
        "{}",
        res.text
    );
    let coffee = app
        .get(
            &format!("/api/v1/products/{}", gtin13("8934567", 1)),
            &Auth::None,
        )
        .await;
    assert_eq!(coffee.body["brand"], "Cao Nguyên, Ltd");
    assert_eq!(coffee.body["target_markets"], json!(["US", "JP"]));
    let cap = app.get(&format!("/api/v1/prefixes/{prefix}"), &ex).await;
    assert_eq!(cap.body["capacity"]["gtin13"]["used"], 3);

    // The same file again: nothing new, nothing duplicated.
    let res = csv(&app, &ex, &body).await;
    assert_eq!(
        (
            &res.body["created"],
            &res.body["unchanged"],
            &res.body["failed"]
        ),
        (&json!(0), &json!(3), &json!(3)),
        "{}",
        res.text
    );
    assert_eq!(app.collect("/api/v1/products", &ex, 50).await.len(), 3);
    let cap = app.get(&format!("/api/v1/prefixes/{prefix}"), &ex).await;
    assert_eq!(cap.body["capacity"]["gtin13"]["used"], 3);

    // A row that differs from the stored product is a conflict, not an update.
    let changed = format!(
        "gtin,name_vi,name_en\n{},Trà xanh,Green tea\n",
        gtin13("8934567", 2)
    );
    let res = csv(&app, &ex, &changed).await;
    assert_eq!(
        (&res.body["created"], &res.body["failed"]),
        (&json!(0), &json!(1))
    );
    assert!(
        res.text.contains("exists with different data"),
        "{}",
        res.text
    );
    let tea = app
        .get(&format!("/api/v1/products/{}", gtin13("8934567", 2)), &ex)
        .await;
    assert_eq!(tea.body["name_en"], "Tea");
}

#[tokio::test]
async fn json_arrays_import_like_csv() {
    let app = spawn_app().await;
    app.license(&app.org_a, "8934567").await;
    let ex = app.auth(&app.exporter);
    let rows = json!([
        {"gtin": gtin13("8934567", 1), "name_vi": "A", "name_en": "A", "standards": ["QCVN 8-2:2011/BYT"]},
        {"gtin": gtin13("8934567", 2), "name_vi": "B", "name_en": "B", "colour": "red"},
        {"gtin": gtin13("8934567", 3), "name_vi": "C", "name_en": "C", "target_markets": "VN"},
        {"gtin": gtin13("8934567", 1), "name_vi": "A", "name_en": "A", "standards": ["QCVN 8-2:2011/BYT"]},
    ]);
    let res = app.post(PATH, &ex, rows.clone()).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(
        (
            &res.body["created"],
            &res.body["unchanged"],
            &res.body["failed"]
        ),
        (&json!(2), &json!(1), &json!(1)),
        "{}",
        res.text
    );
    assert_eq!(errors(&res), vec![(2, "colour".to_owned())]);
    let res = app.post(PATH, &ex, rows).await;
    assert_eq!(
        (&res.body["created"], &res.body["unchanged"]),
        (&json!(0), &json!(3))
    );
}

#[tokio::test]
async fn whole_requests_are_refused_for_bad_headers_types_and_roles() {
    let app = spawn_app().await;
    let ex = app.auth(&app.exporter);
    let res = csv(&app, &ex, "gtin,name,name_en\n1,2,3\n").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.text);
    assert_eq!(res.fields(), vec!["header", "header"]);
    let res = app.post_raw(PATH, &ex, "text/plain", "gtin\n".into()).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let res = app
        .post_raw(PATH, &ex, "application/json", "{\"gtin\": 1}".into())
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let res = csv(&app, &app.auth(&app.certifier), "gtin,name_vi,name_en\n").await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = csv(&app, &Auth::None, "gtin,name_vi,name_en\n").await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    let res = csv(&app, &ex, "gtin,name_vi,name_en\n").await;
    assert_eq!(
        res.body,
        json!({"created": 0, "unchanged": 0, "failed": 0, "errors": [], "errors_omitted": 0})
    );
}

/// 1,200 rows: three transactions of 500, 500 and 200 rows.
fn big_csv(poison_row: Option<usize>) -> String {
    let mut body = String::from("gtin,name_vi,name_en,net_content,net_content_unit\n");
    for r in 1..=1200u64 {
        let name = if Some(r as usize) == poison_row {
            "POISON"
        } else {
            "Sản phẩm"
        };
        body.push_str(&format!(
            "{},{name} {r},Product {r},{r},GRM\n",
            gtin13("8934567", r)
        ));
    }
    body
}

#[tokio::test]
async fn thousands_of_rows_import_in_chunks_and_a_failed_chunk_applies_nothing() {
    let app = spawn_app().await;
    let prefix = app.license(&app.org_a, "8934567").await;
    let ex = app.auth(&app.exporter);
    // The database itself refuses one row of the second chunk: its whole chunk is undone.
    if app.is_postgres() {
        app.sql(
            "CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN \
             IF NEW.name_vi LIKE 'POISON%' THEN RAISE EXCEPTION 'poisoned row'; END IF; \
             RETURN NEW; END $$ LANGUAGE plpgsql",
        )
        .await;
        app.sql("CREATE TRIGGER poison BEFORE INSERT ON products FOR EACH ROW EXECUTE FUNCTION poison()")
            .await;
    } else {
        app.sql(
            "CREATE TRIGGER poison BEFORE INSERT ON products WHEN NEW.name_vi LIKE 'POISON%' \
             BEGIN SELECT RAISE(ABORT, 'poisoned row'); END",
        )
        .await;
    }
    let started = Instant::now();
    let res = csv(&app, &ex, &big_csv(Some(700))).await;
    let took = started.elapsed();
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(
        (&res.body["created"], &res.body["failed"]),
        (&json!(700), &json!(500)),
        "{}",
        &res.text[..res.text.len().min(600)]
    );
    let failed_rows: Vec<u64> = errors(&res).iter().map(|(r, _)| *r).collect();
    assert_eq!(failed_rows, (501..=1000).collect::<Vec<_>>());
    assert!(
        res.body["errors"][0]["reason"]
            .as_str()
            .unwrap_or_default()
            .starts_with("chunk not applied")
    );
    eprintln!(
        "import of 1,200 CSV rows (one chunk undone): {} ms",
        took.as_millis()
    );

    // Nothing of the failed chunk was kept: not its products, not its issued GTINs.
    let cap = app.get(&format!("/api/v1/prefixes/{prefix}"), &ex).await;
    assert_eq!(cap.body["capacity"]["gtin13"]["used"], 700);
    assert_eq!(
        app.get(&format!("/api/v1/products/{}", gtin13("8934567", 501)), &ex)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Without the poison the same file completes the rest and counts the first ones unchanged.
    if app.is_postgres() {
        app.sql("DROP TRIGGER poison ON products").await;
    } else {
        app.sql("DROP TRIGGER poison").await;
    }
    let res = csv(&app, &ex, &big_csv(None)).await;
    assert_eq!(
        (
            &res.body["created"],
            &res.body["unchanged"],
            &res.body["failed"]
        ),
        (&json!(500), &json!(700), &json!(0)),
        "{}",
        &res.text[..res.text.len().min(600)]
    );
    let products: Vec<Value> = app.collect("/api/v1/products", &ex, 500).await;
    assert_eq!(products.len(), 1200);
}
