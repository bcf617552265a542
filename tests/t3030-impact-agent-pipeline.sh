# t3030-impact-agent-pipeline.sh: real pg-snapshot and schema-diff output
# through impact-agent, on a private PostgreSQL cluster.
. "${0%/*}/lib.sh"
for p in pg-snapshot schema-diff; do
	command -v $p >/dev/null 2>&1 || t_skip_all "$p is not built"
done
. "$TESTS/lib/pg.sh"
pg_start || t_skip_all 'no PostgreSQL server'

psql -q -c 'CREATE DATABASE prod' -c 'CREATE DATABASE staging' >/dev/null
psql -q -d prod >/dev/null <<'SQL'
CREATE EXTENSION pg_stat_statements;
CREATE TABLE orgs (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE users (id bigserial PRIMARY KEY, org_id bigint,
    email varchar(100), nickname text, status text);
INSERT INTO orgs SELECT g, 'o' || g FROM generate_series(1, 10) g;
INSERT INTO users (org_id, email, nickname, status)
    SELECT g % 10 + 1, 'u' || g || '@x', 'n' || g, 's'
    FROM generate_series(1, 2000) g;
ANALYZE;
SELECT nickname FROM users WHERE id = 1;
SQL
psql -q -d staging >/dev/null <<'SQL'
CREATE EXTENSION pg_stat_statements;
CREATE TABLE orgs (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE users (id bigserial PRIMARY KEY,
    org_id bigint REFERENCES orgs (id), email varchar(50),
    status text NOT NULL, region text NOT NULL);
SQL

t_begin 'a real diff is reviewed: dropped column in use, NOT NULL add, narrowing'
t_run 0 pg-snapshot -o prod.json dbname=prod
t_run 0 pg-snapshot -o staging.json dbname=staging
t_run 0 schema-diff -o diff.json prod.json staging.json
mkdir app
printf 'def show(u):\n    return u.nickname\n' >app/user.py
t_run 0 impact-agent --app-dir app -o review.json diff.json
rules() {
	jq -r --arg id "$1" '.changes[] | select(.id == $id) |
	    [.assessment.findings[] | "\(.rule)=\(.severity)"] | join(",")' \
	    review.json
}
t_jq review.json .kind review
t_check 'nickname drop is still referenced' sh -c \
    "echo '$(rules column:public.users.nickname:drop)' | grep -q 'dropped-column-still-referenced=critical'"
t_check 'nickname drop is found in app code' sh -c \
    "echo '$(rules column:public.users.nickname:drop)' | grep -q 'referenced-by-app-code=critical'"
t_check 'region NOT NULL without default fails on 2000 rows' sh -c \
    "echo '$(rules column:public.users.region:add)' | grep -q 'not-null-column-without-default=critical'"
t_check 'email narrowing' sh -c \
    "echo '$(rules column:public.users.email:alter)' | grep -q 'column-type-narrowed=high'"
t_jq review.json '.summary.verdict' block
t_jq review.json '[.changes[] | .assessment | has("lock") and has("rollback")] | all' true
t_end
t_done
