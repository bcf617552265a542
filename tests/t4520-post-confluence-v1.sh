# t4520-post-confluence-v1.sh: publishing to Confluence Data Center (REST
# v1) against the fake: PAT, context path, version-message marker,
# start/limit pagination, the anonymous fallback, a missing space.
. "${0%/*}/lib.sh"
. "$TESTS/lib/fake.sh"
C=$CASES/post-confluence
PAT=pat-alice-SECRET
unset CONFLUENCE_PARENT_ID CONFLUENCE_USER CONFLUENCE_TOKEN \
    CONFLUENCE_TOKEN_FILE CONFLUENCE_PAT_FILE DRIFT_OUTBOX CONFLUENCE_CA_FILE
echo '{"context": "/confluence"}' >init.json
fake_start confluence --init init.json
export CONFLUENCE_URL=$FAKE_URL/confluence/ CONFLUENCE_SPACE=OPS \
    CONFLUENCE_PAT=$PAT DRIFT_HTTP_TRIES=3
FP1=$(jq -r .fingerprint "$C/review.json")
FP2=$(jq -r .fingerprint "$C/review-changed.json")
requests() {
	jq -r '.method + " " + .path' confluence.requests
}
no_token() {
	t_nogrep "$PAT" out
	t_nogrep "$PAT" err
}
fake_set() {
	curl -s -o /dev/null -X POST -d "$1" "$FAKE_URL/_fake/state"
	fake_reset_log confluence
}

t_begin 'auto picks v1 off atlassian.net; the page is created with its marker'
t_run 0 post-confluence "$C/review.json"
requests >got.requests
t_cmp "$C/v1-create.requests" got.requests
t_jq out '.confluence | [.id, .version, .action, .url] | join(" ")' \
    "100001 1 created $FAKE_URL/confluence/display/OPS/Schema+drift+review++staging+++prod++app+"
t_jq confluence.requests 'select(.method == "POST" and (.path | endswith("/content"))) | .body | [.type, .space.key, .status, .body.storage.representation, .version.message, (has("ancestors") | tostring)] | join("|")' \
    "page|OPS|current|storage|drift-review staging-prod-app $FP1|false"
t_check 'every request as Bearer' test \
    "$(jq -r .headers.authorization confluence.requests | sort -u)" = \
    "Bearer $PAT"
t_jq confluence.state '.pages[0].labels | join(",")' \
    'schema-drift,migration-review,risk-critical'
no_token
t_end

t_begin 'same fingerprint: unchanged, read-only'
fake_reset_log confluence
t_run 0 post-confluence "$C/review.json"
t_jq out '.confluence | [.id, .version, .action] | join(" ")' \
    '100001 1 unchanged'
t_check 'only GETs' test "$(jq -r .method confluence.requests | sort -u)" = GET
t_end

t_begin 'new fingerprint: version 2, minorEdit false, message carries it'
fake_reset_log confluence
t_run 0 post-confluence -o posted.json "$C/review-changed.json"
t_check 'nothing on stdout with -o' test ! -s out
t_jq posted.json '.confluence | [.id, .version, .action] | join(" ")' \
    '100001 2 updated'
t_jq confluence.requests 'select(.method == "PUT") | .body | [.id, .type, .title, .version.number, .version.minorEdit, .version.message] | map(tostring) | join("|")' \
    "100001|page|Schema drift review: staging → prod (app)|2|false|drift-review staging-prod-app $FP2"
t_end

t_begin 'an edit by hand (another version message) is published over'
fake_set '{"race_edits": 0}'
curl -s -o /dev/null -X PUT -H "Authorization: Bearer $PAT" \
    -H 'Content-Type: application/json' \
    -d '{"type": "page", "title": "Schema drift review: staging → prod (app)", "version": {"number": 3, "message": "typo"}, "body": {"storage": {"value": "<p>hand</p>", "representation": "storage"}}}' \
    "$FAKE_URL/confluence/rest/api/content/100001"
fake_reset_log confluence
t_run 0 post-confluence "$C/review-changed.json"
t_jq out '.confluence | [.version, .action] | join(" ")' '4 updated'
t_end

t_begin 'pagination by start and limit reaches the exact title'
fake_set '{"max_limit": 1, "pages": [
 {"id": "10", "spaceId": "98304", "spaceKey": "OPS", "status": "current",
  "title": "schema drift review: staging → prod (app)", "parentId": null,
  "version": 1, "message": "", "body": "", "labels": [], "properties": {}},
 {"id": "11", "spaceId": "98304", "spaceKey": "OPS", "status": "current",
  "title": "Schema Drift Review: staging → prod (app)", "parentId": null,
  "version": 1, "message": "", "body": "", "labels": [], "properties": {}},
 {"id": "12", "spaceId": "98304", "spaceKey": "OPS", "status": "current",
  "title": "Schema drift review: staging → prod (app)", "parentId": null,
  "version": 5, "message": "drift-review staging-prod-app sha256:1111111111111111111111111111111111111111111111111111111111111111",
  "body": "", "labels": ["schema-drift", "migration-review", "risk-critical"],
  "properties": {}}]}'
