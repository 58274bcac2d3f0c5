//! PDF exports. `engine` is the layout engine and file writer every PDF shares; `register` is
//! the register's record (Art. 30(1) and 30(2)) laid out on it. A new document (a breach
//! notification, a findings annex) is another module beside `register` that implements
//! `engine::Document`.
//!
//! Uses only its own submodules.

mod engine;
mod register;

pub use register::{controller_pdf, processor_pdf, write_pdf};
