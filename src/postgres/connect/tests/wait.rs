//! wait_ready against real servers: late start, refusals that must fail at once, timeouts

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::no_env;
use super::pg::{ClusterOptions, PgCluster};
use crate::error::WaitError;
use crate::postgres::connect::{wait_ready, Target};

fn target(url: &str) -> Target {
    Target::from_env(Some(url), None, &no_env).unwrap()
}

#[tokio::test]
async fn waits_for_a_server_that_starts_late() {
    let _ = env_logger::builder().is_test(true).try_init();
    let pg = Arc::new(PgCluster::start(ClusterOptions::default()));
    pg.stop();
    let t = target(&pg.url("postgres"));
    let starter = {
        let pg = Arc::clone(&pg);
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(3));
            pg.start_again();
        })
    };
    let (client, waited) = wait_ready(&t, Duration::from_secs(60)).await.unwrap();
    starter.join().unwrap();
    assert!(waited >= Duration::from_millis(2900), "ready too early: {waited:?}");
    assert!(waited < Duration::from_secs(20), "{waited:?}");
    let row = client.query_one("SELECT 41 + 1", &[]).await.unwrap();
    assert_eq!(row.get::<_, i32>(0), 42);
}

#[tokio::test]
async fn wrong_password_is_refused_at_once() {
    let pg = PgCluster::shared();
    let url = format!("postgres://postgres:not-the-pw-123@127.0.0.1:{}/postgres", pg.port());
    let start = Instant::now();
    let err = wait_ready(&target(&url), Duration::from_secs(30)).await.unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(2), "took {:?}", start.elapsed());
    let WaitError::Refused { reason } = &err else { panic!("{err:?}") };
    assert!(reason.contains("28P01") && reason.contains("password authentication failed"), "{reason}");
    assert!(!err.to_string().contains("not-the-pw-123"), "{err}");
}

#[tokio::test]
async fn missing_database_is_refused() {
    let pg = PgCluster::shared();
    let start = Instant::now();
    let err = wait_ready(&target(&pg.url("no_such_db_here")), Duration::from_secs(30)).await.unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(2), "took {:?}", start.elapsed());
    let WaitError::Refused { reason } = &err else { panic!("{err:?}") };
    assert!(reason.contains("3D000") && reason.contains("no_such_db_here"), "{reason}");
}

#[tokio::test]
async fn require_against_a_server_without_tls_is_refused() {
    let pg = PgCluster::shared();
    let url = format!("{}?sslmode=require", pg.url("postgres"));
    let err = wait_ready(&target(&url), Duration::from_secs(30)).await.unwrap_err();
    let WaitError::Refused { reason } = &err else { panic!("{err:?}") };
    assert!(reason.contains("server does not support TLS"), "{reason}");
}

#[tokio::test]
async fn times_out_when_nothing_listens() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let t = target(&format!("postgres://postgres:pw@127.0.0.1:{port}/postgres"));
    let start = Instant::now();
    let err = wait_ready(&t, Duration::from_millis(1500)).await.unwrap_err();
    let elapsed = start.elapsed();
    let WaitError::Timeout { waited, last } = &err else { panic!("{err:?}") };
    assert!(*waited >= Duration::from_millis(1500) && elapsed < Duration::from_secs(4), "{waited:?} {elapsed:?}");
    assert!(last.contains("refused"), "{last}");
    assert!(!err.to_string().contains(":pw@"), "{err}");
}

#[tokio::test]
async fn unresolvable_host_is_retried_until_the_deadline() {
    let t = target("postgres://postgres:pw@no-such-host.invalid:5432/postgres");
    let err = wait_ready(&t, Duration::from_millis(800)).await.unwrap_err();
    assert!(matches!(err, WaitError::Timeout { .. }), "{err:?}");
}

#[tokio::test]
async fn connects_over_the_unix_socket_and_through_a_pool() {
    let pg = PgCluster::shared();
    let db = pg.fresh_db();
    let t = target(&format!("host={} port={} user=postgres dbname={db}", pg.socket_dir().display(), pg.port()));
    let (client, _) = wait_ready(&t, Duration::from_secs(10)).await.unwrap();
    let row = client.query_one("SELECT current_database()", &[]).await.unwrap();
    assert_eq!(row.get::<_, String>(0), db);

    let pool = target(&pg.url(&db)).pool(2).unwrap();
    let conn = pool.get().await.unwrap();
    let row = conn.query_one("SELECT current_database()", &[]).await.unwrap();
    assert_eq!(row.get::<_, String>(0), db);
}

/// A server that answers the first connections with these SQLSTATEs, then forwards to `real_port`.
async fn flaky_front(codes: &'static [&'static str], real_port: u16) -> (u16, Arc<std::sync::atomic::AtomicUsize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = Arc::clone(&seen);
    tokio::spawn(async move {
        loop {
            let (mut sock, _) = listener.accept().await.unwrap();
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let Some(code) = codes.get(n) else {
                let mut real = tokio::net::TcpStream::connect(("127.0.0.1", real_port)).await.unwrap();
                tokio::spawn(async move { tokio::io::copy_bidirectional(&mut sock, &mut real).await });
                continue;
            };
            // read the startup message, answer with a FATAL error
            let len = sock.read_i32().await.unwrap();
            let mut body = vec![0; usize::try_from(len - 4).unwrap()];
            sock.read_exact(&mut body).await.unwrap();
            let mut fields = Vec::new();
            for (tag, value) in [(b'S', "FATAL"), (b'V', "FATAL"), (b'C', code), (b'M', "simulated failure")] {
                fields.push(tag);
                fields.extend_from_slice(value.as_bytes());
                fields.push(0);
            }
            fields.push(0);
            let mut msg = vec![b'E'];
            msg.extend_from_slice(&i32::try_from(fields.len() + 4).unwrap().to_be_bytes());
            msg.extend_from_slice(&fields);
            sock.write_all(&msg).await.unwrap();
        }
    });
    (port, seen)
}

#[tokio::test]
async fn retries_starting_up_and_too_many_connections() {
    let pg = PgCluster::shared();
    let (port, seen) = flaky_front(&["57P03", "53300", "57P01"], pg.port()).await;
    let t = target(&format!("postgres://postgres:{}@127.0.0.1:{port}/postgres?sslmode=disable", PgCluster::PASSWORD));
    let (client, _) = wait_ready(&t, Duration::from_secs(20)).await.unwrap();
    client.simple_query("SELECT 1").await.unwrap();
    assert_eq!(seen.load(std::sync::atomic::Ordering::SeqCst), 4);
}

#[tokio::test]
async fn other_server_errors_are_refused() {
    let pg = PgCluster::shared();
    let (port, seen) = flaky_front(&["28000"], pg.port()).await;
    let t = target(&format!("postgres://postgres:pw@127.0.0.1:{port}/postgres?sslmode=disable"));
    let err = wait_ready(&t, Duration::from_secs(20)).await.unwrap_err();
    assert!(matches!(err, WaitError::Refused { .. }), "{err:?}");
    assert_eq!(seen.load(std::sync::atomic::Ordering::SeqCst), 1);
}
