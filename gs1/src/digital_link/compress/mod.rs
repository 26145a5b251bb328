//! GS1 Digital Link URI compression: the AIs (and optionally the other query parameters) packed
//! into a bit string carried as one URI-safe base64 path element, e.g.
//! `https://id.gs1.org/AQnYUc1gmiCNV4JG` for `https://id.gs1.org/01/05412345000013/10/ABC123`.
//!
//! The format is GS1's (GS1 Digital Link standard, compression; as implemented by GS1's
//! `GS1DigitalLinkCompressionPrototype` toolkit used by `digital-link.js`):
//!
//! * each element starts with 8 bits: two decimal nibbles begin an AI (further nibbles follow
//!   for 3 and 4 digit AIs, as the AI's prefix dictates), a code with a hex digit above 9 is an
//!   optimisation code standing for a fixed AI sequence (`0B` = (01)(10), `1F` =
//!   (01)(10)(15), ...), and `F` followed by a 7-bit length starts a non-AI `key=value` pair;
//! * a value is written part by part following the AI's format: numeric parts as binary
//!   numbers (`ceil(n·log2 10 + 0.01)` bits for `n` digits), variable ones after a length field
//!   sized for the maximum; alphanumeric parts after a 3-bit indicator choosing digits, lower
//!   or upper hex, URI-safe base64 or 7-bit ASCII;
//! * the bits are zero-padded to a multiple of 6 and written in the base64url alphabet.
//!
//! Supported: full decoding and encoding of every AI the syntax dictionary defines, all
//! optimisation codes GS1 defines, non-AI parameters, fully and partially compressed links
//! (the primary key kept uncompressed), any stem. AI formats come from the dictionary merged
//! as the General Specifications state them (see the `format` module), which reproduces GS1's
//! table for every AI it lists except those whose format GS1 has since changed: (235) `X..28`,
//! (8007) `X..34`, (8013) `X..25`. Two defects of the prototype are not reproduced: its
//! decoder drops the leading zeros of variable-length numeric values and of all-digit
//! alphanumeric values (kept here, the length being known), and its table garbles (7040),
//! which is `N1+X3` here as in published test vectors.
//!
//! Not supported, refused with [`DlError::UnsupportedCode`]: the reserved codes for other
//! GS1 or proprietary algorithms (`D`, `E` prefixes) and undefined optimisation codes; an
//! unknown (permitted) AI cannot be compressed ([`DlError::NotCompressible`]), as its format
//! is not known. Compression loses which AIs were in the path: on decompression the path is
//! rebuilt as the primary key and the longest qualifier sequence whose other AIs may all be
//! data attributes, and attributes come back in the compressed order (then canonical order).

mod bits;
mod format;
mod value;

use self::bits::{BASE64, BitReader, BitWriter};
use self::format::{choose_optimisations, layout, optimisation};
use self::value::{read_alpha, read_value, write_alpha, write_value};
use super::escape::{UriPart, escape_into, unescape};
use super::{CANONICAL_STEM, DigitalLink, DlError, DlOptions, build, parse, path_seq, uri};
use crate::ai::{Ai, Dictionary};
use crate::element::{AiString, Element, Options, Validations};

/// How [`DigitalLink::to_compressed`] compresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompressOptions {
    /// Use GS1's optimisation codes for common AI sequences (default on, as GS1's toolkit).
    pub optimise: bool,
    /// Keep the primary key uncompressed in the path and compress only the rest
    /// ("partially compressed"; default off).
    pub keep_primary_key: bool,
    /// Compress the query parameters that are not AIs too (default on); those that cannot be
    /// compressed (a name outside `A-Z a-z 0-9 - _`, no `=`, over 127 characters, non-ASCII)
    /// stay as a query string.
    pub compress_other_params: bool,
}

impl Default for CompressOptions {
    fn default() -> Self {
        Self {
            optimise: true,
            keep_primary_key: false,
            compress_other_params: true,
        }
    }
}

/// One element of the compressed sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Item<'a> {
    Code(u8),
    Ai(&'a str),
}

