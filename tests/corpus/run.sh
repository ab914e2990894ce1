#!/usr/bin/env bash
# The corpus suite: migrate every real-world SQLite file of the corpus into a throwaway PostgreSQL cluster with
# the sqlite2pg binary, check exit code and stderr against expected.tsv, and compare every value (compare.py).
#
#   SQLITE2PG   the binary (default: target/release/sqlite2pg under the repo root); this script builds nothing
#   CORPUS_DIR  the corpus folder (default: ../shared/corpus next to the repo root), read in place
#   PGBIN       folder of initdb/pg_ctl (default: from PATH, else the newest /usr/lib/postgresql/*/bin)
#
# Prints one PASS/FAIL line per corpus file, then "corpus: N passed, N failed"; exits 1 on any failure.
set -u -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${SQLITE2PG:-$repo/target/release/sqlite2pg}
corpus=${CORPUS_DIR:-$repo/../shared/corpus}
expected="$here/expected.tsv"

die() { echo "corpus: $*" >&2; exit 2; }

[ -d "$corpus" ] || die "corpus folder not found: $corpus (set CORPUS_DIR)"
corpus=$(cd "$corpus" && pwd)
[ -x "$bin" ] || die "sqlite2pg binary not found or not executable: $bin (build it with cargo build --release, or set SQLITE2PG)"
[ -f "$expected" ] || die "missing $expected"
command -v python3 >/dev/null || die "python3 not found"
command -v psql >/dev/null || die "psql not found"

if ! python3 -c 'import psycopg' 2>/dev/null; then
    echo "corpus: installing psycopg" >&2
    python3 -m pip install -q -r "$here/requirements.txt" || die "cannot install $here/requirements.txt"
fi

# ---- throwaway cluster (the password travels only inside the URLs: no PGPASSWORD, so the tool cannot lean on it)
# shellcheck source=../lib/throwaway_pg.sh
. "$here/../lib/throwaway_pg.sh"
start_throwaway_pg corpus -c synchronous_commit=off -c full_page_writes=off
sql() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$(db_url "$1")" -c "$2"; }

# ---- comparator unit tests -------------------------------------------------------------------------------
failed_extra=0
sql postgres "CREATE DATABASE compare_selftest" >/dev/null || die "cannot create database compare_selftest"
if COMPARE_TEST_URL="$(db_url compare_selftest)" python3 -m unittest -q "$here/test_compare.py" >"$tmp/unittest.log" 2>&1 \
    && ! grep -q skipped "$tmp/unittest.log"; then
    echo "PASS compare.py unit tests"
else
    echo "FAIL compare.py unit tests"; sed 's/^/    /' "$tmp/unittest.log"
    failed_extra=1
fi

