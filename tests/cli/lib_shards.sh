# Helpers of the sharded-index tests (t_shards_local, t_shards_remote), after
# lib.sh: xapian-tcpsrv servers, comparing answers with a single index, and
# the indexes both scripts start from.
SERVE=$SRC/scripts/medsearch-serve
HAVE_TCPSRV=1
command -v xapian-tcpsrv >/dev/null 2>&1 || HAVE_TCPSRV=0
command -v setsid >/dev/null 2>&1 || HAVE_TCPSRV=0

# ---- servers: every one we start is recorded, and stopped on exit ----
: >"$TMP/pids"
alive() { # PID: running and not a zombie
    local s
    s=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
    [[ $s != *Z* ]]
}
stop_server() { # PID: stop its process group, wait until it is gone
    local k=0
    kill -TERM -- "-$1" 2>/dev/null
    while alive "$1" && [ $k -lt 50 ]; do sleep 0.1; k=$((k + 1)); done
    alive "$1" && kill -KILL -- "-$1" 2>/dev/null
    wait "$1" 2>/dev/null
    return 0
}
stop_all() {
    local pid
    if [ -f "$TMP/serve.pids" ]; then # servers medsearch-serve started
        for pid in $(awk '{ print $1 }' "$TMP/serve.pids"); do stop_server "$pid"; done
    fi
    for pid in $(cat "$TMP/pids" 2>/dev/null); do stop_server "$pid"; done
}
trap 'stop_all; cleanup' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start_server DB: serve DB with xapian-tcpsrv on a free loopback port,
# found by trying random ports in 20000-60000 until one binds. Sets SRV_PORT
# and SRV_PID; fails after 30 tries.
start_server() {
    local try port log pid
    for try in $(seq 1 30); do
        port=$((20000 + (RANDOM * 32768 + RANDOM) % 40001))
        log=$TMP/tcpsrv-$port.log
        # its own process group (this shell has no job control, so setsid
        # execs in place and $! is the server): xapian-tcpsrv signals its
        # whole group on SIGTERM
        setsid xapian-tcpsrv --port "$port" --interface 127.0.0.1 "$1" </dev/null >"$log" 2>&1 &
        pid=$!
        echo "$pid" >>"$TMP/pids"
        # until it listens, or ends (the port was in use): no time limit
        while alive "$pid"; do
            if grep -q '^Listening' "$log"; then
                SRV_PORT=$port
                SRV_PID=$pid
                return 0
            fi
            sleep 0.1
        done
        stop_server "$pid" # port in use: try another one
    done
    return 1
}

# ---- comparing answers ----
# canon: medquery's JSON lines with scores rounded to 9 decimals, and the
# passages of equal score in one order (path, start). Xapian breaks score ties
# by document id, and a passage's id differs between a single index and the
# shards (ids interleave across shards), so only tied passages may swap.
canon() {
    jq -c '.score |= ((. * 1e9 | round) / 1e9)' |
        jq -s -c 'sort_by(-.score, .path, .start) | to_entries[] | .value + {rank: (.key + 1)}'
}
# descending: the JSON lines on stdin are in non-increasing score order
descending() {
    jq -s -e '[.[].score] as $s | all(range(1; $s | length); $s[. - 1] >= $s[.])' >/dev/null
}
# answer DB ARGS...: canonical JSON answer in $ANS, exit status in $ARC
answer() {
    local db=$1
    shift
    "$MEDQUERY" --db "$db" --format json -n 1000 "$@" >"$TMP/ans" 2>/dev/null
    ARC=$?
    descending <"$TMP/ans" || fail "$db $*: results not in score order"
    ANS=$(canon <"$TMP/ans")
}

