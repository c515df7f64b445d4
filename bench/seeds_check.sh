#!/bin/sh
# Run the article parser over the seed articles (or the files given) and
# print title, metadata and passages. Builds a small program from the
# article sources by hand so that it needs nothing else of the tree.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=$(dirname "$here")
out=${TMPDIR:-/tmp}/medsearch-seeds-check
cc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Wall -Wextra -I"$src/include" \
    $(pkg-config --cflags libxml-2.0) -o "$out" "$here/seeds_check.c" \
    "$src/lib/article.c" "$src/lib/text.c" "$src/lib/markdown.c" "$src/lib/html.c" \
    "$src/lib/boilerplate.c" "$src/lib/error.c" $(pkg-config --libs libxml-2.0)
if [ $# -eq 0 ]; then
    seeds=${SEEDS:-$src/../shared/seeds}
    set -- "$seeds"/*.txt
fi
exec "$out" "$@"
