# Drugs, symptoms and conditions through the real programs, on the small
# corpus of tests/fixtures/lexicon/corpus: field queries, brands, synonym
# expansion, snippets, facets, JSON entities, a user lexicon and the refusal
# of an index built with another lexicon.
. "$(dirname "$0")/lib.sh"
: "${FIXTURES:?}"
LEX="$FIXTURES/lexicon"
cp -r "$LEX/corpus" "$TMP/corpus"
DB="$TMP/lex.db"
"$MEDINDEX" -q --db "$DB" "$TMP/corpus" || fail "indexing the lexicon fixture corpus"

# sections SECTION... of the results in $OUT (JSON Lines), as path|section
found() { jq -r '.path + "|" + .section' <<<"$OUT"; }
expect_found() { # DESC PATH|SECTION
    if found | grep -qxF -- "$2"; then ok; else fail "$1: no $2 among
$(found)"; fi
}
expect_not_found() {
    if found | grep -qxF -- "$2"; then fail "$1: $2 found"; else ok; fi
}

# a brand finds the generic, named with its salt and dosage form
run_q --db "$DB" --format json -n 50 --per-article 0 drug:zyrtec
expect_rc "drug:zyrtec" 0
expect_found "drug:zyrtec finds cetirizine hydrochloride tablets" "skin/hand-bumps.txt|Urticaria"
expect_found "drug:zyrtec in the Markdown article" "skin/leg-lumps.md|Insect bite dermatitis"
[ "$(found | wc -l)" -eq 2 ] && ok || fail "drug:zyrtec finds only the cetirizine passages: $(found)"
# ... and the text of the corpus never says Zyrtec
grep -rqi zyrtec "$TMP/corpus" && fail "the fixture corpus names Zyrtec" || ok

# two fields: the passage with both ranks first; with + both must hold
run_q --db "$DB" --format json -n 50 --per-article 0 'drug:cetirizine symptom:itching'
expect_rc "drug:cetirizine symptom:itching" 0
[ "$(found | head -1)" = "skin/leg-lumps.md|Insect bite dermatitis" ] && ok ||
    fail "cetirizine with itchy bumps does not rank first: $(found)"
run_q --db "$DB" --format json -n 50 --per-article 0 '+drug:cetirizine +symptom:itching'
[ "$(found)" = "skin/leg-lumps.md|Insect bite dermatitis" ] && ok ||
    fail "+drug:cetirizine +symptom:itching: $(found)"

# highlighted SECTION: the highlighted words of $OUT's result in SECTION, a line each
highlighted() {
    local line snippet
    line=$(jq -c --arg s "$1" 'select(.section == $s)' <<<"$OUT")
    snippet=$(jq -r .snippet <<<"$line")
    jq -r '.highlights[] | "\(.[0]) \(.[1])"' <<<"$line" | while read -r s e; do
        printf '%s' "$snippet" | tail -c +"$((s + 1))" | head -c "$((e - s))"
        echo
    done
}

# a plain word expands to its synonyms: hives finds a passage that only says
# urticaria, and highlights that word in the snippet; --no-expand does not
run_q --db "$DB" --format json -n 50 --per-article 0 hives
expect_rc "hives" 0
expect_found "hives finds hives" "allergy/itch-relief.txt|Welts after a cold"
expect_found "hives finds urticaria" "skin/hand-bumps.txt|Urticaria"
marked=$(highlighted Urticaria)
grep -qx 'Urticaria' <<<"$marked" && ok || fail "hives: the snippet highlights not urticaria: '$marked'"
run_q --db "$DB" --format json -n 50 --per-article 0 --no-expand hives
expect_rc "hives --no-expand" 0
expect_found "hives --no-expand finds hives" "allergy/itch-relief.txt|Welts after a cold"
expect_not_found "hives --no-expand leaves urticaria" "skin/hand-bumps.txt|Urticaria"

# a brand as a plain word: Claritin finds loratadine and highlights it
run_q --db "$DB" --format json -n 50 --per-article 0 Claritin
expect_rc "Claritin" 0
expect_found "Claritin finds loratadine tablets" "skin/hand-bumps.txt|Urticaria"
expect_found "Claritin finds loratadine at bedtime" "skin/leg-lumps.md|Eczema"
marked=$(highlighted Urticaria)
grep -q '^loratadine' <<<"$marked" && ok || fail "Claritin: loratadine not highlighted: '$marked'"

# multi-word synonyms, both ways
run_q --db "$DB" --format json -n 50 --per-article 0 eczema
expect_found "eczema finds atopic dermatitis" "allergy/itch-relief.txt|Atopic dermatitis in children"
# ... and a multi-word name is highlighted as one piece
marked=$(highlighted "Atopic dermatitis in children")
grep -qx 'Atopic dermatitis' <<<"$marked" && ok ||
    fail "eczema: atopic dermatitis not highlighted as one piece: '$marked'"
