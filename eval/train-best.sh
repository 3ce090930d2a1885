#!/usr/bin/env bash
# train-best.sh — the recognizers to ship: the best configuration measured by
# eval/experiments/unseen_speakers.sh (BEST_* in eval/experiments/common.sh,
# chosen by the mean over speaker-disjoint folds), trained on everything the
# project has: the synthetic digits corpus with its noise augmentation, every
# real corpus of --shared (FSDD's isolated digits and connected strings,
# Speech Commands' digits and, with BEST_WORDS, its other words and
# Picovoice's keywords), Asterisk's real digit prompts, and BEST_REAL_COPIES
# perturbed copies of the real speech. Validation and early stopping on
# train_dev (synthetic, held out); the models decode with the digit domain's
# LM. With BEST_TRANSFER last or all, that training is the pretraining
# (EXP/PIPELINE-pretrained), and the model is then fine-tuned from it on the
# digits alone (the same set without the non-digit words: digits_only),
# only the output layer (last) or every layer (all), with the fine-tuning's
# own options (BEST_FINETUNE_PIPELINE_OPTS). Writes
# EXP/staged/final.mdl, EXP/direct/final.mdl and EXP/staged-tdnn/final.mdl
# (the staged pipeline with the default TDNN, BEST_STAGED_TDNN_OPTS: the
# third model of the shipped combination, asr decode --combine), and with
# all three EXP/digits.mdl, the three combined as the shipped default is
# (asr models --combine, BEST_COMBINE_DECODE_OPTS), each model storing its
# word-time shifts (BEST_TIME_SHIFTS_P), the direct model its rejection
# threshold (BEST_REJECT_CONFIDENCE_DIRECT), so the combination rejects what
# it rejects, and the system its calibration
# (BEST_SYSTEM_CALIBRATION); it prints progress; an
# existing EXP/PIPELINE is replaced only when its new run is complete (asr
# train --force).
#
# usage: eval/train-best.sh --out EXP [options]
#   --shared PATH      the real corpora (default ../shared/data; fsdd/ required)
#   --data DIR         the digits corpus (default data/digits; built when missing)
#   --pipelines LIST   default staged,direct,staged-tdnn (multitask too)
#   --threads N        (default: all cores)
#   --epochs N         instead of the best configuration's (a quick check)
#   --pretrained EXP2  with BEST_TRANSFER last|all: an earlier run's joint
#                      models (EXP2/PIPELINE/final.mdl, trained on the same
#                      utterances: EXP2/train/text) as the pretraining
set -euo pipefail
. "$(dirname "$0")/experiments/common.sh"
shared=$REPO/../shared/data data=$REPO/data/digits out='' pipelines=staged,direct,staged-tdnn threads='' epochs=$BEST_EPOCHS pretrained=''
while [ $# -gt 0 ]; do
    case $1 in
    --out) need_value "$1" $#; out=$2; shift 2 ;;
    --shared) need_value "$1" $#; shared=$2; shift 2 ;;
    --data) need_value "$1" $#; data=$2; shift 2 ;;
    --pipelines) need_value "$1" $#; pipelines=$2; shift 2 ;;
    --threads) need_value "$1" $#; need_uint "$1" "$2"; threads=$2; shift 2 ;;
    --epochs) need_value "$1" $#; need_uint "$1" "$2"; epochs=$2; shift 2 ;;
    --pretrained) need_value "$1" $#; pretrained=$2; shift 2 ;;
    -h | --help) sed -n '2,32p' "$0"; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
    esac
