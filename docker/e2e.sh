#!/usr/bin/env bash
# End-to-end test of sqlite2pg's container side on the local Docker engine, with no registry:
#   - builds (or reuses) local stand-ins for postgres:16-alpine and distroless cc (docker/build-base-images.sh)
#   - builds sqlite2pg (cargo build --release --locked) and its image from the real Dockerfile (`prebuilt` target)
#   - runs the real docker-compose.yml with docker/compose.e2e.yml, which swaps only image names and the build
# Scenarios:
#   (0) the image: under 40 MB, non-root, no shell, the binary runs
#   (1) the stack comes up: migrate exits 0, the backend starts and sees every row of the SQLite file
#   (2) a second `up` skips quickly ("already migrated") and the backend starts again
#   (3) a corrupt SQLite file: migrate exits non-zero, the backend never starts, nothing is committed
#   (4) two migrate replicas at once: both exit 0, exactly one copies, the data is there once
#   (5) the Prisma example's compose (examples/prisma): postgres healthy, then migrate with SCHEMA=schema.prisma
#       exits 0; the tables, keys and enums carry Prisma's names and hold every row of dev.db
# Prints PASS/FAIL per scenario and 'N passed, N failed'; exits non-zero if any failed. Every container,
# network and volume it made is removed on exit (compose project names start with s2pe2e).
#
# Settings: E2E_BINARY=path (use this binary instead of building one), KEEP_IMAGE=1 (keep the sqlite2pg
# image), E2E_KEEP=1 (leave the stacks running for a look; clean up later with the printed commands),
# plus those of docker/build-base-images.sh.
set -Euo pipefail
# (under pipefail, `cmd | grep -q` can fail when grep exits early and cmd dies of SIGPIPE: pipelines grep to /dev/null)

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 1

run_id="s2pe2e$(date +%s)$$"
work="$(mktemp -d "${TMPDIR:-/tmp}/sqlite2pg-e2e.XXXXXX")"
projects=()
passed=0
failed=0
placed_binary=0
export E2E_SQLITE2PG_IMAGE="sqlite2pg-e2e:$run_id"

