#!/usr/bin/env bash
# digits.sh — the default corpus: connected digit strings ("three one oh seven").
#
# Split as a practitioner should when real target audio is scarce:
#   train, train_dev  synthetic speech, ONE pool of voices (espeak-ng accents x
#                     variants with per-utterance speed/pitch, flite awb/rms);
#                     train_dev is held out from the same distribution, so
#                     train_dev - train measures variance.
#   dev, test         the TARGET distribution, never trained on: other voices
#                     and engines (festival, flite slt/kal, other espeak accents
#                     and variants) with real hold music mixed in at a random
#                     SNR (asr noise), plus real human digits from FSDD, isolated
#                     and concatenated into strings, split between dev and test
#                     BY SPEAKER. dev - train_dev measures data mismatch.
# Also writes DIR/lexicon.txt, a phones file in every split, DIR/lm_text
# (the training transcripts, for an n-gram LM) and DIR/music_train.txt (hold
# music that dev and test never use, for data/recipes/augment.sh). Idempotent: a re-run with the
# same options skips finished work and leaves unchanged files untouched.
. "$(dirname "$0")/common.sh"

usage() {
    cat <<EOF
usage: data/recipes/digits.sh [options]

Build the connected-digits corpus: DIR/{train,train_dev,dev,test}, DIR/lexicon.txt,
DIR/lm_text, DIR/music_train.txt.

  --out DIR           output directory (default: data/digits)
  --fsdd PATH         Free Spoken Digit Dataset folder for real dev/test speech
                      (default: ../shared/data/fsdd from the repository root if it
                      exists, with a warning if not); --fsdd none builds dev/test
                      from synthetic voices only
  --rate HZ           sample rate, 8000 (default, telephone/FSDD) or 16000
  --n-train N         synthetic training utterances (default $N_TRAIN)
  --n-train-dev N     synthetic train_dev utterances (default: n-train / 10)
  --n-test N          synthetic target-voice utterances in each of dev and test
                      (default $N_TEST)
  --n-connected N     FSDD connected strings per speaker (default $N_CONNECTED)
  --snr LO:HI         SNR range (dB) of the hold music mixed into synthetic
                      dev/test speech (default $SNR)
  --random-voices N   N more training speakers: random espeak-ng voice variants
                      (data/recipes/espeak_voices.sh: vocal tract length, pitch,
                      formant widths, breath, roughness), each with one of the
                      train accents (default $RANDOM_VOICES)
  --seed N            seed for prompts, voices, speed/pitch, noise (default 1)
  --jobs N            parallel jobs (default: number of cores, $(nproc))
  --help              this message

Prompts: 1-7 words, each uniform over zero..nine and "oh".
Train voices:  $TRAIN_VOICES
Target voices: $TARGET_VOICES
Noise: the WAV files of Debian asterisk-moh-opsound-wav ($MOH_DIR); the last
two by name are kept out of dev/test and listed in DIR/music_train.txt.
Needs espeak-ng, flite, festival (festvox-kallpc16k, festvox-us-slt-hts), sox.
EOF
}

# Voice pools. Train and target share no voice identity: different espeak-ng
# accents AND variants, different flite speakers, festival only in the target.
TRAIN_VOICES=
for v in en-us en-gb en-gb-scotland en-029; do
    for variant in m1 m2 m3 m4 f1 f2 f3 f4; do
        TRAIN_VOICES+=espeak:$v+$variant:speed=130-200:pitch=25-75,
    done
done
TRAIN_VOICES+=flite:awb,flite:rms
TARGET_VOICES=espeak:en-us-nyc+m5:speed=140-190:pitch=30-70,espeak:en-gb-x-rp+f5:speed=140-190:pitch=30-70
TARGET_VOICES+=,espeak:en-gb-x-gbcwmd+m7:speed=140-190:pitch=30-70,espeak:en-gb-x-gbclan+m6:speed=140-190:pitch=30-70
TARGET_VOICES+=,flite:slt,flite:kal,festival:kal_diphone,festival:cmu_us_slt_arctic_hts
MOH_DIR=/usr/share/asterisk/moh
DIGIT_WORDS="zero one two three four five six seven eight nine"

