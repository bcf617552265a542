# t5001-open-gh-issue-usage.sh: options, configuration and input checks
# that need no server.
. "${0%/*}/lib.sh"
C=$CASES/open-gh-issue
unset GITHUB_REPOSITORY GITHUB_TOKEN GITHUB_TOKEN_FILE GITHUB_API_URL \
    DRIFT_OUTBOX

t_begin '-h prints the synopsis on stdout'
t_run 0 open-gh-issue -h
t_grep '^usage: open-gh-issue \[-qv\] \[--no-page\]' out
t_end

t_begin '--version prints the name and version'
t_run 0 open-gh-issue --version
t_grep '^open-gh-issue [0-9]+\.[0-9]+\.[0-9]+$' out
t_end

t_begin 'an unknown option is a usage error on stderr'
t_run 64 open-gh-issue --frobnicate "$C/review-v1.json"
t_grep '^usage: open-gh-issue' err
t_check 'nothing on stdout' test ! -s out
t_end

t_begin 'two operands are a usage error'
t_run 64 open-gh-issue "$C/review-v1.json" "$C/review-v1.json"
t_end

t_begin 'an assignee that is not a login is a usage error'
t_run 64 open-gh-issue -a '@acme/team' "$C/review-v1.json"
t_grep 'is not a GitHub login' err
t_end

t_begin 'without GitHub settings or an outbox: 78 naming all that is missing'
t_run 78 open-gh-issue "$C/review-v1.json"
t_grep 'missing configuration: GITHUB_REPOSITORY GITHUB_TOKEN' err
t_check 'nothing on stdout' test ! -s out
t_end

t_begin 'only the token missing names only the token'
GITHUB_REPOSITORY=acme/app t_run 78 open-gh-issue "$C/review-v1.json"
t_nogrep 'GITHUB_REPOSITORY' err
t_grep 'GITHUB_TOKEN' err
t_end

t_begin 'a repository that is not OWNER/REPO is a configuration error'
GITHUB_REPOSITORY=acme GITHUB_TOKEN=x t_run 78 open-gh-issue \
    "$C/review-v1.json"
t_grep '"acme" is not OWNER/REPO' err
t_end

t_begin 'a document of another kind is rejected (65)'
jq '.kind = "diff"' "$C/review-v1.json" >diff.json
t_run 65 open-gh-issue diff.json
t_end

t_begin 'a review without confluence needs --no-page (65)'
jq 'del(.confluence)' "$C/review-v1.json" >nopage.json
t_run 65 open-gh-issue nopage.json
t_grep 'member "confluence" is missing' err
t_end

t_begin 'an unknown severity is rejected naming the change'
jq '.changes[1].assessment.severity = "severe"' "$C/review-v1.json" >sev.json
t_run 65 open-gh-issue sev.json
t_grep '\.changes\[1\]\.assessment: severity "severe"' err
t_end

t_begin 'a pair id that could escape the marker is rejected'
jq '.pair = "a b -->"' "$C/review-v1.json" >pair.json
t_run 65 open-gh-issue pair.json
t_grep 'is not a pair id' err
t_end

t_begin 'a missing input file is 66'
t_run 66 open-gh-issue missing.json
t_end

t_done