QUERIES=(
    'cetirizine'
    'headache'
    '"runny nose"'
    '"mometasone furoate cream"'
    'drug:tylenol'
    'symptom:pruritus'
    'condition:shingles'
    'What can I give my child for a fever at night?'
    'loratadine AND cetirizine'
    'loratadine OR cetirizine'
    'eczema NOT children'
    'rash NEAR/3 fever'
    'title:psoriasis'
    'source:healthnotes headache'
    '+cream -steroid itch'
    'section:treatment migraine'
    'ceterizine'
    'itchy skin at night'
    'zzqqxnothing'
    'ibuprofen'
    'sleep'
    'cream'
    '"sore throat"'
    'title:migraine'
    'drug:ibuprofen symptom:fever'
    'loratadine NOT cetirizine'
    'condition:eczema AND drug:hydrocortisone'
)
# exactness DB ARGS...: "exact" when Xapian 1.4 gives a sharded index the
# very scores of a single index for this query, else "inexact". Scores are
# exact in general, since Xapian sums the statistics of all shards; two
# constructs of its 1.4 matcher are not (see docs/SCALING.md):
#  - WILDCARD: expanded in each shard, with that shard's term statistics;
#  - a SYNONYM: its frequency is estimated in each shard (medquery's lexicon
#    expansions are single entity terms, so they stay exact);
# For those only the matching passages are compared.
exactness() {
    local db=$1 x
    shift
    x=$("$MEDQUERY" --db "$db" -n 1 --explain "$@" 2>&1 >/dev/null | grep 'xapian query')
    if [[ $x == *WILDCARD* ]] || [[ $x == *SYNONYM* ]]; then
        echo inexact
    else
        echo exact
    fi
}
matches() { jq -r '.path + ":" + (.start | tostring)' | sort; }

