"""github.py: a stateful fake of the GitHub REST API issues endpoints.

Modelled on docs.github.com and the official OpenAPI description (API
version 2022-11-28), as summarised in the project's reference notes:

  GET    /repos/{o}/{r}/issues            list; state, labels (AND),
                                          sort, direction, per_page (<=100),
                                          page; Link rel="next"/"last" as
                                          /repositories/{id}/issues?...;
                                          pull requests are included
  GET    /repositories/{id}/issues        the same, where Link points
  POST   /repos/{o}/{r}/issues            201 + Location; missing labels
                                          are created; 422 for a missing
                                          title, a body over 65536
                                          characters or an assignee who is
                                          not a collaborator; without push
                                          access labels and assignees are
                                          dropped silently
  GET    /repos/{o}/{r}/issues/{n}
  PATCH  /repos/{o}/{r}/issues/{n}        title, body, labels and assignees
                                          replace; state + state_reason
  GET    /repos/{o}/{r}/issues/{n}/comments   (paginated)
  POST   /repos/{o}/{r}/issues/{n}/comments   201
  GET    /search/issues?q=                repo:, is:issue/is:pr,
                                          is:open/is:closed, in:body and
                                          "quoted phrases"

Every path may also be prefixed with /api/v3, as on GitHub Enterprise
Server; URLs in answers then carry the prefix too.

Every request needs "Authorization: Bearer <token>" (401 "Bad
credentials" otherwise) and a User-Agent (403 otherwise); an unknown
X-GitHub-Api-Version is 400.  Unknown repositories are 404, repositories
with issues disabled 410.  Every answer carries x-ratelimit-* headers;
when the budget (state "rate": {"core": N, "search": N}) runs out the
answer is 403 with x-ratelimit-remaining: 0 and a reset time.

State (--init): {"token": "...", "repos": {"acme/app": {"id": 1,
"has_issues": true, "push": true, "collaborators": [...],
"issues": [...], "labels": [...]}}, "search_html_comments": true,
"search_lag": false}.  With search_html_comments false, text inside
<!-- --> is not searchable (seen on some GitHub Enterprise versions);
with search_lag true, issues created through the API are not yet in the
search index.
"""

import os
import re
import sys
import time
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import base  # noqa: E402

DOCS = "https://docs.github.com/rest"
VERSIONS = ("2022-11-28", "2026-03-10")
NOW = "2026-11-24T03:00:00Z"


def error(status, message, errors=None):
    body = {"message": message, "documentation_url": DOCS,
            "status": str(status)}
    if errors is not None:
        body["errors"] = errors
    return status, {}, body


