# t3502-impact-agent-llm-anthropic.sh: the model pass against a fake
# Anthropic Messages API: headers, the top-level system text, tools with
# input_schema, tool_result blocks answering every tool_use, forcing the
# last turn, overload and rate limits (issue 8).
. "${0%/*}/lib.sh"
. "$TESTS/lib/fake.sh"
C=$CASES/impact-agent-llm
impact-agent --help >help.txt 2>&1
grep -q -- '--model' help.txt || t_skip_all 'impact-agent has no --model yet'

KEY=sk-test-SECRET-42
export DRIFT_HTTP_TRIES=2
unset IMPACT_AGENT_MODEL IMPACT_AGENT_BASE_URL IMPACT_AGENT_API_KEY \
    IMPACT_AGENT_API_KEY_FILE OPENAI_API_KEY OPENAI_API_KEY_FILE \
    ANTHROPIC_API_KEY_FILE IMPACT_AGENT_MAX_TURNS IMPACT_AGENT_TIMEOUT \
    IMPACT_AGENT_PRICE_TABLE IMPACT_AGENT_REQUIRE_LLM IMPACT_AGENT_MAX_TOKENS \
    IMPACT_AGENT_TEMPERATURE
export ANTHROPIC_API_KEY=$KEY IMPACT_AGENT_PROVIDER=anthropic
# One server plays every scripted model: the model name picks the plan.
echo '{"plan": [{"text": "{\"changes\": [", "finish": "max_tokens"}]}' >cut.json
jq -s '{api_key: .[0].api_key, plans: {tools: .[0].plan, badargs: .[1].plan,
    repair: .[2].plan, cut: .[3].plan}}' "$C/plan-tools.json" \
    "$C/plan-badargs.json" "$C/plan-repair.json" cut.json >state.json
fake_start anthropic --init state.json
export IMPACT_AGENT_BASE_URL=$FAKE_URL

req() {
	sed -n "$(($1 + 1))p" anthropic.requests >req.json
}
# The JSON inside a tool_result's <untrusted-data> block.
data() {
	printf '.body.messages[%s].content[%s].content | ltrimstr("<untrusted-data>\\n") | rtrimstr("\\n</untrusted-data>") | fromjson | %s' "$1" "$2" "$3"
}

t_begin 'three turns of tool use, then the same review as over OpenAI'
t_run 0 impact-agent --model tools "$C/diff.json"
cp out llm.json
jq -S '{agent, summary: (.summary | {risk, verdict, by_severity,
    narrative}), changes: [.changes[] | {id,
    severity: .assessment.severity, reasoning: .assessment.reasoning,
    model: [.assessment.findings[] | select(.rule | startswith("model:"))]}]}' \
    llm.json | jq -S '.agent.provider = "openai"' >got.json
t_cmp "$C/expect-tools.json" got.json
t_nogrep "$KEY" out
t_nogrep "$KEY" err
t_end

t_begin 'headers and body follow the Messages API'
req 0
t_jq anthropic.requests 'select(.path != "/v1/messages") | .path' ''
t_jq req.json '.headers["x-api-key"]' "$KEY"
t_jq req.json '.headers["anthropic-version"]' 2023-06-01
t_jq req.json '.headers.authorization' null
t_jq req.json '.body.model + " " + (.body.max_tokens | tostring)' 'tools 4096'
t_jq req.json '.body.system | startswith("You are a senior database engineer")' true
t_jq req.json '.body.messages | map(.role) | join(",")' user
t_jq req.json '[.body.tools[] | .name] | join(",")' \
    get_change,get_object,find_dependents,find_queries,get_table_stats,submit_review
t_jq req.json '[.body.tools[] | .input_schema.type] | unique | join(",")' object
t_jq req.json '.body.tool_choice.type' auto
t_end

t_begin 'one user message answers every tool_use, results first'
req 2
t_jq req.json '.body.messages | map(.role) | join(",")' user,assistant,user,assistant,user
t_jq req.json '.body.messages[1].content | map(.type + ":" + (.id // "")) | join(",")' \
    tool_use:toolu_0_0,tool_use:toolu_0_1
t_jq req.json '.body.messages[2].content | map(.type + ":" + .tool_use_id) | join(",")' \
    tool_result:toolu_0_0,tool_result:toolu_0_1
t_jq req.json "$(data 2 0 '.queries[0].calls')" 311
t_jq req.json '.body.messages[3].content[0].text' 'Checking the view that reads the column.'
t_jq req.json "$(data 4 1 '.dependents | map(.dependent) | join(",")')" \
    view:public.active_users
t_end

t_begin 'a tool input that breaks the schema is a tool_result with is_error'
fake_reset_log anthropic
t_run 0 impact-agent --model badargs "$C/diff.json"
t_jq out '.agent | "\(.mode) \(.turns)"' 'llm 2'
req 1
t_jq req.json '.body.messages[2].content | map(.is_error) | join(",")' true,true,true
t_jq req.json '.body.messages[2].content[0].content' \
    'error: get_change: argument "id" must be a non-empty string'
t_end

t_begin 'the repair round answers the rejected call and forces submit_review'
fake_reset_log anthropic
t_run 0 impact-agent --model repair "$C/diff.json"
t_jq out '.agent | "\(.mode) \(.turns)"' 'llm 2'
req 1
t_jq req.json '.body.tool_choice | .type + ":" + .name' tool:submit_review
t_jq req.json '.body.messages[2].content | map(.type) | join(",")' tool_result,text
t_jq req.json '.body.messages[2].content[0].is_error' true
t_grep 'Call submit_review once more' req.json
t_end

t_begin '529 overloaded is retried; persisting, it falls back (69 required)'
fake_reset_log anthropic
fake_script_text anthropic '[{"path": "/v1/messages", "times": 1, "status": 529,
  "body": {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}}]'
t_run 0 impact-agent --model tools "$C/diff.json"
t_jq out '.agent | "\(.mode) \(.turns)"' 'llm 3'
t_check 'four requests' test "$(wc -l <anthropic.requests)" = 4
fake_script_text anthropic '[{"path": "/v1/messages", "status": 529,
  "body": {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}}]'
t_run 0 impact-agent --model tools "$C/diff.json"
t_jq out '.agent.llm_error' 'anthropic: HTTP 529: Overloaded (after 2 tries)'
t_run 69 impact-agent --model tools --require-llm "$C/diff.json"
t_end

t_begin 'a rate limit that persists is a temporary failure (75 required)'
fake_script_text anthropic '[{"path": "/v1/messages", "status": 429,
  "headers": {"retry-after": "0"},
  "body": {"type": "error", "error": {"type": "rate_limit_error", "message": "Number of request tokens has exceeded your per-minute rate limit"}}}]'
t_run 0 impact-agent --model tools "$C/diff.json"
t_jq out '.agent.mode' rules
t_grep 'HTTP 429: Number of request tokens' out
t_run 75 impact-agent --model tools --require-llm "$C/diff.json"
t_end

t_begin 'an answer cut off at max_tokens is not used'
fake_script_text anthropic '[]'
t_run 0 impact-agent --model cut "$C/diff.json"
t_jq out '.agent | "\(.mode) \(.llm_error)"' \
    'rules the answer was cut off at the token limit (raise --max-tokens)'
t_end
t_done
