# t4020-render-confluence-hostile.sh: markup, "]]>", control characters
# and links in every string of a review stay text.  The storage and the
# preview are parsed with a real XML parser (check_xml.py), which fails on
# any element, attribute, macro or link the program did not write itself.
. "${0%/*}/lib.sh"
H=$CASES/render-confluence/hostile.json
CHECK="python3 $CASES/render-confluence/check_xml.py"
unset CONFLUENCE_SPACE CONFLUENCE_PARENT_ID

t_begin 'hostile storage parses and holds no injected element'
t_run 0 render-confluence --html page.html "$H"
mv out page.json
$CHECK storage page.json >check.out 2>&1 || t_fail "$(cat check.out)"
t_end

t_begin 'hostile preview parses and holds no script, handler or bad link'
$CHECK html page.html >check.out 2>&1 || t_fail "$(cat check.out)"
t_nogrep '<script' page.html
t_nogrep 'href="javascript' page.html
t_nogrep 'href="data:' page.html
t_end

t_begin 'hostile text is kept as text, not dropped'
for f in storage html; do
	[ $f = storage ] && file=page.json || file=page.html
	$CHECK $f $file '<script>alert(1)</script>' \
	    '<h1>pwned</h1> & ]]> <script>alert(1)</script>' \
	    '<ac:structured-macro ac:name="html">' \
	    '@evil"><script>alert(4)</script>' \
	    "notes <b>bold</b> &nbsp; ]]>" \
	    'Raw HTML: <script>alert(1)</script> and <img src=x onerror=alert(1)>' \
	    >check.out 2>&1 || t_fail "$f: $(cat check.out)"
done
t_end

t_begin 'SQL in code macros is exact even with ]]>'
# The CDATA text of each code macro is the SQL itself, "]]>" included.
$CHECK storage page.json \
    "COMMENT ON TABLE public.\"<script>alert(1)</script>\" IS 'x]]><script>alert(1)</script></code></pre>';" \
    "DEFAULT ']]]]>' ;
-- ]]>" \
    "SELECT ']]>' AS \"</pre><script>alert(1)</script>\";" \
    "COMMIT; -- ]]>" \
    >check.out 2>&1 || t_fail "$(cat check.out)"
t_jq page.json '.page.storage | contains("]]]]><![CDATA[>")' true
t_end

t_begin 'characters XML forbids are removed everywhere'
# \u0001 \u000b \u007f \u0085 \ufffe appear in the input
t_jq "$H" '[.. | strings | select(test("\u0001"))] | length > 0' true
t_jq page.json '.page.storage | test("[\u0001\u000b\u007f\u0085\ufffe]")' \
    false
t_jq page.json '.page.title | test("[\u0000-\u001f]")' false
t_nogrep "$(printf '[\001\013\177]')" page.html
t_end

t_begin 'links: only http and https become links'
t_jq page.json '[.page.storage | scan("<a href=\"[^\"]*\"")] | length' 1
t_jq page.json '.page.storage | contains("<a href=\"https://example.com/?a=1&amp;b=&quot;2&quot;&gt;&lt;script&gt;\">ok</a>")' true
t_jq page.json '.page.storage | contains("<p>click and ")' true
t_end

t_begin 'the same input gives byte-identical output'
render-confluence --html again.html "$H" >again.json 2>err
t_cmp page.json again.json
t_cmp page.html again.html
CONFLUENCE_SPACE=X t_run 0 render-confluence \
    "$CASES/render-confluence/review.json"
mv out one.json
CONFLUENCE_SPACE=X t_run 0 render-confluence \
    "$CASES/render-confluence/review.json"
t_cmp one.json out
t_end

t_done
