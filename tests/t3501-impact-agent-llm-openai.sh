# t3501-impact-agent-llm-openai.sh: the model pass against a fake OpenAI
# Chat Completions server: a multi-turn tool loop, the request shapes the
# API documents, repair of invalid answers, and every failure falling back
# to the rules' review (issue 8).
. "${0%/*}/lib.sh"
. "$TESTS/lib/fake.sh"
C=$CASES/impact-agent-llm
impact-agent --help >help.txt 2>&1
grep -q -- '--model' help.txt || t_skip_all 'impact-agent has no --model yet'

KEY=sk-test-SECRET-42
export DRIFT_HTTP_TRIES=2
unset IMPACT_AGENT_MODEL IMPACT_AGENT_PROVIDER IMPACT_AGENT_BASE_URL \
    IMPACT_AGENT_API_KEY_FILE OPENAI_API_KEY OPENAI_API_KEY_FILE \
    ANTHROPIC_API_KEY ANTHROPIC_API_KEY_FILE IMPACT_AGENT_MAX_TURNS \
    IMPACT_AGENT_TIMEOUT IMPACT_AGENT_PRICE_TABLE IMPACT_AGENT_REQUIRE_LLM \
    IMPACT_AGENT_MAX_TOKENS IMPACT_AGENT_TEMPERATURE
export IMPACT_AGENT_API_KEY=$KEY
# One server plays every scripted model: the model name picks the plan.
jq -s '{api_key: .[0].api_key, plans: {tools: .[0].plan, badargs: .[1].plan,
    repair: .[2].plan, invalid: .[3].plan, local: .[4].plan,
    many: [{tool_calls: [range(10) | {name: "get_table_stats",
    arguments: {name: "public.users"}}]}, .[1].plan[1]]}}' \
    "$C/plan-tools.json" "$C/plan-badargs.json" "$C/plan-repair.json" \
    "$C/plan-invalid.json" "$C/plan-text.json" >state.json
fake_start openai --init state.json
export IMPACT_AGENT_BASE_URL=$FAKE_URL/v1

# The model's part of a review, for comparison with expect-*.json.
project() {
	jq -S '{agent, summary: (.summary | {risk, verdict, by_severity,
	    narrative}), changes: [.changes[] | {id,
	    severity: .assessment.severity, reasoning: .assessment.reasoning,
	    model: [.assessment.findings[] | select(.rule | startswith("model:"))]}]}' "$1"
}
# The rules' findings, which no model may change.
rules_only() {
	jq -S '[.changes[] | {id, f: [.assessment.findings[] |
	    select(.rule | startswith("model:") | not)]}]' "$1"
}
# The n-th logged request (0-based).
req() {
	sed -n "$(($1 + 1))p" openai.requests >req.json
}
no_secret() {
	for f in "$@"; do t_nogrep "$KEY" "$f"; done
}

t_begin 'with no model nothing is sent and the review is the rules review'
t_run 0 impact-agent "$C/diff.json"
cp out rules.json
t_jq rules.json '.agent.mode' rules
t_check 'no request' test "$(wc -l <openai.requests)" = 0
t_end

t_begin 'three turns of tool calls, then a review merged into the rules'
t_run 0 impact-agent --model tools "$C/diff.json"
cp out llm.json
project llm.json >got.json
t_cmp "$C/expect-tools.json" got.json
rules_only rules.json >want.rules
rules_only llm.json >got.rules
t_cmp want.rules got.rules
no_secret out err llm.json
t_end

t_begin 'each request has the documented shape: model, messages, tools'
req 0
t_jq openai.requests 'select(.path != "/v1/chat/completions") | .path' ''
t_jq req.json '.headers.authorization' "Bearer $KEY"
t_jq req.json '.headers["content-type"]' 'application/json; charset=utf-8'
t_jq req.json '.body.model' tools
t_jq req.json '.body.messages | map(.role) | join(",")' system,user
t_jq req.json '.body.messages[0].content | startswith("You are a senior database engineer")' true
t_jq req.json '.body.messages[1].content | test("<untrusted-data>\n.*\n</untrusted-data>$")' true
t_jq req.json '[.body.tools[] | .type] | unique | join(",")' function
t_jq req.json '[.body.tools[] | .function.name] | join(",")' \
    get_change,get_object,find_dependents,find_queries,get_table_stats,submit_review
