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
//!
//! On SQLite the same words are also in `activity_words`, split into words (FTS5 `ascii`: at ASCII punctuation and spaces):
//! a search word of letters and digits is answered there by the indexed words that contain it
//! ([`SearchTerms`], read once per revision), the same activities the trigram index finds,
//! several times faster for a common word.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::domain::vocab::Country;
use crate::store::schema::{
    activities, activity_data_categories, activity_search, activity_subjects, activity_terms,
    activity_word_terms, activity_words, data_categories, joint_controllers, parties, purposes,
    recipients, represented_controllers, search_terms, subject_categories, transfers,
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
        // NOT EXISTS, not NOT IN: PostgreSQL answers it with an anti-join (NOT IN compares
        // each activity with every row, a second at 10,000).
        SearchScope::Missing => activities::table
            .filter(diesel::dsl::not(diesel::dsl::exists(
                activity_search::table.filter(activity_search::rowid.eq(activities::id)),
            )))
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
        match &mut *conn {
            DbConnection::Sqlite(c) => {
                diesel::insert_into(activity_search::table)
                    .values(&values)
                    .execute(c)?;
                // The same words in the word index (SQLite only).
                diesel::delete(activity_words::table.filter(activity_words::rowid.eq_any(chunk)))
                    .execute(c)?;
                let words: Vec<_> = rows
                    .iter()
                    .map(|(id, words)| {
                        (
                            activity_words::rowid.eq(*id),
                            activity_words::words.eq(words),
                        )
                    })
                    .collect();
                diesel::insert_into(activity_words::table)
                    .values(&words)
                    .execute(c)?;
            }
            DbConnection::Pg(c) => {
                diesel::insert_into(activity_search::table)
                    .values(&values)
                    .execute(c)?;
                // The same words as arrays (PostgreSQL only).
                diesel::delete(activity_terms::table.filter(activity_terms::rowid.eq_any(chunk)))
                    .execute(c)?;
                let arrays: Vec<_> = rows
                    .iter()
                    .map(|(id, words)| {
                        (
                            activity_terms::rowid.eq(*id),
                            activity_terms::terms.eq(terms_of(words)),
                        )
                    })
                    .collect();
                diesel::insert_into(activity_terms::table)
                    .values(&arrays)
                    .execute(c)?;
                // Every word indexed, once (kept when no activity holds it any more: it then
                // finds nothing).
                let mut all: Vec<String> = rows.iter().flat_map(|(_, w)| terms_of(w)).collect();
                all.sort_unstable();
                all.dedup();
                for part in all.chunks(CHUNK * 4) {
                    let new: Vec<_> = part.iter().map(|t| search_terms::term.eq(t)).collect();
                    diesel::insert_into(search_terms::table)
                        .values(&new)
                        .on_conflict_do_nothing()
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

/// The distinct words of the register as SQLite's word index holds them (`activity_words`),
/// read once per revision of the register: a search word is looked up among them in memory.
#[derive(Debug, Clone, Default)]
pub struct SearchTerms {
    terms: Vec<String>,
}

/// Indexed words that may stand for one search word; past this, the trigram index answers it.
const MAX_TERMS_PER_WORD: usize = 64;

impl SearchTerms {
    /// The words of the index: SQLite's word index, PostgreSQL's list of indexed words.
    pub fn read(conn: &mut DbConnection) -> StoreResult<Self> {
        Ok(Self {
            terms: match conn {
                DbConnection::Sqlite(c) => activity_word_terms::table
                    .select(activity_word_terms::term)
                    .load(c)?,
                DbConnection::Pg(c) => search_terms::table.select(search_terms::term).load(c)?,
            },
        })
    }

    /// The indexed words containing `word` (folded), or `None` when `word` is not all ASCII
    /// letters and digits (the word index splits text at ASCII punctuation, so only such a
    /// word always lies inside one indexed word), when no indexed word contains it (the list
    /// may be older than the index: the trigram index then answers), or when too many do.
    fn containing(&self, word: &str) -> Option<Vec<&str>> {
        if word.is_empty() || !word.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        let mut found = Vec::new();
        for term in &self.terms {
            if term.contains(word) {
                if found.len() == MAX_TERMS_PER_WORD {
                    return None;
                }
                found.push(term.as_str());
            }
        }
        (!found.is_empty()).then_some(found)
    }
}

/// The words of a search text as PostgreSQL's array holds them, split as SQLite's word index
/// splits them (FTS5 `ascii`): at ASCII characters other than letters and digits; each once.
fn terms_of(words: &str) -> Vec<String> {
    let mut terms: Vec<String> = words
        .split(|c: char| c.is_ascii() && !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// An FTS5 string: quoted, inner quotes doubled.
fn fts_string(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
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
    /// SQLite: one FTS5 `MATCH` expression on the word index (`activity_words`), for the
    /// words [`SearchTerms`] answers: each the indexed words containing it, joined by OR.
    pub words_match: Option<String>,
    /// PostgreSQL: for each word [`SearchTerms`] answers, the indexed words containing it,
    /// separated by spaces (one of them must be in `activity_terms.terms`).
    pub term_sets: Vec<String>,
    /// The words no index answers exactly (SQLite: under three characters, which FTS5 trigram
    /// never matches; PostgreSQL: every word, which pg_trgm answers for `LIKE`), unless
    /// [`SearchTerms`] does.
    pub likes: Vec<WordPattern>,
}

impl TextQuery {
    /// The filters for `text` (folded here) on `sqlite` or PostgreSQL, with the register's
    /// indexed words where they are known. Either way the same activities are found: those
    /// whose words contain every search word.
    pub fn of(text: &str, sqlite: bool, terms: Option<&SearchTerms>) -> Self {
        let mut query = TextQuery::default();
        let mut matched: Vec<String> = Vec::new();
        let mut worded: Vec<String> = Vec::new();
        for word in fold(text).split_whitespace() {
            match terms.and_then(|t| t.containing(word)) {
                Some(found) if sqlite => {
                    let any: Vec<String> = found.into_iter().map(fts_string).collect();
                    worded.push(format!("({})", any.join(" OR ")));
                }
                Some(found) => query.term_sets.push(found.join(" ")),
                None if sqlite && word.chars().count() >= 3 => matched.push(fts_string(word)),
                None => query.likes.push(WordPattern::of(word, sqlite)),
            }
        }
        if !matched.is_empty() {
            query.fts_match = Some(matched.join(" AND "));
        }
        if !worded.is_empty() {
            query.words_match = Some(worded.join(" AND "));
        }
        query
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_sqlite_long_words_go_to_the_index_and_short_ones_to_like() {
        let q = TextQuery::of("Bangalore \"x\"y 50%_off\\ in", true, None);
        assert_eq!(
            q.fts_match.as_deref(),
            Some("\"bangalore\" AND \"\"\"x\"\"y\" AND \"50%_off\\\"")
        );
        assert_eq!(q.likes, vec![WordPattern::Plain("%in%".into())]);
        let q = TextQuery::of("a_", true, None);
        assert_eq!(q.likes, vec![WordPattern::Escaped("%a\\_%".into())]);
        let q = TextQuery::of("India x", false, None);
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
    fn a_word_of_letters_and_digits_is_looked_up_among_the_indexed_words() {
        let terms = SearchTerms {
            terms: ["order", "orders", "recorder", "pa", "002", "customers"]
                .map(String::from)
                .to_vec(),
        };
        let q = TextQuery::of("Order customers PA-002 müll", true, Some(&terms));
        assert_eq!(
            q.words_match.as_deref(),
            Some("(\"order\" OR \"orders\" OR \"recorder\") AND (\"customers\")")
        );
        // Not letters and digits only: the trigram index.
        assert_eq!(q.fts_match.as_deref(), Some("\"pa-002\" AND \"müll\""));
        // In no indexed word (the list may be older than the index): the trigram index.
        assert_eq!(
            TextQuery::of("zebra", true, Some(&terms))
                .fts_match
                .as_deref(),
            Some("\"zebra\"")
        );
        let many = SearchTerms {
            terms: (0..=MAX_TERMS_PER_WORD).map(|i| format!("ab{i}")).collect(),
        };
        let q = TextQuery::of("ab1 abc", true, Some(&many));
        assert!(q.words_match.is_some(), "ab1 is in ab1, ab10..");
        assert_eq!(q.fts_match.as_deref(), Some("\"abc\""), "abc in none");
        let q = TextQuery::of("ab", true, Some(&many));
        assert_eq!(q.likes, vec![WordPattern::Plain("%ab%".into())], "too many");
        let q = TextQuery::of("ab1", false, Some(&many));
        assert_eq!(q.term_sets.len(), 1);
        assert!(
            q.term_sets[0].starts_with("ab1 ab10 ab11"),
            "{:?}",
            q.term_sets
        );
        assert!(q.likes.is_empty());
        let wide = SearchTerms {
            terms: (0..=MAX_TERMS_PER_WORD)
                .map(|i| format!("x{i}abc"))
                .collect(),
        };
        let q = TextQuery::of("abc", true, Some(&wide));
        assert_eq!(
            q.fts_match.as_deref(),
            Some("\"abc\""),
            "too many: trigrams"
        );
    }

    #[test]
    fn words_split_at_ascii_punctuation_only() {
        assert_eq!(
            terms_of("pa-001\nmünchen order order\n50%_off ſt"),
            ["001", "50", "münchen", "off", "order", "pa", "ſt"]
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
