#!/usr/bin/env bash
# unseen_speakers.sh — how well the recognizers do on people they have never
# heard: leave-one-speaker-out over the real speakers of the domain.
#
# Fold k holds out FSDD speaker k: the test sets are k's isolated digits and
# connected strings built from k's own recordings (data/recipes/connect.sh,
# the pauses of digits.sh); training is the synthetic corpus with its noise
# augmentation (data/digits: train_aug) plus every OTHER FSDD speaker
# (isolated and connected) plus Asterisk's real digit prompts (one more
# speaker, in every fold); validation and early stopping use train_dev, the
# synthetic held-out set: nothing of speaker k is seen before the test.
# PocketSphinx with CMU's TIDIGITS model (eval/tidigits.sh) decodes the same
# test sets; its silence/noise-removal setting is chosen per fold on the
# other speakers, as a setting of ours would be. Settings are compared by
# the MEAN over folds, never by one held-out speaker.
#
# Writes OUT/report/{report.json,report.html,report.md} (`asr compare` on the
# pooled hypotheses: each utterance decoded by the fold that never heard its
# speaker; a table per split with a row per speaker = per fold), and
# OUT/loso.json: per fold and system the WER on isolated digits and on
# connected strings, RTF and model size; the mean and worst fold; whether the
# targets (mean <= 5%, no fold > 10%, below PocketSphinx on every fold) hold.
# Prints the per-fold table. Finished folds are kept: a re-run with the same
# training set and options retrains nothing (--retrain forces it).
#
# usage: eval/experiments/unseen_speakers.sh [options]
#   --fsdd PATH        FSDD folder (default ../shared/data/fsdd)
#   --data DIR         the digits corpus (default data/digits; built when missing)
#   --out DIR          default exp/unseen_speakers
#   --pipelines LIST   default staged,direct
#   --speakers LIST    the folds to run (default: every FSDD speaker)
#   --n-connected N    connected strings per speaker
#   --epochs N  --threads N
#   --jobs N           (fold, pipeline) trainings at a time (default 1), each
#                      with cores / N threads unless --threads says otherwise
#   --synthetic LIST   the synthetic training data dirs, comma-separated
#                      (default DATA/train_aug, built when missing)
#   (defaults of --n-connected, --epochs, --real-copies and the train options:
#   the best configuration so far, BEST_* in eval/experiments/common.sh)
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
#   --real-copies N    N perturbed copies of every real training utterance
#                      (data/recipes/augment.sh: speed 0.9-1.1 and music, pink
#                      or white noise or reverberation; never babble, which
#                      would mix the held-out speaker into training)
#   --no-asterisk      leave Asterisk's digit prompts out of training
#   --no-pocketsphinx  skip the reference recognizer
#   --retrain          train every fold again
. "$(dirname "$0")/common.sh"
fsdd=$REPO/../shared/data/fsdd data=$REPO/data/digits out=$REPO/exp/unseen_speakers
pipelines=staged,direct speakers='' threads='' jobs=1 synth='' ensemble='' asterisk=1 ps=1 retrain=0
n_connected=$BEST_N_CONNECTED epochs=$BEST_EPOCHS real_copies=$BEST_REAL_COPIES
train_opts=("${BEST_TRAIN_OPTS[@]}") decode_opts=("${BEST_DECODE_OPTS[@]}")
staged_opts=("${BEST_STAGED_OPTS[@]}") direct_opts=("${BEST_DIRECT_OPTS[@]}") multitask_opts=()
while [ $# -gt 0 ]; do
    case $1 in
    --fsdd) need_value "$1" $#; fsdd=$2; shift 2 ;;
    --data) need_value "$1" $#; data=$2; shift 2 ;;
    --out) need_value "$1" $#; out=$2; shift 2 ;;
    --pipelines) need_value "$1" $#; pipelines=$2; shift 2 ;;
    --speakers) need_value "$1" $#; speakers=$2; shift 2 ;;
    --n-connected) need_value "$1" $#; need_uint "$1" "$2"; n_connected=$2; shift 2 ;;
    --epochs) need_value "$1" $#; need_uint "$1" "$2"; epochs=$2; shift 2 ;;
    --threads) need_value "$1" $#; need_uint "$1" "$2"; threads=$2; shift 2 ;;
    --jobs) need_value "$1" $#; need_uint "$1" "$2"; jobs=$2; shift 2 ;;
    --synthetic) need_value "$1" $#; synth=$2; shift 2 ;;
    --ensemble) need_value "$1" $#; ensemble=$2; shift 2 ;;
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
    --no-asterisk) asterisk=0; shift ;;
    --no-pocketsphinx) ps=0; shift ;;
    --retrain) retrain=1; shift ;;
    -h | --help) sed -n '2,56p' "$0"; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
    esac
