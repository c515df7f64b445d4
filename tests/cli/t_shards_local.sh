# Sharded indexes searched locally: a 2-shard index, through its directory
# or its XAPIANDB stub, answers exactly as a single index of the same
# corpus; medindex refuses what would mix sharded and single indexes; a
# shard that is missing or was built with other settings is named;
# --allow-partial answers from the rest; incremental runs keep the shards
# equal to a fresh single index. (t_shards_remote: through xapian-tcpsrv.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_shards.sh"

# ---- a single index and a 2-shard index of the bundled corpus ----
shards_setup
[ -d "$SH/shard-0" ] && [ -d "$SH/shard-1" ] && [ ! -e "$SH/shard-2" ] && ok ||
    fail "2-shard build: shard-0 and shard-1 wanted: $(ls "$SH")"
[ "$(cat "$SH/XAPIANDB")" = $'auto shard-0\nauto shard-1' ] && ok ||
    fail "XAPIANDB stub: $(cat "$SH/XAPIANDB")"
# (as far as a query for common words lists them)
passages_of() {
    "$MEDQUERY" --db "$1" --format tsv -n 10000 --no-spelling --no-expand \
        'the OR and OR a OR of OR to OR is OR in' 2>/dev/null | tail -n +2 | cut -f4,8,9 | sort
}
n0=$(passages_of "$SH/shard-0" | wc -l)
n1=$(passages_of "$SH/shard-1" | wc -l)
nall=$(passages_of "$DB" | wc -l)
[ "$n0" -gt 0 ] && [ "$n1" -gt 0 ] && [ "$nall" -gt 500 ] && [ $((n0 + n1)) -eq "$nall" ] && ok ||
    fail "shards hold $n0 + $n1 passages, the single index $nall"
[ "$(sort <(passages_of "$SH/shard-0") <(passages_of "$SH/shard-1"))" = "$(passages_of "$DB")" ] &&
    ok || fail "the shards do not hold the passages of the single index"
if command -v xapian-delve >/dev/null; then
    docs() { xapian-delve "$1" | sed -n 's/^number of documents = //p'; }
    [ "$(($(docs "$SH/shard-0") + $(docs "$SH/shard-1")))" -eq "$(docs "$DB")" ] && ok ||
        fail "document counts: $(docs "$SH/shard-0") + $(docs "$SH/shard-1") vs $(docs "$DB")"
fi

# local shards: the directory and its stub file both open as one index
same_as_single "local shards" "$SH" "$DB"
same_as_single "local stub file" "$SH/XAPIANDB" "$DB"
# wildcards are the exception: Xapian 1.4 expands them in each shard with
# that shard's statistics, so their scores differ; the matches do not
same_matches "wildcard on shards" "$SH" "$DB" 'loratad*'
# 3 shards: the passages do not depend on the split (each shard learns the
# boilerplate lines of a site from the whole corpus)
"$MEDINDEX" -q --shards 3 --db "$TMP/sh3.db" "$C" || fail "3-shard build"
same_as_single "3 local shards" "$TMP/sh3.db" "$DB"


# ---- medindex on sharded indexes ----
run_i --shards 3 --db "$SH" "$C"
expect_rc "other shard count" 2
expect_err "other shard count message" "has 2 shards, not 3"
run_i --shards 2 --db "$DB" "$C"
expect_rc "shards into a single index" 2
expect_err "shards into a single index message" "is a single index"
run_i --db "$SH/XAPIANDB" "$C" # the stub names its directory
expect_rc "update through the stub file" 0
expect_summary "update through the stub file" unchanged "$NFILES"
run_i --db "$SH/shard-0" "$C" # a shard alone would take every file
expect_rc "update of one shard alone" 2
expect_err "update of one shard alone message" "is a shard of the sharded index $SH"
run_i -n --shards 2 --db "$TMP/dry.db" "$C"
expect_rc "sharded dry run" 0
[ ! -e "$TMP/dry.db" ] && ok || fail "a sharded dry run created $TMP/dry.db"
mkdir -p "$TMP/docs" && echo keep >"$TMP/docs/notes.txt"
run_i --shards 2 --db "$TMP/docs" "$C"
expect_rc "shards into a directory of other files" 2
run_i --rebuild -j 2 --db "$TMP/docs" "$C"
expect_rc "parallel rebuild of a directory of other files" 2
expect_err "directory of other files message" "a directory of other files"
[ "$(ls "$TMP/docs")" = notes.txt ] && ok || fail "a refused build changed $TMP/docs: $(ls "$TMP/docs")"

