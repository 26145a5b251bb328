//! The minimal EPC URN and Digital Link converter behind `hash::canonical_id`: each GS1
//! identifier as the constrained canonical Digital Link URI the event hash uses, for the EPC
//! schemes of the published hash vectors. It goes when the `epc` module lands.

const DL: &str = "https://id.gs1.org";

/// The canonical Digital Link URI of an EPC URN, EPC class URN or EPC pattern URN.
pub(super) fn epc_urn_to_dl(s: &str) -> Option<String> {
    if let Some(rest) = s.strip_prefix("urn:epc:id:") {
        let (scheme, body) = rest.split_once(':')?;
        epc_id(scheme, body)
    } else if let Some(body) = s.strip_prefix("urn:epc:class:lgtin:") {
        let (gcp, item, lot) = split3(body)?;
        Some(format!("{DL}/01/{}/10/{}", gtin(gcp, item)?, text(lot)?))
    } else if let Some(rest) = s.strip_prefix("urn:epc:idpat:") {
        let (scheme, body) = rest.split_once(':')?;
        epc_pattern(scheme, body)
    } else {
        None
    }
}

fn epc_id(scheme: &str, body: &str) -> Option<String> {
    Some(match scheme {
        "sgtin" => {
            let (gcp, item, serial) = split3(body)?;
            format!("{DL}/01/{}/21/{}", gtin(gcp, item)?, text(serial)?)
        }
        "sscc" => {
            let (gcp, serial) = body.split_once('.')?;
            key_digits(gcp, serial, 17)?;
            let (ext, rest) = serial.split_at(1);
            format!("{DL}/00/{}", with_check(&format!("{ext}{gcp}{rest}"))?)
        }
        "sgln" => {
            let (gcp, loc, ext) = split3(body)?;
            let gln = with_check(&key_digits(gcp, loc, 12)?)?;
            match ext {
                "0" => format!("{DL}/414/{gln}"),
                _ => format!("{DL}/414/{gln}/254/{}", text(ext)?),
            }
        }
        "grai" => {
            let (gcp, asset, serial) = split3(body)?;
            let grai = with_check(&format!("0{}", key_digits(gcp, asset, 12)?))?;
            format!("{DL}/8003/{grai}{}", text(serial)?)
        }
        "gdti" => {
            let (gcp, doc, serial) = split3(body)?;
            let gdti = with_check(&key_digits(gcp, doc, 12)?)?;
            format!("{DL}/253/{gdti}{}", encode(serial))
        }
        "sgcn" => {
            let (gcp, coupon, serial) = split3(body)?;
            let sgcn = with_check(&key_digits(gcp, coupon, 12)?)?;
            all_digits(serial).then_some(())?;
            format!("{DL}/255/{sgcn}{serial}")
        }
        "giai" | "ginc" => {
            let (gcp, reference) = body.split_once('.')?;
            company_prefix(gcp)?;
            let ai = if scheme == "giai" { "8004" } else { "401" };
            format!("{DL}/{ai}/{gcp}{}", text(reference)?)
        }
        "gsrn" | "gsrnp" | "gsin" | "pgln" => {
            let (gcp, reference) = body.split_once('.')?;
            let (ai, len) = match scheme {
                "gsrn" => ("8018", 17),
                "gsrnp" => ("8017", 17),
                "gsin" => ("402", 16),
                _ => ("417", 12),
            };
            format!(
                "{DL}/{ai}/{}",
                with_check(&key_digits(gcp, reference, len)?)?
            )
        }
        "cpi" => {
            let (gcp, rest) = body.split_once('.')?;
            let (part, serial) = rest.rsplit_once('.')?;
            company_prefix(gcp)?;
            (all_digits(serial) && !serial.is_empty()).then_some(())?;
            format!("{DL}/8010/{gcp}{}/8011/{serial}", text(part)?)
        }
        "itip" => {
            let mut it = body.splitn(5, '.');
            let (gcp, item, piece, total) = (it.next()?, it.next()?, it.next()?, it.next()?);
            let serial = it.next()?;
            pieces(piece, total)?;
            let gtin = gtin(gcp, item)?;
            format!("{DL}/8006/{gtin}{piece}{total}/21/{}", text(serial)?)
        }
        "upui" => {
            let (gcp, item, tpx) = split3(body)?;
            format!("{DL}/01/{}/235/{}", gtin(gcp, item)?, text(tpx)?)
        }
        _ => return None,
    })
}

fn epc_pattern(scheme: &str, body: &str) -> Option<String> {
    let body = body.strip_suffix(".*")?;
    Some(match scheme {
        "sgtin" | "upui" => {
            let (gcp, item) = body.split_once('.')?;
            format!("{DL}/01/{}", gtin(gcp, item)?)
        }
        "grai" => {
            let (gcp, asset) = body.split_once('.')?;
            format!(
                "{DL}/8003/{}",
                with_check(&format!("0{}", key_digits(gcp, asset, 12)?))?
            )
        }
        "gdti" | "sgcn" => {
            let (gcp, reference) = body.split_once('.')?;
            let ai = if scheme == "gdti" { "253" } else { "255" };
            format!(
                "{DL}/{ai}/{}",
                with_check(&key_digits(gcp, reference, 12)?)?
            )
        }
        "cpi" => {
            let (gcp, part) = body.split_once('.')?;
            company_prefix(gcp)?;
            format!("{DL}/8010/{gcp}{}", text(part)?)
        }
        "itip" => {
            let (gcp, item, rest) = split3(body)?;
            let (piece, total) = rest.split_once('.')?;
            pieces(piece, total)?;
            format!("{DL}/8006/{}{piece}{total}", gtin(gcp, item)?)
        }
        _ => return None,
    })
}

