# t4040-render-confluence-pipeline.sh: reviews written by impact-agent
# itself, from each of its diff cases, render to storage and a preview
# that parse, so the page keeps up with what impact-agent really writes.
. "${0%/*}/lib.sh"
CHECK="python3 $CASES/render-confluence/check_xml.py"
unset CONFLUENCE_SPACE CONFLUENCE_PARENT_ID IMPACT_AGENT_MODEL
unset DRIFT_OWNERS_FILE

for dir in "$CASES"/impact-agent/[0-9]*/; do
	[ -f "$dir/diff.json" ] || continue
	name=$(basename "$dir")
	t_begin "$name: impact-agent's review renders and parses"
	if ! impact-agent "$dir/diff.json" >review.json 2>err; then
		t_fail "impact-agent failed: $(cat err)"
	else
		t_run 0 render-confluence --html page.html review.json
		$CHECK storage out >check.out 2>&1 || t_fail "$(cat check.out)"
		$CHECK html page.html >check.out 2>&1 ||
		    t_fail "$(cat check.out)"
		n=$(jq '.changes | length' review.json)
		# one section, so one anchor, per change
		t_jq out '[.page.storage | scan("name=\"\">change-")] | length' \
		    "$n"
	fi
	t_end
done

t_done
