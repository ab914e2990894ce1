#!/usr/bin/env bash
# Stand-in for the official postgres image's docker-entrypoint.sh, for the local Debian-built test image.
#
# Honours what the official image documents and what sqlite2pg's tests rely on:
#   POSTGRES_USER (default postgres), POSTGRES_PASSWORD (required unless POSTGRES_HOST_AUTH_METHOD=trust),
#   POSTGRES_DB (default $POSTGRES_USER), POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD (default scram-sha-256),
#   PGDATA, and /docker-entrypoint-initdb.d/*.sh|*.sql.
# Like the official image, the first start initialises the cluster with a TEMPORARY server that listens on the
# Unix socket only (listen_addresses=''), so `pg_isready` over the socket says "ready" before the real server
# is up; only a TCP check (-h 127.0.0.1) tells the truth.
set -Eeuo pipefail

: "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA

log() { printf '%s [entrypoint] %s\n' "$(date -u '+%Y-%m-%d %H:%M:%S UTC')" "$*"; }

# `docker run image -c foo=bar` means `postgres -c foo=bar`, as in the official image
if [ "${1:0:1}" = '-' ]; then
	set -- postgres "$@"
fi

if [ "$1" = 'postgres' ] && [ "$(id -u)" = '0' ]; then
	mkdir -p "$PGDATA" /var/run/postgresql
	chown -R postgres:postgres "$PGDATA"
	chmod 700 "$PGDATA"
	chown postgres:postgres /var/run/postgresql
	chmod 3777 /var/run/postgresql
	# drop root, keep the environment, run this script again as postgres
	exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi

if [ "$1" = 'postgres' ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
	: "${POSTGRES_USER:=postgres}"
	: "${POSTGRES_DB:=$POSTGRES_USER}"
	: "${POSTGRES_HOST_AUTH_METHOD:=scram-sha-256}"
	if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != 'trust' ]; then
		log 'error: database is uninitialized and superuser password is not specified.'
		log '       set POSTGRES_PASSWORD (or POSTGRES_HOST_AUTH_METHOD=trust, never outside tests)'
		exit 1
	fi
	log "initialising $PGDATA for user \"$POSTGRES_USER\""
	# shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is word-split on purpose, as upstream does
	initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "${POSTGRES_PASSWORD:-}") \
		${POSTGRES_INITDB_ARGS:-} >/dev/null
	printf '\nhost all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" >>"$PGDATA/pg_hba.conf"

	log 'starting the temporary socket-only server for initialisation'
	PGUSER="$POSTGRES_USER" pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start >/dev/null
	psql_init=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
	if [ "$POSTGRES_DB" != 'postgres' ]; then
		"${psql_init[@]}" --dbname postgres --set db="$POSTGRES_DB" -q <<-'EOSQL'
			CREATE DATABASE :"db" ;
		EOSQL
		log "created database \"$POSTGRES_DB\""
	fi
	# shellcheck disable=SC1090 # init scripts are sourced, as upstream does
	for f in /docker-entrypoint-initdb.d/*; do
		case "$f" in
			*.sh) log "running $f"; . "$f" ;;
			*.sql) log "running $f"; "${psql_init[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
			*) [ -e "$f" ] && log "ignoring $f" ;;
		esac
	done
	PGUSER="$POSTGRES_USER" pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
	log 'PostgreSQL init process complete; ready for start up.'
fi

exec "$@"