/// Orders AIs as GS1's toolkit does: optimisation codes first (when enabled), then the
/// remaining AIs in lexical order.
fn plan<'a>(ais: &[&'a str], optimise: bool) -> Vec<Item<'a>> {
    let mut rest: Vec<&str> = ais.to_vec();
    rest.sort_unstable();
    rest.dedup();
    let codes = if optimise {
        choose_optimisations(&mut rest)
    } else {
        Vec::new()
    };
    codes
        .into_iter()
        .map(Item::Code)
        .chain(rest.into_iter().map(Item::Ai))
        .collect()
}

/// The AIs a plan writes, in order.
fn flatten<'a>(items: &'a [Item<'a>]) -> impl Iterator<Item = &'a str> + 'a {
    items.iter().flat_map(|item| match *item {
        Item::Code(c) => optimisation(c).unwrap_or_default().to_vec(),
        Item::Ai(a) => vec![a],
    })
}

fn is_key_ai(ai: &str) -> bool {
    Dictionary::embedded()
        .get(ai)
        .is_some_and(path_seq::is_primary_key)
}

impl DigitalLink {
    /// Reads a compressed (or partially compressed) GS1 Digital Link URI into the same
    /// `DigitalLink` its uncompressed form gives; an uncompressed URI is simply parsed.
    ///
    /// The last path element is the compressed data; if the two before it are a primary key
    /// and its value, the link is partially compressed and they belong to it, otherwise the
    /// stem is everything before the data. Any query string is kept as it is. The result's
    /// [`as_str`](DigitalLink::as_str) is the uncompressed URI under the same stem.
    ///
    /// ```
    /// use gs1::digital_link::{CompressOptions, DigitalLink, DlOptions};
    /// let dl = DigitalLink::decompress("https://id.gs1.org/AQnYUc1gmiCNV4JG", &DlOptions::default())?;
    /// assert_eq!(dl.as_str(), "https://id.gs1.org/01/05412345000013/10/ABC123");
    /// let plain = CompressOptions { optimise: false, ..CompressOptions::default() };
    /// assert_eq!(dl.to_compressed(Some(dl.stem()), &plain)?, "https://id.gs1.org/AQnYUc1gmiCNV4JG");
    /// # Ok::<(), gs1::digital_link::DlError>(())
    /// ```
    pub fn decompress(uri: &str, opts: &DlOptions) -> Result<Self, DlError> {
        let parts = uri::split(uri)?;
        let path = &uri[parts.path_at..parts.path_end];
        if parse::find_key(path, opts.permit_convenience_alphas).is_some() {
            return Self::parse(uri, opts);
        }
        let data_slash = path.rfind('/').unwrap_or_default();
        let payload = &path[data_slash + 1..];
        let bad_data = |reason| DlError::BadCompressed { bit: 0, reason };
        if payload.is_empty() {
            return Err(bad_data("no compressed data in the path"));
        }
        let mut reader =
            BitReader::from_base64(payload).ok_or_else(|| bad_data("not URI-safe base64"))?;

        let mut stem_end = parts.path_at + data_slash;
        let mut pairs: Vec<(Ai, String)> = Vec::new();
        if let Some((ai_slash, entry, value)) = uncompressed_key(&path[..data_slash], opts) {
            stem_end = parts.path_at + ai_slash;
            pairs.push((entry.ai(), value));
        }
        let mut others: Vec<(String, String)> = Vec::new();
        decode(&mut reader, &mut pairs, &mut others)?;

        // Values are checked when the rebuilt URI is parsed; only syntax is needed here.
        let relaxed = Options {
            permit_unknown_ais: false,
            validations: Validations::NONE,
        };
        let m = AiString::from_pairs(
            pairs.iter().map(|(a, v)| (a.as_str(), v.as_str())),
            &relaxed,
        )?;
        let items = build::Items::new(&m);
        let choice = build::select_path(&items, true).ok_or_else(|| DlError::NoPrimaryKey {
            input: m.to_bracketed(),
        })?;
        let stem = &uri[..stem_end];
        let mut out = build::write_uri(stem, &items, choice);
        let mut sep = if out[stem.len()..].contains('?') {
            '&'
        } else {
            '?'
        };
        for (k, v) in &others {
            out.push(sep);
            sep = '&';
            escape_into(&mut out, k, UriPart::Query);
            out.push('=');
            escape_into(&mut out, v, UriPart::Query);
        }
        if let Some((qs, qe)) = parts.query {
            for raw in uri[qs..qe].split('&').filter(|p| !p.is_empty()) {
                out.push(sep);
                sep = '&';
                out.push_str(raw);
            }
        }
        Self::parse(&out, opts)
    }

