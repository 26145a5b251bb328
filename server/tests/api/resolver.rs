//! The GS1-conformant resolver over HTTP, on the demo data set: redirects, link types,
//! linksets, walk-up, errors, compressed URIs, HEAD/OPTIONS/CORS and cached answers (the
//! lookup's verdicts are in `lookup`).

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::{
    demo::Demo,
    helpers::{Auth, Res},
    lookup::lookup_code,
};

fn location(res: &Res) -> String {
    res.header("location").unwrap_or_default().to_owned()
}

#[tokio::test]
async fn default_redirects_pass_the_query_and_short_gtins_answer_alike() {
    let d = Demo::new().await;
    let base = &d.app.base;
    let rice = d.gtin("uncertified");
    // No registered link: the default is our own consumer page, with the query passed on.
    let res = d.get(&format!("/01/{rice}?17=301231&utm=x"), &[]).await;
    assert_eq!(res.status, StatusCode::TEMPORARY_REDIRECT, "{}", res.text);
    assert_eq!(
        location(&res),
        format!("{base}/01/{rice}?linkType=gs1:verificationService&17=301231&utm=x")
    );
    let link = res.header("link").unwrap_or_default();
    assert!(
        link.contains(&format!(
            "<{base}/01/{rice}?linkType=linkset>; rel=\"linkset\""
        )),
        "{link}"
    );
    assert_eq!(res.header("access-control-allow-origin"), Some("*"));
    // GTIN-13 and a trailing slash answer exactly as the 14-digit form.
    for path in [format!("/01/{}", &rice[1..]), format!("/01/{rice}/")] {
        let again = d.get(&path, &[]).await;
        assert_eq!(again.status, StatusCode::TEMPORARY_REDIRECT, "{path}");
        assert_eq!(
            location(&again),
            format!("{base}/01/{rice}?linkType=gs1:verificationService"),
            "{path}"
        );
    }
    // The brand owner's default wins, and a foreign target gets the query unchanged.
    let coffee = d.gtin("with_links");
    let res = d
        .get(&format!("/01/{coffee}?utm=x&linkType=gs1:defaultLink"), &[])
        .await;
    assert_eq!(res.status, StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(
        location(&res),
        "https://taynguyen.example.vn/ca-phe-robusta?utm=x&linkType=gs1:defaultLink"
    );
}

#[tokio::test]
async fn link_types_walk_up_and_fall_back_to_our_own_links() {
    let d = Demo::new().await;
    let base = &d.app.base;
    let coffee = d.gtin("with_links");
    let (lot, serial) = (d.s("lot"), d.s("serial"));
    // Registered at the GTIN, asked on the serial: the resolver walks up.
    for lt in [
        "gs1:certificationInfo",
        "https://gs1.org/voc/certificationInfo",
        "certificationInfo",
    ] {
        let res = d
            .get(
                &format!("/01/{coffee}/10/{lot}/21/{serial}?linkType={lt}"),
                &[],
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::TEMPORARY_REDIRECT,
            "{lt}: {}",
            res.text
        );
        assert_eq!(
            location(&res),
            format!("https://quacert.example.vn/certificates/QUACERT-DEMO-001?linkType={lt}")
        );
    }
    // Nothing registered: our own certificate list and recall status answer.
    let rice = d.gtin("uncertified");
    let res = d
        .get(&format!("/01/{rice}?linkType=gs1:certificationInfo"), &[])
        .await;
    assert_eq!(
        location(&res),
        format!("{base}/api/v1/products/{rice}/certificates")
    );
    let res = d
        .get(&format!("/01/{rice}?linkType=gs1:recallStatus"), &[])
        .await;
    assert_eq!(
        location(&res),
        format!("{base}/api/v1/alerts?gtin={rice}&status=active")
    );
    let followed = d.get(&location(&res).replacen(base, "", 1), &[]).await;
    assert_eq!(followed.status, StatusCode::OK, "{}", followed.text);
    // A plain scan reads no passport; the answer it caches hides the passport from neither the
    // linkset nor a request for the passport's link type.
    let plain = d.get(&format!("/01/{coffee}"), &[]).await;
    assert_eq!(
        plain.status,
        StatusCode::TEMPORARY_REDIRECT,
        "{}",
        plain.text
    );
    let set = d.get(&format!("/01/{coffee}?linkType=linkset"), &[]).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text);
    assert!(set.text.contains("https://gs1.org/voc/dpp"), "{}", set.text);
    // The signed passport, by its link type, verifies as a JWS.
    let res = d.get(&format!("/01/{coffee}?linkType=gs1:jws"), &[]).await;
    assert_eq!(res.status, StatusCode::TEMPORARY_REDIRECT, "{}", res.text);
    let jws = d.get(&location(&res).replacen(base, "", 1), &[]).await;
    assert_eq!(jws.status, StatusCode::OK);
    assert_eq!(jws.header("content-type"), Some("application/jose"));
    assert_eq!(jws.text.split('.').count(), 3);
    // A type the item lacks, and a type no vocabulary has: 404 problems.
    for lt in ["gs1:epil", "gs1:teleport"] {
        let res = d.get(&format!("/01/{rice}?linkType={lt}"), &[]).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{lt}");
        assert_eq!(res.header("content-type"), Some("application/problem+json"));
    }
}

