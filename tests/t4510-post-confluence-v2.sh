# t4510-post-confluence-v2.sh: publishing to Confluence Cloud (REST v2)
# against the fake: create, unchanged, update, labels, exact title,
# pagination, parent, space lookup.
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
FP1=$(jq -r .fingerprint "$C/review.json")
FP2=$(jq -r .fingerprint "$C/review-changed.json")
requests() {
	jq -r '.method + " " + .path' confluence.requests
}
no_token() {
	t_nogrep "$TOKEN" out
	t_nogrep "$TOKEN" err
}
# fake_set JSON: merge members into the fake's state.
fake_set() {
	curl -s -o /dev/null -X POST -d "$1" "$FAKE_URL/_fake/state"
	fake_reset_log confluence
}

t_begin 'first run creates the page, adds its labels, records the fingerprint'
t_run 0 post-confluence --api v2 "$C/review.json"
requests >got.requests
t_cmp "$C/v2-create.requests" got.requests
t_jq out '.confluence | [.id, .version, .action] | join(" ")' \
    '100001 1 created'
t_jq out '.confluence.url' "$FAKE_URL/wiki/spaces/OPS/pages/100001/Schema+drift+review++staging+++prod++app+"
t_jq out '.confluence.posted_at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$")' true
jq -S 'del(.confluence)' out >rest.json
jq -S . "$C/review.json" >orig.json
t_cmp orig.json rest.json
t_jq confluence.state '.pages[0].labels | join(",")' \
    'schema-drift,migration-review,risk-critical'
t_jq confluence.state '.pages[0].properties["drift-review"].value | [.pair, .fingerprint] | join(" ")' \
    "staging-prod-app $FP1"
t_jq confluence.requests 'select(.method == "POST" and (.path | endswith("/pages"))) | .body | [.spaceId, .status, .title, .body.representation, (has("parentId") | tostring)] | join("|")' \
    '98304|current|Schema drift review: staging → prod (app)|storage|false'
jq -r 'select(.method == "POST" and (.path | endswith("/pages"))) | .body.body.value' confluence.requests >sent.xml
jq -r .page.storage "$C/review.json" >want.xml
t_cmp want.xml sent.xml
t_check 'every request as Basic alice' test \
    "$(jq -r .headers.authorization confluence.requests | sort -u)" = \
    "Basic $(printf 'alice@example.com:%s' "$TOKEN" | base64)"
no_token
t_end

t_begin 'same fingerprint again: unchanged, nothing written'
fake_reset_log confluence
t_run 0 post-confluence --api v2 "$C/review.json"
t_jq out '.confluence | [.id, .version, .action] | join(" ")' \
    '100001 1 unchanged'
t_check 'only GETs' test "$(jq -r .method confluence.requests | sort -u)" = GET
t_jq confluence.state '.pages[0].version' 1
no_token
t_end

t_begin 'new fingerprint: version 2 with the marker, new label only'
fake_reset_log confluence
t_run 0 post-confluence --api v2 "$C/review-changed.json"
t_jq out '.confluence | [.id, .version, .action] | join(" ")' \
    '100001 2 updated'
requests >got.requests
t_cmp "$C/v2-update.requests" got.requests
t_jq confluence.requests 'select(.method == "PUT" and (.path | endswith("/pages/100001"))) | .body | [.id, .status, .version.number, .version.message] | map(tostring) | join("|")' \
    "100001|current|2|drift-review staging-prod-app $FP2"
t_jq confluence.requests 'select(.path | endswith("/label")) | .body | map(.prefix + ":" + .name) | join(",")' \
    'global:risk-high'
t_jq confluence.requests 'select(.method == "PUT" and (.path | test("/properties/"))) | .body.version.number' 2
t_jq confluence.state '.pages[0] | [.version, .properties["drift-review"].value.fingerprint] | map(tostring) | join(" ")' \
    "2 $FP2"
no_token
t_end

t_begin 'auto picks v2 for an atlassian.net site'
# The fake stands in for the site as an HTTP proxy: nothing leaves the host.
fake_set '{"pages": []}'
CONFLUENCE_URL=http://acme.atlassian.net/wiki http_proxy=$FAKE_URL \
    no_proxy= NO_PROXY= t_run 0 post-confluence "$C/review.json"
