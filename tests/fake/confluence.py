"""confluence.py: a fake Confluence for the post-confluence tests.

It models what the reference notes (external-apis.md, section A) say the
real service does, for both APIs at once:

  Cloud REST v2   {context}/api/v2/spaces, /pages, /pages/{id},
                  /pages/{id}/labels, /pages/{id}/properties[/{pid}]
  REST v1         {context}/rest/api/user/current, /space/{key},
                  /content, /content/{id}, /content/{id}/label

State (JSON, --init merges over the defaults below, and a test may merge
more members in mid-run with POST /_fake/state): spaces, users with
their API tokens (Basic) and personal access tokens (Bearer), pages with
their version number, version message, storage body, labels, content
properties, status (current or archived) and parent.  Behaviour modelled:

  - authentication: a wrong token is 401; with "anonymous_access" a wrong
    or missing bearer token runs as the anonymous user instead (the Data
    Center quirk), which sees no space and may not write;
  - an unknown space key: v2 lists no space, v1 answers 404;
  - the title filter is case-insensitive, so clients must compare titles
    themselves; archived pages keep their title reserved;
  - creating a page whose title is taken is 400 with the service's text;
  - an update must carry version.number = current + 1, else 409;
  - "race_edits": N makes the next N page updates find that someone else
    saved a version just before (the version goes up, as after an edit by
    hand), so the update meets the 409 a real race gives;
  - pagination: v2 by opaque cursor in _links.next (host-relative, with
    the context, or "link_context" as through api.atlassian.com) and a
    Link header; v1 by start and limit.  "max_limit" caps any page size
    so that tests can force several pages;
  - bodies over 5 MB are 413;
  - error bodies: v2 {"errors": [{status, code, title, detail}]},
    v1 {"statusCode", "data", "message"}.
"""

import base64
import copy
import json
import os
import sys
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import base  # noqa: E402

DEFAULTS = {
    "context": "/wiki",
    "spaces": [{"id": "98304", "key": "OPS", "name": "Operations",
                "homepageId": "98305"}],
    "users": [{"email": "alice@example.com", "username": "alice",
               "token": "tok-alice-SECRET", "pat": "pat-alice-SECRET"}],
    "anonymous_access": False,
    "max_limit": 250,
    "next_id": 100000,
    "pages": [],
    "race_edits": 0,
}

MAX_BODY = 5 * 1024 * 1024


def slug(title):
    return "".join(c if c.isalnum() else "+" for c in title)


