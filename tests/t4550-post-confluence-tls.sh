# t4550-post-confluence-tls.sh: TLS is verified; CONFLUENCE_CA_FILE trusts
# a corporate CA; --insecure is an explicit, loudly reported choice.
. "${0%/*}/lib.sh"
. "$TESTS/lib/fake.sh"
C=$CASES/post-confluence
unset CONFLUENCE_PARENT_ID CONFLUENCE_USER CONFLUENCE_TOKEN \
    CONFLUENCE_TOKEN_FILE CONFLUENCE_PAT_FILE DRIFT_OUTBOX CONFLUENCE_CA_FILE
command -v openssl >/dev/null || t_skip_all 'no openssl'
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem \
    -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    >/dev/null 2>&1
echo '{"context": ""}' >init.json
fake_start confluence --init init.json --tls cert.pem key.pem
echo pat-alice-SECRET >pat
export CONFLUENCE_URL=$FAKE_URL CONFLUENCE_SPACE=OPS CONFLUENCE_PAT_FILE=pat \
    DRIFT_HTTP_TRIES=2

t_begin 'an untrusted certificate is refused (69) and nothing is sent'
t_run 69 post-confluence "$C/review.json"
t_grep 'confluence: checking the credentials: .*certificate' err
t_check 'no request arrived' test ! -s confluence.requests
t_end

t_begin 'CONFLUENCE_CA_FILE trusts it; the PAT comes from a file'
CONFLUENCE_CA_FILE=cert.pem t_run 0 post-confluence "$C/review.json"
t_jq out '.confluence | [.action, .url] | join(" ")' \
    "created $FAKE_URL/display/OPS/Schema+drift+review++staging+++prod++app+"
t_nogrep pat-alice-SECRET err
t_nogrep pat-alice-SECRET out
t_end

t_begin '--insecure works only when asked, and says so'
t_run 0 post-confluence --insecure "$C/review.json"
t_grep "post-confluence: --insecure: the TLS certificate of $FAKE_URL is not checked" err
t_jq out '.confluence.action' unchanged
t_end

t_done
