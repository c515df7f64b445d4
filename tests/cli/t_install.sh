# `cmake --install` into a temporary prefix, then use medsearch from there:
# the programs on the bundled corpus (finding the lexicon of their prefix),
# the man pages and bash completion, and a C program built against the
# installed libmedsearch.a with pkg-config. Last, the documented uninstall.
. "$(dirname "$0")/lib.sh"
: "${BUILD:?}"

cache() { sed -n "s/^$1:[A-Z]*=//p" "$BUILD/CMakeCache.txt"; }
CMAKE=$(cache CMAKE_COMMAND)
: "${CMAKE:=cmake}"
bindir=$(cache CMAKE_INSTALL_BINDIR) libdir=$(cache CMAKE_INSTALL_LIBDIR)
includedir=$(cache CMAKE_INSTALL_INCLUDEDIR) datarootdir=$(cache CMAKE_INSTALL_DATAROOTDIR)
datadir=$(cache CMAKE_INSTALL_DATADIR) mandir=$(cache CMAKE_INSTALL_MANDIR)
: "${bindir:=bin}" "${libdir:=lib}" "${includedir:=include}" "${datarootdir:=share}"
: "${datadir:=$datarootdir}" "${mandir:=$datarootdir/man}"
version=$(sed -nE 's/^project\(medsearch VERSION ([0-9.]+).*/\1/p' "$SRC/CMakeLists.txt")

# cmake --install writes $BUILD/install_manifest.txt: keep the one a real
# install left there, so that its uninstall still works after this test.
MANIFEST="$BUILD/install_manifest.txt"
[ -f "$MANIFEST" ] && cp -p "$MANIFEST" "$TMP/manifest.orig"
restore_manifest() {
    if [ -f "$TMP/manifest.orig" ]; then cp -p "$TMP/manifest.orig" "$MANIFEST"; else rm -f "$MANIFEST"; fi
}
trap 'restore_manifest; cleanup' EXIT

P="$TMP/prefix"
"$CMAKE" --install "$BUILD" --prefix "$P" >"$TMP/install.log" 2>&1
RC=$? ERR=$(tail -5 "$TMP/install.log")
expect_rc "cmake --install --prefix" 0
cp "$MANIFEST" "$TMP/manifest" 2>/dev/null || fail "no install_manifest.txt"
restore_manifest

# what is installed, and where
for f in "$bindir/medindex" "$bindir/medquery"; do
    [ -x "$P/$f" ] && ok || fail "$f not installed"
done
for p in medindex medquery; do
    cmp -s "$BUILD/$p.1" "$P/$mandir/man1/$p.1" && ok || fail "$mandir/man1/$p.1 not installed"
    cmp -s "$BUILD/completions/$p" "$P/$datarootdir/bash-completion/completions/$p" && ok ||
        fail "$datarootdir/bash-completion/completions/$p not installed"
    cmp -s "$BUILD/completions/_$p" "$P/$datarootdir/zsh/site-functions/_$p" && ok ||
        fail "$datarootdir/zsh/site-functions/_$p not installed"
    cmp -s "$BUILD/completions/$p.fish" "$P/$datarootdir/fish/vendor_completions.d/$p.fish" && ok ||
        fail "$datarootdir/fish/vendor_completions.d/$p.fish not installed"
done
cmp -s "$SRC/man/medsearch-lexicon.5" "$P/$mandir/man5/medsearch-lexicon.5" && ok ||
    fail "$mandir/man5/medsearch-lexicon.5 not installed"
lexdir="$P/$datadir/medsearch/lexicon"
[ "$(cd "$SRC/lexicon" && ls ./*.tsv)" = "$(cd "$lexdir" 2>/dev/null && ls ./*.tsv)" ] && ok ||
    fail "the lexicon files are not all in $datadir/medsearch/lexicon"
