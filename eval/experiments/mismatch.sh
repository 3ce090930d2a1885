#!/usr/bin/env bash
# mismatch.sh — does noise synthesis close the train/dev mismatch?
#
# The playbook experiment: train each pipeline (staged, direct) twice with
# the same budget — on the clean synthetic `train` split, and on `train`
# plus one perturbed copy of every utterance (data/recipes/augment.sh:
# speed perturbation, then hold music the target never uses, babble, pink
# or white noise at 0-20 dB SNR) — then evaluate all four on train,
# train_dev, dev and test with `asr compare` and show how the data-mismatch
# gap (dev - train_dev WER) moves.
#
# usage: eval/experiments/mismatch.sh [--data DIR] [--out DIR] [--epochs N]
#                                     [--bayes PCT] [--threads N]
#   --data    a digits corpus (default data/digits; built by
#             data/recipes/digits.sh when missing)
#   --out     experiment directory (default exp/mismatch): models under
#             OUT/PIPELINE-clean, OUT/PIPELINE-noise; the report in OUT/report.*
#   --epochs  training epochs for every model (default: the pipeline configs')
# Prints a table of WER per split and the mismatch gap per model, and the
# gap's change from clean to noise-augmented training per pipeline.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
ASR=${ASR:-$here/asr}
data=$here/data/digits out=$here/exp/mismatch epochs='' bayes=0 threads=''
while [ $# -gt 0 ]; do
    case $1 in
    --data) data=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --bayes) bayes=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    -h | --help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "mismatch: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
say() { echo "mismatch: $*" >&2; }
[ -x "$ASR" ] || { say "no asr binary at $ASR: run make"; exit 1; }
if [ ! -f "$data/train/text" ]; then
    say "building the digits corpus in $data"
    bash "$here/data/recipes/digits.sh" --out "$data"
fi
mkdir -p "$out"
say "augmenting $data/train"
bash "$here/data/recipes/augment.sh" "$data/train" "$data/train_aug" 2>"$out/augment.log" ||
    { cat "$out/augment.log" >&2; exit 1; }

opts=(--quiet)
[ -z "$epochs" ] || opts+=(--epochs "$epochs")
[ -z "$threads" ] || opts+=(--threads "$threads")
models=()
for p in staged direct; do
    for v in clean noise; do
        train=$data/train
        [ $v = clean ] || train=$data/train_aug
        exp=$out/$p-$v
        if [ -f "$exp/final.mdl" ] && [ "$exp/final.mdl" -nt "$train/wav.scp" ]; then
            say "$p-$v: trained already ($exp/final.mdl)"
        else
            say "training $p-$v on $(wc -l <"$train/text") utterances"
            start=$SECONDS
            "$ASR" train --pipeline "$p" --train "$train" --valid "$data/train_dev" \
                --lexicon "$data/lexicon.txt" --out "$exp" "${opts[@]}"
            say "$p-$v: $((SECONDS - start)) s"
        fi
        models+=("$p-$v=$exp/final.mdl")
    done
done
say "evaluating"
"$ASR" compare --data "$data" --out "$out" --bayes "$bayes" \
    --title "Noise synthesis against data mismatch" "${models[@]}" >/dev/null

# The table, from report.md's per-model tables ("## NAME", then rows
# "| split | utts | WER % | ..."): WER per split and dev - train_dev.
summary() {
    awk '
    /^## / { model = $2 }
    /^\| (train|train_dev|dev|test) \|/ { split($0, f, "|"); s = f[2]; gsub(/ /, "", s); w = f[4]; gsub(/ /, "", w); wer[model, s] = w }
    END {
        printf "%-14s %8s %10s %8s %8s %14s\n", "model", "train", "train_dev", "dev", "test", "dev-train_dev"
        n = split("staged-clean staged-noise direct-clean direct-noise", m, " ")
        for (i = 1; i <= n; i++) {
            g[m[i]] = wer[m[i], "dev"] - wer[m[i], "train_dev"]
            printf "%-14s %8.2f %10.2f %8.2f %8.2f %14.2f\n", m[i], wer[m[i], "train"],
                wer[m[i], "train_dev"], wer[m[i], "dev"], wer[m[i], "test"], g[m[i]]
        }
        for (p = 1; p <= 2; p++) {
            c = m[2 * p - 1]; z = m[2 * p]; name = c; sub(/-clean/, "", name)
            printf "%s: mismatch gap %.2f -> %.2f WER points (%+.2f); dev WER %.2f -> %.2f; test WER %.2f -> %.2f\n",
                name, g[c], g[z], g[z] - g[c], wer[c, "dev"], wer[z, "dev"], wer[c, "test"], wer[z, "test"]
        }
    }' "$out/report.md"
}
summary | tee "$out/summary.txt"
say "report: $out/report.html, $out/report.md"
