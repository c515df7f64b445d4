# An index is never lost or silently emptied: a path too long for a Xapian
# key, a corpus folder that is empty, missing or unreadable, a rebuild that
# cannot see the corpus. Each case keeps the index as it was and says why.
. "$(dirname "$0")/lib.sh"
C=$TMP/c
DB=$TMP/k.db
gen_corpus "$C" 20

# a path of 269 bytes: over Xapian's 245-byte keys once "F:" is added
long="$(printf 'a%.0s' $(seq 1 120))/$(printf 'b%.0s' $(seq 1 140))"
mkdir -p "$C/$long"
printf 'A long way down\n\nzzmark zzlong fever and rest.\n' >"$C/$long/doc.txt"
run_i --db "$DB" "$C"
expect_rc "a path over 251 bytes is indexed" 0
expect_summary "a path over 251 bytes is indexed" indexed 21
run_q --db "$DB" -f tsv --no-spelling zzlong
expect_rc "its passage is found" 0
[ "$(printf '%s\n' "$OUT" | tail -n +2 | cut -f4)" = "$long/doc.txt" ] && ok ||
    fail "its path is not the file's: $OUT"
run_i --db "$DB" "$C"
expect_rc "then nothing to do" 0
expect_summary "then nothing to do: the long path is unchanged" unchanged 21
printf 'A long way down\n\nzzmark zzlonger fever.\n' >"$C/$long/doc.txt"
run_i --db "$DB" "$C"
expect_summary "an edit of the long-path file is seen" indexed 1
run_q --db "$DB" -f tsv --no-spelling zzlonger
expect_rc "the edit is found" 0
if can_deny; then
    # a failed file's record (E:) has a long key too
    printf 'Locked\n\nzzmark text.\n' >"$C/$long/locked.txt"
    chmod 000 "$C/$long/locked.txt"
    run_iu --db "$DB" "$C"
    expect_rc "an unreadable long-path file fails" 1
    run_iu --db "$DB" --stats "$C"
    expect_out "--stats names the long path whole" "failed: $long/locked.txt: cannot open"
    rm -f "$C/$long/locked.txt"
fi
rm -r "$C/aaaaaaaaaa"*
run_i --db "$DB" "$C"
expect_summary "the long-path file, deleted, is removed" removed 1
run_q --db "$DB" -f tsv --no-spelling zzlonger
expect_rc "its passage is gone" 1
REF=$(passages "$DB")

# an empty corpus folder: removing every file is refused, nothing changes
mkdir "$TMP/empty"
run_i --db "$DB" "$TMP/empty"
expect_rc "an empty corpus folder is refused" 2
expect_err "it says how many files would go and what to do" \
    "^medindex: $TMP/empty: would remove all 20 files of the index $DB: .*delete $DB"
[ "$(passages "$DB")" = "$REF" ] && ok || fail "an empty corpus folder changed the index"
run_i --db "$DB" --rebuild "$TMP/empty"
expect_rc "a rebuild over an empty folder is refused" 2
expect_err "it says the index is kept" "the rebuild is dropped, the index is as it was"
[ "$(passages "$DB")" = "$REF" ] && ok || fail "a rebuild over an empty folder changed the index"
run_i --db "$DB" -j1 --rebuild "$TMP/empty"
expect_rc "a -j1 rebuild over an empty folder is refused" 2
[ "$(passages "$DB")" = "$REF" ] && ok || fail "a -j1 rebuild over an empty folder changed the index"

# a corpus folder that cannot be read is no empty one
if can_deny; then
    chmod 000 "$C/s3"
    run_iu --db "$DB" --rebuild "$C"
    expect_rc "a rebuild that cannot read a folder fails" 2
    expect_err "it says so" "some folders could not be read"
    [ "$(passages "$DB")" = "$REF" ] && ok || fail "a rebuild that could not read s3 changed the index"
    chmod 000 "$C"
    run_iu --db "$DB" "$C"
    [ "$RC" -ne 0 ] && ok || fail "an unreadable corpus root: exit 0"
    run_iu --db "$DB" -j1 --rebuild "$C"
    expect_rc "a rebuild of an unreadable corpus root fails" 2
    chmod 755 "$C" "$C/s3"
    [ "$(passages "$DB")" = "$REF" ] && ok || fail "an unreadable corpus root changed the index"
else
    skip "unreadable folders: cannot drop the capabilities that bypass permissions"
fi

# a corpus that does not exist: an error, and no index is created
run_i --db "$TMP/new.db" "$TMP/nonexistent"
expect_rc "a missing corpus" 2
expect_err "it says so" "^medindex: $TMP/nonexistent: No such file or directory$"
[ ! -e "$TMP/new.db" ] && ok || fail "a missing corpus left $TMP/new.db behind"
run_i --db "$TMP/new.db" "$C/s0/doc0.txt"
expect_rc "a corpus that is a file" 2
[ ! -e "$TMP/new.db" ] && ok || fail "a corpus that is a file left $TMP/new.db behind"
finish
