# Narrowing (issue #26): --path GLOB keeps the files under matching paths,
# --since/--until keep the articles dated in a range (ISO 8601 dates in
# front matter), --undated adds those without a date, --sort date ranks
# newest first with the undated last; with -c, -l, --batch, and the same on
# a 2-shard index.
. "$(dirname "$0")/lib.sh"
C=$TMP/c
mkdir -p "$C/sub/deeper"
# md FILE DATE WORDS: a Markdown article dated DATE ("" for none)
md() {
    { echo "---"; echo "title: Note $(basename "$1" .md)"; [ -n "$2" ] && echo "date: $2"; echo "---"
      echo; echo "# Note"; echo; echo "$3"; } >"$C/$1"
}
md a.md 2024-03-01 "zzdate fever and rest."
md b.md 2023-11-15 "zzdate zzdate cough syrup."
md c.md 2024-12 "zzdate rash cream."
md d.md 2022 "zzdate zzdate zzdate old advice."
md e.md "" "zzdate undated note."
md sub/f.md 2024-06-30 "zzdate sunburn care."
printf 'Deeper note\n\nzzdate plain text, undated.\n' >"$C/sub/deeper/g.txt"
run_i --db "$TMP/n.db" "$C"
expect_rc "indexing the dated corpus" 0
run_i --shards 2 -j 2 --db "$TMP/sh.db" "$C"
expect_rc "indexing it in 2 shards" 0

# files DB ARGS...: the files found for zzdate, sorted
files() { local db=$1; shift; "$MEDQUERY" --db "$db" -l -n 100 --no-spelling "$@" zzdate | sort | tr '\n' ' '; }
# want DESC WANT ARGS...: the files, on the single index and on the shards
want() {
    local d=$1 w=$2
    shift 2
    [ "$(files "$TMP/n.db" "$@")" = "$w" ] && ok || fail "$d: $(files "$TMP/n.db" "$@"), want $w"
    [ "$(files "$TMP/sh.db" "$@")" = "$w" ] && ok || fail "$d on 2 shards: $(files "$TMP/sh.db" "$@"), want $w"
}
want "all" "a.md b.md c.md d.md e.md sub/deeper/g.txt sub/f.md "

# ---- --path ----
want "--path a folder" "sub/deeper/g.txt sub/f.md " --path sub
want "--path a folder glob" "sub/deeper/g.txt " --path 'sub/d*'
want "--path by extension, at any depth" "sub/deeper/g.txt " --path '*.txt'
want "--path repeated: any of them" "a.md sub/deeper/g.txt " --path a.md --path sub/deeper
want "--path ?" "a.md b.md " --path '[ab].md'
run_q --db "$TMP/n.db" --no-spelling --path nothing/here zzdate
expect_rc "--path matching no file: nothing found" 1
# path:GLOB in the query, as --path (any of them); not inside quotes
for db in "$TMP/n.db" "$TMP/sh.db"; do
    [ "$("$MEDQUERY" --db "$db" -l -n 100 --no-spelling 'path:sub zzdate' | sort | tr '\n' ' ')" = "sub/deeper/g.txt sub/f.md " ] &&
        ok || fail "path:sub in the query on $db"
    [ "$("$MEDQUERY" --db "$db" -l -n 100 --no-spelling --path a.md 'zzdate path:*.txt' | sort | tr '\n' ' ')" = "a.md sub/deeper/g.txt " ] &&
        ok || fail "path: and --path together on $db"
done
run_q --db "$TMP/n.db" -l --no-spelling '"path:sub zzdate"'
expect_rc "a quoted path: is words" 1
run_q --db "$TMP/n.db" --no-spelling 'path:sub zzdate'
expect_no_out "path: is no word searched" "unknown field"
printf 'q1\tpath:sub zzdate\nq2\tzzdate\n' >"$TMP/pb"
run_q --db "$TMP/n.db" -c -f json --no-spelling --batch "$TMP/pb"
[ "$(jq -r '[.qid, .matches] | @tsv' <<<"$OUT" | tr '\n' ' ')" = "q1	2 q2	7 " ] && ok || fail "path: in a batch narrows its query only: $OUT"

