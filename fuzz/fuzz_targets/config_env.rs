//! fuzz target: any settings and PG* variables into `Config::validate` and `Target::from_env`; no
//! panic, and no error message, target display or debug output ever shows the password
#![no_main]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use sqlite2pg::postgres::connect::Target;
use sqlite2pg::{Config, RawConfig};

const ENV_NAMES: [&str; 9] = [
    "PGHOST",
    "PGPORT",
    "PGUSER",
    "PGPASSWORD",
    "PGDATABASE",
    "PGSSLMODE",
    "PGSSLROOTCERT",
    "PGAPPNAME",
    "PGCONNECT_TIMEOUT",
];

/// A scratch directory of this process: an existing SQLite path, a URL file, a bad root cert.
struct Scratch {
    dir: PathBuf,
    sqlite: PathBuf,
    url_file: PathBuf,
    not_pem: PathBuf,
}

fn scratch() -> &'static Scratch {
    static S: OnceLock<Scratch> = OnceLock::new();
    S.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("sqlite2pg-fuzz-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let sqlite = dir.join("db.sqlite");
        std::fs::write(&sqlite, b"").unwrap();
        let not_pem = dir.join("ca.pem");
        std::fs::write(&not_pem, b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n").unwrap();
        Scratch { url_file: dir.join("url"), dir, sqlite, not_pem }
    })
}

/// Root certificate paths the target may read: never a device or a FIFO (reading one blocks).
fn cert_path(u: &mut Unstructured, s: &Scratch) -> Result<String> {
    Ok(match u.int_in_range(0..=3)? {
        0 => s.not_pem.display().to_string(),
        1 => s.dir.display().to_string(),
        2 => s.dir.join("missing.pem").display().to_string(),
        _ => "missing.pem".to_string(),
    })
}

fn small_string(u: &mut Unstructured) -> Result<String> {
    let s: String = u.arbitrary()?;
    Ok(s.chars().take(40).collect::<String>().replace("{PW}", ""))
}

fn pick<'a>(u: &mut Unstructured, choices: &[&'a str]) -> Result<&'a str> {
    Ok(choices[u.choose_index(choices.len())?])
}

/// `pw` for a URL: as written, fully percent-encoded, or only the reserved bytes encoded.
fn encode_password(pw: &str, how: u8) -> String {
    // written raw, a password with `@` and `/` or `?` has no single reading (`u:a/b@c@h`): such a
    // URL is malformed, and which part is the password cannot be known; nor with a raw `&`, which
    // ends a `?password=` value; encode it then
    let ambiguous = (pw.contains('@') && pw.contains(['/', '?'])) || pw.contains('&');
    let how = if how % 3 == 2 && ambiguous { 1 } else { how };
    let mut out = String::new();
    for b in pw.bytes() {
        let plain = b.is_ascii_alphanumeric() || b"-._~".contains(&b);
        match how % 3 {
            0 => out.push_str(&format!("%{b:02X}")),
            1 if !plain => out.push_str(&format!("%{b:02X}")),
            _ => match std::str::from_utf8(&[b]) {
                Ok(c) if b.is_ascii() => out.push_str(c),
                _ => out.push_str(&format!("%{b:02X}")),
            },
        }
    }
    out
}

/// The libpq single-quoted form of a value.
fn kv_quote(v: &str) -> String {
    format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// The same password with every letter and digit replaced by another of its kind (hex digits stay
/// hex digits), so the two runs take the same path but with a different secret.
fn twin(pw: &str) -> String {
    pw.chars()
        .map(|c| match c {
            '0'..='8' => char::from(c as u8 + 1),
            '9' => '0',
            'a'..='e' | 'A'..='E' => char::from(c as u8 + 1),
            'f' => 'a',
            'F' => 'A',
            'g'..='y' | 'G'..='Y' => char::from(c as u8 + 1),
            'z' => 'g',
            'Z' => 'G',
            _ => c,
        })
        .collect()
}

/// libpq's `key = value` grammar, written independently: `None` when malformed.
fn libpq_pairs(s: &str) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut it = s.chars().peekable();
    loop {
        while it.next_if(|c| c.is_whitespace()).is_some() {}
        it.peek()?;
        let mut key = String::new();
        while let Some(c) = it.next_if(|c| !c.is_whitespace() && *c != '=') {
            key.push(c);
        }
        while it.next_if(|c| c.is_whitespace()).is_some() {}
        if it.next()? != '=' {
            return None;
        }
        while it.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if it.next_if_eq(&'\'').is_some() {
            loop {
                match it.next()? {
                    '\'' => break,
                    '\\' => value.push(it.next()?),
                    c => value.push(c),
                }
            }
        } else {
            while let Some(c) = it.next_if(|c| !c.is_whitespace()) {
                value.push(if c == '\\' { it.next()? } else { c });
            }
        }
        out.push((key, value));
        if it.peek().is_none() {
            return Some(out);
        }
    }
}

