#!/usr/bin/env bash
# reject.sh — calibrated confidences and out-of-vocabulary rejection measured
# on speakers never heard: for each pair of folds (A, B) of
# eval/experiments/unseen_speakers.sh, `asr calibrate` fits fold A's model on
# fold A's held-out in-vocabulary data and its OOV set, then the calibrated
# model is measured (asr calibrate without --out) on fold B's held-out data
# and OOV set with fold B's model given fold A's keys — never chosen on the
# fold it is tested on.
#
# usage: eval/reject.sh [--folds DIR] [--work DIR] [--max-fa RATE] [--threads N] [--json FILE]
#   --folds DIR   the folds (default /work/exp/e0-joint/folds): DIR/K/{staged,direct}/final.mdl,
#                 DIR/K/heldout, DIR/K/{fsdd_isolated,fsdd_connected,sc_digits}; the
#                 folds with both models are used
#   --sc-words DIR  Speech Commands' non-digit words (default DIR/../real/sc_words)
#   --work DIR    the OOV sets (eval/reject_data.sh) and models (default /tmp/reject)
#   --json FILE   one JSON object per (pipeline, fit fold, test fold) per line
# Prints per line: pipeline, fit fold, test fold, word-confidence AUC and ECE
# before/after, FA before/after (% of OOV utterances giving a word), WER
# before/after (rejected utterances as deletions).
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
folds=/work/exp/e0-joint/folds work=/tmp/reject max_fa=0.05 threads=1 json='' sc_words=''
while [ $# -gt 0 ]; do
    case $1 in
    --folds) need_value "$1" $#; folds=$2; shift 2 ;;
    --sc-words) need_value "$1" $#; sc_words=$2; shift 2 ;;
    --work) need_value "$1" $#; work=$2; shift 2 ;;
    --max-fa) need_value "$1" $#; max_fa=$2; shift 2 ;;
    --threads) need_value "$1" $#; need_uint "$1" "$2"; threads=$2; shift 2 ;;
    --json) need_value "$1" $#; json=$2; shift 2 ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
    esac
done
[ -n "$sc_words" ] || sc_words=$folds/../real/sc_words
need_asr calibrate
need_tool jq jq
mkdir -p "$work"
ks=()
for d in "$folds"/*/; do
    k=$(basename "$d")
    [ -f "$d/staged/final.mdl" ] && [ -f "$d/direct/final.mdl" ] && ks+=("$k")
done
[ ${#ks[@]} -ge 2 ] || die "fewer than two folds with both models in $folds"
for k in "${ks[@]}"; do
    [ -d "$work/iv$k" ] || "$ASR" data combine "$work/iv$k" "$folds/$k/fsdd_isolated" \
        "$folds/$k/fsdd_connected" "$folds/$k/sc_digits" >/dev/null
    [ -d "$work/oov$k/all" ] || bash "$REPO/eval/reject_data.sh" --out "$work/oov$k" \
        --sc-words "$sc_words" --speakers "$folds/$k/heldout"
done
[ -z "$json" ] || : >"$json"
printf '%-7s %3s %4s  %-13s %-13s %-13s %-13s\n' pipe fit test auc ece fa% wer%
for p in staged direct; do
    for a in "${ks[@]}"; do
        "$ASR" calibrate --quiet --threads "$threads" --max-fa "$max_fa" --model "$folds/$a/$p/final.mdl" \
            --data "$work/iv$a" --oov "$work/oov$a/all" --out "$work/$p-$a.mdl" >"$work/$p-$a.fit.json"
        keys=$(jq -r 'to_entries[] | select(.key | test("^(confidence|reject)_")) | select(.value != null) |
            "--set \(.key)=\(.value)"' "$work/$p-$a.fit.json")
        for b in "${ks[@]}"; do
            [ "$a" != "$b" ] || continue
            # shellcheck disable=SC2086 # KEYS is "--set k=v" words
            "$ASR" calibrate --quiet --threads "$threads" --model "$folds/$b/$p/final.mdl" $keys \
                --data "$work/iv$b" --oov "$work/oov$b/all" >"$work/$p-$a-$b.json"
            jq -r --arg p "$p" --arg a "$a" --arg b "$b" '"\($p) \($a) \($b)  \(.before.auc)>\(.after.auc) \(.before.ece)>\(.after.ece) \(.before.fa)>\(.after.fa) \(.before.wer)>\(.after.wer)"' \
                "$work/$p-$a-$b.json"
            [ -z "$json" ] || jq -c --arg p "$p" --arg a "$a" --arg b "$b" --slurpfile fit "$work/$p-$a.fit.json" \
                '{pipeline: $p, fit_fold: $a, test_fold: $b, fit: $fit[0]} + .' "$work/$p-$a-$b.json" >>"$json"
        done
    done
done