t_jq req.json '[.body.tools[] | .function.parameters.additionalProperties] | unique | join(",")' false
t_jq req.json '.body.tool_choice' auto
t_jq req.json '.body.max_tokens' 4096
t_jq req.json '.body.temperature' 0
t_end

t_begin 'tool results answer every call id, as data, with the evidence'
req 2
t_jq req.json '.body.messages | map(.role) | join(",")' \
    system,user,assistant,tool,tool,assistant,tool,tool
t_jq req.json '.body.messages[2].tool_calls | map(.id) | join(",")' call_0_0,call_0_1
t_jq req.json '.body.messages[2].tool_calls[0].function.arguments' '{"pattern": "nickname"}'
t_jq req.json '.body.messages[3].tool_call_id' call_0_0
t_jq req.json '.body.messages[3].content | ltrimstr("<untrusted-data>\n") | rtrimstr("\n</untrusted-data>") | fromjson | .queries[0].query' \
    'SELECT nickname FROM users WHERE id = $1'
t_jq req.json '.body.messages[4].content | ltrimstr("<untrusted-data>\n") | rtrimstr("\n</untrusted-data>") | fromjson | [.rows, .bytes] | join(",")' \
    1200000,314572800
t_jq req.json '.body.messages[5].content' 'Checking the view that reads the column.'
t_jq req.json '.body.messages[6].content | ltrimstr("<untrusted-data>\n") | rtrimstr("\n</untrusted-data>") | fromjson | [.changes[] | .id] | join(",")' \
    column:public.users.nickname:drop
t_jq req.json '.body.messages[7].content | ltrimstr("<untrusted-data>\n") | rtrimstr("\n</untrusted-data>") | fromjson | .dependents[0].dependent' \
    view:public.active_users
t_end

t_begin 'the last turn forces submit_review'
fake_reset_log openai
t_run 0 impact-agent --model tools --max-turns 2 "$C/diff.json"
t_jq out '.agent.mode + " " + .agent.llm_error' 'rules no answer submitted within the turn limit'
req 1
t_jq req.json '.body.tool_choice | .type + ":" + .function.name' function:submit_review
t_check 'two requests' test "$(wc -l <openai.requests)" = 2
t_end

t_begin 'malformed tool arguments and unknown tools are answered as errors'
fake_reset_log openai
t_run 0 impact-agent --model badargs "$C/diff.json"
t_jq out '.agent | "\(.mode) \(.turns) \(.llm_error)"' 'llm 2 null'
req 1
t_jq req.json '.body.messages[3].content' \
    'error: the arguments are not a valid JSON object; call get_change again with a JSON object as arguments'
t_jq req.json '.body.messages[4].content' \
    'error: get_change: argument "id" must be a non-empty string'
t_jq req.json '.body.messages[5].content' 'error: drop_table: no such tool'
t_end

t_begin 'at most 8 tool calls of one turn are run'
fake_reset_log openai
t_run 0 impact-agent --model many "$C/diff.json"
t_jq out '.agent.mode' llm
req 1
t_jq req.json '[.body.messages[] | select(.role == "tool") | .content | startswith("<untrusted-data>")] | map(tostring) | join(",")' \
    true,true,true,true,true,true,true,true,false,false
t_jq req.json '.body.messages[-1].content' \
    'error: more than 8 tool calls in one turn; ask again in the next'
t_end

