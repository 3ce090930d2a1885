#!/usr/bin/env bash
# unseen_speakers.sh — how well the recognizers do on people they have never
# heard: speaker-disjoint folds over every real speaker the machine has.
#
# Two families of held-out speakers, run as one set of folds to halve the
# training: fold k holds out FSDD speaker k (k = 1..4, sorted names) AND
# Speech Commands group k (its speakers drawn into --sc-groups groups, seed
# --sc-seed). Nothing of a held-out speaker is trained on: not their digits,
# not their other words, not perturbed copies. Each fold tests on
#   fsdd_isolated, fsdd_connected   the FSDD speaker's 500 digits and
#                                   --n-connected strings joined from their own
#                                   recordings (data/recipes/connect.sh)
#   sc_digits                       the group's Speech Commands digits
# and trains on the synthetic corpus with its noise augmentation
# (data/digits: train_aug), every other real speaker (FSDD, its strings,
# Speech Commands digits; with --words yes also Speech Commands' 25 other
# words and Picovoice's keywords, whose speakers are unlabelled and so in
# every fold), Asterisk's digit prompts, and --real-copies perturbed copies
# of all that real speech. Validation and early stopping use the synthetic
# train_dev. Every model decodes with the digit domain's LM (words or
# characters from data/digits/lm_text, asr train --lm): a model that learnt
# "yes" and "stop" still answers in digits.
# PocketSphinx with CMU's TIDIGITS model (eval/tidigits.sh) decodes the same
# test audio; its silence/noise-removal setting is chosen per fold on that
# fold's training-side FSDD speakers, as a setting of ours would be.
# Settings are compared by the MEAN over folds, never by one fold.
# With both the staged and the direct pipeline, a third system, "combined",
# decodes each fold with both models (asr decode --model STAGED --combine
# DIRECT: each utterance keeps the words of the more confident model;
# with BEST_COMBINE_DECODE_OPTS, or --combine-opt's); --combine-with adds
# earlier runs' fold models to it.
#
# Transfer (--transfer): joint (default; every word in one training), or
# last / all: pretrain on every word, then fine-tune on the digits-only set
# (the same set without the non-digit corpora) from the pretrained weights:
# only the output layer (last) or every layer (all). --pretrained RUN takes
# the pretrained models from an earlier joint run's folds (RUN/folds/K/P/
# final.mdl) instead of training them again: refused unless that fold trained
# on the same utterances with the same transcripts.
#
# Writes OUT/loso.json (per fold and system: WER on each test split, RTF,
# size; per family the mean and worst fold; the targets), OUT/summary.txt,
# OUT/table.md (the README's table of the folds: loso_table.sh)
# and OUT/report/{report.json,report.html,report.md} (`asr compare` on the
# pooled hypotheses: each utterance decoded by the fold that never heard its
# speaker). Finished folds are kept: a re-run with the same training set and
# options retrains nothing (--retrain forces it).
#
# usage: eval/experiments/unseen_speakers.sh [options]
#   --shared PATH      the real corpora (default ../shared/data): fsdd/
#                      (required), speechcommands_digits/,
#                      speechcommands_words/, picovoice_keywords/
#   --data DIR         the digits corpus (default data/digits; built when missing)
#   --out DIR          default exp/unseen_speakers
#   --pipelines LIST   default staged,direct
#   --folds LIST       the folds to run, e.g. 1,3 (default: all)
#   --sc-groups N      Speech Commands speaker groups (default 5)
#   --sc-seed N        their draw (default 1)
#   --words yes|no     train on the non-digit words too (default: BEST_WORDS)
#   --transfer joint|last|all   (default: BEST_TRANSFER)
#   --negatives N      with --transfer last|all: N of the training speakers'
#                      non-digit utterances (<unk>) and noise and music
#                      (<noise>) in every pipeline's fine-tuning set, so the
#                      model learns to say nothing outside its vocabulary
#                      (default: BEST_NEGATIVES_PIPELINE)
#   --pretrained RUN   with --transfer last|all: the pretrained models of the
#                      earlier joint run RUN (see Transfer above)
#   --valid synthetic|real      validation (early stopping, the search
#                      sweep): the synthetic train_dev, or train_dev plus the
#                      Speech Commands digits of the next fold's group (taken
#                      out of training; real voices, as the test)
#                      (default: BEST_VALID)
#   --n-connected N    connected strings per FSDD speaker
#   --epochs N  --threads N
#   --jobs N           (fold, pipeline) trainings at a time (default 1), each
#                      with cores / N threads unless --threads says otherwise
#   --synthetic LIST   the synthetic training data dirs, comma-separated
#                      (default DATA/train_aug, built when missing; "none"
#                      for no synthetic speech)
#   (defaults of --n-connected, --epochs, --real-copies and the train options:
#   the best configuration so far, BEST_* in eval/experiments/common.sh; the
#   fine-tuning also gets BEST_FINETUNE_PIPELINE_OPTS, which the options
#   below override)
#   --train-opt OPT    an extra `asr train` argument (repeat for each word:
#                      --train-opt --set --train-opt vtlp=0.1): the lever under test
#   --staged-opt OPT, --direct-opt OPT, --multitask-opt OPT
#                      the same for one pipeline only
#   --decode-opt OPT   an `asr decode` argument (repeatable; given, it replaces
#                      the default decode options): a search lever; models
#                      already trained are only decoded again
#   --ensemble LIST    decode each fold with an ensemble: this run's model and
#                      the same fold's and pipeline's model of each earlier run
#                      OUT (comma-separated; asr decode --model ... --model ...)
#   --combine-opt OPT  an `asr decode` argument of the combined system alone
#                      (repeatable; given, it replaces BEST_COMBINE_DECODE_OPTS)
#   --combine-with LIST  the combined system also decodes with the same
#                      fold's model of pipeline P of each earlier run RUN
#                      (comma-separated RUN:P; --combine RUN/folds/K/P/final.mdl)
#   --real-copies N    N perturbed copies of every real training utterance
#                      (data/recipes/augment.sh: speed 0.9-1.1 and music, pink
#                      or white noise or reverberation; never babble, which
#                      would mix a held-out speaker into training)
#   --real DIR         the real speech as an earlier run prepared it (its
#                      OUT/real; default OUT/real): checked and reused, not
#                      rebuilt (the same --words, --real-copies, --no-asterisk)
#   --no-asterisk      leave Asterisk's digit prompts out of training
#   --no-pocketsphinx  skip the reference recognizer
#   --retrain          train every fold again
. "$(dirname "$0")/common.sh"
shared=$REPO/../shared/data data=$REPO/data/digits out=$REPO/exp/unseen_speakers
pipelines=staged,direct fold_list='' threads='' jobs=1 synth='' ensemble='' combine_with='' pretrained='' asterisk=1 ps=1 retrain=0 R=
groups=5 sc_seed=1 words=$BEST_WORDS transfer=$BEST_TRANSFER valid=$BEST_VALID negatives=''
n_connected=$BEST_N_CONNECTED epochs=$BEST_EPOCHS real_copies=$BEST_REAL_COPIES
train_opts=("${BEST_TRAIN_OPTS[@]}") decode_opts=("${BEST_DECODE_OPTS[@]}") combine_opts=("${BEST_COMBINE_DECODE_OPTS[@]}")
staged_opts=("${BEST_STAGED_OPTS[@]}") direct_opts=("${BEST_DIRECT_OPTS[@]}") multitask_opts=()
while [ $# -gt 0 ]; do
    case $1 in
    --shared) need_value "$1" $#; shared=$2; shift 2 ;;
    --data) need_value "$1" $#; data=$2; shift 2 ;;
    --out) need_value "$1" $#; out=$2; shift 2 ;;
    --pipelines) need_value "$1" $#; pipelines=$2; shift 2 ;;
    --folds) need_value "$1" $#; fold_list=$2; shift 2 ;;
    --sc-groups) need_value "$1" $#; need_uint "$1" "$2"; groups=$2; shift 2 ;;
    --sc-seed) need_value "$1" $#; need_uint "$1" "$2"; sc_seed=$2; shift 2 ;;
    --words) need_value "$1" $#; words=$2; shift 2 ;;
    --transfer) need_value "$1" $#; transfer=$2; shift 2 ;;
    --negatives) need_value "$1" $#; need_uint "$1" "$2"; negatives=$2; shift 2 ;;
    --valid) need_value "$1" $#; valid=$2; shift 2 ;;
    --n-connected) need_value "$1" $#; need_uint "$1" "$2"; n_connected=$2; shift 2 ;;
    --epochs) need_value "$1" $#; need_uint "$1" "$2"; epochs=$2; shift 2 ;;
    --threads) need_value "$1" $#; need_uint "$1" "$2"; threads=$2; shift 2 ;;
    --jobs) need_value "$1" $#; need_uint "$1" "$2"; jobs=$2; shift 2 ;;
    --synthetic) need_value "$1" $#; synth=$2; shift 2 ;;
    --ensemble) need_value "$1" $#; ensemble=$2; shift 2 ;;
    --combine-with) need_value "$1" $#; combine_with=$2; shift 2 ;;
    --combine-opt)
        need_value "$1" $#
        [ "${given_combine:-0}" = 1 ] || combine_opts=()
        given_combine=1 combine_opts+=("$2")
        shift 2
        ;;
    --pretrained) need_value "$1" $#; pretrained=$2; shift 2 ;;
    --train-opt) need_value "$1" $#; train_opts+=("$2"); shift 2 ;;
    --staged-opt) need_value "$1" $#; staged_opts+=("$2"); shift 2 ;;
    --direct-opt) need_value "$1" $#; direct_opts+=("$2"); shift 2 ;;
    --multitask-opt) need_value "$1" $#; multitask_opts+=("$2"); shift 2 ;;
    --decode-opt)
        need_value "$1" $#
        [ "${given_decode:-0}" = 1 ] || decode_opts=()
        given_decode=1 decode_opts+=("$2")
        shift 2
        ;;
    --real-copies) need_value "$1" $#; need_uint "$1" "$2"; real_copies=$2; shift 2 ;;
    --real) need_value "$1" $#; R=$2; shift 2 ;;
    --no-asterisk) asterisk=0; shift ;;
    --no-pocketsphinx) ps=0; shift ;;
    --retrain) retrain=1; shift ;;
    -h | --help) sed -n '2,108p' "$0"; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
    esac
