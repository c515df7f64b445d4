# Sharded indexes: a 2-shard index, searched locally through its XAPIANDB
# stub or remotely through xapian-tcpsrv, answers exactly as a single index
# of the same corpus; a shard that is down or was built with other settings
# is named; --allow-partial answers from the rest; incremental runs keep the
# shards equal to a fresh single index. The remote checks need xapian-tcpsrv
# (Debian package xapian-tools) and are skipped without it.
. "$(dirname "$0")/lib.sh"

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
    local try port log pid k
    for try in $(seq 1 30); do
        port=$((20000 + (RANDOM * 32768 + RANDOM) % 40001))
        log=$TMP/tcpsrv-$port.log
        # its own process group (this shell has no job control, so setsid
        # execs in place and $! is the server): xapian-tcpsrv signals its
        # whole group on SIGTERM
        setsid xapian-tcpsrv --port "$port" --interface 127.0.0.1 "$1" </dev/null >"$log" 2>&1 &
        pid=$!
        echo "$pid" >>"$TMP/pids"
        for k in $(seq 1 100); do
            if grep -q '^Listening' "$log"; then
                SRV_PORT=$port
                SRV_PID=$pid
                return 0
            fi
            alive "$pid" || break
            sleep 0.1
        done
        stop_server "$pid" # port in use (or too slow): try another one
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
# ---- a single index and a 2-shard index of the bundled corpus ----
corpus_db # $TMP/corpus, $DB
C=$TMP/corpus
SH=$TMP/sh.db
run_i --shards 2 -j 2 --db "$SH" "$C"
expect_rc "2-shard build" 0
NFILES=$(summary files)
[ "${NFILES:-0}" -gt 50 ] && ok || fail "2-shard build: $NFILES files"
[ -d "$SH/shard-0" ] && [ -d "$SH/shard-1" ] && [ ! -e "$SH/shard-2" ] && ok ||
    fail "2-shard build: shard-0 and shard-1 wanted: $(ls "$SH")"
[ "$(cat "$SH/XAPIANDB")" = $'auto shard-0\nauto shard-1' ] && ok ||
    fail "XAPIANDB stub: $(cat "$SH/XAPIANDB")"
# both shards hold passages, and together exactly those of the single index
# (as far as a query for common words lists them)
passages_of() {
    "$MEDQUERY" --db "$1" --format tsv -n 10000 --no-spelling --no-expand \
        'the OR and OR a OR of OR to OR is OR in' 2>/dev/null | tail -n +2 | cut -f4,8,9 | sort
}
n0=$(passages_of "$SH/shard-0" | wc -l)
n1=$(passages_of "$SH/shard-1" | wc -l)
nall=$(passages_of "$DB" | wc -l)
[ "$n0" -gt 0 ] && [ "$n1" -gt 0 ] && [ "$nall" -gt 500 ] && [ $((n0 + n1)) -eq "$nall" ] && ok ||
    fail "shards hold $n0 + $n1 passages, the single index $nall"
[ "$(sort <(passages_of "$SH/shard-0") <(passages_of "$SH/shard-1"))" = "$(passages_of "$DB")" ] &&
    ok || fail "the shards do not hold the passages of the single index"
if command -v xapian-delve >/dev/null; then
    docs() { xapian-delve "$1" | sed -n 's/^number of documents = //p'; }
    [ "$(($(docs "$SH/shard-0") + $(docs "$SH/shard-1")))" -eq "$(docs "$DB")" ] && ok ||
        fail "document counts: $(docs "$SH/shard-0") + $(docs "$SH/shard-1") vs $(docs "$DB")"
fi

# local shards: the directory and its stub file both open as one index
same_as_single "local shards" "$SH" "$DB"
same_as_single "local stub file" "$SH/XAPIANDB" "$DB"
# wildcards are the exception: Xapian 1.4 expands them in each shard with
# that shard's statistics, so their scores differ; the matches do not
same_matches "wildcard on shards" "$SH" "$DB" 'loratad*'
# 3 shards: the passages do not depend on the split (each shard learns the
# boilerplate lines of a site from the whole corpus)
"$MEDINDEX" -q --shards 3 --db "$TMP/sh3.db" "$C" || fail "3-shard build"
same_as_single "3 local shards" "$TMP/sh3.db" "$DB"

