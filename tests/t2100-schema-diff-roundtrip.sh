# t2100-schema-diff-roundtrip.sh: the property that defines a correct diff,
# on a real cluster.  For every case in cases/schema-diff/roundtrip/, prod
# is base.sql + prod.sql and staging is base.sql + staging.sql; then
#   forward_script applied to a copy of prod leaves no change against
#   staging, and rollback_script applied after it leaves none against prod
#   except the ids listed in the case's rollback-keeps (what
#   rollback_restores_data=false documents, e.g. an enum label added).
. "${0%/*}/lib.sh"
. "$TESTS/lib/pg.sh"
command -v pg-snapshot >/dev/null 2>&1 || t_skip_all "no pg-snapshot"
pg_start || t_skip_all "no PostgreSQL server"

RT=$CASES/schema-diff/roundtrip
PSQL="psql -X -q -v ON_ERROR_STOP=1"
psql -X -q -c 'CREATE ROLE reporting' >/dev/null
# Every case starts from a copy of one base database: copying is faster
# than running base.sql twice per case.  Databases are left for pg_stop.
createdb base && $PSQL -d base -f "$RT/base.sql" >/dev/null ||
    t_skip_all "base.sql does not load"

ids() {
	jq -r '.changes[].id' "$1" | sort
}

# T_CASES=0013\* runs some cases only.
for dir in "$RT"/${T_CASES:-[0-9]*}/; do
	case=$(basename "$dir")
	t_begin "round trip: $case"
	n=$(echo "$case" | tr -c 'a-z0-9\n' '_')
	p=p_$n s=s_$n c=c_$n
	createdb -T base -S file_copy "$p" &&
	    createdb -T base -S file_copy "$s" || t_fail "createdb failed"
	if [ -f "$dir/prod.sql" ]; then
		$PSQL -d "$p" -f "$dir/prod.sql" >/dev/null 2>setup.err ||
		    t_fail "prod.sql: $(cat setup.err)"
	fi
	$PSQL -d "$s" -f "$dir/staging.sql" >/dev/null 2>setup.err ||
	    t_fail "staging.sql: $(cat setup.err)"
	pg-snapshot -q -l prod "dbname=$p" >prod.json &&
	    pg-snapshot -q -l staging "dbname=$s" >staging.json ||
	    t_fail "pg-snapshot failed"
	t_run 1 schema-diff --exit-code prod.json staging.json
	mv out diff.json
	[ "$(jq '.changes | length' diff.json)" -gt 0 ] ||
	    t_fail "the case has no changes to test"

	createdb -T "$p" -S file_copy "$c" || t_fail "createdb -T failed"
	jq -r .forward_script diff.json >forward.sql
	$PSQL -d "$c" -f forward.sql >/dev/null 2>apply.err ||
	    t_fail "forward_script failed: $(cat apply.err)
$(cat forward.sql)"
	pg-snapshot -q -l copy "dbname=$c" >after.json
	t_run 0 schema-diff --exit-code after.json staging.json
	[ -z "$(ids out)" ] ||
	    t_fail "left after forward_script: $(ids out | tr '\n' ' ')"

	jq -r .rollback_script diff.json >rollback.sql
	$PSQL -d "$c" -f rollback.sql >/dev/null 2>apply.err ||
	    t_fail "rollback_script failed: $(cat apply.err)
$(cat rollback.sql)"
	pg-snapshot -q -l copy "dbname=$c" >back.json
	schema-diff back.json prod.json >back.diff
	keeps=
	[ -f "$dir/rollback-keeps" ] && keeps=$(sort "$dir/rollback-keeps")
	[ "$(ids back.diff)" = "$keeps" ] ||
	    t_fail "left after rollback_script: $(ids back.diff | tr '\n' ' ')"
	for id in $keeps; do
		[ "$(jq --arg id "$id" '[.changes[] | select(.id == $id) |
		    .rollback_restores_data] | .[0]' diff.json)" = false ] ||
		    t_fail "$id is kept after rollback but not marked"
	done
	t_end
done
t_done