# ---- expectations ----------------------------------------------------------------------------------------
declare -A exp_code exp_text
while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in ''|'#'*) continue ;; esac
    file=${line%%$'\t'*}
    rest=${line#*$'\t'}
    exp_code[$file]=${rest%%$'\t'*}
    if [ "$rest" = "${rest#*$'\t'}" ]; then exp_text[$file]=-; else exp_text[$file]=${rest#*$'\t'}; fi
done < "$expected"

passed=0
failed=0
declare -A present

# the state of the corpus folder, to prove the tool never writes to its source
snapshot() { (cd "$corpus" && ls -A | LC_ALL=C sort && sha256sum -- *.sqlite); }

user_objects() {  # relations, types and schemas a failed run must not leave behind
    sql "$1" "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%')
                   + (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%')
                   + (SELECT count(*) FROM pg_namespace
                      WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'public')
                        AND nspname NOT LIKE 'pg_toast%' AND nspname NOT LIKE 'pg_temp%')"
}

i=0
for path in "$corpus"/*.sqlite; do
    [ -e "$path" ] || continue
    file=$(basename "$path")
    present[$file]=1
    i=$((i + 1))
    db="corpus_$i"
    out="$tmp/$i"
    mkdir -p "$out"
    why=()
    if [ -z "${exp_code[$file]+x}" ]; then
        echo "FAIL $file: not listed in expected.tsv"
        failed=$((failed + 1))
        continue
    fi
    want=${exp_code[$file]}
    sql postgres "CREATE DATABASE \"$db\"" >/dev/null || die "cannot create database $db"
    before=$(snapshot)
    start=$(date +%s.%N)
    SQLITE_PATH="$path" DATABASE_URL="$(db_url "$db")" WAIT_TIMEOUT=30 LOCK_TIMEOUT=30 \
        timeout 900 "$bin" >"$out/stdout" 2>"$out/stderr"
    got=$?
    secs=$(python3 -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$start" "$(date +%s.%N)")
    after=$(snapshot)
    [ "$before" = "$after" ] || why+=("the corpus folder changed during the run (files added or a source file modified)")
    [ "$got" = "$want" ] || why+=("exit code $got, expected $want")
    if [ "${exp_text[$file]}" != "-" ]; then
        IFS=$'\t' read -r -a needles <<< "${exp_text[$file]}"
        for needle in "${needles[@]}"; do
            grep -qF -- "$needle" "$out/stderr" || why+=("stderr lacks: $needle")
        done
    fi
    if [ "$got" = 0 ] && [ "$want" = 0 ]; then
        if ! python3 "$here/compare.py" "$path" "$(db_url "$db")" >"$out/compare" 2>&1; then
            why+=("compare.py found differences")
        fi
    elif [ "$want" != 0 ]; then
        left=$(user_objects "$db" 2>&1)
        [ "$left" = 0 ] || why+=("the failed run left objects in the target database ($left)")
    fi
    if [ ${#why[@]} -eq 0 ]; then
        echo "PASS $file (exit $got, ${secs}s)"
        passed=$((passed + 1))
    else
        echo "FAIL $file (${secs}s)"
        for w in "${why[@]}"; do echo "    $w"; done
        if [ -s "$out/compare" ] && [ "$got" = 0 ]; then sed 's/^/    compare: /' "$out/compare" | head -n 40; fi
        if [ "$got" != "$want" ] || [ ${#why[@]} -gt 0 ]; then sed 's/^/    stderr: /' "$out/stderr" | tail -n 15; fi
        failed=$((failed + 1))
    fi
    [ "$file" = chinook.sqlite ] && chinook_db=$db && chinook_ok=$got
done

for file in "${!exp_code[@]}"; do
    if [ -z "${present[$file]+x}" ]; then
        echo "FAIL $file: listed in expected.tsv but not in $corpus"
        failed=$((failed + 1))
    fi
done

# ---- comparator self-check: a changed value must be found and located --------------------------------------
if [ -n "${chinook_db:-}" ] && [ "${chinook_ok:-1}" = 0 ]; then
    sql "$chinook_db" "UPDATE \"Track\" SET \"Name\" = \"Name\" || ' ' WHERE \"TrackId\" = 7;
                       UPDATE \"InvoiceLine\" SET \"UnitPrice\" = \"UnitPrice\" + 0.01 WHERE \"InvoiceLineId\" = 11;
                       DELETE FROM \"PlaylistTrack\" WHERE \"PlaylistId\" = 1 AND \"TrackId\" = 3402" >/dev/null
    python3 "$here/compare.py" "$corpus/chinook.sqlite" "$(db_url "$chinook_db")" >"$tmp/selfcheck" 2>&1
    rc=$?
    if [ "$rc" = 1 ] && grep -qF 'table "Track": column "Name": rowid 7:' "$tmp/selfcheck" \
        && grep -qF 'table "InvoiceLine": column "UnitPrice": rowid 11:' "$tmp/selfcheck" \
        && grep -qF 'table "PlaylistTrack": row count sqlite 8715, postgresql 8714' "$tmp/selfcheck"; then
        echo "PASS compare.py self-check (tampered chinook detected)"
    else
        echo "FAIL compare.py self-check (exit $rc; tampered values not reported as expected)"
        sed 's/^/    /' "$tmp/selfcheck" | head -n 20
        failed_extra=1
    fi
else
    echo "SKIP compare.py self-check (chinook did not migrate)"
fi

echo "corpus: $passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$failed_extra" = 0 ]
