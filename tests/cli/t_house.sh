# The house rules of lib/, checked on the source tree and the built library:
#  - every file of lib/ opens with a comment saying what it holds;
#  - no file of lib/ is over 700 lines;
#  - the includes form no cycle (a header of lib/ is included by its
#    folder, "FOLDER/NAME.h"), and no object calls into another that calls
#    back into it, however indirectly (nm: the symbols each object uses
#    and defines): the dependencies run one way;
#  - the installed library exports only what include/medsearch.h declares,
#    all of it named ms_*.
. "$(dirname "$0")/lib.sh"
: "${BUILD:?}"
cd "$SRC" || exit 2

files=$(find lib -name '*.c' -o -name '*.cc' -o -name '*.h' | LC_ALL=C sort)
[ -n "$files" ] || fail "no files under lib/"
for f in $files; do
    head -1 "$f" | grep -qE '^(/\*|//)' && ok || fail "$f does not open with a comment"
    n=$(wc -l <"$f")
    [ "$n" -le 700 ] && ok || fail "$f has $n lines (at most 700)"
done

# the include graph: one "from to" pair per include of a header of lib/
# (named by folder), which must have no loop
for f in $files; do
    grep -oE '^#include "[^"]+\.h"' "$f" | sed -E 's/^#include "(.*)"$/\1/' |
        while read -r h; do
            if [ -f "lib/$h" ]; then
                echo "$f lib/$h"
            elif [ -f "$(dirname "$f")/$h" ]; then
                fail "$f includes \"$h\" by its own folder: name it \"FOLDER/$h\""
            fi
        done
done >"$TMP/edges"
[ -s "$TMP/edges" ] && ok || fail "no includes between the files of lib/ found"
if tsort "$TMP/edges" >/dev/null 2>"$TMP/tsort.err"; then ok; else
    fail "the includes of lib/ form a cycle: $(grep -v 'input contains a loop' "$TMP/tsort.err" | tr '\n' ' ')"
fi
# a header that declares functions is the interface of its folder: some .c
# there defines them
for h in $(find lib -name '*.h' | LC_ALL=C sort); do
    if grep -qE '^[a-z_][a-z_0-9 *]*\bms[x]?_[a-z_0-9]+\(' "$h"; then
        [ -n "$(find "$(dirname "$h")" -maxdepth 1 -name '*.c' -o -maxdepth 1 -name '*.cc')" ] && ok ||
            fail "$h declares functions but its folder has no .c"
    fi
done

# the same from the linker's side: a.o depends on b.o when it calls (or
# reads) a symbol b.o defines; no cycle either
# (the objects of sources that are still there: a build directory may hold
# those of files since moved)
objs=$(find "$BUILD/CMakeFiles/medsearch.dir/lib" -name '*.o' 2>/dev/null | LC_ALL=C sort |
    while read -r o; do
        src=${o#"$BUILD"/CMakeFiles/medsearch.dir/}
        [ -f "${src%.o}" ] && echo "$o"
    done)
if [ -n "$objs" ]; then
    for o in $objs; do
        nm --defined-only "$o" | awk -v f="${o#"$BUILD"/CMakeFiles/medsearch.dir/}" \
            '$2 ~ /^[TDBRVW]$/ {print $3, f}'
    done | sort -k1,1 >"$TMP/defs"
    for o in $objs; do
        nm -u "$o" | awk -v f="${o#"$BUILD"/CMakeFiles/medsearch.dir/}" '{print $2, f}'
    done | sort -k1,1 >"$TMP/uses"
    join "$TMP/uses" "$TMP/defs" | awk '$2 != $3 {print $2, $3}' | sort -u >"$TMP/calls"
    [ -s "$TMP/calls" ] && ok || fail "no calls between the objects of lib/ found"
    if tsort "$TMP/calls" >/dev/null 2>"$TMP/tsort.err"; then ok; else
        fail "the objects of lib/ call each other in a cycle: $(grep -v 'input contains a loop' "$TMP/tsort.err" | tr '\n' ' ')"
    fi
    # and the folders (the stages) use each other one way too
    awk '{split($1, a, "/"); split($2, b, "/"); if (a[2] != b[2]) print a[2], b[2]}' \
        "$TMP/calls" | sort -u >"$TMP/stages"
    if tsort "$TMP/stages" >/dev/null 2>"$TMP/tsort.err"; then ok; else
        fail "the folders of lib/ call each other in a cycle: $(grep -v 'input contains a loop' "$TMP/tsort.err" | tr '\n' ' ')"
    fi
else
    fail "no objects of lib/ under $BUILD/CMakeFiles/medsearch.dir"
fi

# the exported symbols of the library as installed
lib="$BUILD/libmedsearch.a"
if [ -f "$lib" ] && command -v nm >/dev/null 2>&1; then
    nm -g --defined-only "$lib" 2>/dev/null | awk 'NF == 3 {print $3}' | sort -u >"$TMP/exported"
    [ -s "$TMP/exported" ] && ok || fail "no symbols exported by $lib"
    others=$(grep -v '^ms_' "$TMP/exported" | head -5 | tr '\n' ' ')
    [ -z "$others" ] && ok || fail "$lib exports symbols not named ms_*: $others"
    grep -oE '^MS_PUBLIC [^(]*\bms_[a-z_0-9]+\(' include/medsearch.h | grep -oE 'ms_[a-z_0-9]+\($' |
        tr -d '(' | sort -u >"$TMP/declared"
    extra=$(comm -23 "$TMP/exported" "$TMP/declared" | head -5 | tr '\n' ' ')
    [ -z "$extra" ] && ok || fail "$lib exports what include/medsearch.h does not declare: $extra"
    missing=$(comm -13 "$TMP/exported" "$TMP/declared" | head -5 | tr '\n' ' ')
    [ -z "$missing" ] && ok || fail "include/medsearch.h declares what $lib does not define: $missing"
else
    fail "$lib not built (or no nm)"
fi
finish
