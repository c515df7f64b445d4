# Incremental indexing: a second run does exactly the work the changes need,
# and never loses documents it cannot see.
. "$(dirname "$0")/lib.sh"
snapshot_lexicon

C=$TMP/c
DB=$TMP/c.db
art() { # FILE TITLE BODY: a small plain-text article
    mkdir -p "$(dirname "$1")"
    printf '%s\n\n%s zzmark\n' "$2" "$3" >"$1"
}
found() { # DESC QUERY PATH: the query finds a passage of PATH
    run_q --db "$DB" --format tsv -n 100 --no-spelling "$2"
    if [ "$RC" -eq 0 ] && printf '%s\n' "$OUT" | cut -f4 | grep -qxF -- "$3"; then ok; else
        fail "$1: '$2' does not find $3 (exit $RC): $OUT $ERR"
    fi
}
not_found() { # DESC QUERY: nothing found, without an error
    run_q --db "$DB" --format tsv -n 100 --no-spelling "$2"
    if [ "$RC" -eq 1 ]; then ok; else fail "$1: '$2' exit $RC, want 1: $OUT $ERR"; fi
}
# later MTIME_OFFSET FILE: set the mtime, so that filesystems with coarse
# timestamps still see a change
later() { touch -m -d "@$(($(date +%s) + $1))" "$2"; }

art "$C/a/one.txt" "Zebra care" "The wombatic remedy eases a headache."
art "$C/a/two.txt" "Otter notes" "Quokkanol helps a fever and a cough."
mkdir -p "$C/b/deep"
printf -- '---\ntitle: Newt facts\n---\n\n# Newt facts\n\nPlatypode tablets for a rash.\n' >"$C/b/deep/four.md"
printf '<html><head><title>Heron page</title></head><body><h1>Heron page</h1><p>Gloxinian drops soothe an itch.</p></body></html>\n' >"$C/b/three.html"

# first run: everything is new
run_i --db "$DB" "$C"
expect_rc "first run" 0
expect_summary "first run" indexed 4
found "txt indexed" wombatic a/one.txt
found "markdown indexed" platypode b/deep/four.md
found "html indexed" gloxinian b/three.html

# a re-run with nothing changed does nothing (and reads nothing: no progress)
run_i --db "$DB" "$C"
expect_rc "re-run" 0
expect_summary "re-run" indexed 0
expect_summary "re-run" unchanged 4
expect_summary "re-run" removed 0
if printf '%s\n' "$ERR" | grep -qE '^medindex: [0-9]+/[0-9]+ files'; then
    fail "re-run with nothing changed still had files to read: $ERR"
else ok; fi

# a new file: only it is indexed
art "$C/a/five.txt" "Ibis" "Snorkelberry syrup for a sore throat."
run_i --db "$DB" "$C"
expect_rc "new file" 0
expect_summary "new file" indexed 1
expect_summary "new file" unchanged 4
expect_summary "new file" passages_added 1
found "new file found" snorkelberry a/five.txt

# a changed file (same size, new mtime): re-indexed, its old words gone
art "$C/a/one.txt" "Zebra care" "The gnuishxx remedy eases a headache."
later 10 "$C/a/one.txt"
run_i --db "$DB" "$C"
expect_rc "changed file" 0
expect_summary "changed file" indexed 1
expect_summary "changed file" passages_removed 1
found "changed file: new word" gnuishxx a/one.txt
not_found "changed file: removed word" wombatic

# touched, same content: the hash says unchanged, nothing re-indexed
later 20 "$C/a/two.txt"
run_i --db "$DB" "$C"
expect_rc "touched file" 0
expect_summary "touched file" indexed 0
expect_summary "touched file" unchanged 5
expect_summary "touched file" passages_added 0
found "touched file still found" quokkanol a/two.txt
# ... and its new mtime is recorded: the next run does not even hash it
run_i --db "$DB" "$C"
if printf '%s\n' "$ERR" | grep -qE '^medindex: [0-9]+/[0-9]+ files'; then
    fail "a touched file is read again on every run: $ERR"
else ok; fi

# a deleted file: its passages go
rm "$C/b/deep/four.md"
run_i --db "$DB" "$C"
expect_rc "deleted file" 0
expect_summary "deleted file" removed 1
expect_summary "deleted file" passages_removed 1
not_found "deleted file's word" platypode

# a renamed file: the old path goes, the new one is found
mv "$C/a/two.txt" "$C/b/two-renamed.txt"
run_i --db "$DB" "$C"
expect_rc "renamed file" 0
expect_summary "renamed file" indexed 1
expect_summary "renamed file" removed 1
found "renamed file under its new path" quokkanol b/two-renamed.txt
n=$(printf '%s\n' "$OUT" | tail -n +2 | wc -l)
[ "$n" -eq 1 ] && ok || fail "renamed file found $n times: $OUT"

