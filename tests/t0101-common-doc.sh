# t0101-common-doc.sh: every filter reads documents through common/doc;
# bad input must exit 65 naming the place, and -o must be atomic.
. "${0%/*}/lib.sh"
D=$UNIT_DIR/tool_doc

t_begin 'a good document passes through'
printf '{"kind":"diff","version":1,"x":[1,2]}\n' >good.json
t_run 0 "$D" diff good.json
t_cmp good.json out
t_end

t_begin 'not JSON: exit 65 with line and column'
printf '{"kind":"diff",\n  "version": 1, oops}\n' >bad.json
t_run 65 "$D" diff bad.json
t_grep '^tool_doc: bad.json: line 2, column 18: invalid JSON$' err
t_check 'nothing on stdout' test ! -s out
t_end

t_begin 'truncated document'
printf '{"kind":"diff","version":1,"a":[' >trunc.json
t_run 65 "$D" diff trunc.json
t_grep '^tool_doc: trunc.json: line 1, column 33: invalid JSON: document is truncated$' err
t_end

t_begin 'empty input'
: >empty.json
t_run_in empty.json 65 "$D" diff -
t_grep '^tool_doc: stdin: empty document$' err
t_end

t_begin 'nesting 100000 levels deep is refused without a crash'
python3 -c 'print("[" * 100000 + "]" * 100000)' >deep.json
t_run 65 "$D" diff deep.json
t_grep 'nested deeper than 512 levels' err
t_end

t_begin 'invalid UTF-8 is located'
printf '{"kind":"diff","version":1,"s":"a\377b"}' >utf.json
t_run 65 "$D" diff utf.json
t_grep 'line 1, column 34: invalid UTF-8' err
t_end

t_begin 'a NUL byte is located'
printf '{"kind":"diff","version":1,"s":"a\000b"}' >nul.json
t_run 65 "$D" diff nul.json
t_grep 'NUL byte' err
t_end

t_begin 'wrong kind names both kinds'
printf '{"kind":"review","version":1}' >kind.json
t_run 65 "$D" diff kind.json
t_grep 'is a "review" document, expected "diff"' err
t_end

t_begin 'unknown version is refused'
printf '{"kind":"diff","version":2}' >ver.json
t_run 65 "$D" diff ver.json
t_grep 'diff version 2 is not supported, expected version 1' err
t_end

t_begin 'not an object'
printf '[1]' >arr.json
t_run 65 "$D" diff arr.json
t_grep 'is an array, not an object' err
t_end

t_begin 'missing file is exit 66'
t_run 66 "$D" diff nosuch.json
t_end

t_begin 'two documents on stdin, one after the other'
printf '{"kind":"diff","version":1,"n":1}\n{"kind":"diff","version":1,"n":2}\n' >two.json
t_run_in two.json 0 "$D" -n 2 diff -
t_jq out .n 2
t_end

t_begin 'trailing data after a single document is refused'
t_run_in two.json 65 "$D" diff -
t_grep 'line 2, column 1: unexpected data after the document' err
t_end

t_begin 'a size limit is enforced'
DRIFT_MAX_INPUT_BYTES=10 t_run 65 "$D" diff good.json
t_grep 'larger than 10 bytes' err
t_end

t_begin '-o writes the file atomically and leaves nothing on failure'
t_run 0 "$D" -o result.json diff good.json
t_cmp good.json result.json
t_run 65 "$D" -o fail.json diff bad.json
t_check 'no output file' test ! -e fail.json
t_check 'no temporary file' sh -c '! ls fail.json.tmp* 2>/dev/null'
t_end

t_begin 'a full disk is an I/O error (74), not silence'
if [ -w /dev/full ]; then
	t_run 74 "$D" -o /dev/full diff good.json
	"$D" diff good.json >/dev/full 2>err2
	t_check 'stdout to /dev/full exits 74' test $? = 74
fi
t_end

t_begin 'an unwritable -o directory is exit 73'
t_run 73 "$D" -o /nonexistent-dir/x.json diff good.json
t_end

t_done
