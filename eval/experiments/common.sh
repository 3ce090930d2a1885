# shellcheck shell=bash disable=SC2034 # REAL_* are for the scripts that source this
# common.sh — sourced by the experiments in eval/experiments/ (not run directly).
#
# Provides: everything of scripts/lib.sh ($REPO, $ASR, say/die/usage_error,
# need_tool, need_asr, the report.json and `asr score --json` readers), and
# for the experiments: ensure_digits DATA (builds the default digits corpus
# there when missing) and real_dev_speech DATA OUT (the dev speakers' real
# FSDD recordings, isolated and connected, as one data dir with phones: the
# target-like speech the experiments move into training), and real_speech
# (every real recording of the domain the machine has, for
# unseen_speakers.sh and train-best.sh).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

ensure_digits() { [ -f "$1/train/text" ] || bash "$REPO/data/recipes/digits.sh" --out "$1"; }

real_dev_speech() {
    local data=$1 out=$2 p
    for p in dev_fsdd dev_fsdd_connected; do
        [ -f "$data/local/$p/text" ] || die "no $data/local/$p: build $data with FSDD (digits.sh --fsdd PATH)"
    done
    rm -rf "$out"
    "$ASR" data combine "$out" "$data/local/dev_fsdd" "$data/local/dev_fsdd_connected" >/dev/null
    "$ASR" lexicon phones "$data/lexicon.txt" "$out/text" "$out/phones"
}

# real_speech SHARED DATA R N_CONNECTED ASTERISK REAL_COPIES WORDS: the real
# speech the machine has, as data dirs under R, for unseen_speakers.sh and
# train-best.sh. SHARED is the folder of real corpora (../shared/data):
#   R/fsdd, R/fsdd_connected   FSDD's isolated digits (SHARED/fsdd, required)
#                              and N_CONNECTED strings per speaker joined from
#                              their own recordings (connect.sh, seed 1)
#   R/asterisk, R/asterisk_connected   with ASTERISK=1: Asterisk's real digit
#                              prompts (one more speaker) and strings (seed 2)
#   R/sc_digits                Speech Commands' digits (110 speakers), when
#                              SHARED/speechcommands_digits exists
#   R/sc_words, R/picovoice    with WORDS=1 and when present: Speech Commands'
#                              25 other words (232 speakers) and Picovoice's
#                              six keywords (50+ unlabelled speakers)
#   R/pool_augN                with REAL_COPIES=N > 0: all of the above plus N
#                              perturbed copies of each utterance (augment.sh:
#                              speed 0.9-1.1, then music from
#                              DATA/music_train.txt, pink or white noise, or
#                              reverberation; never babble, which mixes other
#                              speakers' utterances in)
#   R/lexicon.txt              DATA's lexicon plus every word of the real
#                              corpora (CMUdict, espeak-ng for the rest)
#   R/lm/words.arpa, R/lm/chars.arpa   the digit domain's LMs (word trigram,
#                              character 5-gram) from DATA/lm_text: a model
#                              trained on every word still decodes digits
#   R/params                   the settings it was made with (real_speech_params)
# Sets REAL_SPEAKERS (FSDD's, sorted), SC_SPEAKERS (Speech Commands', sorted)
# and REAL_PARTS (the directories to train on, without copies).
# digits_only TRAIN R OUT [NEGATIVES DATA]: the data dir TRAIN without the
# utterances of the non-digit corpora (Speech Commands' words, Picovoice's
# keywords, and their perturbed copies), keeping Speech Commands' digits
# (R/sc_digits): the fine-tuning set of --transfer last|all. With NEGATIVES
# N > 0 it also holds N of those non-digit utterances (a fixed draw)
# transcribed <unk>, and the noise and music pieces of `nonspeech DATA
# R/nonspeech`, so the fine-tuned model learns to say nothing where no digit
# is said (a marker trains as blank: docs/ARCHITECTURE.md, Formats).
digits_only() {
    local train=$1 R=$2 out=$3 negatives=${4:-0} data=${5:-}
    { grep -v -e '^pv-' -e '^sc-' "$train/utt2spk" || true
      [ ! -f "$R/sc_digits/utt2spk" ] ||
          awk 'NR == FNR { k[$1]; next } { u = $1; sub(/-a[0-9]+-[a-z]+$/, "", u) } u in k' \
              "$R/sc_digits/utt2spk" "$train/utt2spk"
    } | cut -d' ' -f1 | sort -u >"$out.ids"
    rm -rf "$out" "$out.digits" "$out.neg"
    "$ASR" data subset --utterances "$out.ids" "$train" "$out.digits" >/dev/null ||
        die "asr data subset (digits only) of $train failed"
    if [ "$negatives" = 0 ]; then
        mv "$out.digits" "$out"
        rm -f "$out.ids"
        return 0
    fi
    # The others, N of them by a seeded shuffle, their transcripts <unk>.
    cut -d' ' -f1 "$train/utt2spk" | grep -vxF -f "$out.ids" |
        shuf -n "$negatives" --random-source=<(yes 1) | LC_ALL=C sort >"$out.negids" || true
    "$ASR" data subset --utterances "$out.negids" "$train" "$out.neg" >/dev/null ||
        die "asr data subset (negatives) of $train failed"
    awk '{ print $1, "<unk>" }' "$out.neg/text" >"$out.neg/text.tmp" && mv "$out.neg/text.tmp" "$out.neg/text"
    rm -f "$out.neg/phones"
    nonspeech "$data" "$R/nonspeech"
    "$ASR" data combine "$out" "$out.digits" "$out.neg" "$R/nonspeech" >/dev/null ||
        die "asr data combine (digits and negatives) failed"
    rm -rf "$out.digits" "$out.neg" "$out.ids" "$out.negids"
}

