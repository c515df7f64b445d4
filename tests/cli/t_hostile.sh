# Pages made to cost a parser quadratic time: elements nested 40,000 deep,
# each holding an empty heading (the chrome rules looked at every ancestor
# of every heading: minutes), are read in linear time; a tag with 100,000
# attributes (libxml2 compares each with the others) is refused with a
# reason. The run goes on with the other files. (tests/CMakeLists.txt gives
# this script a timeout far above what it needs, so that the quadratic
# behaviour fails as a hang instead of passing slowly.)
. "$(dirname "$0")/lib.sh"
C=$TMP/c
mkdir -p "$C"
awk 'BEGIN {
    n = 40000
    printf "<html><body>" > "'"$C"'/deep.html"
    for (i = 0; i < n; i++) printf "<div><h2></h2>" > "'"$C"'/deep.html"
    printf "zzdeep" > "'"$C"'/deep.html"
    for (i = 0; i < n; i++) printf "</div>" > "'"$C"'/deep.html"
    print "</body></html>" > "'"$C"'/deep.html"
    printf "<html><body><p" > "'"$C"'/attrs.html"
    for (i = 0; i < 100000; i++) printf " a%d=\"x>\"", i > "'"$C"'/attrs.html"
    print ">zzattrs</p></body></html>" > "'"$C"'/attrs.html"
}'
# nested 900 deep and a tag of 3,000 attributes: within the bounds, read
awk 'BEGIN {
    printf "<html><head><title>Deep but fine</title></head><body>" > "'"$C"'/fine.html"
    for (i = 0; i < 900; i++) printf "<div>" > "'"$C"'/fine.html"
    printf "<p" > "'"$C"'/fine.html"
    for (i = 0; i < 3000; i++) printf " a%d=x", i > "'"$C"'/fine.html"
    printf ">zzfine text about a fever.</p>" > "'"$C"'/fine.html"
    for (i = 0; i < 900; i++) printf "</div>" > "'"$C"'/fine.html"
    print "</body></html>" > "'"$C"'/fine.html"
}'
run_i --db "$TMP/h.db" "$C"
expect_rc "one file refused, the rest indexed" 1
expect_err "a huge tag: the reason" "attrs.html: an HTML tag over 64 KB \(too many attributes\)$"
expect_summary "the deep page and the fine page are indexed" indexed 2
run_q --db "$TMP/h.db" --no-spelling -f tsv zzfine
expect_rc "the fine page is found" 0
run_q --db "$TMP/h.db" --no-spelling -f tsv zzdeep
expect_rc "the text under 40,000 elements is found" 0
run_i --db "$TMP/h.db" --stats "$C"
expect_out "--stats lists the refused page" "failed: attrs.html: an HTML tag over 64 KB"
finish
