# pg.sh: a private PostgreSQL cluster for one test script.
#
#   . tests/lib/pg.sh
#   pg_start            # initdb + start; exports PGHOST PGPORT PGUSER PGDATABASE
#   psql -c '...'       # talks to it through a Unix socket only
#   pg_stop             # also runs from the EXIT trap, even when a test fails
#
# initdb refuses to run as root, so as root the cluster belongs to the
# `postgres` system user (runuser).  pg_stat_statements is preloaded; a
# test that wants it runs CREATE EXTENSION itself.  Set PG_BIN to choose
# the server binaries (default: the newest under /usr/lib/postgresql).

pg_find_bin() {
	if [ -n "${PG_BIN:-}" ]; then
		printf '%s\n' "$PG_BIN"
		return
	fi
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
		[ -x "$d/initdb" ] && { printf '%s\n' "$d"; return; }
	done
	command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)"
}

pg_as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

pg_start() {
	PG_BIN=$(pg_find_bin)
	[ -n "$PG_BIN" ] || { echo "pg.sh: no PostgreSQL server binaries found" >&2; return 1; }
	PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/drift-pg.XXXXXX")
	chmod 755 "$PG_DIR"
	[ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
	PG_DATA=$PG_DIR/data
	PG_SOCK=$PG_DIR
	pg_as_owner "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust \
	    --no-sync -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 ||
	pg_as_owner "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust \
	    --no-sync -E UTF8 --locale=C >"$PG_DIR/initdb.log" 2>&1 || {
		cat "$PG_DIR/initdb.log" >&2
		return 1
	}
	cat >>"$PG_DATA/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$PG_SOCK'
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 40
shared_buffers = 128MB
max_locks_per_transaction = 256
CONF
	PGPORT=$(pg_free_port)
	pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -o "-p $PGPORT" -w -t 60 \
	    -l "$PG_DIR/server.log" start >/dev/null || {
		cat "$PG_DIR/server.log" >&2
		return 1
	}
	export PGHOST=$PG_SOCK PGPORT PGUSER=postgres PGDATABASE=postgres
	unset PGSERVICE PGPASSWORD PGHOSTADDR
	if command -v at_exit >/dev/null 2>&1; then
		at_exit pg_stop
	else
		trap 'pg_stop' EXIT
		trap 'pg_stop; exit 130' INT TERM
	fi
}

pg_stop() {
	[ -n "${PG_DATA:-}" ] || return 0
	pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop \
	    >/dev/null 2>&1
	rm -rf "$PG_DIR"
	PG_DATA=
}
