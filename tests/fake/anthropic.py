"""anthropic.py: a fake Anthropic Messages API server (POST /v1/messages)
for impact-agent's model pass.

It checks requests as the real API does and answers with its error shape
({"type": "error", "error": {"type", "message"}, "request_id"}): a wrong
or missing x-api-key is 401 authentication_error when the state holds
"api_key"; a missing anthropic-version header, a body without model,
max_tokens or messages, a "system" role inside messages, messages that do
not alternate user/assistant starting with user, a tool_use not answered by
a tool_result (placed first) in the next user message, a tool without
name or input_schema, or a tool_choice naming an unknown tool is 400
invalid_request_error.

The model is scripted by the same plan as openai.py (see there); the turn
is the number of assistant messages in the request.  Tool inputs are JSON
objects in this API, so a plan's "raw" text is sent as {"raw": TEXT}: an
input that breaks the tool's schema.
"""

import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import base  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "fake_openai", os.path.join(HERE, "openai.py"))
plan = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(plan)


def error(status, message, etype="invalid_request_error"):
    return status, {"request-id": "req_err"}, \
        {"type": "error", "error": {"type": etype, "message": message},
         "request_id": "req_err"}


def text_of(content):
    if isinstance(content, str):
        return content
    return "\n".join(b.get("text", "") for b in content or []
                     if b.get("type") == "text")


class Anthropic(base.Fake):
    def api(self, req):
        if req.method != "POST" or req.path != "/v1/messages":
            return error(404, "Not found", "not_found_error")
        key = self.state.get("api_key")
        if key is not None and req.headers.get("x-api-key") != key:
            return error(401, "invalid x-api-key", "authentication_error")
        if not req.headers.get("anthropic-version"):
            return error(400, "anthropic-version: header is required")
        body = req.json
        if not isinstance(body, dict):
            return error(400, "Request body is not valid JSON")
        problem = self.check(body)
        if problem:
            return error(400, problem)
        msgs = body["messages"]
        turn = sum(1 for m in msgs if m["role"] == "assistant")
        data = plan.digest(text_of(msgs[0]["content"]))
        entry = plan.plan_entry(self.state, body["model"], turn, data)
        self.state["turns"] = self.state.get("turns", 0) + 1
        return 200, {"request-id": "req_%d" % self.state["turns"]}, \
            self.reply(body, turn, entry)

    def check(self, body):
        for m in ("model", "max_tokens", "messages"):
            if m not in body:
                return "%s: Field required" % m
        if not isinstance(body["max_tokens"], int) or body["max_tokens"] < 1:
            return "max_tokens: must be a positive integer"
        names = set()
        for i, t in enumerate(body.get("tools", [])):
            if "name" not in t or not isinstance(t.get("input_schema"),
                                                 dict):
                return "tools.%d: name and input_schema are required" % i
            names.add(t["name"])
        tc = body.get("tool_choice")
        if tc is not None:
            if tc.get("type") not in ("auto", "any", "tool", "none"):
                return "tool_choice.type: invalid"
            if tc["type"] == "tool" and tc.get("name") not in names:
                return "tool_choice.name: no tool named %r" % tc.get("name")
        msgs = body["messages"]
        if not isinstance(msgs, list) or not msgs:
            return "messages: at least one message is required"
        pending = []
        for i, m in enumerate(msgs):
            role = m.get("role")
            if role not in ("user", "assistant"):
                return ("messages.%d.role: Input should be 'user' or "
                        "'assistant'" % i)
            if role != ("user" if i % 2 == 0 else "assistant"):
                return ("messages: roles must alternate between \"user\" "
                        "and \"assistant\", starting with \"user\"")
            content = m.get("content")
            blocks = content if isinstance(content, list) else \
                [{"type": "text", "text": content}]
            if not blocks:
                return "messages.%d: all messages must have non-empty " \
                    "content" % i
            if role == "user":
                answered = []
                for j, b in enumerate(blocks):
                    if b.get("type") == "tool_result":
                        if j != len(answered):
                            return ("messages.%d: tool_result blocks must "
                                    "come first" % i)
                        answered.append(b.get("tool_use_id"))
                        if not isinstance(b.get("content"), (str, list)):
                            return "messages.%d.content.%d.content: " \
                                "invalid" % (i, j)
                missing = [p for p in pending if p not in answered]
                extra = [a for a in answered if a not in pending]
                if missing:
                    return ("messages.%d: `tool_use` ids were found without "
                            "`tool_result` blocks immediately after: %s"
                            % (i - 1, ", ".join(missing)))
                if extra:
                    return ("messages.%d.content: unexpected `tool_use_id` "
                            "found in `tool_result` blocks: %s"
                            % (i, ", ".join(extra)))
                pending = []
            else:
                pending = [b.get("id") for b in blocks
                           if b.get("type") == "tool_use"]
                for b in blocks:
                    if b.get("type") == "tool_use" and \
                            not isinstance(b.get("input"), dict):
                        return "messages.%d: tool_use.input must be an " \
                            "object" % i
        if msgs[-1]["role"] != "user":
            return "messages: the last message must be from the user"
        return None

    def reply(self, body, turn, entry):
        content = []
        if entry.get("text"):
            content.append({"type": "text", "text": entry["text"]})
        calls = plan.calls_of(entry)
        for i, (name, args, raw) in enumerate(calls):
            content.append({"type": "tool_use",
                            "id": "toolu_%d_%d" % (turn, i), "name": name,
                            "input": {"raw": raw} if raw is not None
                            else args})
        stop = entry.get("finish", "tool_use" if calls else "end_turn")
        it, ot = entry.get("usage", plan.DEFAULT_USAGE)
        return {"id": "msg_%d" % turn, "type": "message",
                "role": "assistant", "model": body["model"],
                "content": content, "stop_reason": stop,
                "stop_sequence": None,
                "usage": {"input_tokens": it, "output_tokens": ot,
                          "cache_creation_input_tokens": 0,
                          "cache_read_input_tokens": 0}}


if __name__ == "__main__":
    base.serve(Anthropic)
