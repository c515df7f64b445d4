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
# compiled lexicon images go here, not to the user's ~/.cache
export XDG_CACHE_HOME="$TMP/cache"
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

# ---- results of medquery -f json in $OUT (t_query_*) ----
# paths: the files of the results
paths() { jq -r '.path' <<<"$OUT" | sort -u; }
# how many result passages (their bytes in the file) match the extended regex $1
count_matching() {
    local n=0 line path s e
    while IFS= read -r line; do
        [ -n "$line" ] || continue
        path=$(jq -r .path <<<"$line"); s=$(jq -r .start <<<"$line"); e=$(jq -r .end <<<"$line")
        tail -c +"$((s + 1))" "$TMP/corpus/$path" | head -c "$((e - s))" | tr '\n' ' ' |
            grep -qiE -- "$1" && n=$((n + 1))
    done <<<"$OUT"
    echo "$n"
}
all_passages_match() { [ "$(count_matching "$1")" -eq "$(grep -c . <<<"$OUT")" ]; }
no_passage_matches() { [ "$(count_matching "$1")" -eq 0 ]; }

finish() {
    echo "$CHECKS checks passed, $FAILS failed"
    [ "$FAILS" -eq 0 ]
    exit
}

# ---- helpers of the reliability tests (t_incremental, t_badinput, t_crash,
# t_concurrency, t_signals) ----

# gen_corpus DIR N: N small plain-text articles in 10 folders. Each holds the
# word zzmark (so one query lists every passage) and its own word uniqI.
gen_corpus() {
    awk -v dir="$1" -v n="$2" 'BEGIN {
        split("headache fever cough rash itch nausea ibuprofen paracetamol cetirizine " \
              "loratadine eczema asthma migraine sleep water rest doctor child adult dose " \
              "tablet cream skin allergy pain throat", W, " ")
        srand(42)
        for (d = 0; d < 10; d++) system("mkdir -p \"" dir "/s" d "\"")
        for (i = 0; i < n; i++) {
            f = dir "/s" (i % 10) "/doc" i ".txt"
            printf "Article %d about %s\n\n", i, W[1 + i % 25] > f
            for (p = 0; p < 2; p++) {
                line = "zzmark uniq" i " part" p
                for (k = 0; k < 40; k++) line = line " " W[1 + int(rand() * 25)]
                print line ".\n" > f
            }
            close(f)
        }
    }'
}

# passages DB: every passage holding zzmark, one per line (path, start, end,
# title, section, score), sorted; "" when the index has none.
passages() {
    "$MEDQUERY" --db "$1" --format tsv -n 10000 --per-article 0 --no-spelling zzmark 2>/dev/null |
        tail -n +2 | cut -f3,4,6-9 | sort
}

# summary FIELD: a count from medindex's summary line in $ERR ("N files: N
# indexed, N unchanged, N removed, N failed; N passages added, N removed");
# FIELD is files, indexed, unchanged, removed, failed, passages_added or
# passages_removed.
summary() {
    local i
    case $1 in
    files) i=1 ;; indexed) i=2 ;; unchanged) i=3 ;; removed) i=4 ;; failed) i=5 ;;
    passages_added) i=6 ;; passages_removed) i=7 ;; *) return 1 ;;
    esac
    printf '%s\n' "$ERR" | sed -nE 's/^medindex: (dry run: )?([0-9]+) files: ([0-9]+) indexed, ([0-9]+) unchanged, ([0-9]+) removed, ([0-9]+) failed; ([0-9]+) passages added, ([0-9]+) removed;.*/\2 \3 \4 \5 \6 \7 \8/p' |
        tail -1 | cut -d' ' -f"$i"
}
expect_summary() { # DESC FIELD WANT
    local got
    got=$(summary "$2")
    if [ "${got:-x}" = "$3" ]; then ok; else fail "$1: $got $2, want $3 (stderr: $ERR)"; fi
}

