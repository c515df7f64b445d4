# Incremental runs end where a clean build does. A site's repeated lines
# are dropped as chrome, and which lines are repeated depends on every page
# of the site: an edit, an added or a deleted page can make a line of other,
# unchanged pages repeated or no longer repeated. After any sequence of
# edits, adds, deletes, SIGKILLs and runs, the index must equal a clean
# build of the same corpus: every passage (path, span, line, title,
# section, text) and its score for several queries, and the --stats counts.
# A one-file change reads that file and the pages whose cut changes, not
# the corpus (--stats, and strace's opens where strace is installed).
# MEDSEARCH_DRIFT_SEED repeats a sequence.
. "$(dirname "$0")/lib.sh"
snapshot_lexicon
SEED=${MEDSEARCH_DRIFT_SEED:-$$}
RANDOM=$SEED
echo "seed $SEED"
C=$TMP/c
DB=$TMP/inc.db
SITES=(a-clinic k-notes z-health)
WORDS=(fever cough rash itch headache nausea asthma eczema migraine allergy
    ibuprofen paracetamol cetirizine sleep water rest throat skin cream tablet)
# the chrome a site adds to some of its pages: line K of site S
chrome() { printf 'zzchrome%d %s: our nurses answer questions about %s on weekdays.' "$2" "$1" "${WORDS[$2]}"; }
NCHROME=6
STEP=0

# write_page PATH FMT SET VER: an article in FMT (txt, md, html) whose
# content is version VER, with the chrome lines of bit set SET (bit K: line
# K) between its paragraphs, and the line every page of its site has. Each
# write gets an mtime of its own, so that no change can go unseen.
write_page() {
    local path=$1 fmt=$2 set=$3 ver=$4 site name t p k line
    site=${path%%/*} name=${path##*/} name=${name%.*}
    t="Page $name: ${WORDS[$((${#name} % 20))]} explained"
    local -a paras=() chrome_after=()
    for p in 0 1 2 3; do
        line="zzmark $name v$ver p$p"
        for k in 0 1 2 3 4 5 6 7; do line="$line ${WORDS[$(((p * 7 + k * 3 + ver + ${#name}) % 20))]}"; done
        paras+=("$line and more of the same for this part.")
        chrome_after+=("")
    done
    for ((k = 0; k < NCHROME; k++)); do
        ((set >> k & 1)) && chrome_after[k % 4]+="$(chrome "$site" "$k")"$'\n'
    done
    chrome_after[3]+="Every page of $site ends with this line about our opening hours."$'\n'
    {
        case $fmt in
        txt) printf '%s\n\n' "$t" ;;
        md) printf '# %s\n\n' "$t" ;;
        html) printf '<!DOCTYPE html>\n<html><head><title>%s</title></head><body>\n<h1>%s</h1>\n' "$t" "$t" ;;
        esac
        for p in 0 1 2 3; do
            if [ "$p" -eq 0 ] || [ "$p" -eq 2 ]; then
                case $fmt in
                txt) printf '%s\n\n' "$([ $p -eq 0 ] && echo Symptoms || echo Treatment)" ;;
                md) printf '## %s\n\n' "$([ $p -eq 0 ] && echo Symptoms || echo Treatment)" ;;
                html) printf '<h2>%s</h2>\n' "$([ $p -eq 0 ] && echo Symptoms || echo Treatment)" ;;
                esac
            fi
            while IFS= read -r line; do
                [ -n "$line" ] || continue
                case $fmt in
                txt | md) printf '%s\n\n' "$line" ;;
                html) printf '<p>%s</p>\n' "$line" ;;
                esac
            done <<<"${paras[p]}"$'\n'"${chrome_after[p]}"
        done
        [ "$fmt" = html ] && printf '</body></html>\n'
    } >"$C/$path"
    STEP=$((STEP + 1))
    touch -m -d "@$((1700000000 + STEP))" "$C/$path"
}

