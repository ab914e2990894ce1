#!/usr/bin/env bash
# The benchmark (issue 7): sqlite2pg against a hand-written psql load and pgloader, on a throwaway
# PostgreSQL cluster, with a generated app-style SQLite database. Not a test: it asserts nothing about
# time. See bench/README.md. Usage, as root on Debian (installs what it lacks with apt):
#
#   bash bench/run.sh                       # ROWS=3000000 (about 1 GB), REPEAT=3
#   ROWS=300000 REPEAT=1 bash bench/run.sh  # a quick run
#
# Settings (environment):
#   ROWS=3000000        rows of "Order", the largest table ("Listing" ROWS/2, "User" ROWS/10)
#   REPEAT=3            repetitions of each measurement, alternating between the tools
#   SKIP_PGLOADER=1     leave pgloader out
#   SKIP_MANY_TABLES=1  leave out the many-small-tables case (bench/many_tables.sh: MANY_TABLES=400 tables of
#                       MANY_ROWS=200 rows, REPEAT times, against psql restoring a pg_dump of the result)
#   SQLITE2PG=path      the binary to measure (default: cargo build --release --locked, then target/release)
#   PGBIN=dir           PostgreSQL server binaries (default /usr/lib/postgresql/15/bin, else from PATH)
#   BENCH_WORK=dir      work folder (default /tmp/sqlite2pg-bench); the generated database is kept there
#                       for the next run with the same ROWS, everything else is removed on exit
#   PGLOADER_TIMEOUT=s  give up on a pgloader run after this many seconds (default 3600)
#   RESULTS=file        where the Markdown table goes (default bench/results.md)
set -euo pipefail

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
ROWS=${ROWS:-3000000}
REPEAT=${REPEAT:-3}
SKIP_PGLOADER=${SKIP_PGLOADER:-0}
SKIP_MANY_TABLES=${SKIP_MANY_TABLES:-0}
MANY_TABLES=${MANY_TABLES:-400}
MANY_ROWS=${MANY_ROWS:-200}
BENCH_WORK=${BENCH_WORK:-/tmp/sqlite2pg-bench}
PGLOADER_TIMEOUT=${PGLOADER_TIMEOUT:-3600}
RESULTS=${RESULTS:-$BENCH/results.md}
SEED=7
DBNAME=bench
PG_SETTINGS=(
    "shared_buffers=256MB" "max_wal_size=4GB" "maintenance_work_mem=256MB"
    "fsync=on" "synchronous_commit=on" "full_page_writes=on"
)

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
[[ $ROWS =~ ^[0-9]+$ ]] && [ "$ROWS" -ge 10 ] || die "ROWS must be a whole number >= 10"
[[ $REPEAT =~ ^[1-9][0-9]*$ ]] || die "REPEAT must be a whole number >= 1"
[[ $MANY_TABLES =~ ^[1-9][0-9]*$ && $MANY_ROWS =~ ^[0-9]+$ ]] || die "MANY_TABLES and MANY_ROWS must be whole numbers"

# ---------------------------------------------------------------- prerequisites
need=()
PGBIN=${PGBIN:-}
if [ -z "$PGBIN" ]; then
    if [ -x /usr/lib/postgresql/15/bin/initdb ]; then PGBIN=/usr/lib/postgresql/15/bin
    elif command -v initdb >/dev/null 2>&1; then PGBIN=$(dirname "$(command -v initdb)")
    else need+=(postgresql-15); PGBIN=/usr/lib/postgresql/15/bin; fi
