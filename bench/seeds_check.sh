#!/bin/sh
# Run the article parser over the seed articles (or the files given) and
# print title, metadata and passages. Builds a small program from the
# article sources by hand so that it needs nothing else of the tree.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
out=${TMPDIR:-/tmp}/medsearch-seeds-check
cc -std=c11 -D_XOPEN_SOURCE=700 -O2 -Wall -Wextra -I"$src/include" -I"$src/lib" \
    $(pkg-config --cflags libxml-2.0) -o "$out" "$here/seeds_check.c" \
    "$src"/lib/article/*.c "$src/lib/base/error.c" "$src/lib/base/util.c" \
    $(pkg-config --libs libxml-2.0)
if [ $# -eq 0 ]; then
    seeds=${SEEDS:-$src/../shared/seeds}
    set -- "$seeds"/*.txt
fi
exec "$out" "$@"
