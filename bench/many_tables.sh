#!/usr/bin/env bash
# The many-small-tables benchmark: a SQLite file of TABLES tables of ROWS rows each (a key, an index and a
# self-reference on each), migrated by sqlite2pg with JOBS=4 and JOBS=1, side by side with psql restoring a plain
# pg_dump of the same migrated database in one transaction, in an order that turns from one repetition to the
# next. Not a test: it asserts nothing about time; it prints ratios measured in one run. Usage (as root or the postgres user, PostgreSQL server binaries installed):
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

# CPU seconds the server's ended processes (its backends) used: the postmaster's children times
postmaster=$(head -n 1 "$tmp/data/postmaster.pid")
tick=$(getconf CLK_TCK)
server_cpu() { awk -v t="$tick" '{print ($16 + $17) / t}' "/proc/$postmaster/stat"; }
# wait until the server has no client backend left (they exit just after their client), so its time is counted
settled() {
    local _
    for _ in $(seq 100); do pgrep -P "$postmaster" -f '^postgres: postgres ' >/dev/null || return 0; sleep 0.05; done
}

# measure NAME CMD...: wall seconds into $seconds, CPU seconds of the server's backends and of the client into $cpu
measure() {
    local name=$1 start end before
    shift
    settled
    before=$(server_cpu)
    start=$(date +%s.%N)
    { TIMEFORMAT='%U %S'; time "$@" >"$tmp/$name.out" 2>&1; } 2>"$tmp/$name.time" \
        || { tail -n 30 "$tmp/$name.out" >&2; die "$name failed"; }
    end=$(date +%s.%N)
    settled
    seconds=$(python3 -c "print(f'{$end - $start:.3f}')")
    cpu=$(awk -v s="$(server_cpu)" -v b="$before" '{printf "%.2f", s - b + $1 + $2}' "$tmp/$name.time")
}
jobs_run() {  # JOBS DB
    env -i PATH="$PATH" SQLITE_PATH="$db" DATABASE_URL="$(db_url "$2")" JOBS="$1" RUST_LOG=warn "$SQLITE2PG"
}
restore() { sql -d restored -1 -f "$tmp/dump.sql"; }

# the reference restores a pg_dump of the first JOBS=4 result, made once, before the measurements
fresh_db jobs4
jobs_run 4 jobs4 >"$tmp/dump-source.out" 2>&1 \
    || { tail -n 30 "$tmp/dump-source.out" >&2; die "the run to dump failed"; }
as_pg env PGPASSWORD="$password" pg_dump -h 127.0.0.1 -p "$port" -U postgres --no-owner --no-privileges \
    -n public -n sqlite2pg -f "$tmp/dump.sql" jobs4

# each load into a fresh database, after a checkpoint; the order turns from one repetition to the next, so that no
# load is always the one that comes first
run_one() {  # j4 | j1 | ref
    case $1 in
        j4) fresh_db jobs4; sql -d postgres -c CHECKPOINT
            measure jobs4 jobs_run 4 jobs4; j4+=("$seconds"); c4+=("$cpu")
            counts=$(sql -d jobs4 -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            [ "$counts" = "$TABLES" ] || die "jobs4 holds $counts tables, not $TABLES" ;;
        j1) fresh_db jobs1; sql -d postgres -c CHECKPOINT
            measure jobs1 jobs_run 1 jobs1; j1+=("$seconds"); c1+=("$cpu") ;;
        ref) fresh_db restored; sql -d restored -c "DROP SCHEMA public"  # the dump creates it
             sql -d postgres -c CHECKPOINT; measure restore restore; ref+=("$seconds"); cr+=("$cpu") ;;
    esac
}
declare -a j4 j1 ref c4 c1 cr
order=(j4 j1 ref)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
for rep in $(seq 1 "$REPEAT"); do
    for n in 0 1 2; do run_one "${order[(rep - 1 + n) % 3]}"; done
    log "run $rep: JOBS=4 ${j4[-1]} s, JOBS=1 ${j1[-1]} s, psql restoring pg_dump ${ref[-1]} s"
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
m4=$(median "${j4[@]}"); m1=$(median "${j1[@]}"); mr=$(median "${ref[@]}")
n4=$(median "${c4[@]}"); n1=$(median "${c1[@]}"); nr=$(median "${cr[@]}")
python3 - "$m4" "$m1" "$mr" "$n4" "$n1" "$nr" "$TABLES" "$ROWS" "$REPEAT" "$RESULTS" "${j4[*]}" "${j1[*]}" "${ref[*]}" \
    "$load_start" "$load_end" <<'EOF'
import sys
m4, m1, mr, n4, n1, nr = map(float, sys.argv[1:7])
tables, rows, repeat, out = int(sys.argv[7]), int(sys.argv[8]), sys.argv[9], sys.argv[10]
runs = [" / ".join(f"{float(x):.2f}" for x in v.split()) for v in sys.argv[11:14]]
times = [[float(x) for x in v.split()] for v in sys.argv[11:14]]
def per_run(i):  # the median of each repetition's own ratio to the reference
    r = sorted(a / b for a, b in zip(times[i], times[2]))
    return (r[len(r) // 2] + r[(len(r) - 1) // 2]) / 2
row = lambda name, m, n, i: (f"| {name} | {m:.2f} | {m / mr:.2f} | {per_run(i):.2f} | {1000 * m / tables:.1f} "
                             f"| {n:.2f} | {n / nr:.2f} |")
lines = [
    f"Many small tables: {tables} tables of {rows} rows (key, index, self-reference), median of {repeat} run(s), "
    "in an order that turns from one run to the next",
    f"(each run in seconds: JOBS=4 {runs[0]}; JOBS=1 {runs[1]}; reference {runs[2]}; "
    f"load average {sys.argv[14]} before, {sys.argv[15]} after)",
    "",
    "| load | seconds | ratio to the reference | median of each run's ratio | ms per table | CPU seconds | CPU ratio |",
    "|---|---:|---:|---:|---:|---:|---:|",
    row("psql restoring a plain pg_dump of the migrated database, one transaction (reference)", mr, nr, 2),
    row("sqlite2pg, SCHEMA=auto, JOBS=4", m4, n4, 0),
    row("sqlite2pg, SCHEMA=auto, JOBS=1", m1, n1, 1),
    "",
    "Seconds: median wall time. CPU seconds: median of what the server's backends and the client used together.",
]
text = "\n".join(lines) + "\n"
open(out, "w").write(text)
print(text)
EOF
