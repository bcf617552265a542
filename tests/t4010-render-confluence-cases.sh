# t4010-render-confluence-cases.sh: the cases in tests/cases/render-confluence.
# Each directory NNNN-what holds a README saying why it exists, `cmd` (run
# in a subshell, in a copy of the directory), expect.out compared exactly with
# its output, and optionally expect.status (default 0).  Storage is one
# long line, so cmds pipe it through `lines`, which breaks it after each
# closing tag for readable differences and writes the program's version
# as VERSION.  Regenerate an expectation only after reading it.
. "${0%/*}/lib.sh"
unset CONFLUENCE_SPACE CONFLUENCE_PARENT_ID

lines() {
	sed -e 's/<\/[a-z0-9:-]*>/&\n/g' \
	    -e 's/render-confluence [0-9][0-9.]*/render-confluence VERSION/g'
}

for dir in "$CASES"/render-confluence/[0-9]*/; do
	name=$(basename "$dir")
	t_begin "$name: $(head -1 "$dir/README")"
	rm -rf case && cp -r "$dir" case
	(cd case && . ./cmd) >out 2>err
	status=$?
	want=$(cat "$dir/expect.status" 2>/dev/null || echo 0)
	[ "$status" = "$want" ] || t_fail "exit $status, expected $want: $(cat err)"
	t_cmp "$dir/expect.out" out
	t_end
done

t_done
