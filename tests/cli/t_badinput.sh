# Bad inputs: each gets a one-line message naming it and the right exit
# status, and none damages the index (a query that worked still works).
. "$(dirname "$0")/lib.sh"
snapshot_lexicon
corpus_db
C=$TMP/corpus
B=$C/bad # a folder of its own, so the other sites' files are left alone

# the passages (path, start, end) a query finds, without scores, which new
# files may shift
hits() { "$MEDQUERY" --db "$DB" --format tsv -n 50 "$@" 2>/dev/null | tail -n +2 | cut -f4,8,9; }
BASE=$(hits cetirizine)
[ -n "$BASE" ] && ok || fail "the baseline query finds nothing"
intact() { # DESC: the baseline query still finds the same passages
    local now
    now=$(hits cetirizine)
    [ "$now" = "$BASE" ] && ok || fail "$1: the index changed or broke"
}
# one_line DESC NAME PATTERN: exactly one stderr line names NAME, and it
# matches PATTERN
one_line() {
    local lines
    lines=$(printf '%s\n' "$ERR" | grep -F -- "$2")
    if [ "$(printf '%s\n' "$lines" | grep -c .)" -ne 1 ]; then
        fail "$1: want one line naming $2, got: $ERR"
    elif printf '%s\n' "$lines" | grep -qE -- "$3"; then ok; else
        fail "$1: /$3/ not in: $lines"
    fi
}
# bad_file DESC NAME WANT_RC REASON: index the corpus with $B/NAME in place
bad_file() {
    run_i --db "$DB" "$C"
    expect_rc "$1" "$3"
    one_line "$1" "bad/$2" "^medindex: $B/$2: $4\$"
    intact "$1"
}
mkdir -p "$B"

# binary
head -c 20000 /dev/urandom >"$B/binary.txt"
bad_file "binary file" binary.txt 1 "binary file"
rm "$B/binary.txt"

# invalid UTF-8 is indexed (bad bytes read as U+FFFD), not a crash
printf 'Bad bytes\n\nCaf\xe9 \xc3\x28 \xff\xfe\xfd snorkelberry \xed\xa0\x80 text.\n' >"$B/latin1.txt"
run_i --db "$DB" "$C"
expect_rc "invalid UTF-8 indexed" 0
expect_summary "invalid UTF-8 indexed" indexed 1
run_q --db "$DB" --format json snorkelberry
expect_rc "invalid UTF-8 searchable" 0
check "invalid UTF-8: valid JSON out" jq -e . <<<"$OUT" >/dev/null
run_q --db "$DB" snorkelberry
expect_rc "invalid UTF-8: text output" 0
intact "invalid UTF-8"
rm "$B/latin1.txt"

# UTF-16 with a byte order mark, both byte orders
printf '\xff\xfeH\x00i\x00 \x00t\x00h\x00e\x00r\x00e\x00\n\x00' >"$B/utf16le.txt"
bad_file "UTF-16LE" utf16le.txt 1 "UTF-16 text is not supported \(convert it to UTF-8\)"
rm "$B/utf16le.txt"
printf '\xfe\xff\x00H\x00i\x00 \x00t\x00h\x00e\x00r\x00e\x00\n' >"$B/utf16be.md"
bad_file "UTF-16BE" utf16be.md 1 "UTF-16 text is not supported \(convert it to UTF-8\)"
rm "$B/utf16be.md"

# empty: 0 bytes, and only blanks
: >"$B/zero.txt"
bad_file "0-byte file" zero.txt 1 "empty file"
rm "$B/zero.txt"
printf '\n \n\t\n   \n' >"$B/blank.html"
bad_file "blank file" blank.html 1 "empty file"
rm "$B/blank.html"

# 100 MB, over the 64 MiB default limit
yes 'a long line of words about headache and fever' | head -c 104857600 >"$B/huge.txt"
bad_file "100 MB file" huge.txt 1 "too large \(104857600 bytes, limit 67108864\)"
rm "$B/huge.txt"

