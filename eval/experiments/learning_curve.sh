#!/usr/bin/env bash
# learning_curve.sh — WER against training-set size, staged and direct.
#
# Both pipelines are trained on nested random subsets of DATA/TRAIN (one
# seeded shuffle, the first N utterances for every size N), validated on
# DATA/train_dev, and scored on DATA/SPLIT. Writes OUT/curve.tsv (lines
# "SERIES SIZE WER", what `asr compare --curve` draws), OUT/PIPELINE-N/ (each
# model) and OUT/curve.txt: the table and the sizes, if any, at which the
# direct pipeline's WER is below the staged one's.
#
# usage: eval/experiments/learning_curve.sh [--data DIR] [--train NAME] [--out DIR]
#            [--sizes N,N,...] [--epochs N|auto] [--split NAME] [--threads N] [--quiet]
#   --data    corpus directory (default data/digits_8k, built by
#             data/recipes/digits.sh --n-train 8000 when missing)
#   --train   the training split inside DATA (default train)
#   --sizes   default 250,500,1000,2000,4000,8000 (sizes above the split's
#             utterance count are skipped)
#   --epochs  auto (default): 25 * 1500 / N clamped to [25, 100], so small
#             sets get as many updates as the default corpus; early stopping
#             on train_dev as the pipeline configs set it. Or a fixed number.
#   --split   where WER is measured (default dev)
. "$(dirname "$0")/common.sh"
data='' trainname=train out=$here/exp/learning_curve sizes=250,500,1000,2000,4000,8000
epochs=auto split=dev threads='' quiet=()
while [ $# -gt 0 ]; do
    case $1 in
    --data) data=$2; shift 2 ;;
    --train) trainname=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --split) split=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --quiet) quiet=(--quiet); shift ;;
    -h | --help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "learning_curve: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
need_asr
if [ -z "$data" ]; then
    data=$here/data/digits_8k
    [ -f "$data/train/text" ] || bash "$here/data/recipes/digits.sh" --out "$data" --n-train 8000
fi
train=$data/$trainname
[ -f "$train/text" ] || { say "no training split at $train"; exit 1; }
mkdir -p "$out/subsets"
total=$(wc -l <"$train/text")
# One seeded shuffle of the utterance ids; size N keeps its first N (so the
# sets are nested), sorted back into Kaldi order.
awk 'BEGIN { srand(7) } { print rand() "\t" $1 }' "$train/text" | sort -k1,1 | cut -f2 >"$out/subsets/order"

: >"$out/curve.tsv.tmp"
IFS=, read -r -a ns <<<"$sizes"
for n in "${ns[@]}"; do
    [ "$n" -le "$total" ] || { say "size $n skipped: $train has $total utterances"; continue; }
    sub=$out/subsets/$n
    if [ "$n" -eq "$total" ]; then
        sub=$train
    else
        head -n "$n" "$out/subsets/order" | LC_ALL=C sort >"$out/subsets/$n.ids"
        rm -rf "$sub"
        "$ASR" data subset --utterances "$out/subsets/$n.ids" "$train" "$sub" >/dev/null
    fi
    e=$epochs
    [ "$e" != auto ] || e=$(awk -v n="$n" 'BEGIN { e = int(25 * 1500 / n + 0.5); print (e < 25 ? 25 : (e > 100 ? 100 : e)) }')
    for p in staged direct; do
        exp=$out/$p-$n
        say "$p on $n utterances, $e epochs"
        "$ASR" train --pipeline "$p" --train "$sub" --valid "$data/train_dev" --lexicon "$data/lexicon.txt" \
            --epochs "$e" --out "$exp" ${threads:+--threads "$threads"} "${quiet[@]}"
        wer=$("$ASR" decode --model "$exp/final.mdl" --beam 16 --out "$exp/hyp_$split.txt" \
            ${threads:+--threads "$threads"} "$data/$split" 2>&1 | awk '/^%WER/ { print $2 }')
        [ -n "$wer" ] || { say "no WER from decoding $data/$split with $exp/final.mdl"; exit 1; }
        say "$p $n: $split WER $wer%"
        echo "$p $n $wer" >>"$out/curve.tsv.tmp"
    done
done
mv "$out/curve.tsv.tmp" "$out/curve.tsv"
awk -v where="$split" '{ w[$1, $2] = $3; if (!($2 in seen)) { seen[$2] = 1; size[++n] = $2 } }
    END {
        printf "%8s %10s %10s   (%s WER %%)\n", "size", "staged", "direct", where
        over = ""
        for (i = 1; i <= n; i++) {
            s = size[i]; printf "%8d %10.2f %10.2f\n", s, w["staged", s], w["direct", s]
            if (w["direct", s] < w["staged", s]) over = over (over ? ", " : "") s
        }
        if (over) print "direct is below staged at: " over
        else print "direct is not below staged at any size measured"
    }' "$out/curve.tsv" | tee "$out/curve.txt"
