# lib.sh: the harness every tests/tNNNN-*.sh script sources.
#
#   . "${0%/*}/lib.sh"
#   t_begin 'what this checks'
#   t_run 0 schema-diff prod.json staging.json     # stdout -> out, stderr -> err
#   t_cmp expected.json out                        # exact comparison
#   t_end
#   t_done
#
# Each test prints "ok N - name" or "not ok N - name" (TAP), which tests/run
# counts.  Scripts run in a private temporary directory ($T_TMP) removed at
# exit; `at_exit CMD` adds cleanup (pg.sh and the fake servers use it).
# t_run asserts the exact exit status, never "non-zero".

set -u
TOP=$(cd "${0%/*}/.." && pwd)
TESTS=$TOP/tests
CASES=$TESTS/cases
BIN=$TOP/bin
PATH=$BIN:$TOP/scripts:$PATH
export TOP TESTS CASES BIN PATH
T_N=0
T_FAILED=0
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/drift-test.XXXXXX")
chmod 755 "$T_TMP"
T_AT_EXIT="rm -rf '$T_TMP'"
trap 'eval "$T_AT_EXIT"' EXIT
trap 'exit 130' INT TERM
cd "$T_TMP" || exit 1

at_exit() {
	T_AT_EXIT="$1; $T_AT_EXIT"
}

t_begin() {
	T_NAME=$1
	T_OK=1
	T_DIAG=
}

t_fail() {
	T_OK=0
	T_DIAG="$T_DIAG$1
"
}

# t_run STATUS CMD...: run CMD, stdout to ./out, stderr to ./err.
t_run() {
	want=$1
	shift
	"$@" >out 2>err
	got=$?
	if [ "$got" != "$want" ]; then
		t_fail "$* exited $got, expected $want; stderr:"
		t_fail "$(head -c 2000 err)"
	fi
	return 0
}

# t_run_in FILE STATUS CMD...: the same with stdin from FILE.
t_run_in() {
	in=$1
	shift
	want=$1
	shift
	"$@" <"$in" >out 2>err
	got=$?
	if [ "$got" != "$want" ]; then
		t_fail "$* <$in exited $got, expected $want; stderr:"
		t_fail "$(head -c 2000 err)"
	fi
	return 0
}

t_cmp() {
	if ! diff -u "$1" "$2" >cmp.diff 2>&1; then
		t_fail "$1 and $2 differ:"
		t_fail "$(head -c 4000 cmp.diff)"
	fi
}

# t_check DESCRIPTION CMD...: CMD must succeed.
t_check() {
	desc=$1
	shift
	"$@" >/dev/null 2>&1 || t_fail "check failed: $desc"
}

# t_grep PATTERN FILE / t_nogrep PATTERN FILE (extended regexps).
t_grep() {
	grep -Eq -- "$1" "$2" || {
		t_fail "$2 does not match /$1/:"
		t_fail "$(head -c 2000 "$2")"
	}
}
t_nogrep() {
	if grep -Eq -- "$1" "$2"; then
		t_fail "$2 matches /$1/ and must not:"
		t_fail "$(grep -E -- "$1" "$2" | head -5)"
	fi
}

# t_jq FILE FILTER EXPECTED: jq -r FILTER on FILE prints EXPECTED.
t_jq() {
	got=$(jq -r "$2" "$1" 2>&1)
	[ "$got" = "$3" ] || t_fail "jq '$2' $1: got '$got', expected '$3'"
}

t_end() {
	T_N=$((T_N + 1))
	if [ "$T_OK" = 1 ]; then
		echo "ok $T_N - $T_NAME"
	else
		T_FAILED=$((T_FAILED + 1))
		echo "not ok $T_N - $T_NAME"
		printf '%s' "$T_DIAG" | sed 's/^/#   /'
	fi
}

# t_skip_all REASON: nothing here can run on this machine.
t_skip_all() {
	echo "# skip: $1"
	exit 0
}

t_done() {
	[ "$T_FAILED" = 0 ]
	exit $?
}

# Replace the values of *_at members so outputs compare across runs.
t_norm() {
	sed -E 's/("[a-z_]*_at"): *"[^"]*"/\1: "*"/g; s/("snapshot_seconds"): *[0-9.e+-]+/\1: 0/g' "$@"
}