# ---- medindex on sharded indexes ----
run_i --shards 3 --db "$SH" "$C"
expect_rc "other shard count" 2
expect_err "other shard count message" "has 2 shards, not 3"
run_i --shards 2 --db "$DB" "$C"
expect_rc "shards into a single index" 2
expect_err "shards into a single index message" "is a single index"
run_i --db "$SH/XAPIANDB" "$C" # the stub names its directory
expect_rc "update through the stub file" 0
expect_summary "update through the stub file" unchanged "$NFILES"
run_i --db "$SH/shard-0" "$C" # a shard alone would take every file
expect_rc "update of one shard alone" 2
expect_err "update of one shard alone message" "is a shard of the sharded index $SH"
run_i -n --shards 2 --db "$TMP/dry.db" "$C"
expect_rc "sharded dry run" 0
[ ! -e "$TMP/dry.db" ] && ok || fail "a sharded dry run created $TMP/dry.db"
mkdir -p "$TMP/docs" && echo keep >"$TMP/docs/notes.txt"
run_i --shards 2 --db "$TMP/docs" "$C"
expect_rc "shards into a directory of other files" 2
run_i --rebuild -j 2 --db "$TMP/docs" "$C"
expect_rc "parallel rebuild of a directory of other files" 2
expect_err "directory of other files message" "a directory of other files"
[ "$(ls "$TMP/docs")" = notes.txt ] && ok || fail "a refused build changed $TMP/docs: $(ls "$TMP/docs")"

# ---- settings: a shard built with other settings is named ----
mkdir -p "$TMP/fr-corpus/a"
cp "$C"/healthnotes/flu.md "$C"/healthnotes/migraine.md "$TMP/fr-corpus/a/"
"$MEDINDEX" -q --language french --db "$TMP/fr.db" "$TMP/fr-corpus" || fail "french build"
printf 'auto %s\nauto %s\n' "$SH/shard-0" "$TMP/fr.db" >"$TMP/mixed.stub"
run_q --db "$TMP/mixed.stub" headache
expect_rc "settings mismatch" 2
expect_err "settings mismatch names the shard" "^medquery: $TMP/fr.db: index built with other settings \(language: french"
expect_err "settings mismatch names the stub" "shard of $TMP/mixed.stub"
printf 'auto %s\nauto sh.db/shard-1\n' "$TMP/fr.db" >"$TMP/first-fr.stub"
run_q --db "$TMP/first-fr.stub" headache
expect_rc "settings mismatch, other order" 2
expect_err "settings mismatch names the other shard" "^medquery: $TMP/sh.db/shard-1: index built with other settings"
run_q --db "$TMP/mixed.stub" --allow-partial headache
expect_rc "--allow-partial does not hide a settings mismatch" 2

