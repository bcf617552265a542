# t1002-pg-snapshot-access.sh: usage, connection failures, a least-privilege
# role, and proof that the session only reads.
. "${0%/*}/lib.sh"

t_begin 'usage: --help, --version, bad options'
t_run 0 pg-snapshot --help
t_grep '^usage: pg-snapshot ' out
t_run 0 pg-snapshot --version
t_grep '^pg-snapshot [0-9]' out
t_run 64 pg-snapshot --no-such-option
t_check 'usage on stderr only' test ! -s out
t_grep '^usage: pg-snapshot ' err
t_run 64 pg-snapshot -j 0
t_run 64 pg-snapshot one two
t_end

t_begin 'an unreachable server: exit 69, libpq'"'"'s message, no output'
t_run 69 pg-snapshot "host=$T_TMP port=1 connect_timeout=2"
t_check 'nothing on stdout' test ! -s out
t_grep "^pg-snapshot: connection to server on socket .*failed" err
t_check 'one line' test "$(wc -l <err)" = 1
t_run 69 pg-snapshot -o snap.json "postgresql://127.0.0.1:1/db?connect_timeout=2"
t_check 'no file left' test ! -e snap.json
t_end

t_begin 'a malformed connection string is a configuration error'
t_run 78 pg-snapshot "host=x nonsense"
t_grep '^pg-snapshot: invalid connection string: ' err
t_end

. "$TESTS/lib/pg.sh"
pg_start || t_skip_all "cannot start PostgreSQL"
psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || exit 1
CREATE EXTENSION pg_stat_statements;
CREATE SCHEMA app;
CREATE TABLE app.t (id int PRIMARY KEY, n int CHECK (n > 0));
CREATE SEQUENCE app.s;
SELECT nextval('app.s');
CREATE VIEW app.v AS SELECT id FROM app.t;
CREATE ROLE plain LOGIN;
REVOKE CONNECT ON DATABASE postgres FROM PUBLIC;
GRANT CONNECT ON DATABASE postgres TO plain;
CREATE ROLE outsider LOGIN;
SQL
# the least-privilege role exactly as the man page grants it
sed -n '/^CREATE ROLE drift_snapshot/,/^\.Ed/p' "$TOP/man/pg-snapshot.1" |
    sed '/^\.Ed/d; s/DATABASE app/DATABASE postgres/' >role.sql
psql -X -q -v ON_ERROR_STOP=1 -f role.sql \
    -c "ALTER ROLE drift_snapshot SET log_statement = 'all'" >/dev/null ||
    exit 1

t_begin 'the least-privilege role snapshots everything, with query texts'
t_run 0 pg-snapshot --sequence-values user=drift_snapshot
t_jq out '[.tables[0].name, .tables[0].constraints[0].definition,
    .views[0].name, .query_stats.available,
    (.query_stats.queries | length > 0)] | @json' \
    '["app.t","CHECK ((n > 0))","app.v",true,true]'
t_jq out '.sequences[0].last_value' null
t_end

t_begin 'the session only reads: one READ ONLY transaction per connection'
# log_statement = all for this role: every statement it ran is in the log
grep "LOG:  statement: " "$PG_DIR/server.log" |
    sed "s/.*LOG:  statement: //" | cut -c1-200 >statements
t_check 'statements were logged' test -s statements
t_grep '^BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;SET LOCAL search_path = pg_catalog;' statements
t_grep '^BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;SET TRANSACTION SNAPSHOT ' statements
t_nogrep '^(INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|GRANT|REVOKE|TRUNCATE|COPY|LOCK|VACUUM|ANALYZE|COMMENT|SECURITY|REFRESH|CALL|DO)' statements
grep -Ev '^(BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;|SELECT |WITH |SET LOCAL |SAVEPOINT |RELEASE SAVEPOINT |ROLLBACK TO SAVEPOINT |COMMIT$)' \
    statements >other
t_check 'nothing but reads' test ! -s other
# and such a transaction refuses writes, even from a role allowed them
psql -X -q -v ON_ERROR_STOP=1 -c 'BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY' \
    -c 'CREATE TABLE app.w (x int)' >psql.out 2>&1 && t_fail 'write allowed'
t_grep 'cannot execute CREATE TABLE in a read-only transaction' psql.out
t_end

t_begin 'output that cannot be written: 74 on a full disk, 73 for a bad -o'
pg-snapshot >/dev/full 2>err
st=$?
t_check "exit 74 on /dev/full, got $st" test "$st" = 74
t_grep '^pg-snapshot: ' err
t_run 73 pg-snapshot -o "$T_TMP/no/such/dir/snap.json"
t_check 'nothing written' test ! -e "$T_TMP/no"
t_end

t_begin 'without pg_read_all_stats, query texts are unavailable'
t_run 0 pg-snapshot user=plain
t_jq out '.query_stats | @json' '{"available":false,"queries":[]}'
t_jq out '.tables[0].name' app.t
t_end

t_begin 'a role refused by the server: exit 77, nothing on stdout'
t_run 77 pg-snapshot user=outsider
t_check 'nothing on stdout' test ! -s out
t_grep 'permission denied for database' err
t_end

t_begin 'a table locked by DDL: lock_timeout, exit 75'
psql -X -q -c 'BEGIN' -c 'LOCK app.t IN ACCESS EXCLUSIVE MODE' \
    -c 'SELECT pg_sleep(60)' >/dev/null 2>&1 &
locker=$!
at_exit "kill $locker 2>/dev/null"
i=0
until [ "$(psql -X -A -t -c "SELECT count(*) FROM pg_locks
    WHERE relation = 'app.t'::regclass AND mode = 'AccessExclusiveLock'
    AND granted")" = 1 ] || [ $i -ge 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
t_run 75 pg-snapshot --lock-timeout 0.2 -o snap.json
t_grep 'lock timeout' err
t_check 'no file left' test ! -e snap.json
psql -X -q -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
    WHERE query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()" >/dev/null
wait $locker 2>/dev/null
t_end

t_done
