//! Prisma's default names for keys, indexes and foreign keys, cut to PostgreSQL's 63 bytes as Prisma cuts them

use crate::ident::quote_ident;

/// PostgreSQL's identifier limit in bytes (NAMEDATALEN - 1).
const LIMIT: usize = 63;

/// `<table>_<col>_<col>…<suffix>`, the table and column part cut so that the whole fits in 63 bytes.
pub(crate) fn default_name(table: &str, columns: &[&str], suffix: &str) -> String {
    let mut stem = table.to_string();
    for c in columns {
        stem.push('_');
        stem.push_str(c);
    }
    let room = LIMIT.saturating_sub(suffix.len());
    if stem.len() > room {
        let mut cut = room;
        while !stem.is_char_boundary(cut) {
            cut -= 1;
        }
        stem.truncate(cut);
    }
    stem + suffix
}

/// A relation or type name, qualified when it lives in a named schema (`@@schema`).
pub(crate) fn qualified(schema: Option<&str>, name: &str) -> String {
    match schema {
        Some(s) => format!("{}.{}", quote_ident(s), quote_ident(name)),
        None => quote_ident(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fit_in_63_bytes_with_their_suffix() {
        assert_eq!(default_name("User", &["email"], "_key"), "User_email_key");
        assert_eq!(default_name("User", &[], "_pkey"), "User_pkey");
        // the stem is cut, the suffix kept (a name `prisma migrate` produced for these columns)
        assert_eq!(
            default_name("OrganizationExchangeRate", &["organizationId", "fromCurrency", "toCurrency"], "_key"),
            "OrganizationExchangeRate_organizationId_fromCurrency_toCurr_key"
        );
        let long = default_name(&"é".repeat(40), &["x"], "_idx");
        assert!(long.len() <= 63 && long.ends_with("_idx"));
    }

    #[test]
    fn qualified_names_are_quoted() {
        assert_eq!(qualified(Some("a\"b"), "T"), "\"a\"\"b\".\"T\"");
        assert_eq!(qualified(None, "T"), "\"T\"");
    }
}
