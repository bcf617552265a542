# t9001-hardening-bad-input.sh: every filter on bad documents.  Each case
# must exit 65 (exactly: a crash is not a refusal) with a "prog: " message
# naming the problem, print nothing on stdout, and leave no -o file.
. "${0%/*}/lib.sh"
export DRIFT_OUTBOX=$T_TMP/outbox
mkdir -p outbox
unset GITHUB_TOKEN CONFLUENCE_URL IMPACT_AGENT_MODEL

# program  base-document  [extra arguments before the input]
programs='
schema-diff	schema-diff/snap/prod.json	schema-diff/snap/prod.json
impact-agent	impact-agent/0001-dropped-column/diff.json
render-confluence	render-confluence/review.json
post-confluence	post-confluence/review.json
open-gh-issue	open-gh-issue/review-v1.json
'

python3 - <<'PY'
import json
open("deep.json", "w").write("[" * 100000 + "]" * 100000)
open("huge.json", "w").write('{"kind":"diff","version":1,"x":"' + "a" * (8 << 20) + '"}')
PY
printf '{"kind": "review", "version": 1, "changes": [' >truncated.json
: >empty.json
printf 'this is not json\n' >notjson.json
printf '{"kind":"review","version":1,"s":"\377\376"}' >badutf8.json
printf '{"kind":"review","version":1,"s":"a\000b"}' >nul.json
printf '{"kind":"elephant","version":1}' >wrongkind.json
printf '{"kind":"%s","version":99}' x >wrongversion.json

# bad_case PROG NAME FILE [PATTERN]: PROG on FILE exits 65, stdout empty,
# -o leaves nothing, message starts "PROG: " (and matches PATTERN).
bad_case() {
	prog=$1 name=$2 file=$3 pat=${4:-}
	t_begin "$prog: $name is refused with 65"
	rm -f res.json
	if [ "$prog" = schema-diff ]; then
		t_run 65 "$prog" -o res.json "$CASES/$base" "$file"
		t_run 65 "$prog" "$file" "$CASES/$base"
	else
		t_run 65 "$prog" -o res.json "$file"
		t_run 65 "$prog" "$file"
	fi
	t_check 'nothing on stdout' test ! -s out
	t_check '-o left no file' test ! -e res.json
	t_check 'no temporary file' sh -c '! ls res.json.tmp* 2>/dev/null'
	t_grep "^$prog: " err
	[ -n "$pat" ] && t_grep "$pat" err
	t_end
}

printf '%s\n' "$programs" | while IFS='	' read -r prog base extra; do
	[ -n "$prog" ] || continue
	kind=$(jq -r .kind "$CASES/$base")
	bad_case "$prog" 'not JSON' notjson.json 'line 1, column 1: invalid JSON'
	bad_case "$prog" 'a truncated document' truncated.json 'truncated'
	bad_case "$prog" 'an empty input' empty.json 'empty document'
	bad_case "$prog" '100,000 levels of nesting' deep.json 'nested deeper'
	bad_case "$prog" 'invalid UTF-8' badutf8.json 'invalid UTF-8'
	bad_case "$prog" 'a NUL byte' nul.json 'NUL byte'
	bad_case "$prog" 'another kind' wrongkind.json "\"elephant\" document, expected \"$kind\""
	printf '{"kind":"%s","version":99}' "$kind" >wrongversion.json
	bad_case "$prog" 'an unknown version' wrongversion.json 'version 99 is not supported'
	DRIFT_MAX_INPUT_BYTES=1000000 bad_case "$prog" 'a document over the size limit' huge.json 'larger than'

	# Members the program reads, each given the wrong type.
	case $prog in
	schema-diff) muts='.tables = "x"|.tables[0].columns = 1|.tables[0].name = false|.source = []|.views = {}' ;;
	impact-agent) muts='.changes = "x"|.changes = [5]|.changes[0].op = 7|.changes[0].object = null|.changes[0].attributes = {}|.changes[0].evidence = "x"' ;;
	render-confluence) muts='.changes = "x"|.changes[0].assessment = "x"|.changes[0].assessment.findings = 1|.summary = 3|.changes[0].op = 7' ;;
	post-confluence) muts='.page = 1|.page.title = 5|.page.storage = []|.page.labels = "x"' ;;
	open-gh-issue) muts='.changes = "x"|.changes[0].op = 7|.changes[0].assessment = "x"|.summary = 3|.confluence = 1' ;;
	esac
	old_ifs=$IFS
	IFS='|'
	for mut in $muts; do
		IFS=$old_ifs
		jq "$mut" "$CASES/$base" >mut.json 2>/dev/null || continue
		bad_case "$prog" "wrong type: $mut" mut.json
	done
	IFS=$old_ifs
done
t_done