OUT=data/digits FSDD='' RATE=8000 N_TRAIN=1500 N_TRAIN_DEV='' N_TEST=200 N_CONNECTED=100
SNR=5:20 SEED=1 JOBS=$(nproc) RANDOM_VOICES=0
while [ $# -gt 0 ]; do
    case $1 in
    --help | -h) usage; exit 0 ;;
    --out) need_value "$1" $#; OUT=$2; shift 2 ;;
    --fsdd) need_value "$1" $#; FSDD=$2; shift 2 ;;
    --rate) need_value "$1" $#; RATE=$2; shift 2 ;;
    --n-train) need_value "$1" $#; need_uint "$1" "$2"; N_TRAIN=$2; shift 2 ;;
    --n-train-dev) need_value "$1" $#; need_uint "$1" "$2"; N_TRAIN_DEV=$2; shift 2 ;;
    --n-test) need_value "$1" $#; need_uint "$1" "$2"; N_TEST=$2; shift 2 ;;
    --n-connected) need_value "$1" $#; need_uint "$1" "$2"; N_CONNECTED=$2; shift 2 ;;
    --snr) need_value "$1" $#; SNR=$2; shift 2 ;;
    --seed) need_value "$1" $#; need_uint "$1" "$2"; SEED=$2; shift 2 ;;
    --random-voices) need_value "$1" $#; need_uint "$1" "$2"; RANDOM_VOICES=$2; shift 2 ;;
    --jobs) need_value "$1" $#; need_uint "$1" "$2"; JOBS=$2; shift 2 ;;
    *) usage_error "unknown argument '$1'" ;;
    esac
done
case $RATE in 16000 | 8000) ;; *) usage_error "--rate must be 8000 or 16000, got '$RATE'" ;; esac
[[ $SNR =~ ^-?[0-9.]+:-?[0-9.]+$ ]] || usage_error "--snr wants LO:HI in dB, got '$SNR'"
N_TRAIN_DEV=${N_TRAIN_DEV:-$((N_TRAIN / 10))}
[ "$N_TRAIN" -ge 1 ] || usage_error "--n-train must be at least 1"
[ "$N_TRAIN_DEV" -ge 1 ] || usage_error "--n-train-dev must be at least 1"
# The default FSDD is a folder beside the repository. Installed (under
# $(pkgdatadir)) there is none, and dev/test lost their real speakers (1,400
# utterances down to 200) with nothing but the heading of step 4 to show it:
# its absence is said before any work, with the way to give it.
if [ -z "$FSDD" ]; then
    if [ -d "$REPO/../shared/data/fsdd" ]; then
        FSDD=$REPO/../shared/data/fsdd
    else
        say "warning: no FSDD at $(cd "$REPO/.." && pwd)/shared/data/fsdd (the default, beside" \
            "the repository): dev and test get no real speakers, only $N_TEST synthetic utterances" \
            "each; give --fsdd PATH (a folder of the Free Spoken Digit Dataset's" \
            "DIGIT_SPEAKER_INDEX.wav recordings), or --fsdd none to build without them"
        FSDD=none
    fi
fi
[ "$FSDD" != none ] || FSDD=
[ -z "$FSDD" ] || [ -d "$FSDD" ] || die "--fsdd '$FSDD' is not a directory"
[ -z "$FSDD" ] || compgen -G "$FSDD/[0-9]_*_*.wav" >/dev/null ||
    die "--fsdd '$FSDD' holds no FSDD recordings (DIGIT_SPEAKER_INDEX.wav)"
[ -n "$FSDD" ] || [ "$N_TEST" -ge 1 ] || usage_error "without FSDD, --n-test must be at least 1"

