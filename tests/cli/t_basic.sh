# The first end-to-end search: index the bundled corpus and query it.
. "$(dirname "$0")/lib.sh"
corpus_db

run_q --db "$DB" cetirizine
expect_rc "a word found" 0
expect_out "cetirizine names its passage" "cetirizine"
expect_out "text format: rank, title and section" "^1\. .+"
expect_out "text format: path:line and score" "^   [a-z-]+/[^ ]+:[0-9]+  score [0-9.]+"

run_q --db "$DB" zzzqqqxxy
expect_rc "nothing found" 1
[ -z "$OUT" ] && ok || fail "no output when nothing is found"

run_q --db "$TMP/missing.db" cetirizine
expect_rc "missing index" 2
expect_err "missing index message" "^medquery: .*missing.db: no index there"

run_q --db "$DB" --format yaml cetirizine
expect_rc "bad format" 2
expect_err "bad format message" "unknown format 'yaml'"

# phrases are exact: every result holds the words in that order
run_q --db "$DB" --format json -n 50 '"mometasone furoate cream"'
expect_rc "phrase found" 0
n=$(printf '%s\n' "$OUT" | wc -l)
bad=0
while IFS= read -r line; do
    path=$(jq -r .path <<<"$line"); s=$(jq -r .start <<<"$line"); e=$(jq -r .end <<<"$line")
    tail -c +"$((s + 1))" "$TMP/corpus/$path" | head -c "$((e - s))" | tr '\n' ' ' |
        grep -qiE 'mometasone[[:space:]]+furoate[[:space:]]+cream' || bad=$((bad + 1))
done <<<"$OUT"
[ "$bad" -eq 0 ] && ok || fail "$bad of $n phrase results lack the exact phrase"
run_q --db "$DB" -n 50 '"furoate mometasone"'
expect_rc "phrase in the wrong order matches nothing" 1

# JSON Lines: every field, and start/end bytes that hold the passage
run_q --db "$DB" --format json -n 5 cetirizine
expect_rc "json found" 0
check "json lines parse" jq -e . <<<"$OUT" >/dev/null
for f in qid rank score path article title section start end line snippet highlights entities; do
    jq -e "has(\"$f\")" <<<"$(head -1 <<<"$OUT")" >/dev/null && ok || fail "json field $f"
done
while IFS= read -r line; do
    path=$(jq -r .path <<<"$line"); s=$(jq -r .start <<<"$line"); e=$(jq -r .end <<<"$line")
    l=$(jq -r .line <<<"$line")
    tail -c +"$((s + 1))" "$TMP/corpus/$path" | head -c "$((e - s))" | grep -qi cetirizine &&
        ok || fail "bytes $s..$e of $path lack the matched word"
    # the line number is the line of byte start
    want=$(head -c "$s" "$TMP/corpus/$path" | wc -l)
    [ "$l" -eq "$((want + 1))" ] && ok || fail "line $l of $path:$s, want $((want + 1))"
done <<<"$OUT"

# boolean operators
run_q --db "$DB" --format json -n 100 'loratadine AND cetirizine'
both=$(jq -r '.path + ":" + (.start|tostring)' <<<"$OUT" | sort)
run_q --db "$DB" --format json -n 100 'loratadine NOT cetirizine'
expect_rc "NOT finds passages" 0
notc=$(jq -r '.path + ":" + (.start|tostring)' <<<"$OUT" | sort)
[ -z "$(comm -12 <(echo "$both") <(echo "$notc"))" ] && ok || fail "AND and NOT results overlap"
run_q --db "$DB" --format json -n 100 'loratadine OR cetirizine'
any=$(printf '%s\n' "$OUT" | wc -l)
[ "$any" -ge "$(echo "$both" | wc -l)" ] && ok || fail "OR finds fewer than AND"

# re-indexing replaces instead of duplicating
run_q --db "$DB" --format tsv -n 1000 cream
before=$(printf '%s\n' "$OUT" | wc -l)
"$MEDINDEX" -q --db "$DB" --rebuild "$TMP/corpus"
"$MEDINDEX" -q --db "$DB" "$TMP/corpus"
touch "$TMP"/corpus/*/*
"$MEDINDEX" -q --db "$DB" "$TMP/corpus"
run_q --db "$DB" --format tsv -n 1000 cream
after=$(printf '%s\n' "$OUT" | wc -l)
[ "$before" -eq "$after" ] && ok || fail "re-indexing changed the result count: $before -> $after"
dups=$(printf '%s\n' "$OUT" | cut -f4,8 | sort | uniq -d | wc -l)
[ "$dups" -eq 0 ] && ok || fail "duplicate passages after re-indexing"
finish
