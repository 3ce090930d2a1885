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
# usage: tests/fuzz/make_seeds.sh [ASR]   (default: ./asr of the build tree)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ASR=${1:-$here/../../asr}
C=$here/corpus
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
ls -l "$C"/wav/gen-* "$C"/ark/gen-* "$C"/arpa/gen-* "$C"/model/gen-*
