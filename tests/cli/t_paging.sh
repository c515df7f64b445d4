# Paging is slices of one ranking: pages of -n 10 at --offset 0, 10, 20, 30
# put together are the -n 40 list; the first 10 of -n 100 are -n 10; scores
# never rise down the list and no passage comes twice.
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
done
finish
