# Articles as their authors wrote them: declared character sets, the site a
# page comes from, ISO dates with the written form kept, spans through the
# final punctuation, the closing part of numbered articles, and the title
# of a Markdown file that has no heading.
. "$(dirname "$0")/lib.sh"
FX="$SRC/tests/fixtures/articles"
C="$TMP/c"
mkdir -p "$C/riverside-gp"
cp "$FX"/latin1_sjogren.html "$FX"/cp1252_meniere.html "$FX"/xmldecl_cafe_au_lait.xhtml \
    "$FX"/cp1252_undefined_byte.html \
    "$FX"/dated_month_day.txt "$FX"/dated_updated.txt "$FX"/dated_iso.txt \
    "$FX"/dated_front_matter.md "$FX"/numbered_sections.txt "$FX"/byline_colon_sections.txt \
    "$FX"/no_heading.md "$FX"/morning-stiffness-notes.md "$C/"
cp "$FX"/rosacea_clinic.html "$C/riverside-gp/"
DB="$TMP/a.db"
run_i --db "$DB" "$C"
expect_rc "index the articles" 0
if printf '%s\n' "$ERR" | grep -q "invalid UTF-8"; then fail "declared charsets read as UTF-8: $ERR"; else ok; fi

# q WORDS...: search, results in JSON (whole passages as snippets) in $OUT
q() { run_q --db "$DB" -f json -n 50 --snippet-words 1000 "$@"; }
# field PATH JQ: a field of the first result in $OUT from file PATH
field() { jq -r --arg p "$1" "select(.path == \$p) | $2" <<<"$OUT" | head -1; }
# is DESC GOT WANT
is() { if [ "$2" = "$3" ]; then ok; else fail "$1: got '$2', want '$3'"; fi; }

# ---- character sets: iso-8859-1, windows-1252 (http-equiv), an XML declaration
q sjogren
is "iso-8859-1 title" "$(field latin1_sjogren.html .title)" "Sjögren syndrome"
q meniere
is "windows-1252 title" "$(field cp1252_meniere.html .title)" "Ménière’s disease"
q cochlear symptoms
field cp1252_meniere.html .snippet | grep -q '“cochlear symptoms”' && ok ||
    fail "windows-1252 quotes: $(field cp1252_meniere.html .snippet)"
q cafe au lait
is "XML declaration title" "$(field xmldecl_cafe_au_lait.xhtml .title)" "Café-au-lait spots"
q laser sessions
field xmldecl_cafe_au_lait.xhtml .snippet | grep -q '150 €' && ok || fail "iso-8859-15 euro sign"

# a byte windows-1252 does not define (0x81) does not end the page
q podiatrist diabetes
is "the page goes on after an undefined byte" "$(field cp1252_undefined_byte.html .title)" Chilblains

# span FILE CHARSET: the bytes of the last result of FILE in $OUT, as UTF-8
span() {
    local s e
    s=$(jq -r --arg p "$1" 'select(.path == $p) | .start' <<<"$OUT" | head -1)
    e=$(jq -r --arg p "$1" 'select(.path == $p) | .end' <<<"$OUT" | head -1)
    tail -c +"$((s + 1))" "$C/$1" | head -c "$((e - s))" | iconv -f "$2" -t UTF-8
}
# spans are offsets into the file on disk: the words are there in its charset
q hydroxychloroquine
span latin1_sjogren.html ISO-8859-1 | grep -q "pilocarpine, which helps" && ok ||
    fail "iso-8859-1 span: $(span latin1_sjogren.html ISO-8859-1)"
q named swedish eye doctor
span latin1_sjogren.html ISO-8859-1 | grep -q "Henrik Sjögren" && ok ||
    fail "iso-8859-1 span with the name: $(span latin1_sjogren.html ISO-8859-1)"

