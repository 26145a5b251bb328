//! EPC URNs (TDS 2.x, section 6 and 7): the pure identity, class and pattern URNs EPCIS uses,
//! read into the GS1 element string they stand for and written back from it.

use gs1::check_digit;

use super::{EpcError, EpcKind, GcpLength};

/// The AI/value pairs of a GS1 key and its qualifiers, in Digital Link path order.
pub(super) type Pairs = Vec<(&'static str, String)>;

/// What an EPC URN stands for.
pub(super) enum Parsed {
    /// A GS1 key: its AIs.
    Key(Pairs),
    /// A scheme without a GS1 key (gid, usdod, adi, ...), kept verbatim.
    Foreign,
}

/// Characters of set 82 that an EPC URN must percent-escape, and `#`, which only CPI component
/// references (set 39) hold.
const ESCAPED: &[(char, &str)] = &[
    ('"', "%22"),
    ('#', "%23"),
    ('%', "%25"),
    ('&', "%26"),
    ('/', "%2F"),
    ('<', "%3C"),
    ('>', "%3E"),
    ('?', "%3F"),
];

/// Reads `urn` (which starts with `urn:epc:`, any case).
pub(super) fn parse(urn: &str) -> Result<Parsed, EpcError> {
    let fail = |reason| EpcError::Urn {
        input: urn.to_owned(),
        reason,
    };
    let mut head = urn.splitn(4, ':');
    let (Some(_), Some(_), Some(form), Some(rest)) =
        (head.next(), head.next(), head.next(), head.next())
    else {
        return Err(fail(
            "expected urn:epc:id:, urn:epc:class: or urn:epc:idpat: then a scheme",
        ));
    };
    let Some((scheme, body)) = rest.split_once(':') else {
        return Err(fail("expected a scheme, \":\" and the scheme's components"));
    };
    // TDS writes everything before the components in lower case; URN namespace identifiers are
    // case-insensitive (RFC 8141), but an upper-case EPC URN is always a hand-made mistake.
    if !urn.starts_with("urn:epc:")
        || form
            .bytes()
            .chain(scheme.bytes())
            .any(|b| b.is_ascii_uppercase())
    {
        return Err(fail(
            "an epc urn is written in lower case up to its components",
        ));
    }
    // The character offset of the body, for positions in error messages.
    let offset = urn.len() - body.len();
    let reader = Reader { urn, offset };
    match form {
        "id" => reader.identity(scheme, body),
        "class" if scheme == "lgtin" => reader.lgtin(body),
        "idpat" => reader.pattern(scheme, body),
        // Other class schemes and tag, raw and prefix URNs name no single object or class
        // EPCIS cares about; they stay opaque like any other URI.
        _ => Ok(Parsed::Foreign),
    }
}

struct Reader<'a> {
    urn: &'a str,
    offset: usize,
}

