# Crash safety: SIGKILL medindex at random points of large runs (the first,
# parallel build; incremental runs; --rebuild, parallel; -j1 --rebuild, in
# place), with the corpus changing in between. Once an index exists it opens
# after every kill; the build processes of a killed medindex do not live on
# or leave temporary databases behind; after a final run the index is
# exactly what a clean build of the same corpus gives.
# MEDSEARCH_CRASH_SEED repeats a sequence; MEDSEARCH_CRASH_JOBS=N runs every
# medindex with -jN (1: no parallel build at all).
. "$(dirname "$0")/lib.sh"
snapshot_lexicon
N=1000
BATCH=50 # 20 commits a full run (fsync makes each commit cost)
KILLS=20
BUDGET=45 # seconds for the kill rounds
SEED=${MEDSEARCH_CRASH_SEED:-$$}
JOBS=()
[ -n "${MEDSEARCH_CRASH_JOBS:-}" ] && JOBS=(-j"$MEDSEARCH_CRASH_JOBS")
RANDOM=$SEED
echo "seed $SEED"
C=$TMP/c
DB=$TMP/crash.db
gen_corpus "$C" "$N"
head -c 5000 /dev/urandom >"$C/s0/binary.txt" # a failed file: E: records too

t0=$(date +%s%N)
"$MEDINDEX" -q --db "$TMP/timing.db" --batch "$BATCH" "$C"
T=$((($(date +%s%N) - t0) / 1000000))
rm -rf "$TMP/timing.db"
[ "$T" -gt 4000 ] && T=4000
echo "a full run takes $T ms; kills land in [0, $T) ms"

have_check=0
command -v xapian-check >/dev/null && have_check=1
kills=0 finished=0 rounds=0 mutations=0 orphans=0 have_db=0 last=
start=$(date +%s)
while [ "$kills" -lt "$KILLS" ] && [ $(($(date +%s) - start)) -lt "$BUDGET" ]; do
    rounds=$((rounds + 1))
    # every fourth round, change the corpus: a file edited, one deleted, one added
    if [ $((rounds % 4)) -eq 0 ]; then
        mutations=$((mutations + 1))
        i=$((RANDOM % N))
        f=$C/s$((i % 10))/doc$i.txt
        [ -f "$f" ] && printf 'zzmark edited%d ibuprofen rest.\n' "$rounds" >>"$f"
        i=$((RANDOM % N))
        rm -f "$C/s$((i % 10))/doc$i.txt"
        printf 'Added %d\n\nzzmark added%d cough syrup.\n' "$rounds" "$rounds" >"$C/s$((RANDOM % 10))/new$rounds.txt"
    fi
    # a third of the rounds -j1 --rebuild (in place), the others a parallel
    # --rebuild (a full run) or, after a kill, an incremental run repairing
    # what it left (less work: its kill comes sooner)
    mode=(--rebuild)
    span=$T
    case $((RANDOM % 3)) in
    0) [ "$last" = killed ] && mode=() span=$((T / 2)) ;;
    1) # in place: every other one killed early, before or at its first commit
        early=$((1 - ${early:-0}))
        mode=(-j1 --rebuild) span=$((early ? T / 4 : T * 3 / 2))
        ;;
    esac
    "$MEDINDEX" -q --db "$DB" --batch "$BATCH" "${JOBS[@]}" "${mode[@]}" "$C" 2>"$TMP/round.err" &
    pid=$!
    ms=$((RANDOM * span / 32768))
    sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
    if kill -0 "$pid" 2>/dev/null; then
        kids=$(pgrep -P "$pid")
        kill -KILL "$pid"
        wait "$pid"
        rc=$?
        if [ "$rc" -eq 137 ]; then
            kills=$((kills + 1)) last=killed
        else
            finished=$((finished + 1)) last=finished
        fi
        # its build processes must not outlive it (they would go on writing)
        [ -n "$kids" ] && sleep 0.3
        for k in $kids; do
            # a zombie is dead (this sandbox's init may not reap orphans)
            if kill -0 "$k" 2>/dev/null && [ "$(ps -o stat= -p "$k" | cut -c1)" != Z ]; then
                orphans=$((orphans + 1))
                kill -KILL "$k" 2>/dev/null
            fi
        done
    else
        wait "$pid"
        rc=$?
        finished=$((finished + 1)) last=finished
    fi
    # a run that ended by itself succeeded (1: the binary file failed)
    case $rc in 0 | 1 | 137) ok ;; *) fail "round $rounds (${mode[*]}): exit $rc: $(cat "$TMP/round.err")" ;; esac
    # The index opens: something found, or nothing (the kill came before the
    # first commit of the first build), never an error. Once it has had
    # passages, no kill empties it: an interrupted rebuild keeps the old
    # index until it commits new passages.
    if [ -e "$DB" ]; then
        run_q --db "$DB" -n 1 --no-spelling zzmark
        case $RC in
        0) ok; have_db=2 ;;
        1) [ "$have_db" -lt 2 ] && ok || fail "after kill $kills (round $rounds, ${ms} ms, ${mode[*]}): the index is empty" ;;
        *) fail "after kill $kills (round $rounds, ${ms} ms${mode[*]:+, ${mode[*]}}): medquery exit $RC: $ERR" ;;
        esac
    elif [ "$have_db" -gt 0 ]; then
        fail "after kill $kills (round $rounds): the index is gone"
    fi
    [ -e "$DB" ] && [ "$have_db" -eq 0 ] && have_db=1
    if [ "$have_db" -gt 0 ]; then
        if [ "$have_check" -eq 1 ] && [ -e "$DB/iamglass" ]; then
            xapian-check "$DB" >"$TMP/check.out" 2>&1 && ok ||
                fail "after kill $kills (round $rounds): xapian-check: $(tail -3 "$TMP/check.out")"
        fi
    fi