# A directory that cannot be read must not delete its documents. Root reads
# anything, so as root the capabilities that bypass permissions are dropped
# (setpriv --bounding-set); a symlink to a folder whose parent is unreadable
# is the same case one step removed (the folder is a hidden one of the
# corpus, which the walk itself skips: links that lead out are not followed).
mkdir -p "$C/.ext/site"
art "$C/.ext/site/linked.txt" "Linked" "Vorbalin lotion for dry skin."
ln -s .ext/site "$C/linked"
run_i --db "$DB" "$C"
expect_rc "symlinked folder" 0
found "symlinked folder indexed" vorbalin linked/linked.txt
if can_deny; then
    chmod 000 "$C/b" "$C/.ext"
    run_iu --db "$DB" "$C"
    chmod 755 "$C/b" "$C/.ext"
    expect_rc "unreadable folder: some files failed" 1
    expect_err "unreadable folder named" "^medindex: .*/c/b: cannot read directory: Permission denied"
    expect_err "unreachable symlink target named" "^medindex: .*/c/linked: cannot stat: Permission denied"
    expect_summary "unreadable folder" removed 0
    found "unreadable folder keeps its documents" gloxinian b/three.html
    found "unreadable folder keeps its documents (2)" quokkanol b/two-renamed.txt
    found "unreachable symlink keeps its documents" vorbalin linked/linked.txt
    # readable again: nothing to do
    run_i --db "$DB" "$C"
    expect_rc "readable again" 0
    expect_summary "readable again" indexed 0
    expect_summary "readable again" removed 0
else
    skip "unreadable folder: cannot drop the permission override here (root without setpriv)"
fi
# a vanished folder, by contrast, takes its documents with it
rm "$C/linked"
run_i --db "$DB" "$C"
expect_summary "removed symlinked folder" removed 1
not_found "removed symlinked folder's word" vorbalin

# failed files: reported with a reason, remembered and skipped until changed
head -c 300000 /dev/urandom >"$C/a/bin.txt"
printf '\xff\xfeH\x00e\x00l\x00l\x00o\x00\n\x00' >"$C/a/utf16.txt"
: >"$C/a/empty.txt"
printf '  \n\n \t \n' >"$C/a/blank.txt"
run_i --db "$DB" "$C"
expect_rc "failed files" 1
expect_summary "failed files" failed 4
expect_err "binary named" "^medindex: .*a/bin.txt: binary file$"
expect_err "utf-16 named" "^medindex: .*a/utf16.txt: UTF-16 .*"
expect_err "empty named" "^medindex: .*a/empty.txt: empty file$"
expect_err "blank named" "^medindex: .*a/blank.txt: empty file$"
run_i --db "$DB" --stats "$C"
expect_rc "failed files, second run: still failed, exit 1 as documented" 1
expect_err "the remembered failures are said" "^medindex: 4 files that failed before are unchanged and still skipped \(--stats lists them\)$"
expect_summary "failed files, second run" failed 4
expect_summary "failed files, second run" indexed 0
if printf '%s\n' "$ERR" | grep -qE 'bin.txt|utf16.txt|empty.txt|blank.txt'; then
    fail "failed files re-read on the second run: $ERR"
else ok; fi
expect_out "second run reads no bytes" "^this run: +0 files read, 0\.0 MB"
expect_out "--stats counts the failed" "^files: +4 indexed, 4 failed"
expect_out "--stats lists binary" "^  failed: a/bin.txt: binary file$"
expect_out "--stats lists utf-16" "^  failed: a/utf16.txt: UTF-16"
expect_out "--stats lists empty" "^  failed: a/empty.txt: empty file$"
expect_out "--stats lists blank" "^  failed: a/blank.txt: empty file$"
# a failed file that changes is tried again
art "$C/a/utf16.txt" "Converted" "Dromelin cream, now in UTF-8."
run_i --db "$DB" --stats "$C"
expect_rc "fixed file, three still failed" 1
expect_err "one less remembered" "^medindex: 3 files that failed before are unchanged"
expect_out "one file read, not 1 files" "^this run: +1 file read,"
expect_summary "fixed file" indexed 1
expect_summary "fixed file" failed 3
expect_no_out "fixed file no longer listed" "failed: a/utf16.txt"
found "fixed file found" dromelin a/utf16.txt
rm "$C/a/bin.txt" "$C/a/empty.txt" "$C/a/blank.txt"
run_i --db "$DB" --stats "$C"
expect_rc "failed files deleted" 0
if printf '%s\n' "$ERR" | grep -q "failed before"; then fail "deleted failures still said: $ERR"; else ok; fi
expect_out "deleted failed files forgotten" "^files: +5 indexed, 0 failed"

