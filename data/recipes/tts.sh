#!/usr/bin/env bash
# tts.sh — speak a text list with a chosen set of synthetic voices and write a
# Kaldi-style data directory (wav.scp, text, utt2spk) of 16-bit mono WAV files.
#
# Each voice is a speaker. Utterance ids are VOICE-NNNNNN (NNNNNN = the line
# number of the sentence, or with --kaldi VOICE-UTTID), so ids sort by speaker.
# The text is normalised by `asr text normalize` (lowercase, numbers spelled
# out, punctuation dropped) and the normalised text is what the voice is asked
# to say, so the transcript is exactly what was spoken.
#
# Idempotent: the per-utterance plan (voice, speed, pitch, text, drawn from the
# seed) is kept in DIR/tts_plan; a re-run synthesises only the utterances whose
# plan line is new or changed and rewrites no file whose content is unchanged.
. "$(dirname "$0")/common.sh"

usage() {
    cat <<EOF
usage: data/recipes/tts.sh --text FILE --out DIR [options]

Synthesise every sentence of FILE with a set of voices into the data dir DIR.

  --text FILE      one sentence per line (line N gets id NNNNNN; blank lines skipped)
  --kaldi          FILE lines are "uttid sentence" (ids: letters, digits, _ and -)
  --out DIR        output data dir (audio in DIR/wav/); created if needed
  --voices LIST    comma-separated voice specs (default: $DEFAULT_VOICES)
  --assign MODE    all: every voice speaks every sentence (default);
                   one: each sentence is spoken by one voice (balanced, seeded)
  --rate HZ        sample rate of the written audio: 16000 (default) or 8000
  --jobs N         parallel synthesis jobs (default: number of cores, $(nproc))
  --seed N         seed for speed/pitch draws and voice assignment (default 1)
  --list-voices    print the voices the shortcuts expand to, with counts, and exit
  --help           this message

Voice specs:
  espeak:VOICE[+VARIANT][:speed=WPM[-WPM]][:pitch=P[-P]]
                   espeak-ng, e.g. espeak:en-us+m3:speed=150:pitch=40 or
                   espeak:en+f2:speed=130-180:pitch=30-70 (a range is drawn
                   per utterance from the seed); pitch 0-99, speed in words/min
  flite:NAME       flite voice: kal, awb, rms or slt
  festival:NAME    festival voice, e.g. kal_diphone, cmu_us_slt_arctic_hts
Shortcuts (may be followed by :speed=...:pitch=... for the espeak ones):
  espeak-all-en    every English espeak-ng voice x every variant (and none)
  espeak-en        every English espeak-ng voice, default variant
  flite-all        flite:kal,awb,rms,slt
  festival-all     every installed festival voice

Packages: espeak-ng, flite, festival (+ festvox-kallpc16k, festvox-us-slt-hts),
sox. Ends with \`asr data validate DIR\`.
EOF
}

DEFAULT_VOICES=espeak:en-us+m3,espeak:en-gb+f2,flite:slt,flite:awb
# Lists of what is installed, read once (expanding espeak-all-en checks ~800 voices).
espeak_en_voices() { # native English espeak-ng voices (MBROLA ones need mbrola: left out)
    espeak-ng --voices=en | awk 'NR > 1 && $2 ~ /^en/ && $5 !~ /^mb\// { print $2 }'
}
espeak_variants() { # variant names usable after "+": the ones without spaces
    espeak-ng --voices=variant | awk 'NR > 1 {
        s = substr($0, index($0, "!v/") + 3); sub(/  .*/, "", s); sub(/ +$/, "", s)
        if (s !~ / /) print s }'
}
flite_voices() { flite -lv | sed 's/^Voices available: //' | tr ' ' '\n' | grep -v '^$'; }
festival_voices() { festival -b '(mapcar (lambda (v) (format t "%s\n" v)) (voice.list))'; }
ESPEAK_LANGS='' ESPEAK_VARIANTS='' FLITE_VOICES=''
load_voice_lists() {
    if command -v espeak-ng >/dev/null; then
        ESPEAK_LANGS=" $(espeak-ng --voices | awk 'NR > 1 { print $2 }' | tr '\n' ' ') "
        ESPEAK_VARIANTS=" $(espeak_variants | tr '\n' ' ') "
    fi
    if command -v flite >/dev/null; then FLITE_VOICES=" $(flite_voices | tr '\n' ' ') "; fi
}

# expand_voices LIST: one line per voice, "speaker<TAB>engine<TAB>voice<TAB>speed<TAB>pitch"
# (speed/pitch "-" when not set, else "N" or "LO-HI"). Fails on an unknown voice.
expand_voices() {
    local spec base opts o speed pitch v variant
    local -a specs opt_list
    IFS=, read -r -a specs <<<"$1"
    for spec in "${specs[@]}"; do
        case $spec in
        espeak-all-en* | espeak-en* | flite-all | festival-all) base=${spec%%:*} ;;
        espeak:* | flite:* | festival:*)
            o=${spec#*:}
            base=${spec%%:*}:${o%%:*}
            ;;
        *) usage_error "unknown voice spec '$spec' (see --help)" ;;
        esac
        opts=${spec#"$base"}
        opts=${opts#:}
        speed=- pitch=-
        IFS=: read -r -a opt_list <<<"$opts"
        for o in "${opt_list[@]}"; do
            case $o in
            speed=*) speed=${o#speed=} ;;
            pitch=*) pitch=${o#pitch=} ;;
            *) usage_error "voice spec '$spec': unknown option '$o' (speed=, pitch=)" ;;
            esac
        done
        [[ $speed == - || $speed =~ ^[0-9]+(-[0-9]+)?$ ]] || usage_error "voice spec '$spec': bad speed '$speed'"
        [[ $pitch == - || $pitch =~ ^[0-9]+(-[0-9]+)?$ ]] || usage_error "voice spec '$spec': bad pitch '$pitch'"
        case $base in
        espeak-all-en)
            for v in $(espeak_en_voices); do
                voice_line espeak "$v" "$speed" "$pitch"
                for variant in $ESPEAK_VARIANTS; do voice_line espeak "$v+$variant" "$speed" "$pitch"; done
            done
            ;;
        espeak-en) for v in $(espeak_en_voices); do voice_line espeak "$v" "$speed" "$pitch"; done ;;
        flite-all) for v in kal awb rms slt; do voice_line flite "$v" "$speed" "$pitch"; done ;;
        festival-all) for v in $(festival_voices); do voice_line festival "$v" "$speed" "$pitch"; done ;;
        espeak-*) usage_error "unknown voice spec '$spec' (see --help)" ;;
        *) voice_line "${base%%:*}" "${base#*:}" "$speed" "$pitch" ;;
        esac
    done
}

# voice_line ENGINE VOICE SPEED PITCH: check the voice exists, print its line.
voice_line() {
    local engine=$1 voice=$2 speed=$3 pitch=$4 lang variant speaker
    case $engine in
    espeak)
        lang=${voice%%+*}
        variant=${voice#"$lang"}
        variant=${variant#+}
        [[ $ESPEAK_LANGS == *" $lang "* ]] || die "espeak-ng has no voice '$lang' (espeak-ng --voices lists them)"
        [[ -z $variant || $ESPEAK_VARIANTS == *" $variant "* ]] ||
            die "espeak-ng has no variant '$variant' (espeak-ng --voices=variant lists them)"
        ;;
    flite)
        [ "$speed$pitch" = -- ] || usage_error "flite:$voice: speed/pitch are espeak options"
        [[ $FLITE_VOICES == *" $voice "* ]] || die "flite has no voice '$voice' (flite -lv)"
        ;;
    festival)
        [ "$speed$pitch" = -- ] || usage_error "festival:$voice: speed/pitch are espeak options"
        [[ $voice =~ ^[A-Za-z0-9_]+$ ]] || usage_error "bad festival voice name '$voice'"
        ;;
    *) usage_error "unknown engine '$engine'" ;;
    esac
    speaker=$engine-$voice
    [ "$speed" = - ] || speaker=$speaker-s$speed
    [ "$pitch" = - ] || speaker=$speaker-p$pitch
    speaker=${speaker//[^A-Za-z0-9_-]/-}
    printf '%s\t%s\t%s\t%s\t%s\n' "$speaker" "$engine" "$voice" "$speed" "$pitch"
}

# synth_batch BATCH RATE WAVDIR: synthesise every plan line of BATCH (one engine;
# for festival one voice) into WAVDIR/UTTID.wav. Files are written into a
# temporary directory and moved (renamed) into WAVDIR by one mv at the end, so
# an interrupted run never leaves a partial file, at one process per batch
# rather than per file (process start-up dominates here). A failure is
# reported with its utterance id; the caller checks what is missing.
synth_batch() {
    local batch=$1 rate=$2 wavdir=$3 tmp id engine voice speed pitch text
    tmp=$(mktemp -d "$wavdir/.synth-XXXXXX")
    local to_wav=(sox -R -G -t wav - -r "$rate" -b 16 -c 1 -e signed-integer)
    while IFS=$'\t' read -r id _ engine voice speed pitch text; do
        case $engine in
        espeak)
            local args=(-v "$voice")
            [ "$speed" = - ] || args+=(-s "$speed")
            [ "$pitch" = - ] || args+=(-p "$pitch")
            espeak-ng "${args[@]}" --stdout "$text" | "${to_wav[@]}" "$tmp/$id.wav" ||
                { echo "tts: $id: espeak-ng/sox failed" >&2 && rm -f "$tmp/$id.wav"; }
            ;;
        flite)
            flite -voice "$voice" -t "$text" -o "$tmp/raw.wav" &&
                "${to_wav[@]}" "$tmp/$id.wav" <"$tmp/raw.wav" ||
                { echo "tts: $id: flite/sox failed" >&2 && rm -f "$tmp/$id.wav"; }
            ;;
        festival)
            printf '(utt.save.wave (utt.synth (Utterance Text "%s")) "%s/raw/%s.wav" (quote riff))\n' \
                "$text" "$tmp" "$id" >>"$tmp/batch.scm"
            ;;
        esac
    done <"$batch"
    if [ -f "$tmp/batch.scm" ]; then
        mkdir "$tmp/raw"
        voice=$(cut -f4 "$batch" | head -n1)
        { echo "(voice_$voice)" && cat "$tmp/batch.scm"; } >"$tmp/run.scm"
        festival -b "$tmp/run.scm" >"$tmp/festival.log" 2>&1 || {
            echo "tts: festival ($voice) failed on batch $(basename "$batch"):" >&2
            tail -n 5 "$tmp/festival.log" >&2
        }
        while IFS=$'\t' read -r id _; do
            [ -s "$tmp/raw/$id.wav" ] && "${to_wav[@]}" "$tmp/$id.wav" <"$tmp/raw/$id.wav" ||
                { echo "tts: $id: festival/sox failed" >&2 && rm -f "$tmp/$id.wav"; }
        done <"$batch"
    fi
    rm -f "$tmp/raw.wav"
    find "$tmp" -maxdepth 1 -name '*.wav' -exec mv -t "$wavdir" {} +
    rm -rf "$tmp"
}

if [ "${1:-}" = --synth-batch ]; then # internal: one xargs job
    synth_batch "$2" "$3" "$4"
    exit 0
fi

TEXT='' OUT='' KALDI=0 VOICES=$DEFAULT_VOICES ASSIGN=all RATE=16000 JOBS=$(nproc) SEED=1 LIST=0
while [ $# -gt 0 ]; do
    case $1 in
    --help | -h) usage; exit 0 ;;
    --text) need_value "$1" $#; TEXT=$2; shift 2 ;;
    --out) need_value "$1" $#; OUT=$2; shift 2 ;;
    --kaldi) KALDI=1; shift ;;
    --voices) need_value "$1" $#; VOICES=$2; shift 2 ;;
    --assign) need_value "$1" $#; ASSIGN=$2; shift 2 ;;
    --rate) need_value "$1" $#; RATE=$2; shift 2 ;;
    --jobs) need_value "$1" $#; need_uint "$1" "$2"; JOBS=$2; shift 2 ;;
    --seed) need_value "$1" $#; need_uint "$1" "$2"; SEED=$2; shift 2 ;;
    --list-voices) LIST=1; shift ;;
    *) usage_error "unknown argument '$1'" ;;
    esac
done

need_tool sox sox
case ",$VOICES," in *,espeak*) need_tool espeak-ng espeak-ng ;; esac
case ",$VOICES," in *,flite*) need_tool flite flite ;; esac
case ",$VOICES," in *,festival*) need_tool festival festival ;; esac

load_voice_lists
if [ "$LIST" = 1 ]; then
    expand_voices "$VOICES" >"${TMPDIR:-/tmp}/tts-voices.$$" || exit
    cut -f1 "${TMPDIR:-/tmp}/tts-voices.$$"
    say "$(wc -l <"${TMPDIR:-/tmp}/tts-voices.$$") voices"
    rm -f "${TMPDIR:-/tmp}/tts-voices.$$"
    exit 0
fi

[ -n "$TEXT" ] || usage_error "--text FILE is required"
[ -n "$OUT" ] || usage_error "--out DIR is required"
[ -r "$TEXT" ] || die "cannot read --text '$TEXT'"
case $ASSIGN in all | one) ;; *) usage_error "--assign must be all or one, got '$ASSIGN'" ;; esac
case $RATE in 16000 | 8000) ;; *) usage_error "--rate must be 16000 or 8000, got '$RATE'" ;; esac
[ "$JOBS" -ge 1 ] || usage_error "--jobs must be at least 1"
need_asr text normalize
need_asr data validate

mkdir -p "$OUT/wav"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tts-XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# 1. Voices.
expand_voices "$VOICES" >"$WORK/voices" || exit
[ -s "$WORK/voices" ] || usage_error "--voices '$VOICES' names no voice"
dup=$(cut -f1 "$WORK/voices" | sort | uniq -d | head -n1)
[ -z "$dup" ] || usage_error "voice '$dup' is listed twice"
grep -q $'\tfestival\t' "$WORK/voices" && festival_voices >"$WORK/festival_voices" &&
    for v in $(awk -F'\t' '$2 == "festival" { print $3 }' "$WORK/voices"); do
        grep -qxF "$v" "$WORK/festival_voices" ||
            die "festival has no voice '$v' (installed: $(tr '\n' ' ' <"$WORK/festival_voices"); e.g. Debian festvox-kallpc16k, festvox-us-slt-hts)"
    done

# 2. Sentences -> "id text", normalised.
if [ "$KALDI" = 1 ]; then
    awk -v f="$TEXT" 'NF && $1 !~ /^[A-Za-z0-9_-]+$/ {
        printf "%s:%d: utterance id \"%s\" has characters other than letters, digits, _ and -\n", f, NR, $1 > "/dev/stderr"; bad = 1 }
        END { exit bad }' "$TEXT" || exit 1
    awk 'NF' "$TEXT" >"$WORK/raw"
else
    awk 'NF { printf "%06d %s\n", NR, $0 }' "$TEXT" >"$WORK/raw"
fi
[ -s "$WORK/raw" ] || die "$TEXT has no sentences"
"$ASR" text normalize --kaldi <"$WORK/raw" >"$WORK/norm" || die "asr text normalize failed on $TEXT"
awk -v f="$TEXT" '{
        t = substr($0, length($1) + 2)
        if (t !~ /^[a-z'"'"' ]*$/) { printf "%s: sentence %s: normalised text \"%s\" has characters outside a-z'"'"' and space\n", f, $1, t > "/dev/stderr"; bad = 1 }
        if (t ~ /^ *$/) { printf "%s: sentence %s: nothing left to say after normalisation; skipped\n", f, $1 > "/dev/stderr"; next }
        print
    } END { exit bad }' "$WORK/norm" >"$WORK/sentences" || exit 1
dup=$(cut -d' ' -f1 "$WORK/sentences" | sort | uniq -d | head -n1)
[ -z "$dup" ] || die "$TEXT: utterance id '$dup' appears twice"

# 3. The plan: one line per utterance, draws in input order from the seed.
awk -v seed="$SEED" -v assign="$ASSIGN" "$AWK_RNG"'
    function draw(r,   a) {
        if (r == "-") return "-"
        if (split(r, a, "-") == 1) return r
        return rng_int(a[1] + 0, a[2] + 0)
    }
    function speak(i, id, text) {
        printf "%s-%s\t%s\t%s\t%s\t%s\t%s\t%s\n", spk[i], id, spk[i], eng[i], voc[i],
            draw(spd[i]), draw(pit[i]), text
    }
    BEGIN { FS = "\t"; rng_seed(seed) }
    FNR == NR { nv++; spk[nv] = $1; eng[nv] = $2; voc[nv] = $3; spd[nv] = $4; pit[nv] = $5; next }
    {
        id = substr($0, 1, index($0, " ") - 1); text = substr($0, index($0, " ") + 1)
        if (assign == "all") { for (i = 1; i <= nv; i++) speak(i, id, text); next }
        if (ndeck == 0) { # a fresh shuffled deck of voices: balanced speakers
            for (i = 1; i <= nv; i++) deck[i] = i
            for (i = nv; i > 1; i--) { j = rng_int(1, i); t = deck[i]; deck[i] = deck[j]; deck[j] = t }
            ndeck = nv
        }
        speak(deck[ndeck--], id, text)
    }' "$WORK/voices" "$WORK/sentences" | sort >"$WORK/plan"

# 4. Forget audio whose plan line changed or vanished, then synthesise what is missing.
if [ -f "$OUT/tts_plan" ]; then
    comm -23 "$OUT/tts_plan" "$WORK/plan" | cut -f1 | while read -r id; do rm -f "$OUT/wav/$id.wav"; done
fi
cp "$WORK/plan" "$WORK/tts_plan"
while IFS=$'\t' read -r id rest; do
    [ -f "$OUT/wav/$id.wav" ] || printf '%s\t%s\n' "$id" "$rest"
done <"$WORK/plan" >"$WORK/todo"
total=$(wc -l <"$WORK/plan")
todo=$(wc -l <"$WORK/todo")
say "$total utterances from $(wc -l <"$WORK/sentences") sentences x $(wc -l <"$WORK/voices") voices ($ASSIGN); $((total - todo)) already done, $todo to synthesise"

if [ "$todo" -gt 0 ]; then
    # Batches of one engine (festival: one voice, one process per batch, as its
    # start-up costs ~0.5 s); xargs runs JOBS of them at a time.
    mkdir "$WORK/batches"
    awk -F'\t' -v dir="$WORK/batches" -v jobs="$JOBS" '
        { key = ($3 == "festival") ? "festival-" $4 : $3; line[key, ++n[key]] = $0 }
        END {
            for (k in n) {
                size = (k ~ /^festival/) ? int((n[k] + jobs - 1) / jobs) : 25
                for (i = 1; i <= n[k]; i++)
                    print line[k, i] > (dir "/" k "." sprintf("%05d", int((i - 1) / size)))
            }
        }' "$WORK/todo"
    ls "$WORK/batches" | sed "s|^|$WORK/batches/|" |
        xargs -P "$JOBS" -I{} bash "$0" --synth-batch {} "$RATE" "$OUT/wav" &
    xargs_pid=$!
    for ((tick = 1; ; tick++)); do # progress every 10 s
        sleep 1
        kill -0 "$xargs_pid" 2>/dev/null || break
        ((tick % 10)) ||
            say "synthesised $(find "$OUT/wav" -maxdepth 1 -name '*.wav' -newer "$WORK/tts_plan" | wc -l)/$todo"
    done
    wait "$xargs_pid" || die "synthesis jobs failed"
fi
missing=$(cut -f1 "$WORK/plan" | while read -r id; do [ -f "$OUT/wav/$id.wav" ] || echo "$id"; done)
[ -z "$missing" ] || die "$(echo "$missing" | wc -l) utterances failed to synthesise (first: $(echo "$missing" | head -n1)); re-run to retry"

# 5. The data dir, each file replaced only when its content changed.
awk -F'\t' -v OFS='\t' -v dir="$OUT/wav" '{ print $1, $2, dir "/" $1 ".wav", $7 }' "$WORK/plan" >"$WORK/utts"
write_data_dir "$OUT" "$WORK/utts"
install_if_changed "$WORK/tts_plan" "$OUT/tts_plan"
# Audio of utterances no longer planned (e.g. a voice was dropped) goes too.
find "$OUT/wav" -maxdepth 1 -name '*.wav' | sed 's|.*/||; s|\.wav$||' | sort >"$WORK/have"
cut -f1 "$WORK/plan" | comm -23 "$WORK/have" - | while read -r id; do rm -f "$OUT/wav/$id.wav"; done
validate_dir "$OUT"