# a shard that is missing, and a stub line medquery does not know
printf 'auto shard-0\nauto shard-9\n' >"$SH/missing.stub"
run_q --db "$SH/missing.stub" headache
expect_rc "missing shard" 2
expect_err "missing shard named" "$SH/shard-9: no index there"
run_q --db "$SH/missing.stub" --allow-partial --format json headache
expect_rc "missing shard, --allow-partial" 0
expect_err "missing shard warning" "warning: answering without shards that cannot be reached: $SH/shard-9"
printf 'auto shard-0\nchert shard-1\n' >"$SH/bad.stub"
run_q --db "$SH/bad.stub" headache
expect_rc "unsupported stub line" 2
expect_err "unsupported stub line message" "bad.stub:2: unsupported stub line 'chert shard-1'"
rm -f "$SH"/*.stub
# stub paths may hold spaces (the rest of the line, as Xapian reads it)
mkdir -p "$TMP/with space"
cp -r "$SH/shard-0" "$SH/shard-1" "$TMP/with space/"
printf 'auto with space/shard-0\nglass %s \n' "$TMP/with space/shard-1" >"$TMP/space.stub"
answer "$TMP/space.stub" headache
a=$ANS
answer "$SH" headache
[ "$ARC" -eq 0 ] && [ "$a" = "$ANS" ] && ok || fail "stub paths with spaces"

# ---- remote shards (and scripts/medsearch-serve) ----
remote_checks() {
    local port pid keep part served try
    start_server "$SH/shard-0" || fail "cannot start xapian-tcpsrv for shard-0"
    P0=$SRV_PORT PID0=$SRV_PID
    start_server "$SH/shard-1" || fail "cannot start xapian-tcpsrv for shard-1"
    P1=$SRV_PORT PID1=$SRV_PID
    printf 'remote 127.0.0.1:%s\nremote 127.0.0.1:%s\n' "$P0" "$P1" >"$TMP/remote.stub"
    same_as_single "remote shards" "$TMP/remote.stub" "$DB"
    same_matches "wildcard on remote shards" "$TMP/remote.stub" "$DB" 'loratad*'
    # local and remote shards mixed
    printf 'auto %s\nremote 127.0.0.1:%s\n' "$SH/shard-0" "$P1" >"$TMP/mixed-remote.stub"
    same_as_single "local + remote shards" "$TMP/mixed-remote.stub" "$DB"

    # a remote shard with other settings is named by host:port
    start_server "$TMP/fr.db" || fail "cannot start xapian-tcpsrv for the french index"
    PFR=$SRV_PORT
    printf 'remote 127.0.0.1:%s\nremote 127.0.0.1:%s\n' "$P0" "$PFR" >"$TMP/remote-fr.stub"
    run_q --db "$TMP/remote-fr.stub" headache
    expect_rc "remote settings mismatch" 2
    expect_err "remote settings mismatch names host:port" "^medquery: 127\.0\.0\.1:$PFR: index built with other settings"
    stop_server "$SRV_PID"

    # one server down: an error naming it, or with --allow-partial an answer
    # from the other shard, flagged
    stop_server "$PID1"
    run_q --db "$TMP/remote.stub" --format json headache
    expect_rc "a shard is down" 2
    expect_err "the shard that is down is named" "^medquery: 127\.0\.0\.1:$P1: cannot be reached"
    run_q --db "$TMP/remote.stub" --allow-partial --format json -n 1000 headache
    if [ "$RC" -eq 0 ] || [ "$RC" -eq 1 ]; then ok; else fail "--allow-partial: exit $RC ($ERR)"; fi
    [ "$RC" -eq 0 ] && ok || fail "--allow-partial found nothing for headache"
    expect_err "--allow-partial warning" "warning: answering without shards that cannot be reached: 127\.0\.0\.1:$P1"
    if [ -n "$OUT" ] && printf '%s\n' "$OUT" | jq -e --arg m "127.0.0.1:$P1" '.partial == $m' >/dev/null &&
        ! printf '%s\n' "$OUT" | jq -e '.partial == null' >/dev/null; then ok; else
        fail "--allow-partial: every JSON line needs \"partial\": $OUT"
    fi
    # what it answers is shard-0's answer
    part=$(printf '%s\n' "$OUT" | jq -c 'del(.partial)' | canon)
    answer "$SH/shard-0" headache
    [ "$part" = "$ANS" ] && ok || fail "--allow-partial answer differs from shard-0 alone"
    run_q --db "$TMP/remote.stub" --allow-partial --format json zzqqxnothing
    expect_rc "--allow-partial, nothing found" 1
    # --batch: every query answered, one warning per run
    printf 'q1\theadache\nq2\tcetirizine\n' >"$TMP/batch.tsv"
    run_q --db "$TMP/remote.stub" --allow-partial --format json --batch "$TMP/batch.tsv"
    expect_rc "--allow-partial --batch" 0
    [ "$(printf '%s\n' "$OUT" | jq -r .qid | sort -u | tr '\n' ' ')" = "q1 q2 " ] && ok ||
        fail "--allow-partial --batch answers both queries"
    [ "$(printf '%s\n' "$ERR" | grep -c 'warning: answering without')" -eq 1 ] && ok ||
        fail "--allow-partial --batch: one warning wanted: $ERR"
    # every server down: an error even with --allow-partial
    stop_server "$PID0"
    run_q --db "$TMP/remote.stub" --allow-partial headache
    expect_rc "every shard down" 2
    expect_err "every shard down message" "no shard could be opened: 127\.0\.0\.1:$P0, 127\.0\.0\.1:$P1"

    # ---- medsearch-serve ----
    served=0
    for try in 1 2 3 4 5 6 7 8 9 10; do
        port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        if sh "$SERVE" --port "$port" --stub "$TMP/serve.stub" --pidfile "$TMP/serve.pids" \
            --logdir "$TMP/serve-logs" "$SH" 2>"$TMP/serve.err"; then
            served=1
            break
        fi
        grep -q 'already in use' "$TMP/serve.err" || break
    done
    if [ "$served" -eq 1 ]; then
        ok
        [ "$(cat "$TMP/serve.stub")" = "remote 127.0.0.1:$port"$'\n'"remote 127.0.0.1:$((port + 1))" ] &&
            ok || fail "medsearch-serve stub: $(cat "$TMP/serve.stub")"
        [ "$(wc -l <"$TMP/serve.pids")" -eq 2 ] && ok || fail "medsearch-serve pid file"
        same_as_single "medsearch-serve" "$TMP/serve.stub" "$DB"
        # each server has a process group of its own (SIGTERM reaches its children)
        for pid in $(awk '{ print $1 }' "$TMP/serve.pids"); do
            [ "$(ps -o pgid= -p "$pid" | tr -d ' ')" = "$pid" ] && ok || fail "server $pid leads no group"
        done
        # a second start with the same pid file refuses (the servers are up)
        sh "$SERVE" --port "$port" --pidfile "$TMP/serve.pids" --stub "$TMP/serve2.stub" "$SH" 2>/dev/null
        [ $? -eq 1 ] && [ ! -e "$TMP/serve2.stub" ] && ok || fail "medsearch-serve started twice"
        keep=$(awk '{ print $1 }' "$TMP/serve.pids")
        sh "$SERVE" --stop --pidfile "$TMP/serve.pids"
        [ $? -eq 0 ] && [ ! -e "$TMP/serve.pids" ] && ok || fail "medsearch-serve --stop"
        for pid in $keep; do
            wait "$pid" 2>/dev/null # not ours to reap, but in case
            alive "$pid" && fail "medsearch-serve --stop left $pid running" || ok
        done
    else
        fail "medsearch-serve did not start: $(cat "$TMP/serve.err")"
    fi
    sh "$SERVE" --help | grep -q -- '--stop' && ok || fail "medsearch-serve --help"
    sh "$SERVE" --bogus >/dev/null 2>&1
    [ $? -eq 2 ] && ok || fail "medsearch-serve: bad option must exit 2"
}
if [ "$HAVE_TCPSRV" -eq 1 ]; then
    remote_checks
else
    skip "remote shards: xapian-tcpsrv (Debian package xapian-tools) or setsid is missing"
fi

# ---- incremental runs on the shards ----
# servers started before the update serve it after (each connection opens
# its shard anew)
if [ "$HAVE_TCPSRV" -eq 1 ]; then
    start_server "$SH/shard-0" || fail "cannot start xapian-tcpsrv for shard-0"
    P0=$SRV_PORT
    start_server "$SH/shard-1" || fail "cannot start xapian-tcpsrv for shard-1"
    P1=$SRV_PORT
    printf 'remote 127.0.0.1:%s\nremote 127.0.0.1:%s\n' "$P0" "$P1" >"$TMP/remote.stub"
fi
# add a file, remove one, change one
sed 's/^title: .*/title: Quorbal flu notes/; s/^id: .*/id: HN-QUORBAL/' "$C/healthnotes/flu.md" >"$C/healthnotes/quorbal-flu.md"
printf '\nQuorbal is what this file now says about headache.\n' >>"$C/healthnotes/tension-headache.md"
rm "$C/skinwise/mole-changes.txt"
run_i --db "$SH" "$C"
expect_rc "incremental run on the shards" 0
expect_summary "incremental: files" files "$NFILES"
expect_summary "incremental: indexed" indexed 2
expect_summary "incremental: removed" removed 1
# the new file is in exactly one shard
q0=$("$MEDQUERY" --db "$SH/shard-0" --format tsv -n 100 --no-spelling quorbal 2>/dev/null | grep -c quorbal-flu)
q1=$("$MEDQUERY" --db "$SH/shard-1" --format tsv -n 100 --no-spelling quorbal 2>/dev/null | grep -c quorbal-flu)
{ [ "$q0" -eq 0 ] && [ "$q1" -gt 0 ]; } || { [ "$q0" -gt 0 ] && [ "$q1" -eq 0 ]; } && ok ||
    fail "the added file is in shard-0 ($q0 passages) and shard-1 ($q1)"
"$MEDINDEX" -q --db "$TMP/fresh.db" "$C" || fail "fresh single index"
QUERIES+=('quorbal' 'mole' 'title:quorbal')
same_as_single "shards after an incremental run" "$SH" "$TMP/fresh.db"
[ "$HAVE_TCPSRV" -eq 1 ] &&
    same_as_single "remote shards after an incremental run" "$TMP/remote.stub" "$TMP/fresh.db"
# a rebuild of the shards gives the same again
run_i --rebuild --db "$SH" "$C"
expect_rc "rebuild of the shards" 0
same_as_single "shards after --rebuild" "$SH" "$TMP/fresh.db"

finish
