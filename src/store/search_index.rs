//! The words an activity is found by: its own text (reference, name, description, function,
//! owner, systems, source, location, purposes), the names of the parties it uses (recipients,
//! joint controllers, controllers acted for, transfer recipients), its destinations (country
//! code and name, international organisation), and the labels of its data and subject
//! categories. Kept in `activity_search`, one row per activity, which a trigram index answers
//! (SQLite FTS5 `trigram`, PostgreSQL `pg_trgm`).
//!
//! The words are read back from the stored rows, so they are rewritten in the transaction of
//! every change that alters them: an activity's save, a party's or a catalogue entry's rename.
//! Beside `activities` (not inside it) because parties and catalogues call it too. Uses the
//! schema and the domain's countries.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::domain::vocab::Country;
use crate::store::schema::{
    activities, activity_data_categories, activity_search, activity_subjects, data_categories,
    joint_controllers, parties, purposes, recipients, represented_controllers, subject_categories,
    transfers,
};
use crate::store::{fold, DbConnection, StoreResult};

/// Activities whose words are read and written per round of queries.
const CHUNK: usize = 500;

/// Which activities' words to rewrite.
#[derive(Debug, Clone, Copy)]
pub enum SearchScope<'a> {
    /// These activities (just written, or using a record just renamed).
    Ids(&'a [i64]),
    /// Those with no words yet (written before the index existed).
    Missing,
}

/// The words of one activity, as they are stored: folded to lower case, one part a line.
#[derive(Debug, Default)]
struct Words {
    parts: Vec<String>,
}

impl Words {
    fn push(&mut self, text: &str) {
        if !text.trim().is_empty() {
            self.parts.push(text.to_owned());
        }
    }

    fn country(&mut self, code: Option<&str>) {
        if let Some(country) = code.and_then(Country::parse) {
            self.parts
                .push(format!("{} {}", country.code(), country.name()));
        }
    }

    fn text(&self) -> String {
        fold(&self.parts.join("\n"))
    }
}

/// Rewrites the words of the activities in `scope`, a fixed number of statements per 500.
/// Called in the transaction of the change that altered them.
pub fn refresh(conn: &mut DbConnection, scope: SearchScope<'_>) -> StoreResult<usize> {
    let ids: Vec<i64> = match scope {
        SearchScope::Ids(ids) => ids.to_vec(),
        SearchScope::Missing => activities::table
            .filter(activities::id.ne_all(activity_search::table.select(activity_search::rowid)))
            .select(activities::id)
            .load(conn)?,
    };
    for chunk in ids.chunks(CHUNK) {
        let rows = words_of(conn, chunk)?;
        diesel::delete(activity_search::table.filter(activity_search::rowid.eq_any(chunk)))
            .execute(conn)?;
        let values: Vec<_> = rows
            .iter()
            .map(|(id, words)| {
                (
                    activity_search::rowid.eq(*id),
                    activity_search::words.eq(words),
                )
            })
            .collect();
        // A multi-row INSERT per backend (the multi-backend connection cannot bind a list).
        for part in values.chunks(CHUNK) {
            match &mut *conn {
                DbConnection::Sqlite(c) => {
                    diesel::insert_into(activity_search::table)
                        .values(part)
                        .execute(c)?;
                }
                DbConnection::Pg(c) => {
                    diesel::insert_into(activity_search::table)
                        .values(part)
                        .execute(c)?;
                }
            }
        }
    }
    Ok(ids.len())
}

