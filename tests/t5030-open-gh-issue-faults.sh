# t5030-open-gh-issue-faults.sh: refusals, rate limits, crashes between
# the work and its answer, and what each exits with.
. "${0%/*}/lib.sh"
. "$TESTS/lib/fake.sh"
C=$CASES/open-gh-issue
TOKEN=ghp-test-token
unset DRIFT_OUTBOX GITHUB_TOKEN_FILE
export GITHUB_TOKEN=$TOKEN DRIFT_HTTP_TRIES=2
S=github.state

# One fake serves every test, each in a repository of its own (starting
# a server costs more than the tests): acme/tN, with the settings below.
cat >init.json <<'JSON'
{"repos": {
 "acme/t1": {"collaborators": ["drift-bot", "carol"]},
 "acme/t2": {}, "acme/t3": {}, "acme/t4": {}, "acme/t5": {}, "acme/t6": {},
 "acme/t7": {}, "acme/t8": {}, "acme/t9": {}, "acme/t10": {},
 "acme/t11": {}, "acme/t12": {}, "acme/t13": {}, "acme/t14": {},
 "acme/t17": {}, "acme/t18": {},
 "acme/t15": {"has_issues": false}, "acme/t16": {"push": false}}}
JSON
fake_start github --init init.json
export GITHUB_API_URL=$FAKE_URL

# use N: run the next test in acme/tN with an empty script and log
use() {
	R=acme/t$1
	GITHUB_REPOSITORY=$R
	export GITHUB_REPOSITORY
	fake_script_text github '[]'
	fake_reset_log github
}

# jq over the current repository's state
repo() {
	jq -r --arg r "$R" ".repos[\$r] | $1" $S
}

issues() {
	repo '.issues | length'
}

t_begin 'an assignee GitHub refuses (422) is dropped; the issue is made'
use 1
t_run 0 open-gh-issue -a bob -a @carol "$C/review-v1.json"
t_jq out '.github.action' created
t_grep 'assignee "bob" dropped: GitHub refuses it \(invalid\)' err
t_check 'assigned to carol' test "$(repo '.issues[0].assignees | join(",")')" = carol
t_check 'two POSTs' test "$(fake_count github POST '/issues$')" = 2
t_check 'one issue' test "$(issues)" = 1
t_end

t_begin 'created but answered 500: found again, never made twice'
use 2
fake_script_text github '[{"method": "POST", "path": "/issues$", "times": 1, "status": 500, "after": true, "body": {"message": "Server Error"}}]'
t_run 0 open-gh-issue "$C/review-v1.json"
t_jq out '.github | [.number, .action] | join(" ")' '1 created'
t_check 'one POST' test "$(fake_count github POST '/issues$')" = 1
t_check 'one issue' test "$(issues)" = 1
t_grep 'looking for it before trying again' err
t_end

t_begin 'a re-run after a create answered 502 finds the issue'
use 3
fake_script_text github '[{"method": "POST", "path": "/issues$", "status": 502, "after": true}]'
DRIFT_HTTP_TRIES=1 t_run 0 open-gh-issue "$C/review-v1.json"
fake_script_text github '[]'
t_run 0 open-gh-issue "$C/review-v1.json"
t_jq out '.github | [.number, .action] | join(" ")' '1 unchanged'
t_check 'one issue' test "$(issues)" = 1
t_end

t_begin 'a create hung up before it landed is sent again after a lookup'
use 4
fake_script_text github '[{"method": "POST", "path": "/issues$", "times": 1, "hangup": true}]'
t_run 0 open-gh-issue "$C/review-v1.json"
t_jq out '.github | [.number, .action] | join(" ")' '1 created'
t_check 'two POSTs' test "$(fake_count github POST '/issues$')" = 2
t_check 'one issue' test "$(issues)" = 1
t_end

t_begin 'a create failing every time ends with 69, making nothing twice'
use 5
fake_script_text github '[{"method": "POST", "path": "/issues$", "status": 503, "body": {"message": "Service Unavailable"}}]'
t_run 69 open-gh-issue "$C/review-v1.json"
t_check 'two POSTs' test "$(fake_count github POST '/issues$')" = 2
t_grep 'creating the issue: HTTP 503' err
t_end

t_begin 'a comment that landed but was answered 500 is not repeated'
use 6
t_run 0 open-gh-issue "$C/review-v1.json"
fake_script_text github '[{"method": "POST", "path": "/comments$", "times": 1, "status": 500, "after": true}]'
t_run 0 open-gh-issue "$C/review-v2.json"
t_jq out '.github.action' updated
t_check 'one comment' test "$(repo '.issues[0].comments | length')" = 1
t_end

t_begin 'killed between comment and update: the re-run does not repeat it'
use 7
t_run 0 open-gh-issue "$C/review-v1.json"
fake_script_text github '[{"method": "PATCH", "path": "/issues/1$", "status": 401, "body": {"message": "Bad credentials"}}]'
t_run 77 open-gh-issue "$C/review-v2.json"
fake_script_text github '[]'
t_run 0 open-gh-issue "$C/review-v2.json"
t_jq out '.github.action' updated
t_check 'one comment' test "$(repo '.issues[0].comments | length')" = 1
t_check 'the body is updated' test "$(repo '.issues[0].body | test("fingerprint=sha256:2222")')" = true
t_end

