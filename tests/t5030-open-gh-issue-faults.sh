# t5030-open-gh-issue-faults.sh: refusals, rate limits, crashes between
# the work and its answer, and what each exits with.
. "${0%/*}/lib.sh"
. "$TESTS/lib/fake.sh"
C=$CASES/open-gh-issue
TOKEN=ghp-test-token
unset DRIFT_OUTBOX GITHUB_TOKEN_FILE
export GITHUB_REPOSITORY=acme/app GITHUB_TOKEN=$TOKEN DRIFT_HTTP_TRIES=2
S=github.state

# fresh: a new fake with the state given as JSON (default: empty)
fresh() {
	printf '%s\n' "${1:-{\}}" >init.json
	echo '[]' >"$T_TMP/github.script"
	fake_start github --init init.json
	GITHUB_API_URL=$FAKE_URL
	export GITHUB_API_URL
}

issues() {
	jq '.repos["acme/app"].issues | length' $S
}

t_begin 'an assignee GitHub refuses (422) is dropped; the issue is made'
fresh '{"repos": {"acme/app": {"collaborators": ["drift-bot", "carol"]}}}'
t_run 0 open-gh-issue -a bob -a @carol "$C/review-v1.json"
t_jq out '.github.action' created
t_grep 'assignee "bob" dropped: GitHub refuses it \(invalid\)' err
t_jq $S '.repos["acme/app"].issues[0].assignees | join(",")' carol
t_check 'two POSTs' test "$(fake_count github POST '/issues$')" = 2
t_check 'one issue' test "$(issues)" = 1
t_end

t_begin 'created but answered 500: found again, never made twice'
fresh
fake_script_text github '[{"method": "POST", "path": "/issues$", "times": 1, "status": 500, "after": true, "body": {"message": "Server Error"}}]'
t_run 0 open-gh-issue "$C/review-v1.json"
t_jq out '.github | [.number, .action] | join(" ")' '1 created'
t_check 'one POST' test "$(fake_count github POST '/issues$')" = 1
t_check 'one issue' test "$(issues)" = 1
t_grep 'looking for it before trying again' err
t_end

t_begin 'a re-run after a create answered 502 finds the issue'
fresh
fake_script_text github '[{"method": "POST", "path": "/issues$", "status": 502, "after": true}]'
DRIFT_HTTP_TRIES=1 t_run 0 open-gh-issue "$C/review-v1.json"
fake_script_text github '[]'
t_run 0 open-gh-issue "$C/review-v1.json"
t_jq out '.github | [.number, .action] | join(" ")' '1 unchanged'
t_check 'one issue' test "$(issues)" = 1
t_end

t_begin 'a create hung up before it landed is sent again after a lookup'
fresh
fake_script_text github '[{"method": "POST", "path": "/issues$", "times": 1, "hangup": true}]'
t_run 0 open-gh-issue "$C/review-v1.json"
t_jq out '.github | [.number, .action] | join(" ")' '1 created'
t_check 'two POSTs' test "$(fake_count github POST '/issues$')" = 2
t_check 'one issue' test "$(issues)" = 1
t_end

t_begin 'a create failing every time ends with 69, making nothing twice'
fresh
fake_script_text github '[{"method": "POST", "path": "/issues$", "status": 503, "body": {"message": "Service Unavailable"}}]'
t_run 69 open-gh-issue "$C/review-v1.json"
t_check 'two POSTs' test "$(fake_count github POST '/issues$')" = 2
t_grep 'creating the issue: HTTP 503' err
t_end

t_begin 'a comment that landed but was answered 500 is not repeated'
fresh
t_run 0 open-gh-issue "$C/review-v1.json"
fake_script_text github '[{"method": "POST", "path": "/comments$", "times": 1, "status": 500, "after": true}]'
t_run 0 open-gh-issue "$C/review-v2.json"
t_jq out '.github.action' updated
t_jq $S '.repos["acme/app"].issues[0].comments | length' 1
t_end