done
echo "$rounds rounds in $(($(date +%s) - start)) s: $kills killed mid-run, $finished finished first; $mutations corpus changes"
[ "$kills" -ge "$KILLS" ] && ok || fail "only $kills kills within ${BUDGET} s"
[ "$orphans" -eq 0 ] && ok || fail "$orphans build processes lived on after their medindex was killed"

# the last run repairs the rest, removing what killed runs left ...
run_i --db "$DB" --batch "$BATCH" "$C"
case $RC in 0 | 1) ok ;; *) fail "final run: exit $RC: $ERR" ;; esac
left=$(cd "$TMP" && ls -d crash.db?* 2>/dev/null | tr '\n' ' ')
[ -z "$left" ] && ok || fail "temporary databases of killed runs are still there: $left"
run_i --db "$DB" "$C"
expect_rc "then nothing to do (the binary file stays failed)" 0
expect_summary "then nothing to do" indexed 0
expect_summary "then nothing to do" removed 0
expect_summary "then nothing to do" failed 1
# ... to exactly what a clean build gives
"$MEDINDEX" -q --db "$TMP/clean.db" "$C"
got=$(passages "$DB")
want=$(passages "$TMP/clean.db")
n=$(printf '%s\n' "$want" | grep -c .)
[ "$n" -ge "$N" ] && ok || fail "clean build has $n passages, want >= $N"
[ "$got" = "$want" ] && ok || fail "passages after the kills differ from a clean build:
$(diff <(echo "$want") <(echo "$got") | head -10)"
for q in 'headache fever' cetirizine '"skin allergy"' 'asthma NOT child' 'uniq7*'; do
    a=$("$MEDQUERY" --db "$DB" --format tsv -n 10000 --per-article 0 "$q" | tail -n +2 | cut -f3- | sort)
    b=$("$MEDQUERY" --db "$TMP/clean.db" --format tsv -n 10000 --per-article 0 "$q" | tail -n +2 | cut -f3- | sort)
    [ -n "$b" ] && [ "$a" = "$b" ] && ok || fail "query '$q': results (with scores) differ from a clean build"
done
a=$("$MEDINDEX" --db "$DB" --stats "$C" 2>/dev/null | grep -E '^(files|passages|stems|drugs|symptoms|conditions|  failed):')
b=$("$MEDINDEX" --db "$TMP/clean.db" --stats "$C" 2>/dev/null | grep -E '^(files|passages|stems|drugs|symptoms|conditions|  failed):')
[ "$a" = "$b" ] && ok || fail "--stats differ from a clean build:
$(diff <(echo "$b") <(echo "$a"))"
finish
