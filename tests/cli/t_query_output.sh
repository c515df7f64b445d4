# Output of medquery: collapsing per article, every output format, offset
# and limit, batch mode (also with workers and as a coprocess), proximity
# and exit codes. (t_query_syntax: the query language and spelling.)
. "$(dirname "$0")/lib.sh"
corpus_db

# --- collapse per article
run_q --db "$DB" -f json -n 50 --per-article 1 itching
expect_rc "per-article 1" 0
[ "$(jq -r .article <<<"$OUT" | sort | uniq -d | wc -l)" -eq 0 ] && ok ||
    fail "--per-article 1 returned two passages of one article"
run_q --db "$DB" -f json -n 50 --per-article 0 itching
[ "$(jq -r .article <<<"$OUT" | sort | uniq -d | wc -l)" -gt 0 ] && ok ||
    fail "without a limit some article should give several passages"

# --- output formats
run_q --db "$DB" -f json -n 5 'itchy rash'
while IFS= read -r line; do
    snip=$(jq -r .snippet <<<"$line")
    for r in $(jq -r '.highlights[] | "\(.[0]):\(.[1])"' <<<"$line"); do
        s=${r%%:*}; e=${r##*:}
        frag=$(printf '%s' "$snip" | tail -c +"$((s + 1))" | head -c "$((e - s))")
        grep -qiE '^(itch|rash|prur|urtic|erupt|scratch)' <<<"$frag" && ok ||
            fail "highlight [$s,$e) is '$frag', not a matched form"
    done
done <<<"$OUT"
run_q --db "$DB" -f tsv -n 3 itching
expect_out "tsv header" "^qid	rank	score	path	article	title	section	start	end	line	snippet$"
[ "$(tail -n +2 <<<"$OUT" | awk -F'\t' 'NF != 11' | wc -l)" -eq 0 ] && ok || fail "tsv columns"
run_q --db "$DB" -f trec -n 3 itching
[ "$(grep -cvE '^1 Q0 [^ ]+:[0-9]+ [0-9]+ [0-9.]+ medsearch$' <<<"$OUT")" -eq 0 ] && ok ||
    fail "trec lines: $OUT"
run_q --db "$DB" --color always -n 1 itching
expect_out "--color always bolds" $'\033\\[1m'
run_q --db "$DB" --color never -n 1 itching
expect_no_out "--color never" $'\033'
OUT=$(NO_COLOR=1 "$MEDQUERY" --db "$DB" -n 1 itching)
expect_no_out "NO_COLOR" $'\033'
run_q --db "$DB" -f json --snippet-words 5 -n 1 itching
words=$(jq -r .snippet <<<"$OUT" | wc -w)
[ "$words" -le 6 ] && ok || fail "--snippet-words 5 gave $words words"
run_q --db "$DB" --facets drug,symptom -n 5 'itchy rash cream'
expect_out "facets: symptoms counted" "^symptom: .+\([0-9]+\)"
run_q --db "$DB" --facets bogus itching
expect_rc "unknown facet" 2
# -n 0 --facets: only the facets, and found is exit 0
run_q --db "$DB" --facets symptom -n 0 'itchy rash'
expect_rc "-n 0 --facets with facets found" 0
expect_out "-n 0 --facets prints the facets" "^symptom: "
run_q --db "$DB" --facets symptom -n 0 zzzqqqxxy
expect_rc "-n 0 --facets with nothing found" 1
# JSON facet keys come in the order asked, whichever is most frequent
for kinds in condition,drug,symptom symptom,condition,drug drug,symptom; do
    run_q --db "$DB" -f json --facets "$kinds" -n 0 'itchy rash cream'
    [ "$(jq -r '.facets | keys_unsorted | join(",")' <<<"$OUT")" = "$kinds" ] && ok ||
        fail "JSON facet keys for --facets $kinds: $(jq -c '.facets | keys_unsorted' <<<"$OUT")"
done

# --- offset and limit
run_q --db "$DB" -f json -n 4 itching
first4=$(jq -r '.path + ":" + (.start|tostring)' <<<"$OUT")
run_q --db "$DB" -f json -n 2 --offset 2 itching
next2=$(jq -r '.path + ":" + (.start|tostring)' <<<"$OUT")
[ "$next2" = "$(tail -2 <<<"$first4")" ] && ok || fail "--offset 2 -n 2 is not results 3-4"
[ "$(jq -r .rank <<<"$OUT" | head -1)" -eq 3 ] && ok || fail "ranks count the offset"

# --- batch
printf 'q1\tcetirizine\nq2\tzzzqqqxxy\n\nq3\tloratadine tablets\n' >"$TMP/batch"
printf 'bad\000line\tx\n' >>"$TMP/batch"
printf 'plain query without id\n' >>"$TMP/batch"
run_q --db "$DB" --batch "$TMP/batch" -f json -n 2
expect_rc "batch with some hits" 0
[ "$(jq -r .qid <<<"$OUT" | sort -u | tr '\n' ' ')" = "6 q1 q3 " ] && ok ||
    fail "batch qids: $(jq -r .qid <<<"$OUT" | sort -u | tr '\n' ' ')"
expect_err "bad batch line reported" "batch:5: NUL byte"
OUT=$(printf 'q1\tcetirizine\n' | "$MEDQUERY" --db "$DB" --batch - -f trec -n 1)
expect_out "batch from stdin" "^q1 Q0 "
run_q --db "$DB" --batch "$TMP/nope"
expect_rc "missing batch file" 2

# parallel workers (-j) answer in input order: every format, messages on
# stderr included, equals one worker, query by query
: >"$TMP/many"
n=0
for w in itching cetirizine 'what causes eczema' zzzqqqxxy 'loratadine tablets' ceterizine \
    'hives treatment' 'fever in children' 'drug:ibuprofen' 'migraine NEAR/5 aura'; do
    for i in 1 2 3; do printf 'q%s.%s\t%s\n' "$((++n))" "$i" "$w" >>"$TMP/many"; done
done
printf 'bad\000line\n' >>"$TMP/many"
for f in text json tsv trec; do
    "$MEDQUERY" --db "$DB" --batch "$TMP/many" -f "$f" -n 3 --explain -j 1 \
        >"$TMP/j1.out" 2>"$TMP/j1.err"
    rc1=$?
    "$MEDQUERY" --db "$DB" --batch "$TMP/many" -f "$f" -n 3 --explain -j 4 \
        >"$TMP/j4.out" 2>"$TMP/j4.err"
    rc4=$?
    check "-j 4 $f output equals -j 1" cmp -s "$TMP/j1.out" "$TMP/j4.out"
    check "-j 4 $f messages equal -j 1" cmp -s "$TMP/j1.err" "$TMP/j4.err"
    [ "$rc1" -eq 0 ] && [ "$rc4" -eq 0 ] && ok || fail "-j $f: exit $rc1 / $rc4"
    [ "$f" != tsv ] || check "tsv header once" test "$(grep -c '^qid' "$TMP/j4.out")" -eq 1
done
run_q --db "$DB" --batch "$TMP/many" -j 0
expect_rc "--jobs 0" 2
# a script can send a query and read its answer before sending the next
coproc MQ { "$MEDQUERY" --db "$DB" --batch - -f trec -n 1 -j 2; }
# bash unsets MQ_PID as soon as the coprocess exits: keep it now
mq_pid=$MQ_PID
answers=0
# (an answer held back until the input ends would block the read: the
# timeout only turns that hang into a failure, far above a query's time)
for q in itching cetirizine loratadine; do
    printf '%s\t%s\n' "$q" "$q" >&"${MQ[1]}"
    if read -r -t 300 line <&"${MQ[0]}" && [[ $line == "$q Q0 "* ]]; then
        answers=$((answers + 1))
    fi
done
exec {MQ[1]}>&-
wait "$mq_pid"
[ "$answers" -eq 3 ] && ok || fail "interactive batch: $answers of 3 answers read back in turn"

# answers and messages keep their order when stdout and stderr are one file
# (stdout is written in large blocks, so it is flushed before a message)
printf 'itching\n\377\tcetirizine\nloratadine\n' >"$TMP/mixed"
"$MEDQUERY" --db "$DB" --batch "$TMP/mixed" -f trec -n 1 >"$TMP/mixed.out" 2>&1
order=$(cut -c1-12 "$TMP/mixed.out" | tr '\n' '|')
[[ $order == "1 Q0 "*"|medquery: "*"|3 Q0 "*"|" ]] && ok || fail "batch output order: $order"

# --- proximity: two passages with the same words score the same BM25; the
# one where the query's words stand together ranks first, and --explain says why
mkdir -p "$TMP/prox"
fill='one two three four five six seven eight nine ten'
printf 'Seasonal notes\n\nPollen garden hose %s %s season.\n' "$fill" "$fill" >"$TMP/prox/a.txt"
printf 'Seasonal notes\n\nPollen garden %s %s hose season.\n' "$fill" "$fill" >"$TMP/prox/b.txt"
"$MEDINDEX" -q --db "$TMP/prox.db" "$TMP/prox"
run_q --db "$TMP/prox.db" --explain -f json -n 2 'garden hose'
[ "$(jq -r .path <<<"$OUT" | tr '\n' ' ')" = "a.txt b.txt " ] && ok ||
    fail "proximity order: $(jq -r .path <<<"$OUT" | tr '\n' ' ')"
expect_err "explain: together" "^medquery: #1 score .*bm25 .*, proximity 1.00$"
expect_err "explain: apart" "^medquery: #2 score .*bm25 .*, proximity 0.00$"
b1=$(grep -o 'bm25 [0-9.]*' <<<"$ERR" | sort -u | wc -l)
[ "$b1" -eq 1 ] && ok || fail "proximity fixtures differ in BM25"

# --- exit codes and usage errors
run_q --db "$DB"
expect_rc "no query" 2
run_q --db "$DB" --limit x itching
expect_rc "bad --limit" 2
expect_err "bad --limit message" "--limit must be a whole number"
run_q --db "$DB" '!!! ???'
expect_rc "only punctuation" 1
run_q --db "$DB" 'the of and'
[ "$RC" -ne 2 ] && ok || fail "only stopwords is not an error"
run_q --db "$DB" "$(head -c 10000 /dev/zero | tr '\0' 'a')"
[ "$RC" -ne 2 ] && ok || fail "10,000-character query failed: $ERR"
# a word whose stem does not begin as it does ("lying" stems to "lie") is
# highlighted like any other
mkdir -p "$TMP/hl"
printf 'Lying down\n\nLying flat after a meal can bring on heartburn. Tying shoes hurts.\n' >"$TMP/hl/a.txt"
"$MEDINDEX" -q --db "$TMP/hl.db" "$TMP/hl"
run_q --db "$TMP/hl.db" -f json lie tie
[ "$(jq -r '.highlights as $h | .snippet as $s | [$h[] | $s[.[0]:.[1]]] | join(",")' <<<"$OUT")" = "Lying,Tying" ] &&
    ok || fail "lying and tying are not highlighted: $OUT"
# a batch in text says which query each block answers, also when nothing
# was found; its notes carry the line; an empty qid is the line number
printf 'q1\titching\nzzqqxxnothing\n\tceterizine\n' >"$TMP/tb"
run_q --db "$DB" --batch "$TMP/tb" -n 1
expect_rc "a batch in text" 0
[ "$(grep -c '^\[' <<<"$OUT")" -eq 3 ] && ok || fail "batch text: not one line per query: $OUT"
expect_out "the first query's line" '^\[q1\] itching$'
expect_out "a query with nothing found" '^\[2\] zzqqxxnothing$'
expect_out "nothing found, said" '^   \(nothing found\)$'
expect_out "an empty qid: the line number" '^\[3\] ceterizine$'
expect_err "did you mean names its line" "^medquery: $TMP/tb:3: did you mean: cetirizine$"
run_q --db "$DB" --batch "$TMP/tb" -n 1 -f trec
[ -z "$(awk 'NF != 6' <<<"$OUT")" ] && ok || fail "TREC lines of other than 6 fields: $OUT"
expect_out "TREC: the empty qid is the line number" '^3 Q0 '
# --no-expand keeps to the words as written, in the highlights too
run_q --db "$DB" -f json -n 5 hives
[ -n "$(jq -r '.highlights as $h | .snippet as $s | $h[] | $s[.[0]:.[1]]' <<<"$OUT" | grep -ixE 'welts?|urticaria')" ] &&
    ok || fail "hives: its synonyms are not highlighted"
run_q --db "$DB" -f json -n 5 --no-expand hives
[ -z "$(jq -r '.highlights as $h | .snippet as $s | $h[] | $s[.[0]:.[1]]' <<<"$OUT" | grep -ivx 'hives\|hive')" ] &&
    ok || fail "--no-expand hives highlights other words: $(jq -c .highlights <<<"$OUT" | tr '\n' ' ')"
# a phrase matches by stem, and is highlighted so: "sore throats" marks
# "sore throat" whole
run_q --db "$DB" -f json -n 3 '"sore throats"'
jq -r '.highlights as $h | .snippet as $s | $h[] | $s[.[0]:.[1]]' <<<"$OUT" | grep -qx 'throat' && ok ||
    fail "\"sore throats\" does not highlight throat: $(jq -c .highlights <<<"$OUT" | tr '\n' ' ')"
finish
