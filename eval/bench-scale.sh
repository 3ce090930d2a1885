#!/usr/bin/env bash
# bench-scale.sh — data-parallel training over MPI: throughput at 1 and 2
# ranks, the efficiency per rank, and what the gradient sum costs per step.
#
# usage: eval/bench-scale.sh [TRAIN_DIR [VALID_DIR]] [--pipeline direct|staged]
#                            [--epochs N] [--ranks N] [--set KEY=VALUE]...
#   default data: the FSDD recordings (../shared/data/fsdd) split by utterance.
# Trains the pipeline's default configuration for N epochs (4) with
# `mpirun -np 1` and `mpirun -np R` (R = --ranks, 2), one thread per rank,
# and prints, from each run's log.tsv (epochs after the first: the first
# pays for warming caches):
#   frames/s           training frames per second of the job (all ranks)
#   speedup            frames/s at R ranks over frames/s at 1 rank
#   efficiency         speedup / R (1.0: every rank as fast as one alone)
#   sum per step       seconds in the collectives per step at R ranks
#                      (comm_seconds / steps, rank 0's, waiting for the
#                      slower rank included), and as a fraction of the step
# then a plain process of R threads (the same cores used by threads), and whether
# the three runs wrote byte-identical final.mdl (they must). The
# network's size gives the bytes the gradient sum moves per step; see
# docs/SCALING.md for the model these numbers check. Ratios, not targets:
# on a machine shared with other work the timings move.
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
pipeline=direct epochs=4 ranks=2 train='' valid='' sets=()
while [ $# -gt 0 ]; do
    case $1 in
    --pipeline) need_value "$1" $#; pipeline=$2; shift 2 ;;
    --epochs) need_value "$1" $#; need_uint "$1" "$2"; epochs=$2; shift 2 ;;
    --ranks) need_value "$1" $#; need_uint "$1" "$2"; ranks=$2; shift 2 ;;
    --set) need_value "$1" $#; sets+=(--set "$2"); shift 2 ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    -*) usage_error "unknown option $1" ;;
    *) if [ -z "$train" ]; then train=$1; else valid=$1; fi; shift ;;
    esac
done
[ "$epochs" -ge 2 ] || usage_error "--epochs must be at least 2 (the first is not counted)"
[ "$ranks" -ge 2 ] || usage_error "--ranks must be at least 2"
need_asr
need_tool mpirun openmpi-bin
bench_data bench-scale
# Open MPI refuses root unless told; more ranks than cores need oversubscribing.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
shards=$((ranks > 4 ? ranks : 4))
for s in "${sets[@]}"; do [[ $s =~ ^shards=([0-9]+)$ ]] && shards=${BASH_REMATCH[1]}; done
# np1, npR: 1 and R ranks of one thread; th: a plain process of R threads
# (the same cores used by threads instead of processes; not under mpirun,
# which binds a lone rank to one core).
for run in np1:1:1 "np$ranks:$ranks:1" "th:0:$ranks"; do
    IFS=: read -r name np threads <<<"$run"
    launch=(mpirun --oversubscribe -np "$np")
    [ "$np" -gt 0 ] || launch=()
    "${launch[@]}" "$ASR" train --pipeline "$pipeline" --train "$train" \
        --valid "$valid" --out "$tmp/$name" --epochs "$epochs" --threads "$threads" \
        --set search_sweep=0 --set shards="$shards" "${sets[@]}" "${extra[@]}" \
        2>"$tmp/$name.err" || { cat "$tmp/$name.err" >&2; die "$name: asr train failed"; }
done
params=$(sed -n 's/.*network of \([0-9]*\) parameters.*/\1/p' "$tmp/np1.err" | head -1)
# Mean over the epochs after the first of: frames/s, seconds per step, and
# seconds in the collectives per step (log.tsv columns by name).
stats() {
    awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        NR > 2 { f += $c["frames_per_s"]; s += $c["seconds"]; k += $c["steps"]
                 m += $c["comm_seconds"]; n++ }
        END { printf "%.0f %.6f %.6f %d\n", f / n, s / k, m / k, k / n }' "$1/log.tsv"
}
read -r fps1 step1 comm1 steps < <(stats "$tmp/np1")
read -r fpsN stepN commN _ < <(stats "$tmp/np$ranks")
read -r fpsT stepT _ _ < <(stats "$tmp/th")
same=no
cmp -s "$tmp/np1/final.mdl" "$tmp/np$ranks/final.mdl" && cmp -s "$tmp/np1/final.mdl" "$tmp/th/final.mdl" &&
    same=yes
echo "bench-scale: $pipeline pipeline, $(wc -l <"$train/text") utterances, $steps steps per" \
    "epoch, $shards shards, ${params:-?} parameters, 1 thread per rank, $(nproc) cores"
awk -v a="$fps1" -v b="$fpsN" -v r="$ranks" -v s1="$step1" -v sN="$stepN" -v c="$commN" \
    -v p="${params:-0}" -v S="$shards" -v t="$fpsT" -v sT="$stepT" 'BEGIN {
    printf "  1 rank            %8.0f frames/s   %.1f ms per step\n", a, 1000 * s1
    printf "  %d ranks           %8.0f frames/s   %.1f ms per step\n", r, b, 1000 * sN
    printf "  %d threads         %8.0f frames/s   %.1f ms per step (one process: %.2f of the ranks)\n", r, t, 1000 * sT, t / b
    printf "  speedup           %8.2f            efficiency per rank %.2f\n", b / a, b / a / r
    printf "  sum per step      %8.2f ms         %.1f%% of the step at %d ranks\n", 1000 * c, 100 * c / sN, r
    if (p > 0) {
        mb = 4 * p / 1e6
        printf "  gradient          %8.2f MB         moved per rank per step: %.2f MB (shard sum), %.2f MB (a ring all-reduce)\n", \
            mb, mb * ((S / r) * (r - 1) / r + (r - 1) / r), mb * 2 * (r - 1) / r
    }
}'
echo "  byte-identical final.mdl at 1 and $ranks ranks and on $ranks threads: $same"
[ "$same" = yes ]
