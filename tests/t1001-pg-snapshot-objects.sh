# t1001-pg-snapshot-objects.sh: every object kind, read from a real cluster.
. "${0%/*}/lib.sh"
. "$TESTS/lib/pg.sh"
pg_start || t_skip_all "cannot start PostgreSQL"
psql -X -q -v ON_ERROR_STOP=1 -f "$CASES/pg-snapshot/objects.sql" \
    >/dev/null || exit 1

t_begin 'a snapshot is written, compact, with its source'
t_run 0 pg-snapshot --label prod --sequence-values
cp out snap.json
t_jq snap.json '[.kind, .version] | @tsv' 'snapshot	1'
t_jq snap.json '.source | [.label, .database, .host, .port == ('"$PGPORT"'),
    .server_version_num >= 120000, (.taken_at | test("^[0-9-]+T[0-9:]+Z$")),
    (.snapshot_seconds | type)] | @json' \
    '["prod","postgres",null,true,true,true,"number"]'
t_check 'one line' test "$(wc -l <snap.json)" = 1
t_end

t_begin 'schemas, extensions and their grants'
t_jq snap.json '[.schemas[].name] | @json' '["app","other","public"]'
t_jq snap.json '.schemas[0] | [.owner, .comment, .grants[0].grantee,
    .grants[0].privileges[0]] | @json' \
    '["app","application schema","reporting","USAGE"]'
t_jq snap.json '[.extensions[] | .name + " " + .schema] | @json' \
    '["pg_trgm public","plpgsql pg_catalog"]'
t_end

t_begin 'enum labels in sort order, domains, composites'
t_jq snap.json '.types[] | select(.name == "app.mood") | .labels | @json' \
    '["sad","meh","ok","happy"]'
t_jq snap.json '.types[] | select(.name == "app.mood") | .comment' \
    'how it went'
t_jq snap.json '.types[] | select(.name == "app.email") | [.type,
    .base_type, .not_null, .default, .collation] | @json' \
    '["domain","text",true,"'"'"'x@y'"'"'::text","pg_catalog.\"C\""]'
t_jq snap.json '.types[] | select(.name == "app.email") | .checks | @json' \
    '["CHECK ((VALUE ~~ '"'"'%@%'"'"'::text))","CHECK ((length(VALUE) < 200))"]'
t_jq snap.json '.types[] | select(.name == "app.pair") | .attributes | @json' \
    '[{"name":"a","type":"integer"},{"name":"\"B c\"","type":"text"}]'
t_end

t_begin 'sequences: options, owner column, grants, last value'
# one nextval() with CACHE 5 puts the end of the cached run on disk
t_jq snap.json '.sequences[] | select(.name == "app.invoice_no") |
    [.data_type, .start, .increment, .min, .max, .cache, .cycle,
    .owned_by, .grants, .last_value] | @json' \
    '["integer",1000,2,1000,99999,5,true,"app.invoices.no",[{"grantee":"reporting","privileges":["USAGE"],"grantable":false}],1008]'
t_jq snap.json '[.sequences[] | .name + " " + .owned_by] | @json' \
    '["app.invoice_no app.invoices.no","app.users_id_seq app.users.id","app.users_m_seq app.users.m","app.users_n_seq app.users.n"]'
t_grep '"max":9223372036854775807' snap.json
t_end

t_begin 'columns: types, defaults, identity, generated, collation'
users='.tables[] | select(.name == "app.users")'
t_jq snap.json "$users"' | [.columns[] | [.name, .position, .type,
    .nullable, .default, .identity, .generated, .collation, .comment]] | @json' \
    '[["id",1,"bigint",false,"nextval('"'"'app.users_id_seq'"'"'::regclass)",null,null,null,null],["org_id",2,"bigint",false,null,null,null,null,null],["email",3,"app.email",true,null,null,null,null,"login"],["nick",4,"character varying(50)",true,null,null,null,"pg_catalog.\"C\"",null],["mood",5,"app.mood",true,"'"'"'ok'"'"'::app.mood",null,null,null,null],["n",6,"integer",false,null,"always",null,null,null],["m",7,"integer",false,null,"by default",null,null,null],["doubled",8,"bigint",true,null,null,"(org_id * 2)",null,null],["\"x<y>&z\"",9,"text",true,null,null,null,null,null],["created_at",10,"timestamp with time zone",false,"now()",null,null,null,null]]'
t_end

