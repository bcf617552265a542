# t4540-post-confluence-outbox.sh: DRIFT_OUTBOX writes the page to a
# directory, with the same unchanged/new-version rule as a site, and sends
# nothing anywhere.
. "${0%/*}/lib.sh"
C=$CASES/post-confluence
unset CONFLUENCE_PARENT_ID CONFLUENCE_USER CONFLUENCE_TOKEN CONFLUENCE_PAT \
    CONFLUENCE_TOKEN_FILE CONFLUENCE_PAT_FILE CONFLUENCE_CA_FILE DRIFT_OUTBOX
# A URL nobody listens on: the outbox must not need it.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export CONFLUENCE_URL=http://127.0.0.1:$port/wiki
FP1=$(jq -r .fingerprint "$C/review.json")
FP2=$(jq -r .fingerprint "$C/review-changed.json")

t_begin 'first run writes storage, preview and record; action outbox'
DRIFT_OUTBOX=ob t_run 0 post-confluence "$C/review.json"
t_jq out '.confluence | [(.id | tostring), .version, .action] | join(" ")' \
    'null 1 outbox'
t_jq out '.confluence.url' "file://$T_TMP/ob/staging-prod-app.html"
jq -r .page.storage "$C/review.json" >want.xml
printf '%s' "$(cat want.xml)" >want.xml
t_cmp want.xml ob/staging-prod-app.storage.xml
t_jq ob/staging-prod-app.confluence.json '[.pair, .fingerprint, .version] | map(tostring) | join(" ")' \
    "staging-prod-app $FP1 1"
t_end

t_begin 'without page.html the preview is standalone HTML, code kept as text'
t_grep '^<!DOCTYPE html>$' ob/staging-prod-app.html
t_grep '<title>Schema drift review: staging → prod \(app\)</title>' ob/staging-prod-app.html
t_grep '<ac:plain-text-body>ALTER TABLE public.users DROP COLUMN nickname; -- a &lt; b</ac:plain-text-body>' ob/staging-prod-app.html
t_nogrep 'CDATA' ob/staging-prod-app.html
t_grep '&amp; <strong>blocks</strong>' ob/staging-prod-app.html
t_end

t_begin 'a hostile title is escaped in the preview'
jq '.pair = "evil" | .page.title = "<script>alert(1)</script> & \"q\""' \
    "$C/review.json" >evil.json
DRIFT_OUTBOX=ob t_run 0 post-confluence evil.json
t_grep '<title>&lt;script&gt;alert\(1\)&lt;/script&gt; &amp; &quot;q&quot;</title>' ob/evil.html
t_nogrep '<script>' ob/evil.html
t_end

t_begin 'same fingerprint again: unchanged, files left alone'
touch -t 202001010000 ob/staging-prod-app.storage.xml ob/staging-prod-app.html
DRIFT_OUTBOX=ob t_run 0 post-confluence "$C/review.json"
t_jq out '.confluence | [.version, .action] | join(" ")' '1 unchanged'
t_check 'storage not rewritten' test -z "$(find ob -name staging-prod-app.storage.xml -newer want.xml)"
t_end

t_begin 'new fingerprint: version 2, files replaced'
DRIFT_OUTBOX=ob t_run 0 post-confluence "$C/review-changed.json"
t_jq out '.confluence | [.version, .action] | join(" ")' '2 outbox'
t_grep '2 changes now' ob/staging-prod-app.storage.xml
t_jq ob/staging-prod-app.confluence.json '.fingerprint' "$FP2"
t_end

t_begin 'page.html, when the review has it, is the preview'
jq '.page.html = "<html><body>from render</body></html>" | .fingerprint = "sha256:3"' \
    "$C/review.json" >withhtml.json
t_run 0 post-confluence --outbox ob withhtml.json
t_jq out '.confluence | [.version, .action] | join(" ")' '3 outbox'
printf '<html><body>from render</body></html>' >want.html
t_cmp want.html ob/staging-prod-app.html
t_end

t_begin 'a missing file is written again even if the record says unchanged'
rm ob/staging-prod-app.html
t_run 0 post-confluence --outbox ob withhtml.json
t_jq out '.confluence | [.version, .action] | join(" ")' '4 outbox'
t_check 'html back' test -s ob/staging-prod-app.html
t_end

t_begin 'an outbox that cannot be created: 73'
: >afile
DRIFT_OUTBOX=afile/ob t_run 73 post-confluence "$C/review.json"
t_grep 'afile/ob' err
t_end

t_begin '--pretty indents the review'
t_run 0 post-confluence --pretty --outbox ob3 "$C/review.json"
t_grep '^	"confluence":	\{$' out
t_jq out '.confluence | [.version, .action] | join(" ")' '1 outbox'
t_end

t_begin 'the man page example: outbox URL'
mkdir -p ex && cd ex
DRIFT_OUTBOX= t_run 0 post-confluence --outbox pages "$C/review.json"
t_jq out '.confluence.url' "file://$T_TMP/ex/pages/staging-prod-app.html"
cd ..
t_end

t_done
