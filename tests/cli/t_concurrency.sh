# Concurrency: searches keep working while the index is rewritten, and a
# second indexer on the same index is refused (or waits, with --wait).
. "$(dirname "$0")/lib.sh"
snapshot_lexicon
N=1000
C=$TMP/c
DB=$TMP/c.db
gen_corpus "$C" "$N"
"$MEDINDEX" -q --db "$DB" "$C" || fail "first build"
REF=$(passages "$DB")

# ---- readers while the index is written, again and again ----
# The writer runs ROUNDS runs in turn: a parallel --rebuild and a -j1
# --rebuild (each builds a new generation and switches to it), an
# incremental run that commits edits of 50 files in batches, and a
# --compact run after the run that puts them back. Readers query the whole
# time; not one query may fail. Bounded by count: the readers go on until
# the writer is done, however long that takes.
ROUNDS=${MEDSEARCH_CONCURRENCY_ROUNDS:-24}
mkdir -p "$TMP/orig"
cp -p "$C"/s3/doc*.txt "$TMP/orig/"
: >"$TMP/writer.log"
(
    for i in $(seq 1 "$ROUNDS"); do
        case $((i % 4)) in
        1) args=(-j2 --rebuild) ;;
        2) args=(-j1 --rebuild) ;;
        3) # edits, committed 10 files at a time
            for f in "$C"/s3/doc*.txt; do echo "zzmark edited $i." >>"$f"; done
            args=(--batch 10)
            ;;
        0) # back as they were, then compacted
            cp "$TMP/orig/"* "$C/s3/"
            args=(--batch 10 --compact)
            ;;
        esac
        "$MEDINDEX" -q --db "$DB" --batch 50 "${args[@]}" "$C" 2>>"$TMP/writer.err"
        echo "${args[*]} $?" >>"$TMP/writer.log"
    done
) &
WRITER=$!
queries=0 errors=0 found=0 none=0
: >"$TMP/reader.err"
while kill -0 "$WRITER" 2>/dev/null; do
    for q in 'headache fever' zzmark '"skin allergy"' 'cetirizin' 'uniq42 OR uniq900' 'drug:ibuprofen'; do
        "$MEDQUERY" --db "$DB" --format tsv -n 20 "$q" >/dev/null 2>"$TMP/q.err"
        rc=$?
        queries=$((queries + 1))
        case $rc in
        0) found=$((found + 1)) ;;
        1)
            none=$((none + 1))
            echo "query '$q': found nothing ($(tail -1 "$TMP/writer.log"))" >>"$TMP/reader.err"
            ;;
        *)
            errors=$((errors + 1))
            echo "query '$q': exit $rc: $(cat "$TMP/q.err")" >>"$TMP/reader.err"
            ;;
        esac
    done
done
wait "$WRITER"
runs=$(grep -c . "$TMP/writer.log")
bad=$(grep -vc ' 0$' "$TMP/writer.log")
echo "$queries queries during $runs runs of medindex: $found found, $none nothing, $errors errors"
[ "$errors" -eq 0 ] && ok || fail "$errors of $queries queries failed while the index was written:
$(sort "$TMP/reader.err" | uniq -c | sort -rn | head -5)"
[ "$none" -eq 0 ] && ok || fail "$none of $queries queries found nothing while the index was written:
$(sort "$TMP/reader.err" | uniq -c | sort -rn | head -5)"
[ "$runs" -eq "$ROUNDS" ] && ok || fail "only $runs of $ROUNDS runs of medindex ended"
[ "$bad" -eq 0 ] && ok || fail "$bad runs of medindex failed: $(head -3 "$TMP/writer.err")"
[ "$(passages "$DB")" = "$REF" ] && ok || fail "after the runs: not the first build's passages"
[ "$(cd "$DB" && ls -d gen-* | wc -l)" -eq 1 ] && ok || fail "generations left behind: $(ls "$DB")"

# ---- a second indexer ----
# second_while DESC ARGS1 -- ARGS2: start medindex ARGS1, and while it runs,
# medindex ARGS2; the second's status in $RC, stderr in $ERR
second_while() {
    local desc=$1 a=()
    shift
    while [ "$1" != -- ]; do
        a+=("$1")
        shift
    done
    shift
    "$MEDINDEX" -q --batch 50 "${a[@]}" "$C" 2>"$TMP/first.err" &
    FIRST=$!
    # until the first holds the index's writers' lock (an open file
    # description lock on DB/lock, which /proc/locks lists by inode)
    local db=${a[1]}
    while ! lock_held "$db" && kill -0 "$FIRST" 2>/dev/null; do
        sleep 0.01
    done
    kill -0 "$FIRST" 2>/dev/null && ok || fail "$desc: the first indexer ended too soon to test"
    HELD=0
    lock_held "$db" && HELD=1
    run_i "$@" "$C"
    first_running=0
    kill -0 "$FIRST" 2>/dev/null && first_running=1
    wait "$FIRST"
    FIRST_RC=$?
}
second_while "during a -j1 --rebuild" --db "$DB" -j1 --rebuild -- --db "$DB"
[ "$HELD" -eq 1 ] && ok || fail "the first indexer did not hold the lock when the second started"
expect_rc "second indexer during a -j1 --rebuild" 2
expect_err "second indexer: message" "^medindex: $DB: locked by another indexer \(wait for it, or use --wait\)$"
[ "$first_running" -eq 1 ] && ok || fail "the second indexer did not answer at once"
[ "$FIRST_RC" -eq 0 ] && ok || fail "the first indexer failed: $(cat "$TMP/first.err")"

second_while "during a parallel --rebuild" --db "$DB" --rebuild -- --db "$DB" -j1
expect_rc "second indexer during a parallel --rebuild" 2
expect_err "second indexer: message" "locked by another indexer"
second_while "a parallel --rebuild during another" --db "$DB" --rebuild -- --db "$DB" --rebuild
expect_rc "second parallel --rebuild" 2
expect_err "second parallel --rebuild: message" "locked by another indexer"
[ "$FIRST_RC" -eq 0 ] && ok || fail "the first indexer failed: $(cat "$TMP/first.err")"

rm -rf "$TMP/new.db"
second_while "two fresh builds of one new index" --db "$TMP/new.db" -- --db "$TMP/new.db"
expect_rc "second fresh build of one new index" 2
expect_err "second fresh build: message" "locked by another indexer"
[ "$(passages "$TMP/new.db")" = "$REF" ] && ok || fail "two fresh builds: not the clean passages"

# --wait: the second, started while the first holds the lock, waits for it,
# then does its work (the lock makes "it did not wait" impossible to miss:
# it would have failed)
second_while "--wait" --db "$DB" -j1 --rebuild -- --db "$DB" --wait
[ "$HELD" -eq 1 ] && ok || fail "--wait: the first indexer did not hold the lock when the second started"
expect_rc "--wait: the second succeeds" 0
[ "$FIRST_RC" -eq 0 ] && ok || fail "--wait: the first indexer failed: $(cat "$TMP/first.err")"
[ "$(passages "$DB")" = "$REF" ] && ok || fail "after --wait: not the clean passages"
second_while "--wait --rebuild" --db "$DB" --rebuild -- --db "$DB" --wait --rebuild
[ "$HELD" -eq 1 ] && ok || fail "--wait --rebuild: the first indexer did not hold the lock when the second started"
expect_rc "--wait --rebuild: the second succeeds" 0
[ "$(passages "$DB")" = "$REF" ] && ok || fail "after --wait --rebuild: not the clean passages"
finish