done
[ -d "$fsdd" ] || die "no FSDD folder at '$fsdd' (give --fsdd PATH)"
[ "$n_connected" -ge 1 ] || usage_error "--n-connected must be at least 1"
[ "$jobs" -ge 1 ] || usage_error "--jobs must be at least 1"
IFS=, read -r -a pipes <<<"$pipelines"
for p in "${pipes[@]}"; do case $p in staged | direct | multitask) ;; *) usage_error "unknown pipeline '$p'" ;; esac; done
need_asr
need_tool jq jq
need_tool sox sox
[ "$ps" = 0 ] || need_tool pocketsphinx_batch pocketsphinx
export LC_ALL=C
start=$SECONDS

# ---- the corpus: synthetic training data, and the real speakers ----
ensure_digits "$data"
if [ -z "$synth" ]; then
    bash "$REPO/data/recipes/augment.sh" "$data/train" "$data/train_aug" 2>/dev/null
    synthetic=("$data/train_aug")
else
    IFS=, read -r -a synthetic <<<"$synth"
    for d in "${synthetic[@]}"; do [ -f "$d/text" ] || die "--synthetic: no data dir at '$d'"; done
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
R=$out/real
real_speech "$fsdd" "$data" "$R" "$n_connected" "$asterisk" "$real_copies"
everyone=("${REAL_SPEAKERS[@]}")
[ "${#everyone[@]}" -ge 2 ] || die "$fsdd: leave-one-speaker-out needs at least two speakers"
if [ -n "$speakers" ]; then
    IFS=, read -r -a folds <<<"$speakers"
    for s in "${folds[@]}"; do printf '%s\n' "${everyone[@]}" | grep -qxF -- "$s" || die "no FSDD speaker '$s'"; done
else
    folds=("${everyone[@]}")
fi
extra=("${REAL_PARTS[@]:2}") # the Asterisk speaker, in every fold
# pick IDS_TEXT HYP: the lines of HYP whose utterance is in the Kaldi file IDS_TEXT.
pick() { awk 'NR == FNR { k[$1]; next } $1 in k' "$1" "$2"; }
# subset IN SPEAKERS... OUT: the utterances of those speakers.
subset() {
    local in=$1 o=${*: -1}
    printf '%s\n' "${@:2:$#-2}" >"$out/.speakers"
    rm -rf "$o"
    "$ASR" data subset --speakers "$out/.speakers" "$in" "$o" >/dev/null || die "asr data subset of $in failed"
}
# The pooled test sets: every fold's held-out speaker.
mkdir -p "$out/test"
subset "$R/fsdd" "${folds[@]}" "$out/test/isolated"
subset "$R/fsdd_connected" "${folds[@]}" "$out/test/connected"
say "folds: ${folds[*]} (test: $(wc -l <"$out/test/isolated/text") isolated, $(wc -l <"$out/test/connected/text") connected)"

# ---- asr: train each fold, decode its held-out speaker ----
opts=(--valid "$data/train_dev" --lexicon "$data/lexicon.txt" --quiet)
[ -z "$epochs" ] || opts+=(--epochs "$epochs")
# With --jobs N the cores are shared: each training gets cores / N threads.
[ -n "$threads" ] || [ "$jobs" = 1 ] || threads=$(($(nproc) / jobs > 0 ? $(nproc) / jobs : 1))
[ -z "$threads" ] || opts+=(--threads "$threads")
opts+=("${train_opts[@]}")
# Each fold's training set first (quick), then the (fold, pipeline) runs,
# --jobs of them at a time: two single-threaded trainings on two cores get
# more done than one on both (the GEMMs are small).
for s in "${folds[@]}"; do
    F=$out/folds/$s
    mkdir -p "$F"
    mapfile -t others < <(printf '%s\n' "${everyone[@]}" | grep -vxF -- "$s")
    subset "$R/fsdd" "${others[@]}" "$F/real_isolated"
    subset "$R/fsdd_connected" "${others[@]}" "$F/real_connected"
    subset "$R/fsdd" "$s" "$F/isolated"
    subset "$R/fsdd_connected" "$s" "$F/connected"
    rm -rf "$F/train"
    if [ "$real_copies" -gt 0 ]; then
        real=("$F/real_aug") keep=("${others[@]}")
        [ "$asterisk" = 0 ] || keep+=(asterisk)
        subset "$R/pool_aug$real_copies" "${keep[@]}" "$F/real_aug"
    else
        real=("$F/real_isolated" "$F/real_connected" "${extra[@]}")
    fi
    "$ASR" data combine "$F/train" "${synthetic[@]}" "${real[@]}" >/dev/null ||
        die "asr data combine failed for fold $s"
    "$ASR" lexicon phones "$data/lexicon.txt" "$F/train/text" "$F/train/phones" ||
        die "asr lexicon phones failed for fold $s"
