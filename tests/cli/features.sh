#!/bin/sh
# features.sh — `asr features`: summary, exact frame counts, bad audio named,
# existing archive kept on failure; all of FSDD when it is present.
. "${srcdir:-.}/tests/cli/lib.sh"

expect_exit 0 "$ASR" features --help
expect_grep '^usage: asr features' "$T/out"
expect_exit 2 "$ASR" features
expect_exit 2 "$ASR" features --kind cepstrum "$T/d" "$T/f.ark"
expect_exit 2 "$ASR" features --threads -1 "$T/d" "$T/f.ark"

mkdir -p "$T/d"
# 1.0 s and 0.5 s at 16 kHz: 98 and 48 frames; 0.5 s at 8 kHz resampled: 48.
sox -R -n -r 16000 -b 16 "$T/a.wav" synth 1.0 sine 300 2>/dev/null || fail "sox missing"
sox -R -n -r 16000 -b 16 "$T/b.wav" synth 0.5 sine 600 2>/dev/null
sox -R -n -r 8000 -b 16 "$T/c.wav" synth 0.5 sine 900 2>/dev/null
for u in a b c; do
    echo "$u $T/$u.wav" >>"$T/d/wav.scp"; echo "$u one" >>"$T/d/text"; echo "$u s" >>"$T/d/utt2spk"
done
expect_exit 0 "$ASR" features --deltas 2 --cmvn --threads 2 "$T/d" "$T/f.ark"
expect_grep '3 utterances, 194 frames of 39 values, 2.0 s of audio' "$T/err"
expect_grep 'RTF' "$T/err"
[ -s "$T/f.ark" ] || fail "no archive written"

cp "$T/f.ark" "$T/keep.ark"
echo "not audio" >"$T/bad.wav"
echo "d $T/bad.wav" >>"$T/d/wav.scp"; echo "d one" >>"$T/d/text"; echo "d s" >>"$T/d/utt2spk"
expect_exit 1 "$ASR" features "$T/d" "$T/f.ark"
expect_grep 'utterance d: .*bad.wav' "$T/err"
cmp -s "$T/f.ark" "$T/keep.ark" || fail "a failed run changed the existing archive"

if [ -d "$FSDD" ]; then
    expect_exit 0 bash "${srcdir:-.}/data/recipes/fsdd.sh" "$FSDD" "$T/fsdd"
    expect_exit 0 "$ASR" features --rate 8000 "$T/fsdd" "$T/fsdd.ark"
    expect_grep '^asr features: 2000 utterances' "$T/err"
fi
exit 0