# ---- --since, --until, --undated ----
want "--since a day" "a.md c.md sub/f.md " --since 2024-01-01
want "--until a year takes the whole year" "b.md d.md " --until 2023
want "--since and --until months" "a.md sub/f.md " --since 2024-03 --until 2024-06
want "--until a day" "b.md d.md " --until 2023-11-15
want "--since the last day" "c.md sub/f.md " --since 2024-06-30
want "--undated adds the undated" "b.md d.md e.md sub/deeper/g.txt " --until 2023 --undated
want "dates and paths together" "sub/deeper/g.txt sub/f.md " --path sub --since 2024 --undated
run_q --db "$TMP/n.db" -c --no-spelling --since 2024 zzdate
[ "$OUT" = 3 ] && ok || fail "-c --since 2024: $OUT"

# ---- --sort date: newest first, undated last (then by score) ----
for db in "$TMP/n.db" "$TMP/sh.db"; do
    run_q --db "$db" -f json -n 100 --no-spelling --sort date zzdate
    [ "$(jq -r .path <<<"$OUT" | head -5 | tr '\n' ' ')" = "c.md sub/f.md a.md b.md d.md " ] && ok ||
        fail "--sort date on $db: $(jq -r '[.path, .date] | @tsv' <<<"$OUT")"
    [ "$(jq -r .path <<<"$OUT" | tail -2 | sort | tr '\n' ' ')" = "e.md sub/deeper/g.txt " ] && ok ||
        fail "--sort date: the undated not last on $db"
    [ "$(jq -r .rank <<<"$OUT" | tr '\n' ' ')" = "1 2 3 4 5 6 7 " ] && ok || fail "--sort date ranks"
done
run_q --db "$TMP/n.db" -f json -n 2 --offset 1 --no-spelling --sort date zzdate
[ "$(jq -r .path <<<"$OUT" | tr '\n' ' ')" = "sub/f.md a.md " ] && ok || fail "--sort date pages: $OUT"
run_q --db "$TMP/n.db" -f json -n 100 --no-spelling --sort score zzdate
[ "$(jq -r .path <<<"$OUT" | head -1)" = d.md ] && ok || fail "--sort score: the most zzdate first: $OUT"

# ---- in a batch: every query narrowed alike ----
printf 'q1\tzzdate\nq2\tzzdate fever\n' >"$TMP/batch"
run_q --db "$TMP/n.db" -f json -c --since 2024 --no-spelling --batch "$TMP/batch"
[ "$(jq -r '[.qid, .matches] | @tsv' <<<"$OUT" | tr '\n' ' ')" = "q1	3 q2	3 " ] && ok ||
    fail "--since in a batch: $OUT"

# ---- bad input: one line naming it, exit 2 ----
for bad in 2024-13 2024-02-30x 24-01-01 2024/01/01 yesterday 2024-1-1 ""; do
    run_q --db "$TMP/n.db" --since "$bad" zzdate
    expect_rc "--since '$bad'" 2
    expect_err "--since '$bad' named" "^medquery: --since takes a date YYYY-MM-DD \(or YYYY-MM, YYYY\), not '$bad'$"
done
run_q --db "$TMP/n.db" --until 2024-00 zzdate
expect_rc "--until month 0" 2
run_q --db "$TMP/n.db" --undated zzdate
expect_rc "--undated alone" 2
expect_err "--undated alone named" "^medquery: --undated goes with --since or --until$"
run_q --db "$TMP/n.db" --since 2024-04 --until 2024-03-31 zzdate
expect_rc "--since after --until" 2
run_q --db "$TMP/n.db" --since 2024-03-05 --until 2024-03 zzdate
expect_rc "--since within --until's month: no error, nothing found" 1
run_q --db "$TMP/n.db" --sort newest zzdate
expect_rc "--sort newest" 2
expect_err "--sort named" "^medquery: --sort takes score or date, not 'newest'$"
finish
