# The documentation cannot rot: every ```sh block of docs/GUIDE.md (and of
# README.md) is run, in order and in one shell, from a directory holding a
# copy of corpus/, with the build's medindex and medquery on PATH.
#  - A command must exit 0, or N when one of its lines ends in "# exit N".
#  - A ```text block right after a ```sh block is output of that block's last
#    command: each of its lines must appear there (numbers may differ, "…"
#    stands for any text).
# Then: the options the documents name exist, and README names every option.
. "$(dirname "$0")/lib.sh"

# expected_line LINE: a grep -E pattern for one line of sample output
expected_line() {
    local p
    p=$(printf '%s' "$1" | sed -E -e 's/^[[:space:]]+//' -e 's/[[:space:]]+$//' \
        -e 's/[][\\.*^$+?(){}|]/\\&/g' -e 's/[0-9]+(\\\.[0-9]+)?/[0-9]+(\\.[0-9]+)?/g' -e 's/…/.*/g')
    printf '^[[:space:]]*%s[[:space:]]*$' "$p"
}

# run_doc FILE: run the ```sh blocks of FILE in $TMP/<name>/work
run_doc() {
    local doc=$1 name dir work script n=0 i line fence="" acc="" last=0 pending=0 want
    name=$(basename "$doc" .md)
    dir="$TMP/$name" work="$TMP/$name/work"
    mkdir -p "$dir/out" "$work/build" "$dir/home"
    cp -r "$SRC/corpus" "$work/corpus"
    ln -s "$MEDINDEX" "$work/build/medindex"
    ln -s "$MEDQUERY" "$work/build/medquery"
    script="$dir/run.sh"
    printf 'set -o pipefail\ncd "%s" || exit 99\n' "$work" >"$script"
    : >"$dir/samples"
    # split the sh blocks into complete commands (as bash -n sees them)
    while IFS= read -r line || [ -n "$line" ]; do
        if [ -z "$fence" ]; then
            case $line in
            '```sh')
                fence=sh ;;
            '```text')
                fence=text
                if [ "$pending" -eq 1 ]; then echo "@$last" >>"$dir/samples"; else
                    fail "$name: a \`\`\`text block that follows no \`\`\`sh block cannot be checked"
                fi ;;
            '```'*)
                fence=other ;;
            '') ;;
            *)
                pending=0 ;;
            esac
            continue
        fi
        if [ "$line" = '```' ]; then
            if [ "$fence" = sh ]; then
                [ -z "$acc" ] || fail "$name: incomplete command at the end of a block: $acc"
                acc="" pending=1
            elif [ "$fence" = text ]; then
                pending=0
            fi
            fence=""
            continue
        fi
        case $fence in
        text) [ "$pending" -eq 1 ] && [ -n "$line" ] && printf '%s\n' "$line" >>"$dir/samples" ;;
        sh)
            [ -z "$acc" ] && [[ $line =~ ^[[:space:]]*(#.*)?$ ]] && continue
            acc+="$line"$'\n'
            [[ $line =~ \\$ ]] && continue
            bash -n <<<"$acc" >/dev/null 2>"$dir/syntax" && [ ! -s "$dir/syntax" ] || continue
            n=$((n + 1)) last=$n
            want=0
            [[ $acc =~ \#[[:space:]]*exit[[:space:]]+([0-9]+)[[:space:]]*$'\n' ]] && want=${BASH_REMATCH[1]}
            printf '%s' "$acc" >"$dir/cmd.$n"
            echo "$want" >"$dir/want.$n"
            printf '{\n%s} >"%s/out/%d" 2>&1 </dev/null\necho $? >"%s/out/%d.rc"\n' \
                "$acc" "$dir" "$n" "$dir" "$n" >>"$script"
            acc="" ;;
        esac
    done <"$doc"
    [ "$n" -gt 0 ] && ok || fail "$name: no commands found"
    (HOME="$dir/home" PATH="$work/build:$PATH" bash "$script" >/dev/null 2>"$dir/runner.err")
    [ ! -s "$dir/runner.err" ] && ok || fail "$name: the runner said: $(cat "$dir/runner.err")"
    for ((i = 1; i <= n; i++)); do
        local rc
        rc=$(cat "$dir/out/$i.rc" 2>/dev/null || echo "not run")
        if [ "$rc" = "$(cat "$dir/want.$i")" ]; then ok; else
            fail "$name: command $i exited $rc, want $(cat "$dir/want.$i"):
$(cat "$dir/cmd.$i")--- output:
$(head -20 "$dir/out/$i" 2>/dev/null)"
        fi
    done
    # sample output
    local cmd=0 samples=0
    while IFS= read -r line; do
        if [[ $line =~ ^@([0-9]+)$ ]]; then
            cmd=${BASH_REMATCH[1]}
            continue
        fi
        samples=$((samples + 1))
        if grep -qE -- "$(expected_line "$line")" "$dir/out/$cmd" 2>/dev/null; then ok; else
            fail "$name: sample line not in the output of:
$(cat "$dir/cmd.$cmd")--- sample line:
$line
--- output:
$(head -30 "$dir/out/$cmd")"
        fi
    done <"$dir/samples"
    echo "$name: $n commands run, $samples sample lines checked"
}

run_doc "$SRC/docs/GUIDE.md"
run_doc "$SRC/README.md"

# Options: every --option the documents name exists (or belongs to another
# tool they show), and README names every option of both programs.
opts=$({ "$MEDINDEX" --help; "$MEDQUERY" --help; } | grep -oE '^  (-[[:alnum:]], |    )--[[:alnum:]-]+' |
    sed 's/.*--//' | sort -u)
foreign="build cflags install libs modversion port prefix static"
for doc in "$SRC/README.md" "$SRC/docs/GUIDE.md"; do
    for o in $(grep -oE -- '(^|[^[:alnum:]-])--[a-z][a-z0-9-]*' "$doc" | sed 's/.*--//' | sort -u); do
        if grep -qx -- "$o" <<<"$opts" || [[ " $foreign " == *" $o "* ]]; then ok; else
            fail "$(basename "$doc") names --$o, which neither program has"
        fi
    done
done
for o in $opts; do
    grep -qE -- "--$o\b" "$SRC/README.md" && ok || fail "README.md does not document --$o"
done

# README's option tables are the --help text of each program, row for row.
help_rows() {
    "$1" --help | awk '
        function row(label, desc,   n, parts, i, out) {
            sub(/^ +/, "", label)
            n = split(label, parts, ", ")
            out = ""
            for (i = 1; i <= n; i++) out = out (i > 1 ? ", " : "") "`" parts[i] "`"
            gsub(/&/, "\\&amp;", desc); gsub(/</, "\\&lt;", desc); gsub(/>/, "\\&gt;", desc)
            gsub(/\|/, "\\|", desc)
            printf "| %s | %s |\n", out, desc
        }
        /^Options:/ { on = 1; next }
        on && /^$/ { exit }
        on && pending != "" { d = $0; sub(/^ +/, "", d); row(pending, d); pending = ""; next }
        on && match($0, /^  (-[[:alnum:]], |    )--[^ ]+( [^ ]+)?/) {
            label = substr($0, 3, RLENGTH - 2)
            rest = substr($0, RLENGTH + 1)
            sub(/^ +/, "", rest)
            if (rest == "") pending = label
            else row(label, rest)
        }'
}
for prog in "$MEDINDEX" "$MEDQUERY"; do
    name=$(basename "$prog")
    want=$(help_rows "$prog")
    have=$(awk -v h="### $name" '$0 == h {on = 1; next} /^#/ {on = 0} on && /^\| `-/' "$SRC/README.md")
    [ -n "$want" ] && [ "$have" = "$want" ] && ok ||
        fail "README's $name option table is not its --help; it should read:
$want"
done

# The settings example of README's index layout has the current schema.
schema=$(sed -nE 's/^#define MS_SCHEMA_VERSION ([0-9]+).*/\1/p' "$SRC/lib/index/index.h")
grep -q "schema=$schema " "$SRC/README.md" && ok || fail "README's ms:settings example is not schema=$schema"

# README's quick start is exactly the two commands CI runs.
qs=$(awk '/^## Quick start/{q=1; next} /^## /{q=0} q && /^```/{f=!f; next} q && f && NF' "$SRC/README.md")
[ "$qs" = $'scripts/setup.sh\nscripts/test.sh' ] && ok || fail "README quick start is not setup.sh + test.sh: $qs"
# (.ci/run runs them, joined by &&, in a fresh Debian root)
grep -qF "fresh-debian '${qs//$'\n'/ && }'" "$SRC/.ci/run" && ok ||
    fail ".ci/run does not run the quick start's commands: $(grep -F fresh-debian "$SRC/.ci/run")"
finish
