-- A retention rule may cover several categories of personal data (Art. 30(1)(f)): the
-- categories move to their own table, in the order chosen; each existing rule keeps its one.
-- SQLite cannot drop a column that holds a foreign key, so the rules' table is rebuilt.
DROP INDEX retention_rules_activity;
DROP INDEX retention_rules_category;
ALTER TABLE retention_rules RENAME TO retention_rules_old;
CREATE TABLE retention_rules (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    activity_id BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    period_value INTEGER,
    period_unit TEXT,
    criterion TEXT NOT NULL,
    start_event TEXT NOT NULL,
    legal_reference TEXT NOT NULL
);
INSERT INTO retention_rules (id, activity_id, position, period_value, period_unit, criterion,
                             start_event, legal_reference)
    SELECT id, activity_id, position, period_value, period_unit, criterion, start_event,
           legal_reference
    FROM retention_rules_old;
CREATE TABLE retention_rule_categories (
    rule_id BIGINT NOT NULL REFERENCES retention_rules (id) ON DELETE CASCADE,
    activity_id BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    data_category_id BIGINT NOT NULL REFERENCES data_categories (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (rule_id, data_category_id)
);
INSERT INTO retention_rule_categories (rule_id, activity_id, data_category_id, position)
    SELECT id, activity_id, data_category_id, 0 FROM retention_rules_old;
DROP TABLE retention_rules_old;
CREATE INDEX retention_rules_activity ON retention_rules (activity_id);
CREATE INDEX retention_rule_categories_activity ON retention_rule_categories (activity_id);
CREATE INDEX retention_rule_categories_category ON retention_rule_categories (data_category_id);