t_begin 'constraints: keys, foreign keys, checks, exclusions'
t_jq snap.json "$users"' | [.constraints[] | [.name, .type, .columns,
    .definition, .validated, .deferrable, .initially_deferred,
    .references, .comment]] | @json' \
    '[["users_n_check","check",["n"],"CHECK ((n > 0))",true,false,false,null,null],["users_nick_excl","exclusion",["nick"],"EXCLUDE USING btree (nick WITH =)",true,false,false,null,null],["users_org_fk","foreign_key",["org_id"],"FOREIGN KEY (org_id) REFERENCES app.orgs(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED",true,true,true,{"table":"app.orgs","columns":["id"]},"owner org"],["users_pkey","primary_key",["id"],"PRIMARY KEY (id)",true,false,false,null,null]]'
t_jq snap.json '.tables[] | select(.name == "app.orgs") |
    [.constraints[].definition] | @json' \
    '["UNIQUE (name)","PRIMARY KEY (id)"]'
t_end

t_begin 'a CHECK on a system column names it'
t_jq snap.json '.tables[] | select(.name == "app.cache") | .constraints[] |
    select(.type == "check") | [.columns, .definition] | @json' \
    '[["tableoid"],"CHECK ((tableoid <> (0)::oid))"]'
t_end

t_begin 'a NOT VALID constraint added later is reported unvalidated'
psql -X -q -c 'ALTER TABLE app.orgs ADD CONSTRAINT orgs_name_check
    CHECK (name <> '"''"') NOT VALID' || t_fail 'psql'
t_run 0 pg-snapshot
t_jq out '.tables[] | select(.name == "app.orgs") | .constraints[] |
    select(.name == "orgs_name_check") | [.validated, .definition] | @json' \
    '[false,"CHECK ((name <> '"''"'::text)) NOT VALID"]'
psql -X -q -c 'ALTER TABLE app.orgs DROP CONSTRAINT orgs_name_check'
t_end

t_begin 'index definitions are exactly what pg_get_indexdef prints'
jq -r '[.tables[], .views[] | .indexes // [] | .[] |
    [.name, .definition]] | sort | .[] | @tsv' snap.json >got
PGOPTIONS='-c search_path=pg_catalog' psql -X -A -t -F '	' -c "
    SELECT format('%I.%I', n.nspname, c.relname), pg_get_indexdef(c.oid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname IN ('app', 'public', 'other')
    AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = c.oid)
    ORDER BY format('%I.%I', n.nspname, c.relname) COLLATE \"C\"" >want
t_cmp want got
t_check 'a dozen indexes compared' test "$(wc -l <got)" -ge 12
t_end

t_begin 'indexes: columns, unique, partial, owning constraint, validity'
t_jq snap.json "$users"' | [.indexes[] | select(.name ==
    "app.users_email_idx" or .name == "app.users_org_idx" or
    .name == "app.users_pkey") | [.name, .columns, .unique, .primary,
    .constraint, .predicate, .valid]] | @json' \
    '[["app.users_email_idx",["lower((email)::text)"],true,false,null,"(email IS NOT NULL)",true],["app.users_org_idx",["org_id","created_at"],false,false,null,null,true],["app.users_pkey",["id"],true,true,"users_pkey",null,true]]'
t_end

t_begin 'expression columns and predicates are read back from the definition'
t_jq snap.json "$users"' | .indexes[] | select(.name ==
    "app.\"users (odd), idx\"") | [.columns, .predicate] | @json' \
    '[["(org_id + 1)","COALESCE(nick, '"'"'a,b) WHERE'"'"'::character varying)","\"x<y>&z\""],"(((nick)::text <> '"'"'x WHERE (y'"'"'::text) AND (\"x<y>&z\" IS NOT NULL))"]'
jq -r '[.tables[] | .indexes[] | select(.predicate != null) |
    [.name, .predicate]] | sort | .[] | @tsv' snap.json >got
PGOPTIONS='-c search_path=pg_catalog' psql -X -A -t -F '	' -c "
    SELECT format('%I.%I', n.nspname, c.relname),
    pg_get_expr(i.indpred, i.indrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname IN ('app', 'public') AND i.indpred IS NOT NULL
    ORDER BY format('%I.%I', n.nspname, c.relname) COLLATE \"C\"" >want
t_cmp want got
t_end

t_begin 'partitions, partition keys and bounds; clones only on the parent'
t_jq snap.json '[.tables[] | select(.name | startswith("app.events")) |
    [.name, .kind, .partition_key, .partition_of, .partition_bound,
    (.constraints | length), (.indexes | length), (.triggers | length)]]
    | @json' \
    '[["app.events","partitioned_table","RANGE (at)",null,null,1,2,1],["app.events_2024","table",null,"app.events","FOR VALUES FROM ('"'"'2024-01-01'"'"') TO ('"'"'2025-01-01'"'"')",0,0,0],["app.events_rest","table",null,"app.events","DEFAULT",0,0,0]]'
t_end