/// The words of the activities `ids` (those that exist), read from their stored rows.
fn words_of(conn: &mut DbConnection, ids: &[i64]) -> StoreResult<Vec<(i64, String)>> {
    type Own = (
        i64,
        (String, String, String, String, String),
        (String, String, String),
    );
    let own: Vec<Own> = activities::table
        .filter(activities::id.eq_any(ids))
        .order(activities::id.asc())
        .select((
            activities::id,
            (
                activities::reference,
                activities::name,
                activities::description,
                activities::business_function,
                activities::owner,
            ),
            (
                activities::systems,
                activities::data_source,
                activities::data_location,
            ),
        ))
        .load(conn)?;
    let mut words: HashMap<i64, Words> = HashMap::with_capacity(own.len());
    for (id, (reference, name, description, function, owner), (systems, source, location)) in &own {
        let w = words.entry(*id).or_default();
        for text in [
            reference,
            name,
            description,
            function,
            owner,
            systems,
            source,
            location,
        ] {
            w.push(text);
        }
    }
    let purpose_rows: Vec<(i64, String, String)> = purposes::table
        .filter(purposes::activity_id.eq_any(ids))
        .order((purposes::activity_id, purposes::position))
        .select((
            purposes::activity_id,
            purposes::description,
            purposes::legitimate_interest,
        ))
        .load(conn)?;
    for (id, description, interest) in &purpose_rows {
        if let Some(w) = words.get_mut(id) {
            w.push(description);
            w.push(interest);
        }
    }
    let mut named: Vec<(i64, String)> = recipients::table
        .inner_join(parties::table)
        .filter(recipients::activity_id.eq_any(ids))
        .order((recipients::activity_id, recipients::position))
        .select((recipients::activity_id, parties::name))
        .load(conn)?;
    named.extend(
        joint_controllers::table
            .inner_join(parties::table)
            .filter(joint_controllers::activity_id.eq_any(ids))
            .order((joint_controllers::activity_id, joint_controllers::position))
            .select((joint_controllers::activity_id, parties::name))
            .load::<(i64, String)>(conn)?,
    );
    named.extend(
        represented_controllers::table
            .inner_join(parties::table)
            .filter(represented_controllers::activity_id.eq_any(ids))
            .order((
                represented_controllers::activity_id,
                represented_controllers::position,
            ))
            .select((represented_controllers::activity_id, parties::name))
            .load::<(i64, String)>(conn)?,
    );
    let transfer_rows: Vec<(i64, Option<String>, String, Option<String>)> = transfers::table
        .left_join(parties::table)
        .filter(transfers::activity_id.eq_any(ids))
        .order((transfers::activity_id, transfers::position))
        .select((
            transfers::activity_id,
            transfers::destination_country,
            transfers::destination_organisation,
            parties::name.nullable(),
        ))
        .load(conn)?;
    for (id, name) in &named {
        if let Some(w) = words.get_mut(id) {
            w.push(name);
        }
    }
    for (id, country, organisation, party) in &transfer_rows {
        if let Some(w) = words.get_mut(id) {
            w.country(country.as_deref());
            w.push(organisation);
            if let Some(party) = party {
                w.push(party);
            }
        }
    }
    let categories: Vec<(i64, String)> = activity_data_categories::table
        .inner_join(data_categories::table)
        .filter(activity_data_categories::activity_id.eq_any(ids))
        .order((
            activity_data_categories::activity_id,
            activity_data_categories::position,
        ))
        .select((
            activity_data_categories::activity_id,
            data_categories::label,
        ))
        .load(conn)?;
    let subjects: Vec<(i64, String)> = activity_subjects::table
        .inner_join(subject_categories::table)
        .filter(activity_subjects::activity_id.eq_any(ids))
        .order((activity_subjects::activity_id, activity_subjects::position))
        .select((activity_subjects::activity_id, subject_categories::label))
        .load(conn)?;
    for (id, label) in categories.iter().chain(&subjects) {
        if let Some(w) = words.get_mut(id) {
            w.push(label);
        }
    }
    Ok(own
        .iter()
        .map(|(id, ..)| (*id, words.get(id).map(Words::text).unwrap_or_default()))
        .collect())
}