done
[ -d "$shared/fsdd" ] || die "no FSDD folder at '$shared/fsdd' (give --shared PATH)"
[ "$n_connected" -ge 1 ] || usage_error "--n-connected must be at least 1"
[ "$jobs" -ge 1 ] || usage_error "--jobs must be at least 1"
[ "$groups" -ge 2 ] || usage_error "--sc-groups must be at least 2"
case $words in yes) words=1 ;; no) words=0 ;; 1 | 0) ;; *) usage_error "--words wants yes or no, got '$words'" ;; esac
case $transfer in joint | last | all) ;; *) usage_error "--transfer wants joint, last or all, got '$transfer'" ;; esac
case $valid in synthetic | real) ;; *) usage_error "--valid wants synthetic or real, got '$valid'" ;; esac
[ "$transfer" = joint ] || [ "$words" = 1 ] || usage_error "--transfer $transfer pretrains on every word: it needs --words yes"
[ -z "$negatives" ] || [ "$negatives" = 0 ] || [ "$transfer" != joint ] || usage_error "--negatives is for --transfer last or all (the fine-tuning set)"
[ -z "$pretrained" ] || [ "$transfer" != joint ] || usage_error "--pretrained is for --transfer last or all"
[ -z "$pretrained" ] || [ -d "$pretrained/folds" ] || usage_error "--pretrained: no earlier run at '$pretrained' (no folds/)"
IFS=, read -r -a pipes <<<"$pipelines"
# --combine-with: RUN:PIPELINE entries of runs with folds, checked before any training.
IFS=, read -r -a combine_partners <<<"$combine_with"
for e in "${combine_partners[@]}"; do
    [[ $e == ?*:?* ]] || usage_error "--combine-with wants RUN:PIPELINE entries, got '$e'"
    [ -d "${e%:*}/folds" ] || usage_error "--combine-with: no earlier run at '${e%:*}' (no folds/)"
