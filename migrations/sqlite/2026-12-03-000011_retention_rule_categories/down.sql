-- Back to one category a rule: each rule keeps the first of its categories.
DROP INDEX retention_rules_activity;
ALTER TABLE retention_rules RENAME TO retention_rules_new;
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
INSERT INTO retention_rules (id, activity_id, data_category_id, position, period_value,
                             period_unit, criterion, start_event, legal_reference)
    SELECT r.id, r.activity_id, c.data_category_id, r.position, r.period_value, r.period_unit,
           r.criterion, r.start_event, r.legal_reference
    FROM retention_rules_new r
    JOIN retention_rule_categories c ON c.rule_id = r.id AND c.position = 0;
DROP TABLE retention_rule_categories;
DROP TABLE retention_rules_new;
CREATE INDEX retention_rules_activity ON retention_rules (activity_id);
CREATE INDEX retention_rules_category ON retention_rules (data_category_id);
