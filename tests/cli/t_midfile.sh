# In the middle of one long file: a SIGTERM or SIGINT stops the run there,
# and the file is left out whole (not finished first, not half indexed);
# and a file that becomes a FIFO between the walk and its reading is
# skipped with a message, never waited on. Every signal lands on an event
# read from /proc/PID/io: the bytes the process has read show that it has
# read the long file for the last time, so it is parsing it or adding its
# passages, for seconds of work; the bytes it writes, that it is adding
# them. Never after a time.
. "$(dirname "$0")/lib.sh"
snapshot_lexicon
C=$TMP/c
mkdir -p "$C/site"
for i in 1 2 3; do
    printf 'Small %d\n\nzzsmall small%d fever and cough in children, with rest and fluids.\n' \
        "$i" "$i" >"$C/site/a$i.txt"
done
# the long file: 16 MB, a section every 12 lines (about 24,000 passages)
awk 'BEGIN {
    split("fever cough rash itch headache nausea asthma eczema sleep water rest skin", W, " ")
    srand(7); print "A very long article\n"
    for (s = 0; s < 24000; s++) {
        printf "Part %d of the long article\n\n", s
        for (l = 0; l < 10; l++) {
            line = "zzbig part" s
            for (k = 0; k < 10; k++) line = line " " W[1 + int(rand() * 12)]
            print line "."
        }
        print ""
    }
}' >"$C/site/big.txt"
BIG=$(stat -c %s "$C/site/big.txt")
[ "$BIG" -gt 10000000 ] && ok || fail "the long file has $BIG bytes"

# io PID FIELD: a count of /proc/PID/io: rchar (bytes read), wchar (written)
io() {
    local k v
    while read -r k v; do
        [ "$k" = "$2:" ] && echo "$v" && return 0
    done <"/proc/$1/io"
    return 1
}
# until_io PID FIELD BYTES: wait until the count is at least BYTES; fails
# if the process ends first
until_io() {
    local n
    while running "$1"; do
        n=$(io "$1" "$2" 2>/dev/null) || continue
        [ "$n" -ge "$3" ] && return 0
    done
    return 1
}
until_read() { until_io "$1" rchar "$2"; }
have_check=0
command -v xapian-check >/dev/null && have_check=1
# intact WHAT: every database of the index passes xapian-check
intact() {
    local d
    [ "$have_check" -eq 1 ] || return 0
    for d in "$DB"/gen-*; do
        [ -f "$d/iamglass" ] || continue
        xapian-check "$d" >"$TMP/check.out" 2>&1 && ok ||
            fail "$1: xapian-check ${d#"$TMP"/}: $(tail -3 "$TMP/check.out")"
    done
}
# found WORD: the number of passages that have WORD (-c: exact up to 10,000,
# else "about N", which is no number and fails the comparisons)
found() {
    "$MEDQUERY" --db "$DB" -c --no-spelling "$1" 2>/dev/null
}

# ---- SIGTERM while the long file's passages are added ----
# The run reads the long file twice: for the boilerplate, then to index
# it. Once it has read twice its size, it is in the second; with Xapian
# told to write its pending documents out every 1,000, the first write
# after that shows it adding the passages (the parse is over). It stops
# there, at the next passage, and leaves the file out, those written out
# too, as if it had not started it.
DB=$TMP/term.db
XAPIAN_FLUSH_THRESHOLD=1000 "$MEDINDEX" -j1 --batch 1 --db "$DB" "$C" 2>"$TMP/run.err" &
PID=$!
if until_read "$PID" $((2 * BIG)) && w=$(io "$PID" wchar) && until_io "$PID" wchar $((w + 1)); then
    kill -TERM "$PID"
else
    fail "SIGTERM: medindex ended before it added the long file's passages: $(cat "$TMP/run.err")"
fi
wait "$PID"
RC=$?
ERR=$(cat "$TMP/run.err")
expect_rc "SIGTERM in the long file" 143
[ "$(grep -c '^medindex: interrupted; committed work is kept, run again to finish$' <<<"$ERR")" -eq 1 ] &&
    ok || fail "SIGTERM in the long file: message: $ERR"