# unpriv CMD...: run CMD where file permissions apply. As root, that is with
# the capabilities that bypass them (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH)
# dropped from the bounding set, so a chmod 000 directory is really
# unreadable. Returns 77 when that is not possible.
unpriv() {
    if [ "$(id -u)" -ne 0 ]; then
        "$@"
    elif command -v setpriv >/dev/null &&
        setpriv --bounding-set -dac_override,-dac_read_search true 2>/dev/null; then
        setpriv --bounding-set -dac_override,-dac_read_search "$@"
    else
        return 77
    fi
}
# can_deny: whether unpriv can make a chmod 000 directory unreadable here.
can_deny() {
    local r
    mkdir -p "$TMP/.deny/x" && chmod 000 "$TMP/.deny/x"
    unpriv ls "$TMP/.deny/x" >/dev/null 2>&1
    case $? in 0 | 77) r=1 ;; *) r=0 ;; esac
    chmod 755 "$TMP/.deny/x"
    rm -rf "$TMP/.deny"
    return $r
}
run_iu() { OUT=$(unpriv "$MEDINDEX" "$@" 2>"$TMP/stderr"); RC=$?; ERR=$(cat "$TMP/stderr"); }

# skip DESC: note a check that cannot run here
skip() { echo "SKIP: $*" >&2; }

# snapshot_lexicon: use a copy of the lexicon, so that a long test does not
# see the index's settings change when lexicon/ is edited while it runs
snapshot_lexicon() {
    cp -r "$SRC/lexicon" "$TMP/lexicon" && export MEDSEARCH_LEXICON="$TMP/lexicon"
}

# ---- events the signal and kill tests wait for (never a time) ----

# glass_dbs DB: every Xapian glass database of the index DB, one a line: DB
# itself (a single database), those inside it (generations, gen-N/, beside a
# XAPIANDB stub) and those beside it that an indexer builds aside (DB.*).
glass_dbs() {
    local d
    for d in "$1" "$1"/* "$1".*; do
        [ -f "$d/iamglass" ] && printf '%s\n' "$d"
    done
    return 0
}
# doc_count GLASS_DB: its number of documents (passages), read cheaply with
# xapian-delve where it is installed, else by counting medquery's results;
# fails when the database cannot be read
doc_count() {
    local out
    if command -v xapian-delve >/dev/null; then
        out=$(xapian-delve "$1" 2>/dev/null | sed -n 's/^number of documents = //p')
        [ -n "$out" ] && echo "$out"
    else
        out=$("$MEDQUERY" --db "$1" -f trec -n 10000 --per-article 0 --no-spelling --no-expand zzmark 2>/dev/null)
        [ $? -le 1 ] || return 1
        printf '%s' "$out" | grep -c . || true
    fi
}
# written DB: the passages committed to the glass databases of DB, summed
# (what a run has written so far, wherever it writes); fails when one of
# them could not be read (being replaced): no observation then
written() {
    local d s=0 n
    while IFS= read -r d; do
        n=$(doc_count "$d") || return 1
        s=$((s + n))
    done < <(glass_dbs "$1")
    echo "$s"
}
# lock_held DB: an indexer holds the writers' lock of index DB: an fcntl
# (open file description) lock, listed in /proc/locks by inode, on DB/lock
# or on the flintlock file of a database of DB (DB/flintlock in the layout
# of one database, DB/gen-N/flintlock)
lock_held() {
    local f ino
    while IFS= read -r f; do
        ino=$(stat -c %i "$f" 2>/dev/null) || continue
        grep -qE "^[0-9]+: .* [0-9a-f]+:[0-9a-f]+:$ino " /proc/locks && return 0
    done < <(find "$1" -maxdepth 2 \( -name flintlock -o -path "$1/lock" \) 2>/dev/null)
    return 1
}
# running PID: the process is alive and will stay so: not a zombie, not
# exiting, no SIGKILL on its way (read from /proc, so no waiting needed)
running() {
    local pid=$1 st pnd
    st=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
    st=${st##*) }
    # shellcheck disable=SC2086 # the fields of stat after "(comm) "
    set -- $st
    case $1 in Z | X | x) return 1 ;; esac
    [ $(($7 & 4)) -eq 0 ] || return 1 # PF_EXITING
    for pnd in $(sed -nE 's/^(SigPnd|ShdPnd):\s*//p' "/proc/$pid/status" 2>/dev/null); do
        [ $((0x$pnd & 0x100)) -eq 0 ] || return 1
    done
    return 0
}
