# Spelling never makes a correct word wrong, and says what it did: a brand
# the lexicon knows is not "corrected" into another word; a name written
# with a capital inside a sentence is left alone; a corrected drug finds its
# brands and generics; "did you mean" is the query as typed with each
# correction in its place, so that running it searches the same.
. "$(dirname "$0")/lib.sh"
corpus_db

# brands of the lexicon: no correction, and rogaine finds minoxidil
for w in rogaine sudafed advil zyrtec claritin; do
    run_q --db "$DB" -f trec -n 3 "$w"
    [ "$RC" -le 1 ] && ok || fail "$w: exit $RC ($ERR)"
    printf '%s\n' "$ERR" | grep -q 'did you mean' && fail "$w corrected: $ERR" || ok
done
run_q --db "$DB" -f json -n 1 rogaine
[ "$(jq -r .path <<<"$OUT")" = "derma-clinic/hair-loss.html" ] && ok ||
    fail "rogaine does not find the minoxidil passage: $OUT"

# a misspelt drug: corrected, and then tagged and expanded like the drug
run_q --db "$DB" --explain -f trec -n 5 'ceterizine 10 mg tablets'
expect_err "did you mean: the whole query, the correction in place" '^medquery: did you mean: cetirizine 10 mg tablets$'
expect_err "the corrected drug is recognised" '^medquery: entity: drug cetirizine$'
corrected=$OUT
run_q --db "$DB" -f trec -n 5 'cetirizine 10 mg tablets'
[ "$(cut -d' ' -f3 <<<"$OUT")" = "$(cut -d' ' -f3 <<<"$corrected")" ] && ok ||
    fail "running the did-you-mean query does not find what the corrected one found"
run_q --db "$DB" -f trec '"hay fever" ceterizine'
expect_err "a phrase stays in the did-you-mean query" '^medquery: did you mean: "hay fever" cetirizine$'
run_q --db "$DB" -f trec 'lorratadine'
expect_err "lorratadine" '^medquery: did you mean: loratadine$'

# a misspelt brand the corpus never names is corrected from the lexicon,
# and finds its generic
run_q --db "$DB" --explain -f json -n 3 zyrtek
expect_err "zyrtek: corrected from the lexicon" '^medquery: did you mean: zyrtec$'
expect_err "zyrtek: the generic is searched" '^medquery: entity: drug cetirizine$'
expect_rc "zyrtek finds cetirizine" 0
[ -n "$(jq -r .snippet <<<"$OUT" | grep -i cetirizine)" ] && ok || fail "zyrtek does not find cetirizine: $OUT"

# a drug name with a typo in its first letter, or three edits in a long
# name, is corrected from the lexicon
run_q --db "$DB" -f trec koratadine
expect_err "a typo in the first letter" '^medquery: did you mean: loratadine$'
run_q --db "$DB" -f trec 'hydrokortisoan cream'
expect_err "three edits in a long name" '^medquery: did you mean: hydrocortisone cream$'

# a capitalised word inside a sentence is a name: not corrected; the same
# word in lower case, or opening the query, is
run_q --db "$DB" -f trec 'what did doctor migrane say'
expect_err "migrane in lower case" '^medquery: did you mean: what did doctor migraine say$'
run_q --db "$DB" -f trec 'what did Doctor Migrane say'
printf '%s\n' "$ERR" | grep -q 'did you mean' && fail "a capitalised name was corrected: $ERR" || ok
run_q --db "$DB" -f trec 'Migrane aura'
expect_err "a capital opening the query is no name" '^medquery: did you mean: migraine aura$|^medquery: did you mean: Migraine aura$'
# words of the English and medical word lists are never corrected, even
# when the index lacks them; without the lists they are
run_q --db "$DB" -f trec phytotherapy
printf '%s\n' "$ERR" | grep -q 'did you mean' && fail "phytotherapy corrected: $ERR" || ok
printf 'phytotherapy\n' >"$TMP/words"
MEDSEARCH_DICTIONARIES=$TMP/words run_q --db "$DB" -f trec phytotherapy
printf '%s\n' "$ERR" | grep -q 'did you mean' && fail "phytotherapy corrected with a list of one word: $ERR" || ok
MEDSEARCH_DICTIONARIES=/nonexistent run_q --db "$DB" -f trec phytotherapy
expect_err "without the word lists, spelling corrects it" '^medquery: did you mean: phototherapy$'
finish