# best_negatives P: BEST_NEGATIVES_P (0 when unset), pipeline P's negatives.
best_negatives() {
    local v=BEST_NEGATIVES_${1^^}
    echo "${!v:-0}"
}

# finetune_set TRAIN R DIR N DATA: the fine-tuning set with N negatives,
# DIR/train_digits (N = 0) or DIR/train_digits_negN, made unless it is there;
# prints its path.
finetune_set() {
    local train=$1 R=$2 dir=$3 n=$4 data=$5 ftset
    ftset=$dir/train_digits
    [ "$n" = 0 ] || ftset=${ftset}_neg$n
    [ -f "$ftset/text" ] || digits_only "$train" "$R" "$ftset" "$n" "$data" >&2
    echo "$ftset"
}

# nonspeech DATA OUT: a data dir of sounds with no word, transcribed <noise>
# (kept when OUT exists): 54 pieces of white, pink and brown noise (1.2-3.3
# s, -40 to -8 dB; sox -R: seeded) and 2-3 s pieces of the training hold
# music (DATA/music_train.txt; eval/reject_data.sh tests on the others).
nonspeech() {
    local data=$1 out=$2 i=0 c g d f m k len
    [ ! -f "$out/text" ] || return 0
    rm -rf "$out.tmp" && mkdir -p "$out.tmp/wav"
    for c in white pink brown; do
        for g in -40 -32 -26 -20 -14 -8; do
            for d in 1.2 2.1 3.3; do
                i=$((i + 1)) f=$out.tmp/wav/noise$i.wav
                sox -R -n -r 16000 -c 1 -b 16 "$f" synth 5 "${c}noise" gain "$g" trim "0.$((i * 7 % 10))$((i % 10))" "$d" ||
                    die "sox failed making $f"
                echo "nonspeech-noise$i $f"
            done
        done
    done >"$out.tmp/lines"
    [ -s "$data/music_train.txt" ] || die "no $data/music_train.txt (data/recipes/digits.sh writes it)"
    m=0
    while read -r f; do
        m=$((m + 1))
        len=$(soxi -D "$f" | cut -d. -f1)
        for ((k = 0; k * 3 + 6 <= len && k <= 50; k++)); do
            sox -R "$f" -r 8000 -c 1 "$out.tmp/wav/music$m-$k.wav" trim $((k * 3 + 2)) "2.$((k % 9))" gain -$((k % 4 * 5)) ||
                die "sox failed cutting $f"
            echo "nonspeech-music$m-$k $out.tmp/wav/music$m-$k.wav"
        done
    done <"$data/music_train.txt" >>"$out.tmp/lines"
    LC_ALL=C sort "$out.tmp/lines" | sed "s|$out.tmp/wav/|$out/wav/|" >"$out.tmp/wav.scp"
    awk '{ print $1, "<noise>" }' "$out.tmp/wav.scp" >"$out.tmp/text"
    awk '{ print $1, "nonspeech" }' "$out.tmp/wav.scp" >"$out.tmp/utt2spk"
    rm "$out.tmp/lines"
    rm -rf "$out" && mv "$out.tmp" "$out"
    "$ASR" data validate "$out" >/dev/null || die "$out does not validate"
}

