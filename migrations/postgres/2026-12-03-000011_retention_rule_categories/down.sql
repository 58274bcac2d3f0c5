-- Back to one category a rule: each rule keeps the first of its categories.
ALTER TABLE retention_rules ADD COLUMN data_category_id BIGINT REFERENCES data_categories (id);
UPDATE retention_rules r SET data_category_id = c.data_category_id
    FROM retention_rule_categories c WHERE c.rule_id = r.id AND c.position = 0;
DELETE FROM retention_rules WHERE data_category_id IS NULL;
ALTER TABLE retention_rules ALTER COLUMN data_category_id SET NOT NULL;
DROP TABLE retention_rule_categories;
CREATE INDEX retention_rules_category ON retention_rules (data_category_id);
