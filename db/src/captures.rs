//! Capture jobs listed newest first, for `GET /epcis/capture` (one job is
//! `events::get_capture`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::schema::epcis_captures as c;
use crate::{DbConn, MultiBackend, events::CaptureRow};

/// The captures of organisation `org` (every organisation's when `None`), newest first by
/// (`created_at`, `id`), strictly after the cursor `after` in that order, at most `limit + 1`.
#[tracing::instrument(skip(conn))]
pub fn list(
    conn: &mut DbConn,
    org: Option<&str>,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<CaptureRow>> {
    let mut q = c::table.into_boxed::<MultiBackend>();
    if let Some(org) = org {
        q = q.filter(c::org_id.eq(org.to_owned()));
    }
    if let Some((at, id)) = after {
        q = q.filter(
            c::created_at
                .lt(at)
                .or(c::created_at.eq(at).and(c::id.lt(id))),
        );
    }
    q.order((c::created_at.desc(), c::id.desc()))
        .limit(limit + 1)
        .load(conn)
}
