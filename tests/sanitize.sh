#!/usr/bin/env bash
# sanitize.sh — build in a separate directory with AddressSanitizer and
# UndefinedBehaviorSanitizer and run the whole test suite there; any memory
# error, leak (outside tests/lsan.supp) or undefined behaviour fails a test.
#
# usage: tests/sanitize.sh [BUILD_DIR]   (default /tmp/asr-sanitize)
# Slow (about 5x the plain suite); meant for now and then, not for CI.
#
# Works from a fresh checkout and from one already configured and built
# in place: autoconf refuses a second (VPATH) build of a configured source
# tree, so then the sources are first copied with `make distdir` (exactly
# what a release holds) and the sanitizer build configures that copy.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-/tmp/asr-sanitize}
mkdir -p "$build"
build=$(cd "$build" && pwd)
if [ -f "$src/config.status" ]; then
    rm -rf "$build/src"
    make -C "$src" -s distdir distdir="$build/src" >/dev/null
    src=$build/src
else
    [ -x "$src/configure" ] || (cd "$src" && autoreconf -fi)
fi
mkdir -p "$build/obj"
cd "$build/obj"
"$src/configure" -q CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer" \
    LDFLAGS="-fsanitize=address,undefined"
make -j"$(nproc)" >/dev/null
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export LSAN_OPTIONS=suppressions=$src/tests/lsan.supp
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
make -j"$(nproc)" check