class GitHub(base.Fake):
    def __init__(self, state):
        super().__init__(state)
        state.setdefault("token", "ghp-test-token")
        state.setdefault("login", "drift-bot")
        state.setdefault("repos", {"acme/app": {}})
        state.setdefault("rate", {})
        state["rate"].setdefault("core", 5000)
        state["rate"].setdefault("search", 30)
        state.setdefault("rate_reset_in", 3600)
        state.setdefault("next_id", 1000)
        for i, (name, repo) in enumerate(sorted(state["repos"].items())):
            repo.setdefault("id", 100 + i)
            repo.setdefault("has_issues", True)
            repo.setdefault("push", True)
            repo.setdefault("collaborators", ["drift-bot"])
            repo.setdefault("labels", [])
            repo.setdefault("issues", [])
            for issue in repo["issues"]:
                self.fill_issue(issue)
                for lb in issue["labels"]:
                    if lb.lower() not in [x.lower() for x in repo["labels"]]:
                        repo["labels"].append(lb)
            repo.setdefault("next_number",
                            1 + max([x["number"] for x in repo["issues"]]
                                    or [0]))

    def fill_issue(self, issue):
        issue.setdefault("title", "an issue")
        issue.setdefault("body", None)
        issue.setdefault("state", "open")
        issue.setdefault("state_reason", None)
        issue.setdefault("labels", [])
        issue.setdefault("assignees", [])
        issue.setdefault("comments", [])
        issue.setdefault("user", "someone")
        issue.setdefault("pull_request", False)
        issue.setdefault("indexed", True)
        issue.setdefault("created_at", NOW)
        issue.setdefault("updated_at", NOW)
        issue.setdefault("closed_at", None)

    def base(self, req):
        return "http://" + req.headers.get("host", "127.0.0.1") + \
            getattr(req, "prefix", "")

    def new_id(self):
        self.state["next_id"] += 1
        return self.state["next_id"]

    # --- representation ---

    def issue_json(self, req, name, issue):
        api = self.base(req)
        n = issue["number"]
        out = {
            "id": issue.get("id", n), "node_id": "I_%d" % n, "number": n,
            "title": issue["title"], "body": issue["body"],
            "state": issue["state"], "state_reason": issue["state_reason"],
            "labels": [{"id": i + 1, "name": lb, "color": "ededed",
                        "default": False, "description": None}
                       for i, lb in enumerate(issue["labels"])],
            "assignees": [{"login": a, "type": "User"}
                          for a in issue["assignees"]],
            "user": {"login": issue["user"], "type": "User"},
            "url": "%s/repos/%s/issues/%d" % (api, name, n),
            "repository_url": "%s/repos/%s" % (api, name),
            "html_url": "https://github.com/%s/issues/%d" % (name, n),
            "comments": len(issue["comments"]),
            "created_at": issue["created_at"],
            "updated_at": issue["updated_at"],
            "closed_at": issue["closed_at"],
            "author_association": "MEMBER",
        }
        if issue["pull_request"]:
            out["pull_request"] = {
                "url": "%s/repos/%s/pulls/%d" % (api, name, n)}
        return out

    def paginate(self, req, items, path, params):
        try:
            per_page = min(max(int(req.q("per_page", "30")), 1), 100)
            page = max(int(req.q("page", "1")), 1)
        except ValueError:
            return None, None
        last = max(1, (len(items) + per_page - 1) // per_page)
        chunk = items[(page - 1) * per_page:page * per_page]
        api = self.base(req)
        links = []

        def link(p, rel):
            q = dict(params, per_page=per_page, page=p)
            links.append('<%s%s?%s>; rel="%s"' % (api, path, urlencode(q),
                                                   rel))
        if page > 1:
            link(page - 1, "prev")
        if page < last:
            link(page + 1, "next")
            link(last, "last")
        if page > 1:
            link(1, "first")
        return chunk, ({"Link": ", ".join(links)} if links else {})

    # --- checks every request passes ---

    def rate(self, req, resource):
        left = self.state["rate"][resource]
        limit = 5000 if resource == "core" else 30
        reset = int(time.time()) + self.state["rate_reset_in"]
        if left <= 0:
            return False, {"x-ratelimit-limit": limit,
                           "x-ratelimit-remaining": 0,
                           "x-ratelimit-used": limit,
                           "x-ratelimit-reset": reset,
                           "x-ratelimit-resource": resource}
        self.state["rate"][resource] = left - 1
        return True, {"x-ratelimit-limit": limit,
                      "x-ratelimit-remaining": left - 1,
                      "x-ratelimit-used": limit - left + 1,
                      "x-ratelimit-reset": reset,
                      "x-ratelimit-resource": resource}

    def api(self, req):
        if req.path.startswith("/api/v3/"):
            req.prefix = "/api/v3"
            req.path = req.path[len(req.prefix):]
        if req.headers.get("authorization") != "Bearer " + \
                self.state["token"]:
            return error(401, "Bad credentials")
        if not req.headers.get("user-agent"):
            return error(403, "Request forbidden by administrative rules. "
                         "Please make sure your request has a User-Agent "
                         "header (https://docs.github.com/en/rest/overview"
                         "/resources-in-the-rest-api#user-agent-required).")
        version = req.headers.get("x-github-api-version")
        if version is not None and version not in VERSIONS:
            return error(400, "Unsupported 'X-GitHub-Api-Version' header "
                         "version '%s'." % version)
        resource = "search" if req.path.startswith("/search/") else "core"
        ok, rate_headers = self.rate(req, resource)
        if not ok:
            status, headers, body = error(
                403, "API rate limit exceeded for user ID 1. If you reach "
                "out to GitHub Support for help, please include the "
                "request ID.")
        else:
            status, headers, body = self.route(req)
        headers = dict(rate_headers, **headers)
        headers["x-github-request-id"] = "FAKE:%d" % self.new_id()
        return status, headers, body

    def route(self, req):
        m = re.match(r"^/search/issues$", req.path)
        if m and req.method == "GET":
            return self.search(req)
        m = re.match(r"^/repositories/(\d+)(/.*)$", req.path)
        if m:
            for name, repo in self.state["repos"].items():
                if str(repo["id"]) == m.group(1):
                    return self.repo_route(req, name, repo, m.group(2))
            return error(404, "Not Found")
        m = re.match(r"^/repos/([^/]+)/([^/]+)(/.*)$", req.path)
        if m:
            name = "%s/%s" % (m.group(1), m.group(2))
            for rname, repo in self.state["repos"].items():
                if rname.lower() == name.lower():
                    return self.repo_route(req, rname, repo, m.group(3))
        return error(404, "Not Found")

    def repo_route(self, req, name, repo, rest):
        if rest.startswith("/issues") and not repo["has_issues"]:
            return error(410, "Issues are disabled for this repo")
        if rest == "/issues":
            if req.method == "GET":
                return self.list_issues(req, name, repo)
            if req.method == "POST":
                return self.create_issue(req, name, repo)
        m = re.match(r"^/issues/(\d+)(/comments)?$", rest)
        if m:
            issue = next((i for i in repo["issues"]
                          if i["number"] == int(m.group(1))), None)
            if issue is None:
                return error(404, "Not Found")
            if m.group(2):
                if req.method == "GET":
                    return self.list_comments(req, name, repo, issue)
                if req.method == "POST":
                    return self.add_comment(req, name, issue)
            elif req.method == "GET":
                return 200, {}, self.issue_json(req, name, issue)
            elif req.method == "PATCH":
                return self.update_issue(req, name, repo, issue)
        return error(404, "Not Found")

    # --- issues ---

    def list_issues(self, req, name, repo):
        state = req.q("state", "open")
        labels = [x for x in req.q("labels", "").split(",") if x]
        # Label names match whatever their case, as on GitHub.
        items = [i for i in repo["issues"]
                 if (state == "all" or i["state"] == state)
                 and all(lb.lower() in [x.lower() for x in i["labels"]]
                         for lb in labels)]
        key = {"created": "number", "updated": "updated_at"}.get(
            req.q("sort", "created"), "number")
        items.sort(key=lambda i: i[key],
                   reverse=req.q("direction", "desc") == "desc")
        params = {k: v[0] for k, v in req.query.items()
                  if k not in ("page", "per_page")}
        chunk, headers = self.paginate(
            req, items, "/repositories/%d/issues" % repo["id"], params)
        if chunk is None:
            return error(422, "Validation Failed")
        return 200, headers, [self.issue_json(req, name, i) for i in chunk]

    def validate(self, req, repo, data, creating):
        errors = []
        if not isinstance(data, dict):
            return error(400, "Problems parsing JSON")
        if creating and "title" not in data:
            errors.append({"resource": "Issue", "code": "missing_field",
                           "field": "title"})
        title = data.get("title")
        if isinstance(title, str) and len(title) > 256:
            errors.append({"resource": "Issue", "code": "custom",
                           "field": "title", "message": "title is too long "
                           "(maximum is 256 characters)"})
        body = data.get("body")
        if isinstance(body, str) and len(body) > 65536:
            errors.append({"resource": "Issue", "code": "custom",
                           "field": "body", "message": "body is too long "
                           "(maximum is 65536 characters)"})
        for a in data.get("assignees") or []:
            if repo["push"] and a not in repo["collaborators"]:
                errors.append({"value": a, "resource": "Issue",
                               "field": "assignees", "code": "invalid"})
        if "assignee" in data:
            errors.append({"resource": "Issue", "field": "assignee",
                           "code": "invalid", "value": data["assignee"]})
        if errors:
            return error(422, "Validation Failed", errors)
        return None

    def apply_labels(self, repo, names):
        """Existing labels keep their own spelling; others are created."""
        out = []
        for lb in names:
            known = {x.lower(): x for x in repo["labels"]}
            if lb.lower() not in known:
                repo["labels"].append(lb)
                known[lb.lower()] = lb
            if known[lb.lower()] not in out:
                out.append(known[lb.lower()])
        return out

    def create_issue(self, req, name, repo):
        data = req.json
        bad = self.validate(req, repo, data, True)
        if bad:
            return bad
        n = repo["next_number"]
        repo["next_number"] += 1
        issue = {"number": n, "id": self.new_id(),
                 "title": str(data["title"]), "body": data.get("body"),
                 "user": self.state["login"],
                 "indexed": not self.state.get("search_lag", False)}
        self.fill_issue(issue)
        # Without push access GitHub drops labels and assignees silently.
        if repo["push"]:
            issue["labels"] = self.apply_labels(repo,
                                                data.get("labels") or [])
            issue["assignees"] = list(data.get("assignees") or [])
        repo["issues"].append(issue)
        out = self.issue_json(req, name, issue)
        return 201, {"Location": out["url"]}, out

    def update_issue(self, req, name, repo, issue):
        data = req.json
        bad = self.validate(req, repo, data, False)
        if bad:
            return bad
        for k in ("title", "body"):
            if k in data:
                issue[k] = data[k]
        if "labels" in data and repo["push"]:
            issue["labels"] = self.apply_labels(repo, data["labels"] or [])
        if "assignees" in data and repo["push"]:
            issue["assignees"] = list(data["assignees"] or [])
        if data.get("state") in ("open", "closed") and \
                data["state"] != issue["state"]:
            issue["state"] = data["state"]
            if data["state"] == "closed":
                issue["state_reason"] = data.get("state_reason",
                                                 "completed")
                issue["closed_at"] = NOW
            else:
                issue["state_reason"] = "reopened"
                issue["closed_at"] = None
        elif "state" in data and data["state"] not in ("open", "closed"):
            return error(422, "Validation Failed",
                         [{"resource": "Issue", "field": "state",
                           "code": "invalid"}])
        issue["updated_at"] = NOW
        return 200, {}, self.issue_json(req, name, issue)

    # --- comments ---

    def comment_json(self, req, name, issue, c):
        api = self.base(req)
        return {"id": c["id"], "body": c["body"],
                "user": {"login": c["user"], "type": "User"},
                "url": "%s/repos/%s/issues/comments/%d" % (api, name,
                                                           c["id"]),
                "html_url": "https://github.com/%s/issues/%d#issuecomment-%d"
                % (name, issue["number"], c["id"]),
                "created_at": NOW, "updated_at": NOW}

    def list_comments(self, req, name, repo, issue):
        chunk, headers = self.paginate(
            req, issue["comments"], "/repositories/%d/issues/%d/comments"
            % (repo["id"], issue["number"]), {})
        if chunk is None:
            return error(422, "Validation Failed")
        return 200, headers, [self.comment_json(req, name, issue, c)
                              for c in chunk]

    def add_comment(self, req, name, issue):
        data = req.json
        if not isinstance(data, dict) or not isinstance(data.get("body"),
                                                        str):
            return error(422, "Validation Failed",
                         [{"resource": "IssueComment", "code":
                           "missing_field", "field": "body"}])
        if len(data["body"]) > 65536:
            return error(422, "Validation Failed",
                         [{"resource": "IssueComment", "code": "custom",
                           "field": "body", "message": "body is too long "
                           "(maximum is 65536 characters)"}])
        c = {"id": self.new_id(), "body": data["body"],
             "user": self.state["login"]}
        issue["comments"].append(c)
        out = self.comment_json(req, name, issue, c)
        return 201, {"Location": out["url"]}, out

    # --- search ---

    def search(self, req):
        q = req.q("q", "")
        phrases = [p.lower() for p in re.findall(r'"([^"]*)"', q)]
        rest = re.sub(r'"[^"]*"', " ", q).split()
        quals = dict(w.split(":", 1) for w in rest if ":" in w)
        words = [w.lower() for w in rest if ":" not in w]
        terms = phrases + words
        if not terms and "repo" not in quals:
            return error(422, "Validation Failed",
                         [{"resource": "Search", "field": "q",
                           "code": "missing"}])
        kinds = [w.split(":", 1)[1] for w in rest if w.startswith("is:")]
        items = []
        for name, repo in sorted(self.state["repos"].items()):
            if "repo" in quals and quals["repo"].lower() != name.lower():
                continue
            for i in repo["issues"]:
                if not i["indexed"]:
                    continue
                if "issue" in kinds and i["pull_request"]:
                    continue
                if "pr" in kinds and not i["pull_request"]:
                    continue
                if "open" in kinds and i["state"] != "open":
                    continue
                if "closed" in kinds and i["state"] != "closed":
                    continue
                text = i["body"] or ""
                if quals.get("in") != "body":
                    text = i["title"] + "\n" + text
                if not self.state.get("search_html_comments", True):
                    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
                text = text.lower()
                if all(t in text for t in terms):
                    items.append(dict(self.issue_json(req, name, i),
                                      score=1.0))
        chunk, headers = self.paginate(req, items, "/search/issues",
                                       {"q": q})
        if chunk is None:
            return error(422, "Validation Failed")
        return 200, headers, {"total_count": len(items),
                              "incomplete_results": False, "items": chunk}


if __name__ == "__main__":
    base.serve(GitHub)