t_begin 'unlogged tables, RLS flags, policies'
t_jq snap.json '.tables[] | select(.name == "app.cache") | .persistence' \
    unlogged
t_jq snap.json "$users"' | [.rls_enabled, .rls_forced] | @json' \
    '[true,true]'
t_jq snap.json "$users"' | .policies | @json' \
    '[{"name":"tenant","command":"SELECT","permissive":true,"roles":["app","reporting"],"using":"(org_id = 1)","with_check":null,"comment":null},{"name":"writer","command":"INSERT","permissive":false,"roles":["public"],"using":null,"with_check":"(org_id > 0)","comment":null}]'
t_end

t_begin 'triggers with their enabled state; internal ones left out'
t_jq snap.json "$users"' | [.triggers[] | [.name, .enabled]] | @json' \
    '[["users_audit","disabled"],["users_touch","origin"]]'
t_jq snap.json "$users"' | .triggers[1].definition' \
    'CREATE TRIGGER users_touch BEFORE UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch()'
t_end

t_begin 'grants: explicit privileges other than the owner'"'"'s, sorted'
t_jq snap.json "$users"' | .grants | @json' \
    '[{"grantee":"reporting","privileges":["INSERT","SELECT"],"grantable":false}]'
t_jq snap.json '.tables[] | select(.name == "app.orgs") | .grants | @json' \
    '[{"grantee":"public","privileges":["UPDATE"],"grantable":false}]'
t_jq snap.json '.tables[] | select(.name == "app.cache") | .grants | @json' \
    '[]'
t_jq snap.json '.functions[] | select(.name == "app.secret()") | .grants |
    @json' '[{"grantee":"reporting","privileges":["EXECUTE"],"grantable":false}]'
t_end

t_begin 'views and materialized views with what they read'
t_jq snap.json '.views[] | select(.name == "app.active_users") |
    [.materialized, .comment, (.definition | startswith(" SELECT")),
    .columns[3], .grants[0].grantee] | @json' \
    '[false,"for reports",true,{"name":"n1","type":"integer"},"reporting"]'
t_jq snap.json '.views[] | select(.name == "app.active_users") |
    .depends_on | @json' \
    '["app.add(a integer, b integer)","app.mood","app.orgs.id","app.orgs.name","app.users.email","app.users.id","app.users.mood","app.users.n","app.users.org_id"]'
t_jq snap.json '.views[] | select(.name == "app.user_counts") |
    [.materialized, .indexes[0].definition] | @json' \
    '[true,"CREATE UNIQUE INDEX user_counts_org_idx ON app.user_counts USING btree (org_id)"]'
t_end

t_begin 'functions, procedures and aggregates by identity signature'
t_jq snap.json '[.functions[] | [.name, .kind, .returns, .language,
    .volatility, .security_definer, (.definition // "" | .[0:19])]] | @json' \
    '[["app.add(a integer, b integer)","function","integer","sql","immutable",false,"CREATE OR REPLACE F"],["app.noop(INOUT x integer)","procedure",null,"plpgsql","volatile",false,"CREATE OR REPLACE P"],["app.secret()","function","integer","sql","stable",true,"CREATE OR REPLACE F"],["app.total(integer)","aggregate","integer","internal","immutable",false,""],["app.touch()","function","trigger","plpgsql","volatile",false,"CREATE OR REPLACE F"]]'
t_end

t_begin 'objects an extension owns are left out'
t_nogrep 'gin_trgm_ops\(|similarity|show_trgm' snap.json
t_jq snap.json '[.functions[].name | select(startswith("public."))] | length' 0
t_end

t_begin 'hostile identifiers are quoted as quote_ident quotes them'
t_jq snap.json '.tables[] | select(.name == "public.\"Order Notes\"") |
    [.columns[].name, .indexes[].name, .constraints[1].references.columns[0]]
    | @json' \
    '["\"Id\"","\"select\"","\"user\"","public.\"Order Notes_pkey\"","public.\"Order Notes_select_idx\"","id"]'
t_end

t_begin 'two snapshots of an unchanged database differ only in evidence'
t_run 0 pg-snapshot --label prod
strip='del(.source.taken_at, .source.snapshot_seconds, .tables[].stats,
    .index_stats, .query_stats, .sequences[].last_value)'
jq -S "$strip" snap.json >a
jq -S "$strip" out >b
t_cmp a b
t_end

t_begin '--pretty indents; -o writes the same document'
t_run 0 pg-snapshot --pretty --label prod -o pretty.json
t_check 'nothing on stdout' test ! -s out
t_check 'indented' test "$(wc -l <pretty.json)" -gt 100
jq -S "$strip" pretty.json >c
t_cmp a c
t_end

