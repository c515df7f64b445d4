# Crash safety: SIGKILL medindex at random points of large runs (the first,
# parallel build; incremental runs; --rebuild, parallel and -j1), with the
# corpus changing in between. Each kill lands on an event (a random number
# of passages committed), never after a time; the test counts rounds, not
# seconds. Once an index exists it opens after every kill; the build
# processes of a killed medindex do not live on or leave temporary databases
# behind; after a final run the index is exactly what a clean build of the
# same corpus gives.
# MEDSEARCH_CRASH_SEED repeats a sequence; MEDSEARCH_CRASH_JOBS=N runs every
# medindex with -jN (1: no parallel build at all).
. "$(dirname "$0")/lib.sh"
snapshot_lexicon
N=1000
BATCH=20  # 50 commits a full run (25 a worker of -j2)
KILLS=12  # kill rounds; rounds that end before their kill do not count
ROUNDS=40 # at most this many rounds in all
SEED=${MEDSEARCH_CRASH_SEED:-$$}
JOBS=()
[ -n "${MEDSEARCH_CRASH_JOBS:-}" ] && JOBS=(-j"$MEDSEARCH_CRASH_JOBS")
RANDOM=$SEED
echo "seed $SEED"
C=$TMP/c
DB=$TMP/crash.db
gen_corpus "$C" "$N"
head -c 5000 /dev/urandom >"$C/s0/binary.txt" # a failed file: E: records too

# check_index WHEN: xapian-check every database of the index: DB itself (one
# database) or its generations (DB/gen-N beside a XAPIANDB stub)
have_check=0
command -v xapian-check >/dev/null && have_check=1
check_index() {
    local d
    [ "$have_check" -eq 1 ] || return 0
    for d in "$DB" "$DB"/gen-*; do
        [ -f "$d/iamglass" ] || continue
        xapian-check "$d" >"$TMP/check.out" 2>&1 && ok ||
            fail "$1: xapian-check ${d#"$TMP"/}: $(tail -3 "$TMP/check.out")"
    done
}

# Each round starts medindex and kills it (SIGKILL) on an event: once the
# passages committed to the databases it writes (the index, or those it
# builds aside) differ by AT or more from what they held before it started;
# AT is a random number of batches. A run that ends first is not killed.
kills=0 finished=0 rounds=0 mutations=0 orphans=0 have_db=0 last=
while [ "$kills" -lt "$KILLS" ] && [ "$rounds" -lt "$ROUNDS" ]; do
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
    # a third of the rounds -j1 --rebuild, the others a parallel --rebuild
    # (a full run) or, after a kill, an incremental run repairing what it left
    mode=(--rebuild)
    at=$((BATCH * (1 + RANDOM % 20)))
    case $((RANDOM % 3)) in
    0) [ "$last" = killed ] && mode=() at=$((BATCH * (1 + RANDOM % 4))) ;;
    1) mode=(-j1 --rebuild) ;;
    esac
    before=$(written "$DB") || before=0
    "$MEDINDEX" --db "$DB" --batch "$BATCH" "${JOBS[@]}" "${mode[@]}" "$C" 2>"$TMP/round.err" &
    pid=$!
    # poll until the event or the end of the run, whichever comes first
    while running "$pid"; do
        now=$(written "$DB") || continue
        [ $((now > before ? now - before : before - now)) -ge "$at" ] && break
    done
    kids=$(pgrep -P "$pid")
    kill -KILL "$pid" 2>/dev/null
    wait "$pid"
    rc=$?
    if [ "$rc" -eq 137 ]; then
        kills=$((kills + 1)) last=killed
    else
        finished=$((finished + 1)) last=finished
    fi
    what="round $rounds (${mode[*]:-incremental}, kill once $at passages changed)"
    echo "$what: exit $rc"
    # its build processes must not outlive it (they would go on writing):
    # each has died, or is dying of the SIGKILL its parent's death sends
    for k in $kids; do
        if running "$k"; then
            orphans=$((orphans + 1))
            kill -KILL "$k" 2>/dev/null
        fi
    done
    # a run that ended by itself succeeded (1: the binary file failed)
    case $rc in 0 | 1 | 137) ok ;; *) fail "$what: exit $rc: $(cat "$TMP/round.err")" ;; esac
    # The index opens: something found, or, until it has had passages,
    # nothing or no index yet (the kill came before the first build
    # committed, or, built aside, before it was complete); never another
    # error. Once it has had passages, no kill empties it: an interrupted
    # rebuild keeps the old index whole.
    if [ -e "$DB" ]; then
        run_q --db "$DB" -n 1 --no-spelling zzmark
        case $RC in
        0) ok; have_db=2 ;;
        1) [ "$have_db" -lt 2 ] && ok || fail "$what: the index is empty" ;;
        2) [ "$have_db" -lt 2 ] && [[ $ERR == *": no index there "* ]] && ok ||
            fail "$what: medquery exit $RC: $ERR" ;;
        *) fail "$what: medquery exit $RC: $ERR" ;;
        esac
    elif [ "$have_db" -gt 0 ]; then
        fail "$what: the index is gone"
    fi
    [ -e "$DB" ] && [ "$have_db" -eq 0 ] && have_db=1
    [ "$have_db" -gt 0 ] && check_index "$what"
done
echo "$rounds rounds: $kills killed mid-run, $finished finished first; $mutations corpus changes"
[ "$orphans" -eq 0 ] && ok || fail "$orphans build processes lived on after their medindex was killed"

# the last run repairs the rest, removing what killed runs left ...
run_i --db "$DB" --batch "$BATCH" "$C"
case $RC in 0 | 1) ok ;; *) fail "final run: exit $RC: $ERR" ;; esac
# (beside the index, or inside it: a generation the stub does not name)
left=$(cd "$TMP" && ls -d crash.db?* 2>/dev/null | tr '\n' ' ')
if [ -f "$DB/XAPIANDB" ]; then
    for d in "$DB"/gen-*; do
        [ -e "$d" ] && ! grep -qx "auto ${d##*/}" "$DB/XAPIANDB" && left="$left${d#"$TMP"/} "
    done
fi
[ -z "$left" ] && ok || fail "temporary databases of killed runs are still there: $left"
check_index "after the final run"
run_i --db "$DB" "$C"
expect_rc "then nothing to do (the binary file stays failed: exit 1)" 1
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
