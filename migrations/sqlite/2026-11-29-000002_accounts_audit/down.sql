DROP TABLE audit_log;
DROP TABLE audit_head;
DROP TABLE login_throttle;
DROP TABLE sessions;
DROP TABLE users;
