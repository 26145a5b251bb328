//! The consumer page for a lookup (placeholder until the `web` renderer lands).

use super::lookup::Lookup;

/// The page language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// Vietnamese.
    Vi,
    /// English.
    En,
}

/// `?lang=` first, then Accept-Language, else Vietnamese.
pub fn negotiate(query: Option<&str>, accept_language: Option<&str>) -> Lang {
    let pick = |s: &str| {
        let s = s.to_ascii_lowercase();
        if s.starts_with("vi") {
            Some(Lang::Vi)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    };
    query
        .and_then(pick)
        .or_else(|| {
            super::links::weighted(accept_language)
                .iter()
                .find_map(|l| pick(l))
        })
        .unwrap_or(Lang::Vi)
}

/// The page.
pub fn html(l: &Lookup, _lang: Lang, _path: &str) -> String {
    let name = l
        .product
        .as_ref()
        .map(|p| p.name_vi.clone())
        .unwrap_or_default();
    format!(
        "<!doctype html><html><body><p data-testid=\"verdict\">{:?}</p><h1 data-testid=\"product-name\">{}</h1></body></html>",
        l.verdict,
        name.replace('<', "&lt;")
    )
}
