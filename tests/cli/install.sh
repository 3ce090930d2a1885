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

models=$(find "$T/root" -path '*/share/asr/models' -type d | head -1)
[ -f "$models/README.md" ] || fail "no models/README.md staged"
if [ ! -f "$srcdir/models/digits.mdl" ]; then
    echo "install: no models/digits.mdl in the tree: the default model not checked"
    exit 0
fi
for m in digits digits-staged digits-direct digits-staged-tdnn; do
    cmp -s "$srcdir/models/$m.mdl" "$models/$m.mdl" || fail "models/$m.mdl not staged"
done
wav="$T/one.wav"
sox -R -n -r 8000 -b 16 "$wav" synth 0.5 sine 300-900 2>/dev/null || fail "sox missing"
expect_exit 0 env -u ASR_MODEL_PATH "$bin" decode "$wav"
expect_grep "model digits \(the default\): $models/digits.mdl" "$T/err"
expect_grep "^$wav	" "$T/out"
expect_exit 0 env -u ASR_MODEL_PATH "$bin" models --json
jq -e 'all(.search[]; .kind != "the source tree")' "$T/out" >/dev/null ||
    fail "the staged asr searches the source tree: $(cat "$T/out")"
