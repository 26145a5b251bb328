//! The SQLite and PostgreSQL migrations describe the same schema.

use std::collections::BTreeMap;

use diesel::{
    Connection, PgConnection, QueryableByName, RunQueryDsl, SqliteConnection, sql_types::Text,
};

/// (table, column) -> (broad type, nullable).
type Shape = BTreeMap<(String, String), (String, bool)>;

fn class(sql_type: &str) -> String {
    let t = sql_type.to_ascii_lowercase();
    let c = if t.contains("int") {
        "integer"
    } else if t.contains("bool") {
        "boolean"
    } else if t.contains("timestamp") {
        "timestamp"
    } else if t.contains("text") || t.contains("char") {
        "text"
    } else {
        t.as_str()
    };
    c.to_owned()
}

#[derive(QueryableByName)]
struct Col {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Text)]
    nullable: String,
}

fn shape(cols: Vec<Col>) -> Shape {
    cols.into_iter()
        .filter(|c| !c.table_name.starts_with("__diesel"))
        .map(|c| {
            (
                (c.table_name, c.column_name),
                (class(&c.data_type), c.nullable == "YES"),
            )
        })
        .collect()
}

fn migrated(url: &str) -> db::PooledConn {
    let pool = db::pool(url, 1).expect("pool");
    let mut conn = pool.get().expect("connection");
    db::migrations::run(&mut conn).expect("migrations");
    conn
}

fn sqlite_shape() -> Shape {
    let dir = std::env::temp_dir().join(format!("gs1dpp-mig-{}", uuid::Uuid::now_v7()));
    let url = format!("sqlite://{}/m.db", dir.display());
    drop(migrated(&url));
    let mut conn = SqliteConnection::establish(&format!("{}/m.db", dir.display())).expect("sqlite");
    let cols: Vec<Col> = diesel::sql_query(
        "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type, \
         CASE WHEN p.\"notnull\" = 0 AND p.pk = 0 THEN 'YES' ELSE 'NO' END AS nullable \
         FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
    )
    .load(&mut conn)
    .expect("table info");
    let _ = std::fs::remove_dir_all(dir);
    shape(cols)
}

/// Tables and columns as `db/src/schema.rs` declares them: the code's view of the schema,
/// which the migrations must produce exactly.
fn declared_schema() -> std::collections::BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../db/src/schema.rs"))
        .expect("schema.rs");
    let mut tables: std::collections::BTreeMap<String, Vec<String>> =
        std::collections::BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines().map(str::trim) {
        if let Some((name, _)) = line.split_once(" (").filter(|_| line.ends_with(") {")) {
            current = Some(name.to_owned());
            tables.insert(name.to_owned(), Vec::new());
        } else if let (Some(t), Some((col, _))) = (&current, line.split_once(" -> ")) {
            if let Some(cols) = tables.get_mut(t) {
                cols.push(col.to_owned());
            }
        } else if line == "}" {
            current = None;
        }
    }
    tables
}

fn expected_tables() -> Vec<String> {
    declared_schema().into_keys().collect()
}

#[test]
fn both_backends_have_the_same_migrations() {
    let names = |dir: &str| {
        let mut v: Vec<String> = std::fs::read_dir(format!(
            "{}/../migrations/{dir}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("migrations dir")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
        v.sort();
        v
    };
    assert_eq!(names("sqlite"), names("postgres"));
}

#[test]
fn the_sqlite_schema_has_every_table_and_column() {
    let s = sqlite_shape();
    let tables: std::collections::BTreeSet<_> = s.keys().map(|(t, _)| t.to_owned()).collect();
    assert_eq!(tables.into_iter().collect::<Vec<_>>(), expected_tables());
    for (table, cols) in declared_schema() {
        let mut want = cols.clone();
        want.sort();
        let mut got: Vec<String> = s
            .keys()
            .filter(|(t, _)| *t == table)
            .map(|(_, c)| c.clone())
            .collect();
        got.sort();
        assert_eq!(got, want, "columns of {table}: migrations vs schema.rs");
    }
    assert_eq!(
        s.get(&("users".into(), "disabled".into())),
        Some(&("boolean".into(), false))
    );
    assert_eq!(
        s.get(&("organisations".into(), "gln".into())),
        Some(&("text".into(), true))
    );
    assert_eq!(
        s.get(&("audit_log".into(), "seq".into())),
        Some(&("integer".into(), false))
    );
}

#[test]
fn migrations_are_equivalent() {
    let Some(base) = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    else {
        eprintln!("TEST_DATABASE_URL unset: comparing against PostgreSQL skipped");
        return;
    };
    let schema = format!("m_{}", uuid::Uuid::now_v7().simple());
    let mut admin = PgConnection::establish(&base).expect("postgres");
    diesel::sql_query(format!("CREATE SCHEMA {schema}"))
        .execute(&mut admin)
        .expect("schema");
    let sep = if base.contains('?') { '&' } else { '?' };
    let mut conn = migrated(&format!("{base}{sep}options=-csearch_path%3D{schema}"));
    let cols: Vec<Col> = diesel::sql_query(format!(
        "SELECT table_name::text AS table_name, column_name::text AS column_name, data_type::text AS data_type, \
         is_nullable::text AS nullable FROM information_schema.columns WHERE table_schema = '{schema}'"
    ))
    .load(&mut *conn)
    .expect("columns");
    drop(conn);
    crate::helpers::drop_schema(&base, &schema);
    assert_eq!(shape(cols), sqlite_shape());
}

#[derive(QueryableByName)]
struct Pragma {
    #[diesel(sql_type = Text)]
    value: String,
}

#[test]
fn sqlite_connections_use_wal_a_busy_timeout_and_foreign_keys() {
    let dir = std::env::temp_dir().join(format!("gs1dpp-pragma-{}", uuid::Uuid::now_v7()));
    let pool = db::pool(&format!("sqlite://{}/p.db", dir.display()), 2).expect("pool");
    let mut conn = pool.get().expect("connection");
    // pragma_busy_timeout names its column `timeout`; the others use the pragma's name.
    let mut pragma = |name: &str| -> String {
        let column = if name == "busy_timeout" {
            "timeout"
        } else {
            name
        };
        let rows: Vec<Pragma> = diesel::sql_query(format!(
            "SELECT CAST({column} AS TEXT) AS value FROM pragma_{name}"
        ))
        .load(&mut *conn)
        .expect("pragma");
        rows.into_iter().next().map(|r| r.value).unwrap_or_default()
    };
    assert_eq!(pragma("journal_mode"), "wal");
    assert_eq!(pragma("busy_timeout"), "5000");
    assert_eq!(pragma("foreign_keys"), "1");
    assert_eq!(pragma("synchronous"), "1", "NORMAL");
    drop(conn);
    let _ = std::fs::remove_dir_all(dir);
}
