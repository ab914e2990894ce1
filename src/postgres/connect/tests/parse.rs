//! building a target from DATABASE_URL, DATABASE_URL_FILE and PG* variables

use std::io::Write;

use super::{env_from, no_env};
use crate::postgres::connect::target::SslMode;
use crate::postgres::connect::{Target, TargetError};

fn target(url: &str) -> Target {
    Target::from_env(Some(url), None, &no_env).unwrap()
}

#[test]
fn url_parts_and_display() {
    let t = target("postgresql://app:pw@db.example:6543/appdb?application_name=x");
    assert_eq!(t.display(), "app@db.example:6543/appdb (sslmode=prefer)");
    assert_eq!(t.password(), Some(&b"pw"[..]));
    assert_eq!(t.pg_config().get_application_name(), Some("x"));
    assert_eq!(t.ssl_mode(), SslMode::Prefer);
}

#[test]
fn defaults_follow_libpq() {
    let t = Target::from_env(None, None, &no_env).unwrap();
    assert_eq!(t.display(), "postgres@localhost:5432/postgres (sslmode=prefer)");
    assert_eq!(t.password(), None);
    let t = Target::from_env(None, None, &env_from(&[("PGUSER", "alice")])).unwrap();
    assert_eq!(t.display(), "alice@localhost:5432/alice (sslmode=prefer)");
}

#[test]
fn pg_variables_alone_and_filling_gaps_in_the_url() {
    let env = env_from(&[
        ("PGHOST", "pghost"),
        ("PGPORT", "5555"),
        ("PGUSER", "bob"),
        ("PGPASSWORD", "envpw"),
        ("PGDATABASE", "bobdb"),
        ("PGSSLMODE", "require"),
    ]);
    let t = Target::from_env(None, None, &env).unwrap();
    assert_eq!(t.display(), "bob@pghost:5555/bobdb (sslmode=require)");
    assert_eq!(t.password(), Some(&b"envpw"[..]));
    // what the URL gives wins, the rest comes from PG*
    let t = Target::from_env(Some("postgres://carol@urlhost/urldb?sslmode=disable"), None, &env).unwrap();
    assert_eq!(t.display(), "carol@urlhost:5555/urldb (sslmode=disable)");
    assert_eq!(t.password(), Some(&b"envpw"[..]));
    let t = Target::from_env(Some("postgres://carol:urlpw@urlhost:1/urldb"), None, &env).unwrap();
    assert_eq!(t.password(), Some(&b"urlpw"[..]));
    assert_eq!(t.ssl_mode(), SslMode::Require);
}

#[test]
fn database_url_beats_file_beats_pg_variables() {
    let mut file = tempfile::NamedTempFile::new().unwrap();
    writeln!(file, "  postgres://fromfile:filepw@filehost:7/filedb  ").unwrap();
    let env = env_from(&[("PGHOST", "pghost"), ("PGUSER", "pguser")]);
    let t = Target::from_env(Some("postgres://fromurl@urlhost/urldb"), Some(file.path()), &env).unwrap();
    assert_eq!(t.display(), "fromurl@urlhost:5432/urldb (sslmode=prefer)");
    let t = Target::from_env(None, Some(file.path()), &env).unwrap();
    assert_eq!(t.display(), "fromfile@filehost:7/filedb (sslmode=prefer)");
    assert_eq!(t.password(), Some(&b"filepw"[..]));
    // an empty DATABASE_URL counts as unset
    let t = Target::from_env(Some("  "), Some(file.path()), &env).unwrap();
    assert_eq!(t.display(), "fromfile@filehost:7/filedb (sslmode=prefer)");
    let t = Target::from_env(None, None, &env).unwrap();
    assert_eq!(t.display(), "pguser@pghost:5432/pguser (sslmode=prefer)");
}

