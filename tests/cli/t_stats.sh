# medindex --stats: boilerplate removed per source, invalid UTF-8 reported.
. "$(dirname "$0")/lib.sh"
cp -r "$SRC/corpus" "$TMP/corpus"
printf 'Bad bytes\n\nItching \377\376 at night is common.\n' >"$TMP/corpus/skinwise/bad-bytes.txt"
run_i --db "$TMP/db" --stats "$TMP/corpus"
expect_rc "index with stats" 0
expect_err "invalid UTF-8 named with the file" "bad-bytes.txt: 2 invalid UTF-8 bytes skipped"
expect_out "stats: passages" "^passages: +[0-9]+"
# the clinic site repeats its footer and adverts on every page
expect_out "stats: boilerplate per source" "^  source derma-clinic: 19 files, [1-9][0-9]* lines"
expect_out "stats: invalid bytes" "^invalid UTF-8: 2 bytes skipped"
run_q --db "$TMP/db" -n 1 itching night
expect_rc "the file with bad bytes is searchable" 0
finish
