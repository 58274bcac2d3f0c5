//! Whole rendered pages kept per register revision, so that reading a register nobody is
//! changing costs one database statement per page: the session look-up, which reads the
//! revision with it (`users::session_user`).
//!
//! A page of the register depends on the register (its revision: every change writes an audit
//! entry in the same transaction), the date (reviews due, overdue marks), the address with its
//! query, and the reader's role (edit controls, the audit history); should access ever depend
//! on more than the role (say, accounts limited to some organisations), the key must hold that
//! too. The only per-person parts of a page are the signed-in email and the CSRF token, so a
//! page is rendered once with two random marks in their place, kept in parts, and the reader's
//! own values (escaped exactly as the templates escape them) are put back on every answer.
//! Pages with a flash message are never kept. Revisions live in the database, so instances
//! sharing a PostgreSQL database see each other's changes at their next request; older pages
//! are dropped as soon as a request reads a newer revision. The memory used is bounded
//! (`--page-cache-mb`; 0 turns keeping off), the oldest pages leaving first.
//!
//! Uses `domain::user`, `store`, `web::{auth, errors, page}`.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use actix_web::web::{Bytes, BytesMut};
use actix_web::{HttpMessage, HttpRequest, HttpResponse};
use askama::Template;
use chrono::NaiveDate;

use super::auth::SeenRevision;
use super::errors::AppError;
use super::page::{db, ok, Layout, FLASH_COOKIE};
use super::AppState;
use crate::domain::user::Role;
use crate::store::{DbConnection, StoreResult};

/// The register as a page was read at: its revision, its history (the audit head; the same
/// revision number after a restore is another register) and the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    revision: i64,
    history: u64,
    day: NaiveDate,
}

impl Stamp {
    /// Whether `self` comes after `other`: a later revision, or the same one in another
    /// history, on the same or a later day. A request that read an earlier revision (of any
    /// history) neither sees nor keeps pages.
    fn follows(&self, other: &Stamp) -> bool {
        self.revision >= other.revision && self.day >= other.day && self != other
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    role: Role,
    /// Path and query, exactly as asked.
    target: String,
}

/// A rendered page in parts, with the per-person values left out.
#[derive(Debug)]
pub struct KeptPage {
    parts: Vec<Part>,
    /// Bytes of the text parts.
    bytes: usize,
    /// Number of marks (CSRF and email) between them.
    marks: usize,
}

#[derive(Debug)]
enum Part {
    Text(Bytes),
    Csrf,
    Email,
}

#[derive(Template)]
#[template(source = "{{ value }}", ext = "html")]
struct Escaped<'a> {
    value: &'a str,
}

impl KeptPage {
    /// The page for one reader: their CSRF token and email put back, escaped as in templates.
    fn body(&self, csrf: &str, email: &str) -> Result<Bytes, AppError> {
        let csrf = Escaped { value: csrf }.render()?;
        let email = Escaped { value: email }.render()?;
        let mut out =
            BytesMut::with_capacity(self.bytes + self.marks * csrf.len().max(email.len()));
        for part in &self.parts {
            match part {
                Part::Text(text) => out.extend_from_slice(text),
                Part::Csrf => out.extend_from_slice(csrf.as_bytes()),
                Part::Email => out.extend_from_slice(email.as_bytes()),
            }
        }
        Ok(out.freeze())
    }
}

#[derive(Default)]
struct State {
    stamp: Option<Stamp>,
    pages: HashMap<Key, Arc<KeptPage>>,
    /// Keys in the order they were kept, for evicting the oldest first.
    order: VecDeque<Key>,
    bytes: usize,
}

/// Rendered pages of the current revision, within a memory budget.
pub struct PageCache {
    budget: usize,
    csrf_mark: String,
    email_mark: String,
    state: Mutex<State>,
}

