#!/usr/bin/env bash
# sanitize.sh — build in a separate directory with AddressSanitizer and
# UndefinedBehaviorSanitizer and run the whole test suite there; any memory
# error, leak (outside tests/lsan.supp) or undefined behaviour fails a test.
#
# usage: tests/sanitize.sh [BUILD_DIR]   (default /tmp/asr-sanitize)
# Slow (about 5x the plain suite); meant for now and then, not for CI.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-/tmp/asr-sanitize}
[ -x "$src/configure" ] || (cd "$src" && autoreconf -fi)
# configure refuses a VPATH build while the source tree is configured.
[ ! -f "$src/config.status" ] || { echo "sanitize: run 'make distclean' in $src first" >&2; exit 1; }
mkdir -p "$build"
cd "$build"
"$src/configure" -q CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer" \
    LDFLAGS="-fsanitize=address,undefined"
make -j"$(nproc)" >/dev/null
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export LSAN_OPTIONS=suppressions=$src/tests/lsan.supp
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
make -j"$(nproc)" check