t_run 0 post-confluence "$C/review.json"
t_jq out '.confluence | [.id, .version, .action] | join(" ")' '12 5 unchanged'
t_check 'three listing pages' test "$(fake_count confluence GET '/rest/api/content\?')" = 3
t_check 'start=2 reached' test "$(fake_count confluence GET '/rest/api/content\?.*start=2')" = 1
t_end

t_begin 'a parent: sent as the only ancestor'
fake_set '{"max_limit": 250, "pages": [{"id": "12345", "spaceId": "98304",
  "spaceKey": "OPS", "status": "current", "title": "Reviews",
  "parentId": null, "version": 1, "message": "", "body": "", "labels": [],
  "properties": {}}]}'
t_run 0 post-confluence --parent 12345 "$C/review.json"
t_jq confluence.requests 'select(.method == "POST" and (.path | endswith("/content"))) | .body.ancestors | map(.id) | join(",")' '12345'
t_end

t_begin 'an unknown PAT with anonymous access on: refused (77), not published'
fake_set '{"anonymous_access": true, "pages": []}'
CONFLUENCE_PAT=pat-wrong-SECRET t_run 77 post-confluence "$C/review.json"
t_grep 'the credentials were not accepted \(the site answers as the anonymous user\) for space "OPS"' err
t_nogrep 'pat-wrong-SECRET' err
t_check 'one request' test "$(wc -l <confluence.requests)" = 1
t_end

t_begin 'an unknown PAT: 401 is 77 and says which credentials and space'
fake_set '{"anonymous_access": false}'
CONFLUENCE_PAT=pat-wrong-SECRET t_run 77 post-confluence "$C/review.json"
t_grep '^post-confluence: confluence: checking the credentials: HTTP 401 for the user of CONFLUENCE_PAT in space "OPS": Client must be authenticated to access this resource\.$' err
t_nogrep 'pat-wrong-SECRET' err
t_end

t_begin 'a missing space is 78 (v1 answers 404)'
fake_reset_log confluence
CONFLUENCE_SPACE=GONE t_run 78 post-confluence --space GONE "$C/review.json"
t_grep 'confluence: space "GONE" does not exist, or user "alice" may not see it' err
t_check 'nothing written' test "$(jq -r .method confluence.requests | sort -u)" = GET
no_token
t_end

t_begin '409 on v1: the version is read again and the update retried once'
fake_set '{"anonymous_access": false, "race_edits": 1, "pages": [
 {"id": "20", "spaceId": "98304", "spaceKey": "OPS", "status": "current",
  "title": "Schema drift review: staging → prod (app)", "parentId": null,
  "version": 4, "message": "drift-review staging-prod-app sha256:old",
  "body": "", "labels": [], "properties": {}}]}'
t_run 0 post-confluence "$C/review.json"
t_jq out '.confluence | [.id, .version, .action] | join(" ")' '20 6 updated'
t_check 'read again' test "$(fake_count confluence GET '/rest/api/content/20\?expand=version$')" = 1
t_check 'two PUTs' test "$(fake_count confluence PUT '/rest/api/content/20$')" = 2
t_end

t_begin 'a v1 create whose answer is lost is found again, not repeated'
fake_set '{"pages": []}'
fake_script_text confluence '[{"method": "POST", "path": "/rest/api/content$", "times": 1, "status": 500, "after": true, "body": {"statusCode": 500, "message": "oops"}}]'
t_run 0 post-confluence "$C/review.json"
t_jq out '.confluence | [.version, .action] | join(" ")' '1 created'
t_check 'one POST' test "$(fake_count confluence POST '/rest/api/content$')" = 1
t_jq confluence.state '.pages | length' 1
fake_script_text confluence '[]'
t_end

t_begin 'two runs at once make one page'
fake_set '{"pages": []}'
post-confluence "$C/review.json" >out1 2>err1 &
p1=$!
post-confluence "$C/review.json" >out2 2>err2 &
p2=$!
wait $p1; s1=$?
wait $p2; s2=$?
t_check 'both succeed' test "$s1 $s2" = "0 0"
t_jq confluence.state '.pages | length' 1
t_check 'the same page' test "$(jq -r .confluence.id out1)" = \
    "$(jq -r .confluence.id out2)"
t_end

t_begin 'user and password (Basic) also work on Data Center'
fake_set '{"pages": []}'
env -u CONFLUENCE_PAT CONFLUENCE_USER=alice CONFLUENCE_TOKEN=tok-alice-SECRET \
    sh -c 'post-confluence "$1" >out 2>err' - "$C/review.json"
t_check 'exit 0' test $? = 0
t_jq out '.confluence.action' created
t_check 'every request as Basic' test \
    "$(jq -r '.headers.authorization[:6]' confluence.requests | sort -u)" = \
    "Basic "
t_end

t_done
