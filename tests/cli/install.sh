#!/bin/sh
# install.sh — `make install DESTDIR=...` stages asr, libasr (shared and
# static), asr/asr.h, asr.pc, asr(1), the bash completion and the recipes,
# and the staged copy works: tests/installcheck.sh on it (train, decode,
# eval; a program built with pkg-config against the staged library).
. "${srcdir:-.}/tests/cli/lib.sh"
: "${abs_top_builddir:?}"
env -u MAKEFLAGS -u MFLAGS ${MAKE:-make} -s -C "$abs_top_builddir" install DESTDIR="$T/root" >"$T/install.log" 2>&1 ||
    { cat "$T/install.log" >&2; fail "make install DESTDIR failed"; }
bin=$(find "$T/root" -path '*/bin/asr' -type f | head -1)
[ -x "$bin" ] || fail "no bin/asr staged"
for f in libasr.so libasr.a asr.h; do
    [ -n "$(find "$T/root" -name "$f" | head -1)" ] || fail "$f not staged"
done
expect_exit 0 "$bin" --version
expect_grep '^asr [0-9]+\.[0-9]+\.[0-9]+$' "$T/out"
sh "$srcdir/tests/installcheck.sh" "$bin" "$T/root" || fail "the staged installation does not work"