# The corpus is described by SPEC: path -> "fmt set ver"
declare -A SPEC
put() { SPEC[$1]="$2 $3 $4"; mkdir -p "$C/${1%/*}"; write_page "$1" "$2" "$3" "$4"; }
del() { unset "SPEC[$1]"; rm -f "$C/$1"; }
fmt_of() { local a; read -r a _ <<<"${SPEC[$1]}"; echo "$a"; }
set_of() { local a b; read -r a b _ <<<"${SPEC[$1]}"; echo "$b"; }
ver_of() { local a b v; read -r a b v <<<"${SPEC[$1]}"; echo "$v"; }
pages_of() { local p; for p in "${!SPEC[@]}"; do [[ $p == "$1"/* ]] && echo "$p"; done | sort; }

# dump DB: every passage the queries find, with its score: path, start,
# end, line, title, section, text (the snippet of a passage's every word).
# Scores are exact, but for a sharded index (SHARDED=1), whose statistics
# Xapian sums in another order: to 12 significant digits.
QUERIES=(zzmark zzchrome 'fever cough' '"our nurses answer"' 'zzmark NOT asthma' 'opening hours')
SHARDED=0
dump() {
    local q score=.score
    [ "$SHARDED" -eq 1 ] && score='(.score | tostring | .[0:13])'
    for q in "${QUERIES[@]}"; do
        "$MEDQUERY" --db "$1" --format json -n 10000 --per-article 0 --no-spelling \
            --snippet-words 1000 "$q" 2>/dev/null |
            jq -c --arg q "$q" "[\$q, .path, .start, .end, .line, .title, .section, $score, .snippet]"
    done | sort
}
counts() { "$MEDINDEX" --db "$1" --stats "$C" 2>/dev/null | grep -E '^(files|passages|stems|drugs|symptoms|conditions):'; }

# same_as_clean WHAT: the index equals a clean build of the corpus as it is
CLEAN_N=0
same_as_clean() {
    rm -rf "$TMP/clean.db"
    "$MEDINDEX" -q --db "$TMP/clean.db" "$C" || fail "$1: clean build"
    local want got
    want=$(dump "$TMP/clean.db")
    got=$(dump "$DB")
    CLEAN_N=$(grep -c '^\["zzmark"' <<<"$want")
    [ "$CLEAN_N" -gt 0 ] && ok || fail "$1: the clean build finds nothing"
    [ "$got" = "$want" ] && ok || fail "$1: passages or scores differ from a clean build:
$(diff <(echo "$want") <(echo "$got") | head -8 | cut -c1-300)"
    [ "$(counts "$DB")" = "$(counts "$TMP/clean.db")" ] && ok ||
        fail "$1: --stats differ from a clean build: $(diff <(counts "$TMP/clean.db") <(counts "$DB"))"
}

# run_traced ARGS...: run_i under strace; OPENED: the corpus files it
# opened (distinct paths; folders and failed opens not counted), or ""
# without strace
have_strace=0
command -v strace >/dev/null && strace -f -o /dev/null true 2>/dev/null && have_strace=1
run_traced() {
    if [ "$have_strace" -eq 1 ]; then
        # (LeakSanitizer cannot run under ptrace: off for a sanitizer build)
        OUT=$(ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
            strace -f -qq -e trace=openat -o "$TMP/trace" "$MEDINDEX" "$@" 2>"$TMP/stderr")
        RC=$?
        OPENED=$(grep -v O_DIRECTORY "$TMP/trace" | grep -vE '= -1 ' |
            grep -oE "\"$C/[^\"]*\"" | sort -u | grep -c .)
    else
        run_i "$@"
        OPENED=
    fi
    ERR=$(cat "$TMP/stderr")
}
# reads DESC WANT: the last run read WANT files (--stats) and opened WANT
expect_reads() {
    local read
    read=$(sed -nE 's/^this run: +([0-9]+) files? read.*/\1/p' <<<"$OUT")
    [ "${read:-x}" = "$2" ] && ok || fail "$1: ${read:-?} files read, want $2 ($ERR)"
    if [ -n "$OPENED" ]; then
        [ "$OPENED" = "$2" ] && ok || fail "$1: $OPENED corpus files opened, want $2"
    fi
}

# ---- a corpus of three sites ----
# a-clinic: 8 pages; its chrome line 0 is on 2 of them, line 1 on 3
# k-notes: 5 pages with random chrome; z-health: 15 pages (the line in 20%
# of them, 3, is repeated; with a 16th page it needs 4), line 2 on 3.
for i in 0 1 2 3 4 5 6 7; do
    set=0
    [ "$i" -lt 2 ] && set=$((set | 1))
    [ "$i" -ge 5 ] && set=$((set | 2))
    case $((i % 3)) in 0) f=txt ;; 1) f=md ;; 2) f=html ;; esac
    put "a-clinic/page$i.$f" "$f" "$set" 0
