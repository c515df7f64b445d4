#!/usr/bin/env bash
# Replay the saved regressions, then fuzz every target for a bounded time.
#
#   tests/fuzz/run.sh BUILD_DIR [SECONDS] [TARGET...]
#
# BUILD_DIR was configured with -DMEDSEARCH_FUZZ=ON (see README.md) and built.
# SECONDS per target, default 10; 0 replays the regressions only. TARGETs
# default to all of them. Exits 1 when a regression input or the fuzzer
# crashes a target (sanitizer report, invariant violation, leak, timeout or
# out of memory), 2 on a usage error. The last line counts the targets, each
# one test (failed: a regression input or the fuzzer crashed it):
#   fuzz: N passed, M failed
#
# Environment:
#   FUZZ_JOBS     targets fuzzed at once (default: the number of CPUs)
#   FUZZ_TIMEOUT  seconds one input may take before it counts as a hang (default 10)
#   FUZZ_ARGS     extra libFuzzer flags for every target, e.g. "-max_len=65536"
#
# Everything a run writes is under BUILD_DIR/fuzz-run/TARGET/: corpus/ (new
# inputs, kept between runs so that longer runs build on shorter ones),
# seeds/ (assembled afresh each run), artifacts/ (crashing inputs) and logs.
set -uo pipefail

usage()
{
    echo "usage: $0 BUILD_DIR [SECONDS] [TARGET...]" >&2
    exit 2
}

[ $# -ge 1 ] || usage
src=$(cd "$(dirname "$0")/../.." && pwd)
fuzzdir="$src/tests/fuzz"
build=$(cd "$1" 2>/dev/null && pwd) || {
    echo "$0: no build directory $1" >&2
    exit 2
}
seconds=${2:-10}
case $seconds in '' | *[!0-9]*) usage ;; esac
shift $(($# >= 2 ? 2 : 1))

all_targets="fuzz_analyze fuzz_query fuzz_article_text fuzz_article_markdown fuzz_article_html
fuzz_frontmatter fuzz_lexicon fuzz_snippet fuzz_record"
targets=${*:-$all_targets}

bindir="$build/tests/fuzz"
for t in $targets; do
    if [ ! -x "$bindir/$t" ]; then
        echo "$0: $bindir/$t missing: configure with -DMEDSEARCH_FUZZ=ON and build (README.md)" >&2
        exit 2
    fi
done

jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
timeout=${FUZZ_TIMEOUT:-10}
work="$build/fuzz-run"
mkdir -p "$work/tmp"
# fuzz_lexicon writes its input to a temporary file, and the targets that
# load the lexicon save its compiled image: keep both in the build tree.
export TMPDIR="$work/tmp" XDG_CACHE_HOME="$work/cache"
# Leaks count as findings; UBSan reports stop the run with a stack (the
# library is also built with -fno-sanitize-recover=all).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# ---- seeds: the checked-in ones plus fixtures and corpus files of the right kind ----

# Copy files (if any exist) into dir under a prefix, so names cannot clash.
add_seeds()
{
    local dir=$1 prefix=$2
    shift 2
    local f
    for f in "$@"; do
        [ -f "$f" ] && cp "$f" "$dir/${prefix}$(basename "$f")"
    done
    return 0
}

assemble_seeds()
{
    local t=$1 dir=$2 f n
    rm -rf "$dir"
    mkdir -p "$dir"
    add_seeds "$dir" seed_ "$fuzzdir/seeds/$t"/*
    local fx="$src/tests/fixtures/articles" corpus="$src/corpus"
    case $t in
    fuzz_analyze | fuzz_snippet)
        add_seeds "$dir" fixture_ "$fx"/*.txt "$fx"/*.md
        add_seeds "$dir" corpus_ "$corpus"/skinwise/*.txt
        ;;
    fuzz_article_text)
        add_seeds "$dir" fixture_ "$fx"/*.txt
        add_seeds "$dir" corpus_ "$corpus"/*/*.txt
        ;;
    fuzz_article_markdown)
        add_seeds "$dir" fixture_ "$fx"/*.md
        add_seeds "$dir" corpus_ "$corpus"/*/*.md
        ;;
    fuzz_article_html)
        add_seeds "$dir" fixture_ "$fx"/*.html "$fx"/*.htm
        add_seeds "$dir" corpus_ "$corpus"/*/*.html
        ;;
    fuzz_frontmatter)
        # The target puts "---\n" in front of its input: seed it with what
        # follows the opening line of real front matter.
        for f in "$fx"/*.md "$corpus"/*/*.md; do
            [ -f "$f" ] && [ "$(head -c 4 "$f")" = $'---\n' ] &&
                tail -c +5 "$f" >"$dir/fm_$(basename "$f")"
        done
        ;;
    fuzz_lexicon)
        # The shipped lexicon, cut into small files so that each runs fast.
        for f in "$src"/lexicon/*.tsv; do
            [ -f "$f" ] && split -l 25 "$f" "$dir/lexicon_$(basename "$f" .tsv)_"
        done
        ;;
    fuzz_query)
        # The relevance dev set: questions as people type them.
        n=0
        if [ -f "$src/bench/devset/questions.tsv" ]; then
            while IFS=$'\t' read -r _ q; do
                n=$((n + 1))
                printf '%s' "$q" >"$dir/devset_$n"
            done <"$src/bench/devset/questions.tsv"
        fi
        ;;
    esac
}

# ---- regressions: every saved input must now pass ----

status=0
bad="" # the targets that failed, each once
failed()
{
    case " $bad " in *" $1 "*) ;; *) bad="$bad $1" ;; esac
    status=1
}
# summary: the closing line, then exit
summary()
{
    local n f
    n=$(echo "$targets" | wc -w)
    f=$(echo "$bad" | wc -w)
    echo "fuzz: $((n - f)) passed, $f failed"
    exit $status
}

for t in $targets; do
    regdir="$fuzzdir/regressions/$t"
    [ -d "$regdir" ] || continue
    mkdir -p "$work/$t"
    for f in "$regdir"/*; do
        [ -f "$f" ] || continue
        case $(basename "$f") in README*) continue ;; esac
        log="$work/$t/regression-$(basename "$f").log"
        if "$bindir/$t" "$f" >"$log" 2>&1; then
            echo "regression $t/$(basename "$f"): ok"
        else
            echo "regression $t/$(basename "$f"): FAILED (log: $log)"
            # The report's first line and the first frames in medsearch code.
            grep -m1 -E "ERROR: |invariant violated|runtime error" "$log" | sed 's/^/  /'
            grep -E "^ *#[0-9]+ .* in .*$src/(lib|tests)/" "$log" | head -3 | sed 's/^ */    /'
            failed "$t"
        fi
    done
