# Words in queries through the real medquery: wildcards, natural-language
# questions and spelling ("did you mean"). (t_query_syntax: operators,
# phrases, fields.)
. "$(dirname "$0")/lib.sh"
corpus_db

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
# two types in one question, matched by their stems ("treated")
run_q --db "$DB" --explain -n 1 'what causes hives and how is it treated'
expect_err "both question types kept" "question type: treatment\+causes|question type: causes\+treatment"
# a pasted message: greeting, sign-off, phone and e-mail are not searched,
# and a word written twice is searched once
run_q --db "$DB" --explain -n 3 'Dear Dr Whitfield, my hands itch at night, the itch wakes me. What can I use? Kind regards, Maria Kowalska, tel. 555-014-2277, maria.k@example.org. Sent from my iPhone'
expect_rc "pasted message" 0
q=$(grep 'xapian query' <<<"$ERR")
for w in whitfield maria kowalska 555 example iphone regard; do
    grep -qi "$w" <<<"$q" && fail "the message's '$w' is searched: $q" || ok
done
grep -q 'Zhand' <<<"$q" && ok || fail "the question's words are not searched: $q"
[ "$(grep -o 'Zitch\b' <<<"$q" | wc -l)" -eq 1 ] && ok || fail "'itch' written twice is searched twice: $q"
# "best" opens no sign-off, and a question without a greeting keeps its first words
run_q --db "$DB" --explain -n 1 'best way to treat acne without a prescription'
grep 'xapian query' <<<"$ERR" | grep -q 'Zacn' && ok || fail "'best way to treat acne' lost its words: $ERR"
# an abbreviation in capitals whose stem is another word's (EDS, ed) finds
# where it is written so first; in lower case it is a word as any other
A="$TMP/abbrev.db"
"$MEDINDEX" -q --db "$A" "$FIXTURES/abbrev" || fail "indexing the abbreviations fixture"
run_q --db "$A" -f json -n 2 EDS
[ "$(jq -r .path <<<"$OUT" | head -1)" = raregenes/ehlers-danlos.md ] && ok ||
    fail "EDS did not find the Ehlers-Danlos article first: $(jq -r .path <<<"$OUT" | tr '\n' ' ')"
run_q --db "$A" --explain -n 2 eds
grep 'xapian query' <<<"$ERR" | grep -q 'Query(Zed)' && ok || fail "lower-case eds is not its stem: $ERR"

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

# negation: a symptom or condition the question says is absent is not
# searched as wanted, and --explain says so; the rest of the question is
run_q --db "$DB" --explain -f json -n 3 'I do NOT have a fever but my throat hurts'
expect_err "fever negated" "^medquery: negated, not searched: fever$"
printf '%s\n' "$ERR" | grep -q 'xapian query: .*fever' && fail "fever still searched: $ERR" || ok
[ -z "$(jq -r '.title + " " + .section' <<<"$OUT" | grep -i fever)" ] && ok ||
    fail "fever passages rank first: $(jq -r .title <<<"$OUT" | tr '\n' '|')"
run_q --db "$DB" --explain -f json -n 3 'my child has a fever and no rash'
expect_err "rash negated" "^medquery: negated, not searched: rash$"
expect_err "fever still wanted" "^medquery: entity: symptom fever$"
run_q --db "$DB" --explain -f json -n 3 'itching, no fever'
expect_err "a comma does not end a scope before it" "^medquery: entity: symptom itching$"
finish
