#!/usr/bin/env bash
# The large-values check: a SQLite file with a BLOB and a TEXT of SIZE bytes each (default 999,999,000, in two
# rows), migrated by sqlite2pg (SCHEMA=auto, JOBS=4, then JOBS=1) under /usr/bin/time -v. Checks the SHA-256 of both
# values in PostgreSQL against the same digest of SQLite's bytes, and prints each run's peak memory (RSS) and time.
# Exits 1 when a digest differs or the peak is not below LIMIT_MB. Not part of the test suites. Usage (as root or
# the postgres user, PostgreSQL server binaries installed, about 3 x SIZE of free disk and of memory for PostgreSQL):
#
#   bash bench/large_values.sh
#   SIZE=100000000 bash bench/large_values.sh
#
# Settings: SIZE (bytes per value), LIMIT_MB (default 64), SQLITE2PG (the binary; default: cargo build --release
# --locked), RESULTS (where the Markdown report goes; default bench/results-large-values.md).
#
# Why not 1,000,000,000: SQLite's default SQLITE_MAX_LENGTH (1,000,000,000 bytes, the most Debian's and Python's
# SQLite take) bounds a whole row's record, header included, so a stock SQLite cannot write a value of exactly that
# size; 999,999,000 bytes leaves room for the row's header.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
SIZE=${SIZE:-999999000}
LIMIT_MB=${LIMIT_MB:-64}
RESULTS=${RESULTS:-$here/results-large-values.md}

