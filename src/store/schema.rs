//! The database schema, written by hand for both backends (see migrations/).
//!
//! Uses nothing else of the crate.
// The table! macro generates modules and items that mirror the SQL; the SQL documents them.
#![allow(missing_docs)]

diesel::table! {
    organisations (id) {
        id -> BigInt,
        name -> Text,
        legal_address -> Text,
        email -> Text,
        phone -> Text,
        registration_number -> Text,
        country -> Text,
        representative -> Text,
        dpo -> Text,
        supervisory_authority -> Text,
        review_interval_months -> Integer,
        reference_prefix -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    data_categories (id) {
        id -> BigInt,
        code -> Text,
        label -> Text,
        sensitivity -> Text,
        article -> Text,
        description -> Text,
        seeded -> Bool,
        version -> BigInt,
    }
}

diesel::table! {
    subject_categories (id) {
        id -> BigInt,
        code -> Text,
        label -> Text,
        vulnerable -> Bool,
        description -> Text,
        seeded -> Bool,
        version -> BigInt,
    }
}

diesel::table! {
    security_measures (id) {
        id -> BigInt,
        code -> Text,
        label -> Text,
        kind -> Text,
        family -> Text,
        article -> Text,
        description -> Text,
        seeded -> Bool,
        version -> BigInt,
    }
}

diesel::table! {
    parties (id) {
        id -> BigInt,
        name -> Text,
        kind -> Text,
        country -> Text,
        contact -> Text,
        address -> Text,
        contract_reference -> Text,
        contract_date -> Nullable<Date>,
        notes -> Text,
        dpf_checked_on -> Nullable<Date>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    activities (id) {
        id -> BigInt,
        organisation_id -> BigInt,
        role -> Text,
        reference -> Text,
        name -> Text,
        description -> Text,
        business_function -> Text,
        owner -> Text,
        status -> Text,
        criminal_basis -> Nullable<Text>,
        criminal_legal_reference -> Text,
        special_legal_reference -> Text,
        data_source -> Text,
        systems -> Text,
        data_location -> Text,
        automated_processing -> Text,
        automated_decision_description -> Text,
        automated_exception -> Nullable<Text>,
        automated_logic -> Text,
        automated_safeguards -> Text,
        dpia_completed_on -> Nullable<Date>,
        no_recipients -> Bool,
        no_transfers -> Bool,
        dpia_required -> Text,
        dpia_status -> Text,
        dpia_reference -> Text,
        privacy_notice_ref -> Text,
        consent_record_ref -> Text,
        processor_contract_ref -> Text,
        retention_policy_ref -> Text,
        breach_occurred -> Bool,
        breach_record_ref -> Text,
        security_description -> Text,
        last_reviewed -> Nullable<Date>,
        next_review -> Nullable<Date>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        gaps -> Nullable<Text>,
        retirement_reason -> Text,
        dpia_screening -> Text,
        dpia_not_required_reason -> Text,
    }
}

diesel::table! {
    purposes (id) {
        id -> BigInt,
        activity_id -> BigInt,
        position -> Integer,
        description -> Text,
        legitimate_interest -> Text,
        balancing_test_ref -> Text,
        direct_marketing -> Bool,
        automated_means -> Bool,
    }
}

diesel::table! {
    purpose_bases (purpose_id, basis) {
        purpose_id -> BigInt,
        activity_id -> BigInt,
        basis -> Text,
        position -> Integer,
    }
}

diesel::table! {
    activity_special_conditions (activity_id, condition_code) {
        activity_id -> BigInt,
        condition_code -> Text,
        position -> Integer,
    }
}

diesel::table! {
    activity_subjects (activity_id, subject_category_id) {
        activity_id -> BigInt,
        subject_category_id -> BigInt,
        position -> Integer,
    }
}

diesel::table! {
    activity_data_categories (activity_id, data_category_id) {
        activity_id -> BigInt,
        data_category_id -> BigInt,
        position -> Integer,
    }
}

diesel::table! {
    activity_measures (activity_id, security_measure_id) {
        activity_id -> BigInt,
        security_measure_id -> BigInt,
        position -> Integer,
    }
}

diesel::table! {
    joint_controllers (id) {
        id -> BigInt,
        activity_id -> BigInt,
        party_id -> BigInt,
        position -> Integer,
        responsibilities -> Text,
    }
}

diesel::table! {
    represented_controllers (id) {
        id -> BigInt,
        activity_id -> BigInt,
        party_id -> BigInt,
        position -> Integer,
        processing_categories -> Text,
        representative -> Text,
    }
}

diesel::table! {
    recipients (id) {
        id -> BigInt,
        activity_id -> BigInt,
        party_id -> BigInt,
        position -> Integer,
        data_received -> Text,
        reason -> Text,
    }
}

diesel::table! {
    transfers (id) {
        id -> BigInt,
        activity_id -> BigInt,
        position -> Integer,
        destination_country -> Nullable<Text>,
        destination_organisation -> Text,
        party_id -> Nullable<BigInt>,
        mechanism -> Text,
        safeguards -> Text,
        scope_confirmed -> Bool,
        tia_reference -> Text,
    }
}

diesel::table! {
    /// Findings of the register checks a DPO accepted (`domain::checks::acknowledgement`).
    finding_acknowledgements (id) {
        id -> BigInt,
        activity_id -> BigInt,
        rule_code -> Text,
        field -> Text,
        detail -> Text,
        justification -> Text,
        until -> Nullable<Date>,
        acknowledged_by -> Text,
        acknowledged_at -> Timestamp,
    }
}

diesel::table! {
    /// The categories of personal data a retention rule covers, in the order chosen.
    retention_rule_categories (rule_id, data_category_id) {
        rule_id -> BigInt,
        activity_id -> BigInt,
        data_category_id -> BigInt,
        position -> Integer,
    }
}

diesel::table! {
    /// SQLite only: the same words as `activity_search`, in an FTS5 table that splits them
    /// into words (FTS5 `ascii`, no positions); `rowid` is the activity's id.
    activity_words (rowid) {
        rowid -> BigInt,
        words -> Text,
    }
}

diesel::table! {
    /// PostgreSQL only: the words of each activity's search text as an array (GIN-indexed);
    /// `rowid` is the activity's id.
    activity_terms (rowid) {
        rowid -> BigInt,
        terms -> Array<Text>,
    }
}

diesel::table! {
    /// PostgreSQL only: every word `activity_terms.terms` has held.
    search_terms (term) {
        term -> Text,
    }
}

diesel::table! {
    /// SQLite only: the distinct words of `activity_words` (an `fts5vocab` table).
    activity_word_terms (term) {
        term -> Text,
    }
}

diesel::table! {
    /// The words each activity is found by; `rowid` is the activity's id (SQLite: an FTS5
    /// table with the trigram tokenizer; PostgreSQL: a table with a pg_trgm index).
    activity_search (rowid) {
        rowid -> BigInt,
        words -> Text,
    }
}

diesel::table! {
    retention_rules (id) {
        id -> BigInt,
        activity_id -> BigInt,
        position -> Integer,
        period_value -> Nullable<Integer>,
        period_unit -> Nullable<Text>,
        criterion -> Text,
        start_event -> Text,
        legal_reference -> Text,
    }
}

diesel::joinable!(activities -> organisations (organisation_id));
diesel::joinable!(purposes -> activities (activity_id));
diesel::joinable!(activity_subjects -> subject_categories (subject_category_id));
diesel::joinable!(activity_data_categories -> data_categories (data_category_id));
diesel::joinable!(activity_measures -> security_measures (security_measure_id));
diesel::joinable!(joint_controllers -> parties (party_id));
diesel::joinable!(represented_controllers -> parties (party_id));
diesel::joinable!(recipients -> parties (party_id));
diesel::joinable!(transfers -> parties (party_id));
diesel::joinable!(retention_rule_categories -> data_categories (data_category_id));
diesel::joinable!(retention_rule_categories -> retention_rules (rule_id));

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    data_categories,
    subject_categories,
    security_measures,
    parties,
    activities,
    purposes,
    purpose_bases,
    activity_special_conditions,
    activity_subjects,
    activity_data_categories,
    activity_measures,
    joint_controllers,
    represented_controllers,
    recipients,
    transfers,
    retention_rules,
    retention_rule_categories,
    activity_search,
    activity_words,
    activity_terms,
    finding_acknowledgements,
);

diesel::table! {
    users (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
        password_hash -> Text,
        role -> Text,
        active -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions (token_hash) {
        token_hash -> Text,
        user_id -> BigInt,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
    }
}

diesel::table! {
    login_throttle (throttle_key) {
        throttle_key -> Text,
        failures -> Integer,
        last_failure_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_head (id) {
        id -> BigInt,
        seq -> BigInt,
        last_hash -> Text,
        mark -> Text,
    }
}

diesel::table! {
    audit_log (seq) {
        seq -> BigInt,
        at -> Timestamp,
        user_id -> Nullable<BigInt>,
        user_email -> Text,
        action -> Text,
        entity_type -> Text,
        entity_id -> Nullable<BigInt>,
        entity_label -> Text,
        before_value -> Text,
        after_value -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(
    users,
    sessions,
    organisations,
    login_throttle,
    audit_head,
    audit_log
);