t_check 'v2 used' test "$(fake_count confluence POST '^http://acme.atlassian.net/wiki/api/v2/pages$')" = 1
t_jq out '.confluence.url' 'http://acme.atlassian.net/wiki/spaces/OPS/pages/100003/Schema+drift+review++staging+++prod++app+'
t_grep 'confluence: sending credentials over plain http' err
t_end

t_begin 'the exact title is found on a later page of a case-blind listing'
fake_set '{"max_limit": 1, "pages": [
 {"id": "500", "spaceId": "98304", "spaceKey": "OPS", "status": "current",
  "title": "SCHEMA DRIFT REVIEW: STAGING → PROD (APP)", "parentId": null,
  "version": 7, "message": "", "body": "<p>other</p>", "labels": [],
  "properties": {}},
 {"id": "600", "spaceId": "98304", "spaceKey": "OPS", "status": "archived",
  "title": "Schema drift review: staging → prod (app)", "parentId": null,
  "version": 3, "message": "", "body": "<p>old</p>", "labels": [],
  "properties": {}}]}'
t_run 0 post-confluence --api v2 "$C/review.json"
t_jq out '.confluence | [.id, .version, .action] | join(" ")' '600 4 updated'
t_check 'followed the cursor' test "$(fake_count confluence GET '/wiki/api/v2/pages\?.*cursor=')" = 1
t_jq confluence.state '.pages[0].version' 7
t_end

t_begin 'through api.atlassian.com, /wiki next links are joined to the gateway'
fake_set '{"context": "/ex/confluence/c0ffee/wiki", "link_context": "/wiki"}'
CONFLUENCE_URL=$FAKE_URL/ex/confluence/c0ffee/wiki t_run 0 post-confluence \
    --api v2 "$C/review.json"
t_jq out '.confluence | [.id, .action] | join(" ")' '600 unchanged'
t_check 'followed the cursor' test "$(fake_count confluence GET '^/ex/confluence/c0ffee/wiki/api/v2/pages\?.*cursor=')" = 1
fake_set '{"context": "/wiki", "link_context": "/wiki"}'
t_end

t_begin 'two pages with exactly the title: 70, nothing written'
fake_set '{"max_limit": 250, "pages": [
 {"id": "700", "spaceId": "98304", "spaceKey": "OPS", "status": "current",
  "title": "Schema drift review: staging → prod (app)", "parentId": null,
  "version": 1, "message": "", "body": "", "labels": [], "properties": {}},
 {"id": "701", "spaceId": "98304", "spaceKey": "OPS", "status": "archived",
  "title": "Schema drift review: staging → prod (app)", "parentId": null,
  "version": 1, "message": "", "body": "", "labels": [], "properties": {}}]}'
t_run 70 post-confluence --api v2 "$C/review.json"
t_grep '2 pages are titled "Schema drift review: staging → prod \(app\)" in space "OPS"; expected one' err
t_check 'only GETs' test "$(jq -r .method confluence.requests | sort -u)" = GET
t_end

t_begin 'a parent from the environment: created under it'
fake_set '{"pages": [{"id": "42", "spaceId": "98304", "spaceKey": "OPS",
  "status": "current", "title": "Reviews", "parentId": null, "version": 1,
  "message": "", "body": "", "labels": [], "properties": {}}]}'
CONFLUENCE_PARENT_ID=42 t_run 0 post-confluence --api v2 "$C/review.json"
t_jq confluence.state '.pages[1] | [.parentId, .title] | join("|")' \
    '42|Schema drift review: staging → prod (app)'
t_end

t_begin '--space overrides page.space; an unknown space is 78'
fake_reset_log confluence
t_run 78 post-confluence --api v2 --space NOPE "$C/review.json"
t_grep 'confluence: space "NOPE" does not exist, or user "alice@example.com" may not see it' err
t_check 'nothing written' test "$(jq -r .method confluence.requests | sort -u)" = GET
no_token
t_end

t_done
