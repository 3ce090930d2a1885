#!/usr/bin/env bash
# bench-features.sh — speed of `asr features` (MFCC, one thread) against
# CMU Sphinx's `sphinx_fe` (Debian sphinxbase-utils) on the same audio, in
# the same run. Prints seconds of each and the ratio sphinx_fe / asr (> 1
# means asr is faster).
#
# usage: eval/bench-features.sh [DATA_DIR_OR_FSDD_DIR] [RATE]
#   default: the FSDD recordings (../shared/data/fsdd) at 8000 Hz.
# Both tools compute 13 MFCCs with 25 ms windows every 10 ms over the whole
# file (sphinx_fe with its VAD and noise removal off, so the work is alike)
# and write every utterance to disk.
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
src=${1:-$REPO/../shared/data/fsdd}
rate=${2:-8000}
need_tool sphinx_fe sphinxbase-utils
need_asr
need_tool jq jq
tmp=$(mktemp -d /tmp/bench-features-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

if [ -f "$src/wav.scp" ]; then data=$src; else
    bash "$REPO/data/recipes/fsdd.sh" "$src" "$tmp/data" >/dev/null 2>&1
    data=$tmp/data
fi
n=$(wc -l <"$data/wav.scp")
# sphinx_fe takes a control file of paths without extension, relative to -di.
mkdir -p "$tmp/sph"  # sphinx_fe makes the subdirectories (-build_outdirs)
awk '{ p = $2; sub(/\.wav$/, "", p); print p }' "$data/wav.scp" >"$tmp/ctl"

now() { date +%s.%N; }
# Warm the page cache so neither run pays for the first read of the audio.
awk '{ print $2 }' "$data/wav.scp" | xargs cat >/dev/null

best_asr=1e9 best_sph=1e9
for _ in 1 2 3; do
    t0=$(now)
    "$ASR" features --threads 1 --rate "$rate" --kind mfcc --num-mel 23 --num-ceps 13 \
        --stats "$tmp/asr.json" "$data" "$tmp/asr.ark" 2>"$tmp/asr.log"
    t1=$(now)
    sphinx_fe -c "$tmp/ctl" -di / -do "$tmp/sph" -ei wav -eo mfc -mswav yes -samprate "$rate" \
        -nfft 256 -wlen 0.025 -frate 100 -nfilt 23 -ncep 13 -lowerf 20 -upperf $((rate / 2)) \
        -remove_silence no -remove_noise no -dither no >"$tmp/sph.log" 2>&1
    t2=$(now)
    best_asr=$(echo "$t1 - $t0 $best_asr" | awk '{ d = $1 - $3; print (d < $4 ? d : $4) }')
    best_sph=$(echo "$t2 - $t1 $best_sph" | awk '{ d = $1 - $3; print (d < $4 ? d : $4) }')
done
nmfc=$(find "$tmp/sph" -name '*.mfc' | wc -l)
[ "$nmfc" -eq "$n" ] || { tail "$tmp/sph.log" >&2; die "sphinx_fe wrote $nmfc of $n files"; }
audio=$(jq -r .audio_seconds "$tmp/asr.json")
echo "bench-features: $n utterances, $audio s of audio at $rate Hz, MFCC 13, one thread, best of 3"
printf 'asr features   %8.3f s  (%.0fx real time)\n' "$best_asr" "$(echo "$audio $best_asr" | awk '{print $1/$2}')"
printf 'sphinx_fe      %8.3f s  (%.0fx real time)\n' "$best_sph" "$(echo "$audio $best_sph" | awk '{print $1/$2}')"
printf 'speed ratio (sphinx_fe time / asr time): %.2f  (target >= 1.0)\n' \
    "$(echo "$best_sph $best_asr" | awk '{print $1/$2}')"
