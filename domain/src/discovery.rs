//! The EPCIS REST binding's discovery lists that are not event queries: a caller's capture jobs
//! and the identifiers its events name. Each is paged by an opaque token.

use db::{DbConn, events::CaptureRow};
use epcis::query::MatchField;

use crate::{
    Caller,
    error::DomainError,
    pagination::{Page, bad_next_page_token, next_page_key},
    traceability::{self, NamePage, Scope},
};

/// A page of capture jobs, newest first.
#[derive(Clone, Debug)]
pub struct CapturePage {
    /// The jobs.
    pub captures: Vec<CaptureRow>,
    /// The token of the next page, if there is one.
    pub next_page_token: Option<String>,
}

/// The caller's organisation's capture jobs, every organisation's for admins: the captures
/// `traceability::get_capture` shows one by one.
#[tracing::instrument(skip(conn, who))]
pub fn captures(
    conn: &mut DbConn,
    who: &Caller,
    per_page: u32,
    token: Option<&str>,
) -> Result<CapturePage, DomainError> {
    let after = token.map(decode_capture_token).transpose()?;
    let org = (!who.is_admin()).then_some(who.org_id.as_str());
    let limit = i64::from(per_page);
    let rows = db::captures::list(conn, org, after, limit)?;
    let key = |last: &CaptureRow| {
        format!(
            "{}|{}",
            last.created_at.and_utc().timestamp_micros(),
            last.id
        )
    };
    let Page {
        items: mut rows,
        next_cursor: next_page_token,
    } = Page::from_rows(rows, limit, key, |r| r);
    // A background job whose process died reads as stopped, as its own record does.
    for row in rows.iter_mut().filter(|r| r.running) {
        *row = traceability::get_capture(conn, who, &row.id)?;
    }
    Ok(CapturePage {
        captures: rows,
        next_page_token,
    })
}

/// The (created_at, id) a capture page token holds.
fn decode_capture_token(token: &str) -> Result<(chrono::NaiveDateTime, String), DomainError> {
    let raw = db::page::decode_cursor(token).ok_or_else(bad_next_page_token)?;
    let (micros, id) = raw.split_once('|').ok_or_else(bad_next_page_token)?;
    let at = micros
        .parse::<i64>()
        .ok()
        .and_then(chrono::DateTime::from_timestamp_micros)
        .ok_or_else(bad_next_page_token)?;
    Ok((at.naive_utc(), id.to_owned()))
}

/// The identifiers (canonical form, ascending) that the events the caller's scope shows name
/// as `MATCH_anyEPC` finds them (epcList, childEPCs, parentID, inputs, outputs), so each has
/// events at `/epcis/epcs/{epc}/events`.
#[tracing::instrument(skip(conn, who))]
pub fn epcs(
    conn: &mut DbConn,
    who: &Caller,
    per_page: u32,
    token: Option<&str>,
) -> Result<NamePage, DomainError> {
    let after = next_page_key(token)?;
    let visible_to = match traceability::scope(conn, who)? {
        Scope::All => None,
        Scope::Org(org) => Some(org),
    };
    let limit = i64::from(per_page);
    let members = db::epcs::distinct(
        conn,
        MatchField::AnyEpc.roles(),
        visible_to.as_deref(),
        after.as_deref(),
        limit,
    )?;
    let page = Page::from_rows(members, limit, String::clone, |m| m);
    Ok(NamePage {
        members: page.items,
        next_page_token: page.next_cursor,
    })
}
