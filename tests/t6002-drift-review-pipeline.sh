# t6002-drift-review-pipeline.sh: the driver end to end on a private
# cluster with the outbox: a first run publishes, a re-run changes nothing,
# --from re-runs a stage, --dry-run publishes nothing, and when the drift
# is gone the sign-off issue is closed.
. "${0%/*}/lib.sh"
. "$TESTS/lib/pg.sh"
pg_start || exit 1
demo=$TOP/scripts/demo
q() { psql -X -q -v ON_ERROR_STOP=1 "$@" >/dev/null; }
createdb app && q -d app -f "$demo/schema.sql" &&
    q -d app -c "INSERT INTO orgs (name) VALUES ('a');
	INSERT INTO users (org_id, email, nickname) VALUES (1, 'a@x', 'n');" &&
    q -d app -c "SELECT id, nickname FROM users WHERE id = 1" || exit 1
createdb app_staging && q -d app_staging -f "$demo/schema.sql" &&
    q -d app_staging -f "$demo/migration.sql" || exit 1

unset DRIFT_PAIR CONFLUENCE_URL GITHUB_REPOSITORY IMPACT_AGENT_MODEL DRIFT_KEEP
export XDG_STATE_HOME=$T_TMP/state DRIFT_OUTBOX=$T_TMP/outbox
export DRIFT_PROD_DSN="dbname=app" DRIFT_STAGING_DSN="dbname=app_staging"
export DRIFT_OWNERS_FILE=$demo/owners
mkdir -p outbox
runs=$T_TMP/state/drift-review/staging-prod-app

t_begin 'a first run reviews, renders and publishes to the outbox'
t_run 0 drift-review
t_grep '^drift-review: staging-prod-app: [0-9]+ changes, verdict block, page outbox, issue outbox$' err
run=$(ls -d "$runs"/2* | tail -n 1)
for f in prod.json staging.json diff.json review.json page.json posted.json \
    issue.json run.log review.html; do
	t_check "$f in the run directory" test -s "$run/$f"
done
t_check 'page in the outbox' test -s outbox/staging-prod-app.html
t_check 'issue in the outbox' test -s outbox/staging-prod-app.issue.md
t_jq "$run/issue.json" '.kind' 'review'
t_jq "$run/review.json" '.summary.verdict' 'block'
t_end

t_begin 'a re-run on unchanged drift writes nothing new'
cp outbox/staging-prod-app.issue.md issue.before
sleep 1
t_run 0 drift-review
t_grep 'page unchanged, issue unchanged$' err
t_cmp issue.before outbox/staging-prod-app.issue.md
t_end

t_begin '--from review re-runs from a saved diff'
ls -d "$runs"/2* >before
t_run 0 drift-review --from review "$run"
ls -d "$runs"/2* >after
new=$(comm -13 before after)
t_check 'a new run directory' test "$new" != "$run"
t_grep 're-run from stage review' "$new/run.log"
t_nogrep 'stage snapshot' "$new/run.log"
t_cmp "$run/diff.json" "$new/diff.json"
t_end

t_begin '--dry-run renders and says what it would publish, publishing nothing'
rm -rf outbox/*
t_run 0 drift-review --dry-run
t_grep '^would publish page ' out
t_check 'outbox untouched' test -z "$(ls outbox)"
t_end

t_begin '--keep prunes old run directories'
t_run 0 drift-review --dry-run --keep 2
t_check 'two runs kept' test "$(ls -d "$runs"/2* | wc -l)" = 2
t_end

t_begin 'once the drift is gone the open issue is closed as resolved'
rm -rf outbox/*
t_run 0 drift-review
rm outbox/staging-prod-app.storage.xml
dropdb app_staging && createdb -T app app_staging
t_run 0 drift-review
t_grep '^drift-review: staging-prod-app: no drift, issue closed as resolved$' err
t_grep '^state: closed$' outbox/staging-prod-app.issue.md
t_check 'no page written for no drift' test ! -e outbox/staging-prod-app.storage.xml
t_run 0 drift-review
t_grep '^drift-review: staging-prod-app: no drift$' err
t_end

t_done
