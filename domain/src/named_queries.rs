//! EPCIS 2.0 named queries (the REST binding's `/queries`): a query-language definition an
//! organisation keeps under a name, run later with the caller's scope or by a subscription.
//!
//! A definition is the binding's `query` object (lists as JSON arrays, one value as a string
//! or number); it is validated by turning it into the query string's (name, value) pairs and
//! parsing them with the same [`Query::parse`] as `GET /epcis/events`, so a named query
//! accepts exactly what an ad-hoc query accepts.
//!
//! Names belong to an organisation: two organisations may each have a `myQuery`, and neither
//! learns of the other's. An admin addresses another organisation's query by its name when no
//! other organisation uses it.

use db::{DbConn, queries::QueryRow};
use epcis::query::Query;
use serde_json::{Map, Value, json};

use crate::{
    Caller,
    error::DomainError,
    pagination::{Page, next_page_key},
    record, traceability,
};

/// The longest query name.
pub const MAX_NAME: usize = 128;

/// Checks a query name: 1 to [`MAX_NAME`] characters a URL path carries unescaped.
pub fn check_name(name: &str) -> Result<(), DomainError> {
    let ok = !name.is_empty()
        && name.len() <= MAX_NAME
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'));
    if ok {
        Ok(())
    } else {
        Err(DomainError::field(
            "name",
            format!("must be 1 to {MAX_NAME} letters, digits, '-', '_', '.' or '~'"),
        ))
    }
}

/// The query string pairs a definition stands for; the error names the field
/// (`query.EQ_bizStep`).
pub fn pairs(definition: &Map<String, Value>) -> Result<Vec<(String, String)>, DomainError> {
    let mut out = Vec::with_capacity(definition.len());
    for (name, value) in definition {
        let at = format!("query.{name}");
        let text = match value {
            // JSON-LD namespaces of extension parameters: nothing to evaluate.
            _ if name == "@context" => continue,
            // A page token belongs to one answer, not to a standing definition.
            _ if name == "nextPageToken" => {
                return Err(DomainError::field(at, "is not part of a query definition"));
            }
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(true) => "true".to_owned(),
            Value::Array(items) => {
                let mut parts = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::String(s) if !s.contains('|') => parts.push(s.clone()),
                        _ => {
                            return Err(DomainError::field(
                                at,
                                "must be an array of strings without '|'",
                            ));
                        }
                    }
                }
                if parts.is_empty() {
                    return Err(DomainError::field(at, "must not be an empty array"));
                }
                parts.join("|")
            }
            _ => {
                return Err(DomainError::field(
                    at,
                    "must be a string, a number, true or an array of strings",
                ));
            }
        };
        out.push((name.clone(), text));
    }
    Ok(out)
}

/// Parses a definition through the query language's parser (with `extra` pairs, such as a
/// request's paging parameters, after it).
pub fn parse(
    definition: &Map<String, Value>,
    extra: &[(String, String)],
) -> Result<Query, DomainError> {
    let mut all = pairs(definition)?;
    all.extend(extra.iter().cloned());
    let in_definition = all.len() - extra.len();
    Query::parse(all.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(|e| {
        let name = e.path.as_str();
        // Name the field where the client wrote it: the definition, or the request.
        let from_definition = all[..in_definition].iter().any(|(k, _)| k == name);
        let field = if from_definition {
            format!("query.{name}")
        } else {
            name.to_owned()
        };
        DomainError::field(field, e.reason)
    })
}

/// A stored definition as the object it was given as.
pub fn definition(row: &QueryRow) -> Result<Map<String, Value>, DomainError> {
    match serde_json::from_str(&row.definition).map_err(DomainError::internal)? {
        Value::Object(o) => Ok(o),
        _ => Err(DomainError::internal(std::io::Error::other(
            "a stored query definition is not an object",
        ))),
    }
}

/// Creates the named query `name` of the caller's organisation (capturing roles only).
#[tracing::instrument(skip(conn, who, definition))]
pub fn create(
    conn: &mut DbConn,
    who: &Caller,
    name: &str,
    definition: &Map<String, Value>,
) -> Result<QueryRow, DomainError> {
    traceability::require_capturer(who)?;
    check_name(name)?;
    parse(definition, &[])?;
    let row = QueryRow {
        id: db::new_id(),
        org_id: who.org_id.clone(),
        name: name.to_owned(),
        definition: Value::Object(definition.clone()).to_string(),
        created_by: who.actor().as_str().to_owned(),
        created_at: db::now(),
    };
    db::write_transaction(conn, |conn| {
        if db::queries::find(conn, &row.org_id, name)?.is_some() {
            return Err(DomainError::Conflict(format!(
                "a query named {name:?} exists"
            )));
        }
        db::queries::insert(conn, &row).map_err(|e| match e {
            // Created meanwhile by another request.
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => DomainError::Conflict(format!("a query named {name:?} exists")),
            e => e.into(),
        })?;
        record(
            conn,
            &who.actor(),
            Some(&row.org_id),
            "epcis.query.create",
            ("epcis_query", &row.id),
            &json!({"name": row.name}),
        )?;
        Ok(row.clone())
    })
}

/// The query `name` as the caller may address it: its own organisation's; for an admin,
/// another organisation's when that one alone uses the name. 404 otherwise.
pub fn resolve(conn: &mut DbConn, who: &Caller, name: &str) -> Result<QueryRow, DomainError> {
    if let Some(row) = db::queries::find(conn, &who.org_id, name)? {
        return Ok(row);
    }
    if !who.is_admin() {
        return Err(DomainError::NotFound);
    }
    let mut rows = db::queries::named(conn, name)?;
    match rows.len() {
        1 => Ok(rows.remove(0)),
        0 => Err(DomainError::NotFound),
        _ => Err(DomainError::Conflict(format!(
            "several organisations have a query named {name:?}"
        ))),
    }
}

/// A page of the queries the caller sees (its organisation's; every one for admins).
pub fn list(
    conn: &mut DbConn,
    who: &Caller,
    per_page: u32,
    token: Option<&str>,
) -> Result<(Vec<QueryRow>, Option<String>), DomainError> {
    let after = next_page_key(token)?;
    let org = (!who.is_admin()).then_some(who.org_id.as_str());
    let rows = db::queries::list(conn, org, after.as_deref(), i64::from(per_page))?;
    let page = Page::from_rows(rows, i64::from(per_page), |r| r.id.clone(), |r| r);
    Ok((page.items, page.next_cursor))
}

/// Deletes the query `name` and its subscriptions (capturing roles of its organisation, or
/// an admin).
pub fn delete(conn: &mut DbConn, who: &Caller, name: &str) -> Result<(), DomainError> {
    traceability::require_capturer(who)?;
    db::write_transaction(conn, |conn| {
        let row = resolve(conn, who, name)?;
        db::queries::delete(conn, &row.id)?;
        record(
            conn,
            &who.actor(),
            Some(&row.org_id),
            "epcis.query.delete",
            ("epcis_query", &row.id),
            &json!({"name": row.name}),
        )?;
        Ok(())
    })
}
