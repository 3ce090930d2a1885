#!/usr/bin/env bash
# bench-train.sh — training throughput of the shared trainer against the
# machine's own cblas_sgemm peak, measured in the same run on the same
# threads.
#
# usage: eval/bench-train.sh [TRAIN_DIR [VALID_DIR]] [--pipeline direct|staged] [--threads N]
#   default data: the FSDD recordings (../shared/data/fsdd) split by utterance.
# Trains 3 epochs with the pipeline's default configuration, reads the
# achieved GFLOP/s of the training step (forward + backward GEMM work over
# the padded batches, from EXP/log.tsv; best epoch after the first), and
# prints it as a fraction of sgemm peak on the network's biggest layer shape
# (M = frames per batch after subsampling, N = 256, K = 3 * 256). Target >= 60%.
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
pipeline=direct threads=$(nproc) train='' valid=''
while [ $# -gt 0 ]; do
    case $1 in
    --pipeline) pipeline=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
    *) if [ -z "$train" ]; then train=$1; else valid=$1; fi; shift ;;
    esac
done
need_asr
bench_data bench-train
/usr/bin/time -v "$ASR" train --pipeline "$pipeline" --train "$train" --valid "$valid" \
    --out "$tmp/exp" --epochs 3 --threads "$threads" --quiet "${extra[@]}" 2>"$tmp/time.log"
rss=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$tmp/time.log")
read -r fps gflops < <(awk -F'\t' 'NR > 2 && $8 > best { best = $8; fps = $7 } END { print fps, best }' "$tmp/exp/log.tsv")
batch=$(awk '/^batch_frames/ { print $3 }' "$tmp/exp/config")
peak=$("$REPO/eval/bench-sgemm" $((batch / 2)) 256 768 "$threads" 2 | awk '{ print $(NF - 1) }')
echo "bench-train: $pipeline pipeline, $threads threads, $(wc -l <"$train/text") utterances"
echo "  training step        $gflops GFLOP/s ($fps frames/s)"
echo "  cblas_sgemm peak     $peak GFLOP/s ($((batch / 2)) x 256 x 768)"
awk -v a="$gflops" -v p="$peak" 'BEGIN { printf "  fraction of peak    %.1f%%  (target >= 60%%)\n", 100 * a / p }'
echo "  peak resident memory $((rss / 1024)) MiB (target <= 1024 MiB)"
