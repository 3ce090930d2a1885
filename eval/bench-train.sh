#!/usr/bin/env bash
# bench-train.sh — training throughput of the shared trainer against the
# machine's own cblas_sgemm peak, and against PyTorch training the same
# network, measured in the same run on the same threads.
#
# usage: eval/bench-train.sh [TRAIN_DIR [VALID_DIR]] [--pipeline direct|staged]
#                            [--threads N] [--layers 'L1;L2;...'] [--no-torch]
#   default data: the FSDD recordings (../shared/data/fsdd) split by utterance.
# Trains 3 epochs with the pipeline's default configuration (--layers: another
# network, as `asr train --layers`), reads the achieved GFLOP/s of the
# training step (forward + backward GEMM work over the padded batches, from
# EXP/log.tsv; best epoch after the first), and prints it as a fraction of
# sgemm peak on the default network's biggest layer shape (M = frames per
# batch after subsampling, N = 256, K = 3 * 256). Target >= 60%.
# Then (direct pipeline, unless --no-torch) eval/bench_train_torch.py trains
# the same layers in PyTorch on the same features (`asr features` with the
# run's configuration), batches, CTC loss and Adam, 3 epochs on N threads,
# and the script prints both frames/s and their ratio (target >= 1.5), and
# how many of the training utterances the PyTorch network, given final.mdl's
# weights, decodes (greedy) exactly as `asr decode --beam 1` does: all of
# them when the two networks compute the same function. PyTorch is Debian's
# python3-torch, installed here with apt-get when missing (sudo when not
# root); it is never a dependency of asr.
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
pipeline=direct threads=$(nproc) train='' valid='' layers=() torch=1
while [ $# -gt 0 ]; do
    case $1 in
    --pipeline) need_value "$1" $#; pipeline=$2; shift 2 ;;
    --threads) need_value "$1" $#; need_uint "$1" "$2"; threads=$2; shift 2 ;;
    --layers) need_value "$1" $#; layers=(--layers "$2"); shift 2 ;;
    --no-torch) torch=0; shift ;;
    -h | --help) sed -n '2,23p' "$0"; exit 0 ;;
    -*) usage_error "unknown option $1" ;;
    *) if [ -z "$train" ]; then train=$1; else valid=$1; fi; shift ;;
    esac
done
need_asr
[ "$pipeline" = direct ] || torch=0
if [ "$torch" = 1 ]; then
    need_tool jq jq
    # Debian's interpreter: python3-torch lives in its dist-packages, which a
    # python3 earlier on the PATH (a virtualenv, pyenv) may not see.
    py=/usr/bin/python3
    if ! "$py" -c 'import torch' 2>/dev/null; then
        say "installing Debian's python3-torch for the PyTorch reference"
        sudo=()
        [ "$(id -u)" -eq 0 ] || sudo=(sudo)
        "${sudo[@]}" apt-get install -y -q --no-install-recommends python3-torch >&2 ||
            die "could not install python3-torch (or give --no-torch)"
    fi
fi
bench_data bench-train
# The other work on the machine, before and after: OpenMP threads waiting at
# barriers for a thread the system has descheduled make every number here
# (PyTorch's most: hundreds of parallel regions a step) meaningless when the
# load is near the core count.
read -r load0 _ </proc/loadavg
/usr/bin/time -v "$ASR" train --pipeline "$pipeline" --train "$train" --valid "$valid" \
    --out "$tmp/exp" --epochs 3 --threads "$threads" --quiet "${layers[@]}" "${extra[@]}" \
    2>"$tmp/time.log"
rss=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$tmp/time.log")
read -r fps gflops < <(awk -F'\t' 'NR > 2 && $8 > best { best = $8; fps = $7 } END { print fps, best }' "$tmp/exp/log.tsv")
batch=$(awk '/^batch_frames/ { print $3 }' "$tmp/exp/config")
peak=$("$REPO/eval/bench-sgemm" $((batch / 2)) 256 768 "$threads" 2 | awk '{ print $(NF - 1) }')
echo "bench-train: $pipeline pipeline, $threads threads, $(wc -l <"$train/text") utterances"
[ ${#layers[@]} -eq 0 ] || echo "  network              ${layers[1]}"
echo "  training step        $gflops GFLOP/s ($fps frames/s)"
echo "  cblas_sgemm peak     $peak GFLOP/s ($((batch / 2)) x 256 x 768)"
awk -v a="$gflops" -v p="$peak" 'BEGIN { printf "  fraction of peak    %.1f%%  (target >= 60%%)\n", 100 * a / p }'
echo "  peak resident memory $((rss / 1024)) MiB (target <= 1024 MiB)"
report_load() { read -r load1 _ </proc/loadavg && echo "  load average         $load0 before, $load1 after ($(nproc) cores)"; }
[ "$torch" = 1 ] || { report_load; exit 0; }
# The same features: the run's feature configuration, key by key.
fset=()
while read -r key value; do fset+=(--set "$key=$value"); done < <(awk -F' = ' '/^features\./ { print $1, $2 }' "$tmp/exp/config")
"$ASR" features "${fset[@]}" --threads "$threads" "$train" "$tmp/train.ark" >/dev/null 2>&1 ||
    die "asr features of $train failed"
"$ASR" decode --model "$tmp/exp/final.mdl" --beam 1 --threads "$threads" --out "$tmp/train.hyp" \
    "$train" >/dev/null 2>&1 || die "asr decode of $train failed"
"$py" "$REPO/eval/bench_train_torch.py" --config "$tmp/exp/config" --model "$tmp/exp/final.mdl" \
    --feats "$tmp/train.ark" --text "$train/text" --epochs 3 --threads "$threads" \
    --hyp "$tmp/train.hyp" >"$tmp/torch.json" || die "the PyTorch reference failed"
read -r tfps version same utts < <(jq -r '"\(.frames_per_s) \(.torch) \(.same_hypotheses) \(.utterances)"' "$tmp/torch.json")
printf '  PyTorch %-12s %.0f frames/s (same layers, features, batches, CTC, Adam)\n' "$version" "$tfps"
awk -v a="$fps" -v t="$tfps" 'BEGIN { printf "  asr / PyTorch        %.2fx  (target >= 1.5x)\n", a / t }'
echo "  same network         $same of $utts greedy hypotheses identical with final.mdl's weights"
report_load
