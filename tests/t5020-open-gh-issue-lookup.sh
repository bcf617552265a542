# t5020-open-gh-issue-lookup.sh: finding the pair's issue among many, by
# its marker only: pagination, pull requests, forged markers, the search
# fallback for an issue that lost its label, duplicates, CRLF bodies and
# a GitHub Enterprise base URL.
. "${0%/*}/lib.sh"
. "$TESTS/lib/fake.sh"
C=$CASES/open-gh-issue
unset DRIFT_OUTBOX GITHUB_TOKEN_FILE
export GITHUB_TOKEN=ghp-test-token DRIFT_HTTP_TRIES=2
MARK='<!-- drift-review pair=staging-prod-app fingerprint=sha256:1111111111111111111111111111111111111111111111111111111111111111 -->'

# One fake for every test, each test in a repository of its own.
jq -n --arg mark "$MARK" '{repos: {
  "acme/pages": {issues: ([range(1; 151) | {number: ., labels: ["schema-drift"],
      body: "<!-- drift-review pair=other-\(.) fingerprint=sha256:0 -->"}] +
      [{number: 151, labels: ["schema-drift"], body: ($mark + "\nold text")}])},
  "acme/pr": {issues: [{number: 7, pull_request: true,
      labels: ["schema-drift"], body: $mark}]},
  "acme/quoted": {issues: [{number: 3, labels: ["schema-drift"],
      body: ("see below\n" + $mark)}]},
  "acme/unlabelled": {issues: [{number: 5, labels: [], body: $mark}]},
  "acme/app": {},
  "acme/case": {issues: [{number: 1, labels: ["Schema-Drift", "Risk-Low"],
      body: $mark}]},
  "acme/other": {issues: [{number: 9, labels: [], body: $mark}]},
  "acme/closed": {issues: [{number: 2, labels: ["schema-drift"],
      state: "closed", body: $mark}]},
  "acme/dups": {issues: [{number: 4, labels: ["schema-drift"], body: $mark},
      {number: 2, labels: ["schema-drift"], body: $mark}]},
  "acme/crlf": {issues: [{number: 6, labels: ["schema-drift"],
      body: ($mark + "\r\n<!-- drift-review changes\r\n" +
      "type:public.mood:alter 3cff9eeceac60338 low\r\n-->\r\ntext")}]},
  "acme/ghes": {issues: ([range(1; 101) | {number: ., labels: ["schema-drift"],
      body: "x"}] + [{number: 101, labels: ["schema-drift"], body: $mark}])}
}}' >init.json
fake_start github --init init.json
export GITHUB_API_URL=$FAKE_URL

# use REPO: run the next test in acme/REPO with a fresh request log
use() {
	R=acme/$1
	GITHUB_REPOSITORY=$R
	export GITHUB_REPOSITORY
	fake_reset_log github
}

count() {
	fake_count github "$1" "$2"
}

t_begin '150 other labelled issues: ours is found on the second page'
use pages
t_run 0 open-gh-issue "$C/review-v1.json"
t_jq out '.github | [.number, .action] | join(" ")' '151 unchanged'
t_check 'two pages listed' test "$(count GET '/issues\?')" = 2
t_jq github.requests 'select(.path | test("^/repositories/")) | .path | test("page=2")' true
t_check 'no search' test "$(count GET '^/search/')" = 0
t_end

t_begin 'a pull request carrying the marker is not the issue'
use pr
t_run 0 open-gh-issue "$C/review-v1.json"
t_jq out '.github | [.number, .action] | join(" ")' '8 created'
t_end

t_begin 'a marker quoted inside another body does not count'
use quoted
t_run 0 open-gh-issue "$C/review-v1.json"
t_jq out '.github | [.number, .action] | join(" ")' '4 created'
t_end

t_begin 'an issue whose label was removed is found by search'
use unlabelled
t_run 0 open-gh-issue "$C/review-v1.json"
t_jq out '.github | [.number, .action] | join(" ")' '5 unchanged'
t_grep 'issue #5 of pair staging-prod-app found by search only' err
t_check 'one search' test "$(count GET '^/search/issues\?q=')" = 1
t_jq github.requests 'select(.path | test("^/search")) | .path | test("repo%3Aacme%2Funlabelled%20.*%22drift-review%20pair%3Dstaging-prod-app%22")' true
t_end

t_begin 'a new version puts the label back on an issue found by search'
use unlabelled
t_run 0 open-gh-issue "$C/review-v2.json"
t_jq out '.github | [.number, .action] | join(" ")' '5 updated'
t_jq github.state '.repos["acme/unlabelled"].issues[0].labels | join(",")' \
    'schema-drift,needs-signoff,risk-critical'
t_end

t_begin 'labels differing in case only are the same label'
use case
t_run 0 open-gh-issue "$C/review-v2.json"
t_jq out '.github | [.number, .action] | join(" ")' '1 updated'
t_check 'no search needed' test "$(count GET '^/search/')" = 0
t_nogrep 'lacks the label' err
t_jq github.state '.repos["acme/case"].issues[0].labels | join(",")' \
    'Schema-Drift,needs-signoff,risk-critical'
t_end

t_begin 'issues of other repositories, or closed ones, are not taken'
use app
t_run 0 open-gh-issue "$C/review-v1.json"
t_jq out '.github | [.repository, .number, .action] | join(" ")' \
    'acme/app 1 created'
use closed
t_run 0 open-gh-issue "$C/review-v1.json"
t_jq out '.github | [.repository, .number, .action] | join(" ")' \
    'acme/closed 3 created'
t_end

t_begin 'two open issues for the pair: the oldest is used, with a warning'
use dups
t_run 0 open-gh-issue "$C/review-v1.json"
t_jq out '.github | [.number, .action] | join(" ")' '2 unchanged'
t_grep '2 open issues carry the marker of pair staging-prod-app; using the oldest, #2' err
t_end

t_begin 'a body edited in the browser (CRLF line ends) still matches'
use crlf
t_run 0 open-gh-issue "$C/review-v2.json"
t_jq out '.github | [.number, .action] | join(" ")' '6 updated'
t_jq github.state '.repos["acme/crlf"].issues[0].comments[0].body | test("No longer part of the drift \\(1\\):\n- `type:public.mood:alter` \\(low\\)")' true
t_end

t_begin 'GitHub Enterprise Server: /api/v3 base, pages followed under it'
use ghes
GITHUB_API_URL=$FAKE_URL/api/v3/ t_run 0 open-gh-issue "$C/review-v1.json"
t_jq out '.github | [.number, .action] | join(" ")' '101 unchanged'
t_jq github.requests '.path | startswith("/api/v3/")' 'true
true'
t_jq github.requests '.path | test("//")' 'false
false'
t_end

t_done
