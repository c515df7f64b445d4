# What grep users reach for (issue #26): -c counts the matching passages,
# -l lists the matching files once each in rank order, --full shows whole
# passages; text wraps to a terminal's width (checked in a pseudo-terminal,
# with script(1)) and stays plain when piped; per query in a batch, and the
# same on a sharded index as on a single one.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_shards.sh"
shards_setup # $DB (single), $SH (2 shards) of the bundled corpus

# ---- -c / --count ----
run_q --db "$DB" -f json -n 10000 --no-spelling itching
all=$(grep -c . <<<"$OUT")
run_q --db "$DB" -c --no-spelling itching
expect_rc "-c with matches" 0
[ "$OUT" = "$all" ] && ok || fail "-c itching: '$OUT', but $all passages are listed"
run_q --db "$DB" --count --no-spelling zzzqqqxxy
expect_rc "-c with no match: 1, as grep -c" 1
[ "$OUT" = "0" ] && ok || fail "-c of no match: '$OUT'"
run_q --db "$DB" -c -f json --no-spelling itching
[ "$(jq -c . <<<"$OUT")" = "{\"v\":1,\"qid\":\"1\",\"matches\":$all,\"exact\":true}" ] && ok ||
    fail "-c -f json: $OUT"
run_q --db "$DB" -c -f tsv --no-spelling itching
[ "$OUT" = $'qid\tmatches\texact\n'"1	$all	true" ] && ok || fail "-c -f tsv: $OUT"
# past what is counted exactly (10,000), the estimate, said to be one: 24,000
# one-passage files, two thirds holding alpha, four fifths beta, 12,800 both
mkdir -p "$TMP/big"
awk -v dir="$TMP/big" 'BEGIN { for (i = 0; i < 24000; i++) {
    f = sprintf("%s/a%05d.txt", dir, i)
    printf "Note %d\n\nzzcommon%s%s word %d.\n", i, (i % 3 ? " alpha" : ""), (i % 5 ? " beta" : ""), i >f
    close(f) } }'
"$MEDINDEX" -q -j 2 --db "$TMP/big.db" "$TMP/big" || fail "indexing 24,000 files"
run_q --db "$TMP/big.db" -c --no-spelling 'alpha AND beta'
expect_rc "-c past the exact count" 0
expect_out "-c says when it is an estimate" '^about [0-9]+$'
run_q --db "$TMP/big.db" -c -f json --no-spelling 'alpha AND beta'
[ "$(jq -r .exact <<<"$OUT")" = false ] && [ "$(jq -r .matches <<<"$OUT")" -gt 10000 ] && ok ||
    fail "-c -f json past the exact count: $OUT"
# where Xapian knows it (one word, or under 10,000), exact
run_q --db "$TMP/big.db" -c --no-spelling alpha
[ "$OUT" = 16000 ] && ok || fail "-c of one word in a large index: $OUT"
run_q --db "$TMP/big.db" -c --no-spelling 'alpha NOT beta'
[ "$OUT" = 3200 ] && ok || fail "-c of 3,200 matches: $OUT"

# ---- -l / --files-with-matches: the files of --per-article 1, in order ----
run_q --db "$DB" -f json -n 10000 --per-article 1 --no-spelling itching
ranked=$(jq -r .path <<<"$OUT" | awk '!seen[$0]++')
run_q --db "$DB" -l -n 10000 --no-spelling itching
expect_rc "-l" 0
[ "$OUT" = "$ranked" ] && ok || fail "-l is not the files of the results, once each, in rank order:
$OUT
want:
$ranked"
run_q --db "$DB" --files-with-matches -n 3 --no-spelling itching
[ "$OUT" = "$(head -3 <<<"$ranked")" ] && ok || fail "-l -n 3 is not the first 3 files: $OUT"
run_q --db "$DB" -l -n 3 -f json --no-spelling itching
[ "$(jq -r '[.qid, .rank, .path] | @tsv' <<<"$OUT")" = "$(head -3 <<<"$ranked" | awk '{ print "1\t" NR "\t" $0 }')" ] &&
    ok || fail "-l -f json: $OUT"
run_q --db "$DB" -l -n 3 -f tsv --no-spelling itching
[ "$OUT" = "$(printf 'qid\trank\tpath\n'; head -3 <<<"$ranked" | awk '{ print "1\t" NR "\t" $0 }')" ] &&
    ok || fail "-l -f tsv: $OUT"
