//! ropa: a register of processing activities under GDPR Article 30.
//!
//! `domain` holds the register's concepts, `store` keeps them in SQLite or PostgreSQL, `web`
//! serves the browser UI, and `demo` loads an example register. `main.rs` is the command line.

#![warn(missing_docs)]

pub mod config;
pub mod demo;
pub mod domain;
pub mod export;
pub mod store;
pub mod web;
