# t3020-impact-agent-appdir.sh: --app-dir finds dropped and renamed names
# in application source, on identifier boundaries, skipping VCS,
# dependency and binary files.
. "${0%/*}/lib.sh"
C=$CASES/impact-agent

mkdir -p app/src app/.git app/node_modules/pkg app/vendor/lib app/build \
    app2/lib
cat >app/src/users.py <<'PY'
import db

SQL = "SELECT nickname FROM users WHERE id = %s"

def nicknames():
    my_nickname = 1         # not the column: no word boundary
    return db.run("SELECT legacy_flag FROM users")
PY
printf 'class User\n  def show = user.nickname\nend\n' >app2/lib/user.rb
echo 'nickname = 1' >app/.git/config
echo 'nickname = 1' >app/node_modules/pkg/index.js
echo 'nickname = 1' >app/vendor/lib/x.go
echo 'nickname = 1' >app/build/out.js
printf 'BIN\000nickname\n' >app/src/blob.dat
ln -s src app/link

t_begin 'dropped columns found in app code are critical with file:line evidence'
t_run 0 impact-agent --app-dir app --app-dir app2 "$C/0001-dropped-column/diff.json"
cp out review.json
t_jq review.json '[.changes[0].assessment.findings[] | "\(.rule)=\(.severity)"] | join(",")' \
    'dropped-column-still-referenced=critical,referenced-by-app-code=critical,irreversible-change=medium'
t_jq review.json '.changes[0].assessment.findings[1].evidence | join("|")' \
    'app: app/src/users.py:3: SQL = "SELECT nickname FROM users WHERE id = %s"|app: app2/lib/user.rb:2: def show = user.nickname'
t_jq review.json '.changes[0].assessment.findings[1].message' \
    'The dropped name "nickname" of public.users.nickname still appears in 2 places of application code (first at app/src/users.py:3); that code fails once the migration commits.'
t_jq review.json '[.changes[1].assessment.findings[] | .rule] | join(",")' \
    'dropped-column-still-referenced,referenced-by-app-code,irreversible-change'
t_jq review.json '.changes[1].assessment.findings[0].evidence | join("|")' \
    'app: app/src/users.py:7: return db.run("SELECT legacy_flag FROM users")'
t_end

t_begin 'without --app-dir the same diff finds no app code'
t_run 0 impact-agent "$C/0001-dropped-column/diff.json"
t_jq out '[.changes[1].assessment.findings[] | .rule] | join(",")' \
    'dropped-column,irreversible-change'
t_end

t_begin 'the old name of a renamed column is searched, not the new one'
printf 'x = row["name"]\ntitle = 1\n' >app2/lib/org.rb
t_run 0 impact-agent --app-dir app2 "$C/0002-renamed-column/diff.json"
t_jq out '[.changes[] | [.assessment.findings[] | .rule] | join("+")] | join(",")' \
    'referenced-by-app-code+renamed-column,referenced-by-app-code+renamed-column,'
t_jq out '.changes[1].assessment.findings[0].evidence | join("|")' \
    'app: app2/lib/org.rb:1: x = row["name"]'
t_end

t_begin 'dropped tables and functions are searched by bare name'
printf 'FROM sessions s\nold_score(1)\nscore_x\n' >app2/lib/q.sql
t_run 0 impact-agent --app-dir app2 "$C/0008-tables-schemas/diff.json"
t_jq out '.changes[0].assessment.findings | map(select(.rule == "referenced-by-app-code")) | .[0].evidence | join("|")' \
    'app: app2/lib/q.sql:1: FROM sessions s'
t_run 0 impact-agent --app-dir app2 "$C/0014-functions-triggers-policies/diff.json"
t_jq out '[.changes[0].assessment.findings[] | "\(.rule)=\(.severity)"] | join(",")' \
    'function-signature-changed=critical,referenced-by-app-code=critical'
t_end

t_begin 'a missing --app-dir exits 66'
t_run 66 impact-agent --app-dir no-such-dir "$C/0001-dropped-column/diff.json"
t_grep 'no-such-dir' err
t_end

t_begin 'thousands of files: every match is found, sorted'
mkdir big
i=0
while [ $i -lt 40 ]; do
	mkdir big/d$i
	j=0
	while [ $j -lt 50 ]; do
		echo "x = 1" >big/d$i/f$j.txt
		j=$((j + 1))
	done
	i=$((i + 1))
done
echo 'SELECT nickname' >big/d7/f3.txt
echo 'SELECT nickname' >big/d31/f49.txt
t_run 0 impact-agent --app-dir big "$C/0001-dropped-column/diff.json"
t_jq out '.changes[0].assessment.findings[1].evidence | join("|")' \
    'app: big/d31/f49.txt:1: SELECT nickname|app: big/d7/f3.txt:1: SELECT nickname'
t_end
t_done