# take_pretrained RUN_DIR OUR_DIR P: --pretrained of --transfer last|all:
# RUN_DIR/P/final.mdl (an earlier joint training) becomes OUR_DIR/P-pretrained/
# final.mdl, refused unless RUN_DIR/train held the same utterances with the
# same transcripts as OUR_DIR/train.
take_pretrained() {
    local run=$1 our=$2 p=$3
    [ -f "$run/$p/final.mdl" ] || die "--pretrained: no $run/$p/final.mdl"
    cmp -s "$run/train/text" "$our/train/text" ||
        die "--pretrained: $run trained on other utterances than $our/train"
    mkdir -p "$our/$p-pretrained"
    cp "$run/$p/final.mdl" "$our/$p-pretrained/final.mdl"
    say "$p: pretrained model from $run"
}

ASTERISK_DIGITS=/usr/share/asterisk/sounds/en/digits
real_speech() {
    local shared=$1 data=$2 R=$3 n=$4 asterisk=$5 copies=$6 words=$7 d c
    [ -d "$shared/fsdd" ] || die "no FSDD folder at '$shared/fsdd' (give --shared PATH)"
    bash "$REPO/data/recipes/fsdd.sh" "$shared/fsdd" "$R/fsdd" 2>/dev/null || die "fsdd.sh $shared/fsdd failed"
    bash "$REPO/data/recipes/connect.sh" --n "$n" --seed 1 --rate 8000 --work "$R/local" \
        "$R/fsdd" "$R/fsdd_connected" 2>/dev/null || die "connect.sh on $R/fsdd failed"
    mapfile -t REAL_SPEAKERS < <(cut -d' ' -f2 "$R/fsdd/utt2spk" | sort -u)
    REAL_PARTS=("$R/fsdd" "$R/fsdd_connected")
    if [ "$asterisk" = 1 ]; then
        [ -d "$ASTERISK_DIGITS" ] || die "no $ASTERISK_DIGITS: install asterisk-core-sounds-en-wav"
        mkdir -p "$R/asterisk"
        for d in 0:zero 1:one 2:two 3:three 4:four 5:five 6:six 7:seven 8:eight 9:nine oh:oh; do
            printf 'asterisk-digit-%s\t%s/%s.wav\t%s\n' "${d%%:*}" "$ASTERISK_DIGITS" "${d%%:*}" "${d#*:}"
        done | sort | awk -F'\t' -v d="$R/asterisk" '{ print $1, $2 > (d "/wav.scp")
            print $1, $3 > (d "/text"); print $1, "asterisk" > (d "/utt2spk") }'
        "$ASR" data validate "$R/asterisk" >/dev/null || die "$R/asterisk does not validate"
        bash "$REPO/data/recipes/connect.sh" --n "$n" --seed 2 --rate 8000 --work "$R/local" \
            "$R/asterisk" "$R/asterisk_connected" 2>/dev/null || die "connect.sh on $R/asterisk failed"
        REAL_PARTS+=("$R/asterisk" "$R/asterisk_connected")
    fi
    SC_SPEAKERS=()
    local corpora=(speechcommands_digits:sc_digits)
    [ "$words" = 0 ] || corpora+=(speechcommands_words:sc_words picovoice_keywords:picovoice)
    for c in "${corpora[@]}"; do
        if [ ! -f "$shared/${c%%:*}/wav.scp" ]; then
            say "no $shared/${c%%:*}: training without it"
            continue
        fi
        bash "$REPO/data/recipes/kaldi_dir.sh" "$shared/${c%%:*}" "$R/${c#*:}" 2>/dev/null ||
            die "kaldi_dir.sh $shared/${c%%:*} failed"
        REAL_PARTS+=("$R/${c#*:}")
    done
    for d in "$R/sc_digits" "$R/sc_words"; do [ ! -f "$d/utt2spk" ] || cut -d' ' -f2 "$d/utt2spk"; done |
        sort -u >"$R/sc_speakers"
    mapfile -t SC_SPEAKERS <"$R/sc_speakers"
    # The lexicon: every word of the digits corpus and of the real corpora.
    mkdir -p "$R/lm"
    { cut -d' ' -f1 "$data/lexicon.txt" | sed 's/([0-9]*)$//'
      for d in "${REAL_PARTS[@]}"; do cut -d' ' -f2- "$d/text" | tr ' ' '\n'; done; } |
        grep . | sort -u >"$R/lm/words.txt"
    if ! cmp -s "$R/lm/words.txt" "$R/lm/lexicon.words" || [ ! -s "$R/lexicon.txt" ]; then
        "$ASR" lexicon build "$R/lm/words.txt" "$R/lexicon.txt" 2>/dev/null ||
            die "asr lexicon build failed for the words of the real corpora"
        cp "$R/lm/words.txt" "$R/lm/lexicon.words"
    fi
    for d in "${REAL_PARTS[@]}"; do
        "$ASR" lexicon phones "$R/lexicon.txt" "$d/text" "$d/phones" || die "asr lexicon phones failed on $d"
    done
    [ -s "$R/lm/words.arpa" ] && [ "$R/lm/words.arpa" -nt "$data/lm_text" ] ||
        "$ASR" lm build --order 3 --out "$R/lm/words.arpa" "$data/lm_text" || die "asr lm build failed"
    [ -s "$R/lm/chars.arpa" ] && [ "$R/lm/chars.arpa" -nt "$data/lm_text" ] ||
        "$ASR" lm build --chars --order 5 --out "$R/lm/chars.arpa" "$data/lm_text" || die "asr lm build --chars failed"
    if [ "$copies" -gt 0 ]; then
        rm -rf "$R/pool"
        "$ASR" data combine "$R/pool" "${REAL_PARTS[@]}" >/dev/null ||
            die "asr data combine of the real speakers failed"
        bash "$REPO/data/recipes/augment.sh" --copies "$copies" --types music,pink,white,reverb \
            --music "$data/music_train.txt" --seed 3 "$R/pool" "$R/pool_aug$copies" 2>/dev/null ||
            die "augment.sh on the real speakers failed"
    fi
    real_speech_params "$@" >"$R/params"
}
# real_speech_params SHARED DATA R N ASTERISK COPIES WORDS: what a prepared R
# was made with (R/params), so that a run reusing it (--real) with other
# settings is refused instead of rebuilding another run's data in place.
real_speech_params() {
    printf 'shared=%s connected=%s asterisk=%s copies=%s words=%s\n' "$(cd "$1" && pwd)" "$4" "$5" "$6" "$7"
}

