#!/usr/bin/env bash
# Set up medsearch on a Debian machine: install what is missing, build,
# index the bundled corpus and run a sample query.
set -euo pipefail
cd "$(dirname "$0")/.."

# To build: compilers, cmake, the libraries. uuid-dev, zlib1g-dev and
# liblzma-dev: what `pkg-config --static medsearch` links against besides
# them (Xapian needs -luuid -lz, libxml2 -lz -llzma). clang and its runtime:
# the fuzz targets. For the tests and the documented uses: jq, xapian-tools
# (xapian-check, xapian-tcpsrv), procps (ps, pgrep), man-db (man, groff) and
# bash-completion, zsh and fish (the completion scripts' tests); util-linux (setpriv, setsid, unshare) and bsdutils
# (script, the tests' pseudo-terminal) are Essential: in every Debian.
# wamerican and hunspell-en-med: the English and medical word lists whose
# words spelling never corrects (read at run time).
PACKAGES=(build-essential cmake pkg-config libxapian-dev libunistring-dev libxml2-dev libjansson-dev
          libcmocka-dev uuid-dev zlib1g-dev liblzma-dev clang libclang-rt-14-dev
          jq xapian-tools procps man-db bash-completion zsh fish wamerican hunspell-en-med)
missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
./build/medindex --db build/corpus.db corpus
./build/medquery --db build/corpus.db -n 3 "itchy bumps on the hands"