# ---- spans end with the passage's final punctuation, in every format
# ends FILE CHARSET: the last character of the span is the snippet's
ends() {
    local want got
    want=$(jq -s -j --arg p "$1" 'map(select(.path == $p))[0].snippet' <<<"$OUT" | tail -c 1)
    got=$(span "$1" "$2" | sed -e 's/[[:space:]]*$//' | tr -d '\n' | tail -c 1)
    if [ -n "$want" ] && [ "$want" = "$got" ]; then ok; else
        fail "span of $1 ends '$got', the text '$want': $(span "$1" "$2" | tail -c 60)"; fi
}
q biopsy lip antibodies
ends latin1_sjogren.html ISO-8859-1
q licensing authority attacks
ends cp1252_meniere.html WINDOWS-1252 # "24&nbsp;hours."
span cp1252_meniere.html WINDOWS-1252 | grep -q "24&nbsp;hours\.$" && ok ||
    fail "span ends at '24&nbsp;hours.': $(span cp1252_meniere.html WINDOWS-1252 | tail -c 40)"
q brimonidine sunscreen
ends riverside-gp/rosacea_clinic.html UTF-8
q salicylic verrucas
ends dated_iso.txt UTF-8
q heatstroke ambulance
ends dated_front_matter.md UTF-8

# ---- source: og:site_name, application-name, the title's suffix, the folder
q sjogren
is "og:site_name" "$(field latin1_sjogren.html .source)" "Rheuma Notes"
q meniere
is "application-name" "$(field cp1252_meniere.html .source)" "EarWell"
q cafe au lait
is "title suffix" "$(field xmldecl_cafe_au_lait.xhtml .source)" "Skin Atlas"
q rosacea
is "site folder" "$(field riverside-gp/rosacea_clinic.html .source)" "riverside-gp"
is "title without suffix" "$(field riverside-gp/rosacea_clinic.html .title)" "Rosacea"
run_q --db "$DB" -f json 'source:"skin atlas"'
is "source: selects the page" "$(paths | tr '\n' ' ')" "xmldecl_cafe_au_lait.xhtml "
run_q --db "$DB" -f json 'source:earwell vertigo'
is "source: application-name" "$(paths | tr '\n' ' ')" "cp1252_meniere.html "
# the bundled clinic's titles end "| Derma Clinic Kaunas"
corpus_db
run_q --db "$DB" -f json -n 100 'source:"derma clinic kaunas" eczema'
expect_rc "derma-clinic by its title suffix" 0
[ "$(paths | grep -vc '^derma-clinic/')" -eq 0 ] && ok || fail "source: derma-clinic: $(paths)"
jq -e 'select(.title | test("Derma Clinic"))' <<<"$OUT" >/dev/null && fail "suffix left in a title" || ok
# and their dates are ISO, the byline's extra text gone
jq -e 'select(.date_text | test("reviewed"))' <<<"$OUT" >/dev/null && fail "byline text in date_text" || ok
jq -e 'select(.date | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}$") | not)' <<<"$OUT" >/dev/null &&
    fail "a date that is not ISO: $(jq -r .date <<<"$OUT" | sort -u | tr '\n' ' ')" || ok
DB="$TMP/a.db"

# ---- dates: ISO in date, as written in date_text
dates() { # FILE QUERY DATE DATE_TEXT
    q $2
    is "date of $1" "$(field "$1" .date)" "$3"
    is "date_text of $1" "$(field "$1" .date_text)" "$4"
}
dates riverside-gp/rosacea_clinic.html rosacea 2025-04-08 "8 Apr 2025" # JSON-LD, byline
dates latin1_sjogren.html sjogren 2024-03-03 "March 3, 2024"       # <time datetime>
dates cp1252_meniere.html meniere 2023-10-12 "2023-10-12T08:15:00+01:00" # article:published_time
dates xmldecl_cafe_au_lait.xhtml "cafe au lait" 2025-11-28 "28.11.2025"
dates dated_month_day.txt "cracked heels" 2025-11-28 "Nov 28, 2025"
dates dated_updated.txt "tension headache" 2024-03-03 "March 3, 2024"
dates dated_iso.txt verruca 2025-11-28 "2025-11-28"
dates dated_front_matter.md "heat exhaustion" 2025-07-14 "14 July 2025"

