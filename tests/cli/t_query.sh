# The query language, question handling, spelling, collapsing, every output
# format, batch mode and exit codes, through the real medquery.
. "$(dirname "$0")/lib.sh"
corpus_db

paths() { jq -r '.path' <<<"$OUT" | sort -u; }
# how many result passages (their bytes in the file) match the extended regex $1
count_matching() {
    local n=0 line path s e
    while IFS= read -r line; do
        [ -n "$line" ] || continue
        path=$(jq -r .path <<<"$line"); s=$(jq -r .start <<<"$line"); e=$(jq -r .end <<<"$line")
        tail -c +"$((s + 1))" "$TMP/corpus/$path" | head -c "$((e - s))" | tr '\n' ' ' |
            grep -qiE -- "$1" && n=$((n + 1))
    done <<<"$OUT"
    echo "$n"
}
all_passages_match() { [ "$(count_matching "$1")" -eq "$(grep -c . <<<"$OUT")" ]; }
no_passage_matches() { [ "$(count_matching "$1")" -eq 0 ]; }

# --- words, AND, OR, NOT, +, -, parentheses
run_q --db "$DB" -f json -n 100 '+loratadine +cetirizine'
expect_rc "+a +b" 0
# (one article writes cetirizine in full-width letters, which NFKC folds)
CET='(cetirizine|ｃｅｔｉｒｉｚｉｎｅ)'
check "+a +b: every passage has both" all_passages_match "loratadine.*$CET|$CET.*loratadine"
run_q --db "$DB" -f json -n 100 'loratadine -cetirizine'
expect_rc "a -b" 0
check "a -b: no passage has b" no_passage_matches 'cetirizine'
run_q --db "$DB" -f json -n 100 '(loratadine OR cetirizine) AND tablets'
expect_rc "parentheses" 0
check "parentheses: each passage has tablets and a drug" all_passages_match 'tablet'

# --- phrases: the words in this order, matched by stem ("tablet" finds
# "tablets", which is all the corpus writes)
run_q --db "$DB" -f json -n 100 '"loratadine tablet"'
expect_rc "phrase" 0
check "phrase words in order" all_passages_match 'loratadine[[:space:]]+tablets?'
[ "$(count_matching 'loratadine[[:space:]]+tablets')" -gt 0 ] && ok ||
    fail "phrase: \"loratadine tablet\" did not find \"loratadine tablets\""
run_q --db "$DB" '"tablets loratadine"'
expect_rc "phrase words out of order" 1

# --- NEAR/n
run_q --db "$DB" -f json -n 100 'itching NEAR/3 night'
expect_rc "NEAR/3" 0
run_q --db "$DB" --strict 'itching NEAR/0 night'
expect_rc "NEAR/0 is a syntax error in strict mode" 2
expect_err "strict message" "query syntax"

# --- fields
run_q --db "$DB" -f json -n 100 'title:psoriasis'
expect_rc "title:" 0
bad=$(jq -r .title <<<"$OUT" | grep -vic psoria)
[ "$bad" -eq 0 ] && ok || fail "title: results whose title lacks the word: $bad"
run_q --db "$DB" -f json -n 100 'section:treatment'
expect_rc "section:" 0
bad=$(jq -r .section <<<"$OUT" | grep -vic treat)
[ "$bad" -eq 0 ] && ok || fail "section: results whose heading lacks the word: $bad"
# a field phrase: the words in this order, in the title or the heading
run_q --db "$DB" -f json -n 100 'title:"big toe"'
expect_rc "title phrase" 0
bad=$(jq -r .title <<<"$OUT" | grep -vic 'big toe')
[ "$bad" -eq 0 ] && ok || fail "title phrase: results whose title lacks it: $bad"
run_q --db "$DB" -f json -n 100 'section:"future attacks"'
expect_rc "section phrase" 0
bad=$(jq -r .section <<<"$OUT" | grep -vic 'future attacks')
[ "$bad" -eq 0 ] && ok || fail "section phrase: results whose heading lacks it: $bad"
run_q --db "$DB" 'title:"toe big"'
expect_rc "title phrase, words out of order" 1
# a number has no stem: its field term is the number as written
run_q --db "$DB" -f json -n 100 'title:2'
expect_rc "title: a number" 0
bad=$(jq -r .title <<<"$OUT" | grep -vcw 2)
[ "$bad" -eq 0 ] && ok || fail "title:2: results whose title lacks 2: $bad"
run_q --db "$DB" -f json -n 100 'fever source:healthnotes'
expect_rc "source:" 0
[ "$(paths | grep -vc '^healthnotes/')" -eq 0 ] && ok || fail "source: let other sources through"
run_q --db "$DB" -f json -n 100 'drug:zyrtec'
expect_rc "drug: by brand" 0
check "drug:zyrtec finds cetirizine" all_passages_match "$CET|zyrtec"
run_q --db "$DB" -f json -n 100 'symptom:pruritus'
expect_rc "symptom:" 0
run_q --db "$DB" -f json -n 100 'condition:"atopic dermatitis"'
expect_rc "condition: phrase" 0