#[test]
fn database_url_file_errors() {
    let missing = std::path::Path::new("/nonexistent/dir/url");
    let err = Target::from_env(None, Some(missing), &no_env).unwrap_err();
    assert!(matches!(err, TargetError::UnreadableFile { .. }), "{err:?}");
    assert!(err.to_string().contains("/nonexistent/dir/url"), "{err}");
    let empty = tempfile::NamedTempFile::new().unwrap();
    let err = Target::from_env(None, Some(empty.path()), &no_env).unwrap_err();
    assert!(matches!(err, TargetError::EmptyFile { .. }), "{err:?}");
}

#[test]
fn key_value_strings_and_unix_sockets() {
    let t = target("host=/run/pg port=5433 user='u 1' password=secret dbname=d sslmode=verify-full");
    assert_eq!(t.display(), "u 1@/run/pg:5433/d (sslmode=verify-full)");
    assert_eq!(t.password(), Some(&b"secret"[..]));
    assert!(matches!(t.pg_config().get_hosts()[0], tokio_postgres::config::Host::Unix(_)));
    // no TLS over a Unix socket, whatever the sslmode (like libpq)
    assert_eq!(t.pg_config().get_ssl_mode(), tokio_postgres::config::SslMode::Disable);
    let t = target("postgres://u@%2Frun%2Fpg/d");
    assert_eq!(t.display(), "u@/run/pg:5432/d (sslmode=prefer)");
}

#[test]
fn sslmode_and_sslrootcert_are_stripped_and_applied() {
    let t = target("postgres://u@h/d?sslmode=verify-ca&connect_timeout=3");
    assert_eq!(t.ssl_mode(), SslMode::VerifyCa);
    assert_eq!(t.pg_config().get_ssl_mode(), tokio_postgres::config::SslMode::Require);
    assert_eq!(t.pg_config().get_connect_timeout(), Some(&std::time::Duration::from_secs(3)));
    let t = target("postgres://u@h/d?sslmode=disable");
    assert_eq!(t.pg_config().get_ssl_mode(), tokio_postgres::config::SslMode::Disable);
    // a URL sslmode beats PGSSLMODE
    let env = env_from(&[("PGSSLMODE", "verify-full")]);
    let t = Target::from_env(Some("postgres://h/d?sslmode=require"), None, &env).unwrap();
    assert_eq!(t.ssl_mode(), SslMode::Require);
    let err = Target::from_env(Some("postgres://h/d?sslmode=sometimes"), None, &no_env).unwrap_err();
    assert!(matches!(err, TargetError::BadSslMode { .. }), "{err:?}");
    // prefer never verifies, so it does not read the root certificate (like libpq)
    let t = target("postgres://h/d?sslrootcert=/no/such/ca.pem");
    assert_eq!(t.root_cert(), Some(std::path::Path::new("/no/such/ca.pem")));
    let url = "postgres://h/d?sslmode=verify-ca&sslrootcert=/no/such/ca.pem";
    let err = Target::from_env(Some(url), None, &no_env).unwrap_err();
    assert!(matches!(err, TargetError::UnreadableRootCert { .. }), "{err:?}");
    assert!(err.to_string().contains("/no/such/ca.pem"), "{err}");
}

#[test]
fn malformed_strings_never_echo_the_password() {
    let cases = [
        "postgres://user:s3cr3t-pw@host:notaport/db",
        "postgres://user:s3cr3t-pw@host/db?no_such_option=1",
        "postgres://user:s3cr3t-pw@host/db?sslmode=%zz",
        "postgresql://user:s3cr3t-pw@[::1/db",
        "host=h password='s3cr3t-pw",
        "host=h password=s3cr3t-pw bogus=1",
        "host=h password=s3cr3t-pw port=x",
    ];
    for url in cases {
        let err = Target::from_env(Some(url), None, &no_env).unwrap_err();
        assert!(matches!(err, TargetError::Malformed { .. }), "{url}: {err:?}");
        for text in [err.to_string(), format!("{err:?}")] {
            assert!(!text.contains("s3cr3t"), "{text}");
            assert!(!text.contains("host/db"), "echoes the url: {text}");
        }
    }
}

