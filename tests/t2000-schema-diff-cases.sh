# t2000-schema-diff-cases.sh: the exact-output cases of
# cases/schema-diff/NNNN-*/: each directory's `cmd` runs with sh in a copy
# of the directory; its stdout must equal expect.out (`*_at` members
# normalised) and its status expect.status (0 when absent).  The README
# of each case says why it exists.
#   T_REGEN=1 writes expect.out instead of comparing (review the diff!).
. "${0%/*}/lib.sh"

for dir in "$CASES"/schema-diff/[0-9]*/; do
	case=$(basename "$dir")
	t_begin "case $case"
	rm -rf work && mkdir work && cp -R "$dir". work/ &&
	    ln -s "$CASES/schema-diff/snap" snap
	(cd work && sh ./cmd) >raw.out 2>raw.err
	got=$?
	t_norm raw.out >got.out
	want=0
	[ -f "$dir/expect.status" ] && want=$(cat "$dir/expect.status")
	[ "$got" = "$want" ] ||
	    t_fail "cmd exited $got, expected $want: $(head -c 2000 raw.err)"
	if [ -n "${T_REGEN:-}" ]; then
		cp got.out "$dir/expect.out"
	else
		t_cmp "$dir/expect.out" got.out
	fi
	rm -f snap
	t_end
done
t_done