run_q --db "$DB" --format json -n 50 --per-article 0 'atopic dermatitis'
expect_found "atopic dermatitis finds eczema" "skin/leg-lumps.md|Eczema"
run_q --db "$DB" --format json -n 50 --per-article 0 'condition:"atopic eczema"'
expect_found "condition:\"atopic eczema\" finds atopic dermatitis" \
    "allergy/itch-relief.txt|Atopic dermatitis in children"

# salt and dosage forms: the query's fexofenadine hydrochloride tablets is the
# drug fexofenadine, found under its brand Telfast
run_q --db "$DB" --format json -n 50 --per-article 0 'fexofenadine hydrochloride tablets'
expect_found "fexofenadine hydrochloride tablets finds Telfast" \
    "allergy/itch-relief.txt|Hay fever tablets"
run_q --db "$DB" --format json -n 50 --per-article 0 drug:mometasone
expect_found "drug:mometasone finds mometasone furoate cream" \
    "skin/leg-lumps.md|Insect bite dermatitis"
jq -e '.entities | index({"type": "drug", "name": "mometasone"})' <<<"$OUT" >/dev/null && ok ||
    fail "the entity of mometasone furoate cream is not the drug mometasone"

# a lay word finds the medical one
run_q --db "$DB" --format json -n 50 --per-article 0 itchy
expect_found "itchy finds pruritus" "allergy/older-skin.txt|Pruritus"
run_q --db "$DB" --format json -n 50 --per-article 0 --no-expand itchy
expect_not_found "itchy --no-expand leaves pruritus" "allergy/older-skin.txt|Pruritus"

# a drug the lexicon lacks, known by its INN ending and the cream after it
run_q --db "$DB" --format json -n 50 --per-article 0 drug:zorbetasone
expect_found "drug:zorbetasone (inferred)" "allergy/itch-relief.txt|A steroid the list lacks"

# JSON results list the entities of each passage, combinations as every ingredient
run_q --db "$DB" --format json -n 50 --per-article 0 drug:dexamethasone
expect_found "compound acetic acid dexamethasone cream" "skin/hand-bumps.txt|Eczema"
want='[{"type":"drug","name":"hydrocortisone"},{"type":"drug","name":"desonide"},{"type":"drug","name":"dexamethasone"},{"type":"condition","name":"atopic dermatitis"},{"type":"symptom","name":"blisters"},{"type":"symptom","name":"redness"},{"type":"symptom","name":"itching"}]'
jq -e --argjson w "$want" '. as $r | $w | all(. as $e | $r.entities | index([$e]))' <<<"$OUT" \
    >/dev/null && ok || fail "entities of the eczema passage: $(jq -c .entities <<<"$OUT")"
run_q --db "$DB" --format json -n 50 --per-article 0 'drug:"vitamin e"'
expect_found "urea-vitamin E cream is vitamin e" "skin/leg-lumps.md|Dry skin"
jq -e '.entities | index({"type": "drug", "name": "urea"})' <<<"$OUT" >/dev/null && ok ||
    fail "urea-vitamin E cream is not urea too: $(jq -c .entities <<<"$OUT")"
run_q --db "$DB" --format json -n 50 --per-article 0 'condition:PPP'
expect_found "condition:PPP" "skin/palm-pustules.txt|Signs"

# facets: counts of drugs, symptoms and conditions among the matches
run_q --db "$DB" --facets drug,symptom,condition -n 5 hives
expect_rc "--facets" 0
expect_out "drug facet" '^drug: cetirizine \(1\), .*loratadine \(1\)'
expect_out "symptom facet" '^symptom: .*hives \([0-9]+\)'
expect_out "condition facet" '^condition: urticaria \(2\)'
run_q --db "$DB" --facets drug,symptom,condition --format json -n 5 hives
jq -se 'map(select(has("facets")))[0].facets.condition | index({"name": "urticaria", "count": 2})' \
    <<<"$OUT" >/dev/null && ok || fail "JSON facets: $OUT"

# a user lexicon, given to both programs, adds a drug and its brand
run_q --db "$DB" --format json drug:calmora
expect_rc "an unknown brand finds nothing" 1
UDB="$TMP/user.db"
run_i -q --db "$UDB" --lexicon "$LEX/user.tsv" "$TMP/corpus"
expect_rc "medindex --lexicon" 0
run_q --db "$UDB" --lexicon "$LEX/user.tsv" --format json -n 50 --per-article 0 drug:calmora
expect_rc "medquery --lexicon" 0
expect_found "the user lexicon's brand finds its drug" "allergy/itch-relief.txt|A new cream"
jq -e '.entities | index({"type": "drug", "name": "velutrin"})' <<<"$OUT" >/dev/null && ok ||
    fail "velutrin is not an entity: $OUT"

