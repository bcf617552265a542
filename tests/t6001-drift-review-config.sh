# t6001-drift-review-config.sh: the driver's configuration, usage and lock.
. "${0%/*}/lib.sh"
unset DRIFT_PROD_DSN DRIFT_STAGING_DSN DRIFT_OUTBOX DRIFT_PAIR CONFLUENCE_URL \
    CONFLUENCE_SPACE CONFLUENCE_USER CONFLUENCE_TOKEN CONFLUENCE_PAT \
    GITHUB_REPOSITORY GITHUB_TOKEN GITHUB_TOKEN_FILE CONFLUENCE_TOKEN_FILE \
    CONFLUENCE_PAT_FILE DRIFT_KEEP
export XDG_STATE_HOME=$T_TMP/state

t_begin '--help prints usage on stdout and exits 0; a bad option is 64'
t_run 0 drift-review --help
t_grep '^usage: drift-review' out
t_run 64 drift-review --bogus
t_grep 'unknown option --bogus' err
t_end

t_begin 'nothing configured: exit 78 listing every missing setting at once'
t_run 78 drift-review
t_grep '^drift-review: missing settings: DRIFT_PROD_DSN DRIFT_STAGING_DSN CONFLUENCE_URL CONFLUENCE_SPACE GITHUB_REPOSITORY GITHUB_TOKEN CONFLUENCE_USER CONFLUENCE_TOKEN ' err
t_check 'nothing on stdout' test ! -s out
t_end

t_begin 'with an outbox only the databases are required; _FILE counts as set'
DRIFT_OUTBOX=$T_TMP/ob t_run 78 drift-review
t_grep 'missing settings: DRIFT_PROD_DSN DRIFT_STAGING_DSN \(' err
echo tok >tok
GITHUB_TOKEN_FILE=tok CONFLUENCE_PAT=x CONFLUENCE_URL=u CONFLUENCE_SPACE=S \
    GITHUB_REPOSITORY=a/b t_run 78 drift-review
t_grep 'missing settings: DRIFT_PROD_DSN DRIFT_STAGING_DSN \(' err
t_end

t_begin 'a config file sets values; an unknown key is refused with its line'
cat >bad.conf <<'CONF'
# comment
DRIFT_PROD_DSN=dbname=x
DRIFT_STAGNG_DSN=dbname=y
CONF
t_run 78 drift-review -c bad.conf
t_grep '^drift-review: bad.conf:3: unknown setting "DRIFT_STAGNG_DSN"$' err
printf 'not a setting\n' >bad2.conf
t_run 78 drift-review -c bad2.conf
t_grep 'bad2.conf:1: expected KEY=VALUE' err
t_end

t_begin 'config values are data: command substitutions are never run'
cat >evil.conf <<CONF
DRIFT_PROD_DSN=\$(touch $T_TMP/pwned1)
DRIFT_STAGING_DSN="\`touch $T_TMP/pwned2\`"
DRIFT_OUTBOX='$T_TMP/ob'
DRIFT_PAIR=evil; touch $T_TMP/pwned3
CONF
drift-review -c evil.conf >out 2>err
t_check 'no command ran' test ! -e pwned1 -a ! -e pwned2 -a ! -e pwned3
t_grep 'pg-snapshot|snapshot failed' err
t_end

t_begin 'the pair lock: a second run exits 75 at once'
mkdir -p state/drift-review/locked
( flock 9; sleep 4 ) 9>>state/drift-review/locked/.lock &
holder=$!
sleep 0.5
DRIFT_PAIR=locked DRIFT_OUTBOX=ob DRIFT_PROD_DSN=dbname=x \
    DRIFT_STAGING_DSN=dbname=y t_run 75 drift-review
t_grep 'another run holds the lock' err
kill $holder 2>/dev/null
wait $holder 2>/dev/null
t_end

t_begin '--keep must be a number; --from needs a known stage and directory'
t_run 64 drift-review --from nosuch . 
t_grep 'unknown stage "nosuch"' err
t_run 66 drift-review --from review /nonexistent
t_end

t_done
