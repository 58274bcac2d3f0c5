//! Accounts and what each role may do. Roles are checked here, in one place.
//!
//! Uses `domain::{errors, vocab}`.

use serde::Deserialize;
use validator::Validate;

use super::errors::FieldErrors;
use super::text::clean;

crate::domain::vocab::vocabulary! {
    /// What an account may do: administer, maintain the register, or read and download.
    Role {
        Admin => "admin", "", "Administrator";
        Editor => "editor", "", "Editor";
        Auditor => "auditor", "", "Auditor";
    }
}

/// What a request wants to do; each role allows a set of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read the register and download exports.
    Read,
    /// Change the register (activities, organisations, parties, catalogues).
    Edit,
    /// Read the audit trail.
    ReadAudit,
    /// Manage accounts and settings.
    Administer,
}

impl Role {
    /// Whether this role allows `p`.
    pub fn allows(self, p: Permission) -> bool {
        match self {
            Role::Admin => true,
            Role::Editor => matches!(
                p,
                Permission::Read | Permission::Edit | Permission::ReadAudit
            ),
            Role::Auditor => matches!(p, Permission::Read | Permission::ReadAudit),
        }
    }
}

/// Minimum password length.
pub const MIN_PASSWORD: usize = 12;

/// Checks a new password: long enough, and typed the same twice.
pub fn check_password(errors: &mut FieldErrors, field: &str, password: &str, confirm: &str) {
    if password.chars().count() < MIN_PASSWORD {
        errors.add(
            field,
            format!("Password must have at least {MIN_PASSWORD} characters"),
        );
    } else if password.chars().count() > 256 {
        errors.add(field, "Password must have at most 256 characters");
    } else if password != confirm {
        errors.add(format!("{field}_confirm"), "The two passwords differ");
    }
}

/// What an administrator submits to create or change an account.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, Validate)]
#[serde(default)]
pub struct UserForm {
    /// Email (the log-in name).
    #[validate(email(message = "Email must be an email address like dpo@example.com"))]
    pub email: String,
    /// Display name.
    #[validate(length(max = 200, message = "Name is at most 200 characters"))]
    pub name: String,
    /// Role code.
    pub role: String,
    /// "on" when active.
    pub active: String,
    /// Password (new accounts).
    pub password: String,
    /// Password again.
    pub password_confirm: String,
    /// Version the form was loaded at (edits only).
    pub version: String,
}

/// A valid account, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserDraft {
    /// Email, lower case.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// May log in.
    pub active: bool,
}

impl UserForm {
    /// Parses the form; `new` also checks the password fields.
    pub fn parse(&self, new: bool) -> Result<UserDraft, FieldErrors> {
        let mut form = self.clone();
        form.email = clean(&form.email).to_lowercase();
        form.name = clean(&form.name);
        let mut errors = FieldErrors::new();
        super::text::check_form(&form, &["email", "role"], &mut errors);
        if let Err(e) = form.validate() {
            errors.extend_validator(&e);
        }
        let role = Role::from_code(form.role.trim());
        if role.is_none() {
            errors.add("role", "Role must be administrator, editor or auditor");
        }
        if new {
            check_password(
                &mut errors,
                "password",
                &form.password,
                &form.password_confirm,
            );
        }
        match role {
            Some(role) if errors.is_empty() => Ok(UserDraft {
                email: form.email,
                name: clean(&form.name),
                role,
                active: new || matches!(form.active.trim(), "on" | "true" | "1"),
            }),
            _ => Err(errors),
        }
    }
}
