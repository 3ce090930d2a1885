#!/usr/bin/env bash
# target_data.sh — the next knob against data mismatch: target-like data in
# training.
#
# After noise synthesis (mismatch.sh) the largest gap is still data mismatch:
# synthetic voices are not people. The playbook's next knob is to move real
# target-distribution audio into training. The digits corpus has real human
# speech only in dev and test (FSDD, split by speaker); this experiment adds
# the DEV speakers' recordings (local/dev_fsdd and local/dev_fsdd_connected,
# isolated digits and connected strings) to the noise-augmented training set,
# trains both pipelines, and scores them on `test`, whose speakers are never
# heard. dev is no longer a fair estimate for these models (its real
# speakers are now training data), so the report covers train_dev and test
# only; early stopping uses train_dev as always. The staged model then goes
# through eval/bench-decode.sh against pocketsphinx on the same test audio.
#
# usage: eval/experiments/target_data.sh [--data DIR] [--out DIR] [--epochs N]
#                                        [--threads N] [--no-bench]
#   defaults: --data data/digits (built when missing), --out exp/target_data
. "$(dirname "$0")/common.sh"
data=$REPO/data/digits out=$REPO/exp/target_data epochs='' threads='' bench=1
while [ $# -gt 0 ]; do
    case $1 in
    --data) data=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --no-bench) bench=0; shift ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
    esac
done
need_asr
need_tool jq jq
ensure_digits "$data"
bash "$REPO/data/recipes/augment.sh" "$data/train" "$data/train_aug" 2>/dev/null
mkdir -p "$out"
real_dev_speech "$data" "$out/real"
rm -rf "$out/train"
"$ASR" data combine "$out/train" "$data/train_aug" "$out/real" >/dev/null
say "training set: $(wc -l <"$data/train_aug/text") augmented synthetic + $(($(wc -l <"$out/train/text") - $(wc -l <"$data/train_aug/text"))) real utterances of the dev speakers ($(cut -d' ' -f2 "$out/real/utt2spk" | sort -u | tr '\n' ' '))"

opts=(--quiet --valid "$data/train_dev")
[ -z "$epochs" ] || opts+=(--epochs "$epochs")
[ -z "$threads" ] || opts+=(--threads "$threads")
for p in staged direct; do
    start=$SECONDS
    say "training $p"
    train_with_lexicon "$p" "$data/lexicon.txt" --train "$out/train" --out "$out/$p" --force "${opts[@]}"
    say "$p trained in $((SECONDS - start)) s"
done
"$ASR" compare --data "$data" --splits train_dev,test --beam 16 --out "$out" \
    --title "Noise synthesis plus real target-like speech in training" \
    staged="$out/staged/final.mdl" direct="$out/direct/final.mdl" >/dev/null
report_wers "$out/report.json" train_dev test | awk '{ printf "%s %s WER %s%%\n", $1, $2, $3 }' |
    tee "$out/summary.txt"
if [ "$bench" = 1 ]; then
    bash "$REPO/eval/bench-decode.sh" --model "$out/staged/final.mdl" --data "$data" | tee "$out/bench-decode.txt"
fi
