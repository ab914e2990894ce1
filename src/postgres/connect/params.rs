//! splits sslmode and sslrootcert out of a connection string (tokio-postgres knows neither verify-ca nor verify-full)

/// A connection string without its TLS parameters.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Split {
    /// what tokio-postgres parses
    pub(crate) rest: String,
    pub(crate) sslmode: Option<String>,
    pub(crate) sslrootcert: Option<String>,
    /// the password as written (and decoded), only to scrub it from parse errors
    pub(crate) secrets: Vec<String>,
}

pub(crate) fn is_url(s: &str) -> bool {
    s.starts_with("postgres://") || s.starts_with("postgresql://")
}

/// Splits a `postgres://` URL or a libpq `key=value` string.
pub(crate) fn split(s: &str) -> Result<Split, String> {
    if is_url(s) {
        split_url(s)
    } else {
        split_key_value(s)
    }
}

fn split_url(s: &str) -> Result<Split, String> {
    let mut out = Split::default();
    let (base, query) = match s.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (s, None),
    };
    let mut kept = Vec::new();
    for pair in query.into_iter().flat_map(|q| q.split('&')).filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = percent_decode(key)?;
        match key.as_str() {
            "sslmode" => out.sslmode = Some(percent_decode(value)?),
            "sslrootcert" => out.sslrootcert = Some(percent_decode(value)?),
            "password" => {
                out.secrets.push(value.to_string());
                out.secrets.push(percent_decode(value)?);
                kept.push(pair);
            }
            _ => kept.push(pair),
        }
    }
    let rest = if kept.is_empty() { base.to_string() } else { format!("{base}?{}", kept.join("&")) };
    out.rest = encode_inner_at_signs(&rest);
    let mut secrets = url_password(&out.rest);
    secrets.append(&mut out.secrets);
    out.secrets = secrets;
    Ok(out)
}

/// tokio-postgres ends `user:password` at the first `@` of the URL, so `u:p@ss@h` would connect to host
/// `ss@h` and show part of the password as a host name. No host contains `@`: while the host part after
/// the chosen `@` (up to `/`, `?` or the end) holds another `@`, that later one is the separator, and the
/// earlier ones are percent-encoded (tokio-postgres decodes the password). `/` or `?` in a password
/// keep working as before.
fn encode_inner_at_signs(url: &str) -> String {
    let start = url.find("://").map_or(0, |i| i + 3);
    let Some(first) = url[start..].find('@').map(|i| start + i) else {
        return url.to_string();
    };
    let mut sep = first;
    loop {
        let host_end = url[sep + 1..].find(['/', '?']).map_or(url.len(), |i| sep + 1 + i);
        match url[sep + 1..host_end].find('@') {
            Some(i) => sep = sep + 1 + i,
            None => break,
        }
    }
    if sep == first {
        return url.to_string();
    }
    let mut out = String::with_capacity(url.len() + 8);
    out.push_str(&url[..first]);
    out.push_str(&url[first..sep].replace('@', "%40"));
    out.push_str(&url[sep..]);
    out
}

/// The host list of a URL (`a,b:5` in `postgres://u@a,b:5/db`) and where it starts.
fn url_hosts(s: &str) -> (usize, &str) {
    let start = s.find("://").map_or(0, |i| i + 3);
    let authority = s[start..].split(['/', '?']).next().unwrap_or("");
    match authority.rfind('@') {
        Some(at) => (start + at + 1, &authority[at + 1..]),
        None => (start, authority),
    }
}

/// libpq takes PGPORT when a URL names hosts without ports, but tokio-postgres fills in 5432: this writes
/// `ports` (one for all hosts, or one per host) into such a URL. Other URLs come back unchanged.
pub(crate) fn fill_url_ports(url: &str, ports: &[&str]) -> String {
    let (start, hosts) = url_hosts(url);
    let chunks: Vec<&str> = hosts.split(',').collect();
    let has_port = |c: &&str| {
        if c.starts_with('[') {
            c.contains("]:")
        } else {
            c.contains(':')
        }
    };
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let port_param = query.split('&').any(|p| p.split('=').next() == Some("port"));
    if hosts.is_empty() || port_param || chunks.iter().any(has_port) {
        return url.to_string();
    }
    let port = |i: usize| {
        if ports.len() == chunks.len() {
            ports[i]
        } else {
            ports[0]
        }
    };
    let filled: Vec<String> = chunks.iter().enumerate().map(|(i, c)| format!("{c}:{}", port(i))).collect();
    format!("{}{}{}", &url[..start], filled.join(","), &url[start + hosts.len()..])
}