need_tool sox sox
need_tool espeak-ng espeak-ng
need_tool flite flite
need_tool festival festival
ls "$MOH_DIR"/*.wav >/dev/null 2>&1 || die "no music in $MOH_DIR: install the Debian package asterisk-moh-opsound-wav"
need_asr data validate
need_asr data combine
need_asr data subset
need_asr noise
need_asr lexicon build
need_asr lexicon phones

mkdir -p "$OUT/local"
OUT=$(cd "$OUT" && pwd)
L=$OUT/local
START=$SECONDS
STEPS=7
step() { say "[$1/$STEPS] $2 ($((SECONDS - START)) s)"; }

# 1. Prompts: one seeded stream per set, so changing one size leaves the other
#    sets' prompts as they were.
step 1 "prompts"
make_prompts() { # N SEED
    awk -v n="$1" -v seed="$2" "$AWK_RNG"'BEGIN {
        split("zero one two three four five six seven eight nine oh", w, " ")
        rng_seed(seed)
        for (u = 1; u <= n; u++) {
            len = rng_int(1, 7); s = w[rng_int(1, 11)]
            for (i = 2; i <= len; i++) s = s " " w[rng_int(1, 11)]
            print s
        }
    }'
}
make_prompts "$N_TRAIN" "$((SEED * 16 + 1))" >"$L/prompts.train.tmp"
make_prompts "$N_TRAIN_DEV" "$((SEED * 16 + 2))" >"$L/prompts.train_dev.tmp"
make_prompts "$N_TEST" "$((SEED * 16 + 3))" >"$L/prompts.dev.tmp"
make_prompts "$N_TEST" "$((SEED * 16 + 4))" >"$L/prompts.test.tmp"
for s in train train_dev dev test; do install_if_changed "$L/prompts.$s.tmp" "$L/prompts.$s"; done

# 2-3. Synthetic speech (tts.sh validates each dir it writes).
tts() { # PROMPTS OUT VOICES SEED
    bash "$REPO/data/recipes/tts.sh" --text "$1" --out "$2" --voices "$3" --assign one \
        --rate "$RATE" --jobs "$JOBS" --seed "$4"
}
step 2 "synthesising train ($N_TRAIN) and train_dev ($N_TRAIN_DEV) with the train voices"
if [ "$RANDOM_VOICES" -gt 0 ]; then
    # tts.sh's espeak-ng finds the variants through ESPEAK_DATA_PATH.
    bash "$REPO/data/recipes/espeak_voices.sh" --out "$L/espeak" --n "$RANDOM_VOICES" --seed "$SEED"
    export ESPEAK_DATA_PATH=$L/espeak
    accents=(en-us en-gb en-gb-scotland en-029)
    i=0
    while read -r v; do
        TRAIN_VOICES+=,espeak:${accents[i % 4]}+$v:speed=130-200:pitch=25-75
        i=$((i + 1))
    done <"$L/espeak/variants"
fi
tts "$L/prompts.train" "$OUT/train" "$TRAIN_VOICES" "$((SEED * 16 + 5))"
tts "$L/prompts.train_dev" "$OUT/train_dev" "$TRAIN_VOICES" "$((SEED * 16 + 6))"

step 3 "synthesising dev/test ($N_TEST each) with the target voices, mixing hold music at $SNR dB"
# The hold music is split by track: the last two (sorted by name) are kept
# for training-time augmentation (DIR/music_train.txt, used by augment.sh),
# the others only ever appear in dev and test, so augmenting training data
# never trains on the very noise the target audio has.
find "$MOH_DIR" -maxdepth 1 -name '*.wav' | sort >"$L/music.all"
[ "$(wc -l <"$L/music.all")" -ge 3 ] || die "$MOH_DIR: need at least 3 music files"
head -n -2 "$L/music.all" >"$L/music_target.tmp" && install_if_changed "$L/music_target.tmp" "$L/music_target.txt"
tail -n 2 "$L/music.all" >"$L/music_train.tmp" && install_if_changed "$L/music_train.tmp" "$OUT/music_train.txt"
# noisy IN OUT SEED: asr noise, re-run only when its input or options changed.
noisy() {
    local stamp
    stamp="$SNR $3 $(cat "$1/wav.scp" "$1/text" "$L/music_target.txt" | md5sum)"
    if [ -f "$2/wav.scp" ] && [ "$(cat "$L/.noise-$(basename "$2")" 2>/dev/null)" = "$stamp" ]; then
        say "$2: up to date"
        return
    fi
    rm -rf "$2"
    "$ASR" noise --type file --noise-files "$L/music_target.txt" --snr "$SNR" --seed "$3" "$1" "$2" ||
        die "asr noise failed on $1"
    echo "$stamp" >"$L/.noise-$(basename "$2")"
    validate_dir "$2"
}
for s in dev test; do
    if [ "$N_TEST" -gt 0 ]; then
        seed_tts=$((SEED * 16 + 7)) seed_noise=$((SEED * 16 + 8))
        [ $s = dev ] || { seed_tts=$((SEED * 16 + 9)) && seed_noise=$((SEED * 16 + 10)); }
        tts "$L/prompts.$s" "$L/${s}_synth_clean" "$TARGET_VOICES" "$seed_tts"
        noisy "$L/${s}_synth_clean" "$L/${s}_synth" "$seed_noise"
    fi
done

# 4. Real human digits: FSDD speakers split between dev and test (seeded), the
#    isolated recordings plus connected strings made from each speaker's own.
if [ -n "$FSDD" ]; then
    step 4 "real speech from FSDD ($FSDD)"
else
    step 4 "real speech: none (no FSDD: dev and test are synthetic only)"
fi
# connect IN OUT N SEED: N connected strings per speaker of IN from their own
# recordings (data/recipes/connect.sh).
connect() {
    bash "$REPO/data/recipes/connect.sh" --n "$3" --seed "$4" --rate "$RATE" --jobs "$JOBS" \
        --work "$L" "$1" "$2" || die "connecting the recordings of $1 failed"
}
# subset IN SPEAKERS OUT: the utterances of IN whose speaker is in SPEAKERS.
subset() {
    mkdir -p "$3"
    "$ASR" data subset --speakers "$2" "$1" "$L/subset.tmp" || die "asr data subset failed on $1"
    for f in wav.scp text utt2spk; do install_if_changed "$L/subset.tmp/$f" "$3/$f"; done
    rm -rf "$L/subset.tmp"
    validate_dir "$3"
}
rm -f "$L/parts.dev" "$L/parts.test" # the data dirs dev and test are combined from
[ "$N_TEST" -eq 0 ] || { echo "$L/dev_synth" >"$L/parts.dev" && echo "$L/test_synth" >"$L/parts.test"; }
if [ -n "$FSDD" ]; then
    bash "$REPO/data/recipes/fsdd.sh" "$FSDD" "$L/fsdd"
    cut -d' ' -f2 "$L/fsdd/utt2spk" | sort -u | awk -v seed="$((SEED * 16 + 11))" \
        -v dev="$L/fsdd_speakers.dev.tmp" -v test="$L/fsdd_speakers.test.tmp" "$AWK_RNG"'
        { s[++n] = $0 }
        END { rng_seed(seed)
              for (i = n; i > 1; i--) { j = rng_int(1, i); t = s[i]; s[i] = s[j]; s[j] = t }
              printf "" > dev; printf "" > test
              for (i = 1; i <= n; i++) print s[i] > (i <= int((n + 1) / 2) ? dev : test) }'
    for s in dev test; do
        sort "$L/fsdd_speakers.$s.tmp" >"$L/fsdd_speakers.$s.sorted" && rm "$L/fsdd_speakers.$s.tmp"
        install_if_changed "$L/fsdd_speakers.$s.sorted" "$L/fsdd_speakers.$s"
    done
    [ -s "$L/fsdd_speakers.test" ] || die "$FSDD: needs at least two speakers to split dev/test by speaker"
    for s in dev test; do
        subset "$L/fsdd" "$L/fsdd_speakers.$s" "$L/${s}_fsdd"
        say "FSDD $s speakers: $(tr '\n' ' ' <"$L/fsdd_speakers.$s")"
        if [ "$N_CONNECTED" -gt 0 ]; then
            seed_connect=$((SEED * 16 + 12))
            [ $s = dev ] || seed_connect=$((SEED * 16 + 13))
            connect "$L/${s}_fsdd" "$L/${s}_fsdd_connected" "$N_CONNECTED" "$seed_connect"
            echo "$L/${s}_fsdd_connected" >>"$L/parts.$s"
        fi
        echo "$L/${s}_fsdd" >>"$L/parts.$s"
    done
fi

# 5. dev and test: the target parts combined.
step 5 "combining dev and test"
for s in dev test; do
    mapfile -t parts <"$L/parts.$s"
    rm -rf "$L/combine.tmp"
    "$ASR" data combine "$L/combine.tmp" "${parts[@]}" || die "asr data combine failed for $s"
    mkdir -p "$OUT/$s"
    for f in wav.scp text utt2spk; do install_if_changed "$L/combine.tmp/$f" "$OUT/$s/$f"; done
    rm -rf "$L/combine.tmp"
done

# 6. Lexicon over every word of the corpus, phones for every split, LM text.
step 6 "lexicon, phones, lm_text"
printf '%s\n' $DIGIT_WORDS oh >"$L/words.tmp"
install_if_changed "$L/words.tmp" "$L/words"
"$ASR" lexicon build "$L/words" "$L/lexicon.tmp" || die "asr lexicon build failed"
install_if_changed "$L/lexicon.tmp" "$OUT/lexicon.txt"
for s in train train_dev dev test; do
    "$ASR" lexicon phones "$OUT/lexicon.txt" "$OUT/$s/text" "$L/phones.tmp" ||
        die "asr lexicon phones failed on $OUT/$s/text"
    install_if_changed "$L/phones.tmp" "$OUT/$s/phones"
done
cut -d' ' -f2- "$OUT/train/text" >"$L/lm_text.tmp"
install_if_changed "$L/lm_text.tmp" "$OUT/lm_text"

# 7. Every split validated, a summary.
step 7 "validating"
for s in train train_dev dev test; do validate_dir "$OUT/$s"; done
say "done in $((SECONDS - START)) s:"
for s in train train_dev dev test; do
    printf '  %-9s %6d utterances, %3d speakers, %6.1f min of audio\n' "$s" \
        "$(wc -l <"$OUT/$s/text")" "$(cut -d' ' -f2 "$OUT/$s/utt2spk" | sort -u | wc -l)" \
        "$(cut -d' ' -f2 "$OUT/$s/wav.scp" | xargs soxi -D | awk '{ t += $1 } END { print t / 60 }')" >&2
done
