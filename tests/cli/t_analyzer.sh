# The analyzer's rules, through the real programs: every spelling of a word
# finds the text that has another spelling of it, and highlights land on
# the exact bytes of the original text.
. "$(dirname "$0")/lib.sh"
cp -r "$FIXTURES/analyzer" "$TMP/corpus"
DB="$TMP/db"
"$MEDINDEX" -q --db "$DB" "$TMP/corpus" || fail "indexing the analyzer fixtures"

# finds QUERY FILE [HIGHLIGHT]: the top result of QUERY is in FILE, and its
# snippet highlights HIGHLIGHT (bytes of the original text)
finds() {
    run_q --db "$DB" -f json -n 1 --no-spelling -- "$1"
    if [ "$RC" -ne 0 ]; then fail "'$1' found nothing ($ERR)"; return; fi
    local path; path=$(jq -r .path <<<"$OUT")
    [ "$path" = "$2" ] && ok || fail "'$1' found $path, want $2"
    [ -n "${3:-}" ] || return 0
    local got # highlights are byte ranges: cut them with tail/head, not jq
    got=$(jq -r '.snippet' <<<"$OUT" >"$TMP/snip"; for r in $(jq -r '.highlights[]|"\(.[0]):\(.[1])"' <<<"$OUT"); do
        s=${r%%:*}; e=${r##*:}; tail -c +"$((s + 1))" "$TMP/snip" | head -c "$((e - s))"; echo; done)
    grep -qxF -- "$3" <<<"$got" && ok || fail "'$1' highlighted [$(tr '\n' '|' <<<"$got")], want '$3'"
}

finds 'café' nfd.txt $'cafe\xcc\x81'
finds 'cafe' nfd.txt $'cafe\xcc\x81'
finds 'fibrosis' ligature.txt $'\xef\xac\x81brosis'
finds 'h1 blocker' fullwidth.txt $'\xef\xbc\xa8\xef\xbc\x91'
finds "sjogren's" accents.txt $'Sj\xc3\xb6gren\xe2\x80\x99s'
finds 'sjögren' accents.txt $'Sj\xc3\xb6gren\xe2\x80\x99s'
finds 'crohn' accents.txt $'Crohn\xe2\x80\x99s'
finds "crohn's disease" accents.txt
finds 'anti-inflammatory' doses.txt
finds '"anti inflammatory"' doses.txt
finds 'inflammatory' doses.txt
finds 'antihistamine' fullwidth.txt
finds '"urea vitamin e"' doses.txt
finds '0.1%' doses.txt '0.1%'
finds '2.5' doses.txt '2.5'
finds '"1,25-dihydroxyvitamin d3"' doses.txt
finds 'fluorouracil' doses.txt
finds '5-fluorouracil' doses.txt
finds 'covid-19' doses.txt
finds '正规' cjk.txt '正规'
finds '"hepatitis a"' accents.txt
finds '"not contagious"' accents.txt

# both spellings of a dose find both passages (10mg in one, 10 mg in the other)
for q in 10mg '"10 mg"'; do
    run_q --db "$DB" -f json -n 10 "$q"
    [ "$(jq -r .path <<<"$OUT" | sort -u | tr '\n' ' ')" = "doses.txt fullwidth.txt " ] && ok ||
        fail "$q finds $(jq -r .path <<<"$OUT" | tr '\n' ' ')"
done

# sinusitis never meets sinus pain
run_q --db "$DB" -f json -n 10 sinusitis
[ "$(jq -r .path <<<"$OUT" | sort -u)" = "sinusitis.txt" ] && ok ||
    fail "sinusitis finds $(jq -r .path <<<"$OUT" | tr '\n' ' ')"

# an emoji is no word: searching for it finds nothing
run_q --db "$DB" '😀'
expect_rc "emoji query" 1
finish