t_begin 'killed between comment and update: the re-run does not repeat it'
fresh
t_run 0 open-gh-issue "$C/review-v1.json"
fake_script_text github '[{"method": "PATCH", "path": "/issues/1$", "status": 401, "body": {"message": "Bad credentials"}}]'
t_run 77 open-gh-issue "$C/review-v2.json"
fake_script_text github '[]'
t_run 0 open-gh-issue "$C/review-v2.json"
t_jq out '.github.action' updated
t_jq $S '.repos["acme/app"].issues[0].comments | length' 1
t_jq $S '.repos["acme/app"].issues[0].body | test("fingerprint=sha256:2222")' true
t_end

t_begin 'a secondary rate limit (403 + Retry-After) is waited out'
fresh
fake_script_text github '[{"method": "GET", "path": "/issues\\?", "times": 1, "status": 403, "headers": {"Retry-After": "1"}, "body": {"message": "You have exceeded a secondary rate limit and have been temporarily blocked from content creation.", "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}}]'
t_run 0 open-gh-issue "$C/review-v1.json"
t_jq out '.github.action' created
t_grep 'rate limited, waiting 1 s' err
t_check 'the list was asked twice' \
    test "$(fake_count github GET '^/repos/acme/app/issues\?')" = 2
t_end

t_begin 'a secondary rate limit on the create is waited out, not duplicated'
fresh
fake_script_text github '[{"method": "POST", "path": "/issues$", "times": 1, "status": 403, "headers": {"Retry-After": "0"}, "body": {"message": "You have exceeded a secondary rate limit."}}]'
t_run 0 open-gh-issue "$C/review-v1.json"
t_check 'two POSTs' test "$(fake_count github POST '/issues$')" = 2
t_check 'one issue' test "$(issues)" = 1
t_end

t_begin 'primary limit exhausted until a reset an hour away: 75 at once'
fresh '{"rate": {"core": 0}}'
t_run 75 open-gh-issue "$C/review-v1.json"
t_grep 'rate limited for [0-9]+ s more' err
t_check 'one request' test "$(fake_count github GET .)" = 1
t_end

t_begin '429 on the create is retried (refused before processing)'
fresh
fake_script_text github '[{"method": "POST", "path": "/issues$", "times": 1, "status": 429, "headers": {"Retry-After": "0"}}]'
t_run 0 open-gh-issue "$C/review-v1.json"
t_check 'one issue' test "$(issues)" = 1
t_end

t_begin 'a 503 on the lookup is retried'
fresh
fake_script_text github '[{"method": "GET", "path": "/issues\\?", "times": 1, "status": 503, "headers": {"Retry-After": "0"}}]'
t_run 0 open-gh-issue "$C/review-v1.json"
t_jq out '.github.action' created
t_end

t_begin 'a bad token is 77 and not retried'
fresh
GITHUB_TOKEN=wrong t_run 77 open-gh-issue "$C/review-v1.json"
t_grep 'HTTP 401: .*Bad credentials' err
t_check 'one request' test "$(fake_count github GET .)" = 1
t_nogrep wrong err
t_end

t_begin 'a token without access (403, not a rate limit) is 77'
fresh
fake_script_text github '[{"path": "/issues", "status": 403, "body": {"message": "Resource not accessible by personal access token"}}]'
t_run 77 open-gh-issue "$C/review-v1.json"
t_grep 'Resource not accessible' err
t_end

t_begin 'an unknown repository is 78 naming it'
fresh
GITHUB_REPOSITORY=acme/nope t_run 78 open-gh-issue "$C/review-v1.json"
t_grep 'repository "acme/nope" not found' err
t_end

t_begin 'issues disabled on the repository (410) is 78'
fresh '{"repos": {"acme/app": {"has_issues": false}}}'
t_run 78 open-gh-issue "$C/review-v1.json"
t_grep 'issues are disabled on "acme/app"' err
t_end

t_begin 'labels dropped for want of push access: warned, found by search'
fresh '{"repos": {"acme/app": {"push": false}}}'
t_run 0 open-gh-issue "$C/review-v1.json"
t_grep 'lacks the label "schema-drift"' err
t_run 0 open-gh-issue "$C/review-v1.json"
t_jq out '.github | [.number, .action] | join(" ")' '1 unchanged'
t_check 'one issue' test "$(issues)" = 1
t_end

t_begin 'the token appears in no output or diagnostic'
for f in out err; do t_nogrep "$TOKEN" $f; done
t_end

t_done