/// The password of `scheme://user:password@host...`, raw and decoded, as tokio-postgres reads it
/// (up to the first `@`) and as URL parsers do (the last `@` of the authority), for scrubbing.
fn url_password(s: &str) -> Vec<String> {
    let start = s.find("://").map_or(0, |i| i + 3);
    let authority = s[start..].split(['/', '?']).next().unwrap_or("");
    let readings = [
        s[start..].find('@').map(|at| &s[start..start + at]),
        authority.rsplit_once('@').map(|(userinfo, _)| userinfo),
    ];
    let mut v: Vec<String> = Vec::new();
    for userinfo in readings.into_iter().flatten() {
        match userinfo.split_once(':') {
            Some((_, pw)) if !pw.is_empty() && !v.iter().any(|p| p == pw) => {
                v.push(pw.to_string());
                if let Ok(decoded) = percent_decode(pw) {
                    v.push(decoded);
                }
            }
            _ => {}
        }
    }
    v
}

fn split_key_value(s: &str) -> Result<Split, String> {
    let mut out = Split::default();
    let mut kept = Vec::new();
    for (key, value) in parse_key_value(s)? {
        match key.as_str() {
            "sslmode" => out.sslmode = Some(value),
            "sslrootcert" => out.sslrootcert = Some(value),
            _ => {
                if key == "password" {
                    out.secrets.push(value.clone());
                }
                kept.push(format!("{key}='{}'", value.replace('\\', "\\\\").replace('\'', "\\'")));
            }
        }
    }
    out.rest = kept.join(" ");
    Ok(out)
}

/// The libpq settings a `key=value` connection string may hold here.
const KNOWN_KEYS: &[&str] = &[
    "host",
    "hostaddr",
    "port",
    "user",
    "password",
    "dbname",
    "options",
    "application_name",
    "connect_timeout",
    "sslmode",
    "sslrootcert",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_retries",
    "tcp_user_timeout",
    "target_session_attrs",
    "channel_binding",
    "load_balance_hosts",
];

/// libpq's `key = value` syntax: values may be single-quoted; a backslash escapes the next character.
fn parse_key_value(s: &str) -> Result<Vec<(String, String)>, String> {
    let mut pairs = Vec::new();
    let mut it = s.chars().peekable();
    loop {
        while it.next_if(|c| c.is_whitespace()).is_some() {}
        if it.peek().is_none() {
            return Ok(pairs);
        }
        let mut key = String::new();
        while let Some(c) = it.next_if(|c| !c.is_whitespace() && *c != '=') {
            key.push(c);
        }
        while it.next_if(|c| c.is_whitespace()).is_some() {}
        if it.next() != Some('=') {
            // the key is not quoted: in a malformed string it may be part of a password (`password=a b`)
            return Err(format!("missing `=` after setting {}", pairs.len() + 1));
        }
        while it.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if it.next_if_eq(&'\'').is_some() {
            loop {
                match it.next() {
                    None => return Err(format!("unterminated quoted value of setting {}", pairs.len() + 1)),
                    Some('\'') => break,
                    Some('\\') => value.extend(it.next()),
                    Some(c) => value.push(c),
                }
            }
        } else {
            while let Some(c) = it.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    value.extend(it.next());
                } else {
                    value.push(c);
                }
            }
            // `host= password=pw` reads the password as the host's value: refuse, without quoting either
            if value.contains('=') {
                return Err(format!("setting {} has an unquoted value containing `=`: quote it", pairs.len() + 1));
            }
        }
        if !KNOWN_KEYS.contains(&key.as_str()) {
            // an unknown key may be a piece of a malformed password: name its position only
            return Err(format!("setting {} is not a known connection setting", pairs.len() + 1));
        }
        pairs.push((key, value));
    }
}

