#!/usr/bin/env bash
# The many-small-tables benchmark: a SQLite file of TABLES tables of ROWS rows each (a key, an index and a
# self-reference on each), migrated by sqlite2pg with JOBS=4 and JOBS=1, side by side with psql restoring a plain
# pg_dump of the same migrated database in one transaction. Not a test: it asserts nothing about time; it prints
# ratios measured in one run. Usage (as root or the postgres user, PostgreSQL server binaries installed):
#
#   bash bench/many_tables.sh                 # TABLES=400 ROWS=200 REPEAT=3
#   TABLES=100 REPEAT=1 bash bench/many_tables.sh
#
# Settings: TABLES, ROWS, REPEAT, SQLITE2PG (the binary; default: cargo build --release --locked),
# RESULTS (where the Markdown table goes; default bench/results-many-tables.md), PGBIN (the server binaries).
# bench/run.sh runs it too, after its own measurements (SKIP_MANY_TABLES=1 leaves it out).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
TABLES=${TABLES:-400}
ROWS=${ROWS:-200}
REPEAT=${REPEAT:-3}
RESULTS=${RESULTS:-$here/results-many-tables.md}

log() { printf '[many-tables %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
[[ $TABLES =~ ^[0-9]+$ && $ROWS =~ ^[0-9]+$ && $REPEAT =~ ^[0-9]+$ ]] || die "TABLES, ROWS and REPEAT are whole numbers"

if [ -z "${SQLITE2PG:-}" ]; then
    (cd "$here/.." && cargo build --release --locked -q)
    SQLITE2PG=$here/../target/release/sqlite2pg
fi

# shellcheck source=../tests/lib/throwaway_pg.sh
. "$here/../tests/lib/throwaway_pg.sh"
start_throwaway_pg many-tables -c synchronous_commit=off -c full_page_writes=off -c max_locks_per_transaction=256
export PGPASSWORD=$password
sql() { psql -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"; }
fresh_db() { sql -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"; }

db=$tmp/many.sqlite
log "writing $TABLES tables of $ROWS rows into $db"
python3 - "$db" "$TABLES" "$ROWS" <<'EOF'
import sqlite3, sys
path, tables, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
c = sqlite3.connect(path)
for t in range(tables):
    name = f"t{t:04d}"
    c.execute(f'CREATE TABLE "{name}" (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES "{name}"(id), '
              f'name TEXT NOT NULL, score REAL, created TEXT)')
    c.execute(f'CREATE INDEX "{name}_name" ON "{name}"(name)')
    c.executemany(f'INSERT INTO "{name}" VALUES (?, ?, ?, ?, ?)',
                  [(i, i // 2 if i > 1 else None, f"row {i} of {name}", i * 0.25, f"2024-01-{1 + i % 28:02d} 12:00:00")
                   for i in range(1, rows + 1)])
c.commit()
EOF
[ "$(id -u)" = 0 ] && chown postgres "$db"

# measure NAME CMD...: wall seconds into $seconds
measure() {
    local name=$1 start end
    shift
    start=$(date +%s.%N)
    "$@" >"$tmp/$name.out" 2>&1 || { tail -n 30 "$tmp/$name.out" >&2; die "$name failed"; }
    end=$(date +%s.%N)
    seconds=$(python3 -c "print(f'{$end - $start:.3f}')")
}
jobs_run() {  # JOBS DB
    env -i PATH="$PATH" SQLITE_PATH="$db" DATABASE_URL="$(db_url "$2")" JOBS="$1" RUST_LOG=warn "$SQLITE2PG"
}
restore() { sql -d restored -1 -f "$tmp/dump.sql"; }

declare -a j4 j1 ref
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
for rep in $(seq 1 "$REPEAT"); do
    fresh_db jobs4; fresh_db jobs1; fresh_db restored
    sql -d restored -c "DROP SCHEMA public"  # the dump creates it
    measure jobs4 jobs_run 4 jobs4; j4+=("$seconds")
    measure jobs1 jobs_run 1 jobs1; j1+=("$seconds")
    as_pg env PGPASSWORD="$password" pg_dump -h 127.0.0.1 -p "$port" -U postgres --no-owner --no-privileges \
        -n public -n sqlite2pg -f "$tmp/dump.sql" jobs4
    measure restore restore; ref+=("$seconds")
    counts=$(sql -d jobs4 -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    [ "$counts" = "$TABLES" ] || die "jobs4 holds $counts tables, not $TABLES"
    log "run $rep: JOBS=4 ${j4[-1]} s, JOBS=1 ${j1[-1]} s, psql restoring pg_dump ${ref[-1]} s"
done

load_end=$(cut -d' ' -f1-3 /proc/loadavg)
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
m4=$(median "${j4[@]}"); m1=$(median "${j1[@]}"); mr=$(median "${ref[@]}")
python3 - "$m4" "$m1" "$mr" "$TABLES" "$ROWS" "$REPEAT" "$RESULTS" "${j4[*]}" "${j1[*]}" "${ref[*]}" \
    "$load_start" "$load_end" <<'EOF'
import sys
m4, m1, mr = map(float, sys.argv[1:4]); tables, rows, repeat, out = int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7]
runs = [" / ".join(f"{float(x):.2f}" for x in v.split()) for v in sys.argv[8:11]]
lines = [
    f"Many small tables: {tables} tables of {rows} rows (key, index, self-reference), median of {repeat} run(s)",
    f"(each run in seconds: JOBS=4 {runs[0]}; JOBS=1 {runs[1]}; reference {runs[2]}; "
    f"load average {sys.argv[11]} before, {sys.argv[12]} after)",
    "",
    "| load | seconds | ratio to the reference | ms per table |",
    "|---|---:|---:|---:|",
    f"| psql restoring a plain pg_dump of the migrated database, one transaction (reference) | {mr:.2f} | 1.00 | {1000 * mr / tables:.1f} |",
    f"| sqlite2pg, SCHEMA=auto, JOBS=4 | {m4:.2f} | {m4 / mr:.2f} | {1000 * m4 / tables:.1f} |",
    f"| sqlite2pg, SCHEMA=auto, JOBS=1 | {m1:.2f} | {m1 / mr:.2f} | {1000 * m1 / tables:.1f} |",
]
text = "\n".join(lines) + "\n"
open(out, "w").write(text)
print(text)
EOF
