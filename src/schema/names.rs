//! PostgreSQL's 63-byte identifier limit: names that it would cut into the same name are an error

use std::collections::HashMap;

/// PostgreSQL keeps at most NAMEDATALEN - 1 = 63 bytes of an identifier, cut at a character boundary.
pub const MAX_IDENT_BYTES: usize = 63;

pub fn truncated(name: &str) -> &str {
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
pub fn collisions<'a>(scope: &str, names: impl IntoIterator<Item = &'a str>) -> (Vec<String>, Vec<String>) {
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
                warnings.push(format!("{scope}: \"{name}\" is longer than {MAX_IDENT_BYTES} bytes; postgresql keeps \"{cut}\""));
            }
            seen.insert(cut, name);
        }
    }
    (errors, warnings)
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
}