fn percent_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| "invalid percent-encoding".to_string())?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "percent-encoded text is not utf-8".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_tls_params_are_split_out_and_the_rest_kept() {
        let s =
            split("postgresql://u:p%40ss@h:5/db?sslmode=verify-full&application_name=x&sslrootcert=%2Fca.pem").unwrap();
        assert_eq!(s.rest, "postgresql://u:p%40ss@h:5/db?application_name=x");
        assert_eq!(s.sslmode.as_deref(), Some("verify-full"));
        assert_eq!(s.sslrootcert.as_deref(), Some("/ca.pem"));
        assert_eq!(s.secrets, vec!["p%40ss".to_string(), "p@ss".to_string()]);
        let s = split("postgres://h/db?sslmode=require").unwrap();
        assert_eq!(s.rest, "postgres://h/db");
    }

    #[test]
    fn key_value_quoting_round_trips() {
        let s = split(r"host=/tmp  port = 5 password='it\'s a \\ pw' sslmode=verify-ca dbname=x\ y").unwrap();
        assert_eq!(s.sslmode.as_deref(), Some("verify-ca"));
        assert_eq!(s.secrets, vec![r"it's a \ pw".to_string()]);
        let reparsed = parse_key_value(&s.rest).unwrap();
        assert_eq!(
            reparsed,
            vec![
                ("host".into(), "/tmp".into()),
                ("port".into(), "5".into()),
                ("password".into(), r"it's a \ pw".into()),
                ("dbname".into(), "x y".into())
            ]
        );
    }

    #[test]
    fn url_ports_are_filled_only_where_missing() {
        assert_eq!(fill_url_ports("postgres://u:p@h/db", &["7"]), "postgres://u:p@h:7/db");
        assert_eq!(fill_url_ports("postgres://a,[::1]?x=1", &["1", "2"]), "postgres://a:1,[::1]:2?x=1");
        assert_eq!(fill_url_ports("postgres://a,b/db", &["9"]), "postgres://a:9,b:9/db");
        for unchanged in ["postgres://h:5/db", "postgres://[::1]:5/db", "postgres:///db", "postgres://h/db?port=3"] {
            assert_eq!(fill_url_ports(unchanged, &["7"]), unchanged);
        }
    }

    #[test]
    fn key_value_errors() {
        assert!(split("host").unwrap_err().contains("missing `=`"));
        // found by fuzzing: a malformed string's keys may be password text, never quoted
        assert_eq!(split("password=a s3cr3t").unwrap_err(), "missing `=` after setting 2");
        assert_eq!(split("sslmode=' password='s3cr3t-pw' host=h").unwrap_err(), "missing `=` after setting 2");
        assert_eq!(split("host=h password='s3cr3t").unwrap_err(), "unterminated quoted value of setting 2");
        assert!(split("password='abc").unwrap_err().contains("unterminated"));
        // a password swallowed as another setting's value, or as an unknown key, is refused without quoting it
        assert_eq!(
            split("host= password=s3cr3t-pw").unwrap_err(),
            "setting 1 has an unquoted value containing `=`: quote it"
        );
        assert_eq!(split("host=h s3cr3t-pw=x").unwrap_err(), "setting 2 is not a known connection setting");
        assert_eq!(split("s3cr3t-pw=x").unwrap_err(), "setting 1 is not a known connection setting");
        assert!(split("host=h options='-c search_path=app' password=p").is_ok());
        // found by fuzzing: an unencoded `@` in the password does not make a host of its tail
        assert_eq!(split("postgres://u:p@ss@h/d").unwrap().rest, "postgres://u:p%40ss@h/d");
        assert_eq!(split("postgres://u:@@z$t61%@h/d@b").unwrap().rest, "postgres://u:%40%40z$t61%@h/d@b");
        assert_eq!(split("postgres://u:pa/s?s@h/db").unwrap().rest, "postgres://u:pa/s?s@h/db");
        assert_eq!(split("postgres://h/db?password=p@ss").unwrap().rest, "postgres://h/db?password=p@ss");
        assert!(split("postgres://h/db?sslmode=%zz").is_err());
    }
}
