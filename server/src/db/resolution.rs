//! The resolver's read on a cache miss: what it needs of a GTIN in one statement.

use diesel::{dsl::exists, prelude::*};

use super::{
    DbConn,
    schema::{passports::dsl as d, products::dsl as p, resolver_links::dsl as l},
};

/// What a GTIN's resolution needs from the registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GtinFacts {
    /// Product names (Vietnamese, English), when asked for.
    pub names: Option<(String, String)>,
    /// Whether the brand owner registered any link (at any level) for the GTIN.
    pub has_links: bool,
    /// The latest published version of the GTIN-level passport, if one is published.
    pub passport_version: Option<i64>,
}

/// The facts of `gtin`, or `None` when no product has it; its names only `with_names`.
///
/// One statement instead of three queries, so a cache miss at a million products pays for
/// SQLite's lock once. Without names it reads only the GTIN index, never the products table (a
/// second random page read per miss). It runs on the backend's own connection, where diesel
/// caches the prepared statement by type; through the multi-backend wrapper every call would
/// write its SQL again (measured: a tenth of a miss). It stays in the query builder: diesel
/// never caches `sql_query` or `sql` literals, and preparing this statement on every run took a
/// quarter of a miss when tried.
pub fn gtin_facts(
    conn: &mut DbConn,
    gtin: &str,
    with_names: bool,
) -> QueryResult<Option<GtinFacts>> {
    let links = exists(
        l::resolver_links
            .filter(l::gtin.eq(p::gtin))
            .select(l::gtin),
    );
    let passport = d::passports
        .filter(d::gtin.eq(p::gtin))
        .filter(d::lot.eq(""))
        .filter(d::serial.eq(""))
        .select(d::latest_version)
        .single_value();
    let product = p::products.filter(p::gtin.eq(gtin));
    let facts = |names, has_links, version: Option<i64>| GtinFacts {
        names,
        has_links,
        passport_version: version.and_then(super::passports::published),
    };
    Ok(if with_names {
        let q = product.select(((p::name_vi, p::name_en), links, passport));
        match conn {
            DbConn::Sqlite(c) => q.get_result::<((String, String), bool, Option<i64>)>(c),
            DbConn::Pg(c) => q.get_result(c),
        }
        .optional()?
        .map(|(names, l, v)| facts(Some(names), l, v))
    } else {
        let q = product.select((p::gtin, links, passport));
        match conn {
            DbConn::Sqlite(c) => q.get_result::<(String, bool, Option<i64>)>(c),
            DbConn::Pg(c) => q.get_result(c),
        }
        .optional()?
        .map(|(_, l, v)| facts(None, l, v))
    })
}
