# t5040-open-gh-issue-outbox.sh: DRIFT_OUTBOX keeps the issue's life in a
# file, needs no GitHub settings, and shows exactly what would be posted,
# hostile input included.
. "${0%/*}/lib.sh"
C=$CASES/open-gh-issue
unset GITHUB_REPOSITORY GITHUB_TOKEN GITHUB_TOKEN_FILE GITHUB_API_URL
export DRIFT_OUTBOX=$T_TMP/outbox
F=outbox/staging-prod-app.issue.md
K=outbox/staging-prod-app.comments.md

t_begin 'no file yet: the issue is written, action outbox'
t_run 0 open-gh-issue "$C/review-v1.json"
t_jq out '.github | [.action, .url] | join(" ")' "outbox file://$T_TMP/$F"
t_jq out '.github | [.repository, .number] | map(tostring) | join(" ")' \
    'null null'
t_cmp "$C/v1.issue.md" $F
t_check 'no comments yet' test ! -e $K
t_end

t_begin 'the same drift: the file is left alone, action unchanged'
cp $F before.md
touch -d '2001-01-01' $F
t_run 0 open-gh-issue "$C/review-v1.json"
t_jq out '.github.action' unchanged
t_grep 'outbox: unchanged ' err
t_check 'not rewritten' test "$(date -r $F +%Y)" = 2001
t_end

t_begin 'a new drift: the file is rewritten and a comment says what changed'
t_run 0 open-gh-issue "$C/review-v2.json"
t_jq out '.github.action' outbox
t_grep 'outbox: updated ' err
t_grep '^<!-- drift-review pair=staging-prod-app fingerprint=sha256:2222' $F
t_grep '^state: open$' $F
t_grep '^<!-- drift-review changed fingerprint=sha256:2222' $K
t_grep '^- `table:public.audit_log:drop` \(high\)$' $K
t_end

t_begin 'the same new drift: no second comment'
cp $K comments.before
t_run 0 open-gh-issue "$C/review-v2.json"
t_cmp comments.before $K
t_end

t_begin 'no drift: a "resolved" comment and the file marked closed'
t_run 0 open-gh-issue "$C/review-none.json"
t_jq out '.github.action' outbox
t_grep 'outbox: closed ' err
t_grep '^state: closed$' $F
t_grep 'Drift resolved' $K
t_end

t_begin 'no drift and nothing open: nothing is written'
cp $F closed.md
t_run 0 open-gh-issue "$C/review-none.json"
t_jq out '.github.action' unchanged
t_grep 'outbox: unchanged ' err
t_cmp closed.md $F
t_end

t_begin 'assignees are kept in the file'
rm -rf outbox
t_run 0 open-gh-issue -a alice -l drift -l ops "$C/review-v1.json"
t_grep '^assignees: alice$' $F
t_grep '^labels: drift, ops, risk-critical$' $F
t_end

t_begin 'hostile names and texts cannot mention, reference or forge'
rm -rf outbox
t_run 0 open-gh-issue --no-page "$C/review-hostile.json"
t_cmp "$C/hostile.issue.md" $F
# live mentions: "@" not followed by U+200B ZERO WIDTH SPACE
python3 -c '
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
print(" ".join(sorted(set(re.findall(r"@(?!\u200b)[\w/.-]+", text)))))
print(len(re.findall(r"#(?!\u200b)\d", text)))
print(len(re.findall(r"<!--", text)), text.count("<img"))
' $F >mentions
printf '%s\n' '@acme/dba' 0 '2 0' >mentions.expected
t_cmp mentions.expected mentions
t_grep 'owner "bad owner" is not a GitHub handle; not tagged' err
t_end

t_begin '3000 changes: the body is cut under GitHub limit, pointing on'
rm -rf outbox
jq '.changes = [range(0; 3000) as $i | .changes[0] |
    .id = "column:public.t\($i).c:drop" | .object = "public.t\($i).c" |
    .assessment.findings[0].message = ("a long message " * 20)]' \
    "$C/review-v1.json" >big.json
t_run 0 open-gh-issue big.json
t_check 'under 65,000 bytes' test "$(sed '1,/^$/d' $F | wc -c)" -le 65000
t_grep '^…and [0-9]+ more changes, left out to keep this issue under' $F
t_grep '^- \[ \] The rollback plan is accepted although 3000 changes' $F
t_end

t_begin 'the outbox example of the man page'
rm -rf outbox
DRIFT_OUTBOX=outbox open-gh-issue --no-page "$C/review-v1.json" >/dev/null 2>&1
sed -n 1p outbox/staging-prod-app.issue.md >title
echo 'title: [schema drift] staging → prod (app): critical, 4 changes' \
    >title.expected
t_cmp title.expected title
t_check 'the man page shows it' grep -q \
    '^title: \[schema drift\] staging \\(-> prod (app): critical, 4 changes$' \
    "$TOP/man/open-gh-issue.1"
t_end

t_begin 'an outbox that cannot be made is 73'
DRIFT_OUTBOX=/dev/null/x t_run 73 open-gh-issue "$C/review-v1.json"
t_end

t_done