# ---- the closing paragraph after numbered sections: the article's closing part
q fragrance-free soap supple
is "closing part (numbered headings)" "$(field numbered_sections.txt .section)" "Conclusion"
q leaning elbows harsh soaps
is "closing part (numbered names with text)" "$(field byline_colon_sections.txt .section)" "Conclusion"

# ---- a Markdown file without heading or title: its first line, or its name
q headache diary
is "title from the first line" "$(field no_heading.md .title)" "Keeping a headache diary"
q morning stiffness
is "title from the file name" "$(field morning-stiffness-notes.md .title)" "morning stiffness notes"
run_q --db "$DB" -n 50 "morning stiffness"
expect_no_out "no bare rank in text output" "^[0-9]+\. *$"

# ---- Romance elisions split off, at index and query time: l'eczéma is eczéma
FR="$TMP/fr"
mkdir -p "$FR"
cp "$FX"/fr_eczema.html "$FR/"
DB="$TMP/fr.db"
run_i --db "$DB" --language french "$FR"
expect_rc "index French" 0
q eczéma
is "d'eczéma found by eczéma" "$(jq -r 'select(.section == "Le traitement") | .path' <<<"$OUT")" \
    fr_eczema.html
# the highlight is the word, without the article
hl=$(jq -r 'select(.section == "Le traitement") | .snippet as $s | .highlights[0] | "\(.[0]) \(.[1])"' <<<"$OUT")
word=$(jq -j 'select(.section == "Le traitement") | .snippet' <<<"$OUT" |
    tail -c +"$((${hl% *} + 1))" | head -c "$((${hl#* } - ${hl% *}))")
is "highlight after the apostrophe" "$word" "eczéma"
q "l'hydratation"
is "an elided query word" "$(field fr_eczema.html .section)" "Le traitement"
q "qu'il fasse froid"
is "qu' split off" "$(field fr_eczema.html .section)" "Les causes"

# ---- an article's own language: <html lang>, front matter lang:,
# Content-Language; each indexed with its stemmer, all searched as one
ML="$TMP/ml"
mkdir -p "$ML"
cp "$FX"/fr_eczema.html "$FX"/lt_atopinis_dermatitas.md "$FX"/lt_content_language.html \
    "$FX"/numbered_sections.txt "$ML/"
DB="$TMP/ml.db"
run_i --db "$DB" --stats "$ML"
expect_rc "index English, French and Lithuanian" 0
expect_out "--stats: English passages" "^  language english: 7 passages$"
expect_out "--stats: French passages" "^  language french: 3 passages$"
expect_out "--stats: Lithuanian passages" "^  language lithuanian: 4 passages$"
# words in forms the page does not write, which only the page's own
# stemmer joins to it: hydrater (hydratation), paūmėjimas (paūmėjimus,
# paūmėjimo), nudegimų (nudegimas, nudegimo)
q hydrater
is "French stems (html lang)" "$(field fr_eczema.html .section)" "Le traitement"
hl=$(jq -r 'select(.path == "fr_eczema.html") | .highlights[0] | "\(.[0]) \(.[1])"' <<<"$OUT")
word=$(jq -j 'select(.path == "fr_eczema.html") | .snippet' <<<"$OUT" |
    tail -c +"$((${hl% *} + 1))" | head -c "$((${hl#* } - ${hl% *}))")
is "French stem highlighted" "$word" "hydratation"
q paūmėjimas
is "Lithuanian stems (front matter lang)" "$(paths | tr '\n' ' ')" "lt_atopinis_dermatitas.md "
q nudegimų
is "Lithuanian stems (Content-Language)" "$(paths | tr '\n' ' ')" "lt_content_language.html "
q cracked fingertips
is "English as before" "$(paths | tr '\n' ' ')" "numbered_sections.txt "
q "\"traitement d'eczéma\""
is "a phrase in French" "$(field fr_eczema.html .section)" "Le traitement"

finish