done
# run_fold S P: train pipeline P on fold S (unless trained already with the
# same training set and options), decode S's held-out speech.
run_fold() {
    local s=$1 p=$2 F=$out/folds/$1 stamp t0 split
    local -n own=${p}_opts
    local popts=("${opts[@]}" "${own[@]}")
    # What decides the model: the training set and the options.
    stamp=$( (printf '%s\n' "$p" "${popts[@]}"; cat "$F/train/wav.scp" "$F/train/text") | md5sum)
    if [ "$retrain" = 0 ] && [ -f "$F/$p/final.mdl" ] && [ "$(cat "$F/$p.stamp" 2>/dev/null)" = "$stamp" ]; then
        say "fold $s: $p trained already"
    else
        t0=$SECONDS
        say "fold $s: training $p on $(wc -l <"$F/train/text") utterances"
        rm -f "$F/$p.stamp"
        "$ASR" train --pipeline "$p" --train "$F/train" --out "$F/$p" --force "${popts[@]}" ||
            die "training $p for fold $s failed"
        echo "$stamp" >"$F/$p.stamp"
        say "fold $s: $p trained in $((SECONDS - t0)) s"
    fi
    local models=(--model "$F/$p/final.mdl") e
    if [ -n "$ensemble" ]; then
        IFS=, read -r -a partners <<<"$ensemble"
        for e in "${partners[@]}"; do
            [ -f "$e/folds/$s/$p/final.mdl" ] || die "--ensemble: no $e/folds/$s/$p/final.mdl"
            models+=(--model "$e/folds/$s/$p/final.mdl")
        done
    fi
    for split in isolated connected; do
        "$ASR" decode "${models[@]}" --threads 1 "${decode_opts[@]}" --out "$F/$p/hyp-$split.txt" \
            --stats "$F/$p/stats-$split.json" "$F/$split" 2>/dev/null ||
            die "decoding fold $s ($split) with $p failed"
    done
    say "fold $s: $p WER $(jq -r .wer "$F/$p/stats-isolated.json")% isolated, $(jq -r .wer "$F/$p/stats-connected.json")% connected"
}
running=0 failed=0
for s in "${folds[@]}"; do
    for p in "${pipes[@]}"; do
        if [ "$jobs" = 1 ]; then
            run_fold "$s" "$p"
            continue
        fi
        if [ "$running" -ge "$jobs" ]; then
            wait -n || failed=1
            running=$((running - 1))
        fi
        run_fold "$s" "$p" &
        running=$((running + 1))
    done
done
while [ "$running" -gt 0 ]; do
    wait -n || failed=1
    running=$((running - 1))
done
[ "$failed" = 0 ] || die "a fold failed (see above)"

# ---- PocketSphinx + TIDIGITS on the same audio ----
systems=("${pipes[@]}")
if [ "$ps" = 1 ]; then
    P=$out/pocketsphinx
    mkdir -p "$P"
    for set in yes no; do
        for split in isolated connected; do
            src=$R/fsdd
            [ $split = isolated ] || src=$R/fsdd_connected
            [ -s "$P/$set-$split.txt" ] || bash "$REPO/eval/tidigits.sh" --remove-silence "$set" \
                --remove-noise "$set" "$src" "$P/$set-$split.txt" || die "eval/tidigits.sh failed"
        done
    done
    # Per fold, the removal setting with fewer errors on the OTHER speakers.
    for s in "${folds[@]}"; do
        F=$out/folds/$s
        best='' best_err=''
        for set in yes no; do
            err=$(for split in isolated connected; do
                "$ASR" score --json "$F/real_$split/text" <(pick "$F/real_$split/text" "$P/$set-$split.txt")
            done | jq -s 'map(.words.sub + .words.del + .words.ins) | add')
            if [ -z "$best" ] || [ "$err" -lt "$best_err" ]; then best=$set best_err=$err; fi
        done
        mkdir -p "$F/pocketsphinx"
        echo "$best" >"$F/pocketsphinx/setting"
        for split in isolated connected; do
            pick "$F/$split/text" "$P/$best-$split.txt" >"$F/pocketsphinx/hyp-$split.txt"
        done
        say "fold $s: pocketsphinx -remove_silence/-remove_noise $best (chosen on ${best_err} errors of the other speakers)"
    done
    systems+=(pocketsphinx)
