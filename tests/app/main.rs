//! Integration tests: the app as a user meets it, over HTTP against a spawned server and
//! through the real command line. Set `ROPA_TEST_DATABASE_URL` to run them on PostgreSQL.

mod accounts;
mod activities;
mod architecture;
mod audit_chain;
mod browser;
mod checks;
mod cli;
mod exports;
mod helpers;
mod kept_work;
mod law;
mod pages;
mod queries;
mod register;
mod screening;
mod security;
mod sign_in;
