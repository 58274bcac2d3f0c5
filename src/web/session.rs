//! The signed-in user a request carries, and what that user may do.
//!
//! `auth`'s middleware puts a [`SessionUser`] on every request; `page` reads it to lay out the
//! navigation. Uses only the domain's roles and the store's user record.

use crate::domain::user::Permission;
use crate::store::users::User;

/// The session's user, resolved once per request by `auth::authenticate`.
#[derive(Debug, Clone)]
pub struct SessionUser(pub Option<User>);

/// Whether the user may perform `p` (for templates, computed here so roles stay in one place).
pub fn can(user: &Option<User>, p: Permission) -> bool {
    user.as_ref().is_some_and(|u| u.role.allows(p))
}
