"""base.py: the common part of the fake API servers under tests/fake/.

A fake listens on 127.0.0.1 port 0, writes its port to --port-file when
ready (as curl's tests/dictserver.py does), logs every request as one JSON
line to --log, and answers from a stateful model of the real API that the
subclass implements in api().  Before the model is asked, the script file
(--script, re-read on every request so a test may change it mid-run) can
inject faults: a JSON list of rules

    {"method": "POST", "path": "^/rest/api/content$", "times": 1,
     "status": 503, "headers": {"Retry-After": "1"}, "body": {...},
     "delay": 2.5, "hangup": false, "after": false}

A rule matches on method and a regular expression over the path (query
string included); `times` bounds how often it fires (default forever).
`delay` sleeps before answering; with no `status` the request then goes on
to the model (a slow but successful answer).  `hangup` closes the
connection without an answer.  `after: true` lets the model handle the
request first (its state changes) and then answers with the rule's status:
a crash after the work was done.

State is kept in memory and written to --state (JSON) after every request,
so a test can inspect it; --init loads an initial state.  --tls CERT KEY
serves https instead.
"""

import argparse
import json
import re
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit, parse_qs


class Fake:
    """Subclass and implement api(); self.state is the model's data."""

    def __init__(self, state):
        self.state = state
        self.lock = threading.Lock()

    def api(self, req):
        """Return (status, headers dict, body) for a Request."""
        return 404, {}, {"message": "Not Found"}


class Request:
    def __init__(self, method, path, query, headers, body):
        self.method = method
        self.path = path            # without the query string
        self.query = query          # dict of lists
        self.headers = headers      # dict, lower-case names
        self.raw_body = body
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None

    def q(self, name, default=None):
        v = self.query.get(name)
        return v[0] if v else default


def serve(fake_class, argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--script")
    ap.add_argument("--state")
    ap.add_argument("--init")
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    args, extra = ap.parse_known_args(argv)

    state = {}
    if args.init:
        with open(args.init) as f:
            state = json.load(f)
    fake = fake_class(state)
    fake.args = extra
    fired = {}
    log_lock = threading.Lock()

    seen = {"text": None}

    def load_script():
        # A new script starts its rules' `times` counts afresh.
        if not args.script:
            return []
        try:
            with open(args.script) as f:
                text = f.read()
            rules = json.loads(text)
        except (OSError, ValueError):
            return []
        if text != seen["text"]:
            seen["text"] = text
            fired.clear()
        return rules

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def handle_any(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace") \
                if length else ""
            parts = urlsplit(self.path)
            headers = {k.lower(): v for k, v in self.headers.items()}
            req = Request(self.command, parts.path,
                          parse_qs(parts.query, keep_blank_values=True),
                          headers, body)
            entry = {"method": self.command, "path": self.path,
                     "headers": {k: headers[k] for k in sorted(headers)
                                 if k not in ("host", "content-length",
                                              "accept-encoding")},
                     "body": req.json if req.json is not None else body}
            with log_lock:
                with open(args.log, "a") as f:
                    f.write(json.dumps(entry, sort_keys=True) + "\n")

            rule = None
            for i, r in enumerate(load_script()):
                if r.get("method", self.command) != self.command:
                    continue
                if not re.search(r.get("path", ""), self.path):
                    continue
                n = fired.get(i, 0)
                if "times" in r and n >= r["times"]:
                    continue
                fired[i] = n + 1
                rule = r
                break
            if rule and rule.get("delay"):
                time.sleep(rule["delay"])
            if rule and rule.get("hangup"):
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return
            if rule and "status" in rule and not rule.get("after"):
                return self.answer(rule["status"], rule.get("headers", {}),
                                   rule.get("body", ""))
            with fake.lock:
                status, hdrs, out = fake.api(req)
                if args.state:
                    with open(args.state + ".tmp", "w") as f:
                        json.dump(fake.state, f, indent=1, sort_keys=True)
                    import os
                    os.replace(args.state + ".tmp", args.state)
            if rule and rule.get("after"):
                return self.answer(rule["status"], rule.get("headers", {}),
                                   rule.get("body", ""))
            self.answer(status, hdrs, out)

        def answer(self, status, headers, body):
            if isinstance(body, (dict, list)):
                data = json.dumps(body).encode()
                ctype = "application/json; charset=utf-8"
            else:
                data = str(body).encode()
                ctype = "text/plain; charset=utf-8"
            self.send_response(status)
            lower = {k.lower() for k in headers}
            if "content-type" not in lower:
                self.send_header("Content-Type", ctype)
            for k, v in headers.items():
                self.send_header(k, str(v))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = \
            handle_any

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    if args.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls[0], args.tls[1])
        httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(httpd.server_address[1]) + "\n")
    import os
    os.replace(args.port_file + ".tmp", args.port_file)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit("base.py is imported by the fake servers, not run")
