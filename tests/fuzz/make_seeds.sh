#!/usr/bin/env bash
# make_seeds.sh — regenerate the seed inputs that are made by tools rather
# than written by hand: audio (sox), feature archives, word and character
# LMs and trained models (the built asr). The hand-written seeds (lexicons,
# configurations, data directories, some ARPA files) live in corpus/ as they
# are. Run from anywhere after `make`; needs sox. Overwrites the generated
# files of tests/fuzz/corpus/{wav,ark,arpa,model}/ (names gen-*).
#
# Model-file seeds (ark, model) are in the harnesses' input form: the file
# without its 20-byte header (magic, version, byte-order probe, section
# count) and without its 4-byte CRC (fuzz_common.h puts both back).
#
# The API harness's seeds (corpus/api/gen-*) are call scripts written
# byte by byte here (fuzz_api.c describes the format); `make_seeds.sh --api`
# writes only those.
#
# usage: tests/fuzz/make_seeds.sh [ASR]   (default: ./asr of the build tree)
#        tests/fuzz/make_seeds.sh --api
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
C=$here/corpus

# ---- API call scripts (fuzz_api.c) ----
bytes() { for v in "$@"; do printf "\\$(printf %03o "$v")"; done; }
setting() { bytes ${#1} && printf %s "$1"; } # a setting: its length, then it
api_seeds() {
    mkdir -p "$C/api"
    rm -f "$C"/api/gen-*
    TONE="2 64 31 0 0 200 20"   # 8000 samples of 0.3 s tone bursts (500 Hz)
    TONE16="2 128 62 0 0 200 20" # 16000 of them
    { # open the direct model, its rate, recognise (WORDS NULL too), errors, close
        bytes 0 0 0 0 0  2 0  3 0 0 $TONE 0  3 0 0 $TONE 1  11 0  1 0
    } >"$C/api/gen-direct.bin"
    { # the direct model with its LM and a beam; a live stream with partials;
      # finals, one with OUT NULL; a feed after the finish
        bytes 0 0 1 2 && setting "beam=8" && setting 'lm=$D/char.arpa' && bytes 0
        bytes 5 0 0 0 100 0  6 0 2 224 46 0 0 200 20  9 0 0  8 0 0  7 0  8 0 0  8 0 0  8 0 1
        bytes 6 0 2 160 15 0 0 200 20  10 0  1 0
    } >"$C/api/gen-live.bin"
    { # staged with its lexicon and LM given again: a WAV at 16 kHz, samples at
      # 44.1 kHz, a stream at 16 kHz; the recognizer closed under its stream
        bytes 0 1 2 3 && setting 'lexicon=$D/lex' && setting 'lm=$D/word.arpa' &&
            setting "beam=16" && bytes 0
        bytes 4 1 4 1 $TONE16 0  3 1 2 8 $TONE 0  5 1 1 1 0 0  6 1 $TONE16  7 1  8 1 0  8 1 0
        bytes 1 1  6 1 $TONE
    } >"$C/api/gen-staged.bin"
    { # multitask; refused settings; a NaN sample; lengths beyond the limits
      # (2^28 + 1 at 1000 Hz, 3601 s, SIZE_MAX at INT_MAX Hz); NULL samples;
      # every call on NULL handles; opens that fail; streams that fail to open
        bytes 0 0 3 1 && setting "lexicon=" && bytes 0
        bytes 0 0 3 1 && setting "lexicon=/etc/passwd" && bytes 2 4
        bytes 0 0 3 0 0
        bytes 3 0 0 5 64 31 0 0 200 20 100 0 0 0
        bytes 3 0 2 0 7 0 0 0 0  3 0 2 0 7 0 0 1 0  3 0 3 255 255 255 127 7 0 0 2 0
        bytes 3 0 0 6 16 0 0
        bytes 3 1 0 $TONE 0  2 1  4 1 0 0  5 1 1 0 0 0  6 1 0 16 0 0 0 0 0  7 1  8 1 0  9 1 1
        bytes 10 1  11 1
        bytes 0 1 4 4 0  0 1 5 0 1  5 0 0 2 4 0 0  5 0 0 0 255 255  1 0
    } >"$C/api/gen-multitask-hostile.bin"
    { # files: audio from the input's bytes (an 8 kHz u8 WAV), NULL, missing,
      # a directory, an empty file, WORDS NULL
        local wav=$C/wav/gen-8k-u8.wav n
        n=$(stat -c %s "$wav")
        bytes 0 0 0 0 0  4 0 3 $((n % 256)) $((n / 256)) && cat "$wav" && bytes 0
        bytes 4 0 0 0  4 0 1 0  4 0 2 0  4 0 5 0  4 0 1 1  1 0
    } >"$C/api/gen-file.bin"
}
if [ "${1:-}" = --api ]; then
    api_seeds
    ls -l "$C"/api/gen-*
    exit 0
fi

ASR=${1:-$here/../../asr}
T=$(mktemp -d "${TMPDIR:-/tmp}/asr-seeds.XXXXXX")
trap 'rm -rf "$T"' EXIT
strip() { # strip MODEL OUT: sections only
    size=$(stat -c %s "$1")
    tail -c +21 "$1" | head -c $((size - 24)) >"$2"
}

# ---- audio: tiny files of every common shape ----
mkdir -p "$C/wav"
rm -f "$C"/wav/gen-*
S="synth 0.05 sine 440"
sox -R -n -r 16000 -b 16 -e signed "$C/wav/gen-16k-s16.wav" $S
sox -R -n -r 8000 -b 8 -e unsigned "$C/wav/gen-8k-u8.wav" $S
sox -R -n -r 16000 -b 32 -e float "$C/wav/gen-16k-float.wav" $S
sox -R -n -r 22050 -b 16 -c 2 "$C/wav/gen-22k-stereo.wav" synth 0.04 sine 300 sine 500
sox -R -n -r 44100 -b 24 "$C/wav/gen-44k-s24.wav" synth 0.03 sine 1000
sox -R -n -r 16000 -b 16 "$C/wav/gen-16k.flac" $S
sox -R -n -r 8000 -b 8 -e u-law "$C/wav/gen-8k-ulaw.wav" $S
sox -R -n -r 16000 -b 16 "$C/wav/gen-16k.aiff" synth 0.02 sine 440

# ---- a toy corpus: three words as chords, as tests/cli/train.sh makes ----
word() { # word NAME F1 F2 F3 F4
    sox -R -n -r 8000 -b 16 "$T/$1.wav" synth 0.15 sine "$2" sine "$3" remix - gain -6 : \
        synth 0.2 sine "$4" sine "$5" remix - gain -6
}
word ba 300 1100 700 1300
word di 500 1900 350 2700
word gu 800 2600 450 900
sox -R -n -r 8000 -b 16 "$T/sil.wav" synth 0.1 whitenoise vol 0.001
mkdir -p "$T/d"
n=0
for words in "ba" "di" "gu" "ba di" "di gu" "gu ba" "ba gu di" "di ba gu"; do
    n=$((n + 1))
    set --
    for w in $words; do set -- "$@" "$T/$w.wav" "$T/sil.wav"; done
    sox -R "$T/sil.wav" "$@" "$T/d/u$n.wav"
    echo "u$n $T/d/u$n.wav" >>"$T/d/wav.scp"
    echo "u$n $words" >>"$T/d/text"
    echo "u$n s$((n % 2))" >>"$T/d/utt2spk"
done
printf 'ba B AA\ndi D IY\ngu G UW\n' >"$T/lex"

# ---- feature archives ----
mkdir -p "$C/ark"
rm -f "$C"/ark/gen-*
head -n 2 "$T/d/wav.scp" >"$T/wav2.scp"
mkdir -p "$T/d2" && cp "$T/wav2.scp" "$T/d2/wav.scp"
head -n 2 "$T/d/text" >"$T/d2/text" && head -n 2 "$T/d/utt2spk" >"$T/d2/utt2spk"
"$ASR" features --threads 1 --num-mel 8 --num-ceps 4 "$T/d2" "$T/a.ark" 2>/dev/null
strip "$T/a.ark" "$C/ark/gen-mfcc4.sec"
"$ASR" features --threads 1 --kind fbank --num-mel 6 --deltas 2 --cmvn --set frame_ms=20 \
    --set hop_ms=20 "$T/d2" "$T/b.ark" 2>/dev/null
strip "$T/b.ark" "$C/ark/gen-fbank6-deltas.sec"

# ---- LMs ----
mkdir -p "$C/arpa"
rm -f "$C"/arpa/gen-*
cut -d' ' -f2- "$T/d/text" >"$T/sent"
"$ASR" lm build --order 3 --out "$C/arpa/gen-word3-kn.arpa" "$T/sent"
"$ASR" lm build --order 2 --method wb --out "$C/arpa/gen-word2-wb.arpa" "$T/sent"
"$ASR" lm build --order 4 --chars --out "$C/arpa/gen-char4.arpa" "$T/sent"

# ---- models: direct, staged, multitask, each as small as trains ----
mkdir -p "$C/model"
rm -f "$C"/model/gen-*
NET='conv 8 3 2 1;relu 20;layernorm;affine out'
OPTS=(--layers "$NET" --epochs 1 --lr 0.003 --warmup 0 --decay 1 --no-specaug --threads 1 --quiet
    --set features.num_mel=6 --set features.num_ceps=4 --batch-frames 4000 --max-batch 4 --seed 3
    --patience 0)
"$ASR" train --pipeline direct --train "$T/d" --valid "$T/d" --out "$T/direct" "${OPTS[@]}"
strip "$T/direct/final.mdl" "$C/model/gen-direct.sec"
"$ASR" train --pipeline direct --train "$T/d" --valid "$T/d" --out "$T/direct-lm" "${OPTS[@]}" \
    --beam 4 --lm "$C/arpa/gen-char4.arpa"
strip "$T/direct-lm/final.mdl" "$C/model/gen-direct-charlm-beam.sec"
"$ASR" train --pipeline staged --train "$T/d" --valid "$T/d" --out "$T/staged" "${OPTS[@]}" \
    --lexicon "$T/lex" --beam 4
strip "$T/staged/final.mdl" "$C/model/gen-staged.sec"
"$ASR" train --pipeline multitask --train "$T/d" --valid "$T/d" --out "$T/mt" "${OPTS[@]}" \
    --lexicon "$T/lex"
strip "$T/mt/final.mdl" "$C/model/gen-multitask.sec"
# a stored system: the direct and the staged model combined, with a padded view
"$ASR" models --model "$T/direct/final.mdl" --pad-view 50 --combine "$T/staged/final.mdl" \
    --out "$T/system.mdl"
strip "$T/system.mdl" "$C/model/gen-system.sec"
api_seeds
ls -l "$C"/wav/gen-* "$C"/ark/gen-* "$C"/arpa/gen-* "$C"/model/gen-* "$C"/api/gen-*
