# Nothing outside the corpus folder is indexed unless asked: symbolic links
# that lead out of it are skipped with a warning (--follow-symlinks follows
# them); links that stay inside are followed.
. "$(dirname "$0")/lib.sh"
C=$TMP/c
mkdir -p "$C/in" "$TMP/secret/dir"
printf 'Inside\n\nzzinside text about fever.\n' >"$C/in/a.txt"
printf 'Secret\n\nzzsecret password text.\n' >"$TMP/secret/s.txt"
printf 'Secret dir\n\nzzsecretdir text.\n' >"$TMP/secret/dir/d.txt"
ln -s "$TMP/secret/s.txt" "$C/out-file.txt"
ln -s "$TMP/secret/dir" "$C/out-dir"
ln -s in/a.txt "$C/inside-link.txt"
ln -s in "$C/inside-dir"
run_i --db "$TMP/a.db" "$C"
expect_rc "links out of the corpus are no failure" 0
expect_err "a file link out is named" "out-file.txt: symbolic link out of the corpus folder, skipped \(--follow-symlinks follows it\)$"
expect_err "a folder link out is named" "out-dir: symbolic link out of the corpus folder, skipped"
expect_summary "the two inside and the two linked inside are indexed" indexed 3
run_q --db "$TMP/a.db" --no-spelling -f tsv zzsecret OR zzsecretdir
expect_rc "nothing outside is found" 1
run_q --db "$TMP/a.db" --no-spelling -f tsv -n 10 zzinside
expect_rc "inside and through inside links" 0
[ "$(printf '%s\n' "$OUT" | tail -n +2 | cut -f4 | sort | tr '\n' ' ')" = "in/a.txt inside-dir/a.txt inside-link.txt " ] && ok ||
    fail "inside links: $(printf '%s\n' "$OUT" | cut -f4 | tr '\n' ' ')"
run_i --db "$TMP/b.db" --follow-symlinks "$C"
expect_rc "--follow-symlinks" 0
run_q --db "$TMP/b.db" --no-spelling -f tsv -n 10 zzsecret OR zzsecretdir
[ "$(printf '%s\n' "$OUT" | tail -n +2 | cut -f4 | sort | tr '\n' ' ')" = "out-dir/d.txt out-file.txt " ] && ok ||
    fail "--follow-symlinks: $(printf '%s\n' "$OUT" | cut -f4 | tr '\n' ' ')"
# a link that was inside and now leads out: its passages go
rm "$C/inside-link.txt"
ln -s "$TMP/secret/s.txt" "$C/inside-link.txt"
run_i --db "$TMP/a.db" "$C"
expect_summary "a link turned outward is removed" removed 1
run_q --db "$TMP/a.db" --no-spelling -f tsv zzsecret
expect_rc "and not read" 1
finish