    /// The compressed form of this link under `stem` (default [`CANONICAL_STEM`]; one trailing
    /// `/` dropped), e.g. `https://id.gs1.org/AQnYUc1gmiCNV4JG`.
    ///
    /// AIs are written in GS1's toolkit order: optimisation codes (if enabled), then the rest
    /// in lexical order. If that order would make another primary key AI (an attribute such as
    /// `?01=` of an `/8004/` link) come first, the link's own key is written first instead, so
    /// that decompression finds the same key.
    pub fn to_compressed(
        &self,
        stem: Option<&str>,
        opts: &CompressOptions,
    ) -> Result<String, DlError> {
        let stem = stem.unwrap_or(CANONICAL_STEM);
        let stem = stem.strip_suffix('/').unwrap_or(stem);
        let key = self.primary_key();
        let elements: Vec<Element<'_>> = self
            .ais
            .iter()
            .skip(usize::from(opts.keep_primary_key))
            .collect();
        let ais: Vec<&str> = elements.iter().map(|e| e.ai).collect();
        let mut items = plan(&ais, opts.optimise);
        if !opts.keep_primary_key && flatten(&items).find(|a| is_key_ai(a)) != Some(key.ai) {
            let rest: Vec<&str> = ais.iter().copied().filter(|a| *a != key.ai).collect();
            items = std::iter::once(Item::Ai(key.ai))
                .chain(plan(&rest, opts.optimise))
                .collect();
        }

        let mut w = BitWriter::default();
        let value_of = |ai: &str| elements.iter().find(|e| e.ai == ai).copied();
        for item in &items {
            let seq: Vec<&str> = match *item {
                Item::Code(c) => {
                    w.push(u64::from(c), 8);
                    optimisation(c).unwrap_or_default().to_vec()
                }
                Item::Ai(a) => {
                    for d in a.bytes() {
                        w.push(u64::from(d - b'0'), 4);
                    }
                    vec![a]
                }
            };
            for ai in seq {
                let e = value_of(ai).ok_or_else(|| DlError::NotCompressible {
                    ai: ai.into(),
                    reason: "ai missing from the link",
                })?;
                encode_value(&mut w, &e)?;
            }
        }

        let mut plain: Vec<&str> = Vec::new();
        for p in self.other_params() {
            if !(opts.compress_other_params && encode_param(&mut w, p.raw())) {
                plain.push(p.raw());
            }
        }

        let mut out = String::with_capacity(stem.len() + 64);
        out.push_str(stem);
        if opts.keep_primary_key {
            out.push('/');
            out.push_str(key.ai);
            out.push('/');
            escape_into(&mut out, key.value, UriPart::Path);
        }
        let data = w.to_base64();
        if !data.is_empty() {
            out.push('/');
            out.push_str(&data);
        }
        for (i, p) in plain.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.push_str(p);
        }
        Ok(out)
    }
}

/// The primary key and value before the compressed data of a partially compressed link: the
/// offset of the `/` before the key AI, its entry and its decoded value.
fn uncompressed_key(
    before: &str,
    opts: &DlOptions,
) -> Option<(usize, &'static crate::ai::AiEntry, String)> {
    let value_slash = before.rfind('/').filter(|&s| s > 0)?;
    let ai_slash = before[..value_slash].rfind('/')?;
    let entry = parse::path_ai_entry(
        &before[ai_slash + 1..value_slash],
        opts.permit_convenience_alphas,
    )?;
    let raw = &before[value_slash + 1..];
    if !path_seq::is_primary_key(entry) || raw.is_empty() {
        return None;
    }
    let bytes = unescape(raw, UriPart::Path).ok()?;
    let mut value = String::from_utf8(bytes.into_owned()).ok()?;
    if opts.permit_zero_suppressed_gtin
        && entry.ai().as_str() == "01"
        && matches!(value.len(), 8 | 12 | 13)
    {
        value.insert_str(0, &"0".repeat(14 - value.len()));
    }
    Some((ai_slash, entry, value))
}

