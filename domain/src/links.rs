//! Resolver links an exporter registers per GTIN (optionally per lot or serial): create,
//! change, delete. At most one link of a (gtin, lot, serial) is its default; making a link the
//! default clears the previous one in the same transaction.

use gs1::{
    keys::{Gtin, Lot, Serial},
    link_type::LinkType,
};

use super::{
    Actor, Owner,
    product_fields::{HttpUrl, LangTag, MediaType},
    record,
};
use crate::error::DomainError;
use db::{self, DbConn, models::ResolverLink};

/// A validated new link.
#[derive(Clone, Debug)]
pub struct NewLink {
    /// GS1 Web Vocabulary link type.
    pub link_type: LinkType,
    /// Target.
    pub href: HttpUrl,
    /// Title.
    pub title: String,
    /// Language of the target.
    pub lang: Option<LangTag>,
    /// Media type of the target.
    pub media_type: Option<MediaType>,
    /// Resolver context.
    pub context: Option<String>,
    /// Whether it is the default link of its (gtin, lot, serial).
    pub is_default: bool,
    /// Only for this lot.
    pub lot: Option<Lot>,
    /// Only for this serial.
    pub serial: Option<Serial>,
}

/// A validated change: `None` keeps a field, `Some(None)` clears an optional one.
#[derive(Clone, Debug, Default)]
pub struct LinkPatch {
    /// Link type.
    pub link_type: Option<LinkType>,
    /// Target.
    pub href: Option<HttpUrl>,
    /// Title.
    pub title: Option<String>,
    /// Language.
    pub lang: Option<Option<LangTag>>,
    /// Media type.
    pub media_type: Option<Option<MediaType>>,
    /// Context.
    pub context: Option<Option<String>>,
    /// Make it the default, or not.
    pub is_default: Option<bool>,
}

/// Registers a link for the product with `gtin`.
#[tracing::instrument(skip(conn, new))]
pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    owner: Owner<'_>,
    gtin: &Gtin,
    new: NewLink,
) -> Result<ResolverLink, DomainError> {
    db::write_transaction(conn, |conn| {
        let product = db::products::get_for_update(conn, gtin.as_str())?;
        owner.check(&product.org_id)?;
        let now = db::now();
        let link = ResolverLink {
            id: db::new_id(),
            org_id: product.org_id,
            gtin: product.gtin,
            lot: new.lot.map(|l| l.to_string()).unwrap_or_default(),
            serial: new.serial.map(|s| s.to_string()).unwrap_or_default(),
            link_type: new.link_type.as_str().to_owned(),
            href: new.href.to_string(),
            title: new.title,
            lang: new.lang.map(|l| l.to_string()),
            media_type: new.media_type.map(|m| m.to_string()),
            context: new.context,
            is_default: new.is_default,
            created_at: now,
            updated_at: now,
        };
        if link.is_default {
            clear_default(conn, actor, &link)?;
        }
        db::links::insert(conn, &link)?;
        record(
            conn,
            actor,
            Some(&link.org_id),
            "link.create",
            ("link", &link.id),
            &link,
        )?;
        Ok(link)
    })
}

/// Changes a link.
#[tracing::instrument(skip(conn, patch))]
pub fn update(
    conn: &mut DbConn,
    actor: &Actor,
    owner: Owner<'_>,
    id: &str,
    patch: LinkPatch,
) -> Result<ResolverLink, DomainError> {
    db::write_transaction(conn, |conn| {
        let mut link = locked(conn, owner, id)?;
        if let Some(t) = patch.link_type {
            link.link_type = t.as_str().to_owned();
        }
        if let Some(href) = patch.href {
            link.href = href.to_string();
        }
        if let Some(title) = patch.title {
            link.title = title;
        }
        if let Some(lang) = patch.lang {
            link.lang = lang.map(|l| l.to_string());
        }
        if let Some(media_type) = patch.media_type {
            link.media_type = media_type.map(|m| m.to_string());
        }
        if let Some(context) = patch.context {
            link.context = context;
        }
        if let Some(is_default) = patch.is_default {
            link.is_default = is_default;
        }
        if link.is_default {
            clear_default(conn, actor, &link)?;
        }
        link.updated_at = db::now();
        db::links::update(conn, &link)?;
        record(
            conn,
            actor,
            Some(&link.org_id),
            "link.update",
            ("link", &link.id),
            &link,
        )?;
        Ok(link)
    })
}

/// Deletes a link; returns it as it was (its GTIN's answers changed).
#[tracing::instrument(skip(conn))]
pub fn delete(
    conn: &mut DbConn,
    actor: &Actor,
    owner: Owner<'_>,
    id: &str,
) -> Result<ResolverLink, DomainError> {
    db::write_transaction(conn, |conn| {
        let link = locked(conn, owner, id)?;
        db::links::delete(conn, &link.id)?;
        record(
            conn,
            actor,
            Some(&link.org_id),
            "link.delete",
            ("link", &link.id),
            &link,
        )?;
        Ok(link)
    })
}

/// The link with `id` with its product's row locked, after checking the caller may write it.
fn locked(conn: &mut DbConn, owner: Owner<'_>, id: &str) -> Result<ResolverLink, DomainError> {
    let link = db::links::get(conn, id)?;
    owner.check(&link.org_id)?;
    db::products::get_for_update(conn, &link.gtin)?;
    // Read again under the lock: another writer may have changed it meanwhile.
    Ok(db::links::get(conn, id)?)
}

/// Clears the default flag of the other default link of `link`'s (gtin, lot, serial), if any.
fn clear_default(conn: &mut DbConn, actor: &Actor, link: &ResolverLink) -> Result<(), DomainError> {
    let Some(mut old) = db::links::find_default(conn, &link.gtin, &link.lot, &link.serial)?
        .filter(|old| old.id != link.id)
    else {
        return Ok(());
    };
    old.is_default = false;
    old.updated_at = db::now();
    db::links::update(conn, &old)?;
    record(
        conn,
        actor,
        Some(&old.org_id),
        "link.update",
        ("link", &old.id),
        &old,
    )?;
    Ok(())
}