# The queries go to medquery in two batch files (one process per index and
# option set): $TMP/q.tsv with the default options, $TMP/qpa.tsv with
# --per-article 1.
write_batches() {
    local i=0 q
    : >"$TMP/q.tsv"
    for q in "${QUERIES[@]}"; do
        i=$((i + 1))
        printf 'q%02d\t%s\n' "$i" "$q" >>"$TMP/q.tsv"
    done
    printf 'p01\tskin rash\np02\tcream\np03\tdrug:ibuprofen symptom:fever\n' >"$TMP/qpa.tsv"
}
# inexact REF: the qids of both batch files whose query is inexact on REF, as
# a JSON array, in $INEXACT
inexact() {
    local qid q list=()
    while IFS=$'\t' read -r qid q; do
        [ "$(exactness "$1" "$q")" = exact ] || list+=("$qid")
    done <"$TMP/q.tsv"
    while IFS=$'\t' read -r qid q; do
        [ "$(exactness "$1" --per-article 1 "$q")" = exact ] || list+=("$qid")
    done <"$TMP/qpa.tsv"
    INEXACT=$(printf '%s\n' "${list[@]}" | jq -R . | jq -s -c 'map(select(. != ""))')
}
# batch DB: both batch files on DB; canonical answers in $BANS (per qid: the
# passages of an exact query with scores rounded to 9 decimals, ties in
# (path, start) order; the matching passages of an inexact one), stderr in
# $BERR, exit statuses in $BRC
batch() {
    local db=$1
    "$MEDQUERY" --db "$db" --format json -n 1000 --batch "$TMP/q.tsv" >"$TMP/bans" 2>"$TMP/berr"
    BRC=$?
    "$MEDQUERY" --db "$db" --format json -n 1000 --per-article 1 --batch "$TMP/qpa.tsv" \
        >>"$TMP/bans" 2>>"$TMP/berr"
    BRC="$BRC $?"
    BERR=$(cat "$TMP/berr")
    jq -s -e 'group_by(.qid) | all(.[]; [.[].score] as $s | all(range(1; $s | length); $s[. - 1] >= $s[.]))' \
        <"$TMP/bans" >/dev/null || fail "$db: results not in score order"
    BANS=$(jq -s -c --argjson inexact "$INEXACT" '
        map(.score |= ((. * 1e9 | round) / 1e9)) | group_by(.qid)[] |
        if (.[0].qid as $q | $inexact | index([$q])) then
            map({qid, match: (.path + ":" + (.start | tostring))}) | sort_by(.match)[]
        else
            sort_by(-.score, .path, .start) | to_entries[] | .value + {rank: (.key + 1)}
        end' <"$TMP/bans")
}
# same_as_single DESC DB REF: every query (and three with --per-article 1)
# answers on DB as on REF: the same messages (a spelling suggestion is on
# stderr) and passages; for exact queries also in the same order, with the
# same scores, snippets and fields. At least 25 queries must be exact, and
# REF must find over 200 passages in all, or the check is too weak.
REF_DONE=
same_as_single() {
    local desc=$1 db=$2 ref=$3 n nq
    if [ "$REF_DONE" != "$ref ${#QUERIES[@]}" ]; then # the reference answers, once
        write_batches
        inexact "$ref"
        batch "$ref"
        REF_ANS=$BANS REF_ERR=$BERR REF_RC=$BRC REF_DONE="$ref ${#QUERIES[@]}"
    fi
    batch "$db"
    if [ "$BANS" = "$REF_ANS" ] && [ "$BERR" = "$REF_ERR" ] && [ "$BRC" = "$REF_RC" ]; then
        ok
    else
        fail "$desc: answers differ from the single index $ref (exit $BRC vs $REF_RC; stderr '$BERR' vs '$REF_ERR'); queries $(diff <(printf '%s\n' "$REF_ANS") <(printf '%s\n' "$BANS") | sed -n 's/^[<>] {"qid":"\([^"]*\)".*/\1/p' | sort -u | tr '\n' ' ')
$(diff <(printf '%s\n' "$REF_ANS") <(printf '%s\n' "$BANS") | head -6 | cut -c1-300)"
    fi
    nq=$(($(wc -l <"$TMP/q.tsv") + $(wc -l <"$TMP/qpa.tsv")))
    n=$(jq length <<<"$INEXACT")
    [ $((nq - n)) -ge 25 ] || fail "$desc: only $((nq - n)) of $nq queries compared exactly ($INEXACT)"
    n=$(printf '%s' "$REF_ANS" | grep -c .)
    [ "$n" -gt 200 ] || fail "$desc: only $n results over all queries; the comparison is too weak"
}
# same_matches DESC DB REF QUERY: the same passages match (scores may differ)
same_matches() {
    local a b
    a=$("$MEDQUERY" --db "$3" --format json -n 1000 "$4" | matches)
    b=$("$MEDQUERY" --db "$2" --format json -n 1000 "$4" | matches)
    if [ -n "$a" ] && [ "$a" = "$b" ]; then ok; else fail "$1: '$4' matches other passages"; fi
}

# shards_setup: a single index ($DB) and a 2-shard index ($SH) of a copy of
# the bundled corpus ($C); NFILES: the files indexed
shards_setup() {
    corpus_db # $TMP/corpus, $DB
    C=$TMP/corpus
    SH=$TMP/sh.db
    run_i --shards 2 -j 2 --db "$SH" "$C"
    expect_rc "2-shard build" 0
    NFILES=$(summary files)
    [ "${NFILES:-0}" -gt 50 ] && ok || fail "2-shard build: $NFILES files"
}

# french_db: $TMP/fr.db, an index of two of the articles built with other
# settings (--language french)
french_db() {
    mkdir -p "$TMP/fr-corpus/a"
    cp "$C"/healthnotes/flu.md "$C"/healthnotes/migraine.md "$TMP/fr-corpus/a/"
    "$MEDINDEX" -q --language french --db "$TMP/fr.db" "$TMP/fr-corpus" || fail "french build"
}

# change_corpus: add a file, remove one, change one; then an incremental
# run on the shards ($SH) and a fresh single index of the result
# ($TMP/fresh.db); the queries compared gain three about the change
change_corpus() {
    sed 's/^title: .*/title: Quorbal flu notes/; s/^id: .*/id: HN-QUORBAL/' "$C/healthnotes/flu.md" >"$C/healthnotes/quorbal-flu.md"
    printf '\nQuorbal is what this file now says about headache.\n' >>"$C/healthnotes/tension-headache.md"
    rm "$C/skinwise/mole-changes.txt"
    run_i --db "$SH" "$C"
    expect_rc "incremental run on the shards" 0
    expect_summary "incremental: files" files "$NFILES"
    expect_summary "incremental: indexed" indexed 2
    expect_summary "incremental: removed" removed 1
    "$MEDINDEX" -q --db "$TMP/fresh.db" "$C" || fail "fresh single index"
    QUERIES+=('quorbal' 'mole' 'title:quorbal')
}
