# t4500-post-confluence-options.sh: usage, configuration errors and input
# checks, none of which may reach the network.
. "${0%/*}/lib.sh"
C=$CASES/post-confluence
unset CONFLUENCE_URL CONFLUENCE_SPACE CONFLUENCE_PARENT_ID CONFLUENCE_USER \
    CONFLUENCE_TOKEN CONFLUENCE_PAT CONFLUENCE_TOKEN_FILE \
    CONFLUENCE_PAT_FILE DRIFT_OUTBOX CONFLUENCE_CA_FILE

t_begin '--help prints the synopsis on stdout, --version the version'
t_run 0 post-confluence --help
t_grep '^usage: post-confluence \[-qv\] \[--api auto\|v2\|v1\]' out
t_run 0 post-confluence --version
t_grep '^post-confluence [0-9]+\.[0-9]+\.[0-9]+$' out
t_end

t_begin 'a bad option or two operands is a usage error (64) on stderr'
t_run 64 post-confluence --bogus "$C/review.json"
t_grep '^usage: post-confluence' err
t_run 64 post-confluence "$C/review.json" "$C/review.json"
t_end

t_begin '--api takes only auto, v2 or v1'
CONFLUENCE_URL=http://127.0.0.1:9/wiki t_run 64 post-confluence --api v3 \
    "$C/review.json"
t_grep 'post-confluence: --api: "v3" is not auto, v2 or v1' err
t_end

t_begin 'nothing configured: 78 listing everything missing'
jq 'del(.page.space)' "$C/review.json" >nospace.json
t_run 78 post-confluence nospace.json
t_grep 'missing configuration: CONFLUENCE_URL, CONFLUENCE_SPACE \(or page.space, or --space\), credentials \(CONFLUENCE_USER and CONFLUENCE_TOKEN, or CONFLUENCE_PAT\); or set DRIFT_OUTBOX' err
t_check 'no output' test ! -s out
t_end

t_begin 'Cloud URL without user and token: 78, and a PAT is not enough'
CONFLUENCE_URL=https://acme.atlassian.net/wiki CONFLUENCE_PAT=p \
    t_run 78 post-confluence "$C/review.json"
t_grep 'missing configuration: CONFLUENCE_USER and CONFLUENCE_TOKEN \(Confluence Cloud does not take CONFLUENCE_PAT\)' err
t_end

t_begin 'both CONFLUENCE_TOKEN and CONFLUENCE_TOKEN_FILE set: 78'
echo secret >tok
CONFLUENCE_URL=https://acme.atlassian.net/wiki CONFLUENCE_USER=a \
    CONFLUENCE_TOKEN=x CONFLUENCE_TOKEN_FILE=tok \
    t_run 78 post-confluence "$C/review.json"
t_grep 'both CONFLUENCE_TOKEN and CONFLUENCE_TOKEN_FILE are set' err
t_end

t_begin 'a URL that is not http(s) is a configuration error'
CONFLUENCE_URL=ftp://x CONFLUENCE_PAT=p t_run 78 post-confluence \
    "$C/review.json"
t_grep 'CONFLUENCE_URL: "ftp://x" is not an http or https URL' err
t_end

t_begin 'a review without a page is bad input (65) naming the member'
DRIFT_OUTBOX=ob t_run 65 post-confluence "$C/review-no-page.json"
t_grep 'review-no-page.json: top level: member "page" is missing' err
t_check 'no outbox written' test ! -e ob
t_end

t_begin 'a document of another kind is refused (65)'
jq '.kind = "diff"' "$C/review.json" >diff.json
DRIFT_OUTBOX=ob t_run 65 post-confluence diff.json
t_end

t_begin 'a title over 255 characters is refused before anything is sent'
jq '.page.title = ("é" * 256)' "$C/review.json" >long.json
DRIFT_OUTBOX=ob t_run 65 post-confluence long.json
t_grep '\.page\.title: 256 characters; Confluence allows 255' err
t_end

t_begin 'a pair that cannot name a file is refused (65)'
jq '.pair = "../etc"' "$C/review.json" >pair.json
DRIFT_OUTBOX=ob t_run 65 post-confluence pair.json
t_grep '"\.\./etc" is not a name' err
t_end

t_begin 'labels must be words'
jq '.page.labels = ["ok", "not ok"]' "$C/review.json" >labels.json
DRIFT_OUTBOX=ob t_run 65 post-confluence labels.json
t_grep '\.page\.labels: item 1 is not a label' err
t_end

t_begin 'the man page is mandoc -Tlint clean'
if command -v mandoc >/dev/null; then
	t_run 0 mandoc -Tlint -W warning "$TOP/man/post-confluence.1"
	t_check 'no warnings' test ! -s out
fi
t_end

t_done
