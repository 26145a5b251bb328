//! Links on the wire.

use super::*;

/// A link on the wire.
#[derive(Debug, Serialize)]
pub struct LinkOut {
    /// Id.
    pub id: String,
    /// 14 digits.
    pub gtin: String,
    /// Lot, or null for every lot.
    pub lot: Option<String>,
    /// Serial, or null for every serial.
    pub serial: Option<String>,
    /// Link type CURIE, e.g. `gs1:pip`.
    pub link_type: String,
    /// Target.
    pub href: String,
    /// Title.
    pub title: String,
    /// Language.
    pub lang: Option<String>,
    /// Media type.
    pub media_type: Option<String>,
    /// Context.
    pub context: Option<String>,
    /// Whether it is the default of its (gtin, lot, serial).
    pub default: bool,
    /// Brand owner.
    pub org_id: String,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

impl From<ResolverLink> for LinkOut {
    fn from(l: ResolverLink) -> Self {
        let some = |s: String| Some(s).filter(|s| !s.is_empty());
        Self {
            created_at: time(&l.created_at),
            updated_at: time(&l.updated_at),
            id: l.id,
            gtin: l.gtin,
            lot: some(l.lot),
            serial: some(l.serial),
            link_type: l.link_type,
            href: l.href,
            title: l.title,
            lang: l.lang,
            media_type: l.media_type,
            context: l.context,
            default: l.is_default,
            org_id: l.org_id,
        }
    }
}
