# Concurrency: searches keep working while the index is rewritten, and a
# second indexer on the same index is refused (or waits, with --wait).
. "$(dirname "$0")/lib.sh"
snapshot_lexicon
N=1000
C=$TMP/c
DB=$TMP/c.db
gen_corpus "$C" "$N"
t0=$(date +%s%N)
"$MEDINDEX" -q --db "$DB" "$C" || fail "first build"
T=$((($(date +%s%N) - t0) / 1000000))
REF=$(passages "$DB")
echo "build of $N files: $T ms"

# ---- readers while the index is rebuilt, again and again ----
# The writer alternates a parallel --rebuild (built aside, swapped in) and a
# -j1 --rebuild (in place, batch by batch). Both loops are bounded in time:
# at least MIN seconds and 4 rebuilds, at most MAX seconds.
MIN=${MEDSEARCH_CONCURRENCY_SECONDS:-10}
MAX=$((MIN * 4))
t_begin=$(date +%s)
: >"$TMP/writer.log"
enough() {
    local el=$(($(date +%s) - t_begin))
    [ "$el" -ge "$MAX" ] || { [ "$el" -ge "$MIN" ] && [ "$(grep -c . "$TMP/writer.log")" -ge 4 ]; }
}
(
    i=0
    while ! enough; do
        i=$((i + 1))
        if [ $((i % 2)) -eq 0 ]; then j=-j1; else j=-j2; fi
        "$MEDINDEX" -q --db "$DB" --batch 50 "$j" --rebuild "$C" 2>>"$TMP/writer.err"
        echo "$j $?" >>"$TMP/writer.log"
    done
) &
WRITER=$!
queries=0 errors=0 found=0 none=0
: >"$TMP/reader.err"
while ! enough; do
    for q in 'headache fever' zzmark '"skin allergy"' 'cetirizin' 'uniq42 OR uniq900' 'drug:ibuprofen'; do
        "$MEDQUERY" --db "$DB" --format tsv -n 20 "$q" >/dev/null 2>"$TMP/q.err"
        rc=$?
        queries=$((queries + 1))
        case $rc in
        0) found=$((found + 1)) ;;
        1) none=$((none + 1)) ;;
        *)
            errors=$((errors + 1))
            echo "query '$q': exit $rc: $(cat "$TMP/q.err")" >>"$TMP/reader.err"
            ;;
        esac
    done
done
wait "$WRITER"
DURATION=$(($(date +%s) - t_begin))
rebuilds=$(grep -c . "$TMP/writer.log")
bad=$(grep -vc ' 0$' "$TMP/writer.log")
echo "$queries queries during $rebuilds rebuilds in $DURATION s: $found found, $none nothing, $errors errors"
[ "$errors" -eq 0 ] && ok || fail "$errors of $queries queries failed while the index was rebuilt:
$(sort "$TMP/reader.err" | uniq -c | sort -rn | head -5)"
[ "$queries" -ge 30 ] && ok || fail "only $queries queries ran"
[ "$rebuilds" -ge 4 ] && ok || fail "only $rebuilds rebuilds ran"
[ "$bad" -eq 0 ] && ok || fail "$bad rebuilds failed: $(head -3 "$TMP/writer.err")"
[ "$(passages "$DB")" = "$REF" ] && ok || fail "after the rebuilds: not the first build's passages"

# ---- a second indexer ----
# second_while DESC ARGS1 -- ARGS2: start medindex ARGS1, and while it runs,
# medindex ARGS2; the second's status in $RC, stderr in $ERR
second_while() {
    local desc=$1 a=() i
    shift
    while [ "$1" != -- ]; do
        a+=("$1")
        shift
    done
    shift
    "$MEDINDEX" -q --batch 50 "${a[@]}" "$C" 2>"$TMP/first.err" &
    FIRST=$!
    # until the first holds the index's write lock (/proc/locks lists the
    # lock file's inode); a new index has no lock file yet: a quarter of a run
    local db=${a[1]} ino="" i=0
    [ -e "$db/flintlock" ] && [ -r /proc/locks ] && ino=$(stat -c %i "$db/flintlock")
    if [ -n "$ino" ]; then
        while ! grep -qE "^[0-9]+: .* [0-9a-f]+:[0-9a-f]+:$ino " /proc/locks &&
            kill -0 "$FIRST" 2>/dev/null && [ $i -lt 3000 ]; do
            sleep 0.01
            i=$((i + 1))
        done
    else
        sleep "$(awk -v t="$T" 'BEGIN { printf "%.3f", t / 4000 }')"
    fi
    kill -0 "$FIRST" 2>/dev/null && ok || fail "$desc: the first indexer ended too soon to test"
    HELD=0
    [ -n "$ino" ] && grep -qE "^[0-9]+: .* [0-9a-f]+:[0-9a-f]+:$ino " /proc/locks && HELD=1
    run_i "$@" "$C"
    first_running=0
    kill -0 "$FIRST" 2>/dev/null && first_running=1
    i=0
    while kill -0 "$FIRST" 2>/dev/null && [ $i -lt 300 ]; do
        sleep 0.1
        i=$((i + 1))
    done
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
