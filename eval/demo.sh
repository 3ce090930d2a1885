#!/usr/bin/env bash
# demo.sh — the project's main job (`make demo`): from nothing to a report
# comparing the two ways of building a digit recognizer.
#
#   1. the default digits corpus (data/recipes/digits.sh): synthetic train and
#      train_dev; dev and test from the target distribution (other voices with
#      hold music, and real human speech from FSDD when it is there);
#   2. a noise-augmented copy of train (data/recipes/augment.sh);
#   3. both pipelines on the clean train split (staged-clean, direct-clean),
#      and on nested fifth and half subsets of it: a small learning curve
#      (eval/experiments/learning_curve.sh, models and curve.tsv in OUT/curve);
#   4. both pipelines on the augmented set (staged-noise, direct-noise);
#   5. `asr compare` on train, train_dev, dev and test: OUT/report.html,
#      report.md, report.json, errors-*.tsv, with the bias / variance /
#      mismatch / over-tuning decomposition, satisficing thresholds, training
#      curves and WER on dev against training-set size.
#
# usage: eval/demo.sh [--out DIR] [--data DIR] [--fsdd PATH|none] [--epochs N]
#                     [--bayes PCT] [--threads N]
#   defaults: --out exp/demo, --data data/digits, --epochs 12 (0: the
#   pipelines' configured epochs), --bayes 0 (human error on clean digit
#   strings is taken as 0%).
# Satisficing thresholds: real-time factor <= 0.05, p95 latency <= 100 ms,
# model size <= 10 MB. Every step prints its progress on stderr; the last
# prints the headline: WER per split and model, the data-mismatch gap
# (dev - train_dev) and how noise synthesis moved it for each pipeline.
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
out=$REPO/exp/demo data=$REPO/data/digits fsdd='' epochs=12 bayes=0 threads=''
while [ $# -gt 0 ]; do
    case $1 in
    --out) out=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --fsdd) fsdd=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --bayes) bayes=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    -h | --help) sed -n '2,21p' "$0"; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
    esac
done
need_asr
need_tool jq jq # the headline is read from report.json
start=$SECONDS
step() { say "[$1/6] $2 ($((SECONDS - start)) s)"; }
mkdir -p "$out"

step 1 "the digits corpus in $data"
bash "$REPO/data/recipes/digits.sh" --out "$data" ${fsdd:+--fsdd "$fsdd"}

step 2 "noise synthesis: a perturbed copy of every training utterance"
bash "$REPO/data/recipes/augment.sh" "$data/train" "$data/train_aug"

opts=(--valid "$data/train_dev")
[ "$epochs" = 0 ] || opts+=(--epochs "$epochs")
[ -z "$threads" ] || opts+=(--threads "$threads")
total=$(wc -l <"$data/train/text")
step 3 "both pipelines on clean train, and on nested subsets of it for the learning curve"
bash "$REPO/eval/experiments/learning_curve.sh" --data "$data" --out "$out/curve" \
    --sizes "$((total / 5)),$((total / 2)),$total" --epochs "${epochs/#0/auto}" --retrain \
    ${threads:+--threads "$threads"}
models=("staged-clean=$out/curve/staged-$total/final.mdl" "direct-clean=$out/curve/direct-$total/final.mdl")
n=0
for p in staged direct; do
    n=$((n + 1))
    step 4 "training $p-noise ($n/2) on $(wc -l <"$data/train_aug/text") utterances of train_aug"
    train_with_lexicon "$p" "$data/lexicon.txt" --train "$data/train_aug" --out "$out/$p-noise" \
        --force "${opts[@]}"
    models+=("$p-noise=$out/$p-noise/final.mdl")
done

step 5 "evaluating every model on train, train_dev, dev, test"
# No search flags: each model decodes with the search its validation sweep
# stored at the end of training, so the comparison is fair as written.
"$ASR" compare --data "$data" --out "$out" --bayes "$bayes" --max-rtf 0.05 \
    --max-latency-ms 100 --max-size-mb 10 ${threads:+--threads "$threads"} --curve "$out/curve/curve.tsv" \
    --title "asr demo: staged vs direct, with and without noise synthesis" "${models[@]}" \
    >"$out/compare.log"

step 6 "done"
# The headline from report.json: WER per split, dev - train_dev, the gap's
# move from clean to noise-augmented training per pipeline, and the choice
# (in the words of report.md, which makes one among two or more models).
choice=$(jq -r 'select(.choice.model != null and (.models | length) > 1) | .choice |
    "**\(.model)** (\(.split) WER \(.wer * 100 | round / 100)%" +
    (if .meets_thresholds == false then "; misses " + (.misses | join(", ")) else "" end) + ")"' "$out/report.json")
report_wers "$out/report.json" train train_dev dev test | awk -v choice="$choice" '{
        wer[$1, $2] = $3
        if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } }
     END {
        printf "%-14s %8s %10s %8s %8s %14s\n", "WER %", "train", "train_dev", "dev", "test", "dev-train_dev"
        for (i = 1; i <= n; i++) {
            m = order[i]; gap[m] = wer[m, "dev"] - wer[m, "train_dev"]
            printf "%-14s %8s %10s %8s %8s %14.2f\n", m, wer[m, "train"], wer[m, "train_dev"],
                wer[m, "dev"], wer[m, "test"], gap[m]
        }
        split("staged direct", p, " ")
        for (i = 1; i <= 2; i++) {
            c = p[i] "-clean"; z = p[i] "-noise"
            if ((c in seen) && (z in seen))
                printf "%s: noise synthesis moved the mismatch gap %.2f -> %.2f WER points; test WER %s -> %s\n",
                    p[i], gap[c], gap[z], wer[c, "test"], wer[z, "test"]
        }
        if (choice != "") printf "Choice (the lowest WER within every threshold, else the lowest WER): %s.\n", choice
     }' | tee "$out/headline.txt"
say "finished in $((SECONDS - start)) s; open $out/report.html (also report.md, report.json)"
