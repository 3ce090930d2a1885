#!/usr/bin/env bash
# bench-noise.sh — speed of `asr noise --type file` on one core, as a
# multiple of real time (target >= 200x at 16 kHz).
#
# usage: eval/bench-noise.sh [SECONDS_OF_AUDIO]   (default 300)
# Makes 16 kHz speech-like utterances (3 s each, sox) and a 60 s noise file
# in a temporary directory, runs the command once to warm the page cache,
# then times it; the reference is the audio's own duration. Then the same
# with the noise file at 8 kHz (hold music mixed into 16 kHz speech): the
# file is resampled once per rate, so this runs at about the same speed
# (the ratio of the two is printed: 0.45 at 300 s; 0.01 when every
# utterance resampled the whole file).
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
total=${1:-300}
need_asr
need_tool sox sox
need_tool jq jq
tmp=$(mktemp -d /tmp/bench-noise-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/d"
sox -R -n -r 16000 -b 16 "$tmp/noise.wav" synth 60 pinknoise vol 0.3
n=$((total / 3))
for i in $(seq -w 1 "$n"); do
    sox -R -n -r 16000 -b 16 "$tmp/u$i.wav" synth 3 sine $((150 + 10#$i % 50 * 7)) tremolo 4 80 vol 0.5
    echo "u$i $tmp/u$i.wav" >>"$tmp/d/wav.scp"; echo "u$i one" >>"$tmp/d/text"; echo "u$i s" >>"$tmp/d/utt2spk"
done
"$ASR" noise --type file --noise-files "$tmp/noise.wav" --threads 1 "$tmp/d" "$tmp/warm" 2>/dev/null
sox -R "$tmp/noise.wav" -r 8000 "$tmp/noise8k.wav"
# run NOISE_FILE NAME: seconds of wall clock for one run over the utterances.
run() {
    local t0 t1
    t0=$(date +%s.%N)
    "$ASR" noise --type file --noise-files "$1" --snr 0:20 --threads 1 \
        --stats "$tmp/stats.json" "$tmp/d" "$tmp/$2" 2>"$tmp/log"
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc
}
same=$(run "$tmp/noise.wav" out)
other=$(run "$tmp/noise8k.wav" out8k)
audio=$(jq -r .audio_seconds "$tmp/stats.json")
awk -v a="$audio" -v s="$same" -v o="$other" -v n="$n" 'BEGIN {
    printf "bench-noise: %d utterances, %.0f s of 16 kHz audio, file noise, one thread\n", n, a
    printf "  %.2f s wall clock: %.0fx real time (target >= 200x)\n", s, a / s
    printf "  8 kHz noise file: %.2f s, %.0fx real time, %.2f of the same-rate speed\n", o, a / o, s / o }'
