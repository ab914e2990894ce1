//! self-test of the throwaway postgresql harness

use crate::common::pg::{ClusterOptions, PgCluster};
use crate::support::{snapshot, Scope, EMPTY};
use std::process::Command;

#[test]
fn shared_cluster_creates_distinct_databases() {
    let pg = PgCluster::shared();
    let a = pg.fresh_db();
    let b = pg.fresh_db();
    assert_ne!(a, b);
    assert_eq!(pg.psql(&a, "SELECT 1"), "1");
    assert_eq!(pg.psql(&b, "SELECT current_database()"), b);
    assert!(pg.socket_dir().join(format!(".s.PGSQL.{}", pg.port())).exists());
    // settings from the harness are in effect
    assert_eq!(pg.psql(&a, "SHOW fsync"), "off");
    assert_eq!(pg.psql(&a, "SHOW server_encoding"), "UTF8");
    // a database nothing wrote to: the snapshot the "untouched" checks compare with
    assert_eq!(snapshot(pg, &b, Scope::All), EMPTY);
}

#[test]
fn shared_cluster_is_one_per_process() {
    let a = PgCluster::shared() as *const PgCluster;
    let b = std::thread::spawn(|| PgCluster::shared() as *const PgCluster as usize).join().unwrap();
    assert_eq!(a as usize, b);
}

#[test]
fn try_psql_reports_errors() {
    let pg = PgCluster::shared();
    let db = pg.fresh_db();
    let err = pg.try_psql(&db, "SELECT * FROM no_such_table").unwrap_err();
    assert!(err.contains("no_such_table"), "{err}");
}

fn psql_tcp(pg: &PgCluster, password: &str) -> std::process::Output {
    Command::new("psql")
        .args([
            "-X",
            "-At",
            "-w",
            "-h",
            "127.0.0.1",
            "-p",
            &pg.port().to_string(),
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-c",
            "SELECT 42",
        ])
        .env("PGPASSWORD", password)
        .env("PGSSLMODE", "disable")
        .output()
        .unwrap()
}

#[test]
fn private_cluster_password_auth_and_restart() {
    let pg = PgCluster::start(ClusterOptions::default());
    let dir = pg.data_dir().to_path_buf();
    let ok = psql_tcp(&pg, PgCluster::PASSWORD);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert_eq!(String::from_utf8_lossy(&ok.stdout).trim(), "42");

    let bad = psql_tcp(&pg, "wrong-password");
    assert!(!bad.status.success());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(stderr.contains("password authentication failed"), "{stderr}");

    let pid_before = pg.postmaster_pid().unwrap();
    pg.psql("postgres", "CREATE TABLE survives (x int); INSERT INTO survives VALUES (7)");
    pg.restart();
    assert_ne!(pg.postmaster_pid().unwrap(), pid_before);
    assert_eq!(pg.psql("postgres", "SELECT x FROM survives"), "7");

    pg.stop();
    assert!(pg.try_psql("postgres", "SELECT 1").is_err());
    pg.start_again();
    assert_eq!(pg.psql("postgres", "SELECT 1"), "1");

    drop(pg);
    assert!(!dir.exists(), "cluster dir not removed on drop");
}

#[test]
fn private_cluster_takes_extra_conf_and_hba() {
    let pg = PgCluster::start(ClusterOptions {
        extra_conf: vec!["work_mem = '7MB'".into()],
        hba: Some("local all all trust\nhost all all 127.0.0.1/32 reject\n".into()),
        ..Default::default()
    });
    assert_eq!(pg.psql("postgres", "SHOW work_mem"), "7MB");
    let rejected = psql_tcp(&pg, PgCluster::PASSWORD);
    assert!(!rejected.status.success());
    assert!(String::from_utf8_lossy(&rejected.stderr).contains("pg_hba.conf rejects"));
}