/// One case: how the connection string is built around the password, and the environment.
struct Case {
    /// the connection string with `{PW}` where the password goes, and how to write it there
    template: Option<String>,
    pw_form: u8,
    /// the password also (or only) in PGPASSWORD
    pw_in_env: bool,
    env: HashMap<&'static str, String>,
    via_file: bool,
    free_text: bool,
    raw: RawConfig,
}

fn case(u: &mut Unstructured, s: &Scratch) -> Result<Case> {
    let mut env = HashMap::new();
    for name in ENV_NAMES {
        if u.ratio(1, 3)? {
            let value = match name {
                "PGSSLROOTCERT" => cert_path(u, s)?,
                "PGPORT" => pick(u, &["5432", "1,2", "x", "", " 7 ", "70000", "5432,"])?.to_string(),
                "PGSSLMODE" => {
                    pick(u, &["disable", "prefer", "require", "verify-ca", "verify-full", "bogus", ""])?.to_string()
                }
                "PGCONNECT_TIMEOUT" => pick(u, &["0", "1", "30", "-1", "x", "99999999999999999999"])?.to_string(),
                "PGPASSWORD" => continue,
                _ => small_string(u)?,
            };
            env.insert(name, value);
        }
    }
    let pw_in_env = u.ratio(1, 4)?;
    let pw_form: u8 = u.arbitrary()?;
    let mode = u.int_in_range(0..=4)?;
    let template = match mode {
        0 => None,
        1 | 2 => {
            let scheme = pick(u, &["postgres://", "postgresql://"])?;
            // user and database name encoded as a well-formed URL has them: a raw `@`, `/`, `?` or
            // `:` there makes the password's place ambiguous (then no reading is wrong)
            let user = encode_password(&small_string(u)?, 1);
            let hosts = pick(u, &["h", "h:5432", "a,b:7", "[::1]:5", "[::1", "h:x", "", "%2Ftmp", "h:99999"])?;
            let db = small_string(u)?.replace('@', "%40").replace('?', "%3F");
            let mut query = Vec::new();
            for _ in 0..u.int_in_range(0..=3)? {
                query.push(match u.int_in_range(0..=5)? {
                    0 => format!("sslmode={}", pick(u, &["require", "verify-full", "bogus", "%zz", ""])?),
                    1 => format!("sslrootcert={}", cert_path(u, s)?),
                    2 => "password={PW}".to_string(),
                    3 => format!("application_name={}", small_string(u)?.replace('@', "%40")),
                    4 => format!(
                        "{}={}",
                        pick(u, &["port", "host", "connect_timeout", "bogus", "user"])?,
                        small_string(u)?.replace('@', "%40")
                    ),
                    _ => small_string(u)?.replace("sslrootcert", "").replace('@', "%40"),
                });
            }
            let with_pw = u.arbitrary::<bool>()?;
            let userinfo = if with_pw {
                format!("{user}:{{PW}}@")
            } else if user.is_empty() {
                String::new()
            } else {
                format!("{user}@")
            };
            let q = if query.is_empty() { String::new() } else { format!("?{}", query.join("&")) };
            Some(format!("{scheme}{userinfo}{hosts}/{db}{q}"))
        }
        3 => {
            let mut parts = Vec::new();
            for _ in 0..u.int_in_range(0..=5)? {
                parts.push(match u.int_in_range(0..=5)? {
                    0 => "password={PW}".to_string(),
                    1 => format!("host={}", pick(u, &["h", "/tmp", "a,b", "", "'x y'"])?),
                    2 => format!("port={}", pick(u, &["5", "x", "1,2", "''"])?),
                    3 => format!("sslrootcert={}", kv_quote(&cert_path(u, s)?)),
                    4 => format!("sslmode={}", pick(u, &["require", "verify-ca", "nope", "'"])?),
                    _ => small_string(u)?.replace("sslrootcert", ""),
                });
            }
            Some(parts.join(" "))
        }
        _ => {
            // free text: only the password placeholder is structured
            let text: String = u.arbitrary()?;
            let decoded = percent_decode_lossy(&text).to_ascii_lowercase();
            if decoded.contains("sslrootcert") || text.to_ascii_lowercase().contains("sslrootcert") {
                return Err(libfuzzer_sys::arbitrary::Error::IncorrectFormat);
            }
            Some(text)
        }
    };
    let via_file = u.ratio(1, 5)?;
    let raw = RawConfig {
        sqlite_path: Some(if u.ratio(1, 8)? { small_string(u)? } else { s.sqlite.display().to_string() }),
        database_url: None,
        database_url_file: None,
        schema: opt(u, &["auto", "none", "x.sql", "/nonexistent/", "bogus"])?,
        target_schema: opt(u, &["public", "sqlite2pg", "sqlite2pg_staging", "app", ""])?,
        wait_timeout: opt_free(u, &["60", "0.5", "-1", "nan", "inf", "1e30", ""])?,
        report_path: opt_free(u, &["r.json", ""])?,
        strict_schema: opt_free(u, &["true", "no", "maybe"])?,
        on_existing: opt_free(u, &["skip", "replace", "fail", "other"])?,
        lock_timeout: opt_free(u, &["600", "x"])?,
        check_only: opt_free(u, &["1", "off", "?"])?,
        include_tables: opt_free(u, &["a,b*", ",", "*"])?,
        exclude_tables: opt_free(u, &["x?", ""])?,
        column_formats: opt_free(u, &["T.c=epoch_s", "T.c=bad", "c=iso", "=", "a.b.c=epoch_ms"])?,
        round_time: opt_free(u, &["T.c", "c", ".", "a.b.c"])?,
        jobs: opt_free(u, &["4", "1", "0", "65", "-1", "x"])?,
        check_flag: u.arbitrary()?,
        ..RawConfig::default()
    };
    Ok(Case { template, pw_form, pw_in_env, env, via_file, free_text: mode == 4, raw })
}

