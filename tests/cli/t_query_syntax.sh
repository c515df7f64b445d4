# The query language through the real medquery: words, AND, OR, NOT, +, -,
# parentheses, phrases, NEAR, fields, and operators only where meant.
# (t_query_words: wildcards, questions, spelling; t_query_output: formats,
# batch mode, exit codes.)
. "$(dirname "$0")/lib.sh"
corpus_db

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

# --- operators only where meant
run_q --db "$DB" --explain -n 3 'I do NOT have a fever but my skin itches at night, what could it be?'
expect_rc "NOT inside a sentence is a word, not a negation" 0
expect_err "read as a question" "read as a question"
run_q --db "$DB" -n 3 '(itching AND'
expect_rc "malformed syntax falls back to words" 0
run_q --db "$DB" --strict -n 3 '(itching AND'
expect_rc "strict syntax error" 2
expect_err "strict error message" "^medquery: query syntax: "

# after the first query word, "-word" is the query's exclusion, not an
# unknown option; options written alone or with a number still count
run_q --db "$DB" --explain -f trec asthma -smoking
expect_rc "asthma -smoking" 0
expect_err "asthma -smoking: smoking excluded" "xapian query: .*AND_NOT Zsmoke"
run_q --db "$DB" -f trec fever -n 2
[ "$(grep -c . <<<"$OUT")" -eq 2 ] && ok || fail "fever -n 2: $(grep -c . <<<"$OUT") results"
run_q --db "$DB" -f trec fever -n2
[ "$(grep -c . <<<"$OUT")" -eq 2 ] && ok || fail "fever -n2: $(grep -c . <<<"$OUT") results"
run_q --db "$DB" --explain -f trec -n 1 fever -nausea
expect_err "fever -nausea: nausea excluded, not -n" "xapian query: .*AND_NOT Znausea"
run_q --db "$DB" -smoking asthma
expect_rc "an unknown option before the query is an error" 2
expect_err "it is named" "unknown option '-s'"
run_q --db "$DB" --explain -f trec -- -smoking asthma
expect_rc "-- ends the options" 0
expect_err "-- ends the options: smoking excluded" "xapian query: .*AND_NOT Zsmoke"

# section: and title: restrict the results, as documented
run_q --db "$DB" -f tsv -n 20 section:treatment eczema
expect_rc "section:treatment eczema" 0
[ -z "$(tail -n +2 <<<"$OUT" | cut -f7 | grep -vi treat)" ] && ok ||
    fail "section:treatment lets in other sections: $(tail -n +2 <<<"$OUT" | cut -f7 | sort -u | tr '\n' '|')"
run_q --db "$DB" -f tsv -n 20 title:psoriasis itching
expect_rc "title:psoriasis itching" 0
[ -z "$(tail -n +2 <<<"$OUT" | cut -f6 | grep -vi psoriasis)" ] && ok ||
    fail "title:psoriasis lets in other titles: $(tail -n +2 <<<"$OUT" | cut -f6 | sort -u | tr '\n' '|')"
# a name: that is no field is said, and refused with --strict
run_q --db "$DB" -f trec lang:en eczema
expect_rc "an unknown field is read as words" 0
expect_err "and said" "^medquery: unknown field 'lang:', read as words \(fields: title, section, source, drug, symptom, condition, path\)$"
run_q --db "$DB" --strict -f trec date:2024 eczema
expect_rc "an unknown field with --strict" 2
expect_err "the reason" "^medquery: query syntax: unknown field 'date:'"
run_q --db "$DB" -f trec 'what is eczema? Note:it itches'
printf '%s\n' "$ERR" | grep -q 'unknown field' && fail "a question's colon taken for a field: $ERR" || ok
# NEAR takes words written as several (a unit, a hyphen) and phrases
for q in 'loratadine NEAR/2 10mg' 'cetirizine NEAR/5 "10 mg"' 'amlodipine NEAR/5 "10 mg"'; do
    run_q --db "$DB" -f json -n 5 --strict "$q"
    expect_rc "$q" 0
    [ -z "$(jq -r .snippet <<<"$OUT" | grep -v '10')" ] && ok || fail "$q: a passage without 10: $OUT"
done
run_q --db "$DB" -f trec -n 50 'loratadine NEAR/2 10mg'
near=$(grep -c . <<<"$OUT")
run_q --db "$DB" -f trec -n 50 'loratadine AND 10mg'
[ "$near" -le "$(grep -c . <<<"$OUT")" ] && ok || fail "NEAR finds more than AND"
# an entity field the lexicon lacks is said, and searched as words
run_q --db "$DB" --explain -f trec condition:heart
expect_rc "condition:heart" 0
expect_err "condition:heart is said" "^medquery: condition:heart: not in the lexicon, searched as words$"
printf '%s\n' "$ERR" | grep -q '^medquery: entity: condition heart' && fail "condition:heart shown as recognised: $ERR" || ok
run_q --db "$DB" --strict -f trec condition:heart
expect_rc "condition:heart with --strict" 2
finish
