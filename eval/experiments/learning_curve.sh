#!/usr/bin/env bash
# learning_curve.sh — WER against training-set size, staged and direct.
#
# Both pipelines are trained on nested random subsets of DATA/TRAIN (one
# seeded shuffle, the first N utterances for every size N), validated on
# DATA/train_dev, and scored on each of SPLITS as three series: staged (its
# word search), direct (prefix beam 16 with its character LM, both LMs
# estimated from the same training transcripts) and direct-greedy (the
# direct network alone, no LM). Writes OUT/curve.tsv (lines "SERIES SIZE
# WER" on the first split, what `asr compare --curve` draws),
# OUT/curve-SPLIT.tsv for every split, OUT/PIPELINE-N/ (each model; a model
# already trained there is reused unless --retrain) and OUT/curve.txt: a
# table per split and the sizes at which each direct series is below staged.
#
# usage: eval/experiments/learning_curve.sh [--data DIR] [--train NAME] [--out DIR]
#            [--sizes N,N,...] [--epochs N|auto] [--splits A,B] [--threads N]
#            [--quiet] [--retrain]
#   --data    corpus directory (default data/digits_8k, built by
#             data/recipes/digits.sh --n-train 8000 when missing)
#   --train   the training split inside DATA (default train)
#   --sizes   default 250,500,1000,2000,4000,8000 (sizes above the split's
#             utterance count are skipped)
#   --epochs  auto (default): 25 * 1500 / N clamped to [25, 100], so small
#             sets get as many updates as the default corpus; early stopping
#             on train_dev as the pipeline configs set it. Or a fixed number.
#   --splits  where WER is measured (default dev,train_dev: the target
#             distribution, and the training distribution's held-out part)
. "$(dirname "$0")/common.sh"
data='' trainname=train out=$REPO/exp/learning_curve sizes=250,500,1000,2000,4000,8000
epochs=auto splits=dev,train_dev threads='' quiet=() retrain=0
while [ $# -gt 0 ]; do
    case $1 in
    --data) data=$2; shift 2 ;;
    --train) trainname=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --splits | --split) splits=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --quiet) quiet=(--quiet); shift ;;
    --retrain) retrain=1; shift ;;
    -h | --help) sed -n '2,28p' "$0"; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
    esac
done
need_asr
need_tool jq jq
if [ -z "$data" ]; then
    data=$REPO/data/digits_8k
    [ -f "$data/train/text" ] || bash "$REPO/data/recipes/digits.sh" --out "$data" --n-train 8000
fi
train=$data/$trainname
[ -f "$train/text" ] || die "no training split at $train"
mkdir -p "$out/subsets"
total=$(wc -l <"$train/text")
# One seeded shuffle of the utterance ids; size N keeps its first N (so the
# sets are nested), sorted back into Kaldi order.
awk 'BEGIN { srand(7) } { print rand() "\t" $1 }' "$train/text" | sort -k1,1 | cut -f2 >"$out/subsets/order"

: >"$out/points.tmp"
IFS=, read -r -a ns <<<"$sizes"
IFS=, read -r -a where <<<"$splits"
for n in "${ns[@]}"; do
    [ "$n" -le "$total" ] || { say "size $n skipped: $train has $total utterances"; continue; }
    sub=$out/subsets/$n
    if [ "$n" -eq "$total" ]; then
        sub=$train
    elif [ "$retrain" = 1 ] || [ ! -f "$out/staged-$n/final.mdl" ] || [ ! -f "$out/direct-$n/final.mdl" ]; then
        head -n "$n" "$out/subsets/order" | LC_ALL=C sort >"$out/subsets/$n.ids"
        rm -rf "$sub"
        "$ASR" data subset --utterances "$out/subsets/$n.ids" "$train" "$sub" >/dev/null
    fi
    e=$epochs
    [ "$e" != auto ] || e=$(awk -v n="$n" 'BEGIN { e = int(25 * 1500 / n + 0.5); print (e < 25 ? 25 : (e > 100 ? 100 : e)) }')
    for p in staged direct; do
        exp=$out/$p-$n
        if [ "$retrain" = 0 ] && [ -f "$exp/final.mdl" ]; then
            say "$p on $n utterances: trained already ($exp/final.mdl)"
        else
            say "$p on $n utterances, $e epochs"
            train_with_lexicon "$p" "$data/lexicon.txt" --train "$sub" --valid "$data/train_dev" \
                --epochs "$e" --out "$exp" --force ${threads:+--threads "$threads"} "${quiet[@]}"
        fi
        series=("$p:16")
        [ $p = staged ] || series+=("direct-greedy:1")
        for sb in "${series[@]}"; do
            name=${sb%%:*} beam=${sb#*:}
            for sp in "${where[@]}"; do
                wer=$(decode_wer "$exp/hyp_${name}_$sp.txt" "$exp/final.mdl" "$data/$sp" \
                    --beam "$beam" ${threads:+--threads "$threads"})
                say "$name $n: $sp WER $wer%"
                echo "$sp $name $n $wer" >>"$out/points.tmp"
            done
        done
    done
done
for sp in "${where[@]}"; do
    awk -v sp="$sp" '$1 == sp { print $2, $3, $4 }' "$out/points.tmp" >"$out/curve-$sp.tsv"
done
cp "$out/curve-${where[0]}.tsv" "$out/curve.tsv"
rm -f "$out/points.tmp"
for sp in "${where[@]}"; do
    awk -v where="$sp" '{ w[$1, $2] = $3; if (!($2 in seen)) { seen[$2] = 1; size[++n] = $2 } }
    END {
        printf "%8s %10s %10s %14s   (%s WER %%)\n", "size", "staged", "direct", "direct-greedy", where
        for (i = 1; i <= n; i++) {
            s = size[i]
            printf "%8d %10.2f %10.2f %14.2f\n", s, w["staged", s], w["direct", s], w["direct-greedy", s]
            if (w["direct", s] < w["staged", s]) o1 = o1 (o1 ? ", " : "") s
            if (w["direct-greedy", s] < w["staged", s]) o2 = o2 (o2 ? ", " : "") s
        }
        print "direct (with its character LM) below staged at: " (o1 ? o1 : "no size measured")
        print "direct-greedy (no LM) below staged at: " (o2 ? o2 : "no size measured")
        print ""
    }' "$out/curve-$sp.tsv"
done | tee "$out/curve.txt"
