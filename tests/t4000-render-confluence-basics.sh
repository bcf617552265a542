# t4000-render-confluence-basics.sh: options, exit statuses, the page
# member's title, labels, space and parent, and the pass-through of the
# review.
. "${0%/*}/lib.sh"
R=$CASES/render-confluence/review.json
unset CONFLUENCE_SPACE CONFLUENCE_PARENT_ID

t_begin '--help prints the synopsis on stdout, --version the version'
t_run 0 render-confluence --help
t_grep '^usage: render-confluence \[-qv\] \[--html file\]' out
t_run 0 render-confluence --version
t_grep '^render-confluence [0-9]' out
t_end

t_begin 'bad usage exits 64 with the synopsis on stderr'
t_run 64 render-confluence --bogus "$R"
t_grep '^usage: render-confluence' err
t_run 64 render-confluence "$R" "$R"
t_end

t_begin 'a document that is not a review exits 65 naming both kinds'
printf '{"kind": "diff", "version": 1, "changes": []}\n' >diff.json
t_run 65 render-confluence diff.json
t_grep 'diff.json: document: is a "diff" document, expected "review"' err
t_run_in diff.json 65 render-confluence
t_grep 'stdin: document' err
t_end

t_begin 'a missing input file exits 66'
t_run 66 render-confluence no-such-review.json
t_end

t_begin 'a member of the wrong type or an unknown severity exits 65 naming it'
jq 'del(.changes[2].assessment)' "$R" >r1.json
t_run 65 render-confluence r1.json
t_grep '\.changes\[2\]: member "assessment" is missing' err
jq '.changes[1].assessment.severity = "urgent"' "$R" >r2.json
t_run 65 render-confluence r2.json
t_grep '\.changes\[1\]\.assessment: member "severity" is "urgent"' err
jq '.changes[0].forward_sql = [1]' "$R" >r3.json
t_run 65 render-confluence r3.json
t_grep '\.changes\[0\]: forward_sql\[0\] is a number, not a string' err
jq '.summary = []' "$R" >r4.json
t_run 65 render-confluence r4.json
t_grep 'member "summary" is an array, not an object' err
t_end

t_begin 'the review passes through with only page added'
t_run 0 render-confluence "$R"
jq -S 'del(.page)' out >got.json
jq -S . "$R" >want.json
t_cmp want.json got.json
t_jq out 'keys_unsorted | last' page
t_jq out '.page | keys_unsorted | join(",")' \
    space,parent_id,title,labels,storage
t_end

t_begin 'default title names the pair, labels carry the risk'
t_run 0 render-confluence "$R"
t_jq out .page.title 'Schema drift review: staging → prod (app)'
t_jq out '.page.labels | join(",")' schema-drift,migration-review,risk-critical
t_jq out .page.space null
t_jq out .page.parent_id null
t_end

t_begin 'space and parent come from the environment, options win'
CONFLUENCE_SPACE=OPS CONFLUENCE_PARENT_ID=12345 t_run 0 \
    render-confluence "$R"
t_jq out '[.page.space, .page.parent_id] | join(" ")' 'OPS 12345'
CONFLUENCE_SPACE=OPS CONFLUENCE_PARENT_ID=12345 t_run 0 \
    render-confluence --space ENG --parent 77 "$R"
t_jq out '[.page.space, .page.parent_id] | join(" ")' 'ENG 77'
CONFLUENCE_SPACE= t_run 0 render-confluence "$R"
t_jq out .page.space null
t_end

t_begin 'a parent id that is not a number is refused'
t_run 64 render-confluence --parent 12a "$R"
t_grep '--parent: "12a" is not a page id' err
CONFLUENCE_PARENT_ID=abc t_run 78 render-confluence "$R"
t_grep 'CONFLUENCE_PARENT_ID: "abc" is not a page id' err
t_end

t_begin 'title templates expand every placeholder'
t_run 0 render-confluence --title \
    '{{{pair}}} {from_label}/{to_label} {from_db}/{to_db} {from_host}/{to_host} {risk} {verdict}' "$R"
t_jq out .page.title \
    '{staging-prod-app} prod/staging app/app db1/db-staging critical block'
t_end

t_begin 'unknown or unclosed placeholders are usage errors'
t_run 64 render-confluence --title 'Drift {date}' "$R"
t_grep '--title: unknown placeholder "\{date\}"' err
t_run 64 render-confluence --title 'Drift {pair' "$R"
t_grep '--title: unclosed' err
t_end

