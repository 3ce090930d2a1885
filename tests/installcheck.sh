#!/bin/sh
# installcheck.sh ASR [SYSROOT] — the installed asr trains, decodes and
# evaluates on its own (make installcheck; make distcheck runs it): its
# pipeline defaults are compiled in, so nothing is read from the source tree,
# which this script only uses to make a toy corpus (tests/cli/lib.sh) and for
# examples/recognize.c. Then the installed library: the example builds with
# `pkg-config --cflags --libs asr` from the installed asr.pc (SYSROOT: the
# DESTDIR it was staged in) and recognises a file as the installed asr does;
# the manual page and the bash completion are in place.
ASR=${1:?usage: installcheck.sh PATH/TO/INSTALLED/asr [SYSROOT]}
sysroot=${2:-}
. "${srcdir:-.}/tests/cli/lib.sh"
cd "$T" || exit 1
toy_corpora
train --pipeline direct --train "$T/d" --valid "$T/d" --out "$T/exp" --epochs 3
expect_exit 0 "$ASR" decode --model "$T/exp/final.mdl" --out "$T/hyp" "$T/d"
expect_grep '^%WER ' "$T/err"
mkdir -p "$T/data" && cp -r "$T/d" "$T/data/test"
expect_exit 0 "$ASR" eval --model "$T/exp/final.mdl" --data "$T/data" --splits test --out "$T/ev"
[ -s "$T/ev/report.json" ] || fail "eval wrote no report.json"
echo "installcheck: $ASR trains, decodes and evaluates outside the source tree"

prefix=$(cd "$(dirname "$ASR")/.." && pwd)
[ -f "$(find "$prefix" -path '*/man1/asr.1' | head -1)" ] || fail "no asr.1 under $prefix"
[ -f "$(find "$prefix" -path '*/bash-completion/completions/asr' | head -1)" ] ||
    fail "no bash completion under $prefix"
[ -x "$(find "$prefix" -path '*/asr/data/recipes/digits.sh' | head -1)" ] ||
    fail "no recipes under $prefix/share/asr"
pc=$(find "$prefix" -name asr.pc | head -1)
[ -n "$pc" ] || fail "no asr.pc under $prefix"
command -v pkg-config >/dev/null || { echo "installcheck: no pkg-config, library not checked"; exit 0; }
flags=$(PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR=$sysroot pkg-config --cflags --libs asr) ||
    fail "pkg-config does not know the installed asr.pc"
libdir=$(printf '%s\n' $flags | sed -n 's/^-L//p' | head -1)
# shellcheck disable=SC2086 # the flags are words
${CC:-cc} ${EXAMPLE_FLAGS:-} -std=c11 -Wall -Werror "${srcdir:-.}/examples/recognize.c" -o "$T/recognize" $flags ||
    fail "examples/recognize.c does not build with pkg-config --cflags --libs asr"
set -- $(cut -d' ' -f2 "$T/d/wav.scp" | head -3)
expect_exit 0 "$ASR" decode --model "$T/exp/final.mdl" "$@"
mv "$T/out" "$T/decoded"
expect_exit 0 env LD_LIBRARY_PATH="$libdir" "$T/recognize" "$T/exp/final.mdl" "$@"
diff "$T/decoded" "$T/out" >&2 || fail "the installed library recognised other words than the installed asr"
echo "installcheck: a program built with pkg-config against the installed libasr recognises files"
exit 0
