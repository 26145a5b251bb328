//! The identifiers EPCIS events name, listed for `GET /epcis/epcs`.

use diesel::prelude::*;

use crate::schema::{epcis_event_objects as o, epcis_events as e, products};
use crate::{DbConn, MultiBackend};

// The identifiers table under another name, for the events naming an owned GTIN.
diesel::alias!(o as named: Named);

/// The distinct identifiers named in one of `roles` by the events `visible_to` sees (every
/// event when `None`), in ascending order after `after`, at most `limit + 1`.
///
/// Visibility is the rule of the event queries (`events::Filter::visible_to`): events the
/// organisation captured, or naming a GTIN it owns.
#[tracing::instrument(skip(conn))]
pub fn distinct(
    conn: &mut DbConn,
    roles: &[&str],
    visible_to: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<String>> {
    let mut q = o::table
        .filter(o::role.eq_any(roles.iter().map(|r| (*r).to_owned()).collect::<Vec<_>>()))
        .into_boxed::<MultiBackend>();
    if let Some(org) = visible_to {
        let captured = e::table.filter(e::org_id.eq(org.to_owned())).select(e::seq);
        let gtins = products::table
            .filter(products::org_id.eq(org.to_owned()))
            .select(products::gtin.nullable());
        // The events naming an owned GTIN.
        let naming_owned = named
            .filter(named.field(o::gtin).eq_any(gtins))
            .select(named.field(o::event_seq));
        q = q.filter(
            o::event_seq
                .eq_any(captured)
                .or(o::event_seq.eq_any(naming_owned)),
        );
    }
    if let Some(a) = after {
        q = q.filter(o::epc.gt(a.to_owned()));
    }
    q.select(o::epc)
        .distinct()
        .order(o::epc.asc())
        .limit(limit + 1)
        .load(conn)
}
