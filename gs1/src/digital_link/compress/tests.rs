//! Compression against published examples: GS1's `digital-link.js` tests (with optimisation
//! codes) and a resolver's table of compressed forms (without them, fully and partially).

use super::*;
use crate::element::Options;

fn opts() -> DlOptions {
    DlOptions {
        element: Options {
            permit_unknown_ais: false,
            validations: Validations {
                requisites: false,
                ..Validations::default()
            },
        },
        ..DlOptions::default()
    }
}

const PLAIN: CompressOptions = CompressOptions {
    optimise: false,
    keep_primary_key: false,
    compress_other_params: true,
};

/// `(uncompressed, compressed)` under `https://id.gs1.org`, compressed without optimisation
/// codes.
const FULL: &[(&str, &str)] = &[
    ("00/998440410914660971", "AN2yxDhfaiaw"),
    ("01/05412345000013", "AQnYUc1gmg"),
    ("01/05412345000013/10/ABC123", "AQnYUc1gmiCNV4JG"),
    (
        "01/05412345000013/10/ABC123/21/72292641703",
        "AQnYUc1gmiCNV4JGQhcNT6K6c",
    ),
    (
        "01/05412345000013/22/AJY3095721P49/10/ABC123/21/72292641703",
        "AQnYUc1gmiCNV4JGQhcNT6K6cibQCWN9Pee9tT-PQ",
    ),
    (
        "01/05412345000013/22/AJY3095721P49/10/ABC123",
        "AQnYUc1gmiCNV4JGRNoBLG-nvPe2p_Ho",
    ),
    (
        "01/05412345000013/235/8TFV883a904GH%263",
        "AQnYUc1gmkax7ipGrOHDPC5YNI8hMz",
    ),
    ("01/05412345000013/21/72292641703", "AQnYUc1gmkIXDU-iun"),
    (
        "01/05412345000013/22/AJY3095721P49/21/72292641703",
        "AQnYUc1gmkIXDU-iunIm0AljfT3nvbU_j0",
    ),
    (
        "01/05412345000013/22/AJY3095721P49",
        "AQnYUc1gmkTaASxvp7z3tqfx6",
    ),
    ("253/3060077601309", "JTLIetaiHYA"),
    ("255/5678409730535", "JVUqG5hJ5wA"),
    (
        "401/0541234537290A41%26GHpp33",
        "QBl2DVoxZM2jVm3ZOWEFoxTR5HDgzZg",
    ),
    ("402/21173492661712079", "QCJZyW9mC6Z4"),
    ("414/5060917510004", "QUSaVjC_dA"),
    (
        "414/5060917510004/254/RP56J920471",
        "JUa0T-eifdtOO9UFEmlYwv3Q",
    ),
    ("414/5060917510004/7040/5KFX", "QUSaVjC_dHBAVlCrg"),
    ("417/5060917510004", "QXSaVjC_dA"),
    ("417/5060917510004/7040/5KFX", "QXSaVjC_dHBAVlCrg"),
    (
        "8004/0541234537290A41%26GHpp33/7040/7BVR",
        "cEB2CqjAAkuwatGLJm0as27JywgtGKaPI4cGbM",
    ),
    (
        "8006/054123450000130201/22/AJY3095721P49/10/ABC123/21/72292641703",
        "EEarwSMhC4an0V05E2gEsb6e897an8ewAMGAkftmjYEy",
    ),
    (
        "8006/054123450000130201/10/ABC123/21/72292641703",
        "EEarwSMhC4an0V08ADBgJH7Zo2BMg",
    ),
    (
        "8006/054123450000130201/22/AJY3095721P49/10/ABC123",
        "EEarwSMibQCWN9Pee9tT-PYAGDASP2zRsCZ",
    ),
    ("8006/054123450000130201/10/ABC123", "EEarwSOABgwEj9s0bAmQ"),
    ("8003/04965031954585", "gAMJCAXukTMA"),
    (
        "8004/0541234537290A41%26GHpp33",
        "gASXYNWjFkzaNWbdk5YQWjFNHkcODNm",
    ),
    ("8006/054123450000130201", "gAYMBI_bNGwJk"),
    (
        "8006/054123450000130201/22/AJY3095721P49",
        "Im0AljfT3nvbU_j2ABgwEj9s0bAmQ",
    ),
    (
        "8006/054123450000130201/22/AJY3095721P49/21/72292641703",
        "IQuGp9FdORNoBLG-nvPe2p_HsADBgJH7Zo2BMg",
    ),
    (
        "8006/054123450000130201/21/72292641703",
        "IQuGp9FdPAAwYCR-2aNgTI",
    ),
    (
        "8010/0541234537290A41%23GH33/8011/6639047221",
        "gBCVYNWjFkzaNWbdk5YQWjFHHkM2cAI0xdvpGo",
    ),
    (
        "8010/0541234537290A41%23GH33",
        "gBCVYNWjFkzaNWbdk5YQWjFHHkM2Y",
    ),
    ("8013/5060917511473062B98T", "gBN05060917511473062B98T"),
    ("8017/817019610850151481", "gBe1ajAd9ATDk"),
    (
        "8017/817019610850151481/8019/4003812",
        "gBe1ajAd9ATDmAGXPRfk",
    ),
    ("8018/411369833821910265", "gBhbV6rzBENPk"),
    (
        "8018/411369833821910265/8019/4003812",
        "gBhbV6rzBENPmAGXPRfk",
    ),
];

