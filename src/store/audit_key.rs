//! The audit chain's key: a secret kept outside the database, so that someone who can write the
//! database but not read the key cannot rewrite the trail unnoticed.
//!
//! Every append marks the chain's head (its sequence number and last hash) with an
//! HMAC-SHA256 under the key; `audit::verify` checks the mark. Rewriting an entry and
//! recomputing every later hash, or cutting the tail and moving the head back, changes the head,
//! and a new mark needs the key. The key is 32 random bytes in hex, read from `ROPA_AUDIT_KEY`
//! or from a file (created on first start; see the README for where and how to back it up). It
//! is installed once per process, before the register is opened. Uses nothing else of the store.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The key of this process's audit chain.
#[derive(Clone)]
pub struct AuditKey {
    bytes: [u8; 32],
    created: bool,
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditKey")
            .field("created", &self.created)
            .finish_non_exhaustive()
    }
}

/// Why the key could not be read or made.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The key file or variable does not hold 64 hexadecimal digits.
    #[error("the audit key in {0} must be 64 hexadecimal digits (32 bytes)")]
    Malformed(String),
    /// The key file could not be read or written.
    #[error("cannot use the audit key file {path}: {source}")]
    File {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
}

static KEY: OnceLock<AuditKey> = OnceLock::new();

impl AuditKey {
    /// A key from its 64 hexadecimal digits; `source` names where they came from.
    pub fn from_hex(hex_digits: &str, source: &str) -> Result<Self, KeyError> {
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(hex_digits.trim(), &mut bytes)
            .map_err(|_| KeyError::Malformed(source.to_owned()))?;
        Ok(AuditKey {
            bytes,
            created: false,
        })
    }

    /// The key in `path`, or a new random key written there (readable by its owner only) if
    /// the file does not exist yet.
    pub fn load_or_create(path: &Path) -> Result<Self, KeyError> {
        let file_error = |source| KeyError::File {
            path: path.to_path_buf(),
            source,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => Self::from_hex(&text, &path.display().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(file_error)?;
                }
                let bytes: [u8; 32] = rand::random();
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                let mut file = options.open(path).map_err(file_error)?;
                writeln!(file, "{}", hex::encode(bytes)).map_err(file_error)?;
                file.sync_all().map_err(file_error)?;
                Ok(AuditKey {
                    bytes,
                    created: true,
                })
            }
            Err(e) => Err(file_error(e)),
        }
    }

    /// Whether this key was made by this process (its first start): only then may a chain
    /// written before keys existed be marked with it.
    pub fn created(&self) -> bool {
        self.created
    }

    /// The mark of a chain head: HMAC-SHA256 of its sequence number and last hash, as hex.
    pub fn mark(&self, seq: i64, last_hash: &str) -> String {
        // A key of any length is accepted by HMAC; 32 bytes cannot fail.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.bytes) else {
            return String::new();
        };
        mac.update(format!("ropa audit head\n{seq}\n{last_hash}").as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// Installs the process's key (before the register is opened); false if one was installed
/// already (the first stays).
pub fn install(key: AuditKey) -> bool {
    KEY.set(key).is_ok()
}

/// The process's key, if one was installed.
pub fn current() -> Option<&'static AuditKey> {
    KEY.get()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_file_is_made_once_and_read_back_and_marks_depend_on_the_key() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("keys/audit.key");
        let made = AuditKey::load_or_create(&path).expect("made");
        assert!(made.created());
        let read = AuditKey::load_or_create(&path).expect("read");
        assert!(!read.created());
        assert_eq!(made.mark(3, "ab"), read.mark(3, "ab"));
        assert_ne!(made.mark(3, "ab"), made.mark(4, "ab"));
        let other = AuditKey::from_hex(&"11".repeat(32), "test").expect("hex");
        assert_ne!(other.mark(3, "ab"), made.mark(3, "ab"));
        assert!(AuditKey::from_hex("not hex", "test").is_err());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o077, 0, "only the owner reads the key");
        }
    }
}
