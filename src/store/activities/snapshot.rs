//! An activity as the register document shows it: the snapshot the audit trail keeps before
//! and after each change, with catalogue entries named by their codes.
//!
//! Uses the catalogues (for the codes) and the loading of whole activities.

use std::collections::HashMap;

use super::load::load_details;
use crate::domain::catalogue::CatalogueKind;
use crate::domain::document::ActivityDoc;
use crate::store::{catalogues, DbConnection, StoreError, StoreResult};

/// The catalogue codes an activity's snapshot names its entries by (read once per change).
pub struct SnapshotCodes {
    data: HashMap<i64, String>,
    subjects: HashMap<i64, String>,
    measures: HashMap<i64, String>,
}

impl SnapshotCodes {
    /// Reads the codes of the three catalogues.
    pub fn load(conn: &mut DbConnection) -> StoreResult<Self> {
        let mut codes = |kind| -> StoreResult<HashMap<i64, String>> {
            Ok(catalogues::list(conn, kind)?
                .into_iter()
                .map(|e| (e.id, e.code))
                .collect())
        };
        Ok(SnapshotCodes {
            data: codes(CatalogueKind::DataCategories)?,
            subjects: codes(CatalogueKind::SubjectCategories)?,
            measures: codes(CatalogueKind::SecurityMeasures)?,
        })
    }

    /// An activity as the JSON document shows it: the values the audit trail keeps before and
    /// after a change.
    pub fn snapshot(&self, conn: &mut DbConnection, id: i64) -> StoreResult<ActivityDoc> {
        let a = load_details(conn, &[id])?
            .pop()
            .ok_or(StoreError::NotFound)?;
        let lookup = |m: &HashMap<i64, String>, id: i64| m.get(&id).cloned().unwrap_or_default();
        Ok(a.to_doc(
            &|id| lookup(&self.data, id),
            &|id| lookup(&self.subjects, id),
            &|id| lookup(&self.measures, id),
        ))
    }
}

/// An activity as the JSON document shows it: the values the audit trail keeps before and after.
pub fn activity_snapshot(conn: &mut DbConnection, id: i64) -> StoreResult<ActivityDoc> {
    SnapshotCodes::load(conn)?.snapshot(conn, id)
}
