//! The one diesel schema, shared by both backends (see `migrations/`).

diesel::table! {
    /// Organisations: exporters, certification bodies, labs, inspectors, accreditors, authorities.
    organisations (id) {
        id -> Text,
        kind -> Text,
        name -> Text,
        country -> Text,
        gln -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// People who sign in; each belongs to one organisation.
    users (id) {
        id -> Text,
        org_id -> Text,
        email -> Text,
        password_hash -> Text,
        role -> Text,
        disabled -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Machine credentials of an organisation, stored as SHA-256 of the secret.
    api_keys (id) {
        id -> Text,
        org_id -> Text,
        name -> Text,
        prefix -> Text,
        secret_hash -> Text,
        role -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// The append-only, hash-chained record of every write.
    audit_log (seq) {
        seq -> BigInt,
        at -> Timestamp,
        actor -> Text,
        org_id -> Nullable<Text>,
        action -> Text,
        entity_type -> Text,
        entity_id -> Text,
        state_digest -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::joinable!(users -> organisations (org_id));
diesel::joinable!(api_keys -> organisations (org_id));
diesel::allow_tables_to_appear_in_same_query!(organisations, users, api_keys, audit_log);
