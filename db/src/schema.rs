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
        resolver_root -> Nullable<Text>,
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

diesel::table! {
    /// GS1 company prefixes licensed to exporters, with allocation cursors.
    company_prefixes (id) {
        id -> Text,
        org_id -> Text,
        prefix -> Text,
        status -> Text,
        next_item_ref -> BigInt,
        next_serial_ref -> BigInt,
        next_location_ref -> BigInt,
        licensed_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        gtin_refs_used -> BigInt,
        sscc_refs_used -> BigInt,
        gln_refs_used -> BigInt,
    }
}

diesel::table! {
    /// Every GTIN, SSCC and GLN ever issued; never deleted, so a key is never issued twice.
    issued_keys (id) {
        id -> Text,
        prefix_id -> Text,
        org_id -> Text,
        kind -> Text,
        key -> Text,
        reference -> BigInt,
        description -> Nullable<Text>,
        issued_by -> Text,
        issued_at -> Timestamp,
    }
}

diesel::table! {
    /// Trade items (GTIN master data).
    products (id) {
        id -> Text,
        org_id -> Text,
        gtin -> Text,
        name_vi -> Text,
        name_en -> Text,
        description_vi -> Nullable<Text>,
        description_en -> Nullable<Text>,
        brand -> Nullable<Text>,
        gpc_brick -> Nullable<Text>,
        hs_code -> Nullable<Text>,
        country_of_origin -> Nullable<Text>,
        net_content -> Nullable<Text>,
        net_content_unit -> Nullable<Text>,
        image_url -> Nullable<Text>,
        target_markets -> Text,
        standards -> Text,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Batches or lots of a product.
    lots (id) {
        id -> Text,
        org_id -> Text,
        gtin -> Text,
        lot -> Text,
        production_date -> Nullable<Text>,
        expiry_date -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Bulk serial commissioning requests, idempotent by key, with progress.
    commission_jobs (id) {
        id -> Text,
        org_id -> Text,
        gtin -> Text,
        idempotency_key -> Text,
        request_digest -> Text,
        total -> BigInt,
        done -> BigInt,
        status -> Text,
        error -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        worker -> Nullable<Text>,
    }
}

diesel::table! {
    /// Serialised items and their state.
    serials (gtin, serial) {
        gtin -> Text,
        serial -> Text,
        org_id -> Text,
        lot -> Text,
        state -> Text,
        job_id -> Nullable<Text>,
        updated_at -> Timestamp,
        state_since -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// An accreditation body's signatory status in ILAC / IAF / APAC arrangements.
    accreditation_signatures (id) {
        id -> Text,
        body_org_id -> Text,
        arrangement -> Text,
        scope -> Text,
        status -> Text,
        valid_from -> Text,
        valid_until -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// A body's accreditation of a conformity assessment body (CAB).
    accreditations (id) {
        id -> Text,
        body_org_id -> Text,
        cab_org_id -> Text,
        number -> Text,
        standard -> Text,
        scope_standards -> Text,
        scope_categories -> Text,
        valid_from -> Text,
        valid_until -> Text,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Conformity certificates, test reports and inspection certificates.
    certificates (id) {
        id -> Text,
        number -> Text,
        cab_org_id -> Text,
        holder_org_id -> Text,
        kind -> Text,
        standards -> Text,
        gpc_brick -> Nullable<Text>,
        issue_date -> Text,
        expiry_date -> Nullable<Text>,
        status -> Text,
        unaccredited -> Bool,
        accreditation_id -> Nullable<Text>,
        document_sha256 -> Nullable<Text>,
        document_url -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// The GTINs a certificate covers.
    certificate_gtins (certificate_id, gtin) {
        certificate_id -> Text,
        gtin -> Text,
    }
}

diesel::table! {
    /// A certificate's status history with reasons.
    certificate_events (id) {
        id -> Text,
        certificate_id -> Text,
        status -> Text,
        reason -> Text,
        actor -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    /// Digital product passports per product (or lot, or serial) with their draft.
    passports (id) {
        id -> Text,
        org_id -> Text,
        gtin -> Text,
        lot -> Text,
        serial -> Text,
        draft -> Text,
        latest_version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Published, signed, immutable passport versions.
    passport_versions (id) {
        id -> Text,
        passport_id -> Text,
        version -> BigInt,
        content -> Text,
        content_sha256 -> Text,
        jws -> Text,
        kid -> Text,
        published_by -> Text,
        published_at -> Timestamp,
    }
}

diesel::table! {
    /// Public keys that ever signed a passport, for the JWKS.
    signing_keys (kid) {
        kid -> Text,
        public_jwk -> Text,
        created_at -> Timestamp,
        retired_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    /// Links registered for the Digital Link resolver.
    resolver_links (id) {
        id -> Text,
        org_id -> Text,
        gtin -> Text,
        lot -> Text,
        serial -> Text,
        link_type -> Text,
        href -> Text,
        title -> Text,
        lang -> Nullable<Text>,
        media_type -> Nullable<Text>,
        context -> Nullable<Text>,
        is_default -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// Market-surveillance inspections.
    inspections (id) {
        id -> Text,
        org_id -> Text,
        inspector_id -> Text,
        code -> Text,
        gtin -> Nullable<Text>,
        lot -> Nullable<Text>,
        serial -> Nullable<Text>,
        place -> Text,
        outcome -> Text,
        notes -> Nullable<Text>,
        evidence_sha256 -> Nullable<Text>,
        inspected_at -> Timestamp,
        created_at -> Timestamp,
        idempotency_key -> Nullable<Text>,
        request_digest -> Nullable<Text>,
    }
}

diesel::table! {
    /// Recalls and safety warnings.
    alerts (id) {
        id -> Text,
        org_id -> Text,
        kind -> Text,
        source -> Text,
        reference -> Nullable<Text>,
        title -> Text,
        description -> Nullable<Text>,
        status -> Text,
        raised_by -> Text,
        raised_at -> Timestamp,
        lifted_at -> Nullable<Timestamp>,
        lift_reason -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    /// The GTINs and lots an alert covers (lot '' = every lot).
    alert_targets (alert_id, gtin, lot) {
        alert_id -> Text,
        gtin -> Text,
        lot -> Text,
    }
}

diesel::table! {
    /// Public scans of serialised items (no personal data), for the scan-pattern signal.
    public_scans (id) {
        id -> Text,
        at -> Timestamp,
        gtin -> Text,
        serial -> Text,
        place -> Text,
    }
}

diesel::table! {
    /// EPCIS events, keyed in capture order; `id` is the CBV 2.0 hash id (unique), `body` the
    /// event as JSON-LD.
    epcis_events (seq) {
        seq -> BigInt,
        id -> Text,
        event_id -> Nullable<Text>,
        event_type -> Text,
        event_time -> Timestamp,
        record_time -> Timestamp,
        action -> Nullable<Text>,
        biz_step -> Nullable<Text>,
        disposition -> Nullable<Text>,
        read_point -> Nullable<Text>,
        biz_location -> Nullable<Text>,
        org_id -> Text,
        capture_id -> Text,
        declared_error_at -> Nullable<Timestamp>,
        body -> Text,
    }
}

diesel::table! {
    /// The identifiers each EPCIS event names as objects, by role.
    epcis_event_objects (epc, event_seq, role) {
        epc -> Text,
        event_seq -> BigInt,
        role -> Text,
        gtin -> Nullable<Text>,
    }
}

diesel::table! {
    /// EPCIS capture requests and their outcome.
    epcis_captures (id) {
        id -> Text,
        org_id -> Text,
        actor -> Text,
        behaviour -> Text,
        events -> Integer,
        stored -> Integer,
        duplicates -> Integer,
        success -> Bool,
        errors -> Text,
        created_at -> Timestamp,
        finished_at -> Timestamp,
        running -> Bool,
        lease -> Nullable<Text>,
    }
}

diesel::table! {
    /// UNTP Digital Traceability Event credentials issued for an object's journey.
    traceability_credentials (id) {
        id -> Text,
        org_id -> Text,
        epc -> Text,
        events_sha256 -> Text,
        content -> Text,
        content_sha256 -> Text,
        jws -> Text,
        kid -> Text,
        issued_by -> Text,
        issued_at -> Timestamp,
    }
}

diesel::table! {
    /// EPCIS named queries, per organisation.
    epcis_queries (id) {
        id -> Text,
        org_id -> Text,
        name -> Text,
        definition -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Webhook subscriptions to named queries, with their delivery state.
    epcis_subscriptions (id) {
        id -> Text,
        query_id -> Text,
        org_id -> Text,
        dest -> Text,
        signature_token -> Text,
        report_if_empty -> Bool,
        stream -> Bool,
        schedule -> Nullable<Text>,
        epc_format -> Text,
        initial_record_time -> Timestamp,
        cursor_time -> Timestamp,
        cursor_id -> Text,
        attempts -> Integer,
        due_at -> Timestamp,
        last_notified_at -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        last_error_at -> Nullable<Timestamp>,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(epcis_event_objects -> epcis_events (event_seq));

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    users,
    api_keys,
    audit_log,
    company_prefixes,
    issued_keys,
    products,
    lots,
    commission_jobs,
    serials,
    accreditation_signatures,
    accreditations,
    certificates,
    certificate_gtins,
    certificate_events,
    passports,
    passport_versions,
    signing_keys,
    resolver_links,
    inspections,
    alerts,
    alert_targets,
    public_scans,
    epcis_events,
    epcis_event_objects,
    epcis_captures,
    traceability_credentials,
    epcis_queries,
    epcis_subscriptions,
);
