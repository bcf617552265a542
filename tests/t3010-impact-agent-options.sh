# t3010-impact-agent-options.sh: options, input errors, config, owners,
# determinism.
. "${0%/*}/lib.sh"
C=$CASES/impact-agent
D1=$C/0001-dropped-column/diff.json
D4=$C/0004-set-not-null/diff.json

t_begin '-h prints the synopsis on stdout, bad options are usage errors'
t_run 0 impact-agent -h
t_grep '^usage: impact-agent ' out
t_run 64 impact-agent --no-such-option
t_grep '^usage: impact-agent ' err
t_run 64 impact-agent a.json b.json
t_end

t_begin '--version prints the name and version'
t_run 0 impact-agent --version
t_grep '^impact-agent [0-9]+\.[0-9]+' out
t_end

t_begin 'a missing input is 66, a snapshot instead of a diff is 65'
t_run 66 impact-agent nosuch.json
t_grep 'nosuch.json' err
printf '{"kind":"snapshot","version":1}\n' >snap.json
t_run 65 impact-agent snap.json
t_grep 'snapshot' err
t_end

t_begin 'a change without object_kind is 65 naming where'
jq 'del(.changes[0].object_kind)' "$D1" >bad.json
t_run 65 impact-agent bad.json
t_grep 'changes\[0\].*object_kind' err
t_end

t_begin 'the review keeps every diff member and adds the review ones'
t_run_in "$D1" 0 impact-agent
cp out review.json
t_jq review.json '.kind' review
t_jq review.json '.version' 1
t_jq review.json '.pair + " " + .fingerprint + " " + (.forward_script | length > 0 | tostring)' \
    'staging-prod-app sha256:test true'
t_jq review.json '.summary.by_op.drop' 2
t_jq review.json '.changes[0].forward_sql[0]' \
    'ALTER TABLE public.users DROP COLUMN nickname;'
t_jq review.json '.agent | [.mode, .rules_version, .provider, .model, .turns, .llm_error] | tostring' \
    '["rules","1",null,null,0,null]'
t_jq review.json '.summary | [.risk, .changes, .irreversible, .requires_downtime, .verdict] | tostring' \
    '["critical",2,2,false,"block"]'
t_jq review.json '.summary.by_severity | tostring' \
    '{"critical":1,"high":1,"medium":0,"low":0,"info":0}'
t_jq review.json '.reviewed_at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$")' true
t_jq review.json '.summary.headline' \
    '2 changes (1 critical, 1 high); dropped column public.users.nickname is still used'
t_end

t_begin 'the same diff gives byte-identical reviews but for reviewed_at'
t_run 0 impact-agent -o a.json "$D4"
t_run 0 impact-agent -o b.json "$D4"
t_norm a.json >a.norm
t_norm b.json >b.norm
t_cmp a.norm b.norm
t_check 'reviewed_at is normalised' grep -q '"reviewed_at": "\*"' a.norm
t_end

t_begin 'the whole review matches the golden file'
t_run 0 impact-agent --owners "$C/config/owners.txt" "$D4"
t_norm out | jq . >got.json
t_cmp "$C/golden/0004-review.json" got.json
t_end

t_begin 'the narrative covers verdict, breakage, locks, deploy order, rollback'
t_run 0 impact-agent "$D4"
jq -r .summary.narrative out >narrative.md
for h in Verdict 'What changes' 'What breaks' 'Locks and duration' \
    'Deploy order' 'Rollback plan'; do
	t_grep "^## $h\$" narrative.md
done
t_grep 'SET NOT NULL takes ACCESS EXCLUSIVE .*about 23 minutes' narrative.md
t_grep 'lock_timeout' narrative.md
t_end

t_begin 'requires_downtime: a long scan under ACCESS EXCLUSIVE needs it'
t_jq out '.summary.requires_downtime' true
t_jq out '.summary.verdict' needs_signoff
t_end

t_begin '-o writes the file atomically and nothing to stdout'
t_run 0 impact-agent -o sub.json "$D1"
t_check 'stdout is empty' test ! -s out
t_jq sub.json '.kind' review
t_run 73 impact-agent -o /nonexistent/dir/r.json "$D1"
t_end

t_begin 'ignore globs leave changes out; rule silences and severity overrides apply'
t_run 0 impact-agent --config "$C/config/ignore.json" "$D1"
t_jq out '[.changes[].id] | tostring' '["column:public.users.nickname:drop"]'
t_jq out '.ignored | tostring' '["column:public.users.legacy_flag:drop"]'
t_jq out '.summary.ignored' 1
t_jq out '.summary | "\(.changes) \(.by_op.drop)"' '1 1'
t_jq out '[.changes[0].assessment.findings[] | "\(.rule)=\(.severity)"] | join(",")' \
    'dropped-column-still-referenced=high'
t_jq out '.summary.verdict' needs_signoff
t_end

t_begin 'thresholds and throughput come from the config'
t_run 0 impact-agent --config "$C/config/thresholds.json" \
    "$C/0004-set-not-null/diff.json"
