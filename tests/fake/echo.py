"""echo.py: a fake with no model of its own.  Every request that no script
rule answers gets 200 and a JSON echo of what was received (method, path,
body), which the common/http tests use to see what arrived."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import base  # noqa: E402


class Echo(base.Fake):
    def api(self, req):
        self.state["count"] = self.state.get("count", 0) + 1
        return 200, {}, {"method": req.method, "path": req.path,
                         "body": req.json, "count": self.state["count"]}


if __name__ == "__main__":
    base.serve(Echo)