#[tokio::test]
async fn language_media_and_context_choose_and_ties_answer_300() {
    let d = Demo::new().await;
    let rice = d.gtin("uncertified");
    let admin = d.app.auth(&d.app.admin);
    for (lang, media, ctx, href) in [
        ("vi", "text/html", None, "https://r.example.vn/vi"),
        ("en", "text/html", None, "https://r.example.vn/en"),
        ("en", "application/pdf", None, "https://r.example.vn/en.pdf"),
        ("en", "text/html", Some("US"), "https://r.example.vn/us"),
    ] {
        let mut body = json!({"link_type": "gs1:epil", "href": href, "title": href,
                              "lang": lang, "media_type": media});
        if let Some(c) = ctx {
            body["context"] = json!(c);
        }
        let res = d
            .app
            .post(&format!("/api/v1/products/{rice}/links"), &admin, body)
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    }
    let path = format!("/01/{rice}?linkType=gs1:epil");
    let ask = |lang: &'static str, accept: &'static str| {
        let path = path.clone();
        let d = &d;
        async move {
            d.get(&path, &[("accept-language", lang), ("accept", accept)])
                .await
        }
    };
    assert_eq!(
        location(&ask("vi-VN,vi;q=0.9", "*/*").await),
        "https://r.example.vn/vi?linkType=gs1:epil"
    );
    assert_eq!(
        location(&ask("en", "application/pdf").await),
        "https://r.example.vn/en.pdf?linkType=gs1:epil"
    );
    let res = d
        .get(&format!("{path}&context=US"), &[("accept-language", "en")])
        .await;
    assert_eq!(
        location(&res),
        "https://r.example.vn/us?linkType=gs1:epil&context=US"
    );
    // English HTML without a context: two links still tie.
    let res = ask("en", "text/html").await;
    assert_eq!(res.status, StatusCode::MULTIPLE_CHOICES, "{}", res.text);
    let tied = res.body["linkset"][0]["https://gs1.org/voc/epil"]
        .as_array()
        .map(Vec::len);
    assert_eq!(tied, Some(2), "{}", res.text);
}

