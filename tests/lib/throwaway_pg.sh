# A throwaway PostgreSQL cluster for the shell suites (tests/corpus/run.sh, tests/frameworks/run.sh); source it.
#
#   start_throwaway_pg NAME [-c setting=value ...]
#
# finds PGBIN (PATH, else the newest /usr/lib/postgresql/*/bin), makes /tmp/sqlite2pg-NAME.XXXXXX (in $tmp),
# runs initdb (password auth over TCP, a random password) and starts the server on a free 127.0.0.1 port with
# fsync off plus the given settings, and removes everything on exit. It defines as_pg (run as the postgres OS
# user when root) and db_url DB (the password travels only inside the URL). The caller defines die.

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_throwaway_pg() {
    local name=$1; shift
    if [ -z "${PGBIN:-}" ]; then
        if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
            PGBIN=$(dirname "$(command -v initdb)")
        else
            PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
        fi
    fi
    [ -x "${PGBIN:-}/initdb" ] && [ -x "$PGBIN/pg_ctl" ] || die "initdb/pg_ctl not found (set PGBIN)"

    tmp=$(mktemp -d "/tmp/sqlite2pg-$name.XXXXXX")
    trap _throwaway_pg_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    chmod 755 "$tmp"
    mkdir -p "$tmp/sock"
    password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    (umask 077; printf '%s\n' "$password" > "$tmp/pwfile")
    [ "$(id -u)" = 0 ] && chown -R postgres: "$tmp"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_pg "$PGBIN/initdb" -D "$tmp/data" -U postgres -E UTF8 --locale=C.UTF-8 --no-sync \
        --auth-local=trust --auth-host=scram-sha-256 --pwfile="$tmp/pwfile" >"$tmp/initdb.log" 2>&1 \
        || { cat "$tmp/initdb.log" >&2; die "initdb failed"; }
    as_pg "$PGBIN/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
        -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$tmp/sock -c fsync=off $*" \
        start >/dev/null 2>&1 || { cat "$tmp/server.log" >&2; die "postgresql did not start"; }
}

_throwaway_pg_cleanup() {
    if [ -f "$tmp/data/postmaster.pid" ]; then
        as_pg "$PGBIN/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1
    fi
    rm -rf "$tmp"
}

db_url() { echo "postgresql://postgres:$password@127.0.0.1:$port/$1"; }