/// The activities a party is used by (as recipient, joint controller, controller acted for or
/// transfer recipient): whose words name it.
pub fn using_party(conn: &mut DbConnection, party: i64) -> StoreResult<Vec<i64>> {
    let mut ids: Vec<i64> = recipients::table
        .filter(recipients::party_id.eq(party))
        .select(recipients::activity_id)
        .load(conn)?;
    ids.extend(
        joint_controllers::table
            .filter(joint_controllers::party_id.eq(party))
            .select(joint_controllers::activity_id)
            .load::<i64>(conn)?,
    );
    ids.extend(
        represented_controllers::table
            .filter(represented_controllers::party_id.eq(party))
            .select(represented_controllers::activity_id)
            .load::<i64>(conn)?,
    );
    ids.extend(
        transfers::table
            .filter(transfers::party_id.eq(party))
            .select(transfers::activity_id)
            .load::<i64>(conn)?,
    );
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// One word of a search, as a `LIKE` filter on `activity_search.words`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WordPattern {
    /// A `LIKE` pattern without an ESCAPE clause (a word without `%`, `_` or `\\` needs none).
    Plain(String),
    /// A `LIKE` pattern with `\\` as its escape character (PostgreSQL's default).
    Escaped(String),
}

impl WordPattern {
    /// The pattern that finds `word` (already folded) anywhere in the words.
    fn of(word: &str, sqlite: bool) -> Self {
        let wild = word.contains(['%', '_', '\\']);
        if sqlite && !wild {
            return Self::Plain(format!("%{word}%"));
        }
        let mut out = String::with_capacity(word.len() + 4);
        out.push('%');
        for c in word.chars() {
            if matches!(c, '%' | '_' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('%');
        Self::Escaped(out)
    }
}

/// A text search as the filters that answer it on one backend: every word must appear.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextQuery {
    /// SQLite: one FTS5 `MATCH` expression for the words of three characters or more, each a
    /// quoted string (the trigram tokenizer finds it as a substring), joined by AND. Answered
    /// from the index alone, several times faster than `LIKE` on it for common words.
    pub fts_match: Option<String>,
    /// The words the index cannot answer (SQLite: under three characters, which FTS5 trigram
    /// never matches; PostgreSQL: every word, which pg_trgm answers for `LIKE`).
    pub likes: Vec<WordPattern>,
}

impl TextQuery {
    /// The filters for `text` (folded here) on `sqlite` or PostgreSQL.
    pub fn of(text: &str, sqlite: bool) -> Self {
        let mut query = TextQuery::default();
        let mut matched: Vec<String> = Vec::new();
        for word in fold(text).split_whitespace() {
            if sqlite && word.chars().count() >= 3 {
                matched.push(format!("\"{}\"", word.replace('"', "\"\"")));
            } else {
                query.likes.push(WordPattern::of(word, sqlite));
            }
        }
        if !matched.is_empty() {
            query.fts_match = Some(matched.join(" AND "));
        }
        query
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_sqlite_long_words_go_to_the_index_and_short_ones_to_like() {
        let q = TextQuery::of("Bangalore \"x\"y 50%_off\\ in", true);
        assert_eq!(
            q.fts_match.as_deref(),
            Some("\"bangalore\" AND \"\"\"x\"\"y\" AND \"50%_off\\\"")
        );
        assert_eq!(q.likes, vec![WordPattern::Plain("%in%".into())]);
        let q = TextQuery::of("a_", true);
        assert_eq!(q.likes, vec![WordPattern::Escaped("%a\\_%".into())]);
        let q = TextQuery::of("India x", false);
        assert_eq!(q.fts_match, None);
        assert_eq!(
            q.likes,
            vec![
                WordPattern::Escaped("%india%".into()),
                WordPattern::Escaped("%x%".into())
            ]
        );
    }

    #[test]
    fn words_name_the_country_by_code_and_name_and_skip_blank_parts() {
        let mut w = Words::default();
        w.push("PA-001");
        w.push("  ");
        w.country(Some("IN"));
        w.country(Some("not a country"));
        assert_eq!(w.text(), "pa-001\nin india");
    }
}
