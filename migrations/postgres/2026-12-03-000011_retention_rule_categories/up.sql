-- A retention rule may cover several categories of personal data (Art. 30(1)(f)): the
-- categories move to their own table, in the order chosen; each existing rule keeps its one.
CREATE TABLE retention_rule_categories (
    rule_id BIGINT NOT NULL REFERENCES retention_rules (id) ON DELETE CASCADE,
    activity_id BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    data_category_id BIGINT NOT NULL REFERENCES data_categories (id),
    position INTEGER NOT NULL,
    PRIMARY KEY (rule_id, data_category_id)
);
INSERT INTO retention_rule_categories (rule_id, activity_id, data_category_id, position)
    SELECT id, activity_id, data_category_id, 0 FROM retention_rules;
DROP INDEX retention_rules_category;
ALTER TABLE retention_rules DROP COLUMN data_category_id;
CREATE INDEX retention_rule_categories_activity ON retention_rule_categories (activity_id);
CREATE INDEX retention_rule_categories_category ON retention_rule_categories (data_category_id);
