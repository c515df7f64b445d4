# medindex --stats: boilerplate removed per source, invalid UTF-8 reported.
. "$(dirname "$0")/lib.sh"
cp -r "$SRC/corpus" "$TMP/corpus"
printf 'Bad bytes\n\nItching \377\376 at night is common.\n' >"$TMP/corpus/skinwise/bad-bytes.txt"
run_i --db "$TMP/db" --stats "$TMP/corpus"
expect_rc "index with stats" 0
expect_err "invalid UTF-8 named with the file" "bad-bytes.txt: 2 invalid UTF-8 bytes skipped"
expect_out "stats: passages" "^passages: +[0-9]+"
# the clinic site repeats its footer and adverts on every page (its
# source is the name its titles end with)
expect_out "stats: boilerplate per source" "^  source Derma Clinic Kaunas: 19 files, [1-9][0-9]* lines"
expect_out "stats: invalid bytes" "^invalid UTF-8: 2 bytes skipped"
run_q --db "$TMP/db" -n 1 itching night
expect_rc "the file with bad bytes is searchable" 0

# unknown extensions are skipped and counted; --format-of reads them
mkdir -p "$TMP/pages"
printf '<html><head><title>Nettle rash</title></head><body><h1>Nettle rash</h1><p>Stinging nettles leave zzwheals on the skin.</p></body></html>\n' >"$TMP/pages/nettle.page"
printf 'Plain notes\n\nA second article about zzwheals.\n' >"$TMP/pages/notes.txt"
run_i --db "$TMP/pages.db" --stats "$TMP/pages"
expect_out "unknown extension counted once" "^skipped: +1 file of unknown format"
run_q --db "$TMP/pages.db" -f json zzwheals
[ "$(jq -r .path <<<"$OUT" | tr '\n' ' ')" = "notes.txt " ] && ok || fail "unknown file indexed: $OUT"
run_i --db "$TMP/pages.db" --format-of page=html "$TMP/pages"
expect_rc "--format-of page=html" 0
run_q --db "$TMP/pages.db" -f json zzwheals
[ "$(jq -r .path <<<"$OUT" | sort | tr '\n' ' ')" = "nettle.page notes.txt " ] && ok ||
    fail "--format-of: $(jq -r .path <<<"$OUT" | tr '\n' ' ')"
jq -s -e 'map(select(.path == "nettle.page"))[0].title == "Nettle rash"' <<<"$OUT" >/dev/null && ok ||
    fail "--format-of: the page was not read as HTML: $OUT"
run_i --db "$TMP/pages.db" --format-of page=pdf "$TMP/pages"
expect_rc "unknown format name" 2
expect_err "format name message" "--format-of takes EXT=FORMAT"

# progress counts the whole corpus, whatever the number of processes, and
# ends at N/N (not at one process's share)
cp -r "$SRC/corpus" "$TMP/whole"
for j in 1 2 3; do
    run_i --db "$TMP/progress-$j.db" -j"$j" "$TMP/whole"
    n=$(summary files)
    lines=$(printf '%s\n' "$ERR" | grep -E '^medindex: [0-9]+/[0-9]+ files')
    [ "$(printf '%s\n' "$lines" | tail -1 | cut -d' ' -f2)" = "$n/$n" ] && ok ||
        fail "-j$j: progress does not end at $n/$n: $lines"
    [ -z "$(printf '%s\n' "$lines" | grep -v "/$n files")" ] && ok ||
        fail "-j$j: progress counts other totals than $n: $lines"
done
finish
