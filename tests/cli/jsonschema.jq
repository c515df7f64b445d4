# A validator of the JSON Schema keywords docs/medquery.schema.json uses:
# $ref (to "#/..."), type, const, enum, minimum, pattern, required, properties,
# additionalProperties (false), items, minItems, maxItems and oneOf.
# Usage: jq -r --slurpfile schema FILE -f jsonschema.jq: for each input, its
# errors, one a line ("line N: at: what is wrong"); nothing when it is valid.
def resolve($root):
  if type == "object" and has("$ref")
  then (.["$ref"] | ltrimstr("#/") | split("/")) as $p | $root | getpath($p)
  else . end;
def typeok($t):
  if $t == "integer" then type == "number" and . == floor
  else type == $t end;
def errs($root; $schema; $at):
  ($schema | resolve($root)) as $s
  | . as $x
  | (if $s | has("type") then
       if [$s.type] | flatten | any(. as $t | $x | typeok($t)) then empty
       else "\($at): \($x | tojson | .[0:40]) is not \($s.type)" end
     else empty end),
    (if $s | has("const") then
       if $x == $s.const then empty else "\($at): \($x | tojson) is not \($s.const | tojson)" end
     else empty end),
    (if $s | has("enum") then
       if any($s.enum[]; . == $x) then empty else "\($at): \($x | tojson) is not one of \($s.enum | tojson)" end
     else empty end),
    (if ($s | has("pattern")) and ($x | type) == "string" and ($x | test($s.pattern) | not) then
       "\($at): \($x | tojson) does not match \($s.pattern)"
     else empty end),
    (if ($s | has("minimum")) and ($x | type) == "number" and $x < $s.minimum then
       "\($at): \($x) is below \($s.minimum)"
     else empty end),
    (if ($x | type) == "object" then
       (($s.required // [])[] as $k | if $x | has($k) then empty else "\($at): no \($k)" end),
       ($x | keys_unsorted[] as $k
        | if ($s.properties // {}) | has($k) then $x[$k] | errs($root; $s.properties[$k]; "\($at).\($k)")
          elif $s.additionalProperties == false then "\($at): unknown field \($k)"
          else empty end)
     else empty end),
    (if ($x | type) == "array" then
       (if $s | has("items") then range(0; $x | length) as $i | $x[$i] | errs($root; $s.items; "\($at)[\($i)]") else empty end),
       (if ($s | has("minItems")) and ($x | length) < $s.minItems then "\($at): fewer than \($s.minItems) items" else empty end),
       (if ($s | has("maxItems")) and ($x | length) > $s.maxItems then "\($at): more than \($s.maxItems) items" else empty end)
     else empty end),
    (if $s | has("oneOf") then
       [$s.oneOf[] as $o | [$x | errs($root; $o; $at)]] as $all
       | ($all | map(select(length == 0)) | length) as $n
       | if $n == 1 then empty
         elif $n == 0 then $all | min_by(length) | .[] # (the errors of the nearest kind)
         else "\($at): valid as \($n) kinds of line, not one" end
     else empty end);
$schema[0] as $root | errs($root; $root; "line \(input_line_number)")
