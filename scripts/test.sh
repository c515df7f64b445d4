#!/usr/bin/env bash
# The whole test suite: unit and CLI tests on a normal build, then again
# under AddressSanitizer and UndefinedBehaviorSanitizer, then a bounded run
# of every fuzz target (when clang is there). Every part runs, even after
# one fails; the closing line counts them all:
#   suite: N passed, M failed
# and the exit status is non-zero when M > 0. A part that does not build,
# or does not report its counts, counts as one failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
jobs=$(nproc)
passed=0 failed=0

# add PART "P F": count P passed and F failed ("" when PART gave no counts)
add() {
    if [ -z "$2" ]; then
        echo "test.sh: $1 failed: no counts" >&2
        failed=$((failed + 1))
    else
        passed=$((passed + ${2% *})) failed=$((failed + ${2#* }))
    fi
}

# ctest_part DIR CMAKE_ARGS...: configure and build DIR, run CTest there;
# its line "X% tests passed, F tests failed out of T" gives T - F and F
ctest_part() {
    local dir=$1 c=""
    shift
    if cmake -S . -B "$dir" "$@" >/dev/null && cmake --build "$dir" -j"$jobs"; then
        ctest --test-dir "$dir" --output-on-failure -j"$jobs" | tee "$dir/ctest.log"
        c=$(sed -nE 's/^[0-9]+% tests passed, ([0-9]+) tests? failed out of ([0-9]+)$/\2 \1/p' \
            "$dir/ctest.log" | awk '{print $1 - $2, $2}' | tail -1)
    fi
    add "$dir" "$c"
}

ctest_part build -DCMAKE_BUILD_TYPE=RelWithDebInfo
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest_part build-asan -DCMAKE_BUILD_TYPE=Debug -DMEDSEARCH_SANITIZE=ON

# each fuzz target is one test; run.sh ends with "fuzz: N passed, M failed"
if command -v clang >/dev/null 2>&1 && [ -d tests/fuzz ]; then
    c=""
    if CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug \
        -DMEDSEARCH_FUZZ=ON -DMEDSEARCH_TESTS=OFF >/dev/null &&
        cmake --build build-fuzz -j"$jobs"; then
        tests/fuzz/run.sh build-fuzz "${FUZZ_SECONDS:-10}" | tee build-fuzz/fuzz.log
        c=$(sed -nE 's/^fuzz: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' build-fuzz/fuzz.log | tail -1)
    fi
    add build-fuzz "$c"
else
    echo "test.sh: no clang: the fuzz targets are not run"
fi

echo "suite: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