class Confluence(base.Fake):
    def __init__(self, state):
        for k, v in DEFAULTS.items():
            state.setdefault(k, copy.deepcopy(v))
        super().__init__(state)
        self.scheme = "https" if "--tls" in sys.argv else "http"

    # --- helpers -----------------------------------------------------

    def base_url(self, req):
        return self.scheme + "://" + req.headers.get("host", "") + \
            self.state["context"]

    def v2_error(self, status, code, title):
        return status, {}, {"errors": [{"status": status, "code": code,
                                        "title": title, "detail": None}]}

    def v1_error(self, status, message):
        return status, {}, {"statusCode": status,
                            "data": {"authorized": status not in (401, 403),
                                     "valid": True, "errors": [],
                                     "successful": False},
                            "message": message}

    def user(self, req):
        """The user dict, "anonymous", or None for bad credentials."""
        h = req.headers.get("authorization", "")
        if h.startswith("Basic "):
            try:
                raw = base64.b64decode(h[6:]).decode()
            except ValueError:
                return None
            name, _, secret = raw.partition(":")
            for u in self.state["users"]:
                if name in (u.get("email"), u.get("username")) and \
                        secret == u.get("token"):
                    return u
            return None
        if h.startswith("Bearer "):
            for u in self.state["users"]:
                if h[7:] == u.get("pat"):
                    return u
            return "anonymous" if self.state["anonymous_access"] else None
        return "anonymous" if self.state["anonymous_access"] else None

    def space_by(self, key=None, sid=None):
        for s in self.state["spaces"]:
            if (key is not None and s["key"] == key) or \
                    (sid is not None and s["id"] == sid):
                return s
        return None

    def page(self, pid):
        for p in self.state["pages"]:
            if p["id"] == pid:
                return p
        return None

    def title_taken(self, space_key, title, but=None):
        return any(p["spaceKey"] == space_key and p["title"] == title and
                   p["id"] != but for p in self.state["pages"])

    def new_id(self):
        self.state["next_id"] += 1
        return str(self.state["next_id"])

    def limit(self, req, dflt):
        try:
            n = int(req.q("limit", str(dflt)))
        except ValueError:
            n = dflt
        return max(1, min(n, 250, self.state["max_limit"]))

    def find(self, space_key, title, statuses):
        out = [p for p in self.state["pages"]
               if p["spaceKey"] == space_key and p["status"] in statuses and
               (title is None or p["title"].lower() == title.lower())]
        return sorted(out, key=lambda p: int(p["id"]))

    def webui(self, p):
        return "/spaces/%s/pages/%s/%s" % (p["spaceKey"], p["id"],
                                           slug(p["title"]))

    def race(self, p):
        """Someone else saves a version first, if a test asked for it."""
        if self.state["race_edits"] > 0:
            self.state["race_edits"] -= 1
            p["version"] += 1
            p["message"] = "edited by bob"

    def new_page(self, space, title, parent, body, message):
        p = {"id": self.new_id(), "spaceId": space["id"],
             "spaceKey": space["key"], "title": title, "status": "current",
             "parentId": parent, "version": 1, "message": message,
             "body": body, "labels": [], "properties": {}}
        self.state["pages"].append(p)
        return p

    # --- dispatch ----------------------------------------------------

    def api(self, req):
        if req.path == "/_fake/state" and req.method == "POST" and \
                isinstance(req.json, dict):
            # Test control, not Confluence: merge members into the state.
            self.state.update(req.json)
            return 200, {}, {"ok": True}
        ctx = self.state["context"]
        if not req.path.startswith(ctx + "/"):
            return 404, {"Content-Type": "text/html"}, \
                "<html><body>Page not found</body></html>"
        rest = req.path[len(ctx):]
        if rest.startswith("/api/v2/"):
            return self.v2(req, rest[len("/api/v2"):].rstrip("/"))
        if rest.startswith("/rest/api/"):
            return self.v1(req, rest[len("/rest/api"):].rstrip("/"))
        return 404, {"Content-Type": "text/html"}, \
            "<html><body>Page not found</body></html>"

    # --- Cloud REST v2 -----------------------------------------------

    def v2_page(self, req, p, body=False):
        out = {"id": p["id"], "status": p["status"], "title": p["title"],
               "spaceId": p["spaceId"], "parentId": p["parentId"],
               "parentType": "page" if p["parentId"] else None,
               "authorId": "557058:alice", "createdAt": "2026-11-24T03:00:00Z",
               "version": {"number": p["version"], "message": p["message"],
                           "minorEdit": False, "authorId": "557058:alice",
                           "createdAt": "2026-11-24T03:00:00Z"},
               "_links": {"webui": self.webui(p),
                          "editui": "/pages/resumedraft.action?draftId=" +
                          p["id"],
                          "tinyui": "/x/" + p["id"],
                          "base": self.base_url(req)}}
        if body:
            out["body"] = {"storage": {"representation": "storage",
                                       "value": p["body"]}}
        return out

    def v2_list(self, req, path, items, limit):
        try:
            off = int(base64.urlsafe_b64decode(req.q("cursor", "")
                                               .encode()).decode() or 0)
        except ValueError:
            return self.v2_error(400, "INVALID_REQUEST_PARAMETER",
                                 "Invalid cursor")
        chunk = items[off:off + limit]
        links = {"base": self.base_url(req)}
        hdrs = {}
        if off + limit < len(items):
            q = {k: v[0] for k, v in req.query.items() if k != "cursor"}
            q["cursor"] = base64.urlsafe_b64encode(
                str(off + limit).encode()).decode()
            # Through api.atlassian.com the links still start with /wiki.
            nxt = self.state.get("link_context", self.state["context"]) + \
                "/api/v2" + path + "?" + urlencode(q)
            links["next"] = nxt
            hdrs["Link"] = '<%s>; rel="next"' % nxt
        return 200, hdrs, {"results": chunk, "_links": links}

    def v2(self, req, path):
        who = self.user(req)
        if who is None:
            return self.v2_error(401, "UNAUTHORIZED",
                                 "Authentication credentials are missing "
                                 "or invalid")
        parts = path.strip("/").split("/")
        m = req.method
        if parts == ["spaces"] and m == "GET":
            keys = (req.q("keys") or "").split(",")
            found = [] if who == "anonymous" else \
                [s for s in self.state["spaces"] if s["key"] in keys]
            return self.v2_list(req, "/spaces", [
                {"id": s["id"], "key": s["key"], "name": s["name"],
                 "type": "global", "status": "current",
                 "homepageId": s.get("homepageId"),
                 "_links": {"webui": "/spaces/" + s["key"]}}
                for s in found], self.limit(req, 25))
        if parts == ["pages"] and m == "GET":
            space = self.space_by(sid=req.q("space-id"))
            statuses = (req.q("status") or "current,archived").split(",")
            pages = [] if space is None or who == "anonymous" else \
                self.find(space["key"], req.q("title"), statuses)
            return self.v2_list(req, "/pages",
                                [self.v2_page(req, p) for p in pages],
                                self.limit(req, 25))
        if parts == ["pages"] and m == "POST":
            return self.v2_create(req, who)
        if len(parts) >= 2 and parts[0] == "pages":
            p = self.page(parts[1])
            if p is None or who == "anonymous":
                return self.v2_error(404, "NOT_FOUND", "Not Found")
            if len(parts) == 2 and m == "GET":
                return 200, {}, self.v2_page(
                    req, p, req.q("body-format") == "storage")
            if len(parts) == 2 and m == "PUT":
                return self.v2_update(req, p)
            if parts[2:] == ["labels"] and m == "GET":
                return self.v2_list(req, "/pages/%s/labels" % p["id"], [
                    {"id": str(1000 + i), "name": n, "prefix": "global"}
                    for i, n in enumerate(p["labels"])], self.limit(req, 25))
            if parts[2:3] == ["properties"]:
                return self.v2_property(req, p, parts[3:])
        return self.v2_error(404, "NOT_FOUND", "No route for " + req.path)

    def v2_create(self, req, who):
        b = req.json
        if who == "anonymous":
            return self.v2_error(403, "FORBIDDEN", "Not permitted")
        if len(req.raw_body) > MAX_BODY:
            return self.v2_error(413, "REQUEST_ENTITY_TOO_LARGE",
                                 "Request entity too large")
        if not isinstance(b, dict) or not b.get("spaceId"):
            return self.v2_error(400, "INVALID_REQUEST_PARAMETER",
                                 "spaceId is required")
        space = self.space_by(sid=b["spaceId"])
        if space is None:
            return self.v2_error(404, "NOT_FOUND", "Space not found")
        body = b.get("body") or {}
        if not b.get("title") or body.get("representation") != "storage" \
                or not isinstance(body.get("value"), str):
            return self.v2_error(400, "INVALID_REQUEST_PARAMETER",
                                 "title and a storage body are required")
        if self.title_taken(space["key"], b["title"]):
            return self.v2_error(
                400, "BAD_REQUEST", "A page with this title already "
                "exists: A page already exists with the same TITLE in "
                "this space")
        parent = b.get("parentId")
        if parent is not None and self.page(parent) is None:
            return self.v2_error(400, "INVALID_REQUEST_PARAMETER",
                                 "Parent page not found")
        p = self.new_page(space, b["title"], parent, body["value"], "")
        return 200, {}, self.v2_page(req, p, True)

    def v2_update(self, req, p):
        b = req.json
        if len(req.raw_body) > MAX_BODY:
            return self.v2_error(413, "REQUEST_ENTITY_TOO_LARGE",
                                 "Request entity too large")
        if not isinstance(b, dict) or any(k not in b for k in (
                "id", "status", "title", "body", "version")):
            return self.v2_error(400, "INVALID_REQUEST_PARAMETER",
                                 "id, status, title, body and version "
                                 "are required")
        self.race(p)
        v = b["version"].get("number") if isinstance(b["version"], dict) \
            else None
        if v != p["version"] + 1:
            return self.v2_error(
                409, "CONFLICT", "Version must be incremented on update. "
                "Current version is: %d" % p["version"])
        if self.title_taken(p["spaceKey"], b["title"], p["id"]):
            return self.v2_error(409, "CONFLICT", "A page with this title "
                                 "already exists")
        body = b["body"]
        p.update(title=b["title"], status=b["status"], version=v,
                 message=b["version"].get("message", ""),
                 body=body.get("value", ""))
        if b.get("parentId"):
            p["parentId"] = b["parentId"]
        return 200, {}, self.v2_page(req, p, True)

    def v2_prop_json(self, p, prop):
        return {"id": prop["id"], "key": prop["key"], "value": prop["value"],
                "version": {"number": prop["version"], "message": "",
                            "createdAt": "2026-11-24T03:00:00Z"}}

    def v2_property(self, req, p, rest):
        props = p["properties"]
        b = req.json
        if not rest and req.method == "GET":
            key = req.q("key")
            found = [v for k, v in sorted(props.items())
                     if key is None or k == key]
            return self.v2_list(req, "/pages/%s/properties" % p["id"],
                                [self.v2_prop_json(p, v) for v in found],
                                self.limit(req, 25))
        if not rest and req.method == "POST":
            if not isinstance(b, dict) or not b.get("key"):
                return self.v2_error(400, "INVALID_REQUEST_PARAMETER",
                                     "key is required")
            if b["key"] in props:
                return self.v2_error(
                    409, "CONFLICT", "Cannot add a property with key '%s' "
                    "because one already exists" % b["key"])
            props[b["key"]] = {"id": self.new_id(), "key": b["key"],
                               "value": b.get("value"), "version": 1}
            return 200, {}, self.v2_prop_json(p, props[b["key"]])
        if len(rest) == 1 and req.method == "PUT":
            prop = next((v for v in props.values() if v["id"] == rest[0]),
                        None)
            if prop is None:
                return self.v2_error(404, "NOT_FOUND", "Not Found")
            if not isinstance(b, dict) or b.get("key") != prop["key"]:
                return self.v2_error(400, "INVALID_REQUEST_PARAMETER",
                                     "key must match the property")
            n = (b.get("version") or {}).get("number")
            if n != prop["version"] + 1:
                return self.v2_error(
                    409, "CONFLICT", "Version must be incremented on "
                    "update. Current version is: %d" % prop["version"])
            prop.update(value=b.get("value"), version=n)
            return 200, {}, self.v2_prop_json(p, prop)
        return self.v2_error(405, "METHOD_NOT_ALLOWED", "Not allowed")

    # --- REST v1 -----------------------------------------------------

    def v1_page(self, req, p, expand):
        out = {"id": p["id"], "type": "page", "status": p["status"],
               "title": p["title"],
               "_links": {"webui": "/display/%s/%s" % (p["spaceKey"],
                                                       slug(p["title"])),
                          "self": self.base_url(req) + "/rest/api/content/" +
                          p["id"], "tinyui": "/x/" + p["id"]},
               "_expandable": {}}
        if "version" in expand:
            out["version"] = {"number": p["version"],
                              "message": p["message"], "minorEdit": False,
                              "when": "2026-11-24T03:00:00.000Z",
                              "by": {"type": "known", "username": "alice"}}
        else:
            out["_expandable"]["version"] = ""
        if "ancestors" in expand:
            out["ancestors"] = [{"id": p["parentId"]}] if p["parentId"] \
                else []
        return out

    def v1(self, req, path):
        who = self.user(req)
        if who is None:
            return self.v1_error(401, "Client must be authenticated to "
                                 "access this resource.")
        parts = path.strip("/").split("/")
        m = req.method
        expand = (req.q("expand") or "").split(",")
        if parts == ["user", "current"] and m == "GET":
            if who == "anonymous":
                return 200, {}, {"type": "anonymous",
                                 "displayName": "Anonymous"}
            return 200, {}, {"type": "known", "username": who["username"],
                             "userKey": "8a7f8" + who["username"],
                             "accountId": "557058:" + who["username"],
                             "email": who["email"],
                             "displayName": who["username"].title()}
        if len(parts) == 2 and parts[0] == "space" and m == "GET":
            s = self.space_by(key=parts[1])
            if s is None or who == "anonymous":
                return self.v1_error(404, "No space found with key : " +
                                     parts[1])
            return 200, {}, {"id": int(s["id"]), "key": s["key"],
                             "name": s["name"], "type": "global",
                             "_links": {"webui": "/display/" + s["key"],
                                        "base": self.base_url(req)}}
        if parts == ["content"] and m == "GET":
            return self.v1_search(req, who, expand)
        if parts == ["content"] and m == "POST":
            return self.v1_create(req, who)
        if len(parts) >= 2 and parts[0] == "content":
            p = self.page(parts[1])
            if p is None or who == "anonymous":
                return self.v1_error(404, "No content found with id : " +
                                     parts[1])
            if len(parts) == 2 and m == "GET":
                out = self.v1_page(req, p, expand)
                out["_links"]["base"] = self.base_url(req)
                return 200, {}, out
            if len(parts) == 2 and m == "PUT":
                return self.v1_update(req, p)
            if parts[2:] == ["label"]:
                return self.v1_labels(req, p)
        return self.v1_error(404, "No route for " + req.path)

    def v1_search(self, req, who, expand):
        if req.q("type", "page") != "page":
            return self.v1_error(400, "only pages are modelled")
        statuses = (req.q("status") or "current").split(",")
        key = req.q("spaceKey")
        pages = [] if who == "anonymous" or key is None else \
            self.find(key, req.q("title"), statuses)
        try:
            start = int(req.q("start", "0"))
        except ValueError:
            return self.v1_error(400, "start must be a number")
        limit = self.limit(req, 25)
        chunk = pages[start:start + limit]
        links = {"base": self.base_url(req),
                 "context": self.state["context"],
                 "self": self.base_url(req) + "/rest/api/content"}
        if start + limit < len(pages):
            q = {k: v[0] for k, v in req.query.items()}
            q.update(start=str(start + limit), limit=str(limit))
            links["next"] = "/rest/api/content?" + urlencode(q)
        return 200, {}, {"results": [self.v1_page(req, p, expand)
                                     for p in chunk],
                         "start": start, "limit": limit, "size": len(chunk),
                         "_links": links}

    def v1_body(self, b):
        try:
            st = b["body"]["storage"]
            if st.get("representation") != "storage":
                return None
            return st["value"]
        except (KeyError, TypeError):
            return None

    def v1_create(self, req, who):
        b = req.json
        if who == "anonymous":
            return self.v1_error(403, "Not permitted to create content")
        if len(req.raw_body) > MAX_BODY:
            return self.v1_error(413, "Request entity too large")
        if not isinstance(b, dict) or b.get("type") != "page" or \
                not b.get("title"):
            return self.v1_error(400, "type and title are required")
        space = self.space_by(key=(b.get("space") or {}).get("key"))
        if space is None:
            return self.v1_error(403, "Space does not exist or you may "
                                 "not create content in it")
        body = self.v1_body(b)
        if body is None:
            return self.v1_error(400, "a storage body is required")
        if self.title_taken(space["key"], b["title"]):
            return self.v1_error(
                400, "A page with this title already exists: A page "
                "already exists with the title %s in the space with key %s"
                % (b["title"], space["key"]))
        anc = b.get("ancestors") or []
        parent = anc[-1]["id"] if anc else None
        if parent is not None and self.page(parent) is None:
            return self.v1_error(400, "Could not find parent " + parent)
        msg = (b.get("version") or {}).get("message", "")
        p = self.new_page(space, b["title"], parent, body, msg)
        out = self.v1_page(req, p, ["version"])
        out["_links"]["base"] = self.base_url(req)
        return 200, {}, out

    def v1_update(self, req, p):
        b = req.json
        if len(req.raw_body) > MAX_BODY:
            return self.v1_error(413, "Request entity too large")
        if not isinstance(b, dict) or b.get("type") != "page" or \
                not b.get("title") or not isinstance(b.get("version"), dict):
            return self.v1_error(400, "type, title and version are required")
        self.race(p)
        n = b["version"].get("number")
        if n != p["version"] + 1:
            return self.v1_error(
                409, "Version must be incremented on update. Current "
                "version is: %d" % p["version"])
        if self.title_taken(p["spaceKey"], b["title"], p["id"]):
            return self.v1_error(409, "A page with this title already "
                                 "exists")
        body = self.v1_body(b)
        if body is None:
            return self.v1_error(400, "a storage body is required")
        anc = b.get("ancestors") or []
        p.update(title=b["title"], version=n, body=body,
                 message=b["version"].get("message", ""))
        if anc:
            p["parentId"] = anc[-1]["id"]
        out = self.v1_page(req, p, ["version"])
        out["_links"]["base"] = self.base_url(req)
        return 200, {}, out

    def v1_labels(self, req, p):
        def listing():
            return {"results": [{"prefix": "global", "name": n,
                                 "id": str(1000 + i), "label": n}
                                for i, n in enumerate(p["labels"])],
                    "start": 0, "limit": 200, "size": len(p["labels"])}
        if req.method == "GET":
            return 200, {}, listing()
        if req.method == "POST":
            b = req.json
            items = b if isinstance(b, list) else [b]
            for it in items:
                name = it.get("name") if isinstance(it, dict) else None
                if not isinstance(name, str) or not name or \
                        any(c.isspace() for c in name) or len(name) > 255:
                    return self.v1_error(400, "Invalid label name")
            for it in items:
                if it["name"].lower() not in p["labels"]:
                    p["labels"].append(it["name"].lower())
            return 200, {}, listing()
        return self.v1_error(405, "Method not allowed")


if __name__ == "__main__":
    base.serve(Confluence)