expect_err "SIGTERM: at the next passage" "^medindex: 4 files: 3 indexed, 0 unchanged, 0 removed, 0 failed; 3 passages added"
intact "SIGTERM in the long file"
[ "$(found zzsmall)" -eq 3 ] && ok || fail "SIGTERM: the small files committed before are not all there"
[ "$(found zzbig)" -eq 0 ] && ok || fail "SIGTERM: the long file is half indexed: $(found zzbig) passages"
run_i -j1 --db "$DB" "$C"
expect_rc "the run after SIGTERM" 0
expect_summary "the run after SIGTERM" indexed 1
expect_summary "the run after SIGTERM" unchanged 3
N_BIG=$(found zzbig)
[ "$N_BIG" -gt 5000 ] && ok || fail "the long file: $N_BIG passages"

# ---- SIGINT inside the long file, in an incremental run ----
# Signalled as soon as it has read the long file twice: mostly while it
# parses it, where the run does not look; medindex then ends it half a
# second later, at its last commit. Either way it must not finish the file.
printf 'zzedited the long article ends here.\n' >>"$C/site/big.txt"
BIG=$(stat -c %s "$C/site/big.txt")
"$MEDINDEX" --batch 1 --db "$DB" "$C" 2>"$TMP/run.err" &
PID=$!
until_read "$PID" $((2 * BIG)) && kill -INT "$PID" ||
    fail "SIGINT: medindex ended before it read the long file twice: $(cat "$TMP/run.err")"
wait "$PID"
RC=$?
ERR=$(cat "$TMP/run.err")
expect_rc "SIGINT in the long file" 130
[ "$(grep -c '^medindex: interrupted; committed work is kept, run again to finish$' <<<"$ERR")" -eq 1 ] &&
    ok || fail "SIGINT in the long file: message: $ERR"
intact "SIGINT in the long file"
[ "$(found zzsmall)" -eq 3 ] && ok || fail "SIGINT: the small files are not all there"
[ "$(found zzedited)" -eq 0 ] && ok || fail "SIGINT: the long file was finished"
grep -q '^medindex: 4 files:' <<<"$ERR" && echo "SIGINT landed while passages were added" ||
    echo "SIGINT landed in the parse: medindex ended the run"
run_i --db "$DB" "$C"
expect_rc "the run after SIGINT" 0
[ "$(found zzedited)" -eq 1 ] && ok || fail "the run after SIGINT: the edit is not found"
[ "$(found zzbig)" -eq "$N_BIG" ] && ok || fail "the run after SIGINT: the long file is not whole"

# ---- a file replaced by a FIFO after the walk ----
# The long file and b.txt are new: the run reads both for the boilerplate
# (b.txt as a regular file), then indexes the long file, for seconds, before
# b.txt. Once it has read the long file twice, it is stopped (SIGSTOP),
# b.txt becomes a FIFO, and it goes on: opening the FIFO must not block it.
rm -rf "$DB" "$C/site/a"*.txt
mv "$C/site/big.txt" "$C/site/a-big.txt"
printf 'Bee\n\nzzfifo a file that becomes a FIFO.\n' >"$C/site/b.txt"
BIG=$(stat -c %s "$C/site/a-big.txt")
"$MEDINDEX" -j1 --db "$DB" "$C" 2>"$TMP/run.err" &
PID=$!
if until_read "$PID" $((2 * BIG)) && kill -STOP "$PID"; then
    rm "$C/site/b.txt" && mkfifo "$C/site/b.txt" && ok || fail "FIFO: cannot make the FIFO"
    kill -CONT "$PID"
else
    fail "FIFO: medindex ended before it read the long file twice: $(cat "$TMP/run.err")"
fi
wait "$PID"
RC=$?
ERR=$(cat "$TMP/run.err")
expect_rc "FIFO in place of a file" 1
expect_err "FIFO: named and skipped" "^medindex: $C/site/b.txt: not a regular file$"
expect_err "FIFO: the run ends" "^medindex: 2 files: 1 indexed, 0 unchanged, 0 removed, 1 failed;"
[ "$(found zzbig)" -eq "$N_BIG" ] && ok || fail "FIFO: the long file is not indexed whole"
# the next run: the walk skips the FIFO (not a regular file); its record goes
run_i --db "$DB" "$C"
expect_rc "the run after the FIFO" 0
expect_summary "the run after the FIFO" failed 0
finish
