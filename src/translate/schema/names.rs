//! PostgreSQL's 63-byte identifier limit: names that it would cut into the same name are an error

use std::collections::HashMap;

/// PostgreSQL keeps at most NAMEDATALEN - 1 = 63 bytes of an identifier, cut at a character boundary.
const MAX_IDENT_BYTES: usize = 63;

fn truncated(name: &str) -> &str {
    if name.len() <= MAX_IDENT_BYTES {
        return name;
    }
    let mut end = MAX_IDENT_BYTES;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// Every pair of `names` (in one namespace, described by `scope`) that PostgreSQL would store under the same
/// identifier, as error lines naming both; plus warnings for names that are cut but stay distinct.
pub(crate) fn collisions<'a>(scope: &str, names: impl IntoIterator<Item = &'a str>) -> (Vec<String>, Vec<String>) {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    for name in names {
        let cut = truncated(name);
        if let Some(first) = seen.get(cut) {
            errors.push(format!(
                "{scope}: \"{first}\" and \"{name}\" are the same name once cut to postgresql's {MAX_IDENT_BYTES}-byte limit"
            ));
        } else {
            if cut.len() < name.len() {
                warnings.push(format!(
                    "{scope}: \"{name}\" is longer than {MAX_IDENT_BYTES} bytes; postgresql keeps \"{cut}\""
                ));
            }
            seen.insert(cut, name);
        }
    }
    (errors, warnings)
}

/// The name PostgreSQL makes up for a key's index or an identity's sequence (its `makeObjectName`):
/// `name1_name2_label`, name1 and name2 cut (the longer one first, at character boundaries) to fit 63 bytes. When
/// that name is taken it appends a number instead; in the staging schema only sqlite2pg's own objects could take it.
pub fn default_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    let (name1, name2) = (truncated(name1), name2.map(truncated));
    let avail = MAX_IDENT_BYTES - label.len() - 1 - usize::from(name2.is_some());
    let (mut n1, mut n2) = (name1.len(), name2.map_or(0, str::len));
    while n1 + n2 > avail {
        if n1 > n2 {
            n1 -= 1;
        } else {
            n2 -= 1;
        }
    }
    let clip = |s: &str, mut n: usize| {
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        n
    };
    let first = &name1[..clip(name1, n1)];
    match name2 {
        Some(name2) => format!("{first}_{}_{label}", &name2[..clip(name2, n2)]),
        None => format!("{first}_{label}"),
    }
}

/// The column part of the name PostgreSQL makes up for a unique key's index (its `ChooseIndexNameAddition`): the
/// column names joined with `_`, stopping once that reaches 64 bytes.
pub fn columns_part(columns: &[&str]) -> String {
    let mut out = String::new();
    for column in columns {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(truncated(column));
        if out.len() > MAX_IDENT_BYTES {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_collisions_and_cuts_at_char_boundaries() {
        let a = "a".repeat(63) + "x";
        let b = "a".repeat(63) + "y";
        let (errors, warnings) = collisions("table t", [a.as_str(), b.as_str(), "short"]);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].contains(&a) && errors[0].contains(&b));
        assert_eq!(warnings.len(), 1);
        let e = "é".repeat(40);
        assert_eq!(truncated(&e).len(), 62);
    }

    #[test]
    fn default_names_are_cut_like_postgresql_cuts_them() {
        assert_eq!(default_name("User", None, "pkey"), "User_pkey");
        assert_eq!(default_name("t", Some(&columns_part(&["a", "b"])), "key"), "t_a_b_key");
        let long = "x".repeat(70);
        assert_eq!(default_name(&long, None, "pkey"), format!("{}_pkey", "x".repeat(58)));
        // the longer part is cut first, then both alternately
        assert_eq!(default_name(&"t".repeat(60), Some("col"), "seq"), format!("{}_col_seq", "t".repeat(55)));
        assert_eq!(
            default_name(&"t".repeat(50), Some(&"c".repeat(50)), "key"),
            format!("{}_{}_key", "t".repeat(29), "c".repeat(29))
        );
        // never inside a character
        let name = default_name(&"é".repeat(40), None, "pkey");
        assert!(name.len() <= MAX_IDENT_BYTES && name.ends_with("é_pkey"), "{name}");
    }
}
