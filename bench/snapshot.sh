#!/bin/sh
# bench/snapshot.sh: time pg-snapshot against pg_dump --schema-only.
#
# Starts a private cluster (tests/lib/pg.sh), fills it with the schema of
# bench/gen-schema.sql (10,000 tables, about 125,000 columns and 25,000
# indexes), then runs `pg_dump --schema-only` and `pg-snapshot` on it RUNS
# times each (default 3), taking turns, both from this shell, and prints
# the best time of each and their ratio.  The target is a ratio of at most 0.25.  The time
# with --sequence-values (10,000 sequences opened) is printed beside it.
#   make && sh bench/snapshot.sh [RUNS]
# Not part of `make check`: generating the schema alone takes most of a
# minute.

set -u
here=$(cd "${0%/*}" && pwd)
TOP=${here%/bench}
TESTS=$TOP/tests
runs=${1:-3}
. "$TESTS/lib/pg.sh"
pg_start || exit 1
# pg_start's EXIT trap stops the cluster; also remove our scratch files.
work=$(mktemp -d "${TMPDIR:-/tmp}/drift-bench.XXXXXX")
trap 'pg_stop; rm -rf "$work"' EXIT

now() {
	date +%s.%N
}

# timed CMD...: run CMD once, output discarded; print the seconds taken.
timed() {
	t0=$(now)
	"$@" >"$work/out" 2>"$work/err" || {
		echo "bench: $* failed:" >&2
		cat "$work/err" >&2
		exit 1
	}
	t1=$(now)
	echo "$t0 $t1" | awk '{ print $2 - $1 }'
}

# min A B: the smaller, or B when A is empty.
min() {
	echo "${1:-} $2" | awk '{ if (NF == 1 || $2 < $1) print $NF;
	    else print $1 }'
}

echo "bench: generating the schema" >&2
t0=$(now)
psql -q -X -v ON_ERROR_STOP=1 -f "$here/gen-schema.sql" >/dev/null || exit 1
echo "bench: generated in $(echo "$t0 $(now)" | awk '{ printf "%.1f", $2 - $1 }') s" >&2
psql -X -A -t -c "SELECT count(*) FILTER (WHERE relkind = 'r') || ' tables, ' ||
    count(*) FILTER (WHERE relkind = 'i') || ' indexes, ' ||
    (SELECT count(*) FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid
      JOIN pg_namespace tn ON tn.oid = t.relnamespace
     WHERE t.relkind = 'r' AND tn.nspname ~ '^s[0-9]$' AND a.attnum > 0) ||
    ' columns' FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname ~ '^s[0-9]$'"

# The commands take turns, so that a machine whose speed drifts (a
# virtual machine's often does) slows them alike; each keeps its best.
dump= snap= seqv=
i=0
while [ "$i" -lt "$runs" ]; do
	t=$(timed pg_dump --schema-only -f "$work/dump.sql") || exit 1
	dump=$(min "$dump" "$t")
	t=$(timed "$TOP/bin/pg-snapshot" -q -o "$work/snap.json") || exit 1
	snap=$(min "$snap" "$t")
	t=$(timed "$TOP/bin/pg-snapshot" -q --sequence-values \
	    -o "$work/snap.json") || exit 1
	seqv=$(min "$seqv" "$t")
	i=$((i + 1))
done
echo "snapshot size: $(wc -c <"$work/snap.json") bytes"
uptime | sed 's/.*load/load/'
echo "$dump $snap $seqv" | awk '{
    printf "pg_dump --schema-only:         %.2f s\n", $1
    printf "pg-snapshot:                   %.2f s\n", $2
    printf "ratio:                         %.3f\n", $2 / $1
    printf "pg-snapshot --sequence-values: %.2f s (ratio %.3f)\n", $3,
        $3 / $1 }'
