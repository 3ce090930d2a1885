#!/usr/bin/env bash
# augment.sh — a noise-augmented training set: the clean utterances plus
# COPIES perturbed copies of each, to close the gap between clean synthetic
# training audio and the noisy, varied audio a recognizer really hears.
#
# Each copy of an utterance gets (all draws seeded):
#   speed   a factor from --speed (sox "speed": tempo and pitch together, the
#           Kaldi speed perturbation; it shifts formants the way a different
#           vocal tract would), or none;
#   noise   ONE source drawn per utterance from --types, mixed by `asr noise`
#           at an SNR uniform in --snr: music (recordings listed in --music,
#           random offset, looped), babble (other utterances of the set),
#           pink, white or brown noise, or reverb (a synthetic room, RT60
#           drawn from --rt60).
# OUT holds wav.scp, text, utt2spk, phones (when IN has them) and noise_info
# (the `asr noise` line of every noisy copy). Copies are named
# UTTID-aK-TYPE; their speaker is the original's, so speaker-level splits
# keep a voice's copies together. Idempotent: finished work is reused.
. "$(dirname "$0")/common.sh"

usage() {
    cat <<EOF
usage: data/recipes/augment.sh [options] IN_DIR OUT_DIR

Write OUT_DIR: every utterance of IN_DIR, plus --copies perturbed copies.

  --copies N       perturbed copies per utterance (default $COPIES)
  --types LIST     noise sources to draw from, comma-separated, of
                   music,babble,pink,white,brown,reverb (default $TYPES)
  --snr LO:HI      SNR range in dB for additive noise (default $SNR)
  --speed LIST     speed factors to draw from, e.g. 0.9,1.0,1.1, or none
                   (default $SPEED)
  --music FILE     list of music/noise recordings for the music type, one
                   path per line (default: DIR/music_train.txt next to IN_DIR,
                   as data/recipes/digits.sh writes it)
  --rt60 LO:HI     reverberation time range in seconds (default $RT60)
  --seed N         (default 1)
  --jobs N         parallel sox jobs (default: number of cores)
  --help           this message
EOF
}

COPIES=1 TYPES=music,babble,pink,white SNR=0:20 SPEED=0.9,0.95,1.05,1.1 MUSIC='' RT60=0.2:0.6
SEED=1 JOBS=$(nproc)
args=()
while [ $# -gt 0 ]; do
    case $1 in
    --help | -h) usage; exit 0 ;;
    --copies) need_value "$1" $#; need_uint "$1" "$2"; COPIES=$2; shift 2 ;;
    --types) need_value "$1" $#; TYPES=$2; shift 2 ;;
    --snr) need_value "$1" $#; SNR=$2; shift 2 ;;
    --speed) need_value "$1" $#; SPEED=$2; shift 2 ;;
    --music) need_value "$1" $#; MUSIC=$2; shift 2 ;;
    --rt60) need_value "$1" $#; RT60=$2; shift 2 ;;
    --seed) need_value "$1" $#; need_uint "$1" "$2"; SEED=$2; shift 2 ;;
    --jobs) need_value "$1" $#; need_uint "$1" "$2"; JOBS=$2; shift 2 ;;
    -*) usage_error "unknown option '$1'" ;;
    *) args+=("$1"); shift ;;
    esac
done
[ ${#args[@]} -eq 2 ] || usage_error "needs IN_DIR and OUT_DIR"
IN=${args[0]} OUT=${args[1]}
[ -d "$IN" ] || die "input '$IN' is not a directory"
[ "$COPIES" -ge 1 ] || usage_error "--copies must be at least 1"
[[ $SNR =~ ^-?[0-9.]+:-?[0-9.]+$ ]] || usage_error "--snr wants LO:HI in dB, got '$SNR'"
[[ $RT60 =~ ^[0-9.]+:[0-9.]+$ ]] || usage_error "--rt60 wants LO:HI in seconds, got '$RT60'"
[[ $SPEED == none || $SPEED =~ ^[0-9.]+(,[0-9.]+)*$ ]] ||
    usage_error "--speed wants factors like 0.9,1.1 or none, got '$SPEED'"
IFS=, read -r -a types <<<"$TYPES"
for t in "${types[@]}"; do
    case $t in music | babble | pink | white | brown | reverb) ;;
    *) usage_error "unknown noise type '$t' in --types" ;; esac
done
need_tool sox sox
need_asr data validate
need_asr data subset
need_asr data combine
need_asr noise
"$ASR" data validate "$IN" >&2 || die "$IN does not validate (see above)"
if [[ ,$TYPES, == *,music,* ]]; then
    [ -n "$MUSIC" ] || MUSIC=$(dirname "$(abs_path "$IN")")/music_train.txt
    [ -s "$MUSIC" ] || die "no music list '$MUSIC' (give --music FILE, or drop music from --types)"
fi

