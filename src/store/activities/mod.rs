//! Processing activities in the database, one file for each concern:
//!
//! - `write`: create, replace and change the status of activities, each with its audit entry;
//! - `lists`: the nested lists (purposes, categories, parties, transfers, retention) written
//!   and deleted in as few statements as each backend allows;
//! - `detail` and `load`: the detail read model ([`ActivityDetail`]) and its loading;
//! - `snapshot`: an activity as the register document shows it, kept by the audit trail;
//! - `search`: the register's list, its filters, sorting, paging and counts;
//! - `choices`: what an activity form may refer to.
//!
//! The missing Art. 30 elements stored per activity live in `store::gaps`, beside this module,
//! because catalogue changes recompute them too. Uses the schema, the audit trail, the
//! catalogues and the domain; nothing above the store.

mod choices;
mod detail;
mod lists;
mod load;
mod search;
mod snapshot;
mod write;

pub use choices::{choices, usual_measures};
pub use detail::{
    or_missing, ActivityDetail, EntryRef, PartyLink, PurposeView, RetentionView, TransferView,
    NOT_RECORDED,
};
pub(crate) use lists::LIST_TABLES;
pub use load::{get, load_details};
pub use search::{
    active_by_organisation_and_role, count, destinations_in_use, matching_ids,
    matching_ids_and_organisations, organisations_with_role, reviews_due, search, search_counted,
    status_counts, ActivityFilter, ActivitySummary, Page, SortKey, StatusFilter,
};
pub use snapshot::{activity_snapshot, SnapshotCodes};
pub use write::{insert, set_status, status, update};
pub(crate) use write::{insert_many_unaudited, NewActivity};

/// The backend of the multi-backend connection, for boxed queries.
type Backend = <crate::store::DbConnection as diesel::Connection>::Backend;