t_begin 'an invalid review gets one repair round that lists what was wrong'
fake_reset_log openai
t_run 0 impact-agent --model repair "$C/diff.json"
t_jq out '.agent | "\(.mode) \(.turns)"' 'llm 2'
t_jq out '.changes[0].assessment.findings | map(.rule) | index("model:bad-slug-fixed") != null' true
req 1
t_jq req.json '.body.tool_choice.function.name' submit_review
t_jq req.json '.body.messages[3].content' \
    'error: the review was not accepted: review: unknown member "confidence"; review: "narrative" is empty; changes[0]: no change has id "column:public.users.nosuch:drop"; findings[0]: "slug" may hold only a-z, 0-9 and '"'"'-'"'"'; findings[0]: "severity" must be one of critical, high, medium, low, info'
t_jq req.json '.body.messages[4].role' user
t_end

t_begin 'still invalid after the repair: the rules review stands, exit 0'
fake_reset_log openai
t_run 0 impact-agent --model invalid "$C/diff.json"
cp out fallback.json
t_jq fallback.json '.agent | "\(.mode) \(.provider) \(.model) \(.turns)"' 'rules openai invalid 2'
t_jq fallback.json '.agent.llm_error' \
    'invalid answer after a repair round: the reply called no tool and held no JSON review'
jq -S 'del(.agent)' rules.json | t_norm >want.json
jq -S 'del(.agent)' fallback.json | t_norm >got.json
t_cmp want.json got.json
t_grep 'model pass failed, keeping the rules' err
t_end

t_begin '--require-llm makes an invalid answer an error (69)'
t_run 69 impact-agent --model invalid --require-llm "$C/diff.json"
t_run 69 env IMPACT_AGENT_REQUIRE_LLM=1 impact-agent --model invalid "$C/diff.json"
t_check 'no review written' test ! -s out
t_end

t_begin 'a 429 with Retry-After is waited out, then the pass goes on'
fake_reset_log openai
fake_script_text openai '[{"path": "/chat/completions", "times": 1, "status": 429,
  "headers": {"Retry-After": "1"},
  "body": {"error": {"message": "Rate limit reached", "type": "requests", "param": null, "code": "rate_limit_exceeded"}}}]'
t_run 0 impact-agent --model tools "$C/diff.json"
t_jq out '.agent | "\(.mode) \(.turns)"' 'llm 3'
t_check 'four requests' test "$(wc -l <openai.requests)" = 4
t_end

t_begin 'a 500 after retries: rules review with llm_error, exit 0; 69 required'
fake_reset_log openai
fake_script_text openai '[{"path": "/chat/completions", "status": 500,
  "body": {"error": {"message": "The server had an error", "type": "server_error", "param": null, "code": null}}}]'
t_run 0 impact-agent --model tools "$C/diff.json"
t_jq out '.agent | "\(.mode) \(.llm_error)"' \
    'rules openai: HTTP 500: The server had an error (after 2 tries)'
t_check 'two tries' test "$(wc -l <openai.requests)" = 2
t_run 69 impact-agent --model tools --require-llm "$C/diff.json"
no_secret out err
t_end

t_begin 'a slow server past --timeout: llm_error, exit 0; 75 required'
fake_script_text openai '[{"path": "/chat/completions", "delay": 3}]'
t_run 0 impact-agent --model tools --timeout 1 "$C/diff.json"
t_jq out '.agent.mode' rules
t_grep 'timed out|ran out of time' out
t_run 75 env DRIFT_HTTP_TRIES=1 impact-agent --model tools --timeout 1 --require-llm "$C/diff.json"
t_end

t_begin 'a proxy answering 200 with HTML, or hanging up, is no answer'
fake_script_text openai '[{"path": "/chat/completions", "status": 200, "body": "<html>gateway</html>"}]'
t_run 0 impact-agent --model tools "$C/diff.json"
t_jq out '.agent | "\(.mode) \(.llm_error)"' 'rules openai: the answer is not a JSON object'
t_run 69 impact-agent --model tools --require-llm "$C/diff.json"
fake_reset_log openai
fake_script_text openai '[{"path": "/chat/completions", "hangup": true}]'
t_run 0 impact-agent --model tools "$C/diff.json"
t_jq out '.agent.mode' rules
t_check 'two tries' test "$(wc -l <openai.requests)" = 2
t_end