impl PageCache {
    /// A cache holding at most `budget` bytes of pages (0: pages are never kept).
    pub fn new(budget: usize) -> Self {
        let mark =
            |what: &str| format!("ropa{what}mark{}", hex::encode(rand::random::<[u8; 16]>()));
        PageCache {
            budget,
            csrf_mark: mark("csrf"),
            email_mark: mark("email"),
            state: Mutex::new(State::default()),
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // Every field is replaced whole under the lock; a panic elsewhere leaves it consistent.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Moves to `stamp` if it is newer than the kept pages' (dropping them); whether the
    /// state is now at `stamp`.
    fn at(state: &mut State, stamp: Stamp) -> bool {
        match state.stamp {
            Some(current) if current == stamp => true,
            Some(current) if !stamp.follows(&current) => false,
            _ => {
                state.stamp = Some(stamp);
                state.pages.clear();
                state.order.clear();
                state.bytes = 0;
                true
            }
        }
    }

    fn get(&self, stamp: Stamp, key: &Key) -> Option<Arc<KeptPage>> {
        let mut state = self.state();
        if !Self::at(&mut state, stamp) {
            return None;
        }
        state.pages.get(key).cloned()
    }

    /// Splits a page rendered with the marks into parts, and keeps it if it fits the budget
    /// and the register has not moved on meanwhile.
    fn keep(&self, stamp: Stamp, key: Key, html: &str) -> Arc<KeptPage> {
        let page = Arc::new(self.split(html));
        if page.bytes > self.budget {
            return page;
        }
        let mut state = self.state();
        if !Self::at(&mut state, stamp) || state.pages.contains_key(&key) {
            return page;
        }
        while state.bytes + page.bytes > self.budget {
            let Some(oldest) = state.order.pop_front() else {
                break;
            };
            if let Some(gone) = state.pages.remove(&oldest) {
                state.bytes -= gone.bytes;
            }
        }
        state.bytes += page.bytes;
        state.order.push_back(key.clone());
        state.pages.insert(key, page.clone());
        page
    }

    fn split(&self, html: &str) -> KeptPage {
        let mut parts = Vec::new();
        let mut rest = html;
        loop {
            let csrf = rest.find(&self.csrf_mark);
            let email = rest.find(&self.email_mark);
            let (at, part, len) = match (csrf, email) {
                (Some(c), Some(e)) if e < c => (e, Part::Email, self.email_mark.len()),
                (Some(c), _) => (c, Part::Csrf, self.csrf_mark.len()),
                (None, Some(e)) => (e, Part::Email, self.email_mark.len()),
                (None, None) => break,
            };
            if at > 0 {
                parts.push(Part::Text(Bytes::copy_from_slice(&rest.as_bytes()[..at])));
            }
            parts.push(part);
            rest = &rest[at + len..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(Bytes::copy_from_slice(rest.as_bytes())));
        }
        let bytes = parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.len(),
                _ => 0,
            })
            .sum();
        let marks = parts.iter().filter(|p| !matches!(p, Part::Text(_))).count();
        KeptPage {
            parts,
            bytes,
            marks,
        }
    }

    /// The layout a kept page is rendered with: the marks instead of the reader's email and
    /// token, and no flash message.
    fn marked(&self, layout: &Layout) -> Layout {
        let mut marked = layout.clone();
        marked.csrf = self.csrf_mark.clone();
        marked.flash = None;
        if let Some(user) = marked.user.as_mut() {
            user.email = self.email_mark.clone();
        }
        marked
    }

    /// Number of pages kept now.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.state().pages.len()
    }
}

/// Where a request's page would be kept, if it may be: a signed-in reader (the revision was
/// read with the session), no flash message to show, and keeping turned on.
fn place(cache: &PageCache, req: &HttpRequest, layout: &Layout) -> Option<(Stamp, Key)> {
    if cache.budget == 0 || req.cookie(FLASH_COOKIE).is_some() || layout.flash.is_some() {
        return None;
    }
    let role = layout.user.as_ref()?.role;
    let SeenRevision(revision, history) = *req.extensions().get::<SeenRevision>()?;
    let stamp = Stamp {
        revision,
        history,
        day: chrono::Utc::now().date_naive(),
    };
    let target = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or_else(|| req.path())
        .to_owned();
    Some((stamp, Key { role, target }))
}

fn html(body: Bytes) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body)
}

