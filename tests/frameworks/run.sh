#!/usr/bin/env bash
# The framework round trips: Django, SQLAlchemy, Peewee and ActiveRecord each write their own field types on
# SQLite and create their own PostgreSQL tables; sqlite2pg copies (SCHEMA=none); the ORM reads the rows back
# from PostgreSQL and compares them with what it reads from SQLite. django_auto.py lets sqlite2pg create the
# PostgreSQL schema from Django's SQLite DDL instead (SCHEMA=auto) and checks that its constraints still hold.
# Run tests/frameworks/setup.sh first.
#
#   SQLITE2PG  the binary (default: target/release/sqlite2pg under the repo root); this script builds nothing
#   VENV       the virtualenv setup.sh made (default: /tmp/sqlite2pg-frameworks-venv)
#   PGBIN      folder of initdb/pg_ctl (default: from PATH, else the newest /usr/lib/postgresql/*/bin)
#
# Prints one line per framework; exits 1 on any failure. Nothing is skipped: a missing tool is a failure.
set -u -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
export SQLITE2PG=${SQLITE2PG:-$repo/target/release/sqlite2pg}
venv=${VENV:-/tmp/sqlite2pg-frameworks-venv}

die() { echo "frameworks: $*" >&2; exit 2; }
[ -x "$SQLITE2PG" ] || die "sqlite2pg binary not found: $SQLITE2PG (cargo build --release, or set SQLITE2PG)"
[ -x "$venv/bin/python" ] || die "no virtualenv at $venv: run tests/frameworks/setup.sh"
command -v ruby >/dev/null || die "ruby not found: run tests/frameworks/setup.sh"
# ---- throwaway cluster, password auth over TCP; a server time zone far from UTC, so a timestamp read without
# its offset would show
# shellcheck source=../lib/throwaway_pg.sh
. "$here/../lib/throwaway_pg.sh"
start_throwaway_pg frameworks -c TimeZone=Pacific/Auckland

# ---- one database and one SQLite file per framework --------------------------------------------------------
passed=0
failed=0
run() {
    local name=$1; shift
    psql -X -q -v ON_ERROR_STOP=1 "$(db_url postgres)" -c "CREATE DATABASE $name" >/dev/null || die "cannot create database $name"
    local start=$SECONDS
    if (cd "$here" && "$@" "$tmp/$name.sqlite3" "$(db_url "$name")") >"$tmp/$name.log" 2>&1; then
        echo "PASS $name ($((SECONDS - start))s): $(tail -n 1 "$tmp/$name.log")"; passed=$((passed + 1))
    else
        echo "FAIL $name"; sed 's/^/    /' "$tmp/$name.log"; failed=$((failed + 1))
    fi
}
run django "$venv/bin/python" django_roundtrip.py
run django_auto "$venv/bin/python" django_auto.py
run sqlalchemy "$venv/bin/python" sqlalchemy_roundtrip.py
run peewee "$venv/bin/python" peewee_roundtrip.py
run activerecord ruby activerecord_roundtrip.rb

echo "frameworks: $passed passed, $failed failed"
[ "$failed" = 0 ]