# unreadable file, unreadable folder (as root: without the permission override)
if can_deny; then
    printf 'Locked\n\nPelicanol drops.\n' >"$B/locked.txt"
    chmod 000 "$B/locked.txt"
    run_iu --db "$DB" "$C"
    expect_rc "unreadable file" 1
    one_line "unreadable file" bad/locked.txt "^medindex: $B/locked.txt: cannot open: Permission denied$"
    intact "unreadable file"
    run_iu --db "$DB" "$C"
    expect_rc "unreadable file is tried again" 1
    one_line "unreadable file is tried again" bad/locked.txt "cannot open: Permission denied$"
    # a chmod does not change the mtime: the file must still be read again
    chmod 644 "$B/locked.txt"
    run_iu --db "$DB" "$C"
    expect_rc "readable again" 0
    expect_summary "readable again" indexed 1
    run_q --db "$DB" pelicanol
    expect_rc "readable again: found" 0
    rm "$B/locked.txt"

    mkdir -p "$B/closed"
    printf 'Closed\n\nGrebeline cream.\n' >"$B/closed/inside.txt"
    run_i --db "$DB" "$C"
    chmod 000 "$B/closed"
    run_iu --db "$DB" "$C"
    chmod 755 "$B/closed"
    expect_rc "unreadable folder" 1
    one_line "unreadable folder" bad/closed "^medindex: $B/closed: cannot read directory: Permission denied$"
    expect_summary "unreadable folder" removed 0
    run_q --db "$DB" grebeline
    expect_rc "unreadable folder keeps its documents" 0
    intact "unreadable folder"
    rm -r "$B/closed"
    run_i --db "$DB" "$C"
else
    skip "unreadable file and folder: cannot drop the permission override here (root without setpriv)"
fi

# symlink loops: a folder linking back to the corpus root is skipped (no
# file is indexed twice); a link to itself cannot be resolved
run_i --db "$DB" "$C"
nfiles=$(summary files)
ln -s .. "$B/loop"
run_i --db "$DB" "$C"
expect_rc "symlink loop" 0
one_line "symlink loop" bad/loop "^medindex: $B/loop: symlink loop: directory already on this path, skipped$"
expect_summary "symlink loop: no file twice" files "$nfiles"
expect_summary "symlink loop: nothing new" indexed 0
intact "symlink loop"
rm "$B/loop"
ln -s self "$B/self"
run_i --db "$DB" "$C"
expect_rc "self link" 1
one_line "self link" bad/self "^medindex: $B/self: cannot stat: Too many levels of symbolic links$"
intact "self link"
rm "$B/self"

# corpus that does not exist, or is a file
run_i --db "$DB" "$TMP/no-such-corpus"
expect_rc "missing corpus" 2
one_line "missing corpus" no-such-corpus "^medindex: $TMP/no-such-corpus: No such file or directory$"
intact "missing corpus"
run_i --db "$DB" "$C/README.md"
expect_rc "corpus is a file" 2
one_line "corpus is a file" README.md "^medindex: $C/README.md: not a directory$"

# database path that is a file: refused, the file untouched
printf 'my notes\n' >"$TMP/notes.txt"
run_i --db "$TMP/notes.txt" "$C"
expect_rc "db is a file" 2
one_line "db is a file" notes.txt "^medindex: $TMP/notes.txt: not a database directory \(it is a file\)$"
[ "$(cat "$TMP/notes.txt")" = "my notes" ] && ok || fail "db is a file: the file was changed"
run_q --db "$TMP/notes.txt" cetirizine
expect_rc "medquery: db is a file" 2
one_line "medquery: db is a file" notes.txt "^medquery: $TMP/notes.txt: not a medsearch index \(a file that is not a Xapian stub\)$"
# (a file that is no stub is never quoted: --db may name any file)
printf '# hosts\n127.0.0.1 localhost secretname\n' >"$TMP/hosts"
run_q --db "$TMP/hosts" cetirizine
expect_rc "medquery: db is a hosts file" 2
one_line "medquery: db is a hosts file" hosts "^medquery: $TMP/hosts: not a medsearch index \(a file that is not a Xapian stub\)$"
printf '%s\n' "$ERR" | grep -q -e secretname -e 127.0.0.1 &&
    fail "medquery: db is a hosts file: its content echoed: $ERR" || ok