# --- wildcard
run_q --db "$DB" -f json -n 100 'loratad*'
expect_rc "wildcard" 0
check "wildcard matches loratadine" all_passages_match 'loratad'
# a pattern longer than its stem ("diabetes" stems to "diabet")
run_q --db "$DB" -f json -n 100 'diabetes*'
expect_rc "wildcard past the stem" 0
OUT=$(jq -c 'select(.title | test("diabet"; "i") | not)' <<<"$OUT") # the others match by title
[ -n "$OUT" ] && ok || fail "diabetes*: found only passages of diabetes articles"
check "wildcard matches diabetes" all_passages_match 'diabet'

# --- operators only where meant
run_q --db "$DB" --explain -n 3 'I do NOT have a fever but my skin itches at night, what could it be?'
expect_rc "NOT inside a sentence is a word, not a negation" 0
expect_err "read as a question" "read as a question"
run_q --db "$DB" -n 3 '(itching AND'
expect_rc "malformed syntax falls back to words" 0
run_q --db "$DB" --strict -n 3 '(itching AND'
expect_rc "strict syntax error" 2
expect_err "strict error message" "^medquery: query syntax: "

# --- natural-language questions
run_q --db "$DB" --explain -f json -n 8 \
    'Hi, my son has had itchy bumps on his hands for 2 weeks, what can I use?'
expect_rc "pasted question" 0
expect_err "question type found" "question type: treatment"
expect_err "symptom recognised" "entity: symptom"
check "question finds hand bumps" grep -qi 'hand' <<<"$(jq -r '.title + " " + .snippet' <<<"$OUT")"
run_q --db "$DB" --explain -f json -n 1 'what causes hives'
expect_err "a heading that fits the question type counts" "^medquery: #1 .*heading fit [1-9]"
check "first answer under a causes heading" grep -qiE 'cause|trigger|risk' <<<"$(jq -r .section <<<"$OUT")"

# --- spelling
run_q --db "$DB" -f json -n 5 ceterizine
expect_rc "misspelling corrected" 0
expect_err "did you mean" "did you mean: cetirizine"
check "results name the corrected word" all_passages_match 'cetirizine'
jq -e 'has("did_you_mean")' <<<"$(head -1 <<<"$OUT")" >/dev/null && ok || fail "json did_you_mean"
run_q --db "$DB" --no-spelling ceterizine
expect_rc "no spelling: nothing found" 1
run_q --db "$DB" -n 3 '10 mg'
[ -z "$(grep 'did you mean' <<<"$ERR")" ] && ok || fail "a dose was 'corrected'"
# a word whose stem the index holds, but rarely, next to a far more frequent
# close stem: corrected unless the index writes the word so
mkdir -p "$TMP/spell"
for i in $(seq 1 12); do
    printf 'Migraine diary %s\n\nA migraine can last for hours.\n' "$i" >"$TMP/spell/m$i.txt"
done
printf 'Lyme disease\n\nA rash called erythema migrans spreads from the bite.\n' >"$TMP/spell/lyme.txt"
"$MEDINDEX" -q --db "$TMP/spell.db" "$TMP/spell" || fail "indexing the spelling corpus"
run_q --db "$TMP/spell.db" -f json -n 20 migrane
expect_err "a misspelling that stems like a rare word" "did you mean: migraine$"
[ "$(jq -r .path <<<"$OUT" | grep -c '^m')" -eq 12 ] && ok ||
    fail "migrane: the migraine passages not found: $OUT"
run_q --db "$TMP/spell.db" -f json -n 20 migrans
expect_rc "a rare word" 0
[ -z "$(grep 'did you mean' <<<"$ERR")" ] && ok || fail "migrans was 'corrected': $ERR"
[ "$(jq -r .path <<<"$OUT")" = lyme.txt ] && ok || fail "migrans: $OUT"
# in a batch, the index words listed for one correction serve the later
# ones (same first letter or not): each answer as when asked alone
spell_qs=(ceterizine eczma 'cetirizine creme' loratadne ceterizine)
printf '%s\n' "${spell_qs[@]}" >"$TMP/spell.txt"
run_q --db "$DB" --batch "$TMP/spell.txt" -j 1 -f json -n 1
for i in "${!spell_qs[@]}"; do
    alone=$("$MEDQUERY" --db "$DB" -f json -n 1 "${spell_qs[$i]}" 2>/dev/null | jq -r .did_you_mean)
    got=$(jq -r "select(.qid == \"$((i + 1))\") | .did_you_mean" <<<"$OUT")
    [ "$got" = "$alone" ] && ok || fail "batch spelling of '${spell_qs[$i]}': '$got', alone '$alone'"
done
[ "$(jq -r .did_you_mean <<<"$OUT" | grep -c 'cetirizine')" -eq 2 ] && ok ||
    fail "batch spelling: ceterizine corrected twice expected: $OUT"

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
for q in itching cetirizine loratadine; do
    printf '%s\t%s\n' "$q" "$q" >&"${MQ[1]}"
    if read -r -t 20 line <&"${MQ[0]}" && [[ $line == "$q Q0 "* ]]; then
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
finish
