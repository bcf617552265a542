# t4530-post-confluence-faults.sh: version races, retries, lost answers,
# refusals: each ends in the right page state and the right exit status.
. "${0%/*}/lib.sh"
. "$TESTS/lib/fake.sh"
C=$CASES/post-confluence
TOKEN=tok-alice-SECRET
unset CONFLUENCE_PARENT_ID CONFLUENCE_PAT CONFLUENCE_TOKEN_FILE \
    CONFLUENCE_PAT_FILE DRIFT_OUTBOX CONFLUENCE_CA_FILE
fake_start confluence
export CONFLUENCE_URL=$FAKE_URL/wiki CONFLUENCE_SPACE=OPS \
    CONFLUENCE_USER=alice@example.com CONFLUENCE_TOKEN=$TOKEN \
    DRIFT_HTTP_TRIES=3
TITLE='Schema drift review: staging → prod (app)'
PAGES='^/wiki/api/v2/pages'
no_token() {
	t_nogrep "$TOKEN" out
	t_nogrep "$TOKEN" err
}
fake_set() {
	curl -s -o /dev/null -X POST -d "$1" "$FAKE_URL/_fake/state"
	fake_reset_log confluence
}
# A page of ours at version 1 showing fingerprint $1.
one_page() {
	fake_set '{"race_edits": 0, "pages": [{"id": "900", "spaceId": "98304",
	  "spaceKey": "OPS", "status": "current", "title": "'"$TITLE"'",
	  "parentId": null, "version": 1, "message": "", "body": "<p>x</p>",
	  "labels": ["schema-drift", "migration-review", "risk-critical"],
	  "properties": {"drift-review": {"id": "901", "key": "drift-review",
	  "version": 1, "value": {"pair": "staging-prod-app",
	  "fingerprint": "'"$1"'"}}}}]}'
}
pages() {
	jq '.pages | length' confluence.state
}

t_begin '409: someone saved a version meanwhile; read again, retry once'
one_page sha256:old
fake_set '{"race_edits": 1}'
t_run 0 post-confluence "$C/review.json" --api v2
t_jq out '.confluence | [.id, .version, .action] | join(" ")' '900 3 updated'
t_check 'two PUTs' test "$(fake_count confluence PUT "$PAGES/900\$")" = 2
t_check 'read again' test "$(fake_count confluence GET "$PAGES/900\$")" = 1
t_jq confluence.state '.pages[0].properties["drift-review"].version' 2
t_end

t_begin '409 twice: temporary failure (75), the page keeps the other write'
one_page sha256:old
fake_set '{"race_edits": 2}'
t_run 75 post-confluence --api v2 "$C/review.json"
t_grep 'confluence: page 900 got a new version again while being updated; try again later' err
t_check 'two PUTs' test "$(fake_count confluence PUT "$PAGES/900\$")" = 2
t_jq confluence.state '.pages[0].properties["drift-review"].value.fingerprint' sha256:old
t_end

t_begin '429 with Retry-After is waited out, then the page is published'
fake_set '{"pages": []}'
fake_script_text confluence '[{"method": "GET", "path": "^/wiki/api/v2/pages\\?", "times": 1, "status": 429, "headers": {"Retry-After": "1", "X-RateLimit-Limit": "10"}, "body": {"errors": [{"status": 429, "code": "TOO_MANY_REQUESTS", "title": "Rate limit exceeded", "detail": null}]}}]'
t_run 0 post-confluence --api v2 "$C/review.json"
t_jq out '.confluence.action' created
t_check 'lookup tried twice' test "$(fake_count confluence GET "$PAGES\\?")" = 2
t_grep 'confluence: server busy, retrying in 1\.0 s' err
t_end

t_begin 'a 429 that persists: 75 after the bounded tries'
fake_set '{"pages": []}'
fake_script_text confluence '[{"method": "GET", "path": "^/wiki/api/v2/spaces", "status": 429, "headers": {"Retry-After": "0"}, "body": {"errors": [{"status": 429, "code": "TOO_MANY_REQUESTS", "title": "Rate limit exceeded", "detail": null}]}}]'
t_run 75 post-confluence --api v2 "$C/review.json"
t_grep '^post-confluence: confluence: looking up the space: HTTP 429: Rate limit exceeded \(after 3 tries\)$' err
t_check 'three tries' test "$(fake_count confluence GET '^/wiki/api/v2/spaces')" = 3
t_end

t_begin 'a Retry-After beyond two minutes is not slept: 75 at once'
fake_script_text confluence '[{"method": "GET", "path": "^/wiki/api/v2/spaces", "status": 503, "headers": {"Retry-After": "3600"}}]'
t_run 75 post-confluence --api v2 "$C/review.json"
t_grep 'server asked to wait 3600 s' err
t_end

t_begin '503 on an update is retried (an update is idempotent)'
one_page sha256:old
fake_script_text confluence '[{"method": "PUT", "path": "^/wiki/api/v2/pages/900$", "times": 1, "status": 503, "headers": {"Retry-After": "0"}}]'
t_run 0 post-confluence --api v2 "$C/review.json"
t_jq out '.confluence | [.version, .action] | join(" ")' '2 updated'
t_check 'two PUTs' test "$(fake_count confluence PUT "$PAGES/900\$")" = 2
t_end

t_begin 'a 5xx that persists: service unavailable (69)'
fake_script_text confluence '[{"method": "GET", "path": "^/wiki/rest/api/user/current", "status": 502, "body": "<html>Bad Gateway</html>"}]'
t_run 69 post-confluence --api v2 "$C/review.json"
t_grep 'HTTP 502: <html>Bad Gateway</html> \(after 3 tries\)' err
t_end

