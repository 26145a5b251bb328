//! Rendering a data string as a given symbology's scanner output.

use super::{DataStr, GS, ScanError, Symbology, data_str::check_primary};
use crate::check_digit;

/// Appends data to scanner output: GS1 data loses its leading `^` and every other `^` becomes
/// ASCII 29; plain data loses one escaping backslash before a leading `^`.
fn push_data(out: &mut String, data: &str) {
    if let Some(ai) = data.strip_prefix('^') {
        out.extend(ai.chars().map(|c| if c == '^' { GS } else { c }));
    } else if data.trim_start_matches('\\').starts_with('^') {
        out.push_str(&data[1..]);
    } else {
        out.push_str(data);
    }
}

/// Checks and appends an EAN/UPC/DataBar primary of `len` digits (or `len - 1` plus a computed
/// check digit).
fn push_primary(
    out: &mut String,
    digits: &str,
    len: usize,
    add_check_digit: bool,
    name: &'static str,
) -> Result<(), ScanError> {
    let want = if add_check_digit { len - 1 } else { len };
    if digits.len() != want {
        return Err(ScanError::Unrenderable {
            symbology: name,
            reason: "primary data has the wrong number of digits",
        });
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ScanError::PrimaryNotDigits);
    }
    out.push_str(digits);
    if add_check_digit {
        out.push(char::from(
            check_digit::compute(digits.as_bytes()).unwrap_or(b'0'),
        ));
    } else {
        check_primary(digits)?;
    }
    Ok(())
}

pub(super) fn render(
    data: &DataStr,
    sym: Symbology,
    add_check_digit: bool,
) -> Result<String, ScanError> {
    let full = data.as_data_str();
    let (linear, cc) = match full.split_once('|') {
        Some((l, c)) => (l, Some(c)),
        None => (&*full, None),
    };
    let gs1 = linear.starts_with('^');
    let name = sym.name();
    let no = |reason| ScanError::Unrenderable {
        symbology: name,
        reason,
    };
    let mut out = String::with_capacity(full.len() + 8);
    match sym {
        Symbology::Qr | Symbology::DataMatrix | Symbology::DotCode => {
            if gs1 && cc.is_some() {
                return Err(no("a 2D symbol has no composite component"));
            }
            out.push(']');
            out.push_str(sym.identifier(gs1).unwrap_or_default());
            // Plain data keeps its '|' as data.
            push_data(&mut out, if gs1 { linear } else { &full });
        }
        Symbology::Gs1_128Cca | Symbology::Gs1_128Ccc | Symbology::DataBarExpanded => {
            if !gs1 {
                return Err(no("only GS1 element data can be carried"));
            }
            out.push_str(if cc.is_none() && sym != Symbology::DataBarExpanded {
                "]C1"
            } else {
                "]e0"
            });
            push_data(&mut out, linear);
            if let Some(cc) = cc {
                if !cc.starts_with('^') {
                    return Err(no("the composite component must be GS1 element data"));
                }
                // The linear part's last AI needs FNC1 before the composite data if it is not
                // of predefined length.
                let last_needs_fnc1 = data
                    .ais()
                    .and_then(|m| m.iter().take(m.composite_at().unwrap_or(m.len())).last())
                    .is_some_and(|e| e.entry.fnc1_required());
                if last_needs_fnc1 {
                    out.push(GS);
                }
                push_data(&mut out, cc);
            }
        }
        Symbology::DataBarOmni
        | Symbology::DataBarTruncated
        | Symbology::DataBarStacked
        | Symbology::DataBarStackedOmni
        | Symbology::DataBarLimited => {
            out.push_str("]e001");
            let digits = linear.strip_prefix("^01").unwrap_or(linear);
            let at = out.len();
            push_primary(&mut out, digits, 14, add_check_digit, name)?;
            if sym == Symbology::DataBarLimited && out.as_bytes()[at] >= b'2' {
                return Err(ScanError::PrimaryTooLarge);
            }
            if let Some(cc) = cc {
                if !cc.starts_with('^') {
                    return Err(no("the composite component must be GS1 element data"));
                }
                push_data(&mut out, cc);
            }
        }
        Symbology::UpcA | Symbology::UpcE | Symbology::Ean13 | Symbology::Ean8 => {
            let (len, pad) = match sym {
                Symbology::Ean13 => (13, ""),
                Symbology::Ean8 => (8, ""),
                _ => (12, "0"),
            };
            // AI (01) data drops the GTIN-14's leading zeros down to the symbol's length.
            let zeros = "^01000000".get(..17 - len).unwrap_or("^01");
            let digits = linear.strip_prefix(zeros).unwrap_or(linear);
            out.push(']');
            out.push_str(sym.identifier(false).unwrap_or_default());
            out.push_str(pad);
            push_primary(&mut out, digits, len, add_check_digit, name)?;
            if let Some(cc) = cc {
                if !cc.starts_with('^') {
                    return Err(no("the composite component must be GS1 element data"));
                }
                out.push_str("|]e0");
                push_data(&mut out, cc);
            }
        }
        _ => return Err(no("no symbology chosen")),
    }
    Ok(out)
}