done
[ -n "$out" ] || usage_error "--out EXP is required"
[ -d "$shared/fsdd" ] || die "no FSDD folder at '$shared/fsdd' (give --shared PATH)"
IFS=, read -r -a pipes <<<"$pipelines"
for p in "${pipes[@]}"; do case $p in staged | direct | multitask | staged-tdnn) ;; *) usage_error "unknown pipeline '$p'" ;; esac; done
need_asr
need_tool sox sox
export LC_ALL=C
start=$SECONDS
case $BEST_TRANSFER in joint | last | all) ;; *) die "BEST_TRANSFER is '$BEST_TRANSFER': joint, last or all" ;; esac
[ -z "$pretrained" ] || [ "$BEST_TRANSFER" != joint ] || usage_error "--pretrained is for BEST_TRANSFER last or all"
steps=$((2 + ${#pipes[@]}))
step() { say "[$1/$steps] $2 ($((SECONDS - start)) s)"; }

step 1 "the synthetic corpus and its augmentation in $data"
ensure_digits "$data"
bash "$REPO/data/recipes/augment.sh" "$data/train" "$data/train_aug" 2>/dev/null
mkdir -p "$out"
out=$(cd "$out" && pwd)
step 2 "the real speakers"
real_speech "$shared" "$data" "$out/real" "$BEST_N_CONNECTED" 1 "$BEST_REAL_COPIES" "$BEST_WORDS"
real=("${REAL_PARTS[@]}")
[ "$BEST_REAL_COPIES" = 0 ] || real=("$out/real/pool_aug$BEST_REAL_COPIES")
rm -rf "$out/train" "$out"/train_digits*
"$ASR" data combine "$out/train" "$data/train_aug" "${real[@]}" >/dev/null || die "asr data combine failed"
say "training set: $(wc -l <"$out/train/text") utterances ($(wc -l <"$data/train_aug/text") synthetic); real speakers: FSDD's ${REAL_SPEAKERS[*]}, ${#SC_SPEAKERS[@]} of Speech Commands, Asterisk's$([ "$BEST_WORDS" = 0 ] || echo ", Picovoice's")"
opts=(--valid "$data/train_dev" --epochs "$epochs" "${BEST_TRAIN_OPTS[@]}")
[ -z "$threads" ] || opts+=(--threads "$threads")
k=2
for p in "${pipes[@]}"; do
    k=$((k + 1))
    popts=("${opts[@]}") pp=$(system_pipeline "$p")
    # The digit domain's LM (words, or characters for direct); the phone
    # pipelines' lexicon covers every word of every corpus.
    case $pp in
    staged | multitask) popts+=(--lexicon "$out/real/lexicon.txt" --lm "$out/real/lm/words.arpa") ;;
    direct) popts+=(--lm "$out/real/lm/chars.arpa") ;;
    esac
    own=BEST_$(tr a-z- A-Z_ <<<"$p")_OPTS[@] # the system's own options (common.sh)
    popts+=("${!own}")
    step "$k" "training $p (${popts[*]})"
    t0=$SECONDS
    if [ "$BEST_TRANSFER" = joint ]; then
        "$ASR" train --pipeline "$pp" --train "$out/train" --out "$out/$p" --force "${popts[@]}" ||
            die "training $p failed"
    else
        if [ -n "$pretrained" ]; then
            take_pretrained "$pretrained" "$out" "$p"
        else
            "$ASR" train --pipeline "$pp" --train "$out/train" --out "$out/$p-pretrained" --force "${popts[@]}" ||
                die "pretraining $p failed"
        fi
        ft=BEST_FINETUNE_${pp^^}_OPTS[@] # the fine-tuning's own options (common.sh)
        ft=("${!ft}")
        neg=$(best_negatives "$pp")
        ftset=$(finetune_set "$out/train" "$out/real" "$out" "$neg" "$data")
        say "$p: fine-tuning ($BEST_TRANSFER layers${ft[*]:+, ${ft[*]}}) on $(wc -l <"$ftset/text") utterances$([ "$neg" = 0 ] && echo " of digits" || echo ": the digits, $neg utterances of other words (<unk>), noise and music (<noise>)")"
        "$ASR" train --pipeline "$pp" --train "$ftset" --out "$out/$p" --force "${popts[@]}" "${ft[@]}" \
            --init "$out/$p-pretrained/final.mdl" --finetune "$BEST_TRANSFER" || die "fine-tuning $p failed"
    fi
    # Its search settings, stored in the file (common.sh): its word-time
    # shifts (BEST_TIME_SHIFTS_P), and the direct model's rejection threshold.
    sets=BEST_TIME_SHIFTS_$(tr a-z- A-Z_ <<<"$p")[@]
    sets=("${!sets}")
    [ "$p" != direct ] || [ -z "$BEST_REJECT_CONFIDENCE_DIRECT" ] ||
        sets+=(--set "reject_confidence=$BEST_REJECT_CONFIDENCE_DIRECT")
    if [ ${#sets[@]} -gt 0 ]; then
        "$ASR" models --model "$out/$p/final.mdl" "${sets[@]}" --out "$out/$p/final.set.mdl" &&
            mv "$out/$p/final.set.mdl" "$out/$p/final.mdl" || die "storing $p's search settings failed"
        say "$p stores ${sets[*]}"
    fi
    say "$p trained in $((SECONDS - t0)) s: $out/$p/final.mdl ($(stat -c %s "$out/$p/final.mdl") bytes)"
done
# The shipped default: the three systems combined in one file (asr models
# --combine; the combination of unseen_speakers.sh's "combined" system),
# when this run trained all three.
if [[ ",$pipelines," == *,staged,* && ",$pipelines," == *,direct,* && ",$pipelines," == *,staged-tdnn,* ]]; then
    "$ASR" models --model "$out/staged/final.mdl" "${BEST_COMBINE_DECODE_OPTS[@]}" \
        --combine "$out/direct/final.mdl" --combine "$out/staged-tdnn/final.mdl" \
        "${BEST_SYSTEM_CALIBRATION[@]}" --out "$out/digits.mdl" ||
        die "storing the combined system failed"
    say "the three combined (${BEST_COMBINE_DECODE_OPTS[*]}): $out/digits.mdl ($(stat -c %s "$out/digits.mdl") bytes)"
fi
say "done in $((SECONDS - start)) s"