t_jq out '.changes[0].assessment.estimated_seconds' 21000
t_run 0 impact-agent "$C/0005-column-types/diff.json"
t_jq out '.changes[3].assessment.findings[0].severity' medium
cat >low.json <<'CFG'
{"large_table_bytes": 100000}
CFG
t_run 0 impact-agent --config low.json "$C/0005-column-types/diff.json"
t_jq out '[.changes[3].assessment.findings[].rule] | join(",")' \
    'column-type-rewrite,long-lock-on-large-table'
t_jq out '.changes[3].assessment.findings[0].severity' high
t_end

t_begin 'the rules configuration shown in the man page is accepted'
awk '/^\{"ignore"/ { on = 1 } on { print } /^ "throughput/ { on = 0 }' \
    "$TOP/man/impact-agent.1" | sed 's/\\e/\\/g' >man-config.json
t_check 'the example was found' grep -q index-dropped man-config.json
t_run 0 impact-agent --config man-config.json "$D1"
t_end

t_begin 'config errors exit 78 naming the key'
while IFS='|' read -r cfg key; do
	printf '%s\n' "$cfg" >bad.json
	t_run 78 impact-agent --config bad.json "$D1"
	t_grep "bad.json: .*$key" err
done <<'EOF2'
{"large_table_byte": 5}|"large_table_byte": unknown key
{"large_table_bytes": "big"}|"large_table_bytes" must be a number
{"large_table_rows": 0}|"large_table_rows" must be greater than 0
{"severity": {"no-such-rule": "low"}}|"severity.no-such-rule": unknown rule
{"severity": {"index-dropped": "urgent"}}|"severity.index-dropped" must be one of
{"ignore": "public.*"}|"ignore" must be an array
{"ignore": [{"rule": "nope"}]}|"ignore\[0\].rule": unknown rule
{"ignore": [{"rule": "index-dropped", "objects": "x"}]}|"ignore\[0\].objects": unknown key
{"throughput_mb_per_second": {"rewrite": -1}}|"throughput_mb_per_second.rewrite" must be
{"throughput_mb_per_second": {"copy": 5}}|"throughput_mb_per_second.copy": unknown key
{"prompt_file": "missing-prompt.md"}|"prompt_file": missing-prompt.md
[1, 2]|must be a JSON object
{"ignore": [|line [0-9]+: not valid JSON
EOF2
t_run 78 impact-agent --config nosuch.json "$D1"
t_grep 'nosuch.json' err
t_end

t_begin 'a readable prompt_file is accepted relative to the config'
mkdir cfgdir
echo 'Be brief.' >cfgdir/prompt.md
echo '{"prompt_file": "prompt.md"}' >cfgdir/c.json
t_run 0 impact-agent --config cfgdir/c.json "$D1"
t_end

t_begin 'owners: last matching line wins, top-level owners are sorted'
t_run 0 impact-agent --owners "$C/config/owners.txt" "$D1"
t_jq out '.changes[0].assessment.owners | tostring' '["@acme/identity"]'
t_jq out '.changes[1].assessment.owners | tostring' '["@alice","@acme/identity"]'
t_jq out '.owners | tostring' '["@acme/identity","@alice"]'
t_run 0 impact-agent --owners "$C/config/owners.txt" \
    "$C/0008-tables-schemas/diff.json"
t_jq out '[.changes[] | "\(.object)=\(.assessment.owners | join(" "))"] | join(",")' \
    'public.sessions=@acme/dba,public.tmp_import=@acme/dba,public.customers=@acme/dba,public.audit=@acme/dba,public.docs=@acme/dba,public.notes=@acme/dba,legacy=@acme/platform'
t_end

t_begin 'owners: DRIFT_OWNERS_FILE is read, --owners overrides it'
echo 'public.* @env/team' >env-owners.txt
DRIFT_OWNERS_FILE=env-owners.txt t_run 0 impact-agent "$D1"
t_jq out '.owners | tostring' '["@env/team"]'
DRIFT_OWNERS_FILE=env-owners.txt t_run 0 impact-agent \
    --owners "$C/config/owners.txt" "$D1"
t_jq out '.owners | tostring' '["@acme/identity","@alice"]'
t_run 0 impact-agent "$D1"
t_jq out '.owners | tostring' '[]'
t_end

t_begin 'owners: a malformed line or missing file exits 78'
printf 'public.*  @ok\npublic.users  not-a-handle\n' >bad-owners.txt
t_run 78 impact-agent --owners bad-owners.txt "$D1"
t_grep 'bad-owners.txt:2: owner "not-a-handle"' err
printf 'public.users\n' >bad-owners.txt
t_run 78 impact-agent --owners bad-owners.txt "$D1"
t_grep 'bad-owners.txt:1: pattern "public.users" has no owner' err
t_run 78 impact-agent --owners nosuch-owners.txt "$D1"
t_end

t_begin 'an empty diff reviews as safe'
jq '.changes = [] | .summary = {"changes": 0, "by_op": {}}' "$D1" >empty.json
t_run 0 impact-agent empty.json
t_jq out '.summary | [.risk, .verdict, .changes, .requires_downtime] | tostring' \
    '["info","safe",0,false]'
t_jq out '.summary.headline' 'No schema drift to review: prod matches staging'
t_end
t_done