log() { printf '[large-values %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
[[ $SIZE =~ ^[0-9]+$ && $LIMIT_MB =~ ^[0-9]+$ ]] || die "SIZE and LIMIT_MB are whole numbers"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"

if [ -z "${SQLITE2PG:-}" ]; then
    (cd "$here/.." && cargo build --release --locked -q)
    SQLITE2PG=$here/../target/release/sqlite2pg
fi

# shellcheck source=../tests/lib/throwaway_pg.sh
. "$here/../tests/lib/throwaway_pg.sh"
# one 1 GB field needs about three times that in the server process that receives it; no WAL for the new tables
start_throwaway_pg large-values -c synchronous_commit=off -c full_page_writes=off -c wal_level=minimal \
    -c max_wal_senders=0 -c max_wal_size=8GB
export PGPASSWORD=$password
sql() { psql -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"; }

db=$tmp/large.sqlite
log "writing a BLOB and a TEXT of $SIZE bytes each into $db"
# The values are written through SQLite's incremental blob I/O in 1 MiB pieces, so this script holds one piece at a
# time. A TEXT cannot be written that way (a blob handle keeps the value's storage class): it is written as a
# BLOB of UTF-8 and made TEXT by one UPDATE, for which SQLite itself holds the value in memory once or twice.
digests=$(python3 - "$db" "$SIZE" <<'EOF'
import hashlib, os, sqlite3, sys
path, size = sys.argv[1], int(sys.argv[2])
piece = 1 << 20
c = sqlite3.connect(path)
c.execute("CREATE TABLE big (id INTEGER PRIMARY KEY, b BLOB, t TEXT, note TEXT)")
c.execute("INSERT INTO big VALUES (1, zeroblob(?), NULL, 'the blob'), (2, NULL, zeroblob(?), 'the text')", (size, size))
c.execute("INSERT INTO big VALUES (3, x'00ff', 'small', NULL), (4, NULL, NULL, NULL)")
c.commit()

def write(column, rowid, pieces):
    with c.blobopen("big", column, rowid) as blob:
        for p in pieces:
            blob.write(p)
    c.commit()

def noise():
    left = size
    while left:
        n = min(piece, left)
        yield os.urandom(n)
        left -= n

# characters of one to four bytes in a unit of 43 bytes, an odd number: the 64 KiB pieces of the
# copy cut them at every offset; the end is padded with ASCII to exactly SIZE bytes
unit = "Grüße, 世界! 😀 naïve café — ok; ".encode()
def text():
    block = unit * (piece // len(unit))
    left = size
    while left >= len(block):
        yield block
        left -= len(block)
    tail = unit * (left // len(unit))
    yield tail + b"x" * (left - len(tail))

write("b", 1, noise())
write("t", 2, text())
c.execute("UPDATE big SET t = CAST(t AS TEXT) WHERE id = 2")
c.commit()

def digest(column, rowid):
    h = hashlib.sha256()
    with c.blobopen("big", column, rowid, readonly=True) as blob:
        while chunk := blob.read(piece):
            h.update(chunk)
    return h.hexdigest()

kinds = c.execute("SELECT typeof(b) || ' ' || typeof(t) FROM big WHERE id IN (1, 2) ORDER BY id").fetchall()
assert kinds == [("blob null",), ("null text",)], kinds
print(digest("b", 1), digest("t", 2))
EOF
)
read -r sqlite_blob sqlite_text <<<"$digests"
[ "$(id -u)" = 0 ] && chown postgres "$db"
log "sqlite: blob $sqlite_blob, text $sqlite_text; file $(du -h "$db" | cut -f1)"

declare -a rows
failed=0
for jobs in 4 1; do
    name=jobs$jobs
    sql -d postgres -c "CREATE DATABASE $name"
    log "JOBS=$jobs: migrating"
    env -i PATH="$PATH" SQLITE_PATH="$db" DATABASE_URL="$(db_url "$name")" JOBS="$jobs" RUST_LOG=info \
        /usr/bin/time -v "$SQLITE2PG" >"$tmp/$name.out" 2>&1 || { tail -n 40 "$tmp/$name.out" >&2; die "JOBS=$jobs failed"; }
    peak_kb=$(sed -n 's/^\s*Maximum resident set size (kbytes): //p' "$tmp/$name.out")
    wall=$(sed -n 's/^\s*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tmp/$name.out")
    got=$(sql -d "$name" -c "SELECT encode(sha256(b), 'hex') || ' ' || octet_length(b) FROM big WHERE id = 1" \
              -c "SELECT encode(sha256(convert_to(t, 'UTF8')), 'hex') || ' ' || octet_length(t) FROM big WHERE id = 2")
    pg_blob=$(sed -n 1p <<<"$got"); pg_text=$(sed -n 2p <<<"$got")
    small=$(sql -d "$name" -c "SELECT string_agg(id || ':' || coalesce(encode(b, 'hex'), '-') || ':' || coalesce(t, '-'), ',' ORDER BY id) FROM big WHERE id > 2")
    same=yes
    [ "$pg_blob" = "$sqlite_blob $SIZE" ] && [ "$pg_text" = "$sqlite_text $SIZE" ] && [ "$small" = "3:00ff:small,4:-:-" ] || same=no
    peak_mb=$(python3 -c "print(f'{$peak_kb / 1024:.1f}')")
    log "JOBS=$jobs: peak RSS $peak_mb MB, wall $wall, digests match: $same"
    grep -E 'copied|to choose the column types' "$tmp/$name.out" | sed 's/^/    /' >&2 || true
    rows+=("| $jobs | $peak_mb | $wall | $same |")
    [ "$same" = yes ] || { log "postgresql: blob $pg_blob, text $pg_text, small rows $small"; failed=1; }
    python3 -c "import sys; sys.exit(0 if $peak_kb < $LIMIT_MB * 1024 else 1)" || { log "peak RSS is not below $LIMIT_MB MB"; failed=1; }
    sql -d postgres -c "DROP DATABASE $name WITH (FORCE)"  # its disk, before the next run
done

{
    echo "Large values: a BLOB and a TEXT of $SIZE bytes each (two rows of one table), SCHEMA=auto"
    echo
    echo "| JOBS | peak RSS (MB) | wall time (h:mm:ss or m:ss) | SHA-256 and length of both in PostgreSQL = SQLite's |"
    echo "|---:|---:|---:|---|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "SQLite's digests: BLOB \`$sqlite_blob\`, TEXT \`$sqlite_text\`."
} >"$RESULTS"
cat "$RESULTS"
exit "$failed"