done
# negatives_of P: the negatives in P's fine-tuning set (--negatives, else BEST_NEGATIVES_P).
negatives_of() {
    if [ -n "$negatives" ]; then echo "$negatives"; else best_negatives "$1"; fi
}
for p in "${pipes[@]}"; do case $p in staged | direct | multitask) ;; *) usage_error "unknown pipeline '$p'" ;; esac; done
need_asr
need_tool jq jq
need_tool sox sox
[ "$ps" = 0 ] || need_tool pocketsphinx_batch pocketsphinx
export LC_ALL=C
start=$SECONDS

# ---- the corpus: synthetic training data, and the real speakers ----
ensure_digits "$data"
synthetic=()
if [ -z "$synth" ]; then
    bash "$REPO/data/recipes/augment.sh" "$data/train" "$data/train_aug" 2>/dev/null
    synthetic=("$data/train_aug")
elif [ "$synth" != none ]; then
    IFS=, read -r -a synthetic <<<"$synth"
    for d in "${synthetic[@]}"; do [ -f "$d/text" ] || die "--synthetic: no data dir at '$d'"; done
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
if [ -z "$R" ]; then
    R=$out/real
elif [ -f "$R/params" ]; then
    # Another run's data: reused only as it was made, never rebuilt in place.
    want=$(real_speech_params "$shared" "$data" "$R" "$n_connected" "$asterisk" "$real_copies" "$words")
    [ "$(cat "$R/params")" = "$want" ] ||
        die "--real $R was prepared with $(cat "$R/params"), not $want: give another --real, or none"
