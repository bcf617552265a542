# t9003-hardening-tls.sh: open-gh-issue and impact-agent's model pass
# refuse a self-signed certificate, and accept it through their CA file
# settings (GITHUB_CA_FILE, IMPACT_AGENT_CA_FILE), as post-confluence does
# with CONFLUENCE_CA_FILE (t4550).
. "${0%/*}/lib.sh"
. "$TESTS/lib/fake.sh"
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem \
    -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    >/dev/null 2>&1 || t_skip_all 'openssl cannot make a certificate'
unset DRIFT_OUTBOX GITHUB_TOKEN_FILE GITHUB_CA_FILE IMPACT_AGENT_CA_FILE \
    IMPACT_AGENT_MODEL IMPACT_AGENT_PROVIDER IMPACT_AGENT_API_KEY_FILE \
    OPENAI_API_KEY ANTHROPIC_API_KEY IMPACT_AGENT_REQUIRE_LLM
export DRIFT_HTTP_TRIES=1

t_begin 'open-gh-issue: a self-signed GitHub is refused (69), trusted with GITHUB_CA_FILE'
fake_start github --tls cert.pem key.pem
export GITHUB_REPOSITORY=acme/app GITHUB_TOKEN=ghp-test-token GITHUB_API_URL=$FAKE_URL
t_run 69 open-gh-issue "$CASES/open-gh-issue/review-v1.json"
t_grep 'certificate|SSL' err
t_nogrep ghp-test-token err
GITHUB_CA_FILE=cert.pem t_run 0 open-gh-issue -o r.json "$CASES/open-gh-issue/review-v1.json"
t_jq r.json .github.action created
t_end

C=$CASES/impact-agent-llm
jq -s '{api_key: .[0].api_key, plans: {tools: .[0].plan}}' \
    "$C/plan-tools.json" >state.json
t_begin 'impact-agent: a self-signed model server fails the pass, trusted with IMPACT_AGENT_CA_FILE'
fake_start openai --tls cert.pem key.pem --init state.json
export IMPACT_AGENT_BASE_URL=$FAKE_URL/v1 IMPACT_AGENT_API_KEY=$(jq -r .api_key state.json)
t_run 0 impact-agent --model tools "$C/diff.json"
t_jq out '.agent.mode' rules
t_jq out '.agent.llm_error | test("certificate|SSL|TLS"; "i")' true
t_run 69 impact-agent --model tools --require-llm "$C/diff.json"
IMPACT_AGENT_CA_FILE=cert.pem t_run 0 impact-agent --model tools "$C/diff.json"
t_jq out '.agent.mode' llm
t_jq out '.agent.llm_error' null
t_end
t_done