t_begin 'a create whose answer is lost: found again, never made twice'
fake_set '{"pages": []}'
fake_script_text confluence '[{"method": "POST", "path": "^/wiki/api/v2/pages$", "times": 1, "status": 503, "after": true}]'
t_run 0 post-confluence --api v2 "$C/review.json"
t_jq out '.confluence | [.version, .action] | join(" ")' '1 created'
t_check 'one POST' test "$(fake_count confluence POST "$PAGES\$")" = 1
t_check 'one page' test "$(pages)" = 1
t_jq confluence.state '.pages[0].properties["drift-review"].value.fingerprint' "$(jq -r .fingerprint "$C/review.json")"
t_jq confluence.state '.pages[0].labels | length' 3
t_end

t_begin 'a create refused by a 503 before it landed: looked up, then made once'
fake_set '{"pages": []}'
fake_script_text confluence '[{"method": "POST", "path": "^/wiki/api/v2/pages$", "times": 1, "status": 503}]'
t_run 0 post-confluence --api v2 "$C/review.json"
t_jq out '.confluence.action' created
t_check 'two POSTs' test "$(fake_count confluence POST "$PAGES\$")" = 2
t_check 'two lookups' test "$(fake_count confluence GET "$PAGES\\?")" = 2
t_check 'one page' test "$(pages)" = 1
t_end

t_begin 'title taken by a concurrent run: the create turns into an update'
one_page sha256:other
# The first lookup misses the page, as if it were made just after it.
fake_script_text confluence '[{"method": "GET", "path": "^/wiki/api/v2/pages\\?", "times": 1, "status": 200, "body": {"results": [], "_links": {}}}]'
t_run 0 post-confluence --api v2 "$C/review.json"
t_jq out '.confluence | [.id, .version, .action] | join(" ")' '900 2 updated'
t_check 'one POST refused' test "$(fake_count confluence POST "$PAGES\$")" = 1
t_check 'one page' test "$(pages)" = 1
t_end

t_begin '401: permission denied (77) naming the user and the space, no retry'
fake_set '{"pages": []}'
fake_script_text confluence '[]'
CONFLUENCE_TOKEN=tok-wrong-SECRET t_run 77 post-confluence --api v2 \
    "$C/review.json"
t_grep '^post-confluence: confluence: checking the credentials: HTTP 401 for user "alice@example.com" in space "OPS": Client must be authenticated to access this resource\.$' err
t_check 'one request' test "$(wc -l <confluence.requests)" = 1
t_nogrep tok-wrong-SECRET err
t_nogrep tok-wrong-SECRET out
t_end

t_begin '403 on the update: 77 with the server text'
one_page sha256:old
fake_script_text confluence '[{"method": "PUT", "path": "^/wiki/api/v2/pages/900$", "status": 403, "body": {"errors": [{"status": 403, "code": "PERMISSION_DENIED", "title": "You do not have permission to edit this page", "detail": null}]}}]'
t_run 77 post-confluence --api v2 "$C/review.json"
t_grep 'confluence: updating the page: HTTP 403 for user "alice@example.com" in space "OPS": You do not have permission to edit this page$' err
t_check 'no retry' test "$(fake_count confluence PUT "$PAGES/900\$")" = 1
no_token
t_end

t_begin 'a page too large for the server: 65'
fake_set '{"pages": []}'
fake_script_text confluence '[{"method": "POST", "path": "^/wiki/api/v2/pages$", "status": 413, "body": {"errors": [{"status": 413, "code": "REQUEST_ENTITY_TOO_LARGE", "title": "Request entity too large", "detail": null}]}}]'
t_run 65 post-confluence --api v2 "$C/review.json"
t_grep 'creating the page: HTTP 413: Request entity too large$' err
t_end

t_begin 'labels refused: reported, the page is still published (0)'
fake_set '{"pages": []}'
fake_script_text confluence '[{"method": "POST", "path": "/label$", "status": 400, "body": {"statusCode": 400, "message": "Too many labels"}}]'
t_run 0 post-confluence --api v2 "$C/review.json"
t_grep 'confluence: adding labels to page 100[0-9]+: HTTP 400: Too many labels' err
t_jq out '.confluence.action' created
t_end

t_begin 'a connection hung up mid-lookup is retried'
fake_set '{"pages": []}'
fake_script_text confluence '[{"method": "GET", "path": "^/wiki/api/v2/pages\\?", "times": 1, "hangup": true}]'
t_run 0 post-confluence --api v2 "$C/review.json"
t_jq out '.confluence.action' created
t_end

t_begin 'a Deprecation header is reported once'
fake_set '{"pages": []}'
fake_script_text confluence '[{"method": "GET", "path": "^/wiki/rest/api/user/current", "status": 200, "headers": {"Deprecation": "true", "Warning": "299 - \"Deprecated API\""}, "body": {"type": "known", "username": "alice"}}]'
t_run 0 post-confluence --api v2 "$C/review.json"
t_grep 'confluence: .*/wiki/rest/api/user/current is deprecated by the server: 299 - "Deprecated API"' err
no_token
t_end

t_begin 'a listing whose next link names another host is not followed'
fake_set '{"pages": []}'
fake_script_text confluence '[{"method": "GET", "path": "^/wiki/api/v2/pages\\?", "status": 200, "body": {"results": [], "_links": {"next": "https://evil.example/wiki/api/v2/pages?cursor=x"}}}]'
t_run 70 post-confluence --api v2 "$C/review.json"
t_grep 'a listing continues on another site; not following it' err
t_check 'no create' test "$(fake_count confluence POST "$PAGES\$")" = 0
t_end

t_done