say() { printf '[e2e] %s\n' "$*"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

if docker compose version >/dev/null 2>&1; then
	DC=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
	DC=(docker-compose)
else
	say 'FAIL: neither "docker compose" nor docker-compose is installed'
	exit 1
fi

# dc PROJECT ARGS...: compose on the real file plus the e2e override, settings from a copy of .env.example
# (bounded by DC_TIMEOUT seconds; a variable set in front of it, like SQLITE_FILE=..., overrides the env file)
dc() {
	local project="$1"
	shift
	timeout "${DC_TIMEOUT:-300}" "${DC[@]}" --ansi never -p "$project" --env-file "$work/e2e.env" \
		-f "$root/docker-compose.yml" -f "$root/docker/compose.e2e.yml" "$@"
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	if [ "${E2E_KEEP:-0}" = 1 ]; then
		say "E2E_KEEP=1: left running; remove with: for p in ${projects[*]}; do ${DC[*]} -p \$p down -v; done"
		exit "$rc"
	fi
	for p in "${projects[@]}"; do
		dc "$p" down -v --remove-orphans -t 5 >/dev/null 2>&1 || true
		# belt and braces: anything compose left behind that carries the project's label
		docker ps -aq --filter "label=com.docker.compose.project=$p" | xargs -r docker rm -fv >/dev/null 2>&1 || true
		docker network ls -q --filter "label=com.docker.compose.project=$p" | xargs -r docker network rm >/dev/null 2>&1 || true
		docker volume ls -q --filter "label=com.docker.compose.project=$p" | xargs -r docker volume rm >/dev/null 2>&1 || true
	done
	if [ "${KEEP_IMAGE:-0}" != 1 ]; then
		docker image rm "$E2E_SQLITE2PG_IMAGE" >/dev/null 2>&1 || true
	fi
	[ "$placed_binary" = 1 ] && rm -f "$root/docker/prebuilt/sqlite2pg"
	rm -rf "$work"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

result() { # result PASS|FAIL "what"
	if [ "$1" = PASS ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
	printf '%s: %s\n' "$1" "$2"
}

# container ids of a service in a project (running or not)
cids() { docker ps -aq --filter "label=com.docker.compose.project=$1" --filter "label=com.docker.compose.service=$2"; }
state() { docker inspect -f "$2" "$1" 2>/dev/null; }
exit_code() { state "$1" '{{.State.ExitCode}}'; }
# seconds a container ran (finished - started)
ran_for() {
	python3 - "$(state "$1" '{{.State.StartedAt}}')" "$(state "$1" '{{.State.FinishedAt}}')" <<-'PY'
		import sys, datetime as dt
		def t(s):
		    s = s.rstrip("Z")
		    s = s[:26] if "." in s else s
		    return dt.datetime.fromisoformat(s)
		print(f"{(t(sys.argv[2]) - t(sys.argv[1])).total_seconds():.1f}")
	PY
}
show_logs() { # show_logs CONTAINER [LINES]
	docker logs --tail "${2:-15}" "$1" 2>&1 | sed 's/^/    | /'
}

# wait_ready PROJECT: wait for the backend's "backend: ready" line; echo its container id
wait_ready() {
	local deadline=$((SECONDS + 60)) id
	while [ "$SECONDS" -lt "$deadline" ]; do
		id="$(cids "$1" backend | head -n1)"
		if [ -n "$id" ] && docker logs "$id" 2>&1 | grep '^backend: ready' >/dev/null; then
			echo "$id"
			return 0
		fi
		sleep 1
	done
	return 1
}

# backend_counts CONTAINER: "table rows" lines the backend printed (its first report)
backend_counts() {
	docker logs "$1" 2>&1 | sed -n '1,/^backend: ready/p' | sed -n 's/^backend: table \([^ ]*\) rows=\([0-9]*\)$/\1 \2/p' | sort
}

# sqlite_counts FILE: "table rows" for every table of the SQLite file
sqlite_counts() {
	python3 - "$1" <<-'PY'
		import sqlite3, sys
		con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
		names = [r[0] for r in con.execute(
		    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'")]
		for name in sorted(names):
		    n = con.execute('SELECT count(*) FROM "%s"' % name.replace('"', '""')).fetchone()[0]
		    print(name, n)
	PY
}

# psql_in PROJECT SQL: run a query in the project's postgres container (socket, as the superuser)
psql_in() {
	local pg
	pg="$(cids "$1" postgres | head -n1)"
	docker exec "$pg" psql -X -A -t -q -U "$pg_user" -d "$pg_db" -c "$2"
}

# ---- setup ----------------------------------------------------------------------------------------------
t_all="$(now)"
say "compose: ${DC[*]} ($("${DC[@]}" version --short 2>/dev/null || echo '?')), run id $run_id"

say 'base images (cached between runs)'
if ! docker/build-base-images.sh >"$work/base.env" 2>"$work/base.log"; then
	cat "$work/base.log"
	say 'FAIL: could not build the base images'
	exit 1
fi
sed 's/^/    /' "$work/base.log"
E2E_POSTGRES_IMAGE="$(sed -n 's/^POSTGRES_IMAGE=//p' "$work/base.env")"
E2E_RUNTIME_IMAGE="$(sed -n 's/^RUNTIME_IMAGE=//p' "$work/base.env")"
export E2E_POSTGRES_IMAGE E2E_RUNTIME_IMAGE

if [ -n "${E2E_BINARY:-}" ]; then
	binary="$E2E_BINARY"
	say "binary: $binary (E2E_BINARY)"
else
	say 'binary: cargo build --release --locked'
	t0="$(now)"
	if ! cargo build --release --locked >"$work/cargo.log" 2>&1; then
		tail -n 30 "$work/cargo.log"
		say 'FAIL: cargo build failed'
		exit 1
	fi
	binary="$root/target/release/sqlite2pg"
	say "binary built in $(since "$t0")s"
fi
if [ -e "$root/docker/prebuilt/sqlite2pg" ]; then
	say 'FAIL: docker/prebuilt/sqlite2pg exists already (left by hand?); remove it first'
	exit 1
fi
install -m 0755 "$binary" "$root/docker/prebuilt/sqlite2pg"
placed_binary=1
# the Dockerfile's build stage strips symbols (CARGO_PROFILE_RELEASE_STRIP); do the same to the copy
strip --strip-unneeded "$root/docker/prebuilt/sqlite2pg" 2>/dev/null || true

# settings: the documented defaults, exactly as a user gets them with `cp .env.example .env`
cp "$root/.env.example" "$work/e2e.env"
pg_user="$(sed -n 's/^POSTGRES_USER=//p' "$work/e2e.env")"
pg_db="$(sed -n 's/^POSTGRES_DB=//p' "$work/e2e.env")"
sqlite_file="$root/examples/data/app.sqlite"
sqlite_counts "$sqlite_file" >"$work/expected"
say "expected rows: $(tr '\n' ' ' <"$work/expected")"

say "building $E2E_SQLITE2PG_IMAGE from the Dockerfile (target prebuilt)"
projects+=("${run_id}a")
if ! dc "${run_id}a" build migrate >"$work/build.log" 2>&1; then
	tail -n 30 "$work/build.log"
	say 'FAIL: image build failed'
	exit 1
fi

# ---- (0) the image ----------------------------------------------------------------------------------------
img="$E2E_SQLITE2PG_IMAGE"
size="$(docker image inspect -f '{{.Size}}' "$img")"
size_mb="$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1000000 }')"
user="$(docker image inspect -f '{{.Config.User}}' "$img")"
entry="$(docker image inspect -f '{{json .Config.Entrypoint}}' "$img")"
version="$(docker run --rm "$img" --version 2>&1)"
version_rc=$?
docker run --rm --entrypoint /bin/sh "$img" -c true >/dev/null 2>&1
shell_rc=$?
say "image $img: ${size_mb} MB, user $user, entrypoint $entry, --version: $version"
if [ "$size" -lt 40000000 ] && [ "$user" = '65532:65532' ] && [ "$entry" = '["sqlite2pg"]' ] &&
	[ "$version_rc" = 0 ] && [ "$shell_rc" != 0 ]; then
	result PASS "(0) image: ${size_mb} MB < 40 MB, runs as 65532, no shell, the binary starts"
else
	result FAIL "(0) image: ${size_mb} MB, user '$user', --version rc $version_rc, /bin/sh rc $shell_rc (want not 0)"
fi

# ---- (1) first up ---------------------------------------------------------------------------------------
p="${run_id}a"
t0="$(now)"
dc "$p" up -d >"$work/up1.log" 2>&1
up_rc=$?
up_s="$(since "$t0")"
mig="$(cids "$p" migrate | head -n1)"
mig_rc="$( [ -n "$mig" ] && exit_code "$mig" || echo none)"
backend="$(wait_ready "$p" || true)"
if [ -n "$backend" ]; then backend_counts "$backend" >"$work/got1"; else : >"$work/got1"; fi
say "(1) up rc $up_rc in ${up_s}s; migrate exit $mig_rc$( [ -n "$mig" ] && echo " after $(ran_for "$mig")s")"
if [ "$up_rc" = 0 ] && [ "$mig_rc" = 0 ] && [ -n "$backend" ] && diff -u "$work/expected" "$work/got1" >"$work/diff1"; then
	result PASS "(1) stack up in ${up_s}s: migrate exit 0, backend sees every row ($(awk '{ n += $2 } END { print n }' "$work/got1") rows in $(wc -l <"$work/got1") tables)"
else
	result FAIL "(1) stack up: up rc $up_rc, migrate exit $mig_rc, backend $( [ -n "$backend" ] && echo ready || echo 'not ready')"
	sed 's/^/    /' "$work/up1.log" | tail -n 15
	[ -n "$mig" ] && show_logs "$mig" 20
	[ -n "$backend" ] && { show_logs "$backend" 20; sed 's/^/    /' "$work/diff1"; }
fi

# ---- (2) second up: already migrated --------------------------------------------------------------------
# remove the containers (and any anonymous volume), keep the named data volume: a user's `docker compose down`
dc "$p" rm -s -f -v >"$work/down2.log" 2>&1
t0="$(now)"
dc "$p" up -d >"$work/up2.log" 2>&1
up_rc=$?
up_s="$(since "$t0")"
mig="$(cids "$p" migrate | head -n1)"
mig_rc="$( [ -n "$mig" ] && exit_code "$mig" || echo none)"
mig_s="$( [ -n "$mig" ] && ran_for "$mig" || echo 999)"
skipped=no
[ -n "$mig" ] && docker logs "$mig" 2>&1 | grep -i 'already migrated' >/dev/null && skipped=yes
backend="$(wait_ready "$p" || true)"
if [ -n "$backend" ]; then backend_counts "$backend" >"$work/got2"; else : >"$work/got2"; fi
say "(2) up rc $up_rc in ${up_s}s; migrate exit $mig_rc after ${mig_s}s, 'already migrated' logged: $skipped"
if [ "$up_rc" = 0 ] && [ "$mig_rc" = 0 ] && [ "$skipped" = yes ] &&
	awk -v s="$mig_s" 'BEGIN { exit !(s < 10) }' && [ -n "$backend" ] && diff -q "$work/expected" "$work/got2" >/dev/null; then
	result PASS "(2) second up: migrate skipped in ${mig_s}s (already migrated), backend sees the same rows"
else
	result FAIL "(2) second up: up rc $up_rc, migrate exit $mig_rc in ${mig_s}s, 'already migrated' logged: $skipped, backend $( [ -n "$backend" ] && echo ready || echo 'not ready')"
	sed 's/^/    /' "$work/up2.log" | tail -n 15
	[ -n "$mig" ] && show_logs "$mig" 20
fi
dc "$p" down -v -t 5 >/dev/null 2>&1 || true

# ---- (3) corrupt SQLite file --------------------------------------------------------------------------
p="${run_id}c"
projects+=("$p")
# keep page 1 (header and schema) and overwrite every later page: opens fine, reading the tables fails
python3 - "$sqlite_file" "$work/corrupt.sqlite" <<-'PY'
	import random, sys
	data = bytearray(open(sys.argv[1], "rb").read())
	page = int.from_bytes(data[16:18], "big") or 65536
	rng = random.Random(7)
	for i in range(page, len(data)):
	    data[i] = rng.randrange(256)
	open(sys.argv[2], "wb").write(bytes(data))
PY
chmod 0644 "$work/corrupt.sqlite"
t0="$(now)"
SQLITE_FILE="$work/corrupt.sqlite" dc "$p" up -d >"$work/up3.log" 2>&1
up_rc=$?
up_s="$(since "$t0")"
mig="$(cids "$p" migrate | head -n1)"
mig_rc="$( [ -n "$mig" ] && exit_code "$mig" || echo none)"
sleep 2 # give a wrongly started backend the time to show up
backend="$(cids "$p" backend | head -n1)"
backend_started=no
if [ -n "$backend" ] && ! state "$backend" '{{.State.StartedAt}}' | grep '^0001-' >/dev/null; then backend_started=yes; fi
public_tables="$(psql_in "$p" "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'" 2>&1 || echo '?')"
say "(3) up rc $up_rc in ${up_s}s; migrate exit $mig_rc; backend started: $backend_started; tables left in public: $public_tables"
if [ "$up_rc" != 0 ] && [ -n "$mig" ] && [ "$mig_rc" != 0 ] && [ "$backend_started" = no ] && [ "$public_tables" = 0 ]; then
	result PASS "(3) corrupt SQLite file: migrate exit $mig_rc, backend never started, nothing committed"
	[ -n "$mig" ] && show_logs "$mig" 3
else
	result FAIL "(3) corrupt SQLite file: up rc $up_rc, migrate exit $mig_rc, backend started: $backend_started, public tables: $public_tables"
	sed 's/^/    /' "$work/up3.log" | tail -n 15
	[ -n "$mig" ] && show_logs "$mig" 20
fi
dc "$p" down -v -t 5 >/dev/null 2>&1 || true

# ---- (4) two migrate replicas at once -----------------------------------------------------------------
p="${run_id}d"
projects+=("$p")
# the example plus a 200k-row table, so that the copy takes long enough for the replicas to meet at the lock
python3 - "$sqlite_file" "$work/bigger.sqlite" <<-'PY'
	import shutil, sqlite3, sys
	shutil.copyfile(sys.argv[1], sys.argv[2])
	con = sqlite3.connect(sys.argv[2])
	con.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, kind TEXT NOT NULL, "
	            "at DATETIME NOT NULL, payload JSON)")
	con.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?)",
	                ((i, i % 60 + 1, ("view", "click", "buy")[i % 3], "2024-06-01 %02d:%02d:%02d" % (i // 3600 % 24, i // 60 % 60, i % 60),
	                  '{"n": %d}' % i) for i in range(1, 200001)))
	con.commit()
	con.close()
PY
chmod 0644 "$work/bigger.sqlite"
sqlite_counts "$work/bigger.sqlite" >"$work/expected4"
t0="$(now)"
SQLITE_FILE="$work/bigger.sqlite" dc "$p" up -d --scale migrate=2 >"$work/up4.log" 2>&1
up_rc=$?
up_s="$(since "$t0")"
mapfile -t migs < <(cids "$p" migrate)
codes=()
copiers=0
skippers=0
for m in "${migs[@]}"; do
	codes+=("$(exit_code "$m")")
	logs="$(docker logs "$m" 2>&1)"
	if grep -qi 'already migrated' <<<"$logs"; then
		skippers=$((skippers + 1))
	elif grep -qE 'copied [0-9]+ rows' <<<"$logs"; then
		copiers=$((copiers + 1))
	fi
done
backend="$(wait_ready "$p" || true)"
if [ -n "$backend" ]; then backend_counts "$backend" >"$work/got4"; else : >"$work/got4"; fi
ledger="$(psql_in "$p" "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'sqlite2pg'" 2>&1 || echo '?')"
ledger_rows=""
for t in ${ledger//,/ }; do
	ledger_rows+="$t=$(psql_in "$p" "SELECT count(*) FROM sqlite2pg.\"$t\"" 2>&1) "
done
# the ledger: one completed run, committed with the data
runs="$(psql_in "$p" "SELECT count(*) FROM sqlite2pg.runs" 2>/dev/null || echo none)"
waited=no
for m in "${migs[@]}"; do docker logs "$m" 2>&1 | grep 'holds the migration lock; waiting' >/dev/null && waited=yes; done
say "(4) up rc $up_rc in ${up_s}s; ${#migs[@]} migrate containers, exit codes ${codes[*]:-none}; copied: $copiers, skipped: $skippers; one waited on the lock: $waited; ledger sqlite2pg: ${ledger_rows:-none}"
if [ "$up_rc" = 0 ] && [ "${#migs[@]}" = 2 ] && [ "${codes[*]}" = '0 0' ] && [ "$copiers" = 1 ] && [ "$skippers" = 1 ] &&
	[ "$runs" = 1 ] && [ -n "$backend" ] && diff -q "$work/expected4" "$work/got4" >/dev/null; then
	result PASS "(4) two replicas at once: both exit 0, exactly one copied (1 run in sqlite2pg.runs), the other found it done; backend sees every row once"
else
	result FAIL "(4) two replicas at once: up rc $up_rc, exit codes ${codes[*]:-none}, copied $copiers, skipped $skippers (want 1 and 1), ledger runs $runs (want 1), backend $( [ -n "$backend" ] && echo ready || echo 'not ready')"
	sed 's/^/    /' "$work/up4.log" | tail -n 15
	for m in "${migs[@]}"; do show_logs "$m" 12; done
fi

# ---- (5) the Prisma example's compose ---------------------------------------------------------------------
p="${run_id}e"
projects+=("$p")
pdc() {
	timeout "${DC_TIMEOUT:-300}" "${DC[@]}" --ansi never -p "$p" \
		-f "$root/examples/prisma/docker-compose.yml" -f "$root/docker/compose.prisma-e2e.yml" "$@"
}
sqlite_counts "$root/examples/prisma/dev.db" >"$work/expected5"
t0="$(now)"
pdc up -d postgres migrate >"$work/up5.log" 2>&1
up_rc=$?
mig="$(cids "$p" migrate | head -n1)"
for _ in $(seq 1 120); do [ "$(state "$mig" '{{.State.Status}}')" = exited ] && break; sleep 1; done
code="$(exit_code "$mig")"
pg="$(cids "$p" postgres | head -n1)"
q5() { docker exec "$pg" psql -X -A -t -q -U app -d app -c "$1"; }
: >"$work/got5"
while read -r table _; do
	[ "$table" = _prisma_migrations ] && continue
	echo "$table $(q5 "SELECT count(*) FROM \"$table\"" 2>/dev/null || echo missing)" >>"$work/got5"
done <"$work/expected5"
grep -v '^_prisma_migrations ' "$work/expected5" >"$work/expected5.rows"
names="$(q5 "SELECT string_agg(n, ',' ORDER BY n COLLATE \"C\") FROM (SELECT conname::text AS n FROM pg_constraint UNION SELECT relname::text FROM pg_class WHERE relkind = 'i') x WHERE n IN ('User_pkey', 'User_email_key', 'listings_seller_id_fkey', '_Watchlist_AB_pkey')" 2>&1)"
enums="$(q5 "SELECT count(*) FROM pg_type WHERE typtype = 'e'" 2>&1)"
say "(5) up rc $up_rc in $(since "$t0")s; migrate exit $code; constraints: $names; enum types: $enums"
if [ "$up_rc" = 0 ] && [ "$code" = 0 ] && [ "$names" = 'User_email_key,User_pkey,_Watchlist_AB_pkey,listings_seller_id_fkey' ] &&
	[ "$enums" -ge 1 ] 2>/dev/null && diff -q "$work/expected5.rows" "$work/got5" >/dev/null; then
	result PASS "(5) the Prisma example's compose: migrate exits 0 after postgres is healthy; Prisma's names, its enums and every row of dev.db"
else
	result FAIL "(5) the Prisma example's compose: up rc $up_rc, migrate exit ${code:-none}, constraints ${names:-none}, enums ${enums:-none}"
	diff "$work/expected5.rows" "$work/got5" | head -n 10 | sed 's/^/    /'
	sed 's/^/    /' "$work/up5.log" | tail -n 15
	[ -n "$mig" ] && show_logs "$mig" 20
fi

say "done in $(since "$t_all")s"
echo "e2e: $passed passed, $failed failed"
[ "$failed" = 0 ]