run_q --db "$DB" -l --no-spelling zzzqqqxxy
expect_rc "-l with no match" 1
[ -z "$OUT" ] && ok || fail "-l of no match printed: $OUT"

# ---- what does not go together: one line, exit 2 ----
run_q --db "$DB" -c -l itching
expect_rc "-c -l" 2
expect_err "-c -l named" "^medquery: give -c \(--count\) or -l \(--files-with-matches\), not both$"
run_q --db "$DB" -c --facets drug itching
expect_rc "-c --facets" 2
run_q --db "$DB" -l -f trec itching
expect_rc "-l -f trec" 2
expect_err "-l -f trec named" "^medquery: -f trec lists ranked passages only: no -c or -l$"

# ---- in a batch: a line (text) or an object (json) a query, in order ----
printf 'q1\titching\nq2\tzzzqqqxxy\nq3\tcetirizine\n' >"$TMP/batch"
run_q --db "$DB" -c --no-spelling --batch "$TMP/batch"
expect_rc "-c --batch" 0
n3=$("$MEDQUERY" --db "$DB" -c --no-spelling cetirizine)
[ "$OUT" = "[q1] itching: $all"$'\n'"[q2] zzzqqqxxy: 0"$'\n'"[q3] cetirizine: $n3" ] && ok ||
    fail "-c --batch: $OUT"
