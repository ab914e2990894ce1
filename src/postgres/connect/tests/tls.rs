//! TLS per sslmode against a server with a test CA and a hostssl-only pg_hba.conf

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::no_env;
use super::pg::{ClusterOptions, PgCluster, SslFiles};
use crate::error::WaitError;
use crate::postgres::connect::{wait_ready, Target};

/// One TLS cluster for these tests; the CA files live in its directory (removed with it).
struct TlsServer {
    pg: PgCluster,
    ca: PathBuf,
    other_ca: PathBuf,
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run the openssl cli (apt-get install openssl): {e}"));
    assert!(out.status.success(), "openssl {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
}

/// A CA, a server certificate it signs for localhost and 127.0.0.1, and an unrelated CA.
fn make_certs(dir: &Path) {
    let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    for (name, cn) in [("ca", "sqlite2pg test ca"), ("other", "unrelated test ca")] {
        let (key, crt, subj) = (format!("{name}.key"), format!("{name}.crt"), format!("/CN={cn}"));
        let mut args = vec!["req", "-x509", "-days", "2", "-subj", &subj, "-keyout", &key, "-out", &crt];
        args.extend(ec);
        args.extend([
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ]);
        openssl(dir, &args);
    }
    let mut args = vec!["req", "-new", "-subj", "/CN=localhost", "-keyout", "server.key", "-out", "server.csr"];
    args.extend(ec);
    openssl(dir, &args);
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n\
         keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
            "-out",
            "server.crt",
        ],
    );
}

fn server() -> &'static TlsServer {
    static SERVER: OnceLock<TlsServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        let certs = tempfile::tempdir().unwrap();
        make_certs(certs.path());
        let pg = PgCluster::start(ClusterOptions {
            ssl: Some(SslFiles { cert: certs.path().join("server.crt"), key: certs.path().join("server.key") }),
            hba: Some("local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n".into()),
            ..Default::default()
        });
        let ca = pg.socket_dir().join("ca.crt");
        let other_ca = pg.socket_dir().join("other.crt");
        std::fs::copy(certs.path().join("ca.crt"), &ca).unwrap();
        std::fs::copy(certs.path().join("other.crt"), &other_ca).unwrap();
        TlsServer { pg, ca, other_ca }
    })
}

/// A URL to the TLS server; `host` is the name used for TLS, the connection always goes to 127.0.0.1.
fn url(host: &str, query: &str) -> String {
    let s = server();
    format!("postgres://postgres:{}@{host}:{}/postgres?hostaddr=127.0.0.1&{query}", PgCluster::PASSWORD, s.pg.port())
}

fn target(url: &str) -> Target {
    Target::from_env(Some(url), None, &no_env).unwrap()
}

async fn connects_encrypted(url: &str) {
    let (client, _) = wait_ready(&target(url), Duration::from_secs(10)).await.unwrap_or_else(|e| panic!("{url}: {e}"));
    let row = client.query_one("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[]).await.unwrap();
    assert!(row.get::<_, bool>(0), "{url}: not encrypted");
}

async fn refused(url: &str) -> String {
    let start = Instant::now();
    let err = wait_ready(&target(url), Duration::from_secs(30)).await.unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(3), "{url}: took {:?}", start.elapsed());
    let WaitError::Refused { reason } = &err else { panic!("{url}: {err:?}") };
    assert!(!reason.contains(PgCluster::PASSWORD), "{reason}");
    eprintln!("refused as expected: {err}");
    reason.clone()
}

#[tokio::test]
async fn verify_full_with_the_right_ca_and_name() {
    let ca = server().ca.display().to_string();
    connects_encrypted(&url("127.0.0.1", &format!("sslmode=verify-full&sslrootcert={ca}"))).await;
    connects_encrypted(&url("localhost", &format!("sslmode=verify-full&sslrootcert={ca}"))).await;
    // PGSSLROOTCERT works as well
    let env = |name: &str| (name == "PGSSLROOTCERT").then(|| ca.clone());
    let t = Target::from_env(Some(&url("localhost", "sslmode=verify-full")), None, &env).unwrap();
    wait_ready(&t, Duration::from_secs(10)).await.unwrap();
}

#[tokio::test]
async fn verify_full_rejects_a_wrong_ca() {
    let other = server().other_ca.display().to_string();
    let reason = refused(&url("127.0.0.1", &format!("sslmode=verify-full&sslrootcert={other}"))).await;
    assert!(reason.contains("UnknownIssuer") && reason.contains("sslmode=verify-full"), "{reason}");
    // the public webpki roots do not know the test CA either
    let reason = refused(&url("localhost", "sslmode=verify-full")).await;
    assert!(reason.contains("UnknownIssuer"), "{reason}");
}

#[tokio::test]
async fn verify_full_rejects_a_wrong_host_name() {
    let ca = server().ca.display().to_string();
    let reason = refused(&url("wrong.example", &format!("sslmode=verify-full&sslrootcert={ca}"))).await;
    assert!(reason.contains("not valid for name"), "{reason}");
}

#[tokio::test]
async fn verify_ca_checks_the_chain_but_not_the_name() {
    let s = server();
    let ca = s.ca.display().to_string();
    connects_encrypted(&url("wrong.example", &format!("sslmode=verify-ca&sslrootcert={ca}"))).await;
    let other = s.other_ca.display().to_string();
    let reason = refused(&url("127.0.0.1", &format!("sslmode=verify-ca&sslrootcert={other}"))).await;
    assert!(reason.contains("UnknownIssuer"), "{reason}");
}

#[tokio::test]
async fn require_and_prefer_encrypt_without_verifying() {
    connects_encrypted(&url("wrong.example", "sslmode=require")).await;
    connects_encrypted(&url("127.0.0.1", "sslmode=prefer")).await;
    // require with a root certificate verifies the chain, like libpq
    let other = server().other_ca.display().to_string();
    let reason = refused(&url("127.0.0.1", &format!("sslmode=require&sslrootcert={other}"))).await;
    assert!(reason.contains("UnknownIssuer"), "{reason}");
}

#[tokio::test]
async fn disable_against_a_hostssl_only_server_is_refused() {
    let reason = refused(&url("127.0.0.1", "sslmode=disable")).await;
    assert!(reason.contains("28000") && reason.contains("no pg_hba.conf entry"), "{reason}");
}

#[tokio::test]
async fn pool_uses_the_same_tls() {
    let ca = server().ca.display().to_string();
    let pool = target(&url("localhost", &format!("sslmode=verify-full&sslrootcert={ca}"))).pool(2).unwrap();
    let conn = pool.get().await.unwrap();
    let row = conn.query_one("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[]).await.unwrap();
    assert!(row.get::<_, bool>(0));
}