#[test]
fn debug_and_display_redact_the_password() {
    let t = target("postgres://u:hunter2-pw@h/d");
    assert!(!format!("{t:?}").contains("hunter2"), "{t:?}");
    assert!(format!("{t:?}").contains("redacted"));
    assert!(!t.display().contains("hunter2"));
    assert_eq!(t.scrub("auth failed with hunter2-pw"), "auth failed with <redacted>");
}

#[test]
fn pg_port_and_connect_timeout_variables() {
    let err = Target::from_env(None, None, &env_from(&[("PGPORT", "54x")])).unwrap_err();
    assert!(matches!(err, TargetError::BadValue { name: "PGPORT", .. }), "{err:?}");
    let t = Target::from_env(None, None, &env_from(&[("PGCONNECT_TIMEOUT", "7")])).unwrap();
    assert_eq!(t.pg_config().get_connect_timeout(), Some(&std::time::Duration::from_secs(7)));
    let t = Target::from_env(None, None, &env_from(&[("PGHOST", "a,b"), ("PGPORT", "1,2")])).unwrap();
    assert_eq!(t.display(), "postgres@a:1,b:2/postgres (sslmode=prefer)");
}

/// Found by fuzzing (fuzz/fuzz_targets/config_env.rs): tokio-postgres splits `user:password` at the
/// first `@` of the whole URL, so an unencoded `@` in a query password (or in the password) put part of
/// the password into the user or host name that `display()` shows; such readings are scrubbed.
#[test]
fn fuzz_at_sign_in_password_never_shown() {
    let t = target("postgres://h/db?password=s3cr@t-pw");
    assert!(!t.display().contains("s3cr@t-pw"), "{}", t.display());
    assert!(t.display().contains("<redacted>"), "{}", t.display());
    assert!(!format!("{t:?}").contains("s3cr@t-pw"));
    assert_eq!(t.scrub("x s3cr@t-pw y"), "x <redacted> y");
    let t = target("postgres://a,b:7/x?application_name=&password=aaaaa@a");
    assert!(!t.display().contains("aaaaa@a"), "{}", t.display());
    // an unencoded `@` in the password: the last `@` before the host separates, nothing shown
    let t = target("postgres://u:p@ss-word@h:5/db");
    assert_eq!(t.display(), "u@h:5/db (sslmode=prefer)");
    assert_eq!(t.password(), Some(&b"p@ss-word"[..]));
    // a `/` or `?` in the password still works as tokio-postgres reads it (first `@`)
    let t = target("postgres://u:pa/s?s@h:5/db");
    assert_eq!(t.display(), "u@h:5/db (sslmode=prefer)");
    assert_eq!(t.password(), Some(&b"pa/s?s"[..]));
    // the user may equal the password: not redacted from display, that is the user's own name
    let t = target("postgres://postgres:postgres@h/db");
    assert_eq!(t.display(), "postgres@h:5432/db (sslmode=prefer)");
    // PGPASSWORD and a query `@` that tokio-postgres takes for the userinfo separator
    let env = env_from(&[("PGPASSWORD", "x,@ssm@)@y")]);
    let t = Target::from_env(Some("postgres:///?password=x,@ssm@)@y"), None, &env).unwrap();
    assert!(!t.display().contains("x,@ssm@)@y"), "{}", t.display());
    // a `?` in the user: still read up to the first `@`, the password kept out of display
    let t = target("postgres://?IM:IIII4I;II;I@%2Ftmp/");
    assert_eq!(t.password(), Some(&b"IIII4I;II;I"[..]));
    assert!(!t.display().contains("IIII4I"), "{}", t.display());
    // malformed: neither the parse error nor the display shows the password
    for url in ["postgres://h:x/?k=v@w:s3cr3t-pw@h", "postgres://u:s3cr3t-pw@h:x@y/d", "postgres://u:s3cr3t@pw@h:x/d"] {
        let shown = match Target::from_env(Some(url), None, &no_env) {
            Ok(t) => t.display(),
            Err(e) => e.to_string(),
        };
        assert!(!shown.contains("s3cr3t"), "{url}: {shown}");
    }
}
