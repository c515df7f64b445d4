# SIGINT and SIGTERM during large runs: medindex stops at a clean commit,
# says so, exits 130 / 143, and a rerun finishes to what a clean run gives.
# Covered: a fresh build (parallel), an incremental run (one process), a
# --rebuild (parallel: the old index stays) and a -j1 --rebuild (in place).
. "$(dirname "$0")/lib.sh"
snapshot_lexicon
N=3000
C=$TMP/c
gen_corpus "$C" "$N"

t0=$(date +%s%N)
"$MEDINDEX" -q --db "$TMP/ref.db" "$C" || fail "clean run"
T=$((($(date +%s%N) - t0) / 1000000))
echo "clean run of $N files: $T ms"
REF=$(passages "$TMP/ref.db")
[ "$(printf '%s\n' "$REF" | grep -c .)" -eq "$N" ] && ok || fail "clean run: not $N passages"

# bg DB ARGS...: start medindex in the background (PID in $PID)
bg() {
    local db=$1
    shift
    "$MEDINDEX" --db "$db" --batch 25 "$@" "$C" 2>"$TMP/bg.err" &
    PID=$!
}
# reap: wait for it (at most 30 s), status in $RC, stderr in $ERR
reap() {
    local i=0
    while kill -0 "$PID" 2>/dev/null && [ $i -lt 300 ]; do
        sleep 0.1
        i=$((i + 1))
    done
    if kill -0 "$PID" 2>/dev/null; then
        fail "medindex did not stop within 30 s of the signal"
        kill -9 "$PID"
    fi
    wait "$PID"
    RC=$?
    ERR=$(cat "$TMP/bg.err")
}
# a fraction (percent) of the clean run's time, for sleep
part() { awk -v t="$T" -v p="$1" 'BEGIN { printf "%.3f", t * p / 100000 }'; }
# stopped DESC WANT_RC: the interrupted run exited as it should and said so
stopped() {
    expect_rc "$1: exit status" "$2"
    expect_err "$1: message" "^medindex: interrupted; committed work is kept, run again to finish$"
    added=$(summary passages_added)
    [ "${added:-0}" -gt 0 ] && [ "${added:-0}" -lt "$N" ] && ok ||
        fail "$1: the signal did not land mid-run (${added:-?} of $N done)"
    echo "$1: stopped after ${added:-?} of $N files"
}
# clean_commit DESC DB BEFORE: the index holds exactly the BEFORE passages
# it had plus what the run reports as added
clean_commit() {
    local have
    have=$(passages "$2" | grep -c .)
    [ "$have" -eq $(($3 + ${added:-0})) ] && ok ||
        fail "$1: the index has $have passages, want $3 + ${added:-?} reported added"
}
# rerun DESC DB: a plain run finishes to the clean run's passages
rerun() {
    run_i --db "$2" "$C"
    expect_rc "$1: rerun" 0
    [ "$(passages "$2")" = "$REF" ] && ok || fail "$1: after a rerun, not the clean run's passages"
    run_i --db "$2" "$C"
    expect_summary "$1: then nothing left to do" indexed 0
}

# 1. SIGINT during a fresh (parallel) build: what the shards committed is kept
bg "$TMP/a.db"
sleep "$(part 40)"
kill -INT "$PID"
reap
stopped "SIGINT, fresh build" 130
run_q --db "$TMP/a.db" -n 1 zzmark
expect_rc "SIGINT, fresh build: the index opens" 0
clean_commit "SIGINT, fresh build" "$TMP/a.db" 0
rerun "SIGINT, fresh build" "$TMP/a.db"

# 2. SIGINT during an incremental run (one process, commits every 25 files),
# once its first batch is committed
rm -rf "$TMP/b.db"
mkdir "$TMP/few"
cp -rp "$C/s0" "$TMP/few/" # same mtimes: unchanged for the run below
"$MEDINDEX" -q --db "$TMP/b.db" "$TMP/few" 2>/dev/null
mv "$TMP/few/s0" "$TMP/few/s0.tmp" # the index now holds s0 as if from $C
base=$(passages "$TMP/b.db" | grep -c .)
bg "$TMP/b.db"
for _ in $(seq 1 1000); do
    kill -0 "$PID" 2>/dev/null || break
    # s1/doc1.txt is the first new file: in the first batch
    "$MEDQUERY" --db "$TMP/b.db" -n 1 --no-spelling uniq1 >/dev/null 2>&1 && break
    sleep 0.01
done
kill -INT "$PID"
reap
stopped "SIGINT, incremental run" 130
clean_commit "SIGINT, incremental run" "$TMP/b.db" "$base"
rerun "SIGINT, incremental run" "$TMP/b.db"

# 3. SIGTERM during a --rebuild: an interrupted rebuild keeps the old index
bg "$TMP/a.db" --rebuild
sleep "$(part 40)"
kill -TERM "$PID"
reap
stopped "SIGTERM, --rebuild" 143
[ "$(passages "$TMP/a.db")" = "$REF" ] && ok || fail "SIGTERM, --rebuild: the old index is not kept whole"
rerun "SIGTERM, --rebuild" "$TMP/a.db"

# 4. SIGTERM during a -j1 --rebuild, which rebuilds in place: the old index
# until the first commit, then the new one as far as it got
# (signalled once its first batch is committed: a one-process run with a
# commit and fsync every 25 files is slower than the clean run's timing)
bg "$TMP/a.db" -j1 --rebuild
for _ in $(seq 1 1000); do
    kill -0 "$PID" 2>/dev/null || break
    have=$("$MEDQUERY" --db "$TMP/a.db" -f tsv -n 10000 --no-spelling zzmark 2>/dev/null | tail -n +2 | wc -l)
    [ "$have" -gt 0 ] && [ "$have" -lt "$N" ] && break
    sleep 0.01
done
kill -TERM "$PID"
reap
stopped "SIGTERM, -j1 --rebuild" 143
have=$(passages "$TMP/a.db" | grep -c .)
[ "$have" -eq "$added" ] || [ "$have" -eq "$N" ] && ok ||
    fail "SIGTERM, -j1 --rebuild: $have passages, neither the old $N nor the $added rebuilt"
rerun "SIGTERM, -j1 --rebuild" "$TMP/a.db"

# 5. a signal while waiting for another indexer's lock ends the wait
bg "$TMP/a.db" -j1 --rebuild
sleep "$(part 20)"
"$MEDINDEX" --db "$TMP/a.db" --wait "$C" 2>"$TMP/w.err" &
W=$!
sleep 0.3
kill -TERM "$W"
i=0
while kill -0 "$W" 2>/dev/null && [ $i -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
done
if kill -0 "$W" 2>/dev/null; then
    fail "--wait ignores SIGTERM"
    kill -9 "$W"
fi
wait "$W"
RC=$?
ERR=$(cat "$TMP/w.err")
expect_rc "--wait stopped by SIGTERM" 143
expect_err "--wait stopped by SIGTERM: message" "^medindex: .*a.db: interrupted while waiting for another indexer$"
kill -TERM "$PID"
reap
expect_rc "the indexer it waited for" 143
finish