#[tokio::test]
async fn linksets_list_every_level_with_absolute_anchors() {
    let d = Demo::new().await;
    let base = &d.app.base;
    let coffee = d.gtin("with_links");
    let (lot, serial) = (d.s("lot"), d.s("serial"));
    let path = format!("/01/{coffee}/10/{lot}/21/{serial}");
    let res = d.get(&format!("{path}?linkType=linkset"), &[]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.header("content-type"), Some("application/linkset+json"));
    let link = res.header("link").unwrap_or_default();
    assert!(
        link.contains("rel=\"http://www.w3.org/ns/json-ld#context\""),
        "{link}"
    );
    let body = &res.body;
    assert_eq!(
        body.as_object().map(|o| o.len()),
        Some(1),
        "linkset is the sole member"
    );
    let anchors: Vec<&str> = body["linkset"]
        .as_array()
        .expect("linkset")
        .iter()
        .filter_map(|s| s["anchor"].as_str())
        .collect();
    assert_eq!(
        anchors,
        [
            format!("{base}{path}"),
            format!("{base}/01/{coffee}/10/{lot}"),
            format!("{base}/01/{coffee}")
        ]
    );
    let top = &body["linkset"][2];
    let pip = &top["https://gs1.org/voc/pip"];
    assert!(
        pip.as_array().is_some_and(|a| a.iter().any(|l| l["href"]
            == "https://taynguyen.example.vn/ca-phe-robusta"
            && l["title"].is_string())),
        "{top}"
    );
    assert!(top["https://gs1.org/voc/defaultLink"][0]["href"].is_string());
    assert!(top["https://gs1.org/voc/dpp"][0]["href"].is_string());
    // Every level is described by the product's names (the redirects never read them).
    let product = &d
        .get(&format!("/api/v1/lookup?code={coffee}"), &[])
        .await
        .body["product"];
    let (vi, en) = (
        product["name_vi"].as_str().unwrap_or("?"),
        product["name_en"].as_str().unwrap_or("?"),
    );
    for level in body["linkset"].as_array().into_iter().flatten() {
        assert_eq!(
            level["description"],
            json!(format!("{vi} / {en}")),
            "{level}"
        );
    }
    assert_eq!(
        top["https://gs1.org/voc/verificationService"][0]["hreflang"],
        json!(["vi", "en"])
    );
    // Content negotiation gives the same document; `all` is the legacy name.
    let neg = d
        .get(&path, &[("accept", "application/linkset+json")])
        .await;
    assert_eq!(neg.body, res.body);
    let json_ = d
        .get(
            &format!("{path}?linkType=all"),
            &[("accept", "application/json")],
        )
        .await;
    assert_eq!(json_.header("content-type"), Some("application/json"));
    assert_eq!(json_.body, res.body);
    // ETag and 304.
    let etag = res.header("etag").unwrap_or_default().to_owned();
    let again = d
        .get(
            &format!("{path}?linkType=linkset"),
            &[("if-none-match", &etag)],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    // A browser asking for the linkset gets the consumer page.
    let html = d
        .get(
            &format!("{path}?linkType=linkset"),
            &[("accept", "text/html")],
        )
        .await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(
        html.header("content-type")
            .unwrap_or_default()
            .starts_with("text/html")
    );
}

#[tokio::test]
async fn errors_compressed_uris_other_keys_and_methods() {
    let d = Demo::new().await;
    let base = &d.app.base;
    let coffee = d.gtin("with_links");
    // Check digit wrong: 400 naming the path; valid but unknown: 404; bad qualifier order: 400.
    let mut bad = coffee.clone();
    let last = bad.pop().and_then(|c| c.to_digit(10)).unwrap_or(0);
    bad.push(char::from_digit((last + 1) % 10, 10).unwrap_or('0'));
    let res = d.get(&format!("/01/{bad}"), &[]).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.text);
    assert_eq!(res.header("content-type"), Some("application/problem+json"));
    assert_eq!(res.fields(), ["path"]);
    let unknown = d.gtin("unknown_valid_gtin");
    let unknown = if unknown.is_empty() {
        d.s("unknown_valid_gtin")
    } else {
        unknown
    };
    assert_eq!(
        d.get(&format!("/01/{unknown}"), &[]).await.status,
        StatusCode::NOT_FOUND
    );
    let res = d.get(&format!("/01/{coffee}/21/S1/10/L1"), &[]).await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    let res = d.get(&format!("/01/{coffee}?17=991399"), &[]).await;
    assert_eq!(
        res.status,
        StatusCode::BAD_REQUEST,
        "an invalid AI 17 attribute"
    );

    // A compressed URI answers as the uncompressed one, naming it as owl:sameAs.
    let lot = d.s("lot");
    let plain = gs1::digital_link::DigitalLink::parse(
        &format!("https://id.gs1.org/01/{coffee}/10/{lot}"),
        &gs1::digital_link::DlOptions::default(),
    )
    .expect("dl");
    let compressed = plain
        .to_compressed(Some(base), &gs1::digital_link::CompressOptions::default())
        .expect("compress");
    let path = compressed.replacen(base.as_str(), "", 1);
    let c = d
        .get(&format!("{path}?linkType=gs1:certificationInfo"), &[])
        .await;
    let u = d
        .get(
            &format!("/01/{coffee}/10/{lot}?linkType=gs1:certificationInfo"),
            &[],
        )
        .await;
    assert_eq!(
        c.status,
        StatusCode::TEMPORARY_REDIRECT,
        "{path}: {}",
        c.text
    );
    assert_eq!(location(&c), location(&u));
    assert!(
        c.header("link").unwrap_or_default().contains(&format!(
            "<{base}/01/{coffee}/10/{lot}>; rel=\"owl:sameAs\""
        )),
        "{:?}",
        c.header("link")
    );
    assert_eq!(
        d.get("/not-a-compressed-link", &[]).await.status,
        StatusCode::NOT_FOUND
    );

    // An issued SSCC and GLN resolve to our page; an unknown one is 404.
    for (ai, k) in [("00", "sscc"), ("414", "gln")] {
        let key = d.s(k);
        let res = d.get(&format!("/{ai}/{key}"), &[]).await;
        assert_eq!(
            res.status,
            StatusCode::TEMPORARY_REDIRECT,
            "{ai}: {}",
            res.text
        );
        assert_eq!(
            location(&res),
            format!("{base}/{ai}/{key}?linkType=gs1:verificationService")
        );
    }
    assert_eq!(
        d.get("/00/106141411234567897", &[]).await.status,
        StatusCode::NOT_FOUND
    );

    // HEAD answers like GET without a body; OPTIONS says what is allowed, cross-origin.
    let head = d
        .app
        .req_with(
            Method::HEAD,
            &format!("/01/{coffee}"),
            &Auth::None,
            None,
            &[],
        )
        .await;
    assert_eq!(head.status, StatusCode::TEMPORARY_REDIRECT);
    assert!(head.text.is_empty());
    assert!(head.header("location").is_some());
    let opt = d
        .app
        .req_with(
            Method::OPTIONS,
            &format!("/01/{coffee}/10/{lot}"),
            &Auth::None,
            None,
            &[
                ("origin", "https://shop.example"),
                ("access-control-request-method", "GET"),
            ],
        )
        .await;
    assert_eq!(opt.status, StatusCode::NO_CONTENT);
    assert_eq!(opt.header("access-control-allow-origin"), Some("*"));
    assert!(opt.header("allow").unwrap_or_default().contains("HEAD"));
}

