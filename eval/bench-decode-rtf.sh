#!/usr/bin/env bash
# bench-decode-rtf.sh — decoding speed and memory of a trained model.
#
# usage: eval/bench-decode-rtf.sh [MODEL DATA_DIR] [--threads N] [--beam N]
#   default: a 3-epoch direct model trained here on 90% of FSDD, decoding the
#   other 10%.
# Prints the real-time factor of `asr decode` (decoding seconds, features
# included, model loading excluded, / audio seconds; target <= 0.01) and its
# peak resident memory from /usr/bin/time -v (target <= 100 MiB).
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
threads=1 beam=1 model='' data=''
while [ $# -gt 0 ]; do
    case $1 in
    --threads) threads=$2; shift 2 ;;
    --beam) beam=$2; shift 2 ;;
    -h | --help) sed -n '2,10p' "$0"; exit 0 ;;
    *) if [ -z "$model" ]; then model=$1; else data=$1; fi; shift ;;
    esac
done
need_asr
need_tool jq jq
tmp=$(mktemp -d /tmp/bench-decode-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
if [ -z "$model" ]; then
    fsdd=$REPO/../shared/data/fsdd
    [ -d "$fsdd" ] || die "give MODEL DATA_DIR (no FSDD at $fsdd)"
    bash "$REPO/data/recipes/fsdd.sh" "$fsdd" "$tmp/fsdd" >/dev/null 2>&1
    "$ASR" data split --by utterance --fractions 0.9,0.1 --names train,test --seed 1 \
        "$tmp/fsdd" "$tmp/split" >/dev/null 2>&1
    "$ASR" train --pipeline direct --train "$tmp/split/train" --valid "$tmp/split/test" \
        --out "$tmp/exp" --epochs 3 --quiet
    model=$tmp/exp/final.mdl data=$tmp/split/test
fi
[ -n "$data" ] || usage_error "DATA_DIR missing"
/usr/bin/time -v "$ASR" decode --model "$model" --threads "$threads" --beam "$beam" \
    --out "$tmp/hyp" --stats "$tmp/stats.json" "$data" 2>"$tmp/log"
rtf=$(jq -r .rtf "$tmp/stats.json")
rss=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$tmp/log")
echo "bench-decode-rtf: $(jq -r '"\(.utterances) utterances, \(.audio_seconds) s of audio"' "$tmp/stats.json"), $threads thread(s), beam $beam"
# The WER line asr decode prints when DATA_DIR has transcripts, from asr score.
[ ! -f "$data/text" ] || "$ASR" score --json "$data/text" "$tmp/hyp" | wer_line
echo "  real-time factor     $rtf (target <= 0.01; $(awk -v r="$rtf" 'BEGIN { printf "%.0f", 1 / r }')x faster than real time)"
echo "  peak resident memory $((rss / 1024)) MiB (target <= 100 MiB)"
