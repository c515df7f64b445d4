# Paging is slices of one ranking: pages of -n 10 at --offset 0, 10, 20, 30
# put together are the -n 40 list; the first 10 of -n 100 are -n 10; scores
# never rise down the list and no section comes twice (a long section cut
# into several passages shows its best one).
. "$(dirname "$0")/lib.sh"
corpus_db
for q in 'itchy skin rash' 'headache fever' 'eczema treatment' 'dry skin in winter' \
    'what causes hives' 'zyrtec or claritin for hay fever?'; do
    pages=$(for o in 0 10 20 30; do "$MEDQUERY" --db "$DB" -f trec -n 10 --offset "$o" "$q" 2>/dev/null; done)
    long=$("$MEDQUERY" --db "$DB" -f trec -n 40 "$q" 2>/dev/null)
    [ -n "$long" ] && [ "$pages" = "$long" ] && ok ||
        fail "'$q': pages of 10 differ from -n 40:
$(diff <(echo "$long") <(echo "$pages") | head -6)"
    first=$("$MEDQUERY" --db "$DB" -f trec -n 10 "$q" 2>/dev/null)
    hundred=$("$MEDQUERY" --db "$DB" -f trec -n 100 "$q" 2>/dev/null)
    [ "$first" = "$(head -10 <<<"$hundred")" ] && ok || fail "'$q': -n 10 is not the top of -n 100"
    awk '{ if (NR > 1 && $5 > last) bad = 1; last = $5 } END { exit bad }' <<<"$hundred" && ok ||
        fail "'$q': scores rise within -n 100"
    [ -z "$(cut -d' ' -f3 <<<"$hundred" | sort | uniq -d)" ] && ok || fail "'$q': a passage twice in -n 100"
    twice=$("$MEDQUERY" --db "$DB" -f json -n 100 "$q" 2>/dev/null | jq -r '[.path, .section] | @tsv' |
        sort | uniq -d)
    [ -z "$twice" ] && ok || fail "'$q': a section twice in -n 100: $twice"
done

# A section long enough to be cut into two passages: each part is found by
# a word of its own, but a query both match shows the section once, and
# pages of one result are still slices of the list.
S="$TMP/sections.db"
"$MEDINDEX" -q --db "$S" "$FIXTURES/sections" || fail "indexing the sections fixture"
first=$("$MEDQUERY" --db "$S" -f json -n 1 aciclovir 2>/dev/null | jq -r '"\(.section) \(.start)"')
second=$("$MEDQUERY" --db "$S" -f json -n 1 pharmacist 2>/dev/null | jq -r '"\(.section) \(.start)"')
[ "${first% *}" = Treatment ] && [ "${second% *}" = Treatment ] && [ "$first" != "$second" ] && ok ||
    fail "the fixture's Treatment section is not two passages: '$first', '$second'"
run_q --db "$S" -f json -n 10 'shingles antiviral treatment'
n=$(jq -r 'select(.path == "clinic/shingles.md" and .section == "Treatment") | .start' <<<"$OUT" | wc -l)
[ "$n" -eq 1 ] && ok || fail "the Treatment section of shingles.md shown $n times in -n 10"
pages=$(for o in 0 1 2 3 4; do "$MEDQUERY" --db "$S" -f trec -n 1 --offset "$o" 'shingles antiviral treatment' 2>/dev/null; done)
long=$("$MEDQUERY" --db "$S" -f trec -n 5 'shingles antiviral treatment' 2>/dev/null)
[ -n "$long" ] && [ "$pages" = "$long" ] && ok || fail "pages of one differ from -n 5:
$(diff <(echo "$long") <(echo "$pages") | head -6)"
finish