# an index built with another lexicon is refused, both ways, saying how to rebuild
run_q --db "$UDB" drug:calmora
expect_rc "index with a user lexicon, query without" 2
expect_err "rebuild message" "medindex --rebuild"
run_q --db "$DB" --lexicon "$LEX/user.tsv" hives
expect_rc "index without a user lexicon, query with" 2
expect_err "rebuild message" "lexicon.*medindex --rebuild"
run_i -q --db "$UDB" "$TMP/corpus"
expect_rc "medindex into an index of another lexicon" 2
expect_err "medindex names --rebuild" "--rebuild"
run_i -q --db "$UDB" --rebuild "$TMP/corpus"
expect_rc "medindex --rebuild with the shipped lexicon" 0
run_q --db "$UDB" hives
expect_rc "the rebuilt index answers" 0

# a malformed user lexicon stops both programs with FILE:LINE: message
printf 'drug\tfoo\tclass=x\ndrugg\tbar\tclass=y\n' >"$TMP/bad.tsv"
run_i -q --db "$TMP/bad.db" --lexicon "$TMP/bad.tsv" "$TMP/corpus"
expect_rc "medindex with a malformed lexicon" 2
expect_err "medindex names file and line" "bad\.tsv:2: unknown kind 'drugg'"
run_q --db "$DB" --lexicon "$TMP/bad.tsv" hives
expect_rc "medquery with a malformed lexicon" 2
expect_err "medquery names file and line" "bad\.tsv:2: unknown kind 'drugg'"

# the compiled lexicon image: made by the first run, used by the next, and
# never trusted over the files: a changed file, a damaged or missing image,
# or no cache directory at all give the same answers
q='Zyrtec or claritin for hives and itchy skin?'
rm -rf "$XDG_CACHE_HOME"
run_q --db "$DB" --explain -f json -n 5 "$q"
first_out=$OUT first_err=$ERR
img=$(ls "$XDG_CACHE_HOME"/medsearch/lexicon-*.img 2>/dev/null | head -1)
[ -n "$img" ] && ok || fail "no lexicon image in $XDG_CACHE_HOME/medsearch"
run_q --db "$DB" --explain -f json -n 5 "$q"
[ "$OUT" = "$first_out" ] && [ "$ERR" = "$first_err" ] && ok || fail "answers from the image differ"
head -c 5000 "$img" >"$img.cut" && mv "$img.cut" "$img"
run_q --db "$DB" --explain -f json -n 5 "$q"
[ "$OUT" = "$first_out" ] && ok || fail "a truncated image changed the answers"
[ "$(stat -c %s "$img")" -gt 5000 ] && ok || fail "the damaged image was not replaced"
OUT=$(XDG_CACHE_HOME=/nonexistent/cache HOME=/nonexistent "$MEDQUERY" --db "$DB" -f json -n 5 "$q")
[ "$OUT" = "$first_out" ] && ok || fail "answers without a cache directory differ"
# a cache folder that others may write to is not used (a file planted there
# would be mapped and trusted), and neither is a symbolic link to one
chmod 777 "$XDG_CACHE_HOME/medsearch"
rm -f "$XDG_CACHE_HOME"/medsearch/lexicon-*
run_q --db "$DB" -f json -n 5 "$q"
[ "$OUT" = "$first_out" ] && ok || fail "answers with a cache folder others may write differ"
[ -z "$(ls "$XDG_CACHE_HOME/medsearch")" ] && ok ||
    fail "an image was written to a cache folder others may write: $(ls "$XDG_CACHE_HOME/medsearch")"
chmod 700 "$XDG_CACHE_HOME/medsearch"
mv "$XDG_CACHE_HOME/medsearch" "$TMP/real-cache"
ln -s "$TMP/real-cache" "$XDG_CACHE_HOME/medsearch"
run_q --db "$DB" -f json -n 5 "$q"
[ "$OUT" = "$first_out" ] && ok || fail "answers with a cache folder that is a link differ"
[ -z "$(ls "$TMP/real-cache")" ] && ok || fail "an image was written through a linked cache folder"
rm "$XDG_CACHE_HOME/medsearch"
mv "$TMP/real-cache" "$XDG_CACHE_HOME/medsearch"
# a lexicon file that changes (the index rebuilt with it): its new entry counts
cp "$LEX/user.tsv" "$TMP/user2.tsv"
run_i -q --db "$TMP/u2.db" --lexicon "$TMP/user2.tsv" "$TMP/corpus"
run_q --db "$TMP/u2.db" --lexicon "$TMP/user2.tsv" -f json -n 5 drug:calmora
expect_rc "user lexicon, first run" 0
printf 'drug\tzorbexamine\tclass=test drug\tbrand=Zorbexa\n' >>"$TMP/user2.tsv"
run_i -q --db "$TMP/u2.db" --rebuild --lexicon "$TMP/user2.tsv" "$TMP/corpus"
run_q --db "$TMP/u2.db" --lexicon "$TMP/user2.tsv" --explain -n 1 'zorbexa'
expect_err "a changed lexicon file is read again" "entity: drug zorbexamine"
finish