impl Reader<'_> {
    fn fail(&self, reason: &'static str) -> EpcError {
        EpcError::Urn {
            input: self.urn.to_owned(),
            reason,
        }
    }

    /// Splits `body` into exactly `n` components; the last may hold dots.
    fn components<'b>(
        &self,
        body: &'b str,
        n: usize,
        reason: &'static str,
    ) -> Result<Vec<&'b str>, EpcError> {
        let parts: Vec<&str> = body.splitn(n, '.').collect();
        if parts.len() == n {
            Ok(parts)
        } else {
            Err(self.fail(reason))
        }
    }

    fn identity(&self, scheme: &str, body: &str) -> Result<Parsed, EpcError> {
        let pairs = match scheme {
            "sgtin" => {
                let [cp, ir, ser] = self.three(
                    body,
                    "sgtin has three components: company prefix.item reference.serial",
                )?;
                vec![
                    ("01", self.gtin(cp, ir)?),
                    ("21", self.text(body, ser, "the serial is empty")?),
                ]
            }
            "sscc" => {
                let [cp, sr] = self.two(
                    body,
                    "sscc has two components: company prefix.serial reference",
                )?;
                self.split_key(
                    cp,
                    sr,
                    17,
                    "company prefix and serial reference must have 17 digits together",
                )?;
                vec![("00", with_check(&format!("{}{cp}{}", &sr[..1], &sr[1..])))]
            }
            "sgln" => {
                let [cp, lr, ext] = self.three(
                    body,
                    "sgln has three components: company prefix.location reference.extension",
                )?;
                self.split_key(
                    cp,
                    lr,
                    12,
                    "company prefix and location reference must have 12 digits together",
                )?;
                let mut pairs = vec![("414", with_check(&format!("{cp}{lr}")))];
                let ext = self.text(body, ext, "the extension is empty (0 means none)")?;
                // TDS writes "no extension" as 0, so (254) 0 has no URN of its own.
                if ext != "0" {
                    pairs.push(("254", ext));
                }
                pairs
            }
            "grai" => {
                let [cp, at, ser] = self.three(
                    body,
                    "grai has three components: company prefix.asset type.serial",
                )?;
                self.split_key(
                    cp,
                    at,
                    12,
                    "company prefix and asset type must have 12 digits together",
                )?;
                let ser = self.text(body, ser, "the serial is empty")?;
                vec![(
                    "8003",
                    format!("0{}{ser}", with_check(&format!("{cp}{at}"))),
                )]
            }
            "giai" => {
                let [cp, iar] = self.two(
                    body,
                    "giai has two components: company prefix.individual asset reference",
                )?;
                self.company_prefix(cp)?;
                let iar = self.text(body, iar, "the individual asset reference is empty")?;
                vec![("8004", format!("{cp}{iar}"))]
            }
            "gsrn" | "gsrnp" => {
                let [cp, sr] = self.two(
                    body,
                    "a gsrn has two components: company prefix.service reference",
                )?;
                self.split_key(
                    cp,
                    sr,
                    17,
                    "company prefix and service reference must have 17 digits together",
                )?;
                let ai = if scheme == "gsrn" { "8018" } else { "8017" };
                vec![(ai, with_check(&format!("{cp}{sr}")))]
            }
            "gdti" | "sgcn" => {
                let [cp, dt, ser] = self.three(
                    body,
                    "a gdti or sgcn has three components: company prefix.document type.serial",
                )?;
                self.split_key(
                    cp,
                    dt,
                    12,
                    "company prefix and document type must have 12 digits together",
                )?;
                let ser = self.text(body, ser, "the serial is empty")?;
                let ai = if scheme == "gdti" { "253" } else { "255" };
                vec![(ai, format!("{}{ser}", with_check(&format!("{cp}{dt}"))))]
            }
            "cpi" => {
                let [cp, cpref, ser] = self.three(
                    body,
                    "cpi has three components: company prefix.component reference.serial",
                )?;
                self.company_prefix(cp)?;
                let cpref = self.text(body, cpref, "the component reference is empty")?;
                vec![
                    ("8010", format!("{cp}{cpref}")),
                    ("8011", self.digits(ser, "the cpi serial is digits")?),
                ]
            }
            "ginc" => {
                let [cp, cref] = self.two(
                    body,
                    "ginc has two components: company prefix.consignment reference",
                )?;
                self.company_prefix(cp)?;
                let cref = self.text(body, cref, "the consignment reference is empty")?;
                vec![("401", format!("{cp}{cref}"))]
            }
            "gsin" => {
                let [cp, sr] = self.two(
                    body,
                    "gsin has two components: company prefix.shipper reference",
                )?;
                self.split_key(
                    cp,
                    sr,
                    16,
                    "company prefix and shipper reference must have 16 digits together",
                )?;
                vec![("402", with_check(&format!("{cp}{sr}")))]
            }
            "itip" => {
                let parts = self.components(
                    body,
                    5,
                    "itip has five components: company prefix.item reference.piece.total.serial",
                )?;
                let gtin = self.gtin(parts[0], parts[1])?;
                let piece = self.two_digits(parts[2])?;
                let total = self.two_digits(parts[3])?;
                vec![
                    ("8006", format!("{gtin}{piece}{total}")),
                    ("21", self.text(body, parts[4], "the serial is empty")?),
                ]
            }
            "upui" => {
                let [cp, ir, tpx] = self.three(
                    body,
                    "upui has three components: company prefix.item reference.tpx",
                )?;
                vec![
                    ("01", self.gtin(cp, ir)?),
                    ("235", self.text(body, tpx, "the tpx is empty")?),
                ]
            }
            "pgln" => {
                let [cp, pr] = self.two(
                    body,
                    "pgln has two components: company prefix.party reference",
                )?;
                self.split_key(
                    cp,
                    pr,
                    12,
                    "company prefix and party reference must have 12 digits together",
                )?;
                vec![("417", with_check(&format!("{cp}{pr}")))]
            }
            _ => return Ok(Parsed::Foreign),
        };
        Ok(Parsed::Key(pairs))
    }

    fn lgtin(&self, body: &str) -> Result<Parsed, EpcError> {
        let [cp, ir, lot] = self.three(
            body,
            "lgtin has three components: company prefix.item reference.lot",
        )?;
        Ok(Parsed::Key(vec![
            ("01", self.gtin(cp, ir)?),
            ("10", self.text(body, lot, "the lot is empty")?),
        ]))
    }

    /// A pattern whose last component alone is `*`: the class of every serial of one key.
    fn pattern(&self, scheme: &str, body: &str) -> Result<Parsed, EpcError> {
        let n = match scheme {
            "sgtin" | "grai" | "gdti" | "sgcn" | "cpi" => 3,
            "itip" => 5,
            "sscc" | "sgln" | "giai" | "gsrn" | "gsrnp" | "ginc" | "gsin" | "upui" | "pgln" => {
                return Err(EpcError::Pattern {
                    input: self.urn.to_owned(),
                });
            }
            _ => return Ok(Parsed::Foreign),
        };
        let parts = self.components(body, n, "a pattern has the components of its scheme")?;
        let (last, fixed) = parts
            .split_last()
            .ok_or_else(|| self.fail("empty pattern"))?;
        if *last != "*" || fixed.contains(&"*") {
            return Err(EpcError::Pattern {
                input: self.urn.to_owned(),
            });
        }
        let (cp, second) = (fixed[0], fixed[1]);
        let pair = match scheme {
            "sgtin" => ("01", self.gtin(cp, second)?),
            "itip" => (
                "8006",
                format!(
                    "{}{}{}",
                    self.gtin(cp, second)?,
                    self.two_digits(fixed[2])?,
                    self.two_digits(fixed[3])?
                ),
            ),
            "grai" => {
                self.split_key(
                    cp,
                    second,
                    12,
                    "company prefix and asset type must have 12 digits together",
                )?;
                ("8003", format!("0{}", with_check(&format!("{cp}{second}"))))
            }
            "cpi" => {
                self.company_prefix(cp)?;
                (
                    "8010",
                    format!(
                        "{cp}{}",
                        self.text(body, second, "the component reference is empty")?
                    ),
                )
            }
            _ => {
                self.split_key(
                    cp,
                    second,
                    12,
                    "company prefix and document type must have 12 digits together",
                )?;
                (
                    if scheme == "gdti" { "253" } else { "255" },
                    with_check(&format!("{cp}{second}")),
                )
            }
        };
        Ok(Parsed::Key(vec![pair]))
    }

    fn two<'b>(&self, body: &'b str, reason: &'static str) -> Result<[&'b str; 2], EpcError> {
        let p = self.components(body, 2, reason)?;
        Ok([p[0], p[1]])
    }

    fn three<'b>(&self, body: &'b str, reason: &'static str) -> Result<[&'b str; 3], EpcError> {
        let p = self.components(body, 3, reason)?;
        Ok([p[0], p[1], p[2]])
    }

    fn digits(&self, s: &str, reason: &'static str) -> Result<String, EpcError> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.fail(reason));
        }
        Ok(s.to_owned())
    }

    fn two_digits(&self, s: &str) -> Result<String, EpcError> {
        if s.len() != 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.fail("piece and total are two digits each"));
        }
        Ok(s.to_owned())
    }

    fn company_prefix(&self, cp: &str) -> Result<(), EpcError> {
        // TDS 2.x: 6 to 12 digits. GS1-8 prefixes and 4- or 5-digit GCPs have no EPC URN.
        if !(6..=12).contains(&cp.len()) || !cp.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.fail("the company prefix must be 6 to 12 digits"));
        }
        Ok(())
    }

    /// Checks a company prefix and the all-digit reference that completes it to `total` digits.
    fn split_key(
        &self,
        cp: &str,
        reference: &str,
        total: usize,
        reason: &'static str,
    ) -> Result<(), EpcError> {
        self.company_prefix(cp)?;
        if !reference.bytes().all(|b| b.is_ascii_digit()) {
            return Err(self.fail("the reference after the company prefix must be digits"));
        }
        if cp.len() + reference.len() != total {
            return Err(self.fail(reason));
        }
        Ok(())
    }

    /// The GTIN-14 of a company prefix and an item reference whose first digit is the indicator.
    fn gtin(&self, cp: &str, ir: &str) -> Result<String, EpcError> {
        self.split_key(
            cp,
            ir,
            13,
            "company prefix and item reference must have 13 digits together",
        )?;
        Ok(with_check(&format!("{}{cp}{}", &ir[..1], &ir[1..])))
    }

    /// Unescapes a text component that starts at byte `at` of the URN body.
    fn text(&self, body: &str, component: &str, empty: &'static str) -> Result<String, EpcError> {
        if component.is_empty() {
            return Err(self.fail(empty));
        }
        let start = self.offset + (component.as_ptr() as usize - body.as_ptr() as usize);
        let position = |byte: usize| self.urn[..start + byte].chars().count() + 1;
        let mut out = String::with_capacity(component.len());
        let mut chars = component.char_indices();
        while let Some((i, c)) = chars.next() {
            if c == '%' {
                let hex = component.get(i + 1..i + 3).unwrap_or("");
                let found = ESCAPED
                    .iter()
                    .find(|(_, e)| e[1..].eq_ignore_ascii_case(hex))
                    .map(|(c, _)| *c);
                let Some(decoded) = found else {
                    return Err(EpcError::Escape {
                        input: self.urn.to_owned(),
                        position: position(i),
                    });
                };
                out.push(decoded);
                chars.nth(1);
            } else if is_urn_char(c) {
                out.push(c);
            } else {
                return Err(EpcError::Character {
                    input: self.urn.to_owned(),
                    found: c,
                    position: position(i),
                });
            }
        }
        Ok(out)
    }
}