# a folder of someone else's files: refused, left as it was
mkdir "$TMP/photos"
printf 'x' >"$TMP/photos/iamnot.jpg"
printf 'y' >"$TMP/photos/list.txt"
before=$(ls -la "$TMP/photos")
run_i --db "$TMP/photos" "$C"
expect_rc "db is a folder of other files" 2
one_line "db is a folder of other files" photos "^medindex: $TMP/photos: not a medsearch index"
[ "$(ls -la "$TMP/photos")" = "$before" ] && ok || fail "db folder of other files was written to"
run_i --db "$TMP/photos" --rebuild "$C"
expect_rc "folder of other files, --rebuild" 2
[ -f "$TMP/photos/list.txt" ] && ok || fail "--rebuild DELETED the files of a folder of other files"
[ "$(ls -la "$TMP/photos")" = "$before" ] && ok || fail "--rebuild wrote into a folder of other files"
run_q --db "$TMP/photos" cetirizine
expect_rc "medquery: folder of other files" 2
one_line "medquery: folder of other files" photos "^medquery: $TMP/photos: no index there"

# a Xapian database from another program: documents, no medsearch settings
cp -r "$DB" "$TMP/foreign.db"
if command -v xapian-metadata >/dev/null && xapian-metadata set "$TMP/foreign.db" ms:settings ""; then
    run_i --db "$TMP/foreign.db" "$C"
    expect_rc "foreign Xapian db" 2
    one_line "foreign Xapian db" foreign.db "^medindex: $TMP/foreign.db: not a medsearch index \(documents but no settings\)"
    run_q --db "$TMP/foreign.db" cetirizine
    expect_rc "medquery: foreign Xapian db" 2
    one_line "medquery: foreign Xapian db" foreign.db "^medquery: $TMP/foreign.db: not a medsearch index"
    run_i -q --db "$TMP/foreign.db" --rebuild "$C"
    expect_rc "foreign Xapian db replaced with --rebuild" 0
else
    skip "foreign Xapian database: xapian-metadata (xapian-tools) not available"
fi

# full disk: a file size limit (ulimit -f) makes the writes fail. medindex
# must report it (not die of SIGXFSZ) and leave the last commit readable.
# On a fresh index of its own (no free blocks left by the runs above), 2000
# new articles grow the tables far past the 64 KB of headroom.
FD=$TMP/full.db
"$MEDINDEX" -q --db "$FD" "$C" || fail "full disk: first build"
before=$("$MEDQUERY" --db "$FD" --format tsv -n 50 cetirizine 2>&1)
gen_corpus "$B/many" 2000
limit=$(($(find "$FD" -name "*.glass" -exec du -k {} + | sort -n | tail -1 | cut -f1) + 64))
# (libxapian 1.4.22 leaks 112 bytes inside WritableDatabase::commit() when a
# write fails: suppressed for sanitizer builds, it is not medsearch's)
printf 'leak:libxapian.so\n' >"$TMP/lsan.supp"
OUT=$( (ulimit -f "$limit" && LSAN_OPTIONS="suppressions=$TMP/lsan.supp" exec "$MEDINDEX" --db "$FD" "$C") 2>"$TMP/stderr")
RC=$?
ERR=$(cat "$TMP/stderr")
expect_rc "full disk" 2
expect_err "full disk: message" "^medindex: $FD: .*(commit failed|[Ee]rror writing|File too large)"
run_q --db "$FD" --format tsv -n 50 cetirizine
expect_rc "full disk: index still opens" 0
[ "$OUT" = "$before" ] && ok || fail "full disk: the last commit is not what queries see"
rm -r "$B/many"
run_i --db "$FD" "$C"
expect_rc "after the full disk" 0
run_q --db "$FD" --format tsv -n 50 cetirizine
[ "$OUT" = "$before" ] && ok || fail "after the full disk: not the index it was"

