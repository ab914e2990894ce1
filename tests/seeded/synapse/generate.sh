#!/bin/sh
# Writes pg.sql and sqlite.sql here with the real Synapse (matrix-synapse from PyPI; 1.163.2 wrote the files in
# this folder), started as a homeserver the way an operator starts it:
#   pg.sql     what the homeserver's first start leaves in an empty PostgreSQL database (its schema, its schema
#              ledgers, its stream positions and sequences), once its background updates are done and it is
#              stopped, as pg_dump --inserts
#   sqlite.sql a Synapse SQLite database after its first start and a little use (an admin user registered with
#              the shared secret, a private room created and one message sent through the client API), background
#              updates done and the homeserver stopped, as sqlite3 .dump
# tests/seeded/synapse/verify.sh starts Synapse on this fixture once migrated.
# Usage: generate.sh postgresql://user:password@host:port/empty_db
#   the database must be created with LC_COLLATE='C' LC_CTYPE='C' TEMPLATE template0 (Synapse refuses others);
#   needs python3, curl, sqlite3, psql and pg_dump
set -eu
url=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
hs=
trap '[ -n "$hs" ] && kill "$hs" 2>/dev/null; rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q matrix-synapse psycopg2-binary
py=$work/venv/bin/python
"$py" -m synapse.app.homeserver --server-name test.local --config-path "$work/base.yaml" --generate-config \
    --report-stats=no --data-directory "$work" >/dev/null
# two configs from the generated one: PostgreSQL at $url, SQLite in $work; a free port on 127.0.0.1, no key server,
# logs on stderr
"$py" - "$url" "$work" <<'PY'
import socket, sys, urllib.parse, yaml
url, work = sys.argv[1], sys.argv[2]
base = yaml.safe_load(open(f"{work}/base.yaml"))
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
base["listeners"] = [{"port": port, "bind_addresses": ["127.0.0.1"], "type": "http", "tls": False,
                      "x_forwarded": False, "resources": [{"names": ["client"], "compress": False}]}]
base["trusted_key_servers"] = []
del base["log_config"]
u = urllib.parse.urlparse(url)
pg = {"name": "psycopg2", "args": {"user": urllib.parse.unquote(u.username or ""),
      "password": urllib.parse.unquote(u.password or ""), "dbname": u.path.lstrip("/"),
      "host": u.hostname, "port": u.port or 5432, "cp_min": 1, "cp_max": 2}}
sq = {"name": "sqlite3", "args": {"database": f"{work}/homeserver.db"}}
for name, db in (("pg", pg), ("sqlite", sq)):
    yaml.safe_dump(dict(base, database=db, pid_file=f"{work}/{name}.pid"), open(f"{work}/{name}.yaml", "w"))
open(f"{work}/port", "w").write(str(port))
PY
base_url=http://127.0.0.1:$(cat "$work/port")

# start NAME: the homeserver on $work/NAME.yaml, until it answers /health
start() {
    "$py" -m synapse.app.homeserver -c "$work/$1.yaml" >"$work/$1.log" 2>&1 &
    hs=$!
    i=0
    until curl -sf "$base_url/health" >/dev/null; do
        i=$((i + 1))
        kill -0 "$hs" 2>/dev/null && [ $i -lt 300 ] || { tail -n 30 "$work/$1.log" >&2; exit 1; }
        sleep 1
    done
}
# stop_when_done COUNT_COMMAND: waits until the background updates are done (COUNT_COMMAND prints how many are
# left), then stops the homeserver (SIGTERM: a clean shutdown)
stop_when_done() {
    i=0
    while [ "$("$@")" != 0 ]; do
        i=$((i + 1))
        [ $i -lt 600 ] || { echo "background updates not done" >&2; exit 1; }
        sleep 1
    done
    kill "$hs"
    wait "$hs" || true
    hs=
}

start pg
stop_when_done psql "$url" -tAXc 'SELECT count(*) FROM background_updates'

start sqlite
"$work/venv/bin/register_new_matrix_user" -c "$work/sqlite.yaml" -u alice -p 'correct horse battery' -a "$base_url" >/dev/null
"$py" - "$base_url" <<'PY'
import json, sys, urllib.request
base = sys.argv[1]
def call(method, path, body, token=None):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method=method,
                                 headers={"Content-Type": "application/json"})
    if token:
        req.add_header("Authorization", "Bearer " + token)
    return json.load(urllib.request.urlopen(req))
token = call("POST", "/_matrix/client/v3/login", {"type": "m.login.password",
             "identifier": {"type": "m.id.user", "user": "alice"}, "password": "correct horse battery"})["access_token"]
room = call("POST", "/_matrix/client/v3/createRoom", {"name": "fixture", "preset": "private_chat"}, token)["room_id"]
call("PUT", f"/_matrix/client/v3/rooms/{room}/send/m.room.message/txn1", {"msgtype": "m.text", "body": "hello"}, token)
PY
stop_when_done sqlite3 "$work/homeserver.db" 'SELECT count(*) FROM background_updates'

pg_dump --no-owner --no-privileges --no-comments --inserts "$url" | grep -v '^\\\(un\)\?restrict' | grep -v '^--' | cat -s > "$here/pg.sql"
sqlite3 "$work/homeserver.db" .dump > "$here/sqlite.sql"
