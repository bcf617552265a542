# t1003-pg-snapshot-definitions.sh: the definitions pg-snapshot writes
# itself (keys, foreign keys, plain indexes) or copies from an object of
# the same shape (CHECKs, expression and partial indexes) are exactly the
# server's own pg_get_constraintdef() and pg_get_indexdef() text.
. "${0%/*}/lib.sh"
. "$TESTS/lib/pg.sh"
pg_start || t_skip_all "cannot start PostgreSQL"
psql -X -q -v ON_ERROR_STOP=1 -f "$CASES/pg-snapshot/definitions.sql" \
    >/dev/null || exit 1
in_schemas="n.nspname IN ('d', 'D q')"

t_begin 'a snapshot of the look-alike tables'
t_run 0 pg-snapshot -v -n d -n '"D q"'
cp out snap.json
cp err progress
t_end

t_begin 'every constraint definition is the server'"'"'s'
psql -X -A -t -c "SELECT format('%I.%I', n.nspname, c.relname),
    quote_ident(con.conname), pg_get_constraintdef(con.oid)
    FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE $in_schemas AND con.contype <> 'n' AND con.conislocal" -F '	' |
    LC_ALL=C sort >want.tsv
jq -r '.tables[] | .name as $t | .constraints[] |
    [$t, .name, .definition] | @tsv' snap.json | LC_ALL=C sort >got.tsv
t_check 'all 38 constraints' test "$(wc -l <want.tsv)" = 38
t_cmp want.tsv got.tsv
t_end

t_begin 'every index definition is the server'"'"'s'
psql -X -A -t -F '	' -c "SELECT format('%I.%I', n.nspname, ic.relname),
    pg_get_indexdef(i.indexrelid)
    FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = ic.relnamespace
    WHERE $in_schemas AND NOT EXISTS (SELECT 1 FROM pg_inherits h
    WHERE h.inhrelid = i.indexrelid)" | LC_ALL=C sort >want.tsv
jq -r '.tables[], .views[] | .indexes[]? | [.name, .definition] | @tsv' \
    snap.json | LC_ALL=C sort >got.tsv
t_check 'all 52 indexes' test "$(wc -l <want.tsv)" = 52
t_cmp want.tsv got.tsv
t_end

t_begin 'index evidence is sorted by name, byte by byte'
t_jq snap.json '[.index_stats[].name] | . == sort' true
t_jq snap.json '[.index_stats[].name | select(startswith("\"D q\".\"q"))]
    | @json' '["\"D q\".\"q\"\"x\"","\"D q\".\"q#x\""]'
t_jq snap.json '.index_stats | length' 52
t_end

t_begin 'columns and predicates are read back from copied definitions'
t_jq snap.json '[.tables[].indexes[] | select(.name == "d.i1_d" or
    .name == "d.i1_c" or .name == "d.i1_a") | [.name, .columns, .predicate]]
    | @json' \
    '[["d.i1_a",["lower(email)"],null],["d.i1_c",["n"],"(n > 0)"],["d.i1_d",["t","lower(email)"],"(n > 0)"]]'
t_end

# Objects of one shape are deparsed once: these counts fall to the
# number of objects if grouping stops working, and rise past the
# look-alikes if it groups what it must not (then the texts above differ).
t_begin 'one deparse per shape'
t_grep 'reading index definitions: 35 of 39 deparsed' progress
t_grep 'reading check constraints: 17 of 18 deparsed' progress
t_end

t_begin 'a copied text follows a change to its shape'
psql -X -q -c 'CREATE INDEX i1_z ON d.i1 (lower(email)) WHERE n > 1' \
    -c 'CREATE INDEX i2_z ON d.i2 (lower(email)) WHERE n > 1' \
    -c 'ALTER TABLE d.i2 RENAME COLUMN email TO "E-mail"'
t_run 0 pg-snapshot -n d
t_jq out '[.tables[].indexes[] | select(.name | endswith("_z")) |
    .definition] | @json' \
    '["CREATE INDEX i1_z ON d.i1 USING btree (lower(email)) WHERE (n > 1)","CREATE INDEX i2_z ON d.i2 USING btree (lower(\"E-mail\")) WHERE (n > 1)"]'
t_end
t_done
