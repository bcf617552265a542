# t5010-open-gh-issue-lifecycle.sh: one issue per pair through its life
# against the fake GitHub: created, unchanged, updated with a comment on
# what changed, closed when the drift is gone, and nothing when none is
# open.
. "${0%/*}/lib.sh"
. "$TESTS/lib/fake.sh"
C=$CASES/open-gh-issue
TOKEN=ghp-test-token
unset DRIFT_OUTBOX GITHUB_TOKEN_FILE
export GITHUB_REPOSITORY=acme/app GITHUB_TOKEN=$TOKEN DRIFT_HTTP_TRIES=2
fake_start github
export GITHUB_API_URL=$FAKE_URL
S=github.state

# mutations: POST and PATCH requests in the log
mutations() {
	jq -s '[.[] | select(.method != "GET")] | length' github.requests
}

t_begin 'no open issue: the issue is created with labels and the marker'
t_run 0 open-gh-issue -o review.json "$C/review-v1.json"
t_jq review.json '.github | [.repository, .number, .url, .action] | join(" ")' \
    'acme/app 1 https://github.com/acme/app/issues/1 created'
t_jq review.json '.github.posted_at | test("^[0-9-]{10}T[0-9:]{8}Z$")' true
t_jq review.json '.confluence.id' 98765
t_jq review.json '.changes | length' 4
t_jq $S '.repos["acme/app"].issues | length' 1
t_jq $S '.repos["acme/app"].issues[0].labels | join(",")' \
    'schema-drift,needs-signoff,risk-critical'
t_jq $S '.repos["acme/app"].issues[0].title' \
    '[schema drift] staging → prod (app): critical, 4 changes'
t_jq $S '.repos["acme/app"].issues[0].body | split("\n")[0]' \
    '<!-- drift-review pair=staging-prod-app fingerprint=sha256:1111111111111111111111111111111111111111111111111111111111111111 -->'
t_check 'stdout is empty with -o' test ! -s out
t_end

t_begin 'every request carries the headers GitHub requires'
# hdr NAME VALUE: every logged request carried header NAME: VALUE
hdr() {
	got=$(jq -rs --arg h "$1" '[.[].headers[$h]] | unique | join(",")' \
	    github.requests)
	[ "$got" = "$2" ] || t_fail "header $1: got '$got', expected '$2'"
}
hdr accept 'application/vnd.github+json'
hdr x-github-api-version '2022-11-28'
hdr user-agent 'drift-review/0.1.0'
hdr authorization "Bearer $TOKEN"
t_end

t_begin 'the body links the page, tags owners, lists what matters'
jq -r '.repos["acme/app"].issues[0].body' $S >body.md
t_grep '^Full review: \[Schema drift review: staging → prod \(app\)\]\(https://acme.atlassian.net/wiki/spaces/ENG/pages/98765\)$' body.md
t_grep '^\| \*\*critical\*\* \| drop column \| `public.users.nickname` \|' body.md
t_grep '^\| medium \| add index \| `public.orders_created_idx` \|' body.md
t_nogrep '\| `public.orders.note`' body.md
t_grep '^- `public.mood` \(alter type\): \*\*irreversible\*\*' body.md
t_grep '^- \[ \] @acme/identity-team: ' body.md
t_grep '^- \[ \] The rollback plan is accepted although 2 changes' body.md
t_end

t_begin 'the same drift again: nothing is written'
fake_reset_log github
t_run 0 open-gh-issue "$C/review-v1.json"
t_jq out '.github.action' unchanged
t_jq out '.github.number' 1
t_check 'no POST or PATCH' test "$(mutations)" = 0
t_end

t_begin 'a new fingerprint: one comment on what changed, then the update'
curl -s -X PATCH -H "Authorization: Bearer $TOKEN" -H 'User-Agent: t' \
    -d '{"labels": ["schema-drift", "needs-signoff", "risk-critical", "approved"]}' \
    "$FAKE_URL/repos/acme/app/issues/1" >/dev/null
fake_reset_log github
t_run 0 open-gh-issue "$C/review-v2.json"
t_jq out '.github.action' updated
t_jq $S '.repos["acme/app"].issues | length' 1
t_jq $S '.repos["acme/app"].issues[0].comments | length' 1
t_jq $S '.repos["acme/app"].issues[0].labels | join(",")' \
    'schema-drift,needs-signoff,approved,risk-critical'
t_jq $S '.repos["acme/app"].issues[0].body | split("\n")[0] | test("fingerprint=sha256:2222")' true
jq -r '.repos["acme/app"].issues[0].comments[0].body' $S >comment.md
t_grep '^<!-- drift-review changed fingerprint=sha256:2222' comment.md
t_grep 'Earlier approvals no longer apply' comment.md
t_grep '^- `table:public.audit_log:drop` \(high\)$' comment.md
t_grep '^No longer part of the drift \(1\):$' comment.md
t_grep '^- `type:public.mood:alter` \(low\)$' comment.md
t_grep '^- `column:public.orders.note:alter` \(low → high\)$' comment.md
t_nogrep 'public.users.nickname' comment.md
t_grep '^@acme/dba @acme/identity-team @acme/orders$' comment.md
t_jq github.requests 'select(.method != "GET") | .method' 'POST
PATCH'
t_end

t_begin 'the new drift again: unchanged, no second comment'
t_run 0 open-gh-issue "$C/review-v2.json"
t_jq out '.github.action' unchanged
t_jq $S '.repos["acme/app"].issues[0].comments | length' 1
t_end

t_begin 'no drift any more: "resolved" comment, then closed'
t_run 0 open-gh-issue "$C/review-none.json"
t_jq out '.github | [.number, .action] | join(" ")' '1 closed'
t_jq $S '.repos["acme/app"].issues[0] | [.state, .state_reason] | join(" ")' \
    'closed completed'
t_jq $S '.repos["acme/app"].issues[0].comments[1].body | test("Drift resolved")' \
    true
t_end

t_begin 'no drift and no open issue: nothing is written'
fake_reset_log github
t_run 0 open-gh-issue "$C/review-none.json"
t_jq out '.github | [.number, .url, .action] | map(tostring) | join(" ")' \
    'null null unchanged'
t_check 'no POST or PATCH' test "$(mutations)" = 0
t_end

t_begin 'drift again after the close: a new issue, not a reopened one'
t_run 0 open-gh-issue "$C/review-v1.json"
t_jq out '.github | [.number, .action] | join(" ")' '2 created'
t_end

t_begin 'the token may come from GITHUB_TOKEN_FILE'
printf '%s\n' "$TOKEN" >token
t_run 0 env -u GITHUB_TOKEN GITHUB_TOKEN_FILE=token open-gh-issue \
    "$C/review-v1.json"
t_jq out '.github | [.number, .action] | join(" ")' '2 unchanged'
t_end

t_begin 'the token is never printed'
t_run 0 open-gh-issue -v "$C/review-v2.json"
t_grep '^open-gh-issue: github: updated issue #2 https://github.com/acme/app/issues/2$' err
t_nogrep "$TOKEN" out
t_nogrep "$TOKEN" err
t_nogrep "$TOKEN" review.json
t_end

t_done