t_begin 'a refused key is 77 with --require-llm and never printed'
fake_script_text openai '[]'
t_run 0 env IMPACT_AGENT_API_KEY=sk-wrong-SECRET impact-agent --model tools "$C/diff.json"
t_jq out '.agent.llm_error' 'openai: HTTP 401: Incorrect API key provided.'
t_nogrep 'sk-wrong-SECRET' out
t_run 77 env IMPACT_AGENT_API_KEY=sk-wrong-SECRET impact-agent --model tools --require-llm "$C/diff.json"
t_nogrep 'sk-wrong-SECRET' err
t_end

t_begin 'no key for the public API: nothing is sent'
fake_reset_log openai
t_run 0 env IMPACT_AGENT_API_KEY= IMPACT_AGENT_BASE_URL= impact-agent --model tools "$C/diff.json"
t_jq out '.agent.llm_error' 'no API key: set IMPACT_AGENT_API_KEY or OPENAI_API_KEY'
t_run 78 env IMPACT_AGENT_API_KEY= IMPACT_AGENT_BASE_URL= impact-agent --model tools --require-llm "$C/diff.json"
t_end

t_begin 'the key may come from OPENAI_API_KEY_FILE'
fake_reset_log openai
printf '%s\n' "$KEY" >key.txt
t_run 0 env IMPACT_AGENT_API_KEY= OPENAI_API_KEY_FILE=key.txt impact-agent --model tools "$C/diff.json"
t_jq out '.agent.mode' llm
t_jq openai.requests '.headers.authorization' "Bearer $KEY
Bearer $KEY
Bearer $KEY"
t_end

t_begin 'a server without tool calls may answer with the review as text'
fake_reset_log openai
t_run 0 impact-agent --model local "$C/diff.json"
t_jq out '.agent.mode + " " + .summary.narrative' 'llm From text.'
t_end

t_begin 'a base URL with a query string (Azure) keeps it after the path'
fake_reset_log openai
t_run 0 impact-agent --model tools \
    --base-url "$FAKE_URL/openai/deployments/d?api-version=2024-10-21" "$C/diff.json"
t_jq out '.agent.mode' llm
t_jq openai.requests '.path' '/openai/deployments/d/chat/completions?api-version=2024-10-21
/openai/deployments/d/chat/completions?api-version=2024-10-21
/openai/deployments/d/chat/completions?api-version=2024-10-21'
t_end

t_begin 'bad settings are refused before anything is read or sent'
fake_reset_log openai
t_run 78 env IMPACT_AGENT_PROVIDER=gemini impact-agent --model tools "$C/diff.json"
t_grep 'provider "gemini" is not openai or anthropic' err
t_run 78 env IMPACT_AGENT_MAX_TURNS=many impact-agent "$C/diff.json"
t_grep 'IMPACT_AGENT_MAX_TURNS: "many" is not a number from 1 to 64' err
t_run 64 impact-agent --model tools --max-turns 0 "$C/diff.json"
t_run 64 impact-agent --model tools --timeout soon "$C/diff.json"
t_run 78 impact-agent --model tools --price-table nosuch.json "$C/diff.json"
t_run 78 impact-agent --model tools --base-url ftp://x "$C/diff.json"
echo k >key1
t_run 78 env IMPACT_AGENT_API_KEY_FILE=key1 impact-agent --model tools nosuch.json
t_grep 'IMPACT_AGENT_API_KEY' err
t_nogrep "$KEY" err
t_check 'no request' test "$(wc -l <openai.requests)" = 0
t_end

t_begin 'a price table gives the estimated cost'
cat >prices.json <<'EOF'
{"gpt-4*": {"input": 1, "output": 1}, "loc*": {"input": 2.5, "output": 10}}
EOF
t_run 0 impact-agent --model local --price-table prices.json "$C/diff.json"
t_jq out '.agent | "\(.input_tokens) \(.output_tokens) \(.estimated_cost_usd)"' '100 20 0.00045'
t_run 0 impact-agent --model other --price-table prices.json "$C/diff.json"
t_jq out '.agent.estimated_cost_usd' null
t_end
t_done