fi
command -v psql >/dev/null 2>&1 || need+=(postgresql-client)
command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
command -v python3 >/dev/null 2>&1 || need+=(python3)
[ -x /usr/bin/time ] || need+=(time)
if [ "$SKIP_PGLOADER" != 1 ] && ! command -v pgloader >/dev/null 2>&1; then need+=(pgloader); fi
if [ ${#need[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || die "missing ${need[*]}: install them (apt-get install ${need[*]}) or run as root"
    log "installing with apt: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need[@]}" >/dev/null
fi
[ -x "$PGBIN/initdb" ] && [ -x "$PGBIN/pg_ctl" ] || die "no initdb/pg_ctl in $PGBIN (set PGBIN)"
if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "no postgres OS user to run the server as (apt-get install postgresql-15)"
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi

if [ -n "${SQLITE2PG:-}" ]; then
    BIN=$(readlink -f "$SQLITE2PG")
else
    log "building sqlite2pg (cargo build --release --locked)"
    (cd "$ROOT" && cargo build --release --locked -q) || die "cargo build failed (or set SQLITE2PG=path)"
    BIN=$ROOT/target/release/sqlite2pg
fi
[ -x "$BIN" ] || die "sqlite2pg binary not found: $BIN"

# ---------------------------------------------------------------- work folder, cleanup
mkdir -p "$BENCH_WORK"
chmod 755 "$BENCH_WORK"
RUN=$(mktemp -d "$BENCH_WORK/run.XXXXXX")
chmod 755 "$RUN"
PGDATA_DIR=$RUN/pgdata
CSV=$RUN/csv
LOGS=$RUN/logs
mkdir -p "$CSV" "$LOGS"
SERVER_UP=0
cleanup() {
    local rc=$?
    if [ "$SERVER_UP" = 1 ]; then as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m immediate -w stop >/dev/null 2>&1 || true; fi
    if [ "${KEEP_RUN:-0}" = 1 ]; then log "kept $RUN"; else rm -rf "$RUN"; fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- the SQLite database
GEN_HASH=$(sha256sum "$BENCH/gen_sqlite.py" | cut -c1-12)
DB=$BENCH_WORK/bench-$ROWS-$SEED-$GEN_HASH.sqlite
if [ -f "$DB" ]; then
    log "reusing $DB"
else
    rm -f "$BENCH_WORK"/bench-"$ROWS"-*.sqlite
    log "generating $ROWS orders into $DB"
    python3 "$BENCH/gen_sqlite.py" --rows "$ROWS" --seed "$SEED" --out "$DB" >"$LOGS/gen.json"
    cat "$LOGS/gen.json" >&2
fi
chmod 644 "$DB"
read -r N_USER N_LISTING N_ORDER < <(sqlite3 "$DB" \
    'SELECT (SELECT count(*) FROM "User"), (SELECT count(*) FROM "Listing"), (SELECT count(*) FROM "Order")' | tr '|' ' ')
DB_BYTES=$(stat -c %s "$DB")
log "source: $((DB_BYTES / 1000000)) MB, rows User=$N_USER Listing=$N_LISTING Order=$N_ORDER"

# ---------------------------------------------------------------- the cluster
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
chown postgres "$RUN" 2>/dev/null || true
as_pg "$PGBIN/initdb" -D "$PGDATA_DIR" -U postgres -E UTF8 --locale=C.UTF-8 --auth=trust >"$LOGS/initdb.log" 2>&1 \
    || { cat "$LOGS/initdb.log" >&2; die "initdb failed"; }
{
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $PORT"
    echo "unix_socket_directories = '$RUN'"
    for s in "${PG_SETTINGS[@]}"; do echo "${s%%=*} = '${s#*=}'"; done
} | as_pg tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$RUN/server.log" -w -t 60 start >/dev/null \
    || { cat "$RUN/server.log" >&2; die "the server did not start"; }
SERVER_UP=1
export PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=postgres PGSSLMODE=disable
unset PGPASSWORD PGDATABASE DATABASE_URL DATABASE_URL_FILE
URL="postgres://postgres@127.0.0.1:$PORT/$DBNAME?sslmode=disable"
PG_VERSION=$(psql -d postgres -Atc 'SHOW server_version')
PG_SHOWN=$(psql -d postgres -At -F= -c "SELECT name, current_setting(name) FROM unnest(ARRAY['shared_buffers',
    'max_wal_size','maintenance_work_mem','work_mem','fsync','synchronous_commit','full_page_writes','wal_level',
    'checkpoint_timeout','max_parallel_maintenance_workers','lc_collate']) AS name" | paste -sd' ')
log "PostgreSQL $PG_VERSION on 127.0.0.1:$PORT: $PG_SHOWN"

# the SQLite file back in the page cache before a tool reads it: above half the machine's memory, the previous
# run's writes push part of it out, and the next tool would read it from disk where the first did not
warm_cache() {
    cat "$DB" >/dev/null
}

# a fresh target database, and the SQLite file in the page cache
fresh_db() {
    psql -d postgres -q -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" \
        -c "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)" \
        -c "CREATE DATABASE $DBNAME" -c "CHECKPOINT" >/dev/null
    warm_cache
}

# "user=N listing=N order=N idx=N fk=N" for whatever names the tool gave the tables (pgloader lowercases)
target_state() {
    psql -d "$DBNAME" -At -v ON_ERROR_STOP=1 <<'SQL' 2>/dev/null | paste -sd' '
SELECT format('SELECT %L || ''='' || count(*) FROM %I.%I', lower(c.relname), n.nspname, c.relname)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND lower(c.relname) IN ('user', 'listing', 'order')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
ORDER BY 1 \gexec
SELECT 'idx=' || count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
WHERE lower(c.relname) IN ('user', 'listing', 'order') AND c.relnamespace <> 'pg_catalog'::regnamespace;
SELECT 'fk=' || count(*) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
WHERE k.contype = 'f' AND lower(c.relname) IN ('user', 'listing', 'order');
SQL
}

EXPECTED="listing=$N_LISTING order=$N_ORDER user=$N_USER"
rows_ok() { [[ "$1" == "$EXPECTED "* ]]; }

RESULTS_TSV=$RUN/results.tsv
printf 'rep\tvariant\tstatus\texit\tseconds\trss_kb\tstate\tcopy_s\tnote\n' >"$RESULTS_TSV"
FAILED=0

# measure NAME REP LOGFILE cmd...: wall time and peak RSS of cmd; sets M_RC M_SECONDS M_RSS
measure() {
    local name=$1 rep=$2 out=$3; shift 3
    local t0 t1
    t0=$EPOCHREALTIME
    set +e
    /usr/bin/time -f '%M' -o "$LOGS/$name-$rep.rss" "$@" >"$out" 2>&1 </dev/null
    M_RC=$?
    set -e
    t1=$EPOCHREALTIME
    M_SECONDS=$(python3 -c "print(f'{$t1 - $t0:.2f}')")
    M_RSS=$(grep -E '^[0-9]+$' "$LOGS/$name-$rep.rss" | tail -1 || true)
    M_RSS=${M_RSS:-0}
}

record() {
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$7" "${8:--}" "${9:-}" >>"$RESULTS_TSV"
}

# seconds sqlite2pg's JSON report gives its table copies (the rest: schema, indexes, keys, verification)
copy_seconds() {
    python3 -c 'import json, sys; print("%.2f" % sum(t["seconds"] for t in json.load(open(sys.argv[1]))["tables"]))' \
        "$1" 2>/dev/null || echo -
}

run_sqlite2pg() {  # VARIANT REP SCHEMA [NAME=VALUE settings...]
    local name=$1 rep=$2 schema=$3 state status copy note=
    shift 3
    fresh_db
    measure "$name" "$rep" "$LOGS/$name-$rep.log" env SQLITE_PATH="$DB" DATABASE_URL="$URL" SCHEMA="$schema" \
        ON_EXISTING=fail RUST_LOG=info REPORT_PATH="$LOGS/$name-$rep.json" "$@" "$BIN"
    state=$(target_state)
    status=ok
    if [ "$M_RC" != 0 ]; then status=failed; elif ! rows_ok "$state"; then status=wrong-rows; fi
    if [ "$status" != ok ]; then
        FAILED=1
        log "sqlite2pg $name rep $rep: $status (exit $M_RC, $state); last log lines:"
        tail -n 15 "$LOGS/$name-$rep.log" >&2
    fi
    copy=$(copy_seconds "$LOGS/$name-$rep.json")
    # VERIFY=content logs how long reading each table back took (beside its index builds): summed
    note=$(grep -oE 'content of [0-9]+ row\(s\) verified in [0-9.]+s' "$LOGS/$name-$rep.log" \
        | sed -E 's/.* in ([0-9.]+)s/\1/' | awk '{ s += $1 } END { if (NR) printf "content verification %.1f s", s }' || true)
    log "sqlite2pg $name rep $rep: ${M_SECONDS}s (copies ${copy}s${note:+, $note}), ${M_RSS} KB, exit $M_RC, $state"
    record "$rep" "$name" "$status" "$M_RC" "$M_SECONDS" "$M_RSS" "$state" "$copy" "$note"
}

run_rerun() {  # REP: sqlite2pg again on the target (a) just filled; it must find the run done and do nothing
    local rep=$1 status=ok
    measure rerun "$rep" "$LOGS/rerun-$rep.log" env SQLITE_PATH="$DB" DATABASE_URL="$URL" SCHEMA=auto \
        ON_EXISTING=skip RUST_LOG=info "$BIN"
    if [ "$M_RC" != 0 ] || ! grep -q "already migrated" "$LOGS/rerun-$rep.log"; then
        status=failed
        FAILED=1
        log "sqlite2pg rerun rep $rep: did not find the completed run (exit $M_RC); last log lines:"
        tail -n 15 "$LOGS/rerun-$rep.log" >&2
    fi
    log "sqlite2pg rerun rep $rep: ${M_SECONDS}s, ${M_RSS} KB, exit $M_RC"
    record "$rep" rerun "$status" "$M_RC" "$M_SECONDS" "$M_RSS" "$(target_state)"
}

run_reference() {  # REP
    local rep=$1 state status
    rm -f "$CSV"/*.csv
    warm_cache
    measure ref_export "$rep" "$LOGS/ref_export-$rep.log" \
        bash -c 'cd "$1" && sqlite3 -bail "$2" <"$3"' _ "$CSV" "$DB" "$BENCH/reference-export.sqlite3"
    status=ok; [ "$M_RC" = 0 ] || { status=failed; tail -n 15 "$LOGS/ref_export-$rep.log" >&2; }
    log "reference export rep $rep: ${M_SECONDS}s, ${M_RSS} KB, exit $M_RC ($(du -sm "$CSV" | cut -f1) MB of CSV)"
    record "$rep" ref_export "$status" "$M_RC" "$M_SECONDS" "$M_RSS" "-"
    fresh_db
    measure ref_load "$rep" "$LOGS/ref_load-$rep.log" \
        bash -c 'cd "$1" && psql -d "$2" -X -q --single-transaction -v ON_ERROR_STOP=1 -f "$3"' _ \
        "$CSV" "$DBNAME" "$BENCH/reference-load.sql"
    state=$(target_state)
    status=ok
    if [ "$M_RC" != 0 ]; then status=failed; elif ! rows_ok "$state"; then status=wrong-rows; fi
    [ "$status" = ok ] || tail -n 15 "$LOGS/ref_load-$rep.log" >&2
    log "reference psql load rep $rep: ${M_SECONDS}s, ${M_RSS} KB, exit $M_RC, $state"
    record "$rep" ref_load "$status" "$M_RC" "$M_SECONDS" "$M_RSS" "$state"
    rm -f "$CSV"/*.csv
}

PGLOADER_DEFAULT_CRASHED=0
run_pgloader() {  # VARIANT REP [pgloader options...]
    local name=$1 rep=$2 state status note=; shift 2
    local cmdfile=$RUN/pgloader.load
    cat >"$cmdfile" <<EOF
LOAD DATABASE
     FROM sqlite://$DB
     INTO postgresql://postgres@127.0.0.1:$PORT/$DBNAME
 WITH include drop, create tables, create indexes, reset sequences, foreign keys;
EOF
    fresh_db
    measure "$name" "$rep" "$LOGS/$name-$rep.log" \
        timeout --signal=KILL "$PGLOADER_TIMEOUT" pgloader "$@" --root-dir "$RUN/pgloader-root" "$cmdfile"
    state=$(target_state)
    status=ok
    if grep -qiE 'heap exhausted|fatal error in SBCL|ldb>|Unhandled memory fault' "$LOGS/$name-$rep.log"; then
        status=crashed-heap
    elif [ "$M_RC" = 137 ]; then status=timeout
    elif [ "$M_RC" != 0 ]; then status=failed
    elif ! rows_ok "$state"; then status=wrong-rows
    fi
    if [ "$status" = crashed-heap ]; then  # SBCL's GC table ends with "[99.4% of 1073741824 max]"
        note=$(grep -oE 'of [0-9]+ max' "$LOGS/$name-$rep.log" | tail -1 | awk '{printf "heap of %d MB exhausted", $2 / 1048576}')
    fi
    [ "$status" = ok ] || { log "pgloader $name rep $rep: $status; last log lines:"; tail -n 12 "$LOGS/$name-$rep.log" >&2; }
    log "pgloader $name rep $rep: ${M_SECONDS}s, ${M_RSS} KB, exit $M_RC, $status, $state${note:+, $note}"
    record "$rep" "$name" "$status" "$M_RC" "$M_SECONDS" "$M_RSS" "$state" - "$note"
    [ "$status" = ok ]
}

# ---------------------------------------------------------------- the measurements
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')
for rep in $(seq 1 "$REPEAT"); do
    log "---- repetition $rep of $REPEAT"
    run_sqlite2pg auto "$rep" auto
    run_rerun "$rep"
    run_sqlite2pg auto_content "$rep" auto VERIFY=content
    run_sqlite2pg schema "$rep" "$BENCH/schema.sql"
    run_reference "$rep"
    if [ "$SKIP_PGLOADER" != 1 ]; then
        if [ "$PGLOADER_DEFAULT_CRASHED" = 0 ]; then
            run_pgloader pgloader "$rep" || {
                [ "$(tail -1 "$RESULTS_TSV" | cut -f3)" = crashed-heap ] && PGLOADER_DEFAULT_CRASHED=1
                log "pgloader with its default heap did not finish; retrying with --dynamic-space-size 4096"
            }
        fi
        if [ "$PGLOADER_DEFAULT_CRASHED" = 1 ] || [ "$(tail -1 "$RESULTS_TSV" | cut -f3)" != ok ]; then
            run_pgloader pgloader_4g "$rep" --dynamic-space-size 4096 || true
        fi
    fi
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- the report
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
MEM_GB=$(awk '/MemTotal/ {printf "%.1f", $2 / 1048576}' /proc/meminfo)
CMD="ROWS=$ROWS REPEAT=$REPEAT"
[ "$SKIP_PGLOADER" = 1 ] && CMD="$CMD SKIP_PGLOADER=1"
[ "$SKIP_MANY_TABLES" = 1 ] && CMD="$CMD SKIP_MANY_TABLES=1"
CMD="$CMD bash bench/run.sh"
PGLOADER_VERSION=-
[ "$SKIP_PGLOADER" = 1 ] || PGLOADER_VERSION=$(pgloader --version 2>/dev/null | paste -sd' ')
python3 "$BENCH/report.py" "$RESULTS_TSV" \
    --date "$STARTED" --command "$CMD" --nproc "$(nproc)" --mem-gb "$MEM_GB" --cpu "$CPU" \
    --load-start "$LOAD_START" --load-end "$LOAD_END" \
    --db-bytes "$DB_BYTES" --rows "User=$N_USER,Listing=$N_LISTING,Order=$N_ORDER" \
    --sqlite2pg "$("$BIN" --version 2>/dev/null | head -1)" --postgres "$PG_VERSION" --pg-settings "$PG_SHOWN" \
    --pgloader "$PGLOADER_VERSION" --sqlite3 "$(sqlite3 --version | cut -d' ' -f1)" \
    --out "$RESULTS"

# ---------------------------------------------------------------- many small tables, side by side with its reference
if [ "$SKIP_MANY_TABLES" != 1 ]; then
    # it starts a cluster of its own: this one is done
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null 2>&1 && SERVER_UP=0
    log "many small tables: $MANY_TABLES tables of $MANY_ROWS rows, $REPEAT time(s) (bench/many_tables.sh)"
    if SQLITE2PG="$BIN" PGBIN="$PGBIN" TABLES="$MANY_TABLES" ROWS="$MANY_ROWS" REPEAT="$REPEAT" \
        RESULTS="$RUN/many-tables.md" bash "$BENCH/many_tables.sh" >"$LOGS/many-tables.log" 2>&1; then
        { echo; echo "## Many small tables"; echo; cat "$RUN/many-tables.md"; } >>"$RESULTS"
    else
        FAILED=1
        log "the many-small-tables case failed; last log lines:"
        tail -n 15 "$LOGS/many-tables.log" >&2
    fi
fi
log "results written to $RESULTS"
if [ "$FAILED" = 1 ]; then
    log "some sqlite2pg runs failed or left the wrong row counts (see above)"
    exit 1
fi