# ---- settings: a shard built with other settings is named ----
french_db
printf 'auto %s\nauto %s\n' "$SH/shard-0" "$TMP/fr.db" >"$TMP/mixed.stub"
run_q --db "$TMP/mixed.stub" headache
expect_rc "settings mismatch" 2
expect_err "settings mismatch names the shard" "^medquery: $TMP/fr.db: index built with other settings \(language: french"
expect_err "settings mismatch names the stub" "shard of $TMP/mixed.stub"
printf 'auto %s\nauto sh.db/shard-1\n' "$TMP/fr.db" >"$TMP/first-fr.stub"
run_q --db "$TMP/first-fr.stub" headache
expect_rc "settings mismatch, other order" 2
expect_err "settings mismatch names the other shard" "^medquery: $TMP/sh.db/shard-1: index built with other settings"
run_q --db "$TMP/mixed.stub" --allow-partial headache
expect_rc "--allow-partial does not hide a settings mismatch" 2

# a shard that is missing, and a stub line medquery does not know
printf 'auto shard-0\nauto shard-9\n' >"$SH/missing.stub"
run_q --db "$SH/missing.stub" headache
expect_rc "missing shard" 2
expect_err "missing shard named" "$SH/shard-9: no index there"
run_q --db "$SH/missing.stub" --allow-partial --format json headache
expect_rc "missing shard, --allow-partial" 0
expect_err "missing shard warning" "warning: answering without shards that cannot be reached: $SH/shard-9"
printf 'auto shard-0\nchert shard-1\n' >"$SH/bad.stub"
run_q --db "$SH/bad.stub" headache
expect_rc "unsupported stub line" 2
expect_err "unsupported stub line message" "bad.stub:2: unsupported stub line 'chert shard-1'"
rm -f "$SH"/*.stub
# stub paths may hold spaces (the rest of the line, as Xapian reads it)
mkdir -p "$TMP/with space"
cp -r "$SH/shard-0" "$SH/shard-1" "$TMP/with space/"
printf 'auto with space/shard-0\nglass %s \n' "$TMP/with space/shard-1" >"$TMP/space.stub"
answer "$TMP/space.stub" headache
a=$ANS
answer "$SH" headache
[ "$ARC" -eq 0 ] && [ "$a" = "$ANS" ] && ok || fail "stub paths with spaces"

# ---- incremental runs on the shards ----
change_corpus
# the new file is in exactly one shard
q0=$("$MEDQUERY" --db "$SH/shard-0" --format tsv -n 100 --no-spelling quorbal 2>/dev/null | grep -c quorbal-flu)
q1=$("$MEDQUERY" --db "$SH/shard-1" --format tsv -n 100 --no-spelling quorbal 2>/dev/null | grep -c quorbal-flu)
{ [ "$q0" -eq 0 ] && [ "$q1" -gt 0 ]; } || { [ "$q0" -gt 0 ] && [ "$q1" -eq 0 ]; } && ok ||
    fail "the added file is in shard-0 ($q0 passages) and shard-1 ($q1)"
same_as_single "shards after an incremental run" "$SH" "$TMP/fresh.db"
# a rebuild of the shards gives the same again
run_i --rebuild --db "$SH" "$C"
expect_rc "rebuild of the shards" 0
same_as_single "shards after --rebuild" "$SH" "$TMP/fresh.db"

# stubs that name each other: refused, naming the stub (Xapian would follow
# them until the stack overflows); a stub naming a stub, or a single index
# (itself a folder with a stub), opens
printf 'auto self.stub\n' >"$TMP/self.stub"
run_q --db "$TMP/self.stub" headache
expect_rc "a stub naming itself" 2
expect_err "a stub naming itself: the reason" "self.stub: stubs name each other in a loop, or nest over 8 deep"
printf 'auto b.stub\n' >"$TMP/a.stub"
printf 'auto shard-0\nauto a.stub\n' >"$TMP/b.stub"
run_q --db "$TMP/a.stub" headache
expect_rc "two stubs naming each other" 2
expect_err "two stubs naming each other: the reason" "stubs name each other in a loop"
printf 'auto %s\n' "$SH/XAPIANDB" >"$TMP/outer.stub"
printf 'auto outer.stub\n' >"$TMP/outer2.stub"
same_as_single "a stub naming a stub" "$TMP/outer2.stub" "$TMP/fresh.db"
printf 'auto %s\n' "$DB" >"$TMP/single.stub"
same_as_single "a stub naming a single index" "$TMP/single.stub" "$DB"

finish
