//! Processing activities: the form a user fills in, and the valid draft it parses into.
//!
//! The form is read from plain `name=value` pairs so that any input path (browser form, JSON,
//! test) can fill it. Nested lists use indexed names: `purposes[0].description`,
//! `purposes[0].bases` (repeated), `transfers[2].mechanism`, ...
//!
//! `form` holds the form as typed, `parse` the rules that turn it into a `draft`, `choices` what
//! the form may refer to. Uses the domain's vocabularies, ids and field errors.

mod choices;
mod draft;
mod form;
mod parse;

pub use choices::*;
pub use draft::*;
pub use form::*;