fn split3(s: &str) -> Option<(&str, &str, &str)> {
    let mut it = s.splitn(3, '.');
    Some((it.next()?, it.next()?, it.next()?))
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

fn company_prefix(gcp: &str) -> Option<()> {
    ((6..=12).contains(&gcp.len()) && all_digits(gcp)).then_some(())
}

/// Company prefix and reference joined, when they are digits of `len` in all.
fn key_digits(gcp: &str, reference: &str, len: usize) -> Option<String> {
    company_prefix(gcp)?;
    (all_digits(reference) && gcp.len() + reference.len() == len)
        .then(|| format!("{gcp}{reference}"))
}

fn with_check(body: &str) -> Option<String> {
    let check = gs1::check_digit::compute(body.as_bytes())?;
    Some(format!("{body}{}", char::from(check)))
}

/// The GTIN-14 of an SGTIN's company prefix and item reference (indicator digit first).
fn gtin(gcp: &str, item: &str) -> Option<String> {
    key_digits(gcp, item, 13)?;
    let (indicator, rest) = item.split_at(1);
    with_check(&format!("{indicator}{gcp}{rest}"))
}

fn pieces(piece: &str, total: &str) -> Option<()> {
    (piece.len() == 2 && total.len() == 2 && all_digits(piece) && all_digits(total)).then_some(())
}

fn text(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| encode(s))
}

/// Percent-encodes what a Digital Link path may not hold but an EPC URN may (`%xx` escapes
/// stay as the URN wrote them).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '!' => out.push_str("%21"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '*' => out.push_str("%2A"),
            '+' => out.push_str("%2B"),
            ',' => out.push_str("%2C"),
            ':' => out.push_str("%3A"),
            c => out.push(c),
        }
    }
    out
}

/// A GS1 Digital Link URI on any domain as the constrained canonical URI the hash uses: on
/// id.gs1.org, numeric AIs, no query, the finest identification level only.
pub(super) fn normalise_dl(s: &str) -> Option<String> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))?;
    let rest = rest.split(['?', '#']).next()?;
    let (_host, path) = rest.split_once('/')?;
    let segments: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let start = segments
        .windows(2)
        .position(|w| PRIMARY.contains(&ai(w[0])) && w[1].len() >= 4 && all_digits(&w[1][..4]))?;
    let segments = &segments[start..];
    if !segments.len().is_multiple_of(2) {
        return None;
    }
    let (key, value) = (ai(segments[0]), segments[1]);
    let value = match (key, value.len()) {
        ("01", 8 | 12 | 13) => format!("{value:0>14}"),
        _ => value.to_owned(),
    };
    let mut qualifiers: Vec<(&str, &str)> = segments[2..]
        .chunks(2)
        .map(|pair| (ai(pair[0]), pair[1]))
        .filter(|(ai, _)| *ai != "22")
        .collect();
    if qualifiers.iter().any(|(ai, _)| *ai == "21") {
        qualifiers.retain(|(ai, _)| *ai != "10");
    }
    valid_dl(key, &value, &qualifiers).then_some(())?;
    let mut out = format!("{DL}/{key}/{value}");
    for (ai, v) in qualifiers {
        out.push_str(&format!("/{ai}/{v}"));
    }
    Some(out)
}

const PRIMARY: &[&str] = &[
    "00", "01", "253", "255", "401", "402", "414", "417", "8003", "8004", "8006", "8010", "8017",
    "8018",
];

/// The numeric AI of a Digital Link path segment written as a short name.
fn ai(segment: &str) -> &str {
    match segment {
        "sscc" => "00",
        "gtin" => "01",
        "lot" => "10",
        "ser" => "21",
        "cpv" => "22",
        "gdti" => "253",
        "gcn" => "255",
        "ginc" => "401",
        "gsin" => "402",
        "gln" => "414",
        "party" => "417",
        "grai" => "8003",
        "giai" => "8004",
        "itip" => "8006",
        "cpid" => "8010",
        "gsrnp" => "8017",
        "gsrn" => "8018",
        other => other,
    }
}

fn valid_dl(key: &str, value: &str, qualifiers: &[(&str, &str)]) -> bool {
    let digits = |n: usize| value.len() == n && all_digits(value);
    let leading =
        |n: usize, max: usize| value.len() >= n && value.len() <= max && all_digits(&value[..n]);
    let allowed = |ais: &[&str]| match qualifiers {
        [] => true,
        [(ai, v)] => ais.contains(ai) && !v.is_empty(),
        _ => false,
    };
    match key {
        "00" => digits(18) && qualifiers.is_empty(),
        "01" => digits(14) && allowed(&["21", "10", "235"]),
        "8006" => digits(18) && allowed(&["21", "10"]),
        "414" => digits(13) && allowed(&["254"]),
        "417" => digits(13) && qualifiers.is_empty(),
        "402" => digits(17) && qualifiers.is_empty(),
        "8017" | "8018" => digits(18) && qualifiers.is_empty(),
        "253" => leading(13, 30) && qualifiers.is_empty(),
        "255" => leading(13, 25) && all_digits(value) && qualifiers.is_empty(),
        "8003" => leading(14, 30) && qualifiers.is_empty(),
        "401" | "8004" => value.len() <= 30 && qualifiers.is_empty(),
        "8010" => value.len() <= 30 && allowed(&["8011"]),
        _ => false,
    }
}