# --dry-run lists the changes and makes none
before=$(passages "$DB")
art "$C/a/one.txt" "Zebra care" "The hartebeestic remedy eases a headache."
later 30 "$C/a/one.txt"
art "$C/a/six.txt" "Crane" "Pelicanol spray."
rm "$C/a/five.txt"
run_i --db "$DB" --dry-run "$C"
expect_rc "dry run" 0
expect_err "dry run: changed" "^medindex: a/one.txt: would be indexed$"
expect_err "dry run: new" "^medindex: a/six.txt: would be indexed$"
expect_err "dry run: removed" "^medindex: a/five.txt: would be removed$"
expect_summary "dry run" indexed 2
expect_summary "dry run" removed 1
found "dry run keeps the old text" gnuishxx a/one.txt
found "dry run keeps the removed file" snorkelberry a/five.txt
not_found "dry run adds nothing" pelicanol
run_i --db "$TMP/none.db" --dry-run "$C"
expect_rc "dry run without an index" 0
[ ! -e "$TMP/none.db" ] && ok || fail "dry run created an index"
run_i --db "$DB" --dry-run --rebuild "$C"
expect_rc "dry run --rebuild" 0
found "dry run --rebuild leaves the index" gnuishxx a/one.txt
# the real run then does what the dry run listed
run_i --db "$DB" "$C"
expect_summary "after dry run" indexed 2
expect_summary "after dry run" removed 1
found "after dry run: changed" hartebeestic a/one.txt
not_found "after dry run: removed" snorkelberry

# --rebuild: everything again, same passages
before=$(passages "$DB")
run_i --db "$DB" --rebuild "$C"
expect_rc "rebuild" 0
expect_summary "rebuild" indexed 5
expect_summary "rebuild" unchanged 0
after=$(passages "$DB")
[ -n "$before" ] && [ "$before" = "$after" ] && ok || fail "rebuild changed the passages"

# paths are relative: corpus and index move together
run_q --db "$DB" --format tsv -n 100 hartebeestic
want=$(printf '%s\n' "$OUT" | tail -n +2 | cut -f4)
mkdir "$TMP/moved"
mv "$C" "$DB" "$TMP/moved/"
C=$TMP/moved/c
DB=$TMP/moved/c.db
found "moved index: same relative path" hartebeestic "$want"
[ "$want" = a/one.txt ] && ok || fail "stored path is not relative: $want"
run_i --db "$DB" "$C"
expect_rc "moved corpus" 0
expect_summary "moved corpus" indexed 0
expect_summary "moved corpus" removed 0
expect_summary "moved corpus" unchanged 5

# other settings: refused with what differs, unless --rebuild
run_i --db "$DB" --language french "$C"
expect_rc "other language" 2
expect_err "other language: what differs" "^medindex: .*c.db: index built with other settings \(language: english -> french\).*--rebuild"
found "refused run leaves the index" hartebeestic a/one.txt
run_i --db "$DB" --language french --rebuild "$C"
expect_rc "other language with --rebuild" 0
expect_summary "other language with --rebuild" indexed 5
found "french index searchable" hartebeestic a/one.txt
run_i --db "$DB" --language french "$C"
expect_rc "french re-run" 0
expect_summary "french re-run" indexed 0
run_i --db "$DB" "$C"
expect_rc "back to english without --rebuild" 2
expect_err "back to english: what differs" "language: french -> english"
# an index of an older schema (its terms laid out otherwise): both programs
# refuse it and say to rebuild it
old=$(xapian-metadata get "$DB" ms:settings)
xapian-metadata set "$DB" ms:settings "$(sed 's/schema=[0-9]*/schema=1/' <<<"$old")"
run_q --db "$DB" hartebeestic
expect_rc "older schema: medquery" 2
expect_err "older schema: medquery says to rebuild" "index schema 1, .*--rebuild"
run_i --db "$DB" --language french "$C"
expect_rc "older schema: medindex" 2
expect_err "older schema: what differs" "schema: 1 -> "
run_i --db "$DB" --language french --rebuild "$C"
expect_rc "older schema with --rebuild" 0
found "rebuilt from an older schema" hartebeestic a/one.txt

# .medsearchignore (as README and the guide describe it): a pattern with a
# slash matches the path from the corpus folder, one without a name at any
# depth, # starts a comment; a file a new pattern covers is removed
I=$TMP/ign
mkdir -p "$I/drafts" "$I/a/b"
for f in keep.txt drafts/d.txt a/b/old.bak a/b/keep2.txt a/drafts.txt; do
    printf 'Title\n\nzzignore text.\n' >"$I/$f"
done
printf '# not for the index\ndrafts/*\n*.bak\n' >"$I/.medsearchignore"
run_i --db "$TMP/ign.db" "$I"
expect_rc ".medsearchignore" 0
[ "$("$MEDQUERY" --db "$TMP/ign.db" -l -n 100 --no-spelling zzignore | sort | tr '\n' ' ')" = "a/b/keep2.txt a/drafts.txt keep.txt " ] &&
    ok || fail ".medsearchignore: $("$MEDQUERY" --db "$TMP/ign.db" -l -n 100 --no-spelling zzignore | tr '\n' ' ')"
printf 'keep2.txt\n' >>"$I/.medsearchignore"
run_i --db "$TMP/ign.db" "$I"
expect_summary "a file a new pattern covers is removed" removed 1
finish