# ---- queries ----
run_q --db "$DB" -n 3 'cetirizine AND ('
expect_rc "malformed query falls back to words" 0
expect_out "malformed query finds cetirizine" "cetirizine|Cetirizine"
run_q --db "$DB" --strict -n 3 'cetirizine AND ('
expect_rc "malformed query --strict" 2
one_line "malformed query --strict" "query syntax" "^medquery: query syntax: missing '\)'$"
run_q --db "$DB" --strict '"unbalanced quote'
expect_rc "unbalanced quote --strict" 2
expect_err "unbalanced quote message" "^medquery: query syntax: unbalanced quote$"

# 10,000 characters of real words
words=$(tr -cs 'A-Za-z' ' ' <"$C/familydoc/night-cough-children.txt")
long=""
while [ ${#long} -lt 10000 ]; do long="$long $words"; done
long=${long:0:10000}
long=${long% *}
run_q --db "$DB" -n 5 --format tsv "$long"
expect_rc "10,000-character query" 0
printf '%s\n' "$ERR" | grep -v '^medquery: did you mean: ' | grep -q . &&
    fail "10,000-character query: stderr $ERR" || ok
run_q --db "$DB" -n 5 "$(head -c 10000 /dev/zero | tr '\0' 'x')"
expect_rc "10,000-character word" 1
[ -z "$ERR" ] && ok || fail "10,000-character word: stderr $ERR"

# only stopwords: searched as they are (or nothing), never an error
run_q --db "$DB" -n 3 'the and of a is to'
[ "$RC" -le 1 ] && ok || fail "stopword query: exit $RC ($ERR)"
[ -z "$ERR" ] && ok || fail "stopword query: stderr $ERR"
# only punctuation: nothing to search
run_q --db "$DB" '!!! ??? ... ,,, ;;; --- ((( )))'
expect_rc "punctuation query" 1
[ -z "$OUT$ERR" ] && ok || fail "punctuation query printed: $OUT $ERR"
run_q --db "$DB" --strict '!!! ??? ,,, ;;;'
[ "$RC" -le 1 ] && ok || fail "punctuation query --strict: exit $RC ($ERR)"

# a damaged index: one line naming it and saying what to do, exit 2
cp -r "$DB" "$TMP/damaged.db"
# (the postings and the passage records: every block zeroed, the size kept)
pl=$(find "$TMP/damaged.db" -name postlist.glass)
blocks=$(($(wc -c <"$pl") / 8192))
dd if=/dev/zero of="$pl" bs=8192 count="$blocks" conv=notrunc 2>/dev/null
run_q --db "$TMP/damaged.db" -n 3 cetirizine
expect_rc "damaged index" 2
one_line "damaged index" "damaged.db" "^medquery: $TMP/damaged.db: .*(damaged|rebuild)"

# NUL bytes in a --batch line: that line is an error, the others are answered
printf 'cetirizine\nbad\000line\nloratadine\n' >"$TMP/batch.txt"
run_q --db "$DB" --batch "$TMP/batch.txt" --format tsv -n 1
expect_rc "batch with a NUL byte" 0
one_line "batch with a NUL byte" "batch.txt" "^medquery: $TMP/batch.txt:2: NUL byte in query, line skipped$"
qids=$(printf '%s\n' "$OUT" | tail -n +2 | cut -f1 | sort -u | tr '\n' ' ')
[ "$qids" = "1 3 " ] && ok || fail "batch with a NUL byte: answered qids '$qids', want '1 3 '"
# a qid that is not UTF-8 could not be written in JSON: that line is an error
printf 'q1\tcetirizine\nq\3772\tloratadine\nq3\tloratadine\n' >"$TMP/batch.txt"
run_q --db "$DB" --batch "$TMP/batch.txt" --format json -n 1
expect_rc "batch with a non-UTF-8 qid" 0
one_line "batch with a non-UTF-8 qid" "batch.txt" "^medquery: $TMP/batch.txt:2: the qid is not valid UTF-8, line skipped$"
qids=$(jq -r .qid <<<"$OUT" | tr '\n' ' ')
[ "$qids" = "q1 q3 " ] && ok || fail "batch with a non-UTF-8 qid: answered qids '$qids', want 'q1 q3 '"
printf '\000\n' | { run_q --db "$DB" --batch - -n 1; expect_rc "batch of only a NUL line" 2; }

# parentheses nested deeper than the parser goes (9,990: under the length
# limit, and deep enough to overflow the stack of a parser without a limit)
deep="$(printf '(%.0s' $(seq 9990))fever"
run_q --db "$DB" -n 1 --format tsv "$deep"
expect_rc "9,990 nested parentheses" 0
expect_out "9,990 nested parentheses: read as words" "fever"
run_q --db "$DB" --strict -n 1 "$deep"
expect_rc "9,990 nested parentheses --strict" 2
one_line "9,990 nested parentheses --strict" "query syntax" \
    "^medquery: query syntax: parentheses nest too deeply \(more than 100 levels\)$"
# the limit: 100 levels are read, 101 are a syntax error
open100=$(printf '(%.0s' $(seq 100))
close100=$(printf ')%.0s' $(seq 100))
run_q --db "$DB" --strict -n 1 "${open100}fever${close100}"
expect_rc "100 nested parentheses --strict" 0
run_q --db "$DB" --strict -n 1 "(${open100}fever${close100})"
expect_rc "101 nested parentheses --strict" 2
expect_err "101 nested parentheses --strict" "^medquery: query syntax: parentheses nest too deeply"

# queries over the size limits: one line naming the limit, exit 2; in a
# batch that line is skipped and the others answered
big=$(yes 'fever cough' | head -c 200000 | tr '\n' ' ')
# (as 33,334 arguments, joined with spaces: one argument may hold 128 KB)
# shellcheck disable=SC2086
run_q --db "$DB" -n 1 $big
expect_rc "200,000-byte query" 2
one_line "200,000-byte query" "query" "^medquery: query too long \(200000 bytes, limit 10000\)$"
[ -z "$OUT" ] && ok || fail "200,000-byte query: output $OUT"
run_q --db "$DB" -n 1 "$(head -c 10001 /dev/zero | tr '\0' 'a')"
expect_rc "10,001-byte query" 2
expect_err "10,001-byte query" "^medquery: query too long \(10001 bytes, limit 10000\)$"
run_q --db "$DB" -n 1 "$(yes flu | head -n 2001 | tr '\n' ' ')"
expect_rc "2,001-word query" 2
one_line "2,001-word query" "query" "^medquery: query has too many words \(2001, limit 2000\)$"
run_q --db "$DB" -n 1 "$(yes flu | head -n 2000 | tr '\n' ' ')"
expect_rc "2,000-word query" 0
[ -z "$ERR" ] && ok || fail "2,000-word query: stderr $ERR"
printf 'cetirizine\n%s\nloratadine\n' "$big" | {
    run_q --db "$DB" --batch - --format tsv -n 1
    expect_rc "batch with a 200,000-byte line" 0
    one_line "batch with a 200,000-byte line" "query" \
        "^medquery: stdin:2: query too long \(200000 bytes, limit 10000\)$"
    qids=$(printf '%s\n' "$OUT" | tail -n +2 | cut -f1 | sort -u | tr '\n' ' ')
    [ "$qids" = "1 3 " ] && ok || fail "batch with a 200,000-byte line: answered qids '$qids'"
}

# BM25 parameters that are not numbers from 0 to 100 (or, for b, 0 to 1)
for opt in --k1 --b; do
    for v in nan NaN -nan inf -inf -1 1e999; do
        run_q --db "$DB" "$opt" "$v" -n 1 fever
        expect_rc "$opt $v" 2
        one_line "$opt $v" "$opt" "^medquery: $opt must be a number from 0 to 100, not '$v'$"
        [ -z "$OUT" ] && ok || fail "$opt $v: output $OUT"
    done
done
run_q --db "$DB" --b 2 -n 1 fever
expect_rc "--b 2" 2
run_q --db "$DB" --k1 1.2 --b 0.75 --format json -n 3 fever
expect_rc "--k1 1.2 --b 0.75" 0
[ "$(jq -r '.score | type' <<<"$OUT" | sort -u)" = number ] && ok ||
    fail "--k1 1.2 --b 0.75: scores not all numbers: $OUT"

# control characters in a path (ESC, line feed, tab, and a back slash): no
# output or message carries them, no line is split, and the escapes
# (\\, \n, \t, \r, \xHH) give the name back
K=$TMP/ctl
mkdir -p "$K"
name=$'a\033b\nc\td\\e.txt'
esc='a\x1bb\nc\td\\e.txt'
printf 'Zzctl notes\n\nThe zzctl passage.\n' >"$K/$name"
head -c 3000 /dev/urandom >"$K/bin"$'\033'".txt"
run_i --db "$TMP/ctl.db" "$K"
expect_rc "control characters in paths: indexed" 1
[ "$(printf '%s\n' "$ERR" | grep -F "$K/bin")" = "medindex: $K/bin\\x1b.txt: binary file" ] && ok ||
    fail "control characters: medindex message: $ERR"
[[ $ERR == *$'\033'* ]] && fail "control characters: ESC in medindex's messages" || ok
run_i --db "$TMP/ctl.db" --stats "$K"
[ "$(printf '%s\n' "$OUT" | grep -F 'failed: bin')" = '  failed: bin\x1b.txt: binary file' ] && ok ||
    fail "control characters: --stats lists the failed file as: $OUT"
[[ $OUT == *$'\033'* ]] && fail "control characters: ESC in --stats" || ok
run_q --db "$TMP/ctl.db" --color never zzctl
expect_rc "control characters: text" 0
[[ $OUT == *$'\033'* || $OUT == *$'\t'* ]] && fail "control characters: text: a raw ESC or tab" || ok
[ "$(printf '%s\n' "$OUT" | grep -cF "   $esc:3  score")" -eq 1 ] && ok ||
    fail "control characters: text: no line with the escaped path: $OUT"
run_q --db "$TMP/ctl.db" --format tsv zzctl
expect_rc "control characters: TSV" 0
[ "$(printf '%s\n' "$OUT" | wc -l)" -eq 2 ] && ok || fail "control characters: TSV lines split: $OUT"
[ "$(printf '%s\n' "$OUT" | tail -1 | awk -F'\t' '{print NF}')" -eq 11 ] && ok ||
    fail "control characters: TSV: not 11 fields: $OUT"
field=$(printf '%s\n' "$OUT" | tail -1 | cut -f4)
[ "$field" = "$esc" ] && ok || fail "control characters: TSV path '$field', want '$esc'"
[ "$(printf '%b' "$field")" = "$name" ] && ok || fail "control characters: TSV path does not decode"
[[ $OUT == *$'\033'* ]] && fail "control characters: TSV: a raw ESC" || ok
run_q --db "$TMP/ctl.db" --format trec zzctl
expect_rc "control characters: TREC" 0
read -r qid q0 docid rest <<<"$OUT"
[ "$(printf '%s\n' "$OUT" | wc -l)" = 1 ] && [ "$qid $q0" = "1 Q0" ] && [ "${docid%:*}" = "$esc" ] &&
    [ "$rest" = "1 ${rest#1 }" ] && ok || fail "control characters: TREC line: $OUT"
run_q --db "$TMP/ctl.db" --format json zzctl
[ "$(jq -r .path <<<"$OUT")" = "$name" ] && ok || fail "control characters: JSON path: $OUT"
run_q --db "$TMP/no"$'\033'"where" zzctl
expect_rc "control characters in --db" 2
[[ $ERR == "medquery: $TMP/no\\x1bwhere: "* ]] && ok ||
    fail "control characters in --db: not escaped: $ERR"
[[ $ERR == *$'\033'* ]] && fail "control characters: ESC in medquery's message" || ok

intact "queries"
finish
