# t9002-hardening-valgrind.sh: the filters are valgrind-clean (no invalid
# access, no uninitialised use, no definite or indirect leak) on real
# documents, on success and on refusal.
. "${0%/*}/lib.sh"
command -v valgrind >/dev/null 2>&1 || t_skip_all 'valgrind is not installed'
[ "$(cat "$TOP/build/mode" 2>/dev/null)" = san ] &&
	t_skip_all 'sanitizer build: valgrind cannot run ASan binaries'
export DRIFT_OUTBOX=$T_TMP/outbox
mkdir -p outbox
unset GITHUB_TOKEN CONFLUENCE_URL IMPACT_AGENT_MODEL
VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect"

vg_case() {
	want=$1 name=$2
	shift 2
	t_begin "valgrind: $name"
	t_run "$want" $VG "$@"
	t_nogrep '^==[0-9]+==' err
	t_end
}

vg_case 0 'schema-diff on saved snapshots' \
    schema-diff "$CASES/schema-diff/snap/prod.json" \
    "$CASES/schema-diff/0002-drop-column-evidence/staging.json"
cp out diff.json
vg_case 0 'impact-agent on that diff' impact-agent diff.json
cp out review.json
vg_case 0 'impact-agent on a case with app code and owners' \
    impact-agent "$CASES/impact-agent/0001-dropped-column/diff.json"
vg_case 0 'render-confluence with the HTML preview' \
    render-confluence --html preview.html review.json
cp out page.json
vg_case 0 'render-confluence on hostile text' \
    render-confluence "$CASES/render-confluence/hostile.json"
vg_case 0 'post-confluence to the outbox' post-confluence page.json
cp out posted.json
vg_case 0 'open-gh-issue to the outbox' open-gh-issue posted.json
vg_case 0 'open-gh-issue re-run, unchanged' open-gh-issue posted.json
printf '{"kind":"review","version":1,' >trunc.json
for p in schema-diff impact-agent render-confluence post-confluence \
    open-gh-issue; do
	if [ $p = schema-diff ]; then
		vg_case 65 "$p refusing a truncated document" $p trunc.json trunc.json
	else
		vg_case 65 "$p refusing a truncated document" $p trunc.json
	fi
done
jq '.kind = "diff"' review.json >wrongkind.json
vg_case 65 'render-confluence refusing a diff' render-confluence wrongkind.json
t_done