t_begin 'titles lose control characters and white space runs, and stop at 255'
jq '.to.label = "stag\ning\u0001  x\t"' "$R" >ctl.json
t_run 0 render-confluence --title '  {to_label}  ' ctl.json
t_jq out .page.title 'stag ing x'
long=$(printf '%0300d' 0 | tr 0 é)
jq --arg l "$long" '.to.label = $l' "$R" >long.json
t_run 0 render-confluence --title '{to_label}' long.json
t_jq out '.page.title | length' 255
t_grep 'page title cut to 255 characters' err
t_end

t_begin 'output is one line, indented with --pretty'
t_run 0 render-confluence "$R"
t_check 'one line' test "$(wc -l <out)" = 1
t_run 0 render-confluence --pretty "$R"
t_check 'indented' grep -q '^	"page":' out
t_end

t_begin '-o writes the document atomically and nothing to stdout'
t_run 0 render-confluence -o page.json "$R"
t_check 'stdout empty' test ! -s out
t_jq page.json .kind review
t_check 'no temporary file left' sh -c '! ls page.json.tmp* 2>/dev/null'
t_end

t_begin 'an unwritable output exits 73 and leaves nothing behind'
mkdir ro && chmod 555 ro
if [ "$(id -u)" = 0 ]; then
	# root writes anywhere; a path under a regular file fails for all
	t_run 73 render-confluence -o "$R/page.json" "$R"
else
	t_run 73 render-confluence -o ro/page.json "$R"
fi
t_check 'no output file' test ! -e ro/page.json
t_end

t_begin 'a full disk is an error, not a short page'
if [ -w /dev/full ]; then
	render-confluence "$R" >/dev/full 2>err
	st=$?
	[ "$st" = 74 ] || t_fail "exit $st, expected 74"
fi
t_end

t_begin 'a page already present is replaced, not duplicated'
t_run 0 render-confluence --title first "$R"
mv out first.json
t_run 0 render-confluence --title second first.json
t_jq out .page.title second
t_jq out '[keys[] | select(. == "page")] | length' 1
t_end

t_begin 'a review without changes renders a short no-drift page'
jq '.changes = [] | .owners = [] | del(.forward_script, .rollback_script)
    | .summary = {"risk": null, "changes": 0, "verdict": "safe",
      "headline": null, "narrative": null}' "$R" >empty.json
t_run 0 render-confluence --html empty.html empty.json
t_jq out '.page.labels[2]' risk-none
t_jq out '.page.storage | contains("No drift")' true
t_jq out '.page.storage | contains("The prod schema matches staging.")' true
t_jq out '.page.storage | contains("Sign-off")' false
t_jq out '.page.storage | contains("ac:name=\"toc\"")' false
t_check 'storage parses' python3 "$CASES/render-confluence/check_xml.py" \
    storage out
t_check 'preview parses' python3 "$CASES/render-confluence/check_xml.py" \
    html empty.html
t_end

t_begin 'the page names the model only when one reasoned over the review'
jq '.agent.mode = "llm" | .agent.model = "llama3"' "$R" >llm.json
t_run 0 render-confluence llm.json
t_jq out '.page.storage | contains("then reasoned over by the model llama3.")' \
    true
jq '.agent.model = "llama3" | .agent.llm_error = "HTTP 503"' "$R" >fail.json
t_run 0 render-confluence fail.json
t_jq out '.page.storage | contains("Assessed by the rules alone.")' true
t_jq out '.page.storage | contains("The model call failed")' true
t_end

t_begin 'a body over Confluence limit of 5 MB is rendered with a warning'
awk 'BEGIN { for (i = 0; i < 90000; i++)
    printf "word & word < word %d ]]> and more words to fill it\n", i; }' >long.md
jq --rawfile n long.md '.summary.narrative = $n' "$R" >big.json
t_run 0 render-confluence big.json
t_grep 'page body is [0-9]+ bytes; Confluence refuses requests over 5 MB' err
t_run 0 render-confluence "$R"
t_check 'no warning for a normal page' test ! -s err
t_end

t_begin 'the man page EXAMPLES run'
cp "$R" review.json
t_run 0 render-confluence --space OPS --html review.html -o page.json \
    review.json
t_check 'preview written' test -s review.html
t_jq page.json .page.space OPS
render-confluence review.json | jq -c '.page | del(.storage)' >meta.json
t_grep '"labels":\["schema-drift","migration-review","risk-critical"\]' \
    meta.json
t_run 0 render-confluence --title 'Drift {pair}' review.json
t_jq out .page.title 'Drift staging-prod-app'
t_end

t_done
