# t3000-impact-agent-rules.sh: one case per group of rules.
#
# Each tests/cases/impact-agent/NNNN-*/ holds a hand-written diff.json
# whose changes trigger the group's rules and, beside them, changes that
# must not; expect.out is summary.jq's one line per change (severity,
# lock, rewrite, estimated seconds, rollback risk, rule=severity).
. "${0%/*}/lib.sh"

for dir in "$CASES"/impact-agent/[0-9]*/; do
	name=$(basename "$dir")
	t_begin "rules: $name"
	t_run 0 impact-agent "$dir/diff.json"
	jq -r -f "$CASES/impact-agent/summary.jq" out >got 2>&1 ||
	    t_fail "jq failed on the review"
	t_cmp "$dir/expect.out" got
	t_end
done
t_done
