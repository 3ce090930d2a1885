#!/usr/bin/env bash
# asterisk.sh — staged against direct on real telephone prompts.
#
# The Asterisk core sounds (data/recipes/asterisk.sh): ~550 prompts of one
# professional speaker, split train/dev/test by prompt text, so no test
# sentence was heard in training. Real training audio is scarce (~20 min),
# so the training set is the real train split PLUS synthetic speech of the
# same training texts (data/recipes/tts.sh, --voices below, each text
# spoken by --tts-copies voices drawn from the pool) and a noise-augmented
# copy of the synthetic part. The staged pipeline's word LM is estimated
# from the training texts only (`asr train` builds a trigram Kneser-Ney LM
# from the training transcripts when no --lm is given); its lexicon covers
# every word of the corpus, so test words missing from the training texts
# are out of the LM's vocabulary and can only be recovered by the direct
# (character) pipeline. Both are trained with the same configuration budget
# and validated on dev; WER is reported on test (and dev), with the test
# OOV rate against the training texts.
#
# usage: eval/experiments/asterisk.sh [--out DIR] [--data DIR] [--tts-copies N]
#                                     [--epochs N] [--threads N]
#   defaults: --out exp/asterisk, --data data/asterisk, --tts-copies 6, --epochs 30
. "$(dirname "$0")/common.sh"
out=$REPO/exp/asterisk data=$REPO/data/asterisk copies=6 epochs=30 threads=''
VOICES='espeak:en-us+m3:speed=140-190:pitch=30-70,espeak:en-us+f2:speed=140-190:pitch=30-70'
VOICES+=',espeak:en-gb+m1:speed=140-190:pitch=30-70,espeak:en-gb+f4:speed=140-190:pitch=30-70'
VOICES+=',espeak:en-us+m7:speed=140-190:pitch=30-70,espeak:en-029+f1:speed=140-190:pitch=30-70'
VOICES+=',flite:slt,flite:awb,flite:rms,flite:kal,festival:kal_diphone,festival:cmu_us_slt_arctic_hts'
while [ $# -gt 0 ]; do
    case $1 in
    --out) out=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --tts-copies) copies=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    -h | --help) sed -n '2,22p' "$0"; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
    esac
done
need_asr
need_tool jq jq
mkdir -p "$out"
bash "$REPO/data/recipes/asterisk.sh" --out "$data"

# Synthetic speech of the training texts: each text COPIES times, each time
# by one voice of the pool (tts.sh --assign one, a different seed per copy).
L=$data/local_tts
mkdir -p "$L"
parts=("$data/train")
for k in $(seq 1 "$copies"); do
    awk -v k="$k" '{ $1 = $1 "-tts" k; print }' "$data/train/text" >"$L/text$k"
    bash "$REPO/data/recipes/tts.sh" --kaldi --text "$L/text$k" --out "$L/tts$k" --voices "$VOICES" \
        --assign one --rate 8000 --seed "$k" 2>"$L/tts$k.log" || { cat "$L/tts$k.log" >&2; exit 1; }
    parts+=("$L/tts$k")
done
rm -rf "$L/synth"
"$ASR" data combine "$L/synth" "${parts[@]:1}" >/dev/null
cp "$REPO/data/digits/music_train.txt" "$L/music_train.txt" 2>/dev/null ||
    find /usr/share/asterisk/moh -name '*.wav' | sort | tail -n 2 >"$L/music_train.txt"
bash "$REPO/data/recipes/augment.sh" --music "$L/music_train.txt" "$L/synth" "$L/synth_aug" 2>"$L/augment.log" ||
    { cat "$L/augment.log" >&2; exit 1; }
rm -rf "$data/train_big"
"$ASR" data combine "$data/train_big" "$data/train" "$L/synth_aug" >/dev/null
for s in train_big dev test; do
    "$ASR" lexicon phones "$data/lexicon.txt" "$data/$s/text" "$data/$s/phones" 2>/dev/null || true
done
say "training set: $(wc -l <"$data/train/text") real + $(($(wc -l <"$data/train_big/text") - $(wc -l <"$data/train/text"))) synthetic utterances"

opts=(--epochs "$epochs" --quiet --valid "$data/dev")
[ -z "$threads" ] || opts+=(--threads "$threads")
for p in staged direct; do
    start=$SECONDS
    say "training $p"
    train_with_lexicon "$p" "$data/lexicon.txt" --train "$data/train_big" --out "$out/$p" --force "${opts[@]}"
    say "$p trained in $((SECONDS - start)) s"
done
cut -d' ' -f2- "$data/train/text" | tr ' ' '\n' | sort -u >"$out/train_words"
oov=$(cut -d' ' -f2- "$data/test/text" | tr ' ' '\n' | grep . |
    awk 'NR == FNR { v[$1] = 1; next } { n++; if (!($1 in v)) o++ } END { printf "%.2f%% (%d of %d)", 100 * o / n, o, n }' \
        "$out/train_words" -)
"$ASR" compare --data "$data" --splits train,dev,test --beam 16 --out "$out" \
    --title "Asterisk prompts: staged vs direct" staged="$out/staged/final.mdl" direct="$out/direct/final.mdl" >/dev/null
{
    echo "test words out of the training texts' vocabulary: $oov"
    report_wers "$out/report.json" train dev test | awk '{ printf "%s %s WER %s%%\n", $1, $2, $3 }'
} | tee "$out/summary.txt"