#[tokio::test]
async fn the_description_file_is_public_and_cross_origin() {
    let d = Demo::new().await;
    let res = d.get("/.well-known/gs1resolver", &[]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    assert_eq!(res.body["resolverRoot"], d.app.base);
    assert!(
        res.body["supportedPrimaryKeys"]
            .as_array()
            .is_some_and(|a| a.contains(&json!("01")))
    );
    assert_eq!(res.body["supportedLinkType"][0]["prefix"], "gs1:");
    assert!(res.body["name"].is_string());
    assert!(res.body["jsonLdContextLocation"].is_string());
    assert_eq!(res.header("access-control-allow-origin"), Some("*"));
}

#[tokio::test]
async fn cached_answers_change_as_soon_as_a_write_touches_the_gtin() {
    let d = Demo::new().await;
    let base = &d.app.base;
    let rice = d.gtin("uncertified");
    let admin = d.app.auth(&d.app.admin);
    let ours = format!("{base}/01/{rice}?linkType=gs1:verificationService");
    for _ in 0..3 {
        assert_eq!(location(&d.get(&format!("/01/{rice}"), &[]).await), ours);
    }
    let stats = d.app.state.cache.stats();
    assert!(stats.l1_hits >= 2, "{stats:?}");
    // A plain scan's answer does not depend on the phone's languages: one entry serves all.
    let loads = stats.loads;
    for lang in ["vi-VN,vi;q=0.9", "en-GB,en;q=0.8", "fr"] {
        let res = d
            .get(&format!("/01/{rice}"), &[("accept-language", lang)])
            .await;
        assert_eq!(location(&res), ours, "{lang}");
    }
    assert_eq!(d.app.state.cache.stats().loads, loads);
    // The brand owner sets a default: the next scan follows it.
    let res = d
        .app
        .post(
            &format!("/api/v1/products/{rice}/links"),
            &admin,
            json!({"link_type": "gs1:pip", "href": "https://rice.example.vn/st25",
                   "title": "ST25", "default": true}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    assert_eq!(
        location(&d.get(&format!("/01/{rice}"), &[]).await),
        "https://rice.example.vn/st25"
    );
    // A recall raised on the GTIN changes the cached verdict at once.
    let before = lookup_code(&d, &rice).await;
    assert_eq!(before.body["verdict"], "warning");
    let res = d
        .app
        .post(
            "/api/v1/alerts",
            &admin,
            json!({"kind": "recall", "source": "authority", "title": "Gạo nhiễm / Contaminated rice",
                   "targets": [{"gtin": rice}]}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    let after = lookup_code(&d, &rice).await;
    assert_eq!(after.body["verdict"], "non_compliant", "{}", after.text);
}

#[tokio::test]
async fn a_write_on_one_node_reaches_the_cache_of_another() {
    if std::env::var("TEST_REDIS_URL").is_err() {
        eprintln!("skipped: two nodes share invalidations through Redis (TEST_REDIS_URL unset)");
        return;
    }
    let d = Demo::new().await;
    let peer = d.app.spawn_peer(|_| {}).await;
    assert!(
        peer.state
            .cache
            .wait_listening(std::time::Duration::from_secs(2))
            .await
    );
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let rice = d.gtin("uncertified");
    let on_peer = || async {
        let r = client
            .get(format!("{}/01/{rice}", peer.base))
            .send()
            .await
            .expect("peer");
        r.headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let first = on_peer().await;
    assert!(first.contains("verificationService"), "{first}");
    assert_eq!(on_peer().await, first, "cached on the peer");
    let res = d
        .app
        .post(
            &format!("/api/v1/products/{rice}/links"),
            &d.app.auth(&d.app.admin),
            json!({"link_type": "gs1:pip", "href": "https://rice.example.vn/st25",
                   "title": "ST25", "default": true}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    for _ in 0..40 {
        if on_peer().await == "https://rice.example.vn/st25" {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the peer still answers {}", on_peer().await);
}