fn opt(u: &mut Unstructured, choices: &[&str]) -> Result<Option<String>> {
    Ok(if u.arbitrary()? { Some(pick(u, choices)?.to_string()) } else { None })
}

fn opt_free(u: &mut Unstructured, choices: &[&str]) -> Result<Option<String>> {
    Ok(match u.int_in_range(0..=3)? {
        0 | 1 => None,
        2 => Some(pick(u, choices)?.to_string()),
        _ => Some(small_string(u)?),
    })
}

fn percent_decode_lossy(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let hex =
            b.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok()).and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (b'%', Some(h)) => {
                out.push(h);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Everything a run with password `pw` shows: error messages, or display and debug output.
fn outputs(c: &Case, pw: &str, s: &Scratch) -> Vec<String> {
    let url = c.template.as_ref().map(|t| {
        let form = if t.starts_with("postgres") { encode_password(pw, c.pw_form) } else { kv_quote(pw) };
        t.replace("{PW}", &form)
    });
    let mut env = c.env.clone();
    if c.pw_in_env {
        env.insert("PGPASSWORD", pw.to_string());
    }
    let lookup = |name: &str| env.get(name).cloned();
    let mut shown = Vec::new();
    let mut show_target = |r: std::result::Result<Target, String>| match r {
        Ok(t) => {
            shown.push(t.display());
            shown.push(format!("{t:?}"));
        }
        Err(e) => shown.push(e),
    };
    let (url_arg, file_arg): (Option<&str>, Option<&Path>) = if c.via_file {
        std::fs::write(&s.url_file, url.as_deref().unwrap_or("")).unwrap();
        (None, Some(&s.url_file))
    } else {
        (url.as_deref(), None)
    };
    show_target(Target::from_env(url_arg, file_arg, &lookup).map_err(|e| e.to_string()));
    let raw = RawConfig {
        database_url: url_arg.map(str::to_string),
        database_url_file: file_arg.map(|p| p.display().to_string()),
        sqlite_path: c.raw.sqlite_path.clone(),
        schema: c.raw.schema.clone(),
        target_schema: c.raw.target_schema.clone(),
        wait_timeout: c.raw.wait_timeout.clone(),
        report_path: c.raw.report_path.clone(),
        strict_schema: c.raw.strict_schema.clone(),
        on_existing: c.raw.on_existing.clone(),
        lock_timeout: c.raw.lock_timeout.clone(),
        check_only: c.raw.check_only.clone(),
        include_tables: c.raw.include_tables.clone(),
        exclude_tables: c.raw.exclude_tables.clone(),
        column_formats: c.raw.column_formats.clone(),
        round_time: c.raw.round_time.clone(),
        jobs: c.raw.jobs.clone(),
        check_flag: c.raw.check_flag,
        ..RawConfig::default()
    };
    show_target(Config::validate(raw, &lookup).map(|c| c.target).map_err(|e| e.to_string()));
    shown
}

/// The forms a password can take in output: as given, and as written in the URL.
fn forms(pw: &str, c: &Case) -> Vec<String> {
    let mut v = vec![pw.to_string()];
    if c.template.as_ref().is_some_and(|t| t.starts_with("postgres")) {
        v.push(encode_password(pw, c.pw_form));
    }
    v
}

fuzz_target!(|data: &[u8]| {
    let s = scratch();
    let mut u = Unstructured::new(data);
    let Ok(c) = case(&mut u, s) else { return };
    let Ok(pw) = u.arbitrary::<String>() else { return };
    let pw2 = twin(&pw);
    if std::env::var_os("FUZZ_DEBUG").is_some() {
        eprintln!(
            "template {:?}\npassword {pw:?} / {pw2:?} form {} in env {} via file {}\nenv {:?}\n{:?}",
            c.template, c.pw_form, c.pw_in_env, c.via_file, c.env, c.raw
        );
    }
    // a secret short or unchanged by `twin` could match fixed text by chance: no check then
    let checkable = pw.chars().count() >= 6 && pw2 != pw && !pw.contains('\0');
    let out1 = outputs(&c, &pw, s);
    if std::env::var_os("FUZZ_DEBUG").is_some() {
        eprintln!("shown {out1:?}");
    }
    // a password given nowhere (no `{PW}` in the template, no PGPASSWORD) has nothing to leak
    let placed = c.pw_in_env || c.template.as_ref().is_some_and(|t| t.contains("{PW}"));
    if !checkable || !placed {
        return;
    }
    // the password must appear only where it was put: not in any other field (a user name that decodes to
    // text containing it, say)
    let elsewhere = |p: &str| {
        c.template.as_ref().is_some_and(|t| t.contains(p) || percent_decode_lossy(t).contains(p))
            || c.env.values().any(|v| v.contains(p))
            || format!("{:?}", c.raw).contains(p)
    };
    if elsewhere(&pw) || elsewhere(&pw2) {
        return;
    }
    // free text: where `{PW}` lands has no defined meaning (a query key, a host...): PGPASSWORD only
    if c.template.as_ref().is_some_and(|t| t.contains("{PW}")) && c.free_text {
        return;
    }
    // key=value: check only when libpq's grammar reads the password as the `password` value; a
    // malformed string (`sslmode=' password=...`, `host= password=x`) makes it a key or another
    // setting's value, which messages and display() may then show (known, reported)
    if let Some(t) = c.template.as_ref().filter(|t| !t.starts_with("postgres") && t.contains("{PW}")) {
        let reads_as_password = |p: &str| {
            let pairs = libpq_pairs(&t.replace("{PW}", &kv_quote(p)));
            pairs.as_ref().is_some_and(|v| v.iter().any(|(k, val)| k == "password" && val == p))
                && pairs.is_some_and(|v| v.iter().all(|(k, val)| k == "password" || !val.contains(p)))
        };
        if !reads_as_password(&pw) || !reads_as_password(&pw2) {
            return;
        }
    }
    let out2 = outputs(&c, &pw2, s);
    // a leak is output that shows the password in both runs (each its own): coincidence excluded
    for (f1, f2) in forms(&pw, &c).iter().zip(forms(&pw2, &c).iter()) {
        for (o1, o2) in out1.iter().zip(out2.iter()) {
            assert!(!(o1.contains(f1.as_str()) && o2.contains(f2.as_str())), "password shown: {o1:?}");
        }
    }
});