done
for i in 0 1 2 3 4; do put "k-notes/note$i.md" md $((RANDOM % 64)) 0; done
for i in $(seq 0 14); do
    set=$([ "$i" -lt 3 ] && echo 4 || echo 0)
    put "z-health/topic$i.$([ $((i % 2)) -eq 0 ] && echo html || echo txt)" \
        "$([ $((i % 2)) -eq 0 ] && echo html || echo txt)" "$set" 0
done

run_i -j1 --db "$DB" "$C"
expect_rc "first build" 0
same_as_clean "first build"
q=$("$MEDQUERY" --db "$DB" --format tsv -n 1000 --per-article 0 --no-spelling zzchrome1 | cut -f4 | grep -c '^a-clinic/')
[ "$q" -eq 0 ] && ok || fail "a-clinic's chrome line 1 (3 of 8 pages) is not dropped: $q passages"
q=$("$MEDQUERY" --db "$DB" --format tsv -n 1000 --per-article 0 --no-spelling zzchrome0 | cut -f4 | grep -c '^a-clinic/')
[ "$q" -eq 2 ] && ok || fail "a-clinic's chrome line 0 (2 of 8 pages) is not kept: $q passages, want 2"

# ---- deterministic steps: each flips known lines ----
# a content edit, no chrome changed: that file alone is read
p=a-clinic/page3.txt
put "$p" txt "$(set_of "$p")" 1
run_traced -j1 --db "$DB" --stats "$C"
expect_summary "one page edited" indexed 1
expect_reads "one page edited" 1
same_as_clean "one page edited"
# a page given line 0, now on 3 of 8 pages: repeated, so the 2 others
# that have it are cut again (3 files read, no more)
put "$p" txt $(($(set_of "$p") | 1)) 1
run_traced -j1 --db "$DB" --stats "$C"
expect_summary "line 0 becomes repeated" indexed 3
expect_summary "line 0 becomes repeated" unchanged $((${#SPEC[@]} - 3))
expect_reads "line 0 becomes repeated" 3
same_as_clean "line 0 becomes repeated"
# deleted again: back to 2 pages, both cut again
del "$p"
run_traced -j1 --db "$DB" --stats "$C"
expect_summary "page deleted, line 0 no longer repeated" indexed 2
expect_summary "page deleted, line 0 no longer repeated" removed 1
expect_reads "page deleted, line 0 no longer repeated" 2
same_as_clean "page deleted, line 0 no longer repeated"
# a 16th page in z-health: line 2 (3 pages) needs 4 now
put z-health/topic15.md md 0 0
run_traced -j1 --db "$DB" --stats "$C"
expect_summary "a 16th page" indexed 4
expect_reads "a 16th page" 4
same_as_clean "a 16th page"
# nothing changed: nothing read
run_traced -j1 --db "$DB" --stats "$C"
expect_summary "nothing changed" indexed 0
expect_reads "nothing changed" 0

# revision DB: the commits of the databases of DB, summed (xapian-delve)
revision() {
    local d s=0 r
    while IFS= read -r d; do
        r=$(xapian-delve "$d" 2>/dev/null | sed -n 's/^revision = //p')
        [ -n "$r" ] || return 1
        s=$((s + r))
    done < <(glass_dbs "$1")
    echo "$s"
}
have_delve=0
command -v xapian-delve >/dev/null && have_delve=1
[ "$have_delve" -eq 1 ] || skip "no xapian-delve: the kills of the random steps are left out"

# ---- random steps: edits, adds, deletes, kills ----
# A bulk site of plain pages, all edited before a kill round, makes a run
# of many commits (--batch 3) for the kill to land in; the kill comes once
# a random number of commits is seen.
for i in $(seq 0 59); do put "m-bulk/b$i.txt" txt 0 0; done
run_i --db "$DB" "$C"
ROUNDS=14
kills=0 recut=0 added=0
for ((round = 1; round <= ROUNDS; round++)); do
    changed=0
    for ((op = 0; op < 1 + RANDOM % 3; op++)); do
        site=${SITES[RANDOM % 3]}
        mapfile -t pages < <(pages_of "$site")
        case $((RANDOM % 4)) in
        0 | 1) # edit: a chrome line toggled, or the content
            p=${pages[RANDOM % ${#pages[@]}]}
            if ((RANDOM % 3)); then
                put "$p" "$(fmt_of "$p")" $(($(set_of "$p") ^ (1 << (RANDOM % NCHROME)))) "$(ver_of "$p")"
            else
                put "$p" "$(fmt_of "$p")" "$(set_of "$p")" $(($(ver_of "$p") + 1))
            fi ;;
        2) # add
            added=$((added + 1))
            f=(txt md html)
            f=${f[RANDOM % 3]}
            put "$site/new$added.$f" "$f" $((RANDOM % 64)) 0 ;;
        3) # delete (a site keeps 4 pages)
            [ "${#pages[@]}" -gt 4 ] && del "${pages[RANDOM % ${#pages[@]}]}" ;;
        esac
        changed=$((changed + 1))
    done
    what="round $round"
    if [ "$have_delve" -eq 1 ] && [ $((round % 3)) -eq 0 ]; then
        changed=-1000 # (the run after a kill does the rest of its work too)
        for i in $(seq 0 59); do put "m-bulk/b$i.txt" txt 0 "$round"; done
        before=$(revision "$DB") || before=0
        at=$((1 + RANDOM % 15))
        "$MEDINDEX" --db "$DB" --batch 3 "$C" 2>"$TMP/kill.err" &
        pid=$!
        while running "$pid"; do
            now=$(revision "$DB") || continue
            [ $((now - before)) -ge "$at" ] && break
        done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid"
        rc=$?
        [ "$rc" -eq 137 ] && kills=$((kills + 1))
        echo "$what: killed after $at commits: exit $rc"
        case $rc in 0 | 137) ok ;; *) fail "$what: exit $rc: $(cat "$TMP/kill.err")" ;; esac
        # an edit while the index is half done
        p=$(pages_of a-clinic | head -1)
        put "$p" "$(fmt_of "$p")" $(($(set_of "$p") ^ 1)) "$(ver_of "$p")"
    fi
    if ((RANDOM % 5 == 0)); then
        run_i --db "$DB" --rebuild "$C"
        what="$what (--rebuild)"
        changed=-1000 # (all of it)
    else
        run_i -j1 --db "$DB" --batch 2 "$C"
    fi
    expect_rc "$what" 0
    n=$(summary indexed)
    [ "$changed" -ge 0 ] && [ "${n:-0}" -gt "$changed" ] && recut=$((recut + n - changed))
    same_as_clean "$what"
    run_i --db "$DB" "$C"
    expect_summary "$what: then nothing to do" indexed 0
done
# (how many depends on the seed; the steps above cut pages again for sure)
echo "$ROUNDS rounds, $kills killed mid-run; $recut unchanged pages cut again"

# ---- a sharded index: each shard learns from the whole corpus ----
DB=$TMP/sharded.db
SHARDED=1
run_i --db "$DB" --shards 2 "$C"
expect_rc "sharded build" 0
same_as_clean "sharded build"
p=$(pages_of z-health | head -1)
put "$p" "$(fmt_of "$p")" $(($(set_of "$p") ^ 8)) "$(ver_of "$p")"
put "z-health/new-shard.md" md 8 0
p=$(pages_of a-clinic | tail -1)
del "$p"
run_i --db "$DB" "$C"
expect_rc "sharded update" 0
same_as_clean "sharded update"
finish
