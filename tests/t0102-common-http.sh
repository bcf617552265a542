# t0102-common-http.sh: the shared HTTP client against a local fake:
# retries, Retry-After, bounded tries, exit codes, secrets, TLS.
. "${0%/*}/lib.sh"
. "$TESTS/lib/fake.sh"
H=$UNIT_DIR/tool_http
export TOOL_TOKEN=tok-SECRET-123 DRIFT_HTTP_TRIES=3
fake_start echo
U=$FAKE_URL

t_begin 'a GET carries User-Agent, Accept and the bearer token'
t_run 0 "$H" GET "$U/x?a=1"
t_grep '^200 ' out
t_jq echo.requests '.headers["user-agent"]' 'drift-review/0.1.0'
t_jq echo.requests '.headers.authorization' 'Bearer tok-SECRET-123'
t_jq echo.requests '.headers.accept' 'application/json'
t_end

t_begin '503 with Retry-After is waited out, then 200'
fake_reset_log echo
fake_script_text echo '[{"path": "^/r1", "times": 1, "status": 503, "headers": {"Retry-After": "1"}}]'
t_run 0 "$H" GET "$U/r1"
t_check 'two requests' test "$(fake_count echo GET '^/r1')" = 2
t_end

t_begin 'a 429 storm ends as a temporary failure (75) after the bounded tries'
fake_reset_log echo
fake_script_text echo '[{"path": "^/storm", "status": 429, "headers": {"Retry-After": "0"}, "body": {"message": "slow down"}}]'
t_run 75 "$H" GET "$U/storm"
t_check 'three tries' test "$(fake_count echo GET '^/storm')" = 3
t_grep 'HTTP 429: \{"message": "slow down"\} \(after 3 tries\)' err
t_end

t_begin 'a persistent 500 ends as service unavailable (69)'
fake_script_text echo '[{"path": "^/boom", "status": 500}]'
t_run 69 "$H" GET "$U/boom"
t_end

t_begin '401 is permission denied (77) and not retried'
fake_reset_log echo
fake_script_text echo '[{"path": "^/auth", "status": 401, "body": {"message": "Bad credentials"}}]'
t_run 77 "$H" GET "$U/auth"
t_check 'one request' test "$(fake_count echo GET '^/auth')" = 1
t_end

t_begin 'a 429 for an exhausted quota is not retried (a billing state)'
fake_reset_log echo
fake_script_text echo '[{"path": "^/quota", "status": 429, "body": {"error": {"type": "insufficient_quota", "code": "insufficient_quota"}}}]'
t_run 75 "$H" GET "$U/quota"
t_check 'one request' test "$(fake_count echo GET '^/quota')" = 1
t_end

t_begin 'a creating POST is not retried after a 503 (it may have landed)'
fake_reset_log echo
fake_script_text echo '[{"path": "^/create", "status": 503}]'
t_run 69 "$H" --create POST "$U/create" '{"a":1}'
t_check 'one request' test "$(fake_count echo POST '^/create')" = 1
t_end

t_begin 'a creating POST is retried after a 429 (refused before processing)'
fake_reset_log echo
fake_script_text echo '[{"path": "^/create2", "times": 1, "status": 429, "headers": {"Retry-After": "0"}}]'
t_run 0 "$H" --create POST "$U/create2" '{"a":1}'
t_check 'two requests' test "$(fake_count echo POST '^/create2')" = 2
t_end

t_begin 'a Retry-After beyond the ceiling is not slept: exit 75 at once'
fake_script_text echo '[{"path": "^/later", "status": 503, "headers": {"Retry-After": "3600"}}]'
t_run 75 "$H" GET "$U/later"
t_grep 'asked to wait 3600 s' err
t_end

t_begin 'an HTTP-date Retry-After in the past is retried at once'
fake_reset_log echo
fake_script_text echo '[{"path": "^/date", "times": 1, "status": 503, "headers": {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}}]'
t_run 0 "$H" GET "$U/date"
t_check 'two requests' test "$(fake_count echo GET '^/date')" = 2
t_end

t_begin 'a connection hung up without an answer is retried'
fake_reset_log echo
fake_script_text echo '[{"path": "^/hang", "times": 1, "hangup": true}]'
t_run 0 "$H" GET "$U/hang"
t_end

t_begin 'a slow answer past the timeout is a temporary failure (75)'
fake_script_text echo '[{"path": "^/slow", "delay": 3}]'
DRIFT_HTTP_TRIES=1 t_run 75 "$H" --timeout-ms 500 GET "$U/slow"
t_end

t_begin 'connection refused is service unavailable (69)'
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
t_run 69 "$H" GET "http://127.0.0.1:$port/"
t_end

t_begin 'the token never reaches stderr, even with -v and errors'
fake_script_text echo '[{"path": "^/v", "status": 403, "body": "forbidden"}]'
t_run 77 "$H" -v GET "$U/v?token=zzz"
t_nogrep 'tok-SECRET-123' err
t_nogrep 'zzz' err
t_end

t_begin 'a self-signed certificate is rejected, accepted with its CA file'
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem \
    -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    >/dev/null 2>&1
fake_start echo --tls cert.pem key.pem
t_run 69 "$H" GET "$FAKE_URL/tls"
TOOL_CA=cert.pem t_run 0 "$H" GET "$FAKE_URL/tls"
t_end

t_done
