# fake.sh: start the fake API servers of tests/fake/ for one test script.
#
#   . "$TESTS/lib/fake.sh"
#   fake_start confluence [--init state.json] [--tls cert key]
#       -> FAKE_URL=http://127.0.0.1:PORT, requests logged (one JSON line
#          each) to ./confluence.requests, state in ./confluence.state
#   fake_script confluence rules.json    # faults for the next requests
#   fake_requests confluence             # print the request log
#   fake_reset_log confluence
# Servers are stopped at exit.

fake_start() {
	name=$1
	shift
	rm -f "$T_TMP/$name.port" "$T_TMP/$name.requests"
	: >"$T_TMP/$name.requests"
	[ -f "$T_TMP/$name.script" ] || echo '[]' >"$T_TMP/$name.script"
	python3 "$TESTS/fake/$name.py" --port-file "$T_TMP/$name.port" \
	    --log "$T_TMP/$name.requests" --script "$T_TMP/$name.script" \
	    --state "$T_TMP/$name.state" "$@" 2>"$T_TMP/$name.stderr" &
	pid=$!
	at_exit "kill $pid 2>/dev/null"
	i=0
	while [ ! -s "$T_TMP/$name.port" ]; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 $pid 2>/dev/null; then
			echo "fake.sh: $name did not start" >&2
			cat "$T_TMP/$name.stderr" >&2
			return 1
		fi
		sleep 0.1
	done
	scheme=http
	case " $* " in *" --tls "*) scheme=https ;; esac
	FAKE_PORT=$(cat "$T_TMP/$name.port")
	FAKE_URL=$scheme://127.0.0.1:$FAKE_PORT
	FAKE_PID=$pid
	export FAKE_URL FAKE_PORT FAKE_PID
}

fake_script() {
	cp "$2" "$T_TMP/$1.script.tmp" && mv "$T_TMP/$1.script.tmp" "$T_TMP/$1.script"
}

fake_script_text() {
	printf '%s\n' "$2" >"$T_TMP/$1.script.tmp" && mv "$T_TMP/$1.script.tmp" "$T_TMP/$1.script"
}

fake_requests() {
	cat "$T_TMP/$1.requests"
}

fake_reset_log() {
	: >"$T_TMP/$1.requests"
}

# fake_count NAME METHOD PATH-REGEX: how many logged requests match.
fake_count() {
	jq -s --arg m "$2" --arg p "$3" \
	    '[.[] | select(.method == $m and (.path | test($p)))] | length' \
	    "$T_TMP/$1.requests"
}