t_begin 'a secondary rate limit (403 + Retry-After) is waited out'
use 8
fake_script_text github '[{"method": "GET", "path": "/issues\\?", "times": 1, "status": 403, "headers": {"Retry-After": "1"}, "body": {"message": "You have exceeded a secondary rate limit and have been temporarily blocked from content creation.", "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}}]'
t_run 0 open-gh-issue "$C/review-v1.json"
t_jq out '.github.action' created
t_grep 'rate limited, waiting 1 s' err
t_check 'the list was asked twice' \
    test "$(fake_count github GET '^/repos/acme/t8/issues\?')" = 2
t_end

t_begin 'a secondary rate limit on the create is waited out, not duplicated'
use 9
fake_script_text github '[{"method": "POST", "path": "/issues$", "times": 1, "status": 403, "headers": {"Retry-After": "0"}, "body": {"message": "You have exceeded a secondary rate limit."}}]'
t_run 0 open-gh-issue "$C/review-v1.json"
t_check 'two POSTs' test "$(fake_count github POST '/issues$')" = 2
t_check 'one issue' test "$(issues)" = 1
t_end

t_begin '429 on the create is retried (refused before processing)'
use 10
fake_script_text github '[{"method": "POST", "path": "/issues$", "times": 1, "status": 429, "headers": {"Retry-After": "0"}}]'
t_run 0 open-gh-issue "$C/review-v1.json"
t_check 'one issue' test "$(issues)" = 1
t_end

t_begin 'a 503 on the lookup is retried'
use 11
fake_script_text github '[{"method": "GET", "path": "/issues\\?", "times": 1, "status": 503, "headers": {"Retry-After": "0"}}]'
t_run 0 open-gh-issue "$C/review-v1.json"
t_jq out '.github.action' created
t_end

t_begin 'a bad token is 77 and not retried'
use 12
GITHUB_TOKEN=wrong t_run 77 open-gh-issue "$C/review-v1.json"
t_grep 'HTTP 401: .*Bad credentials' err
t_check 'one request' test "$(fake_count github GET .)" = 1
t_nogrep wrong err
t_end

t_begin 'a token without access (403, not a rate limit) is 77'
use 13
fake_script_text github '[{"path": "/issues", "status": 403, "body": {"message": "Resource not accessible by personal access token"}}]'
t_run 77 open-gh-issue "$C/review-v1.json"
t_grep 'Resource not accessible' err
t_end

t_begin 'an unknown repository is 78 naming it'
use 14
GITHUB_REPOSITORY=acme/nope t_run 78 open-gh-issue "$C/review-v1.json"
t_grep 'repository "acme/nope" not found' err
t_end

t_begin 'issues disabled on the repository (410) is 78'
use 15
t_run 78 open-gh-issue "$C/review-v1.json"
t_grep 'issues are disabled on "acme/t15"' err
t_end

t_begin 'labels dropped for want of push access: warned, found by search'
use 16
t_run 0 open-gh-issue "$C/review-v1.json"
t_grep 'lacks the label "schema-drift"' err
t_run 0 open-gh-issue "$C/review-v1.json"
t_jq out '.github | [.number, .action] | join(" ")' '1 unchanged'
t_check 'one issue' test "$(issues)" = 1
t_end

t_begin 'a title over GitHub limit is shortened, not refused'
use 17
jq '.from.label = ("prod-" * 60)' "$C/review-v1.json" >long.json
t_run 0 open-gh-issue long.json
t_jq out '.github.action' created
t_check 'at most 256 characters' test "$(repo '.issues[0].title | length')" \
    -le 256
t_check 'marked as cut' test "$(repo '.issues[0].title | endswith("…")')" \
    = true
t_end

t_begin 'an issue deleted since it was found: 75, the next run opens one'
use 18
t_run 0 open-gh-issue "$C/review-v1.json"
fake_script_text github '[{"path": "/issues/1(/|$)", "status": 404, "body": {"message": "Not Found"}}]'
t_run 75 open-gh-issue "$C/review-v2.json"
t_grep 'issue #1 is gone \(moved or deleted\); run again' err
t_end

t_begin 'the token appears in no output or diagnostic'
t_check 'only the fake knows it' sh -c \
    "! grep -rl '$TOKEN' --exclude='github.*' ."
t_end

# last: a fake of its own, with no requests left
t_begin 'primary limit exhausted until a reset an hour away: 75 at once'
echo '{"rate": {"core": 0}}' >init.json
fake_start github --init init.json
GITHUB_API_URL=$FAKE_URL GITHUB_REPOSITORY=acme/app t_run 75 open-gh-issue \
    "$C/review-v1.json"
t_grep 'rate limited for [0-9]+ s more' err
t_check 'one request' test "$(fake_count github GET .)" = 1
t_end

t_done
