# t4030-render-confluence-markdown.sh: the narrative's Markdown subset as
# storage XHTML.  Each case sets summary.narrative and compares the part of
# the storage between the "Review" heading and the next section.
. "${0%/*}/lib.sh"
R=$CASES/render-confluence/review.json
unset CONFLUENCE_SPACE CONFLUENCE_PARENT_ID

# md NARRATIVE EXPECTED: the narrative renders as EXPECTED.
md() {
	jq --arg n "$1" '.summary.narrative = $n' "$R" >md.json
	render-confluence md.json >md.out 2>md.err || t_fail "exit $?"
	got=$(jq -r '.page.storage | split("Review</h2>")[1] |
	    split("<h2>")[0]' md.out)
	[ "$got" = "$2" ] || t_fail "narrative: $1
  got:  $got
  want: $2"
}

t_begin 'inline: strong, emphasis, code and backslash escapes'
md 'Hello *world*, **bold**, _it_ and `a < b`.' \
    '<p>Hello <em>world</em>, <strong>bold</strong>, <em>it</em> and <code>a &lt; b</code>.</p>'
md '\*not emphasis\* and \`not code\`' \
    '<p>*not emphasis* and `not code`</p>'
md '**bold with *nested* em**' \
    '<p><strong>bold with <em>nested</em> em</strong></p>'
md '``code with ` inside``' '<p><code>code with ` inside</code></p>'
t_end

t_begin 'underscores inside names are not emphasis'
md 'drop public.users_email_idx and some_col_name_x now' \
    '<p>drop public.users_email_idx and some_col_name_x now</p>'
md '2 * 3 * 4 and a_b * c' '<p>2 * 3 * 4 and a_b * c</p>'
md 'the column foo_bar_ was dropped' \
    '<p>the column foo_bar_ was dropped</p>'
t_end

t_begin 'unclosed delimiters stay text'
md '**bold and `code and [link' '<p>**bold and `code and [link</p>'
t_end

t_begin 'the highest heading goes under the Review heading'
md '# One
## Two
###### Six ##' \
    '<h3>One</h3><h4>Two</h4><h6>Six</h6>'
md '#not a heading' '<p>#not a heading</p>'
md '## Two
### Three
```sh
# a comment, not a heading
```' \
    '<h3>Two</h3><h4>Three</h4><ac:structured-macro ac:name="code"><ac:parameter ac:name="language">bash</ac:parameter><ac:plain-text-body><![CDATA[# a comment, not a heading
]]></ac:plain-text-body></ac:structured-macro>'
t_end

t_begin 'paragraphs, rules and block quotes'
md 'one
two

---

> quoted *text*
> more' \
    '<p>one
two</p><hr/><blockquote><p>quoted <em>text</em>
more</p></blockquote>'
t_end

t_begin 'bullet and numbered lists, nested by indentation'
md '- a
- b
  - c
  - d
- e

1. one
2. two
   continued' \
    '<ul><li>a</li><li>b<ul><li>c</li><li>d</li></ul></li><li>e</li></ul><ol><li>one</li><li>two
continued</li></ol>'
md '* star
+ plus' '<ul><li>star</li><li>plus</li></ul>'
t_end

t_begin 'fenced code becomes a code macro, ]]> and all'
md '```sql
SELECT '"']]>'"';
```
after' \
    '<ac:structured-macro ac:name="code"><ac:parameter ac:name="language">sql</ac:parameter><ac:plain-text-body><![CDATA[SELECT '"']]]]><![CDATA[>'"';
]]></ac:plain-text-body></ac:structured-macro><p>after</p>'
md '~~~ weird-lang
x
~~~' \
    '<ac:structured-macro ac:name="code"><ac:parameter ac:name="language">none</ac:parameter><ac:plain-text-body><![CDATA[x
]]></ac:plain-text-body></ac:structured-macro>'
t_end

t_begin 'pipe tables, padded to the header; without a delimiter row, text'
md '| Object | Lock |
|---|:--:|
| `a|b` | ACCESS *EXCLUSIVE* |
| x |
| 1 | 2 | 3 |' \
    '<table><tbody><tr><th>Object</th><th>Lock</th></tr><tr><td><code>a|b</code></td><td>ACCESS <em>EXCLUSIVE</em></td></tr><tr><td>x</td><td></td></tr><tr><td>1</td><td>2</td></tr></tbody></table>'
md '| not | a table
plain' '<p>| not | a table
plain</p>'
md '- item

| x |
|---|
| 1 |' '<ul><li>item</li></ul><table><tbody><tr><th>x</th></tr><tr><td>1</td></tr></tbody></table>'
t_end

t_begin 'raw HTML is text'
md '<b>x</b> <script>alert(1)</script>' \
    '<p>&lt;b&gt;x&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;</p>'
t_end

t_begin 'only http and https links are links'
md '[a](https://x.org/a_(b)) [b](javascript:alert(1)) [c](ftp://x) <https://y.org/?q=1&r=2>' \
    '<p><a href="https://x.org/a_(b)">a</a> b c <a href="https://y.org/?q=1&amp;r=2">https://y.org/?q=1&amp;r=2</a></p>'
md '[t](http://x.org "title")' '<p><a href="http://x.org">t</a></p>'
t_end

t_begin 'pathological input renders, bounded'
awk 'BEGIN { for (i = 0; i < 50000; i++) printf "*a [b `c "; }' >big.md
jq --rawfile n big.md '.summary.narrative = $n' "$R" >big.json
t_run 0 render-confluence big.json
awk 'BEGIN { for (i = 0; i < 5000; i++) printf "*_"; printf "x";
    for (i = 0; i < 5000; i++) printf "_*"; }' >deep.md
jq --rawfile n deep.md '.summary.narrative = $n' "$R" >deep.json
t_run 0 render-confluence deep.json
python3 "$CASES/render-confluence/check_xml.py" storage out >check.out ||
    t_fail "$(cat check.out)"
t_end

t_begin 'an empty narrative leaves the Review section out'
jq '.summary.narrative = ""' "$R" >none.json
t_run 0 render-confluence none.json
t_jq out '.page.storage | contains("Review</h2>")' false
t_end

t_done
