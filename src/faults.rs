//! Pause points for the crash and signal tests: `SQLITE2PG_TEST_PAUSE=<point>:<seconds>` sleeps there

/// Sleep at `point` when the test environment asks for it; a no-op otherwise. The points are `wait` (before
/// connecting), `schema` (after the tables are created, before the data), `copy` (after the first table's data),
/// `verify` (before the row counts are compared, or in a staged load before publishing), `content` (before each
/// table is read back for `VERIFY=content`) and `commit` (just before COMMIT).
#[cfg(feature = "test-pauses")]
pub(crate) async fn pause(point: &str) {
    let Ok(spec) = std::env::var("SQLITE2PG_TEST_PAUSE") else { return };
    for item in spec.split(',') {
        if let Some((p, secs)) = item.split_once(':') {
            if p == point {
                if let Ok(s) = secs.parse::<f64>() {
                    log::warn!("test pause at {point} for {s}s");
                    tokio::time::sleep(std::time::Duration::from_secs_f64(s.clamp(0.0, 3600.0))).await;
                }
            }
        }
    }
}

/// Without the `test-pauses` feature (release builds) the pause points are compiled out.
#[cfg(not(feature = "test-pauses"))]
pub(crate) async fn pause(_point: &str) {}
