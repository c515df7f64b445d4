# The JSON output's schema (issue #26): every line medquery --format json
# writes, whatever the options, in a batch and from a sharded index, is
# valid against docs/medquery.schema.json (checked by tests/cli/jsonschema.jq,
# a validator of the keywords the schema uses) and carries "v": 1; and the
# validator catches what is wrong.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_shards.sh"
shards_setup # $DB, $SH
SCHEMA=$SRC/docs/medquery.schema.json
VALIDATE=$SRC/tests/cli/jsonschema.jq
jq -e . "$SCHEMA" >/dev/null && ok || fail "$SCHEMA is not JSON"

# valid DESC: every line of $OUT is valid, and there is one
valid() {
    local errors
    errors=$(jq -r --slurpfile schema "$SCHEMA" -f "$VALIDATE" <<<"$OUT" 2>&1)
    [ -n "$OUT" ] && [ -z "$errors" ] && ok || fail "$1: not valid against the schema: $errors
$(head -3 <<<"$OUT")"
    [ "$(jq -r .v <<<"$OUT" | sort -u)" = 1 ] && ok || fail "$1: a line without \"v\": 1"
}
# kinds: which kinds of line $OUT holds, in order of first appearance
kinds() {
    jq -r 'if has("facets") then "facets" elif has("matches") then "summary"
           elif has("score") then "result" else "file" end' <<<"$OUT" | awk '!seen[$0]++' | tr '\n' ' '
}

printf 'q1\titching\nq2\tzyrtc hives\nq3\tzzzqqqxxy\n\nq4\t"sore throat" NOT fever\n' >"$TMP/batch"
for db in "$DB" "$SH"; do
    run_q --db "$db" -f json -n 5 --facets drug,symptom,condition --timings itchy rash
    valid "results and facets ($db)"
    [ "$(kinds)" = "result facets " ] && ok || fail "kinds: $(kinds)"
    run_q --db "$db" -f json -n 3 --full zyrtc hives
    valid "--full, did_you_mean ($db)"
    jq -e 'select(.did_you_mean and .text)' <<<"$OUT" >/dev/null && ok || fail "--full: no text or did_you_mean"
    run_q --db "$db" -f json --batch "$TMP/batch" -n 4 --facets symptom
    valid "a batch ($db)"
    run_q --db "$db" -f json -c --batch "$TMP/batch"
    valid "-c, a batch ($db)"
    [ "$(kinds)" = "summary " ] && ok || fail "-c kinds: $(kinds)"
    run_q --db "$db" -f json -l -n 5 --batch "$TMP/batch"
    valid "-l, a batch ($db)"
    [ "$(kinds)" = "file " ] && ok || fail "-l kinds: $(kinds)"
    run_q --db "$db" -f json --show healthnotes/flu.md
    valid "--show ($db)"
    run_q --db "$db" -f json -n 5 --path healthnotes --sort date --since 2024 --undated fever
    valid "narrowed ($db)"
done

# the validator fails what is wrong
bad() { # DESC LINE
    local errors
    errors=$(jq -r --slurpfile schema "$SCHEMA" -f "$VALIDATE" <<<"$2" 2>&1)
    [ -n "$errors" ] && ok || fail "the validator passes $1: $2"
}
bad "another version" '{"v":2,"qid":"1","matches":3,"exact":true}'
bad "no version" '{"qid":"1","matches":3,"exact":true}'
bad "a field of no kind" '{"v":1,"qid":"1","matches":3,"exact":true,"extra":1}'
bad "a wrong type" '{"v":1,"qid":1,"matches":3,"exact":true}'
bad "a real for an integer" '{"v":1,"qid":"1","matches":3.5,"exact":true}'
bad "a facet kind that is none" '{"v":1,"qid":"1","facets":{"drugs":[]}}'
bad "an entity type that is none" "$(run_q --db "$DB" -f json -n 1 itching; jq -c '.entities = [{"type": "disease", "name": "x"}]' <<<"$OUT")"
bad "a highlight of three numbers" "$(run_q --db "$DB" -f json -n 1 itching; jq -c '.highlights = [[1, 2, 3]]' <<<"$OUT")"
bad "a result without its path" "$(run_q --db "$DB" -f json -n 1 itching; jq -c 'del(.path)' <<<"$OUT")"
bad "a date not in ISO 8601" "$(run_q --db "$DB" -f json -n 1 itching; jq -c '.date = "March 3, 2024"' <<<"$OUT")"
finish
