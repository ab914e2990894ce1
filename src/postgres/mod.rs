//! The PostgreSQL side: connect, read its catalog, lock, the ledger, the application's migrations, ON_EXISTING

pub(crate) mod catalog;
pub mod connect;
pub(crate) mod existing;
pub(crate) mod ledger;
pub mod lock;
pub(crate) mod migrations;

/// The hidden schema a staged load into the default target schema (`public`) builds its tables in before
/// publishing them; [`staging_schema`] names the one of any target schema.
pub(crate) const STAGING_SCHEMA: &str = "sqlite2pg_staging";

/// The hidden schema a staged load into `target` builds its tables in: [`STAGING_SCHEMA`] for `public`, else
/// `sqlite2pg_staging_` and 16 hex digits of the SHA-256 of the target's name (34 bytes, whatever the target's
/// length), so that runs into different target schemas, which hold different locks, never share one.
pub(crate) fn staging_schema(target: &str) -> String {
    use sha2::{Digest, Sha256};
    if target == "public" {
        return STAGING_SCHEMA.to_string();
    }
    let digest = Sha256::digest(target.as_bytes());
    format!("{STAGING_SCHEMA}_{}", hex::encode(&digest[..8]))
}

/// Whether `name` is, or could be, a staging schema: no target schema may be one.
pub(crate) fn is_staging_name(name: &str) -> bool {
    name.starts_with(STAGING_SCHEMA)
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_target_schema_has_its_own_staging_schema() {
        assert_eq!(super::staging_schema("public"), "sqlite2pg_staging");
        let a = super::staging_schema("tenant_a");
        // the name is stable across versions: a later run finds what a killed one left
        assert_eq!(a, "sqlite2pg_staging_ea7c68e607dbd8ae");
        assert_ne!(a, super::staging_schema("tenant_b"));
        assert_eq!(a, super::staging_schema("tenant_a"));
        assert_eq!(super::staging_schema(&"x".repeat(63)).len(), 34);
        assert!(super::is_staging_name(&a) && !super::is_staging_name("tenant_a"));
    }
}
