# Shared helpers of the CLI tests. Each test script sources this file; CTest
# sets MEDINDEX, MEDQUERY, SRC and FIXTURES.
set -u
: "${MEDINDEX:?}" "${MEDQUERY:?}" "${SRC:?}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/medsearch-test.XXXXXX")
cleanup() { chmod -R u+rwX "$TMP" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
FAILS=0
CHECKS=0
export MEDSEARCH_LEXICON="$SRC/lexicon"
unset MEDSEARCH_DB NO_COLOR

fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
ok() { CHECKS=$((CHECKS + 1)); }

# check DESC CMD...: the command must succeed
check() { local d=$1; shift; if "$@"; then ok; else fail "$d"; fi; }

# run_q ARGS...: run medquery, keep stdout in $OUT, stderr in $ERR, status in $RC
run_q() { OUT=$("$MEDQUERY" "$@" 2>"$TMP/stderr"); RC=$?; ERR=$(cat "$TMP/stderr"); }
run_i() { OUT=$("$MEDINDEX" "$@" 2>"$TMP/stderr"); RC=$?; ERR=$(cat "$TMP/stderr"); }

expect_rc() { # DESC WANT
    if [ "$RC" -eq "$2" ]; then ok; else fail "$1: exit $RC, want $2 (stderr: $ERR)"; fi
}
expect_out() { # DESC PATTERN (grep -E on stdout)
    if printf '%s\n' "$OUT" | grep -qE -- "$2"; then ok; else fail "$1: /$2/ not in output:
$OUT"; fi
}
expect_no_out() {
    if printf '%s\n' "$OUT" | grep -qE -- "$2"; then fail "$1: /$2/ in output:
$OUT"; else ok; fi
}
expect_err() {
    if printf '%s\n' "$ERR" | grep -qE -- "$2"; then ok; else fail "$1: /$2/ not in stderr:
$ERR"; fi
}

# A copy of the bundled corpus and its index, shared by the checks of one script.
corpus_db() {
    cp -r "$SRC/corpus" "$TMP/corpus"
    DB="$TMP/corpus.db"
    "$MEDINDEX" -q --db "$DB" "$TMP/corpus" || fail "indexing the bundled corpus"
}

finish() {
    echo "$CHECKS checks passed, $FAILS failed"
    [ "$FAILS" -eq 0 ]
    exit
}