fi
mkdir -p "$R"
R=$(cd "$R" && pwd)
real_speech "$shared" "$data" "$R" "$n_connected" "$asterisk" "$real_copies" "$words"
fsdd_speakers=("${REAL_SPEAKERS[@]}")
[ "${#fsdd_speakers[@]}" -ge 2 ] || die "$shared/fsdd: leave-one-speaker-out needs at least two speakers"
have_sc=0
[ ! -f "$R/sc_digits/text" ] || have_sc=1
nfolds=${#fsdd_speakers[@]}
[ "$have_sc" = 0 ] || [ "$groups" -le "$nfolds" ] || nfolds=$groups
[ "$have_sc" = 1 ] || say "no Speech Commands digits under $shared: FSDD folds only"
sc_groups "$groups" "$sc_seed" >"$out/sc_groups"
if [ -n "$fold_list" ]; then
    IFS=, read -r -a folds <<<"$fold_list"
    for k in "${folds[@]}"; do [[ $k =~ ^[1-9][0-9]*$ ]] && [ "$k" -le "$nfolds" ] || usage_error "no fold '$k' (1..$nfolds)"; done
else
    mapfile -t folds < <(seq "$nfolds")
fi
# The non-digit corpora, left out of the digits-only set of --transfer last|all.
word_parts=()
for d in "$R/sc_words" "$R/picovoice"; do [ "$words" = 0 ] || [ ! -f "$d/text" ] || word_parts+=("$(basename "$d")"); done
# subset IN SPEAKERS_FILE OUT [--exclude]: the utterances of those speakers
# (with --exclude: of every other speaker); "" when none is left.
subset() {
    local in=$1 list=$2 o=$3
    rm -rf "$o"
    if [ "${4:-}" = --exclude ]; then
        cut -d' ' -f2 "$in/utt2spk" | sort -u | grep -vxF -f "$list" >"$o.speakers" || true
    else
        cut -d' ' -f2 "$in/utt2spk" | sort -u | grep -xF -f "$list" >"$o.speakers" || true
    fi
    if [ ! -s "$o.speakers" ]; then
        rm -f "$o.speakers"
        return 1
    fi
    "$ASR" data subset --speakers "$o.speakers" "$in" "$o" >/dev/null || die "asr data subset of $in failed"
    rm -f "$o.speakers"
}
# drop_utts DIR IDS_FILE: DIR without the utterances whose ids begin the
# lines of IDS_FILE, nor their perturbed copies (ID-aK-TYPE).
drop_utts() {
    awk 'NR == FNR { k[$1]; next } { u = $1; sub(/-a[0-9]+-[a-z]+$/, "", u) } !(u in k) { print $1 }' \
        "$2" "$1/utt2spk" >"$1.keep"
    rm -rf "$1.kept"
    "$ASR" data subset --utterances "$1.keep" "$1" "$1.kept" >/dev/null || die "asr data subset of $1 failed"
    rm -rf "$1" "$1.keep"
    mv "$1.kept" "$1"
}
# The held-out speakers of fold K: FSDD speaker K and Speech Commands group K.
heldout() {
    { [ "$1" -gt "${#fsdd_speakers[@]}" ] || echo "${fsdd_speakers[$1 - 1]}"
      awk -v g="$1" '$2 == g { print $1 }' "$out/sc_groups"; } | sort
}

# ---- each fold's test sets and training set ----
for k in "${folds[@]}"; do
    F=$out/folds/$k
    mkdir -p "$F"
    heldout "$k" >"$F/heldout"
    tests=()
    subset "$R/fsdd" "$F/heldout" "$F/fsdd_isolated" && tests+=(fsdd_isolated)
    subset "$R/fsdd_connected" "$F/heldout" "$F/fsdd_connected" && tests+=(fsdd_connected)
    [ "$have_sc" = 0 ] || ! subset "$R/sc_digits" "$F/heldout" "$F/sc_digits" || tests+=(sc_digits)
    printf '%s\n' "${tests[@]}" >"$F/tests"
    if [ "$real_copies" -gt 0 ]; then
        subset "$R/pool_aug$real_copies" "$F/heldout" "$F/real" --exclude || die "fold $k: no real training speech left"
    else
        parts=()
        for d in "${REAL_PARTS[@]}"; do
            subset "$d" "$F/heldout" "$F/real_$(basename "$d")" --exclude && parts+=("$F/real_$(basename "$d")")
        done
        rm -rf "$F/real"
        "$ASR" data combine "$F/real" "${parts[@]}" >/dev/null || die "asr data combine failed for fold $k"
        rm -rf "${parts[@]}"
    fi
    rm -rf "$F/train" "$F"/train_digits* "$F/valid"
    "$ASR" data combine "$F/train" "${synthetic[@]}" "$F/real" >/dev/null || die "asr data combine failed for fold $k"
    if [ "$valid" = real ] && [ "$have_sc" = 1 ]; then
        # The next group's Speech Commands digits validate; they (and their
        # perturbed copies) leave training.
        awk -v g="$((k % groups + 1))" '$2 == g { print $1 }' "$out/sc_groups" | grep -vxF -f "$F/heldout" >"$F/valid.speakers" || true
        subset "$R/sc_digits" "$F/valid.speakers" "$F/valid_sc" || die "fold $k: no Speech Commands digits to validate on"
        drop_utts "$F/train" "$F/valid_sc/utt2spk"
        "$ASR" data combine "$F/valid" "$data/train_dev" "$F/valid_sc" >/dev/null || die "asr data combine (validation) failed for fold $k"
        rm -rf "$F/valid_sc" "$F/valid.speakers"
    else
        cp -r "$data/train_dev" "$F/valid"
    fi
    if [ "$transfer" != joint ]; then
        rm -rf "$F"/train_digits "$F"/train_digits_neg*
        for p in "${pipes[@]}"; do # each pipeline's fine-tuning set, made before the jobs start
            finetune_set "$F/train" "$R" "$F" "$(negatives_of "$p")" "$data" >/dev/null
        done
    fi
    say "fold $k: held out $(head -1 "$F/heldout") and $(($(wc -l <"$F/heldout") - 1)) more; test ${tests[*]}; train $(wc -l <"$F/train/text") utterances"
done

# ---- asr: train each fold, decode its held-out speakers ----
opts=(--quiet)
# The phone pipelines' lexicon: every word of every corpus.
staged_opts+=(--lexicon "$R/lexicon.txt") multitask_opts+=(--lexicon "$R/lexicon.txt")
[ -z "$epochs" ] || opts+=(--epochs "$epochs")
# With --jobs N the cores are shared: each training gets cores / N threads.
[ -n "$threads" ] || [ "$jobs" = 1 ] || threads=$(($(nproc) / jobs > 0 ? $(nproc) / jobs : 1))
[ -z "$threads" ] || opts+=(--threads "$threads")
opts+=("${train_opts[@]}")
# train_once F P NAME TRAIN_DIR OPTS...: train P into F/NAME unless it was
# trained already with the same training set and options.
train_once() {
    local F=$1 p=$2 name=$3 set=$4 stamp t0
    shift 4
    stamp=$( (printf '%s\n' "$p" "$@"; cat "$set/wav.scp" "$set/text") | md5sum)
    if [ "$retrain" = 0 ] && [ -f "$F/$name/final.mdl" ] && [ "$(cat "$F/$name.stamp" 2>/dev/null)" = "$stamp" ]; then
        say "fold $(basename "$F"): $name trained already"
        return 0
    fi
    t0=$SECONDS
    say "fold $(basename "$F"): training $name on $(wc -l <"$set/text") utterances"
    rm -f "$F/$name.stamp"
    "$ASR" train --pipeline "$p" --train "$set" --out "$F/$name" --force "$@" ||
        die "training $name for fold $(basename "$F") failed"
    echo "$stamp" >"$F/$name.stamp"
    say "fold $(basename "$F"): $name trained in $((SECONDS - t0)) s"
}
# run_fold K P: train pipeline P on fold K, decode K's held-out speech.
run_fold() {
    local k=$1 p=$2 F=$out/folds/$1 split lm=$R/lm/words.arpa
    # The fine-tuning's own options (--transfer last|all) go before the
    # others, so that a --train-opt or --PIPELINE-opt given here overrides them.
    local -n own=${p}_opts ft=BEST_FINETUNE_${p^^}_OPTS
    [ "$p" != direct ] || lm=$R/lm/chars.arpa
    local popts=("${opts[@]}" --valid "$F/valid" --lm "$lm" "${own[@]}")
    if [ "$transfer" = joint ]; then
        train_once "$F" "$p" "$p" "$F/train" "${popts[@]}"
    else
        if [ -n "$pretrained" ]; then
            take_pretrained "$pretrained/folds/$k" "$F" "$p" # the earlier joint run's fold
        else
            train_once "$F" "$p" "$p-pretrained" "$F/train" "${popts[@]}"
        fi
        train_once "$F" "$p" "$p" "$(finetune_set "$F/train" "$R" "$F" "$(negatives_of "$p")" "$data")" \
            "${ft[@]}" "${popts[@]}" --init "$F/$p-pretrained/final.mdl" \
            --finetune "$transfer"
    fi
    local models=(--model "$F/$p/final.mdl") e
    if [ -n "$ensemble" ]; then
        IFS=, read -r -a partners <<<"$ensemble"
        for e in "${partners[@]}"; do
            [ -f "$e/folds/$k/$p/final.mdl" ] || die "--ensemble: no $e/folds/$k/$p/final.mdl"
            models+=(--model "$e/folds/$k/$p/final.mdl")
        done
    fi
    local line=()
    while read -r split; do
        "$ASR" decode "${models[@]}" --threads 1 "${decode_opts[@]}" --out "$F/$p/hyp-$split.txt" \
            --stats "$F/$p/stats-$split.json" "$F/$split" 2>/dev/null ||
            die "decoding fold $k ($split) with $p failed"
        line+=("$split $(jq -r .wer "$F/$p/stats-$split.json")%")
    done <"$F/tests"
    say "fold $k: $p WER ${line[*]}"
}
running=0 failed=0
for k in "${folds[@]}"; do
    for p in "${pipes[@]}"; do
        if [ "$jobs" = 1 ]; then
            run_fold "$k" "$p"
            continue
        fi
        if [ "$running" -ge "$jobs" ]; then
            wait -n || failed=1
            running=$((running - 1))
        fi
        run_fold "$k" "$p" &
        running=$((running + 1))
    done
done
while [ "$running" -gt 0 ]; do
    wait -n || failed=1
    running=$((running - 1))
done
[ "$failed" = 0 ] || die "a fold failed (see above)"

# ---- system combination: staged and direct, each utterance the more confident ----
systems=("${pipes[@]}")
if [[ " ${pipes[*]} " == *" staged "* && " ${pipes[*]} " == *" direct "* ]]; then
    for k in "${folds[@]}"; do
        F=$out/folds/$k line=() more=()
        # The fold's models, first to last, in F/combined/models (their sizes go to loso.json).
        mkdir -p "$F/combined"
        { echo "$F/staged/final.mdl" && echo "$F/direct/final.mdl"
          for e in "${combine_partners[@]}"; do echo "${e%:*}/folds/$k/${e##*:}/final.mdl"; done
        } >"$F/combined/models"
        while read -r m; do
            [ -f "$m" ] || die "--combine-with: no $m"
            more+=(--combine "$m")
        done < <(tail -n +2 "$F/combined/models")
        while read -r split; do
            "$ASR" decode --model "$F/staged/final.mdl" "${more[@]}" --threads 1 \
                "${decode_opts[@]}" "${combine_opts[@]}" --out "$F/combined/hyp-$split.txt" --stats "$F/combined/stats-$split.json" \
                "$F/$split" 2>/dev/null || die "decoding fold $k ($split) with staged + direct failed"
            line+=("$split $(jq -r .wer "$F/combined/stats-$split.json")%")
        done <"$F/tests"
        say "fold $k: combined WER ${line[*]}"
    done
    systems+=(combined)
fi

# ---- PocketSphinx + TIDIGITS on the same audio ----
# pick IDS_TEXT HYP: the lines of HYP whose utterance is in the Kaldi file IDS_TEXT.
pick() { awk 'NR == FNR { k[$1]; next } $1 in k' "$1" "$2"; }
all_tests=(fsdd_isolated fsdd_connected)
[ "$have_sc" = 0 ] || all_tests+=(sc_digits)
declare -A source=([fsdd_isolated]=$R/fsdd [fsdd_connected]=$R/fsdd_connected [sc_digits]=$R/sc_digits)
if [ "$ps" = 1 ]; then
    P=$out/pocketsphinx
    mkdir -p "$P"
    for set in yes no; do
        for split in "${all_tests[@]}"; do
            [ -s "$P/$set-$split.txt" ] || bash "$REPO/eval/tidigits.sh" --remove-silence "$set" \
                --remove-noise "$set" "${source[$split]}" "$P/$set-$split.txt" || die "eval/tidigits.sh failed"
        done
    done
    # Per fold, the removal setting with fewer errors on the fold's
    # training-side FSDD speakers (isolated and connected).
    for k in "${folds[@]}"; do
        F=$out/folds/$k
        best='' best_err=''
        for set in yes no; do
            err=$(for split in fsdd_isolated fsdd_connected; do
                subset "${source[$split]}" "$F/heldout" "$F/ps_side" --exclude || die "fold $k: no training-side FSDD speaker"
                "$ASR" score --json "$F/ps_side/text" <(pick "$F/ps_side/text" "$P/$set-$split.txt")
            done | jq -s 'map(.words.sub + .words.del + .words.ins) | add')
            if [ -z "$best" ] || [ "$err" -lt "$best_err" ]; then best=$set best_err=$err; fi
        done
        rm -rf "$F/ps_side"
        mkdir -p "$F/pocketsphinx"
        echo "$best" >"$F/pocketsphinx/setting"
        while read -r split; do
            pick "$F/$split/text" "$P/$best-$split.txt" >"$F/pocketsphinx/hyp-$split.txt"
        done <"$F/tests"
        say "fold $k: pocketsphinx -remove_silence/-remove_noise $best (chosen on ${best_err} errors of the training-side speakers)"
    done
    systems+=(pocketsphinx)
fi

# ---- pooled hypotheses, the report, the per-fold table ----
mkdir -p "$out/test"
tested=()
for split in "${all_tests[@]}"; do
    parts=()
    for k in "${folds[@]}"; do [ ! -f "$out/folds/$k/$split/text" ] || parts+=("$out/folds/$k/$split"); done
    [ ${#parts[@]} -gt 0 ] || continue
    rm -rf "$out/test/$split"
    "$ASR" data combine "$out/test/$split" "${parts[@]}" >/dev/null || die "asr data combine of the $split test sets failed"
    tested+=("$split")
done
args=()
for sys in "${systems[@]}"; do
    rm -rf "$out/hyps/$sys"
    mkdir -p "$out/hyps/$sys"
    for split in "${tested[@]}"; do
        for k in "${folds[@]}"; do [ ! -f "$out/folds/$k/$sys/hyp-$split.txt" ] || cat "$out/folds/$k/$sys/hyp-$split.txt"; done |
            sort >"$out/hyps/$sys/$split.txt"
    done
    args+=("$sys=$out/hyps/$sys")
done
splits=$(IFS=,; echo "${tested[*]}")
"$ASR" compare --data "$out/test" --splits "$splits" --out "$out/report" \
    --title "Speaker-disjoint folds: real speakers never heard in training" "${args[@]}" >/dev/null 2>&1 ||
    die "asr compare failed"
# One JSON line per fold, system and test split: WER from `asr score --json`
# of that fold's hypotheses; RTF and size for asr's models.
for k in "${folds[@]}"; do
    F=$out/folds/$k
    for sys in "${systems[@]}"; do
        while read -r split; do
            size=null rtf=null
            if [ "$sys" = combined ]; then # every model is loaded
                size=$(xargs stat -c %s <"$F/combined/models" | awk '{ s += $1 } END { print s }')
                rtf=$(jq .rtf "$F/$sys/stats-$split.json")
            elif [ "$sys" != pocketsphinx ]; then
                size=$(stat -c %s "$F/$sys/final.mdl")
                rtf=$(jq .rtf "$F/$sys/stats-$split.json")
            fi
            "$ASR" score --json "$F/$split/text" "$F/$sys/hyp-$split.txt" |
                jq -c --argjson k "$k" --arg sys "$sys" --arg split "$split" --argjson size "$size" \
                    --argjson rtf "$rtf" --arg who "$(head -1 "$F/heldout")" \
                    '{fold: $k, system: $sys, split: $split, wer, words: .words.ref, rtf: $rtf,
                      size_mb: (if $size == null then null else $size / 1e6 end)}'
        done <"$F/tests"
    done
done | jq -s --arg folds "${folds[*]}" --arg train "${opts[*]}" --arg decode "${decode_opts[*]}" \
    --arg staged "${staged_opts[*]}" --arg direct "${direct_opts[*]}" --arg synthetic "${synthetic[*]}" \
    --arg ensemble "$ensemble" --arg combine_with "$combine_with" --arg combine_opts "${combine_opts[*]}" --arg pretrained "$pretrained" --argjson copies "$real_copies" --argjson nconn "$n_connected" \
    --argjson words "$words" --arg transfer "$transfer" --arg valid "$valid" --argjson groups "$groups" --argjson seed "$sc_seed" \
    --arg fsdd "${fsdd_speakers[*]}" '
    . as $rows
    | def stats($s; $split): [$rows[] | select(.system == $s and .split == $split)]
        | if length == 0 then null
          else {mean: (map(.wer) | add / length), worst: (map(.wer) | max),
                pooled: ((map(.wer * .words) | add) / (map(.words) | add))} end;
    ([$rows[].system] | unique) as $systems
    | {folds: ($folds | split(" ") | map(tonumber)),
       fsdd_speakers: ($fsdd | split(" ")),
       config: {train_options: $train, staged_options: $staged, direct_options: $direct,
                decode_options: $decode, ensemble_with: $ensemble, combined_with: $combine_with, combine_options: $combine_opts, pretrained_from: $pretrained, synthetic: $synthetic,
                real_copies: $copies, connected_per_speaker: $nconn, words: ($words == 1),
                transfer: $transfer, validation: $valid, sc_groups: $groups, sc_seed: $seed},
       rows: $rows,
       systems: [$systems[] as $s | {system: $s,
                 fsdd_isolated: stats($s; "fsdd_isolated"), fsdd_connected: stats($s; "fsdd_connected"),
                 sc_digits: stats($s; "sc_digits")}]}
    | .systems as $sys
    | ($sys | map(select(.system == "pocketsphinx")) | first) as $ps
    | .targets = [$sys[] | select(.system != "pocketsphinx") | . as $a
        | {system: .system,
           fsdd_mean_at_most_5: (.fsdd_isolated.mean <= 5 and .fsdd_connected.mean <= 5),
           fsdd_no_fold_above_10: (.fsdd_isolated.worst <= 10 and .fsdd_connected.worst <= 10),
           sc_mean_at_most_5: (.sc_digits == null or .sc_digits.mean <= 5),
           below_pocketsphinx_every_fold: ($ps != null and
             ([$rows[] | select(.system == $a.system) | . as $r
               | ($rows[] | select(.system == "pocketsphinx" and .fold == $r.fold and .split == $r.split)) as $b
               | $r.wer < $b.wer] | all))}]' >"$out/loso.json.tmp" && mv "$out/loso.json.tmp" "$out/loso.json"
jq -r '.rows | group_by(.system)[] | .[0].system as $s | group_by(.fold)[]
    | "\($s) \(.[0].fold) " + ([.[] | "\(.split)=\(.wer)"] | join(" "))' "$out/loso.json" |
    awk 'BEGIN { printf "%-13s %5s %14s %15s %10s\n", "system", "fold", "fsdd_isolated", "fsdd_connected", "sc_digits" }
         { v["fsdd_isolated"] = v["fsdd_connected"] = v["sc_digits"] = "-"
           for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = sprintf("%.2f%%", kv[2]) }
           printf "%-13s %5s %14s %15s %10s\n", $1, $2, v["fsdd_isolated"], v["fsdd_connected"], v["sc_digits"] }' |
    tee "$out/summary.txt"
jq -r '.systems[] | "\(.system) MEAN " + ([.fsdd_isolated, .fsdd_connected, .sc_digits]
    | map(if . == null then "-" else "\(.mean * 100 | round / 100)% (worst \(.worst * 100 | round / 100)%)" end) | join("  "))' \
    "$out/loso.json" | tee -a "$out/summary.txt"
jq -r '.targets[] | "targets, \(.system): FSDD mean <= 5% \(.fsdd_mean_at_most_5), no FSDD fold > 10% \(.fsdd_no_fold_above_10), Speech Commands mean <= 5% \(.sc_mean_at_most_5), below PocketSphinx on every fold \(.below_pocketsphinx_every_fold)"' \
    "$out/loso.json" | tee -a "$out/summary.txt"
bash "$REPO/eval/experiments/loso_table.sh" "$out/loso.json" >"$out/table.md.tmp" && mv "$out/table.md.tmp" "$out/table.md"
say "done in $((SECONDS - start)) s: $out/loso.json, $out/table.md (for the README), $out/report/report.html"
