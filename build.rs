//! Rebuilds when a migration changes, so new migration folders are embedded.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=templates");
}