/// True if `c` may stand unescaped in an EPC URN component: set 82 less the escaped characters.
fn is_urn_char(c: char) -> bool {
    matches!(c, '!' | '\'' | '('..='.' | '0'..=';' | '=' | 'A'..='Z' | '_' | 'a'..='z')
}

/// `body` with its GS1 check digit appended (`body` is all digits by the time this is called).
fn with_check(body: &str) -> String {
    let mut s = String::with_capacity(body.len() + 1);
    s.push_str(body);
    if let Some(d) = check_digit::compute(body.as_bytes()) {
        s.push(char::from(d));
    }
    s
}

/// Percent-escapes the characters TDS escapes.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match ESCAPED.iter().find(|(e, _)| *e == c) {
            Some((_, esc)) => out.push_str(esc),
            None => out.push(c),
        }
    }
    out
}

/// The EPC URN of a GS1 key of `kind`, with `get` giving its AI values; `None` when the
/// company prefix length is unknown or the key has no URN form.
pub(super) fn write<'a>(
    kind: EpcKind,
    get: impl Fn(&str) -> Option<&'a str>,
    gcp: &dyn GcpLength,
) -> Option<String> {
    // The company prefix of `digits`, checked against TDS's 6 to 12 digits and `max`.
    let cp_len = |digits: &str, max: usize| {
        gcp.gcp_length(digits)
            .filter(|l| (6..=12).contains(l) && *l <= max)
    };
    // A GTIN-14 as company prefix and item reference (indicator first).
    let gtin_parts = |g: &str| {
        let l = cp_len(g.get(1..13)?, 12)?;
        Some(format!("{}.{}{}", &g[1..1 + l], &g[..1], &g[1 + l..13]))
    };
    // A key whose company prefix starts it and which ends at `end` (before a check digit).
    let plain = |v: &str, end: usize| {
        let body = v.get(..end)?;
        let l = cp_len(body, end)?;
        Some(format!("{}.{}", &body[..l], &body[l..]))
    };
    let urn = match kind {
        EpcKind::Sgtin => format!(
            "urn:epc:id:sgtin:{}.{}",
            gtin_parts(get("01")?)?,
            escape(get("21")?)
        ),
        EpcKind::GtinClass => format!("urn:epc:idpat:sgtin:{}.*", gtin_parts(get("01")?)?),
        EpcKind::Lgtin => format!(
            "urn:epc:class:lgtin:{}.{}",
            gtin_parts(get("01")?)?,
            escape(get("10")?)
        ),
        EpcKind::Upui => format!(
            "urn:epc:id:upui:{}.{}",
            gtin_parts(get("01")?)?,
            escape(get("235")?)
        ),
        EpcKind::Sscc => {
            let s = get("00")?;
            let l = cp_len(s.get(1..17)?, 12)?;
            format!(
                "urn:epc:id:sscc:{}.{}{}",
                &s[1..1 + l],
                &s[..1],
                &s[1 + l..17]
            )
        }
        EpcKind::Sgln => {
            let ext = get("254").map_or_else(|| "0".to_owned(), escape);
            format!("urn:epc:id:sgln:{}.{ext}", plain(get("414")?, 12)?)
        }
        EpcKind::Pgln => format!("urn:epc:id:pgln:{}", plain(get("417")?, 12)?),
        EpcKind::Gsrn => format!("urn:epc:id:gsrn:{}", plain(get("8018")?, 17)?),
        EpcKind::Gsrnp => format!("urn:epc:id:gsrnp:{}", plain(get("8017")?, 17)?),
        EpcKind::Gsin => format!("urn:epc:id:gsin:{}", plain(get("402")?, 16)?),
        EpcKind::Grai | EpcKind::GraiClass => {
            let v = get("8003")?;
            let key = plain(v.get(1..)?, 12)?;
            match v.get(14..).filter(|s| !s.is_empty()) {
                Some(ser) => format!("urn:epc:id:grai:{key}.{}", escape(ser)),
                None => format!("urn:epc:idpat:grai:{key}.*"),
            }
        }
        EpcKind::Gdti | EpcKind::GdtiClass | EpcKind::Sgcn | EpcKind::SgcnClass => {
            let (scheme, ai) = if matches!(kind, EpcKind::Gdti | EpcKind::GdtiClass) {
                ("gdti", "253")
            } else {
                ("sgcn", "255")
            };
            let v = get(ai)?;
            let key = plain(v, 12)?;
            match v.get(13..).filter(|s| !s.is_empty()) {
                Some(ser) => format!("urn:epc:id:{scheme}:{key}.{}", escape(ser)),
                None => format!("urn:epc:idpat:{scheme}:{key}.*"),
            }
        }
        EpcKind::Giai | EpcKind::Ginc | EpcKind::Cpi | EpcKind::CpiClass => {
            let (scheme, ai) = match kind {
                EpcKind::Giai => ("giai", "8004"),
                EpcKind::Ginc => ("ginc", "401"),
                _ => ("cpi", "8010"),
            };
            let v = get(ai)?;
            // The reference may hold letters; the company prefix is within the leading digits.
            let digits = v.bytes().take_while(u8::is_ascii_digit).count();
            let l = cp_len(&v[..digits.min(12)], 12).filter(|l| *l < v.len())?;
            let head = format!("{}.{}", &v[..l], escape(&v[l..]));
            match kind {
                EpcKind::Cpi => format!("urn:epc:id:cpi:{head}.{}", get("8011")?),
                EpcKind::CpiClass => format!("urn:epc:idpat:cpi:{head}.*"),
                _ => format!("urn:epc:id:{scheme}:{head}"),
            }
        }
        EpcKind::Itip | EpcKind::ItipClass => {
            let v = get("8006")?;
            let head = format!(
                "{}.{}.{}",
                gtin_parts(v.get(..14)?)?,
                v.get(14..16)?,
                v.get(16..18)?
            );
            match kind {
                EpcKind::Itip => format!("urn:epc:id:itip:{head}.{}", escape(get("21")?)),
                _ => format!("urn:epc:idpat:itip:{head}.*"),
            }
        }
        EpcKind::OtherKey | EpcKind::Other => return None,
    };
    Some(urn)
}
