#!/bin/sh
# Starts the real Synapse on this folder's fixture migrated the operator's way, as in the test
# a_database_seeded_by_the_real_synapse_migrates_with_its_ledgers_kept_and_its_sequences_tied (tests/it/seeded_target.rs):
# loads pg.sql (what Synapse's first start left), migrates sqlite.sql with SCHEMA=none, KEEP_TABLES (Synapse's
# schema ledgers), REPLACE_TABLES (the rest of the refusal's list) and SEQUENCES (its stream sequences), then starts
# the homeserver on the result: its start-up checks (each stream sequence against its tables and stream_positions)
# must pass without a fix-up, and the user registered in SQLite logs in, finds the room and its message through the
# full-text search and sends another message (the events sequence hands out a new stream position).
# With NO_SEQUENCES=1 it leaves SEQUENCES out and expects Synapse to refuse to start.
# Usage: verify.sh path/to/sqlite2pg postgresql://user:password@host:port/empty_db
#   the database must be created with LC_COLLATE='C' LC_CTYPE='C' TEMPLATE template0; needs python3, curl,
#   sqlite3 and psql
set -eu
bin=$1
url=$2
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
hs=
trap '[ -n "$hs" ] && kill "$hs" 2>/dev/null; rm -rf "$work"' EXIT
die() { echo "verify.sh: $*" >&2; exit 1; }

psql -qX -v ON_ERROR_STOP=1 "$url" -f "$here/pg.sql" >/dev/null
sqlite3 "$work/homeserver.db" < "$here/sqlite.sql"
sequences=events_stream_seq:events.stream_ordering,events_stream_seq:current_state_delta_stream.stream_id,\
events_stream_seq:ex_outlier_stream.event_stream_ordering,\
un_partial_stated_event_stream_sequence:un_partial_stated_event_stream.stream_id,\
un_partial_stated_room_stream_sequence:un_partial_stated_room_stream.stream_id,\
device_inbox_sequence:device_inbox.stream_id,device_inbox_sequence:device_federation_outbox.stream_id,\
account_data_sequence:room_account_data.stream_id,account_data_sequence:room_tags_revisions.stream_id,\
account_data_sequence:account_data.stream_id,receipts_sequence:receipts_linearized.stream_id,\
presence_stream_sequence:presence_stream.stream_id,event_auth_chain_id:event_auth_chains.chain_id,\
application_services_txn_id_seq:application_services_txns.txn_id,device_lists_sequence:device_lists_stream.stream_id,\
device_lists_sequence:user_signature_stream.stream_id,device_lists_sequence:device_lists_outbound_pokes.stream_id,\
device_lists_sequence:device_lists_changes_in_room.stream_id,device_lists_sequence:device_lists_remote_pending.stream_id,\
device_lists_sequence:device_lists_changes_converted_stream_position.stream_id,\
e2e_cross_signing_keys_sequence:e2e_cross_signing_keys.stream_id,push_rules_stream_sequence:push_rules_stream.stream_id,\
pushers_sequence:pushers.id,pushers_sequence:deleted_pushers.stream_id,\
quarantined_media_id_seq:quarantined_media_changes.stream_id,profile_updates_sequence:profile_updates.stream_id,\
thread_subscriptions_sequence:thread_subscriptions.stream_id,sticky_events_sequence:sticky_events.stream_id,\
state_group_id_seq:state_groups.id
[ "${NO_SEQUENCES:-}" = 1 ] && sequences=
SQLITE_PATH=$work/homeserver.db DATABASE_URL=$url SCHEMA=none \
    KEEP_TABLES=schema_version,schema_compat_version,applied_schema_deltas \
    REPLACE_TABLES=delayed_events_stream_pos,device_lists_changes_converted_stream_position,event_push_summary_stream_ordering,federation_stream_position,room_forgetter_stream_pos,scheduled_tasks,stats_incremental_position,user_directory_stream_pos \
    SEQUENCES=$sequences "$bin" >"$work/sqlite2pg.log" 2>&1 || { tail -n 30 "$work/sqlite2pg.log" >&2; die "sqlite2pg failed"; }

python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q matrix-synapse psycopg2-binary
py=$work/venv/bin/python
"$py" -m synapse.app.homeserver --server-name test.local --config-path "$work/base.yaml" --generate-config \
    --report-stats=no --data-directory "$work" >/dev/null
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
base["database"] = {"name": "psycopg2", "args": {"user": urllib.parse.unquote(u.username or ""),
                    "password": urllib.parse.unquote(u.password or ""), "dbname": u.path.lstrip("/"),
                    "host": u.hostname, "port": u.port or 5432, "cp_min": 1, "cp_max": 2}}
yaml.safe_dump(base, open(f"{work}/hs.yaml", "w"))
open(f"{work}/port", "w").write(str(port))
PY
base_url=http://127.0.0.1:$(cat "$work/port")
"$py" -m synapse.app.homeserver -c "$work/hs.yaml" >"$work/hs.log" 2>&1 &
hs=$!
i=0
until curl -sf "$base_url/health" >/dev/null; do
    i=$((i + 1))
    if ! kill -0 "$hs" 2>/dev/null; then
        hs=
        if [ "${NO_SEQUENCES:-}" = 1 ] && grep -q "is inconsistent with associated stream position" "$work/hs.log"; then
            echo "without SEQUENCES Synapse refuses to start, as expected:"
            grep -m1 "is inconsistent with associated stream position" "$work/hs.log"
            exit 0
        fi
        tail -n 30 "$work/hs.log" >&2
        die "synapse did not start"
    fi
    [ $i -lt 300 ] || die "synapse did not answer"
    sleep 1
done
[ "${NO_SEQUENCES:-}" != 1 ] || die "synapse started with its sequences behind"
# a sequence Synapse had to fix at start was left behind by the migration
if grep "is behind table" "$work/hs.log" >&2; then die "a sequence was behind its table"; fi
"$py" - "$base_url" <<'PY'
import json, sys, urllib.request
base = sys.argv[1]
def call(method, path, body=None, token=None):
    req = urllib.request.Request(base + path, method=method, headers={"Content-Type": "application/json"},
                                 data=None if body is None else json.dumps(body).encode())
    if token:
        req.add_header("Authorization", "Bearer " + token)
    return json.load(urllib.request.urlopen(req))
token = call("POST", "/_matrix/client/v3/login", {"type": "m.login.password",
             "identifier": {"type": "m.id.user", "user": "alice"}, "password": "correct horse battery"})["access_token"]
rooms = call("GET", "/_matrix/client/v3/joined_rooms", token=token)["joined_rooms"]
assert len(rooms) == 1, rooms
found = call("POST", "/_matrix/client/v3/search", {"search_categories": {"room_events": {"search_term": "hello"}}},
             token)["search_categories"]["room_events"]["results"]
assert [r["result"]["content"]["body"] for r in found] == ["hello"], found
call("PUT", f"/_matrix/client/v3/rooms/{rooms[0]}/send/m.room.message/verify1", {"msgtype": "m.text", "body": "after"},
     token)
chunk = call("GET", f"/_matrix/client/v3/rooms/{rooms[0]}/messages?dir=b&limit=2", token=token)["chunk"]
assert [e["content"].get("body") for e in chunk][:2] == ["after", "hello"], chunk
print("synapse started on the migrated database: login, room, search and a new message work")
PY
kill "$hs"
wait "$hs" || true
hs=