fi

# ---- pooled hypotheses, the report, the per-fold table ----
args=()
for sys in "${systems[@]}"; do
    mkdir -p "$out/hyps/$sys"
    for split in isolated connected; do
        for s in "${folds[@]}"; do cat "$out/folds/$s/$sys/hyp-$split.txt"; done | sort >"$out/hyps/$sys/$split.txt"
    done
    args+=("$sys=$out/hyps/$sys")
done
"$ASR" compare --data "$out/test" --splits isolated,connected --out "$out/report" \
    --title "Leave one speaker out: FSDD speakers never heard in training" "${args[@]}" >/dev/null 2>&1 ||
    die "asr compare failed"
# loso.json: per fold and system the WERs (from report.json's per-speaker
# rows), RTF and size of asr's models; means, worst fold, targets.
for s in "${folds[@]}"; do
    for p in "${pipes[@]}"; do
        F=$out/folds/$s
        jq -n --arg s "$s" --arg p "$p" --slurpfile i "$F/$p/stats-isolated.json" \
            --slurpfile c "$F/$p/stats-connected.json" --argjson size "$(stat -c %s "$F/$p/final.mdl")" \
            '{speaker: $s, system: $p, rtf: ([$i[0].rtf, $c[0].rtf] | max), size_mb: ($size / 1e6)}'
    done
done | jq -s --slurpfile r "$out/report/report.json" --arg folds "${folds[*]}" \
    --arg train "${opts[*]}" --arg decode "${decode_opts[*]}" \
    --arg staged "${staged_opts[*]}" --arg direct "${direct_opts[*]}" --arg synthetic "${synthetic[*]}" \
    --arg ensemble "$ensemble" \
    --argjson copies "$real_copies" --argjson nconn "$n_connected" '
    . as $runs
    | ($folds | split(" ")) as $folds
    | [$r[0].models[] | .name as $sys
        | {system: $sys,
           folds: [$folds[] as $s | {speaker: $s}
                   + ([.splits[] | {(.name): (.speakers[] | select(.speaker == $s) | .wer)}] | add)
                   + (first($runs[] | select(.speaker == $s and .system == $sys) | {rtf, size_mb}) // {})]}
        | .mean = {isolated: ([.folds[].isolated] | add / length), connected: ([.folds[].connected] | add / length)}
        | .worst = {isolated: ([.folds[].isolated] | max), connected: ([.folds[].connected] | max)}]
    | . as $sys
    | {folds: $folds,
       config: {train_options: $train, staged_options: $staged, direct_options: $direct,
                decode_options: $decode, ensemble_with: $ensemble, synthetic: $synthetic,
                real_copies: $copies,
                connected_per_speaker: $nconn},
       systems: $sys,
       targets: [$sys[] | select(.system != "pocketsphinx") | .system as $n
         | {system: $n,
            mean_at_most_5: (.mean.isolated <= 5 and .mean.connected <= 5),
            no_fold_above_10: (.worst.isolated <= 10 and .worst.connected <= 10),
            below_pocketsphinx_every_fold: (
              ([$sys[] | select(.system == "pocketsphinx")] | length) > 0 and
              ([range(.folds | length) as $k
                | (.folds[$k]) as $a | ($sys[] | select(.system == "pocketsphinx") | .folds[$k]) as $b
                | ($a.isolated < $b.isolated and $a.connected < $b.connected)] | all))}]}' \
    >"$out/loso.json.tmp" && mv "$out/loso.json.tmp" "$out/loso.json"
jq -r '.systems[] | .system as $n
    | (.folds[] | "\($n) \(.speaker) \(.isolated) \(.connected) \(.rtf // "-")"),
      "\($n) MEAN \(.mean.isolated) \(.mean.connected) -",
      "\($n) WORST \(.worst.isolated) \(.worst.connected) -"' "$out/loso.json" |
    awk 'BEGIN { printf "%-13s %-10s %9s %10s %8s\n", "system", "fold", "isolated", "connected", "RTF" }
         { r = $5 == "-" ? "-" : sprintf("%.4f", $5)
           printf "%-13s %-10s %8.2f%% %9.2f%% %8s\n", $1, $2, $3, $4, r }' | tee "$out/summary.txt"
jq -r '.targets[] | "targets, \(.system): mean <= 5% \(.mean_at_most_5), no fold > 10% \(.no_fold_above_10), below pocketsphinx on every fold \(.below_pocketsphinx_every_fold)"' \
    "$out/loso.json" | tee -a "$out/summary.txt"
say "done in $((SECONDS - start)) s: $out/loso.json, $out/report/report.html"
