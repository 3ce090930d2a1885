#!/bin/sh
# api.sh — the embedding library (include/asr/asr.h, libasr): examples/recognize.c,
# compiled against the built shared library with only the public header,
# prints for audio files what `asr decode` prints (also with a model adapted
# by asr adapt), and for a live stream of
# raw PCM on standard input what `asr stream` prints; its errors name the
# culprit; the shared library exports exactly the API (src/api/asr.sym).
. "${srcdir:-.}/tests/cli/lib.sh"
command -v sox >/dev/null || { echo "SKIP: sox missing"; exit 77; }
: "${abs_top_builddir:?}"
lib=$abs_top_builddir/.libs
[ -f "$lib/libasr.so" ] || fail "no shared library at $lib/libasr.so"

# Exactly the API's symbols are exported.
nm -D --defined-only "$lib/libasr.so" | awk '$2 == "T" { print $3 }' | LC_ALL=C sort >"$T/exported"
LC_ALL=C sort "$srcdir/src/api/asr.sym" | diff - "$T/exported" >&2 ||
    fail "libasr.so exports other symbols than src/api/asr.sym lists"

# EXAMPLE_FLAGS: the build's CFLAGS and LDFLAGS (a sanitizer build's library
# needs its runtime in the program too).
# shellcheck disable=SC2086
${CC:-cc} ${EXAMPLE_FLAGS:-} -std=c11 -Wall -Wextra -Werror -I"$srcdir/include" "$srcdir/examples/recognize.c" \
    -o "$T/recognize" -L"$lib" -lasr -Wl,-rpath,"$lib" 2>"$T/cc.err" ||
    { cat "$T/cc.err" >&2; fail "examples/recognize.c does not build against the library"; }

toy_corpora
train --pipeline direct --train "$T/d" --valid "$T/d" --out "$T/dir" --epochs 30
set -- $(cut -d' ' -f2 "$T/d/wav.scp" | head -4)
expect_exit 0 "$ASR" decode --model "$T/dir/final.mdl" --threads 1 "$@"
mv "$T/out" "$T/decode.out"
expect_exit 0 "$T/recognize" "$T/dir/final.mdl" "$@"
diff "$T/decode.out" "$T/out" >&2 || fail "the library recognised other words than asr decode"
[ "$(wc -l <"$T/out")" = 4 ] || fail "expected 4 lines"
# A model name, looked up as asr decode --model looks it up (model_path.h).
mkdir -p "$T/models" && cp "$T/dir/final.mdl" "$T/models/toy.mdl"
expect_exit 0 env ASR_MODEL_PATH="$T/models" "$T/recognize" toy "$@"
diff "$T/decode.out" "$T/out" >&2 || fail "the library given a model name recognised other words"
# Search settings, as asr decode takes them.
expect_exit 0 "$ASR" decode --model "$T/dir/final.mdl" --threads 1 --beam 8 --set lm_weight=0.5 "$@"
mv "$T/out" "$T/decode8.out"
expect_exit 0 "$T/recognize" --set beam=8 --set lm_weight=0.5 "$T/dir/final.mdl" "$@"
diff "$T/decode8.out" "$T/out" >&2 || fail "the library with beam=8 differs from asr decode --beam 8"
expect_exit 1 "$T/recognize" --set epochs=3 "$T/dir/final.mdl" "$1"
expect_grep "setting 'epochs': a recognizer takes beam" "$T/err"
expect_exit 1 "$T/recognize" --set beam=0 "$T/dir/final.mdl" "$1"
expect_grep "beam" "$T/err"

# A model adapted to a line (asr adapt: its transform for every speaker) is
# applied by the library as by asr decode. The transform is fitted to a
# wrong transcript (every utterance "ba"), so that it surely changes words.
mkdir "$T/wrong"
cp "$T/d/wav.scp" "$T/d/utt2spk" "$T/wrong/"
awk '{ print $1, "ba" }' "$T/d/text" >"$T/wrong/text"
expect_exit 0 "$ASR" adapt --threads 1 --supervised --min-seconds 0 --model "$T/dir/final.mdl" \
    --data "$T/wrong" --out "$T/adapted.mdl"
expect_exit 0 "$ASR" decode --model "$T/adapted.mdl" --threads 1 "$@"
mv "$T/out" "$T/adapted.out"
! cmp -s "$T/decode.out" "$T/adapted.out" || fail "the adapted model recognises what the model did"
expect_exit 0 "$T/recognize" "$T/adapted.mdl" "$@"
diff "$T/adapted.out" "$T/out" >&2 || fail "the library did not apply the model's transform as asr decode does"

# Live: raw 16-bit PCM in 0.2 s chunks, results as asr stream's text lines.
sox -R -n -r 8000 -b 16 "$T/gap.wav" synth 0.7 whitenoise vol 0.001 2>/dev/null
sox -R "$T/gap.wav" "$1" "$T/gap.wav" "$2" "$T/gap.wav" -t raw -e signed -b 16 -L "$T/stream.raw" ||
    fail "sox"
expect_exit 0 "$ASR" stream --model "$T/dir/final.mdl" --rate 8000 <"$T/stream.raw"
mv "$T/out" "$T/stream.out"
[ "$(wc -l <"$T/stream.out")" = 2 ] || fail "asr stream found $(wc -l <"$T/stream.out") utterances, not 2"
expect_exit 0 "$T/recognize" --live "$T/dir/final.mdl" 8000 <"$T/stream.raw"
diff "$T/stream.out" "$T/out" >&2 || fail "the library's live results differ from asr stream's"

# Errors name the culprit.
expect_exit 1 "$T/recognize" "$T/nosuch.mdl" "$1"
expect_grep 'nosuch\.mdl' "$T/err"
expect_exit 1 "$T/recognize" "$T/dir/final.mdl" "$T/nosuch.wav"
expect_grep 'nosuch\.wav' "$T/err"
expect_exit 1 "$T/recognize" --live "$T/dir/final.mdl" 5 </dev/null
expect_grep '5 Hz' "$T/err"
echo "api: the library recognises as asr decode and asr stream do"
exit 0
