#!/usr/bin/env bash
# transfer.sh — transfer learning: fine-tune the last layer or all layers.
#
# A recognizer trained on plenty of synthetic speech (the source: by default
# the staged pipeline on the noise-augmented digits train split) meets a
# little real speech of the target kind: the FSDD recordings of the dev
# speakers (local/dev_fsdd + local/dev_fsdd_connected, 1200 utterances; 10%
# held out by utterance to validate). Five ways to use it, all scored on
# `test`, whose real speakers none of them has heard:
#   source      the source model as it is
#   last        source weights, only the output layer trained (--finetune last)
#   all         source weights, every layer trained (--finetune all)
#   scratch     the same network trained on the real utterances alone
# Each fine-tuning run has the pipeline's configured budget and early
# stopping on the held-out real utterances. Writes OUT/report.* (asr compare
# on train_dev and test) and OUT/summary.txt, which also gives WER on the
# real speakers of test alone.
#
# usage: eval/experiments/transfer.sh [--data DIR] [--out DIR] [--source MODEL]
#                                     [--pipeline staged|direct] [--threads N]
#   defaults: --data data/digits, --out exp/transfer, --pipeline staged,
#   --source: OUT/source/final.mdl, trained first on DATA/train_aug.
. "$(dirname "$0")/common.sh"
data=$REPO/data/digits out=$REPO/exp/transfer source='' pipeline=staged threads=''
while [ $# -gt 0 ]; do
    case $1 in
    --data) data=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --source) source=$2; shift 2 ;;
    --pipeline) pipeline=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    -h | --help) sed -n '2,24p' "$0"; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
    esac
done
need_asr
need_tool jq jq
ensure_digits "$data"
mkdir -p "$out"
common=(--quiet)
[ -z "$threads" ] || common+=(--threads "$threads")

# The real target-like data, split 90/10 by utterance for fine-tuning.
real_dev_speech "$data" "$out/real"
rm -rf "$out/real_split"
"$ASR" data split --by utterance --fractions 0.9,0.1 --names train,valid --seed 1 \
    "$out/real" "$out/real_split" >/dev/null
say "real data: $(wc -l <"$out/real_split/train/text") utterances to fine-tune on, $(wc -l <"$out/real_split/valid/text") held out"

if [ -z "$source" ]; then
    source=$out/source/final.mdl
    if [ ! -f "$source" ]; then
        bash "$REPO/data/recipes/augment.sh" "$data/train" "$data/train_aug" 2>/dev/null
        say "training the source model ($pipeline on $(wc -l <"$data/train_aug/text") synthetic utterances)"
        train_with_lexicon "$pipeline" "$data/lexicon.txt" --train "$data/train_aug" \
            --valid "$data/train_dev" --out "$out/source" --force "${common[@]}"
    fi
fi
models=("source=$source")
for v in last all scratch; do
    opts=("${common[@]}" --train "$out/real_split/train" --valid "$out/real_split/valid" --out "$out/$v" --force)
    case $v in
    last | all) opts+=(--init "$source" --finetune "$v") ;;
    scratch) ;;
    esac
    start=$SECONDS
    say "$v"
    train_with_lexicon "$pipeline" "$data/lexicon.txt" "${opts[@]}"
    say "$v: $((SECONDS - start)) s"
    models+=("$v=$out/$v/final.mdl")
done
"$ASR" compare --data "$data" --splits train_dev,test --beam 16 --out "$out" \
    --title "Transfer learning: fine-tune the last layer or all layers" "${models[@]}" >/dev/null
# WER on the real (FSDD) speakers of test alone: the compare run keeps no
# hypotheses, so each model decodes that part again (into a scratch file).
awk '$2 !~ /^(espeak|flite|festival)/ { print $1 }' "$data/test/utt2spk" >"$out/test_real.ids"
rm -rf "$out/test_real"
"$ASR" data subset --utterances "$out/test_real.ids" "$data/test" "$out/test_real" >/dev/null
hyp=$(mktemp /tmp/transfer-hyp-XXXXXX)
trap 'rm -f "$hyp"' EXIT
{
    printf '%-8s %10s %8s %14s\n' model train_dev test test-real-only
    for m in "${models[@]}"; do
        name=${m%%=*} path=${m#*=}
        real=$(decode_wer "$hyp" "$path" "$out/test_real" --beam 16 ${threads:+--threads "$threads"})
        printf '%-8s %10s %8s %14s\n' "$name" "$(wer_of "$out/report.json" "$name" train_dev)" \
            "$(wer_of "$out/report.json" "$name" test)" "$real"
    done
} | tee "$out/summary.txt"
