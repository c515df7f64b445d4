# SIGINT and SIGTERM during large runs: medindex stops at a clean commit,
# says so, exits 130 / 143, and a rerun finishes to what a clean run gives.
# Covered: a fresh build (parallel), an incremental run (one process), a
# --rebuild, parallel and -j1 (both keep the old index whole).
. "$(dirname "$0")/lib.sh"
snapshot_lexicon
N=3000
C=$TMP/c
gen_corpus "$C" "$N"

"$MEDINDEX" -q --db "$TMP/ref.db" "$C" || fail "clean run"
REF=$(passages "$TMP/ref.db")
[ "$(printf '%s\n' "$REF" | grep -c .)" -eq "$N" ] && ok || fail "clean run: not $N passages"

# Every signal lands on an event, never after a time: a commit that a reader
# sees, or the waiting state of a process. The loops end on the event or
# when the process ends.

# bg DB ARGS...: start medindex in the background (PID in $PID), after
# noting the passages the databases of DB hold (in $BEFORE)
bg() {
    local db=$1
    shift
    BEFORE=$(written "$db") || BEFORE=0
    "$MEDINDEX" --db "$db" --batch 25 "$@" "$C" 2>"$TMP/bg.err" &
    PID=$!
}
# signal_on_commit SIG DB: once the run has committed a batch (the passages
# of the databases it writes, the index or those it builds aside, changed
# by 25 or more), send it SIG
signal_on_commit() {
    local now
    while running "$PID"; do
        now=$(written "$2") || continue
        if [ $((now > BEFORE ? now - BEFORE : BEFORE - now)) -ge 25 ]; then
            kill "-$1" "$PID"
            return
        fi
    done
    fail "medindex ended before a commit was seen: $(cat "$TMP/bg.err")"
}
# reap: wait for it, status in $RC, stderr in $ERR (a run that ignored the
# signal ends anyway, and its status says so)
reap() {
    wait "$PID"
    RC=$?
    ERR=$(cat "$TMP/bg.err")
}
# stopped DESC WANT_RC: the interrupted run exited as it should and said so
# (a rebuild says that it is dropped and the index is as it was)
stopped() {
    expect_rc "$1: exit status" "$2"
    if [[ $1 == *--rebuild* ]]; then
        expect_err "$1: message" "^medindex: interrupted; the rebuild is dropped, the index is as it was before it$"
    else
        expect_err "$1: message" "^medindex: interrupted; committed work is kept, run again to finish$"
    fi
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
signal_on_commit INT "$TMP/a.db"
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
# s1/doc1.txt is the first new file: in the first batch
while running "$PID"; do
    "$MEDQUERY" --db "$TMP/b.db" -n 1 --no-spelling uniq1 >/dev/null 2>&1 && break
done
kill -INT "$PID"
reap
stopped "SIGINT, incremental run" 130
clean_commit "SIGINT, incremental run" "$TMP/b.db" "$base"
rerun "SIGINT, incremental run" "$TMP/b.db"

# 3. SIGTERM during a --rebuild: an interrupted rebuild keeps the old index
bg "$TMP/a.db" --rebuild
signal_on_commit TERM "$TMP/a.db"
reap
stopped "SIGTERM, --rebuild" 143
[ "$(passages "$TMP/a.db")" = "$REF" ] && ok || fail "SIGTERM, --rebuild: the old index is not kept whole"
rerun "SIGTERM, --rebuild" "$TMP/a.db"

# 4. SIGTERM during a -j1 --rebuild: a rebuild, in one process too, is
# built aside and replaces the index only when complete, so the old index
# stays whole
bg "$TMP/a.db" -j1 --rebuild
signal_on_commit TERM "$TMP/a.db"
reap
stopped "SIGTERM, -j1 --rebuild" 143
[ "$(passages "$TMP/a.db")" = "$REF" ] && ok || fail "SIGTERM, -j1 --rebuild: the old index is not kept whole"
rerun "SIGTERM, -j1 --rebuild" "$TMP/a.db"

# 5. a signal while waiting for another indexer's lock ends the wait. The
# first indexer is stopped (SIGSTOP) while it holds the lock, so the lock
# stays held whatever the speed; the second is signalled once it waits
# (asleep between attempts, or, where the kernel does not say where a
# process sleeps, once it has set its handler of SIGTERM).
waiting() {
    local w
    w=$(cat "/proc/$1/wchan" 2>/dev/null)
    case $w in
    *nanosleep*) return 0 ;;
    "" | 0) [ $((0x$(sed -n 's/^SigCgt:\s*//p' "/proc/$1/status" 2>/dev/null || echo 0) & 0x4000)) -ne 0 ] ;;
    *) return 1 ;;
    esac
}
bg "$TMP/a.db" -j1 --rebuild
while running "$PID" && ! lock_held "$TMP/a.db"; do :; done
kill -STOP "$PID"
lock_held "$TMP/a.db" && ok || fail "the first indexer ended before it held the lock"
"$MEDINDEX" --db "$TMP/a.db" --wait "$C" 2>"$TMP/w.err" &
W=$!
while running "$W" && ! waiting "$W"; do :; done
kill -TERM "$W"
wait "$W"
RC=$?
ERR=$(cat "$TMP/w.err")
expect_rc "--wait stopped by SIGTERM" 143
expect_err "--wait stopped by SIGTERM: message" "^medindex: .*a.db: interrupted while waiting for another indexer$"
kill -TERM "$PID"
kill -CONT "$PID"
reap
expect_rc "the indexer it waited for" 143
finish