run_q --db "$DB" -c -f json -j 2 --no-spelling --batch "$TMP/batch"
[ "$(jq -r '[.qid, .matches, .exact] | @tsv' <<<"$OUT")" = "q1	$all	true
q2	0	true
q3	$n3	true" ] && ok || fail "-c -f json --batch: $OUT"
run_q --db "$DB" -l -n 2 --no-spelling --batch "$TMP/batch"
[ "$OUT" = "[q1] itching
$(head -2 <<<"$ranked")

[q2] zzzqqqxxy
   (nothing found)

[q3] cetirizine
$("$MEDQUERY" --db "$DB" -l -n 2 --no-spelling cetirizine)" ] && ok || fail "-l --batch: $OUT"

# ---- a sharded index answers as the single one ----
for q in itching cetirizine 'rash NOT itching'; do
    [ "$("$MEDQUERY" --db "$SH" -c --no-spelling "$q")" = "$("$MEDQUERY" --db "$DB" -c --no-spelling "$q")" ] &&
        ok || fail "-c '$q' differs on 2 shards"
    [ "$("$MEDQUERY" --db "$SH" -l -n 100 --no-spelling "$q")" = "$("$MEDQUERY" --db "$DB" -l -n 100 --no-spelling "$q")" ] &&
        ok || fail "-l '$q' differs on 2 shards"
done
run_q --db "$SH" -c -f json --no-spelling --batch "$TMP/batch"
[ "$(jq -r .matches <<<"$OUT" | tr '\n' ' ')" = "$all 0 $n3 " ] && ok || fail "-c --batch on shards: $OUT"

# body TEXT: the snippet lines of text output, each as RANK<TAB>LINE (the
# indent removed): a result's lines after its title and path lines
body() { awk '/^[0-9]+\. /{n++; getline; next} /^$/{next} {sub(/^   /, ""); print n "\t" $0}' <<<"$1"; }

# ---- --full: the whole passage ----
run_q --db "$DB" -n 3 -f json --no-spelling itching
plain_json=$OUT
run_q --db "$DB" -n 3 -f json --full --no-spelling itching
expect_rc "--full -f json" 0
# the text is the whole passage: the snippet (without its ellipses) is in
# it, and the snippet stays what it was without --full
fold() { tr -s ' \n\t\r' '   ' | sed -e 's/^ //' -e 's/ $//' -e 's/\xE2\x80\xA6//g'; }
n_ok=0
for r in 1 2 3; do
    line=$(sed -n "${r}p" <<<"$OUT")
    text=$(jq -j .text <<<"$line" | fold) snippet=$(jq -j .snippet <<<"$line" | fold)
    [ "$(jq -r .snippet <<<"$line")" = "$(sed -n "${r}p" <<<"$plain_json" | jq -r .snippet)" ] &&
        [[ $text == *"$snippet"* ]] && [ ${#text} -gt ${#snippet} ] && n_ok=$((n_ok + 1))
done
[ "$n_ok" -eq 3 ] && ok || fail "--full -f json: text not the passage, or snippet changed: $OUT"
full_json=$OUT
run_q --db "$DB" -n 3 --full --no-spelling itching
expect_rc "--full text" 0
# a result: title line, path line, then its passage, wrapped at 80 when piped
texts=$(body "$OUT")
for r in 1 2 3; do
    got=$(awk -F'\t' -v r=$r '$1 == r {print $2}' <<<"$texts" | fold)
    want=$(sed -n "${r}p" <<<"$full_json" | jq -j .text | fold)
    [ "$got" = "$want" ] && ok || fail "--full result $r is not its whole passage:
$got
want:
$want"
done
[ "$(cut -f2 <<<"$texts" | LC_ALL=C.UTF-8 wc -L)" -le 80 ] && ok || fail "--full piped: lines over 80 columns"
expect_no_out "--full piped: plain" $'\033'
run_q --db "$DB" -n 1 -f tsv --full --no-spelling itching
[ "$(tail -1 <<<"$OUT" | cut -f11 | fold)" = "$(head -1 <<<"$full_json" | jq -j .text | fold)" ] && ok ||
    fail "--full -f tsv: the snippet column is not the whole passage: $OUT"

# ---- a terminal: wrapped at its width at word boundaries, in colour ----
# A pseudo-terminal for script(1): /dev/pts as the machine has it, or, in a
# bare chroot where it is not mounted (a fresh Debian root), a devpts of
# this test's own in a private mount namespace.
# in_pty CMD: run the shell command CMD in a pseudo-terminal
in_pty() {
    if [ "$pty" = private ]; then
        unshare -m --propagation unchanged sh -c 'mount -t devpts -o newinstance,ptmxmode=0666 \
            devpts /dev/pts && mount --bind /dev/pts/ptmx /dev/ptmx &&
            exec script -qec "$1" /dev/null' _ "$1" </dev/null
    else
        script -qec "$1" /dev/null </dev/null
    fi
}
pty=""
if ! command -v script >/dev/null 2>&1; then
    fail "no script(1) (bsdutils) for the terminal tests"
elif pty=shared && in_pty 'test -t 1' >/dev/null 2>&1; then
    :
elif pty=private && in_pty 'test -t 1' >/dev/null 2>&1; then
    :
else
    pty=""
    echo "SKIP: no pseudo-terminal here (no /dev/pts, and no mount namespace to make one):" \
        "the terminal checks are not run"
fi
if [ -n "$pty" ]; then
    # tty COLS ARGS...: medquery's output in a pseudo-terminal COLS wide,
    # line ends as written (the terminal's \r removed)
    tty() {
        local cols=$1
        shift
        in_pty "stty cols $cols; $(printf '%q ' "$MEDQUERY" "$@")" | tr -d '\r'
    }
    nocolor() { sed 's/\x1b\[[0-9;]*m//g'; }
    run_q --db "$DB" -n 3 -f json --no-spelling 'itchy rash cream'
    snippets=$(jq -r .snippet <<<"$OUT")
    for cols in 40 57 100; do
        OUT=$(tty "$cols" --db "$DB" -n 3 --no-spelling 'itchy rash cream')
        expect_out "a terminal gets colour" $'\033\\[1m'
        plain=$(nocolor <<<"$OUT")
        got=$(body "$plain")
        [ "$(cut -f2 <<<"$got" | LC_ALL=C.UTF-8 wc -L)" -le "$((cols - 3))" ] && ok ||
            fail "$cols columns: longer lines: $plain"
        # the snippet lines, joined by spaces, are the snippet: no word cut
        for r in 1 2 3; do
            [ "$(awk -F'\t' -v r=$r '$1 == r {print $2}' <<<"$got" | paste -sd' ')" = "$(sed -n "${r}p" <<<"$snippets")" ] &&
                ok || fail "$cols columns: snippet $r wrapped not at spaces: $plain"
        done
    done
    [ "$(wc -l <<<"$got")" -gt 3 ] && ok || fail "100 columns: no wrapping at all? $plain"
    # --full on a terminal: the whole passage, wrapped at the terminal's width
    OUT=$(tty 60 --db "$DB" -n 1 --full --no-spelling itching | nocolor)
    [ "$(body "$OUT" | cut -f2 | LC_ALL=C.UTF-8 wc -L)" -le 57 ] && ok || fail "--full at 60 columns: $OUT"
    [ "$(body "$OUT" | cut -f2 | fold)" = "$(head -1 <<<"$full_json" | jq -j .text | fold)" ] && ok ||
        fail "--full on a terminal: $OUT"
    # ripgrep's colours: the path magenta, the line number green; MEDSEARCH_COLORS changes them
    OUT=$(tty 80 --db "$DB" -n 1 --no-spelling itching)
    expect_out "a terminal: the path in colour" $'^   \033\\[35m[^ ]+\033\\[0m:\033\\[32m[0-9]+\033\\[0m'
    expect_out "a terminal: the title in bold" $'^1\\. \033\\[1m'
    OUT=$(MEDSEARCH_COLORS='path=1;34:match=4' tty 80 --db "$DB" -n 1 --no-spelling itching)
    expect_out "MEDSEARCH_COLORS: path" $'^   \033\\[1;34m[^ ]+\033\\[0m:'
    expect_out "MEDSEARCH_COLORS: match" $'\033\\[4m[Ii]tch'
    expect_out "MEDSEARCH_COLORS: the rest as it was" $'\033\\[32m[0-9]+\033\\[0m'
    # a corrected query: at the top, once (not also a message)
    OUT=$(tty 80 --db "$DB" -n 1 zyrtc hives | nocolor)
    [ "$(head -1 <<<"$OUT")" = "did you mean: zyrtec hives" ] && ok || fail "a terminal: no correction at the top: $OUT"
    [ "$(grep -c 'did you mean' <<<"$OUT")" -eq 1 ] && ok || fail "a terminal: the correction twice: $OUT"
    # a batch on a terminal, from a sharded index: wrapped alike, the query
    # lines kept, each correction at the top of its query's results
    printf 'q1\tzyrtc hives\nq2\titchy rash cream\n' >"$TMP/tb"
    OUT=$(tty 50 --db "$SH" -n 2 --batch "$TMP/tb" -j 2 | nocolor)
    [ "$OUT" = "$(tty 50 --db "$DB" -n 2 --batch "$TMP/tb" -j 2 | nocolor)" ] && ok ||
        fail "a batch on a terminal: 2 shards differ from one index"
    [ "$(body "$OUT" | cut -f2 | LC_ALL=C.UTF-8 wc -L)" -le 47 ] && ok || fail "a batch at 50 columns: $OUT"
    [ "$(grep -E '^(\[q[12]\]|did you mean)' <<<"$OUT" | tr '\n' '|')" = "[q1] zyrtc hives|did you mean: zyrtec hives|[q2] itchy rash cream|" ] &&
        ok || fail "a batch on a terminal: the query lines and the correction: $OUT"
    # piped, a snippet is one line, as before
    run_q --db "$DB" -n 3 --no-spelling 'itchy rash cream'
    [ "$(body "$OUT" | wc -l)" -eq 3 ] && ok || fail "piped snippets wrapped: $OUT"
fi

# ---- --show PATH[:LINE|#N]: an article as indexed, from the index alone ----
first=$(head -1 <<<"$full_json")
path=$(jq -r .path <<<"$first") start=$(jq -r .start <<<"$first") line=$(jq -r .line <<<"$first")
run_q --db "$DB" --show "$path" -f json
expect_rc "--show" 0
# every passage, in file order, numbered; the result's passage among them, the same text
[ "$(jq -r .start <<<"$OUT" | sort -n | tr '\n' ' ')" = "$(jq -r .start <<<"$OUT" | tr '\n' ' ')" ] &&
    [ "$(jq -r .rank <<<"$OUT" | tr '\n' ' ')" = "$(seq 1 "$(grep -c . <<<"$OUT")" | tr '\n' ' ')" ] &&
    [ "$(jq -r .path <<<"$OUT" | sort -u)" = "$path" ] && ok || fail "--show $path: not its passages in order: $OUT"
[ "$(jq -c "select(.start == $start) | .text" <<<"$OUT")" = "$(jq -c .text <<<"$first")" ] && ok ||
    fail "--show: the passage at $start is not the result's"
nth=$(jq -r "select(.start == $start) | .rank" <<<"$OUT")
npass=$(grep -c . <<<"$OUT")
run_q --db "$DB" --show "$path"
expect_out "--show text: the title first" "^$(jq -r .title <<<"$first" | sed 's/[?.()]/\\&/g')\$"
expect_out "--show text: the path and what is known" "^$path · "
[ "$(grep -cE '^\[[0-9]+\] ' <<<"$OUT")" -eq "$npass" ] && ok || fail "--show text: not $npass passages: $OUT"
expect_out "--show text: where a passage lies" "^\[$nth\] .*line $line, bytes $start-[0-9]+\$"
# a list keeps its lines, each item on its own
run_q --db "$DB" --show 'healthnotes/dry-skin-winter.md#2'
expect_out "--show keeps a list's lines" "^   Cold outdoor air holds very little moisture\.$"
run_q --db "$DB" --full -n 1 --no-spelling --path healthnotes/dry-skin-winter.md 'central heating'
expect_out "--full keeps a list's lines" "^   Central heating makes indoor air even drier\.$"
run_q --db "$DB" --show "$path:$((line + 1))" -f json
[ "$(jq -r .start <<<"$OUT")" = "$start" ] && ok || fail "--show PATH:LINE: not the passage holding the line: $OUT"
run_q --db "$DB" --show "$path#$nth" -f json
[ "$(jq -r .start <<<"$OUT")" = "$start" ] && ok || fail "--show PATH#N: not passage $nth: $OUT"
run_q --db "$DB" --show "$path#$((npass + 1))"
expect_rc "--show PATH#N past the last" 1
expect_err "--show past the last named" "no such passage in the index$"
run_q --db "$DB" --show no/such/file.md
expect_rc "--show of a file not indexed" 1
expect_err "--show of a file not indexed named" "^medquery: no/such/file.md: no such file in the index$"
run_q --db "$DB" --show "$path#0"
expect_rc "--show PATH#0" 2
run_q --db "$DB" --show "$path" itching
expect_rc "--show with a query" 2
[ "$("$MEDQUERY" --db "$SH" --show "$path")" = "$("$MEDQUERY" --db "$DB" --show "$path")" ] && ok ||
    fail "--show differs on 2 shards"

# ---- piped: the correction is a message, not output; --color always colours the path ----
run_q --db "$DB" -n 1 zyrtc hives
expect_no_out "piped: no correction in the output" "did you mean"
expect_err "piped: the correction a message" "^medquery: did you mean: zyrtec hives$"
run_q --db "$DB" -n 1 --color always --no-spelling itching
expect_out "--color always: the path" $'^   \033\\[35m'
MEDSEARCH_COLORS='path=red' run_q --db "$DB" -n 1 itching
expect_rc "MEDSEARCH_COLORS not SGR" 2
expect_err "MEDSEARCH_COLORS named" "^medquery: MEDSEARCH_COLORS: 'path=red' is not NAME=SGR"
MEDSEARCH_COLORS='title=1;36' run_q --db "$DB" -n 1 --color always itching
expect_out "MEDSEARCH_COLORS: title" $'^1\\. \033\\[1;36m'
# what is known of the article follows its path: source, date, author
run_q --db "$DB" -n 20 --no-spelling --path healthnotes/dry-skin-winter.md itching
expect_out "source, date and author" "^   healthnotes/dry-skin-winter.md:[0-9]+ · HealthNotes · 2024-12-19 · Dr. Nadia Kowalski  score [0-9.]+$"
run_q --db "$DB" -n 1 --no-spelling --path skinwise/itchy-skin-at-night.txt itching
expect_out "nothing known: as before" "^   skinwise/itchy-skin-at-night.txt:[0-9]+  score [0-9.]+$"

# ---- --full in a batch and on shards: the same passages ----
printf 'a\titching\nb\tcetirizine\n' >"$TMP/fb"
for db in "$DB" "$SH"; do
    run_q --db "$db" --batch "$TMP/fb" -f json --full -n 3 --no-spelling
    [ "$(jq -r '.qid + " " + .path + " " + (.text | length | tostring)' <<<"$OUT")" = \
        "$(for q in itching cetirizine; do "$MEDQUERY" --db "$DB" -f json --full -n 3 --no-spelling "$q"; done |
            jq -r '.path + " " + (.text | length | tostring)' | awk 'NR <= 3 {print "a " $0; next} {print "b " $0}')" ] &&
        ok || fail "--full --batch on $db: $OUT"
done
finish