done

[ "$seconds" -gt 0 ] || summary

# ---- fuzzing, up to $jobs targets at a time ----

fuzz_one()
{
    local t=$1 dir="$work/$1"
    mkdir -p "$dir/corpus" "$dir/artifacts"
    assemble_seeds "$t" "$dir/seeds"
    local dict=()
    [ -f "$fuzzdir/dicts/$t.dict" ] && dict=("-dict=$fuzzdir/dicts/$t.dict")
    # New inputs go to the first directory (kept), the seeds are read only.
    # shellcheck disable=SC2086
    "$bindir/$t" -max_total_time="$seconds" -timeout="$timeout" -print_final_stats=1 \
        -artifact_prefix="$dir/artifacts/" "${dict[@]}" ${FUZZ_ARGS:-} \
        "$dir/corpus" "$dir/seeds" >"$dir/fuzz.log" 2>&1
    echo $? >"$dir/rc"
}

echo "fuzzing $(echo "$targets" | wc -w) targets for ${seconds}s each, $jobs at a time"
for t in $targets; do
    rm -f "$work/$t/rc"
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
        wait -n
    done
    fuzz_one "$t" &
done
wait

crashed=""
printf '%-22s %-7s %12s %10s %8s\n' target result executions exec/s corpus
for t in $targets; do
    dir="$work/$t"
    rc=$(cat "$dir/rc" 2>/dev/null || echo 1)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/fuzz.log" | tail -1)
    eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/fuzz.log" | tail -1)
    ncorp=$(find "$dir/corpus" -type f | wc -l)
    if [ "$rc" = 0 ]; then
        result=ok
    else
        result=CRASH
        crashed="$crashed $t"
        failed "$t"
    fi
    printf '%-22s %-7s %12s %10s %8s\n' "$t" "$result" "${runs:--}" "${eps:--}" "$ncorp"
done

for t in $crashed; do
    dir="$work/$t"
    [ -f "$dir/fuzz.log" ] || continue
    echo
    echo "== $t (exit $(cat "$dir/rc" 2>/dev/null), full log: $dir/fuzz.log)"
    grep -E -A30 "==ERROR|invariant violated|runtime error|ALARM|out-of-memory|deadly signal" \
        "$dir/fuzz.log" | head -40
    find "$dir/artifacts" -type f -printf "  input: %p\n"
done
if [ $status -ne 0 ]; then
    echo
    echo "To keep a finding as a regression, minimise it and save it under"
    echo "tests/fuzz/regressions/TARGET/ (see tests/fuzz/README.md)."
fi
summary