# sc_groups N SEED: Speech Commands' speakers (SC_SPEAKERS) in N groups of
# nearly equal size, drawn with the seeded generator: "speaker group" lines
# (groups 1..N), the same for the same speakers, N and SEED.
sc_groups() {
    printf '%s\n' "${SC_SPEAKERS[@]}" | awk -v n="$1" -v seed="$2" "$AWK_RNG"'
        { s[NR] = $1 }
        END { rng_seed(seed)
              for (i = NR; i > 1; i--) { j = rng_int(1, i); t = s[i]; s[i] = s[j]; s[j] = t }
              for (i = 1; i <= NR; i++) print s[i], (i - 1) % n + 1 }' | sort
}

# The best configuration measured by unseen_speakers.sh so far (the mean over
# its folds; README "Speakers never heard"): what eval/train-best.sh ships and
# unseen_speakers.sh uses unless told otherwise. Change it only with the
# leave-one-speaker-out numbers that justify it.
BEST_EPOCHS=8        # epochs of both pipelines
BEST_REAL_COPIES=2   # perturbed copies of the real training speech (LOSO: all four means lower than 0)
BEST_N_CONNECTED=100 # connected strings per real speaker
BEST_WORDS=1         # train on the real corpora's non-digit words too
BEST_TRANSFER=all     # pretrain on every word, fine-tune every layer on the digits (5 folds: staged -3.3/-4.7/-6.8 points on every mean; direct -3.2/-3.5 on FSDD, +4.2 on Speech Commands)
BEST_VALID=synthetic # validation on the synthetic train_dev
# Non-digit utterances (<unk>) and noise/music (<noise>) in each pipeline's
# fine-tuning set (digits_only; README, "Rejecting speech outside the
# vocabulary"), 3,000 measured on the GRU folds: staged, out-of-vocabulary
# false accepts 99% -> 33% but Speech Commands WER 7.35 -> 13.65 (4 FSDD
# folds), so none; direct, 99.9% -> 57.5% at 17.9 / 11.07 / 7.30 against
# 18.1 / 10.93 / 8.21 (5 folds), so 3,000.
BEST_NEGATIVES_STAGED=0
BEST_NEGATIVES_DIRECT=3000
BEST_NEGATIVES_MULTITASK=0
# The direct model stores this rejection threshold (asr models --set
# reject_confidence): an utterance it hears words in with less confidence
# is rejected, and in the combined system its rejection vetoes
# (src/recognizer/combine.h). eval/reject_system.sh on the 5 folds (staged
# GRU + direct GRU with negatives + staged TDNN): out-of-vocabulary
# utterances giving words 63.6% -> 38.9% at 0.05 (WER +0.35 / 0 / +0.47),
# 30.7% at 0.1 (+0.55 / +0.45 / +0.95, the folds' own choice), but the
# synthetic dev set (held-out TTS voices with hold music) pays +0.63 points
# at 0.05 and +2.9 at 0.1: 0.05, the most that costs at most one point on
# every held-out set. Empty: no rejection.
BEST_REJECT_CONFIDENCE_DIRECT=0.05
# Each system's word-time shifts (asr models --set; seconds added to every
# word's start and end): minus the median of its fold models' start and end
# biases on the FSDD folds' connected strings (eval/system_word_times.sh;
# the median, so that lucas's late ends do not move everyone's). With them
# the combined default, which averages its members' times, is off by a
# median of 26.9 / 24.0 / 48.0 / 22.6 ms (p95 115 / 97 / 171 / 78 ms), each
# fold shifted by the other folds' medians.
BEST_TIME_SHIFTS_STAGED=(--set time_start_shift=-0.0104 --set time_end_shift=0.0808)
BEST_TIME_SHIFTS_DIRECT=(--set time_start_shift=-0.0096 --set time_end_shift=0.0661)
BEST_TIME_SHIFTS_STAGED_TDNN=(--set time_start_shift=-0.0726 --set time_end_shift=0.1381)
BEST_TIME_SHIFTS_MULTITASK=()
BEST_TRAIN_OPTS=()   # further `asr train` options
# and those of one pipeline only. Staged: a bidirectional GRU network instead
# of the default TDNN (same FLOPs per frame; 5 folds, exp/e10-gru: 18 /
# 10.54 / 7.83 against 19.4 / 11.07 / 9.64, lower on every mean; worst FSDD
# isolated fold 30.2 against 26.4).
BEST_GRU_LAYERS='conv 256 5 2 1;relu 20;layernorm;bigru 256;layernorm;dropout 0.1;bigru 256;layernorm;affine out'
BEST_STAGED_OPTS=(--layers "$BEST_GRU_LAYERS")
BEST_DIRECT_OPTS=(--layers "$BEST_GRU_LAYERS")
# A third system for `asr decode --combine` (src/recognizer/combine.h): the
# staged pipeline with the default TDNN (the staged model shipped before the
# GRU), trained as the others. Its errors are not the GRU's: on the 5 folds
# staged GRU + direct GRU + staged TDNN, each utterance from the surest, give
# 16.3 / 8.69 / 4.41 against 17.65 / 8.89 / 5.01 for the GRU pair (README).
# eval/train-best.sh trains it as the pipeline "staged-tdnn".
BEST_STAGED_TDNN_OPTS=()
BEST_MULTITASK_OPTS=() # multitask: the default TDNN
# system_pipeline NAME: the asr pipeline of a system of train-best.sh
# (staged, direct, multitask, or staged-tdnn: staged).
system_pipeline() { [ "$1" = staged-tdnn ] && echo staged || echo "$1"; }
# `asr train` options of one pipeline's fine-tuning only (BEST_TRANSFER last
# or all; the pretraining does not see them). Direct at a rate of 0.0005
# instead of 0.002 (5 folds, the same pretrained models: 20.4 / 11.98 / 13.18
# against 20.6 / 12.95 / 17.2, better on every mean); staged was worse on
# every mean at that rate (21.15 / 13.39 / 11.29 against 19.4 / 11.07 / 9.64).
BEST_FINETUNE_STAGED_OPTS=()
BEST_FINETUNE_DIRECT_OPTS=(--lr 0.0005)
BEST_FINETUNE_MULTITASK_OPTS=()
# Decoding: a beam of 16, as `make demo` decodes (direct: prefix beam search
# with its character LM instead of greedy; staged: the word search's width).
BEST_DECODE_OPTS=(--beam 16)
# The combined system's further options: the staged model also decodes each
# utterance with 50 ms of quiet around it (asr decode --pad-view; FSDD's
# clips are cut tight to the word, the training words have silence around
# them). 5 folds, staged GRU + direct GRU + staged TDNN: 12.55 / 8.03 / 4.77
# against 16.3 / 8.69 / 4.41 without it (100 ms: 12.3 / 8.53 / 4.76; 200 ms:
# 12.1 / 8.8 / 4.63). Options of both `asr decode` and `asr models
# --combine` (eval/train-best.sh stores the system with them).
BEST_COMBINE_DECODE_OPTS=(--pad-view 50)
# The combined system's own calibration of the words it keeps (asr models
# --combine --set; src/recognizer/system.h): the mean of the 5 folds'
# `asr calibrate` fits on their held-out speakers (eval/calibrate_system.sh).
# With the members' agreement as a feature (confidence_agree_scale), each
# fold given the other four's mean: word AUC 0.854 / 0.768 / 0.830 / 0.847 /
# 0.895 -> 0.897 / 0.801 / 0.923 / 0.917 / 0.904, ECE 0.077 / 0.101 / 0.025 /
# 0.052 / 0.054 -> 0.020 / 0.068 / 0.021 / 0.028 / 0.027 (without it: AUC
# unchanged, ECE 0.013 / 0.049 / 0.019 / 0.023 / 0.025).
BEST_SYSTEM_CALIBRATION=(--set confidence_scale=0.3578 --set confidence_gap_scale=-0.7931
    --set confidence_bias=-3.0743 --set confidence_agree_scale=4.7431)
