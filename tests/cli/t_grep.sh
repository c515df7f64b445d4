# What grep users reach for (issue #26): -c counts the matching passages,
# -l lists the matching files once each in rank order, per query in a batch,
# the same on a sharded index as on a single one.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_shards.sh"
shards_setup # $DB (single), $SH (2 shards) of the bundled corpus

# ---- -c / --count ----
run_q --db "$DB" -f json -n 10000 --no-spelling itching
all=$(grep -c . <<<"$OUT")
run_q --db "$DB" -c --no-spelling itching
expect_rc "-c with matches" 0
[ "$OUT" = "$all" ] && ok || fail "-c itching: '$OUT', but $all passages are listed"
run_q --db "$DB" --count --no-spelling zzzqqqxxy
expect_rc "-c with no match: 1, as grep -c" 1
[ "$OUT" = "0" ] && ok || fail "-c of no match: '$OUT'"
run_q --db "$DB" -c -f json --no-spelling itching
[ "$(jq -c . <<<"$OUT")" = "{\"qid\":\"1\",\"matches\":$all,\"exact\":true}" ] && ok ||
    fail "-c -f json: $OUT"
run_q --db "$DB" -c -f tsv --no-spelling itching
[ "$OUT" = $'qid\tmatches\texact\n'"1	$all	true" ] && ok || fail "-c -f tsv: $OUT"
# past what is counted exactly (10,000), the estimate, said to be one: 24,000
# one-passage files, two thirds holding alpha, four fifths beta, 12,800 both
mkdir -p "$TMP/big"
awk -v dir="$TMP/big" 'BEGIN { for (i = 0; i < 24000; i++) {
    f = sprintf("%s/a%05d.txt", dir, i)
    printf "Note %d\n\nzzcommon%s%s word %d.\n", i, (i % 3 ? " alpha" : ""), (i % 5 ? " beta" : ""), i >f
    close(f) } }'
"$MEDINDEX" -q -j 2 --db "$TMP/big.db" "$TMP/big" || fail "indexing 24,000 files"
run_q --db "$TMP/big.db" -c --no-spelling 'alpha AND beta'
expect_rc "-c past the exact count" 0
expect_out "-c says when it is an estimate" '^about [0-9]+$'
run_q --db "$TMP/big.db" -c -f json --no-spelling 'alpha AND beta'
[ "$(jq -r .exact <<<"$OUT")" = false ] && [ "$(jq -r .matches <<<"$OUT")" -gt 10000 ] && ok ||
    fail "-c -f json past the exact count: $OUT"
# where Xapian knows it (one word, or under 10,000), exact
run_q --db "$TMP/big.db" -c --no-spelling alpha
[ "$OUT" = 16000 ] && ok || fail "-c of one word in a large index: $OUT"
run_q --db "$TMP/big.db" -c --no-spelling 'alpha NOT beta'
[ "$OUT" = 3200 ] && ok || fail "-c of 3,200 matches: $OUT"

# ---- -l / --files-with-matches: the files of --per-article 1, in order ----
run_q --db "$DB" -f json -n 10000 --per-article 1 --no-spelling itching
ranked=$(jq -r .path <<<"$OUT" | awk '!seen[$0]++')
run_q --db "$DB" -l -n 10000 --no-spelling itching
expect_rc "-l" 0
[ "$OUT" = "$ranked" ] && ok || fail "-l is not the files of the results, once each, in rank order:
$OUT
want:
$ranked"
run_q --db "$DB" --files-with-matches -n 3 --no-spelling itching
[ "$OUT" = "$(head -3 <<<"$ranked")" ] && ok || fail "-l -n 3 is not the first 3 files: $OUT"
run_q --db "$DB" -l -n 3 -f json --no-spelling itching
[ "$(jq -r '[.qid, .rank, .path] | @tsv' <<<"$OUT")" = "$(head -3 <<<"$ranked" | awk '{ print "1\t" NR "\t" $0 }')" ] &&
    ok || fail "-l -f json: $OUT"
run_q --db "$DB" -l -n 3 -f tsv --no-spelling itching
[ "$OUT" = "$(printf 'qid\trank\tpath\n'; head -3 <<<"$ranked" | awk '{ print "1\t" NR "\t" $0 }')" ] &&
    ok || fail "-l -f tsv: $OUT"
run_q --db "$DB" -l --no-spelling zzzqqqxxy
expect_rc "-l with no match" 1
[ -z "$OUT" ] && ok || fail "-l of no match printed: $OUT"

# ---- what does not go together: one line, exit 2 ----
run_q --db "$DB" -c -l itching
expect_rc "-c -l" 2
expect_err "-c -l named" "^medquery: give -c \(--count\) or -l \(--files-with-matches\), not both$"
run_q --db "$DB" -c --facets drug itching
expect_rc "-c --facets" 2
run_q --db "$DB" -l -f trec itching
expect_rc "-l -f trec" 2
expect_err "-l -f trec named" "^medquery: -f trec lists ranked passages only: no -c or -l$"

# ---- in a batch: a line (text) or an object (json) a query, in order ----
printf 'q1\titching\nq2\tzzzqqqxxy\nq3\tcetirizine\n' >"$TMP/batch"
run_q --db "$DB" -c --no-spelling --batch "$TMP/batch"
expect_rc "-c --batch" 0
n3=$("$MEDQUERY" --db "$DB" -c --no-spelling cetirizine)
[ "$OUT" = "[q1] itching: $all"$'\n'"[q2] zzzqqqxxy: 0"$'\n'"[q3] cetirizine: $n3" ] && ok ||
    fail "-c --batch: $OUT"
run_q --db "$DB" -c -f json -j 2 --no-spelling --batch "$TMP/batch"
[ "$(jq -r '[.qid, .matches, .exact] | @tsv' <<<"$OUT")" = "q1	$all	true
q2	0	true
q3	$n3	true" ] && ok || fail "-c -f json --batch: $OUT"
run_q --db "$DB" -l -n 2 --no-spelling --batch "$TMP/batch"
[ "$OUT" = "[q1] itching
$(head -2 <<<"$ranked")

[q2] zzzqqqxxy
   (nothing found)

[q3] cetirizine
$("$MEDQUERY" --db "$DB" -l -n 2 --no-spelling cetirizine)" ] && ok || fail "-l --batch: $OUT"

# ---- a sharded index answers as the single one ----
for q in itching cetirizine 'rash NOT itching'; do
    [ "$("$MEDQUERY" --db "$SH" -c --no-spelling "$q")" = "$("$MEDQUERY" --db "$DB" -c --no-spelling "$q")" ] &&
        ok || fail "-c '$q' differs on 2 shards"
    [ "$("$MEDQUERY" --db "$SH" -l -n 100 --no-spelling "$q")" = "$("$MEDQUERY" --db "$DB" -l -n 100 --no-spelling "$q")" ] &&
        ok || fail "-l '$q' differs on 2 shards"
done
run_q --db "$SH" -c -f json --no-spelling --batch "$TMP/batch"
[ "$(jq -r .matches <<<"$OUT" | tr '\n' ' ')" = "$all 0 $n3 " ] && ok || fail "-c --batch on shards: $OUT"
finish