/// `(uncompressed, partially compressed)` under `https://id.gs1.org`.
const PARTIAL: &[(&str, &str)] = &[
    ("00/998440410914660971", "00/998440410914660971"),
    ("01/05412345000013/10/ABC123", "01/05412345000013/EEarwSM"),
    (
        "01/05412345000013/10/ABC123/21/72292641703",
        "01/05412345000013/EEarwSMhC4an0V04",
    ),
    (
        "01/05412345000013/22/AJY3095721P49/10/ABC123/21/72292641703",
        "01/05412345000013/EEarwSMhC4an0V05E2gEsb6e897an8eg",
    ),
    (
        "01/05412345000013/235/8TFV883a904GH%263",
        "01/05412345000013/I1j3FSNWcOGeFywaR5CZm",
    ),
    (
        "01/05412345000013/21/72292641703",
        "01/05412345000013/IQuGp9FdO",
    ),
    ("414/5060917510004/7040/5KFX", "414/5060917510004/cEBWUKu"),
    (
        "414/5060917510004/254/RP56J920471",
        "414/5060917510004/JUa0T-eifdtOO9Q",
    ),
    (
        "8004/0541234537290A41%26GHpp33/7040/7BVR",
        "8004/0541234537290A41%26GHpp33/cEB2Cqi",
    ),
    (
        "8010/0541234537290A41%23GH33/8011/6639047221",
        "8010/0541234537290A41%23GH33/gBGmLt9I1",
    ),
    (
        "8018/411369833821910265/8019/4003812",
        "8018/411369833821910265/gBlz0X5A",
    ),
];

const GS1: &str = "https://id.gs1.org/";

/// GS1's published examples with AI (8006) "054123450000130201" claim piece 02 of 01, which the
/// `pieceoftotal` linter rightly refuses; the rest must parse.
fn published_but_invalid(uri: &str) -> bool {
    uri.contains("/8006/054123450000130201")
}

#[test]
fn compresses_and_decompresses_published_examples() {
    let mut refused = 0;
    for (plain, packed) in FULL {
        let uri = format!("{GS1}{plain}");
        let dl = match DigitalLink::parse(&uri, &opts()) {
            Ok(dl) => dl,
            Err(e)
                if published_but_invalid(&uri)
                    && e.to_string().contains("piece number exceeds") =>
            {
                // Decompression reaches the same refusal through the same validation.
                assert!(
                    DigitalLink::decompress(&format!("{GS1}{packed}"), &opts()).is_err(),
                    "{packed}"
                );
                refused += 1;
                continue;
            }
            Err(e) => panic!("{uri}: {e}"),
        };
        assert_eq!(
            dl.to_compressed(None, &PLAIN).unwrap(),
            format!("{GS1}{packed}"),
            "{uri}"
        );
        let back = DigitalLink::decompress(&format!("{GS1}{packed}"), &opts())
            .unwrap_or_else(|e| panic!("{packed}: {e}"));
        assert_eq!(back.as_str(), uri);
    }
    assert_eq!(
        refused,
        FULL.iter()
            .filter(|(p, _)| published_but_invalid(&format!("/{p}")))
            .count()
    );
}

#[test]
fn partially_compresses_published_examples() {
    let partial = CompressOptions {
        keep_primary_key: true,
        ..PLAIN
    };
    for (plain, packed) in PARTIAL {
        let uri = format!("{GS1}{plain}");
        if published_but_invalid(&uri) {
            assert!(DigitalLink::parse(&uri, &opts()).is_err(), "{uri}");
            continue;
        }
        let dl = DigitalLink::parse(&uri, &opts()).unwrap();
        assert_eq!(
            dl.to_compressed(None, &partial).unwrap(),
            format!("{GS1}{packed}"),
            "{uri}"
        );
        let back = DigitalLink::decompress(&format!("{GS1}{packed}"), &opts()).unwrap();
        assert_eq!(back.as_str(), uri);
    }
}