/// Answers a read-only page: from the kept pages when the register has not changed since it
/// was rendered for this role, otherwise by running `load` on the database and rendering
/// `view(data, layout)` (and keeping the result). `view` must depend only on the data, the
/// layout and the role, which is what the key holds.
pub async fn kept_page<D, F, P, V>(
    req: &HttpRequest,
    state: &actix_web::web::Data<AppState>,
    layout: Layout,
    load: F,
    view: V,
) -> Result<HttpResponse, AppError>
where
    F: FnOnce(&mut DbConnection) -> StoreResult<D> + Send + 'static,
    D: Send + 'static,
    P: Template,
    V: FnOnce(D, Layout) -> P,
{
    let cache = &state.pages;
    let Some((stamp, key)) = place(cache, req, &layout) else {
        let data = db(state, load).await?;
        return ok(&view(data, layout));
    };
    let email = layout
        .user
        .as_ref()
        .map(|u| u.email.clone())
        .unwrap_or_default();
    if let Some(page) = cache.get(stamp, &key) {
        return Ok(html(page.body(&layout.csrf, &email)?));
    }
    let data = db(state, load).await?;
    let rendered = view(data, cache.marked(&layout)).render()?;
    let page = cache.keep(stamp, key, &rendered);
    Ok(html(page.body(&layout.csrf, &email)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(revision: i64) -> Stamp {
        Stamp {
            revision,
            history: 7,
            day: NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
        }
    }

    fn key(target: &str) -> Key {
        Key {
            role: Role::Editor,
            target: target.into(),
        }
    }

    #[test]
    fn marks_are_put_back_escaped() {
        let cache = PageCache::new(1 << 20);
        let html = format!(
            "<a>{e}</a><input value=\"{c}\">{c}",
            e = cache.email_mark,
            c = cache.csrf_mark
        );
        let page = cache.keep(stamp(1), key("/"), &html);
        let body = page.body("tok", "a&b@example.eu").unwrap();
        assert_eq!(
            std::str::from_utf8(&body).unwrap(),
            "<a>a&#38;b@example.eu</a><input value=\"tok\">tok"
        );
    }

    #[test]
    fn a_newer_revision_drops_older_pages_and_older_ones_are_not_kept() {
        let cache = PageCache::new(1 << 20);
        cache.keep(stamp(5), key("/a"), "five");
        assert!(cache.get(stamp(5), &key("/a")).is_some());
        // A request that read revision 4 before a change neither sees nor keeps pages.
        assert!(cache.get(stamp(4), &key("/a")).is_none());
        cache.keep(stamp(4), key("/b"), "four");
        assert!(cache.get(stamp(5), &key("/b")).is_none());
        // Revision 6: everything of 5 is gone.
        assert!(cache.get(stamp(6), &key("/a")).is_none());
        assert_eq!(cache.len(), 0);
        // The next day is a new stamp too.
        cache.keep(stamp(6), key("/a"), "six");
        let tomorrow = Stamp {
            day: stamp(6).day.succ_opt().unwrap(),
            ..stamp(6)
        };
        assert!(cache.get(tomorrow, &key("/a")).is_none());
    }

    #[test]
    fn the_same_revision_in_another_history_is_another_register() {
        let cache = PageCache::new(1 << 20);
        cache.keep(stamp(5), key("/a"), "five before the restore");
        let restored = Stamp {
            history: 8,
            ..stamp(5)
        };
        assert!(cache.get(restored, &key("/a")).is_none());
        assert_eq!(cache.len(), 0, "the old history's pages are gone");
        // A request still reading the old history at an earlier revision changes nothing.
        assert!(cache.get(stamp(4), &key("/a")).is_none());
        cache.keep(restored, key("/a"), "five after the restore");
        assert!(cache.get(restored, &key("/a")).is_some());
        assert!(cache.get(stamp(5), &key("/a")).is_none());
    }

    #[test]
    fn the_budget_evicts_the_oldest_pages() {
        let cache = PageCache::new(10);
        cache.keep(stamp(1), key("/a"), "aaaa");
        cache.keep(stamp(1), key("/b"), "bbbb");
        cache.keep(stamp(1), key("/c"), "cccc");
        assert!(cache.get(stamp(1), &key("/a")).is_none());
        assert!(cache.get(stamp(1), &key("/b")).is_some());
        assert!(cache.get(stamp(1), &key("/c")).is_some());
        // Larger than the whole budget: served, never kept.
        cache.keep(stamp(1), key("/d"), "dddddddddddd");
        assert!(cache.get(stamp(1), &key("/d")).is_none());
        assert_eq!(cache.len(), 2);
    }
}
