-- The floor for the controller CSV: SQLite's own shell reading the same joins and writing CSV,
-- one row per controller activity with each list folded by group_concat (as ropa writes a list
-- one item per line in its cell). Run by benches/exports.sh:
--   sqlite3 -csv -header FILE.sqlite3 < benches/csv_baseline.sql > out.csv
SELECT
    o.name AS organisation,
    a.role,
    a.reference,
    a.name,
    a.business_function,
    (SELECT group_concat(p.description, char(10)) FROM purposes p
        WHERE p.activity_id = a.id ORDER BY p.position) AS purposes,
    (SELECT group_concat(pt.name || ': ' || j.responsibilities, char(10))
        FROM joint_controllers j JOIN parties pt ON pt.id = j.party_id
        WHERE j.activity_id = a.id) AS joint_controllers,
    (SELECT group_concat(sc.label, char(10)) FROM activity_subjects s
        JOIN subject_categories sc ON sc.id = s.subject_category_id
        WHERE s.activity_id = a.id) AS subjects,
    (SELECT group_concat(dc.label || ' (' || dc.sensitivity || ')', char(10))
        FROM activity_data_categories d JOIN data_categories dc ON dc.id = d.data_category_id
        WHERE d.activity_id = a.id) AS data_categories,
    (SELECT group_concat(pt.name || ' (' || pt.kind || ', ' || pt.country || '): '
            || r.data_received, char(10))
        FROM recipients r JOIN parties pt ON pt.id = r.party_id
        WHERE r.activity_id = a.id) AS recipients,
    (SELECT group_concat(pt.name || ': ' || pt.contract_reference, char(10))
        FROM recipients r JOIN parties pt ON pt.id = r.party_id
        WHERE r.activity_id = a.id AND pt.kind IN ('processor', 'sub_processor'))
        AS processor_contracts,
    (SELECT group_concat(coalesce(t.destination_country, t.destination_organisation) || ': '
            || t.mechanism, char(10))
        FROM transfers t WHERE t.activity_id = a.id) AS transfers,
    (SELECT group_concat(coalesce(t.destination_country, '') || ': ' || t.safeguards, char(10))
        FROM transfers t WHERE t.activity_id = a.id AND t.mechanism LIKE 'derogation_%')
        AS exceptional_transfers,
    (SELECT group_concat(dc.label || ': ' || coalesce(rr.period_value || ' ' || rr.period_unit,
            rr.criterion) || ' ' || rr.start_event || ' (' || rr.legal_reference || ')', char(10))
        FROM retention_rules rr JOIN data_categories dc ON dc.id = rr.data_category_id
        WHERE rr.activity_id = a.id) AS retention,
    a.security_description || char(10) || coalesce((SELECT group_concat(sm.label, char(10))
        FROM activity_measures m JOIN security_measures sm ON sm.id = m.security_measure_id
        WHERE m.activity_id = a.id), '') AS security,
    (SELECT group_concat(DISTINCT b.basis) FROM purpose_bases b WHERE b.activity_id = a.id)
        AS lawful_bases,
    (SELECT group_concat(c.condition_code, char(10)) FROM activity_special_conditions c
        WHERE c.activity_id = a.id) AS special_conditions,
    (SELECT group_concat(p.legitimate_interest, char(10)) FROM purposes p
        WHERE p.activity_id = a.id) AS legitimate_interests,
    (SELECT group_concat(p.balancing_test_ref, char(10)) FROM purposes p
        WHERE p.activity_id = a.id) AS balancing_tests,
    a.automated_processing || ': ' || a.automated_decision_description AS automated,
    a.data_source, a.consent_record_ref, a.data_location || char(10) || a.systems AS location,
    a.dpia_required, a.dpia_status, a.dpia_reference, a.breach_occurred, a.breach_record_ref,
    a.status, a.owner, a.last_reviewed, a.next_review, a.created_at, a.updated_at
FROM activities a JOIN organisations o ON o.id = a.organisation_id
WHERE a.role = 'controller'
ORDER BY o.name, a.reference;
