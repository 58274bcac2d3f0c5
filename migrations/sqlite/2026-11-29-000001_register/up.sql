-- The register: organisations, catalogues, parties and processing activities.
CREATE TABLE organisations (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL,
    legal_address TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL,
    registration_number TEXT NOT NULL,
    country TEXT NOT NULL,
    representative TEXT NOT NULL,
    dpo TEXT NOT NULL,
    supervisory_authority TEXT NOT NULL,
    review_interval_months INTEGER NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX organisations_name ON organisations (name);

CREATE TABLE data_categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    sensitivity TEXT NOT NULL,
    article TEXT NOT NULL,
    description TEXT NOT NULL,
    seeded BOOLEAN NOT NULL,
    version BIGINT NOT NULL
);

CREATE TABLE subject_categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    vulnerable BOOLEAN NOT NULL,
    description TEXT NOT NULL,
    seeded BOOLEAN NOT NULL,
    version BIGINT NOT NULL
);

CREATE TABLE security_measures (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    kind TEXT NOT NULL,
    family TEXT NOT NULL,
    article TEXT NOT NULL,
    description TEXT NOT NULL,
    seeded BOOLEAN NOT NULL,
    version BIGINT NOT NULL
);

CREATE TABLE parties (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    country TEXT NOT NULL,
    contact TEXT NOT NULL,
    address TEXT NOT NULL,
    contract_reference TEXT NOT NULL,
    contract_date DATE,
    notes TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX parties_name ON parties (name);

CREATE TABLE activities (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    role TEXT NOT NULL,
    reference TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    business_function TEXT NOT NULL,
    owner TEXT NOT NULL,
    status TEXT NOT NULL,
    criminal_basis TEXT,
    criminal_legal_reference TEXT NOT NULL,
    special_legal_reference TEXT NOT NULL,
    data_source TEXT NOT NULL,
    systems TEXT NOT NULL,
    data_location TEXT NOT NULL,
    automated_decision BOOLEAN NOT NULL,
    automated_decision_description TEXT NOT NULL,
    dpia_required TEXT NOT NULL,
    dpia_status TEXT NOT NULL,
    dpia_reference TEXT NOT NULL,
    privacy_notice_ref TEXT NOT NULL,
    consent_record_ref TEXT NOT NULL,
    processor_contract_ref TEXT NOT NULL,
    retention_policy_ref TEXT NOT NULL,
    breach_occurred BOOLEAN NOT NULL,
    breach_record_ref TEXT NOT NULL,
    security_description TEXT NOT NULL,
    last_reviewed DATE,
    next_review DATE,
    search_text TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX activities_reference ON activities (organisation_id, reference);
CREATE INDEX activities_status ON activities (status);

CREATE TABLE purposes (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    activity_id BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    description TEXT NOT NULL,
    legitimate_interest TEXT NOT NULL,
    balancing_test_ref TEXT NOT NULL
);
CREATE INDEX purposes_activity ON purposes (activity_id);

CREATE TABLE purpose_bases (
    purpose_id BIGINT NOT NULL REFERENCES purposes (id) ON DELETE CASCADE,
    activity_id BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    basis TEXT NOT NULL,
    PRIMARY KEY (purpose_id, basis)
);
CREATE INDEX purpose_bases_basis ON purpose_bases (basis, activity_id);

CREATE TABLE activity_special_conditions (
    activity_id BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    condition_code TEXT NOT NULL,
    PRIMARY KEY (activity_id, condition_code)
);

CREATE TABLE activity_subjects (
    activity_id BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    subject_category_id BIGINT NOT NULL REFERENCES subject_categories (id),
    PRIMARY KEY (activity_id, subject_category_id)
);
CREATE INDEX activity_subjects_category ON activity_subjects (subject_category_id);

CREATE TABLE activity_data_categories (
    activity_id BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    data_category_id BIGINT NOT NULL REFERENCES data_categories (id),
    PRIMARY KEY (activity_id, data_category_id)
);
CREATE INDEX activity_data_categories_category ON activity_data_categories (data_category_id);

CREATE TABLE activity_measures (
    activity_id BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    security_measure_id BIGINT NOT NULL REFERENCES security_measures (id),
    PRIMARY KEY (activity_id, security_measure_id)
);
CREATE INDEX activity_measures_measure ON activity_measures (security_measure_id);

CREATE TABLE joint_controllers (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    activity_id BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    party_id BIGINT NOT NULL REFERENCES parties (id),
    position INTEGER NOT NULL,
    responsibilities TEXT NOT NULL
);
CREATE INDEX joint_controllers_activity ON joint_controllers (activity_id);
CREATE INDEX joint_controllers_party ON joint_controllers (party_id);

CREATE TABLE represented_controllers (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    activity_id BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    party_id BIGINT NOT NULL REFERENCES parties (id),
    position INTEGER NOT NULL,
    processing_categories TEXT NOT NULL
);
CREATE INDEX represented_controllers_activity ON represented_controllers (activity_id);
CREATE INDEX represented_controllers_party ON represented_controllers (party_id);

CREATE TABLE recipients (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    activity_id BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    party_id BIGINT NOT NULL REFERENCES parties (id),
    position INTEGER NOT NULL,
    data_received TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX recipients_activity ON recipients (activity_id);
CREATE INDEX recipients_party ON recipients (party_id);

CREATE TABLE transfers (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    activity_id BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    destination_country TEXT,
    destination_organisation TEXT NOT NULL,
    party_id BIGINT REFERENCES parties (id),
    mechanism TEXT NOT NULL,
    safeguards TEXT NOT NULL
);
CREATE INDEX transfers_activity ON transfers (activity_id);
CREATE INDEX transfers_party ON transfers (party_id);
CREATE INDEX transfers_country ON transfers (destination_country, activity_id);

CREATE TABLE retention_rules (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    activity_id BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    data_category_id BIGINT NOT NULL REFERENCES data_categories (id),
    position INTEGER NOT NULL,
    period_value INTEGER,
    period_unit TEXT,
    criterion TEXT NOT NULL,
    start_event TEXT NOT NULL,
    legal_reference TEXT NOT NULL
);
CREATE INDEX retention_rules_activity ON retention_rules (activity_id);
CREATE INDEX retention_rules_category ON retention_rules (data_category_id);