for f in "$SRC"/lexicon/*.tsv; do
    cmp -s "$f" "$lexdir/$(basename "$f")" || fail "$(basename "$f") differs when installed"
done
[ -f "$P/$libdir/libmedsearch.a" ] && ok || fail "$libdir/libmedsearch.a not installed"
cmp -s "$SRC/include/medsearch.h" "$P/$includedir/medsearch.h" && ok || fail "include/medsearch.h not installed"
[ ! -e "$P/$includedir/medsearch" ] && ok || fail "internal headers installed in $includedir/medsearch"
[ -f "$P/$libdir/pkgconfig/medsearch.pc" ] && ok || fail "$libdir/pkgconfig/medsearch.pc not installed"
# the manifest lists exactly what was installed, all of it under the prefix
outside=$(grep -v "^$P/" "$TMP/manifest")
[ -z "$outside" ] && ok || fail "installed outside the prefix: $outside"
[ "$(sort "$TMP/manifest")" = "$(find "$P" -type f | sort)" ] && ok ||
    fail "install_manifest.txt does not list exactly the installed files"

# man finds the pages in the prefix; the completion registers itself
if command -v man >/dev/null 2>&1; then
    [ "$(MANPATH="$P/$mandir" man -w medquery 2>/dev/null)" = "$P/$mandir/man1/medquery.1" ] && ok ||
        fail "man -w medquery does not find the installed page"
fi
for p in medindex medquery; do
    spec=$(bash -c '. "$1" && complete -p "$2"' _ "$P/$datarootdir/bash-completion/completions/$p" "$p")
    [ "$spec" = "complete -F _$p $p" ] && ok || fail "the installed completion of $p: '$spec'"
done

# the installed programs, on the bundled corpus, with the lexicon of their prefix
unset MEDSEARCH_LEXICON
export PATH="$P/$bindir:$PATH"
[ "$(command -v medquery)" = "$P/$bindir/medquery" ] && ok || fail "medquery is not the installed one"
medquery --version | grep -qx "medquery (medsearch) $version" && ok || fail "installed medquery --version"
cp -r "$SRC/corpus" "$TMP/corpus"
OUT=$(medindex -q --db "$TMP/corpus.db" "$TMP/corpus" 2>"$TMP/stderr"); RC=$? ERR=$(cat "$TMP/stderr")
expect_rc "installed medindex on the bundled corpus" 0
OUT=$(medquery --db "$TMP/corpus.db" --format json -n 3 zyrtec 2>"$TMP/stderr"); RC=$? ERR=$(cat "$TMP/stderr")
expect_rc "installed medquery finds zyrtec" 0
expect_out "brand zyrtec found as the drug cetirizine" '"type":"drug","name":"cetirizine"'
# A lexicon entry that only the prefix's lexicon has: found only when the
# programs read the lexicon of the prefix they run from, not a compiled-in
# path or the source tree's.
printf 'drug\tzzinstallol\tclass=test\tbrand=Zzinstallbrand\n' >"$lexdir/zz-install-test.tsv"
mkdir "$TMP/marker"
printf 'A test article\n\nTake Zzinstallbrand tablets twice a day.\n' >"$TMP/marker/test.txt"
medindex -q --db "$TMP/marker.db" "$TMP/marker" 2>"$TMP/stderr"
OUT=$(medquery --db "$TMP/marker.db" --format tsv drug:zzinstallol 2>>"$TMP/stderr"); RC=$? ERR=$(cat "$TMP/stderr")
if [ "$RC" -eq 0 ] && printf '%s\n' "$OUT" | grep -q "test.txt"; then ok; else
    fail "the installed programs do not read the lexicon of their prefix ($lexdir): exit $RC $ERR
      (ms_lexicon_default_dir() needs a run-time lookup relative to the executable)"
fi
rm -f "$lexdir/zz-install-test.tsv"

# a C program built against the installed library with pkg-config
if command -v pkg-config >/dev/null 2>&1; then
    export PKG_CONFIG_PATH="$P/$libdir/pkgconfig"
    [ "$(pkg-config --modversion medsearch)" = "$version" ] && ok || fail "pkg-config --modversion medsearch"
    [ "$(cd "$(pkg-config --variable=prefix medsearch)" 2>/dev/null && pwd -P)" = "$(cd "$P" && pwd -P)" ] &&
        ok || fail "medsearch.pc prefix is not the install prefix"
    [ "$(cd "$(pkg-config --variable=lexicondir medsearch)" 2>/dev/null && pwd -P)" = "$(cd "$lexdir" && pwd -P)" ] &&
        ok || fail "medsearch.pc lexicondir is not the installed lexicon"
    pkg-config --print-requires-private medsearch | sort | tr '\n' ' ' |
        grep -qx "jansson libxml-2.0 xapian-core " && ok || fail "Requires.private of medsearch.pc"
    cat >"$TMP/tiny.c" <<'EOF'
#include <stdio.h>
#include <string.h>

#include <medsearch.h>

/* index the corpus of argv[1] into argv[2], search it for argv[3], and
 * print the analyzer's terms of a phrase */
