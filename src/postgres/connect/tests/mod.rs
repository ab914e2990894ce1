//! tests of the connect module; the ones that connect use throwaway postgresql clusters

#[path = "../../../../tests/common/pg.rs"]
#[allow(dead_code)]
mod pg;

mod parse;
mod tls;
mod wait;

fn no_env(_: &str) -> Option<String> {
    None
}

fn env_from(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: std::collections::HashMap<String, String> =
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    move |name: &str| map.get(name).cloned()
}
