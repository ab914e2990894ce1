#!/usr/bin/env bash
# Installs what the framework round trips (run.sh) need on a fresh Debian machine: ActiveRecord with its SQLite
# and PostgreSQL drivers from Debian, Django, SQLAlchemy and Peewee from PyPI into a virtualenv.
#
#   VENV  where the virtualenv goes (default: /tmp/sqlite2pg-frameworks-venv)
#
# Fails (non-zero) when anything cannot be installed; run.sh never skips a framework.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
venv=${VENV:-/tmp/sqlite2pg-frameworks-venv}

missing=()
for pkg in ruby-activerecord ruby-sqlite3 ruby-pg python3-venv; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "frameworks setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
fi
ruby -e 'require "active_record"; require "sqlite3"; require "pg"'

[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q -r "$here/requirements.txt"
"$venv/bin/python" -c 'import django, sqlalchemy, peewee, psycopg, psycopg2'
echo "frameworks setup: ready (venv $venv)"