/// Writes one AI's value.
fn encode_value(w: &mut BitWriter, e: &Element<'_>) -> Result<(), DlError> {
    let not = |reason| DlError::NotCompressible {
        ai: e.ai.into(),
        reason,
    };
    if !e.known {
        return Err(not(
            "the ai is not in the dictionary, so its format is unknown",
        ));
    }
    write_value(w, &layout(e.entry), e.value).map_err(not)
}

/// Writes a non-AI `key=value` parameter; false (nothing written) if it cannot be compressed.
fn encode_param(w: &mut BitWriter, raw: &str) -> bool {
    let Some((key, value)) = raw.split_once('=') else {
        return false;
    };
    let Ok(value) = unescape(value, UriPart::Query) else {
        return false;
    };
    let key_ok =
        (1..=127).contains(&key.len()) && key.bytes().all(|c| bits::base64_value(c).is_some());
    if !key_ok || value.len() > 127 || !value.is_ascii() {
        return false;
    }
    let Ok(value) = std::str::from_utf8(&value) else {
        return false;
    };
    w.push(0xF, 4);
    w.push(key.len() as u64, 7);
    for c in key.bytes() {
        w.push(u64::from(bits::base64_value(c).unwrap_or(0)), 6);
    }
    write_alpha(w, value, Some(7))
}

/// Reads every element of the bit string: AIs with values, and non-AI parameters.
fn decode(
    r: &mut BitReader,
    pairs: &mut Vec<(Ai, String)>,
    others: &mut Vec<(String, String)>,
) -> Result<(), DlError> {
    let dict = Dictionary::embedded();
    // Fewer than 9 bits left is padding.
    while r.remaining() > 8 {
        let bit = r.pos();
        let end = |r: &BitReader| DlError::BadCompressed {
            bit: r.pos(),
            reason: "data ends inside an element",
        };
        let code = r.read(8).ok_or_else(|| end(r))? as u8;
        let (hi, lo) = (code >> 4, code & 0x0f);
        if hi <= 9 && lo <= 9 {
            let mut digits = [b'0' + hi, b'0' + lo, 0, 0];
            let len = dict
                .ai_len_by_prefix(&digits[..2])
                .ok_or(DlError::UnsupportedCode { code, bit })?;
            for d in digits.iter_mut().take(len).skip(2) {
                let nibble = r.read(4).ok_or_else(|| end(r))?;
                if nibble > 9 {
                    return Err(DlError::BadCompressed {
                        bit,
                        reason: "an ai has a non-decimal digit",
                    });
                }
                *d = b'0' + nibble as u8;
            }
            let entry = dict
                .get_bytes(&digits[..len])
                .ok_or(DlError::BadCompressed {
                    bit,
                    reason: "the ai is not in the dictionary",
                })?;
            pairs.push((entry.ai(), read_value(r, &layout(entry))?));
        } else if let Some(seq) = optimisation(code) {
            for ai in seq {
                let entry = dict.get(ai).ok_or(DlError::UnsupportedCode { code, bit })?;
                pairs.push((entry.ai(), read_value(r, &layout(entry))?));
            }
        } else if hi == 0xF {
            let key_len = (u64::from(lo) << 3 | r.read(3).ok_or_else(|| end(r))?) as usize;
            let mut key = String::with_capacity(key_len);
            for _ in 0..key_len {
                let v = r.read(6).ok_or_else(|| end(r))?;
                key.push(char::from(BASE64[v as usize]));
            }
            let value = read_alpha(r, Some(7), 127)?;
            others.push((key, value));
        } else {
            return Err(DlError::UnsupportedCode { code, bit });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
