//! The resolver's read on a cache miss: what it needs of a GTIN in one statement.

use diesel::{dsl::exists, prelude::*};

use super::{
    DbConn,
    schema::{passports::dsl as d, products::dsl as p, resolver_links::dsl as l},
};

/// How much of a GTIN an answer needs; a miss reads no more than that.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// The default link only (a plain scan's redirect), or only whether the GTIN exists: the
    /// brand owner's links, none of the platform's own that need a read.
    Default,
    /// Every link, the published passport's included.
    Links,
    /// Every link and the product's names (a linkset).
    Described,
}

/// What a GTIN's resolution needs from the registry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GtinFacts {
    /// Product names (Vietnamese, English), read for [`Detail::Described`].
    pub names: Option<(String, String)>,
    /// Whether the brand owner registered any link (at any level) for the GTIN.
    pub has_links: bool,
    /// The latest published version of the GTIN-level passport, if one is published; not
    /// read for [`Detail::Default`].
    pub passport_version: Option<i64>,
}

/// The facts of `gtin` as far as `detail` needs them, or `None` when no product has it.
///
/// One statement instead of three queries, so a cache miss at a million products pays for
/// SQLite's lock once. Without names it reads only the GTIN index, never the products table (a
/// second random page read per miss); the default link's statement reads no passport either.
/// It runs on the backend's own connection, where diesel caches the prepared statement by type;
/// through the multi-backend wrapper every call would write its SQL again (measured: a tenth of
/// a miss). It stays in the query builder: diesel
/// never caches `sql_query` or `sql` literals, and preparing this statement on every run took a
/// quarter of a miss when tried.
pub fn gtin_facts(conn: &mut DbConn, gtin: &str, detail: Detail) -> QueryResult<Option<GtinFacts>> {
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
    Ok(match detail {
        Detail::Described => {
            let q = product.select(((p::name_vi, p::name_en), links, passport));
            match conn {
                DbConn::Sqlite(c) => q.get_result::<((String, String), bool, Option<i64>)>(c),
                DbConn::Pg(c) => q.get_result(c),
            }
            .optional()?
            .map(|(names, l, v)| facts(Some(names), l, v))
        }
        Detail::Links => {
            let q = product.select((p::gtin, links, passport));
            match conn {
                DbConn::Sqlite(c) => q.get_result::<(String, bool, Option<i64>)>(c),
                DbConn::Pg(c) => q.get_result(c),
            }
            .optional()?
            .map(|(_, l, v)| facts(None, l, v))
        }
        Detail::Default => {
            let q = product.select((p::gtin, links));
            match conn {
                DbConn::Sqlite(c) => q.get_result::<(String, bool)>(c),
                DbConn::Pg(c) => q.get_result(c),
            }
            .optional()?
            .map(|(_, l)| facts(None, l, None))
        }
    })
}
