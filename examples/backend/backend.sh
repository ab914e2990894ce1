#!/bin/sh
# Example backend for docker-compose.yml: starts only after `migrate` exited 0, then shows what it finds:
# every table of $TARGET_SCHEMA with its row count, printed as `backend: table <name> rows=<n>`, then
# `backend: ready`. It then stays up like a real service (and prints the counts again every REFRESH seconds).
# Needs only psql and the libpq PG* variables.
set -eu

schema="${TARGET_SCHEMA:-public}"
refresh="${REFRESH:-300}"

trap 'echo "backend: stopping"; exit 0' TERM INT

counts() {
	# one query: every base table of the schema and its exact row count
	psql -X -v ON_ERROR_STOP=1 -q -A -t -F ' ' -v schema="$schema" <<-'SQL'
		SELECT table_name,
		       (xpath('/row/n/text()',
		              query_to_xml(format('SELECT count(*) AS n FROM %I.%I', table_schema, table_name),
		                           false, true, '')))[1]::text::bigint
		FROM information_schema.tables
		WHERE table_schema = :'schema' AND table_type = 'BASE TABLE'
		ORDER BY table_name;
	SQL
}

show() {
	out="$(counts)"
	tables=0
	total=0
	while read -r name n; do
		[ -n "$name" ] || continue
		echo "backend: table $name rows=$n"
		tables=$((tables + 1))
		total=$((total + n))
	done <<-EOF
		$out
	EOF
	echo "backend: $tables tables, $total rows in schema $schema"
}

echo "backend: connecting to ${PGDATABASE:-?} on ${PGHOST:-?} as ${PGUSER:-?}"
show
echo "backend: ready"
while :; do
	sleep "$refresh" &
	wait $! || true
	show
done