mkdir -p "$OUT/local"
OUT=$(cd "$OUT" && pwd)
L=$OUT/local
IN=$(cd "$IN" && pwd)
# The options and input decide everything below; a change starts afresh.
stamp="$COPIES $TYPES $SNR $SPEED $RT60 $SEED $(cat "$MUSIC" 2>/dev/null | md5sum) $(cat "$IN/wav.scp" "$IN/text" | md5sum)"
if [ "$(cat "$L/stamp" 2>/dev/null)" != "$stamp" ]; then
    rm -rf "$L" && mkdir -p "$L"
fi
parts=("$IN")
: >"$L/noise_info.tmp"
for k in $(seq 1 "$COPIES"); do
    c=$L/copy$k
    # 1. Speed: one factor per utterance, the audio resampled by sox.
    if [ "$SPEED" = none ]; then
        src=$IN
    else
        src=$c/speed
        mkdir -p "$src/wav"
        awk -v seed="$((SEED * 1000 + k))" -v f="$SPEED" -v dir="$src/wav" "$AWK_RNG"'
            BEGIN { rng_seed(seed); n = split(f, F, ",") }
            { s = F[rng_int(1, n)]; print $1, s, $2, dir "/" $1 ".wav" }' "$IN/wav.scp" >"$c/speed.plan"
        awk '{ print $1, $4 }' "$c/speed.plan" >"$src/wav.scp"
        cp "$IN/text" "$IN/utt2spk" "$src/"
        [ ! -f "$IN/phones" ] || cp "$IN/phones" "$src/"
        awk '{ print $4 "|" $3 "|" $2 }' "$c/speed.plan" |
            while IFS='|' read -r wav in f; do [ -f "$wav" ] || printf '%s|%s|%s\n' "$wav" "$in" "$f"; done |
            xargs -d '\n' -r -P "$JOBS" -n 50 bash -c '
                for l in "$@"; do
                    IFS="|" read -r out in f <<<"$l"
                    sox -R "$in" -b 16 "$out.tmp.wav" speed "$f" rate "$(soxi -r "$in")" 2>/dev/null &&
                        mv "$out.tmp.wav" "$out" || { echo "augment: sox failed on $in" >&2; exit 1; }
                done' augment || die "speed perturbation failed"
    fi
    # 2. Noise: every type over all utterances (asr noise is far faster than
    #    real time), then each utterance keeps the one type drawn for it.
    for t in "${types[@]}"; do
        d=$c/$t
        [ -f "$d/noise_info" ] && continue
        seed=$((SEED * 1000 + k * 10 + ${#t}))
        case $t in
        music) opts=(--type file --noise-files "$MUSIC" --snr "$SNR") ;;
        babble) opts=(--type babble --snr "$SNR") ;;
        reverb) opts=(--type reverb --rt60 "$(awk -v r="$RT60" -v s="$seed" "$AWK_RNG"'BEGIN {
                    split(r, a, ":"); rng_seed(s); printf "%.2f", a[1] + (a[2] - a[1]) * rng_uniform() }')") ;;
        *) opts=(--type "$t" --snr "$SNR") ;;
        esac
        "$ASR" noise "${opts[@]}" --seed "$seed" --suffix "-a$k-$t" --force "$src" "$d" ||
            die "asr noise --type $t failed on $src"
    done
    awk -v seed="$((SEED * 1000 + 500 + k))" -v types="$TYPES" -v dir="$c" -v k="$k" "$AWK_RNG"'
        BEGIN { rng_seed(seed); n = split(types, T, ",") }
        { t = T[rng_int(1, n)]; print $1 "-a" k "-" t > (dir "/" t ".ids") }' "$IN/text"
    for t in "${types[@]}"; do
        [ -s "$c/$t.ids" ] || continue
        rm -rf "$c/$t.sel"
        "$ASR" data subset --utterances "$c/$t.ids" "$c/$t" "$c/$t.sel" >/dev/null ||
            die "asr data subset failed on $c/$t"
        parts+=("$c/$t.sel")
        awk 'NR == FNR { keep[$1] = 1; next } $1 in keep' "$c/$t.ids" "$c/$t/noise_info" >>"$L/noise_info.tmp"
    done
done
echo "$stamp" >"$L/stamp"

rm -rf "$L/combine.tmp"
"$ASR" data combine "$L/combine.tmp" "${parts[@]}" >/dev/null || die "asr data combine failed"
for f in wav.scp text utt2spk phones; do
    [ -f "$L/combine.tmp/$f" ] && install_if_changed "$L/combine.tmp/$f" "$OUT/$f"
done
sort "$L/noise_info.tmp" >"$L/noise_info.sorted" && rm "$L/noise_info.tmp"
install_if_changed "$L/noise_info.sorted" "$OUT/noise_info"
rm -rf "$L/combine.tmp"
validate_dir "$OUT"
say "$(wc -l <"$IN/text") clean + $(wc -l <"$OUT/noise_info") perturbed utterances ($TYPES; SNR $SNR dB; speed $SPEED) -> $OUT"
