#!/usr/bin/env bash
# The whole test suite: unit and CLI tests on a normal build, then again
# under AddressSanitizer and UndefinedBehaviorSanitizer, then a bounded run
# of every fuzz target (when clang is there).
set -euo pipefail
# (pipefail: a failing ctest fails the script even through tee)
cd "$(dirname "$0")/.."
jobs=$(nproc)

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs" | tee build/ctest.log

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DMEDSEARCH_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs" | tee build-asan/ctest.log

if command -v clang >/dev/null 2>&1 && [ -d tests/fuzz ]; then
    CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug \
        -DMEDSEARCH_FUZZ=ON -DMEDSEARCH_TESTS=OFF >/dev/null
    cmake --build build-fuzz -j"$jobs"
    tests/fuzz/run.sh build-fuzz "${FUZZ_SECONDS:-10}"
fi

# one closing line for the whole suite: both CTest runs (and the fuzz run above)
total=$(sed -nE 's/.* tests failed out of ([0-9]+)$/\1/p' build/ctest.log build-asan/ctest.log |
    awk '{s += $1} END {print s + 0}')
echo "suite: $total passed, 0 failed"
