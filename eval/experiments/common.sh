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

# real_speech FSDD DATA R N_CONNECTED ASTERISK REAL_COPIES: the real speech of
# the domain in R: R/fsdd (FSDD's isolated digits) and R/fsdd_connected
# (N_CONNECTED strings per speaker from their own recordings, connect.sh seed
# 1); with ASTERISK=1, R/asterisk (Asterisk's real prompts digits/0..9 and
# oh, one more speaker) and R/asterisk_connected (seed 2); with REAL_COPIES >
# 0, R/pool_augN: all of it plus N perturbed copies of each utterance
# (augment.sh: speed 0.9-1.1, then music from DATA/music_train.txt, pink or
# white noise, or reverberation; never babble, which mixes other speakers'
# utterances in). Sets REAL_SPEAKERS (FSDD's, sorted) and REAL_PARTS (the
# directories to train on, without copies).
ASTERISK_DIGITS=/usr/share/asterisk/sounds/en/digits
real_speech() {
    local fsdd=$1 data=$2 R=$3 n=$4 asterisk=$5 copies=$6 d
    bash "$REPO/data/recipes/fsdd.sh" "$fsdd" "$R/fsdd" 2>/dev/null || die "fsdd.sh $fsdd failed"
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
    if [ "$copies" -gt 0 ]; then
        rm -rf "$R/pool"
        "$ASR" data combine "$R/pool" "${REAL_PARTS[@]}" >/dev/null ||
            die "asr data combine of the real speakers failed"
        bash "$REPO/data/recipes/augment.sh" --copies "$copies" --types music,pink,white,reverb \
            --music "$data/music_train.txt" --seed 3 "$R/pool" "$R/pool_aug$copies" 2>/dev/null ||
            die "augment.sh on the real speakers failed"
    fi
}

# The best configuration measured by unseen_speakers.sh so far (the mean over
# its folds; README "Speakers never heard"): what eval/train-best.sh ships and
# unseen_speakers.sh uses unless told otherwise. Change it only with the
# leave-one-speaker-out numbers that justify it.
BEST_EPOCHS=8        # epochs of both pipelines
BEST_REAL_COPIES=2   # perturbed copies of the real training speech (LOSO: all four means lower than 0)
BEST_N_CONNECTED=100 # connected strings per real speaker
BEST_TRAIN_OPTS=()   # further `asr train` options
BEST_STAGED_OPTS=()  # and those of one pipeline only
BEST_DIRECT_OPTS=()
# Decoding: a beam of 16, as `make demo` decodes (direct: prefix beam search
# with its character LM instead of greedy; staged: the word search's width).
BEST_DECODE_OPTS=(--beam 16)
