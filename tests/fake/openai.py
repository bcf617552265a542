"""openai.py: a fake OpenAI Chat Completions server (POST /v1/chat/completions)
for impact-agent's model pass.

It checks requests the way the real API does and answers with its error
shapes ({"error": {"message", "type", "param", "code"}}): a wrong or missing
bearer key is 401 when the state holds "api_key"; a body without model or
messages, a tool message answering no pending call, an assistant message
whose tool calls are not all answered before the next message, a tool
without a function name, or a tool_choice naming an unknown function is
400.

The model is scripted.  The state (--init) holds a "plan": one entry per
turn, the turn being the number of assistant messages in the request (or
"plans", a plan per model name, so that one server plays several models):

    {"tool_calls": [{"name": "find_queries", "arguments": {"pattern": "x"}},
                    {"name": "get_change", "raw": "{not json"}]}
    {"answer": {...}}          submit_review called with this review
    {"text": "..."}            a plain reply, no tool call
    "finish": "length"         overrides finish_reason on any entry
    "usage": [100, 20]         prompt and completion tokens of the turn

With no plan entry for a turn the fake behaves like a terse model: on the
first turn it asks find_queries about the first change's object, then it
submits a review with a line of reasoning per change.  The shapes shared
with anthropic.py (plan lookup, digest parsing, default answer) live here
as plain functions.
"""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import base  # noqa: E402

DEFAULT_USAGE = [100, 20]


def digest(text):
    """The JSON between the <untrusted-data> markers of a user message."""
    m = re.search(r"<untrusted-data>\n(.*)\n</untrusted-data>", text or "",
                  re.S)
    if not m:
        return {}
    try:
        return json.loads(m.group(1))
    except ValueError:
        return {}


def default_entry(turn, data):
    """What the fake model does when the plan says nothing for `turn`."""
    changes = data.get("changes", [])
    if turn == 0 and changes:
        name = (changes[0].get("object") or "x").split(".")[-1]
        return {"tool_calls": [{"name": "find_queries",
                                "arguments": {"pattern": name}}]}
    return {"answer": {
        "changes": [{"id": c["id"],
                     "reasoning": "Reviewed %s %s." % (c.get("op"),
                                                      c.get("object"))}
                    for c in changes if "id" in c],
        "findings": [], "severity_raises": [],
        "narrative": "The model found nothing to add to the rules."}}


def plan_entry(state, model, turn, data):
    plan = state.get("plans", {}).get(model, state.get("plan"))
    if plan is not None and turn < len(plan):
        return plan[turn]
    return default_entry(turn, data)


def calls_of(entry):
    """[(name, arguments object or None, raw text or None)]"""
    out = []
    for c in entry.get("tool_calls", []):
        out.append((c["name"], c.get("arguments"), c.get("raw")))
    if "answer" in entry:
        out.append(("submit_review", entry["answer"], None))
    return out


def error(status, message, etype="invalid_request_error", code=None,
          param=None):
    return status, {}, {"error": {"message": message, "type": etype,
                                  "param": param, "code": code}}


class OpenAI(base.Fake):
    def api(self, req):
        if req.method != "POST" or not req.path.endswith("/chat/completions"):
            return error(404, "Invalid URL (%s %s)" % (req.method, req.path),
                         code="unknown_url")
        key = self.state.get("api_key")
        auth = req.headers.get("authorization", "")
        if key is not None and auth != "Bearer " + key:
            return error(401, "Incorrect API key provided.",
                         code="invalid_api_key")
        body = req.json
        if not isinstance(body, dict):
            return error(400, "We could not parse the JSON body of your "
                         "request.")
        problem = self.check(body)
        if problem:
            return error(400, problem)
        msgs = body["messages"]
        turn = sum(1 for m in msgs if m.get("role") == "assistant")
        user = next((m for m in msgs if m.get("role") == "user"), {})
        entry = plan_entry(self.state, body["model"], turn,
                           digest(user.get("content")))
        self.state["turns"] = self.state.get("turns", 0) + 1
        return 200, {"x-request-id": "req_%d" % self.state["turns"]}, \
            self.reply(body, turn, entry)

    def check(self, body):
        if not isinstance(body.get("model"), str):
            return "you must provide a model parameter"
        msgs = body.get("messages")
        if not isinstance(msgs, list) or not msgs:
            return "'messages' must be a non-empty array"
        names = set()
        for t in body.get("tools", []):
            fn = t.get("function") or {}
            if t.get("type") != "function" or \
                    not re.match(r"^[a-zA-Z0-9_-]{1,64}$", fn.get("name", "")):
                return "Invalid 'tools': each needs type function and a name"
            if not isinstance(fn.get("parameters", {}), dict):
                return "Invalid 'tools[].function.parameters'"
            names.add(fn["name"])
        tc = body.get("tool_choice")
        if isinstance(tc, dict):
            if tc.get("function", {}).get("name") not in names:
                return "Invalid value for 'tool_choice': no such function"
        elif tc not in (None, "auto", "none", "required"):
            return "Invalid value for 'tool_choice'"
        pending = []
        for i, m in enumerate(msgs):
            role = m.get("role")
            if role not in ("system", "user", "assistant", "tool",
                            "developer"):
                return "Invalid value for 'messages[%d].role'" % i
            if role == "tool":
                if m.get("tool_call_id") not in pending:
                    return ("Invalid parameter: messages with role 'tool' "
                            "must be a response to a preceeding message "
                            "with 'tool_calls'.")
                pending.remove(m["tool_call_id"])
                if not isinstance(m.get("content"), str):
                    return "messages[%d].content must be a string" % i
                continue
            if pending:
                return ("An assistant message with 'tool_calls' must be "
                        "followed by tool messages responding to each "
                        "'tool_call_id'. The following tool_call_ids did "
                        "not have response messages: " + ", ".join(pending))
            if role == "assistant":
                for c in m.get("tool_calls") or []:
                    args = c.get("function", {}).get("arguments")
                    if not isinstance(args, str):
                        return ("messages[%d].tool_calls[].function."
                                "arguments must be a string" % i)
                    pending.append(c.get("id"))
        if pending:
            return ("An assistant message with 'tool_calls' must be followed "
                    "by tool messages responding to each 'tool_call_id'.")
        return None

    def reply(self, body, turn, entry):
        calls = []
        for i, (name, args, raw) in enumerate(calls_of(entry)):
            calls.append({"id": "call_%d_%d" % (turn, i), "type": "function",
                          "function": {"name": name,
                                       "arguments": raw if raw is not None
                                       else json.dumps(args)}})
        msg = {"role": "assistant", "content": entry.get("text"),
               "refusal": None}
        if calls:
            msg["tool_calls"] = calls
        finish = entry.get("finish", "tool_calls" if calls else "stop")
        pt, ct = entry.get("usage", DEFAULT_USAGE)
        return {"id": "chatcmpl-%d" % turn, "object": "chat.completion",
                "created": 1764000000, "model": body["model"],
                "choices": [{"index": 0, "finish_reason": finish,
                             "message": msg, "logprobs": None}],
                "usage": {"prompt_tokens": pt, "completion_tokens": ct,
                          "total_tokens": pt + ct}}


if __name__ == "__main__":
    base.serve(OpenAI)