t_begin 'one connection or three give the same document'
for j in 1 3; do
	t_run 0 pg-snapshot -j $j --label prod
	jq -S "$strip" out >j$j
	t_cmp a j$j
done
t_end

t_begin 'the man page example lists tables with their size'
pg-snapshot | jq -r '.tables[] | [.name, .stats.total_bytes] | @tsv' >tsv
t_grep '^app\.users	[0-9]+$' tsv
t_check 'every table' test "$(wc -l <tsv)" = "$(jq '.tables | length' snap.json)"
t_end

t_begin '-n and -N choose schemas by pattern'
t_run 0 pg-snapshot -n 'ap*'
t_jq out '[.schemas[].name, (.tables | map(.name) | unique |
    map(split(".")[0]) | unique[])] | @json' '["app","app"]'
t_run 0 pg-snapshot -N app -N '"other"'
t_jq out '[.schemas[].name] + [.tables[].name] | @json' \
    '["public","public.\"Order Notes\""]'
t_jq out '.tables[0].constraints[] | select(.type == "foreign_key") |
    .references.table' 'app.users'
t_run 0 pg-snapshot -n nothing_matches
t_jq out '[.schemas, .tables, .views, .functions, .types] | map(length) |
    add' 0
t_end

t_begin '--no-stats leaves the evidence null'
t_run 0 pg-snapshot --no-stats
t_jq out '[.index_stats, .query_stats, ([.tables[].stats] | unique[]),
    ([.sequences[].last_value] | unique[])] | @json' '[null,null,null,null]'
t_end

t_begin 'any number of connections reads the same document'
# Slices are ranges of table OIDs; a view, a materialized view and its
# index made after the last table lie above every range of tables.
psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || t_fail 'late objects'
CREATE MATERIALIZED VIEW other.late AS SELECT id FROM other.t;
CREATE INDEX late_idx ON other.late (id);
CREATE VIEW other.late_v AS SELECT id FROM other.late;
SQL
for j in 1 2 3 5; do
	t_run 0 pg-snapshot --no-stats -j "$j"
	t_norm out >"j$j.json"
done
t_jq j1.json '[.views[] | .name, .indexes[]?.name] | map(select(
    test("late"))) | @json' '["other.late","other.late_idx","other.late_v"]'
t_cmp j1.json j2.json
t_cmp j1.json j3.json
t_cmp j1.json j5.json
t_end

t_begin 'pg_stat_statements: absent, then this database'"'"'s queries only'
t_jq snap.json '.query_stats | @json' '{"available":false,"queries":[]}'
psql -X -q -c 'CREATE EXTENSION pg_stat_statements' || t_fail 'create'
createdb -T template0 other_db
psql -X -q -d other_db -c 'SELECT 424242 AS other_db_marker' >/dev/null
psql -X -q -c 'SELECT count(*) AS this_db_marker FROM app.users' >/dev/null
t_run 0 pg-snapshot
t_jq out '.query_stats.available' true
t_jq out '[.query_stats.queries[] | select(.query |
    test("this_db_marker"))] | length' 1
t_jq out '[.query_stats.queries[] | select(.query |
    test("other_db_marker"))] | length' 0
t_jq out '.query_stats.queries[0] | [(.calls | type), (.total_ms | type)]
    | @json' '["number","number"]'
t_end

t_begin 'sequence values only when asked, read in batches of 500'
t_run 0 pg-snapshot
t_jq out '[.sequences[].last_value] | unique | @json' '[null]'
# 1,204 sequences: three statements, each ending its own transaction, so
# the locks pg_sequence_last_value() takes never pile up
psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || t_fail 'sequences'
CREATE SCHEMA many;
SELECT format('CREATE SEQUENCE many.s%s START %s', i, i)
    FROM generate_series(1, 1200) i \gexec
SELECT nextval('many.s7'), nextval('many.s1200');
SQL
psql -X -q -c 'SELECT pg_stat_statements_reset()' >/dev/null
t_run 0 pg-snapshot --sequence-values
t_jq out '[.sequences[] | select(.last_value != null) |
    [.name, .last_value]] | @json' \
    '[["app.invoice_no",1008],["many.s1200",1200],["many.s7",7]]'
t_jq out '.sequences | length' 1204
t_check 'three statements read the values' test "$(psql -X -A -t -c \
    "SELECT sum(calls) FROM pg_stat_statements
     WHERE query LIKE '%pg_sequence_last_value%'")" = 3
t_end

t_begin 'an empty database gives empty arrays'
createdb -T template0 empty
t_run 0 pg-snapshot dbname=empty
t_jq out '[.source.database, (.schemas | map(.name)), .tables, .views,
    .functions, .types, .sequences, .index_stats] | @json' \
    '["empty",["public"],[],[],[],[],[],[]]'
t_end

t_done