int main(int argc, char **argv)
{
    ms_error err;
    if (argc != 4)
        return 2;
    ms_index_summary sum;
    if (ms_index_update(argv[2], argv[1], NULL, &sum, &err) != 0) {
        fprintf(stderr, "tiny: %s\n", err.msg);
        return 1;
    }
    printf("indexed %zu files, %zu passages\n", sum.files_indexed, sum.passages_added);
    ms_db *db = ms_db_open(argv[2], NULL, &err);
    if (!db) {
        fprintf(stderr, "tiny: %s\n", err.msg);
        return 1;
    }
    ms_search_options o;
    ms_search_options_init(&o);
    o.limit = 3;
    ms_hits *h = ms_db_search(db, argv[3], &o, &err);
    if (!h) {
        fprintf(stderr, "tiny: %s\n", err.msg);
        ms_db_close(db);
        return 1;
    }
    for (size_t i = 0; i < ms_hits_count(h); i++) {
        size_t start, end, len;
        ms_hits_span(h, i, &start, &end);
        const char *snippet = ms_hits_snippet(h, i, &len);
        printf("hit %s [%zu, %zu) %s: %.*s\n", ms_hits_path(h, i), start, end,
               ms_hits_title(h, i), (int)len, snippet);
    }
    const char *fixed = ms_hits_corrected(h);
    printf("corrected: %s\n", fixed ? fixed : "-");
    ms_hits_free(h);
    ms_db_close(db);

    ms_analyzer *a = ms_analyzer_new(NULL, &err);
    if (!a) {
        fprintf(stderr, "tiny: %s\n", err.msg);
        return 1;
    }
    ms_tokens t;
    ms_tokens_init(&t);
    const char *text = "Anti-inflammatory CREAMS for Sjögren's";
    ms_analyze(a, text, strlen(text), 1, &t);
    printf("medsearch %s\n", ms_version());
    for (size_t i = 0; i < t.n; i++)
        printf("%s\n", ms_token_term(&t, &t.v[i]));
    ms_tokens_free(&t);
    ms_analyzer_free(a);
    return 0;
}
EOF
    CC=$(cache CMAKE_C_COMPILER)
    san=""
    [ "$(cache MEDSEARCH_SANITIZE)" = ON ] && san="-fsanitize=address,undefined"
    # libmedsearch.a is a static library: its dependencies come with --static
    # shellcheck disable=SC2046,SC2086
    "${CC:-cc}" -std=c11 -Wall -Wextra -Werror $san -o "$TMP/tiny" "$TMP/tiny.c" \
        $(pkg-config --cflags --libs --static medsearch) 2>"$TMP/cc.err"
    RC=$? ERR=$(cat "$TMP/cc.err")
    expect_rc "a C program builds with pkg-config --cflags --libs --static medsearch" 0
    # the public API: index the corpus copy, search it, analyze a phrase
    OUT=$("$TMP/tiny" "$TMP/corpus" "$TMP/tiny.db" 'zyrtc hives' 2>&1)
    RC=$? ERR=$OUT
    expect_rc "the C program runs" 0
    n=$(medindex --db "$TMP/count.db" "$TMP/corpus" 2>&1 | sed -nE 's/^medindex: ([0-9]+) files: .*/\1/p')
    expect_out "ms_index_update indexes every file" "^indexed $n files, [1-9][0-9]* passages\$"
    expect_out "ms_db_search finds passages, with their spans" '^hit [^ ]+ \[[0-9]+, [0-9]+\) '
    expect_out "ms_hits_corrected gives the corrected query" '^corrected: zyrtec hives$'
    hits=$(printf '%s\n' "$OUT" | grep -c '^hit ')
    [ "$hits" -eq 3 ] && ok || fail "ms_db_search with limit 3 gave $hits results"
    expect_out "the C program reports the version" "^medsearch $version\$"
    expect_out "ms_analyze keeps hyphenated words whole" "^anti-inflammatory\$"
    expect_out "ms_analyze folds case" "^creams\$"
    expect_out "ms_analyze folds accents" "^sjogren"
    # with no lexicon beside it, installed or in the source tree (hidden here
    # in a mount namespace of its own), the program is told what to set
    prefix=$(cache CMAKE_INSTALL_PREFIX)
    if [ -d "$prefix/$datadir/medsearch/lexicon" ] || ! unshare -m true 2>/dev/null; then
        echo "note: a lexicon is installed in $prefix, or no unshare -m: the missing lexicon not checked"
    else
        OUT=$(unshare -m sh -c 'mount -t tmpfs none "$1" && "$2" "$3" "$4" zyrtec' _ "$SRC/lexicon" \
            "$TMP/tiny" "$TMP/corpus" "$TMP/tiny2.db" 2>&1)
        RC=$? ERR=$OUT
        expect_rc "no lexicon found: an error" 1
        expect_out "no lexicon found: says to set MEDSEARCH_LEXICON" "no lexicon beside the program or installed: set MEDSEARCH_LEXICON to the lexicon directory"
    fi
else
    echo "note: no pkg-config: library build not checked"
fi

# uninstall as the README says: xargs rm < install_manifest.txt
xargs rm <"$TMP/manifest"
RC=$? ERR=""
expect_rc "xargs rm < install_manifest.txt" 0
left=$(find "$P" -type f)
[ -z "$left" ] && ok || fail "files left after uninstall: $left"
finish