#[test]
fn decodes_keys_the_dictionary_does_not_make_primary() {
    // (410) to (416) are not Digital Link keys, but their compressed form decodes.
    for (packed, ai) in [
        ("QQSaVjC_dA", "410"),
        ("QVSaVjC_dA", "415"),
        ("QWSaVjC_dA", "416"),
    ] {
        let mut r = BitReader::from_base64(packed).unwrap();
        let (mut pairs, mut others) = (Vec::new(), Vec::new());
        decode(&mut r, &mut pairs, &mut others).unwrap();
        assert_eq!(pairs.len(), 1);
        assert_eq!(
            (pairs[0].0.as_str(), pairs[0].1.as_str()),
            (ai, "5060917510004")
        );
    }
}

#[test]
fn optimisation_codes_and_other_parameters_as_digital_link_js() {
    let cases = [
        (
            "https://dlnkd.tn.gg/01/09780345418913/10/231/21/345345?15=120820",
            "https://dlnkd.tn.gg/HxHKVAdpQgZzjr-hCDKigI",
        ),
        (
            "https://example.com/some/other/path/info/01/09780345418913/21/12345",
            "https://example.com/some/other/path/info/DBHKVAdpQgowOQ",
        ),
        (
            "https://gs1.evrythng.com/01/09780345418913/10/38737643/21/58943?15=230911\
             &thngId=U5mQKGDpnymBwQwRakyBqeYh&linkType=test",
            "https://gs1.evrythng.com/HxHKVAdpQhCTxbrOF_yEFcx_4a2GeAh1mFOZkChg6Z8pgcEMEWpMganmIf\
             ESxTyJ5UvMJa9Za",
        ),
    ];
    for (plain, packed) in cases {
        let dl = DigitalLink::parse(plain, &opts()).unwrap();
        let got = dl
            .to_compressed(Some(dl.stem()), &CompressOptions::default())
            .unwrap();
        assert_eq!(got, packed);
        let back = DigitalLink::decompress(packed, &opts()).unwrap();
        assert_eq!(back.as_str(), plain);
        assert_eq!(
            back.ai_string().as_unbracketed(),
            dl.ai_string().as_unbracketed()
        );
    }
    let dl = DigitalLink::decompress("https://dlnkd.tn.gg/ARHKVAdpQg", &opts()).unwrap();
    assert_eq!(dl.as_str(), "https://dlnkd.tn.gg/01/09780345418913");
}

#[test]
fn round_trips_keep_key_path_and_leading_zeros() {
    for uri in [
        "https://a/8004/9506000ABC123?01=09506000134352&10=0042",
        "https://a/01/09506000134352/235/XYZ?10=ABC&3103=000195&99=007",
        "https://a/x/255/5678409730535001?3900=00123&7007=230101",
        "https://a/8003/04965031954585?8008=2301011210&lang=en&t=a+b%26c&solo",
    ] {
        let dl = DigitalLink::parse(uri, &opts()).unwrap();
        for o in [PLAIN, CompressOptions::default()] {
            let packed = dl.to_compressed(Some(dl.stem()), &o).unwrap();
            let back = DigitalLink::decompress(&packed, &opts()).unwrap();
            assert_eq!(
                back.to_canonical(None),
                dl.to_canonical(None),
                "{uri} via {packed}"
            );
            assert_eq!(back.stem(), dl.stem());
            assert_eq!(back.primary_key().ai, dl.primary_key().ai);
            let others = |d: &DigitalLink| -> Vec<Option<String>> {
                d.other_params()
                    .map(|p| p.value().map(Into::into))
                    .collect()
            };
            assert_eq!(others(&back), others(&dl), "{uri} via {packed}");
        }
    }
}

#[test]
fn refuses_bad_data() {
    let d = |s: &str| DigitalLink::decompress(s, &opts());
    assert!(matches!(
        d("https://a/"),
        Err(DlError::BadCompressed { .. })
    ));
    assert!(matches!(
        d("https://a/5A"),
        Err(DlError::UnsupportedCode { code: 0xE4, .. })
    ));
    assert!(matches!(
        d("https://a/AQnY"),
        Err(DlError::BadCompressed { .. })
    ));
    assert!(d("https://a/AQnYUc1gmg!").is_err());
    let unknown = DigitalLink::parse(
        "https://a/01/09506000134352?89=X",
        &DlOptions {
            element: Options {
                permit_unknown_ais: true,
                validations: Validations::NONE,
            },
            ..DlOptions::default()
        },
    )
    .unwrap();
    assert!(matches!(
        unknown.to_compressed(None, &CompressOptions::default()),
        Err(DlError::NotCompressible { .. })
    ));
}
