#!/usr/bin/env bash
# reject_data.sh — out-of-vocabulary test sets for a digit recognizer: audio
# that holds no digit, as Kaldi data directories (wav.scp, text, utt2spk),
# for `asr calibrate --oov` and eval/reject.sh.
#
# usage: eval/reject_data.sh --out DIR [--sc-words DIR --speakers FILE] [--foreign] [--seed N]
#   DIR/asterisk  Asterisk's English prompts whose transcript has no digit
#                 word (core-sounds-en.txt; e0 trained on the digit prompts
#                 only), one speaker (Allison), 8 kHz
#   DIR/tts       sentences without digits by espeak-ng (en-us, en-gb-x-rp,
#                 f and m variants) and festival (kal_diphone)
#   DIR/music     4 s pieces of the hold music that digits.sh keeps out of
#                 training (asterisk-moh-opsound-wav, all but the last two)
#   DIR/noise     2 s of white, pink and brown noise (sox -R: seeded) at
#                 three levels
#   DIR/foreign   with --foreign: 20 sentences without numbers in German,
#                 French, Spanish and Italian (espeak-ng, those languages'
#                 voices): speech in other languages
#   DIR/sc_words  with --sc-words and --speakers: the utterances of the
#                 speakers FILE lists in that Speech Commands words
#                 directory (the fold's held-out speakers: never trained on)
#   DIR/all       every one of the above together
# Idempotent: an existing DIR/PART is kept.
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
out='' sc_words='' speakers='' seed=1 foreign=0
while [ $# -gt 0 ]; do
    case $1 in
    --out) need_value "$1" $#; out=$2; shift 2 ;;
    --sc-words) need_value "$1" $#; sc_words=$2; shift 2 ;;
    --speakers) need_value "$1" $#; speakers=$2; shift 2 ;;
    --seed) need_value "$1" $#; need_uint "$1" "$2"; seed=$2; shift 2 ;;
    --foreign) foreign=1; shift ;;
    -h | --help) sed -n '2,25p' "$0"; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
    esac
done
[ -n "$out" ] || usage_error "needs --out DIR"
[ -z "$sc_words" ] || [ -n "$speakers" ] || usage_error "--sc-words needs --speakers"
need_asr
need_tool sox sox
need_tool espeak-ng espeak-ng
need_tool festival festival
SOUNDS=/usr/share/asterisk/sounds/en
PROMPTS=/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz
MOH=/usr/share/asterisk/moh
mkdir -p "$out"
# A digit word, or a numeral, anywhere in a line.
DIGITS='(^|[^a-z])(zero|one|two|three|four|five|six|seven|eight|nine|oh|o)([^a-z]|$)|[0-9]'

# finish PART: "uttid path text" lines on stdin into DIR/PART (sorted; the
# speaker is the utterance's first dash-separated field).
finish() {
    local d=$out/$1.tmp
    rm -rf "$d" && mkdir -p "$d"
    LC_ALL=C sort >"$d/lines"
    [ -s "$d/lines" ] || die "$1: no utterance"
    awk -v d="$d" '{ print $1, $2 > (d "/wav.scp"); t = $0; sub(/^[^ ]+ [^ ]+ */, "", t)
        print $1, (t == "" ? "<noise>" : t) > (d "/text"); s = $1; sub(/-.*/, "", s); print $1, s > (d "/utt2spk") }' "$d/lines"
    rm "$d/lines"
    "$ASR" data validate "$d" >/dev/null || die "$1 does not validate"
    rm -rf "${d%.tmp}" && mv "$d" "${d%.tmp}"
}

if [ ! -d "$out/asterisk" ]; then
    [ -f "$PROMPTS" ] || die "no $PROMPTS: install asterisk-core-sounds-en-wav"
    zcat "$PROMPTS" | awk -F': ' 'NF >= 2 && $1 !~ /[\/ ;]/ { t = tolower($0); sub(/^[^:]*: /, "", t); print $1 "\t" t }' |
        while IFS=$'\t' read -r name t; do
            [ -f "$SOUNDS/$name.wav" ] || continue
            grep -Eq "$DIGITS" <<<"$t" && continue
            printf 'asterisk-%s %s %s\n' "$name" "$SOUNDS/$name.wav" "$(tr -c "a-z'\n" ' ' <<<"$t" | tr -s ' ')"
        done | finish asterisk
fi

if [ ! -d "$out/tts" ]; then
    mkdir -p "$out/tts.wav"
    sentences=("hello world please call me back" "what is the weather like today"
        "i would like to speak to an operator" "cancel my order" "the quick brown fox jumps over the lazy dog"
        "good morning how are you" "can you hear me" "yes that is right" "no thank you"
        "please transfer me to billing" "i forgot my password" "where is the nearest station"
        "turn the lights off in the kitchen" "stop the music" "open the door please"
        "my account has been locked" "i have a question about my bill" "send me a text message"
        "repeat that again slowly" "let me talk to a real person")
    voices=(espeak:en-us espeak:en-gb-x-rp+f3 espeak:en-us+m3 festival:kal)
    for vi in "${!voices[@]}"; do
        v=${voices[vi]}
        for si in "${!sentences[@]}"; do
            s=${sentences[si]} f=$out/tts.wav/v$vi-s$si.wav
            if [ ! -s "$f" ]; then
                case $v in
                espeak:*) espeak-ng -v "${v#espeak:}" -w "$f" "$s" ;;
                festival:*) echo "$s" | text2wave -o "$f" ;;
                esac
            fi
            printf 'tts%d-s%02d %s %s\n' "$vi" "$si" "$f" "$s"
        done
    done | finish tts
fi

if [ ! -d "$out/music" ]; then
    mkdir -p "$out/music.wav"
    ls "$MOH"/*.wav >/dev/null 2>&1 || die "no music in $MOH: install asterisk-moh-opsound-wav"
    # digits.sh's music_train.txt: the last two by name.
    mapfile -t files < <(ls "$MOH"/*.wav | LC_ALL=C sort | head -n -2)
    for fi in "${!files[@]}"; do
        for k in 0 1 2 3 4 5 6 7; do
            f=$out/music.wav/m$fi-$k.wav
            [ -s "$f" ] || sox -R "${files[fi]}" -r 8000 -c 1 "$f" trim $((k * 9 + 1)) 4
            printf 'music%d-%d %s <music>\n' "$fi" "$k" "$f"
        done
    done | finish music
fi

if [ ! -d "$out/noise" ]; then
    mkdir -p "$out/noise.wav"
    for c in white pink brown; do
        for g in -30 -20 -10; do
            f=$out/noise.wav/$c$g.wav
            [ -s "$f" ] || sox -R -n -r 8000 -c 1 -b 16 "$f" synth 2 "${c}noise" gain "$g"
            printf 'noise%s%s %s <noise>\n' "$c" "$g" "$f"
        done
    done | finish noise
fi

parts=(asterisk tts music noise)
if [ "$foreign" = 1 ]; then
    if [ ! -d "$out/foreign" ]; then
        mkdir -p "$out/foreign.wav"
        # VOICE|sentence (UTF-8 to espeak-ng) |reference in ASCII
        while IFS='|' read -r v s ref; do
            f=$out/foreign.wav/$v-$(cksum <<<"$s" | cut -d' ' -f1).wav
            [ -s "$f" ] || espeak-ng -v "$v" -w "$f" "$s"
            printf 'foreign%s-%s %s %s\n' "$v" "$(cksum <<<"$s" | cut -d' ' -f1)" "$f" "$ref"
        done <<'EOF2' | finish foreign
de|guten Morgen, wie geht es Ihnen?|guten morgen wie geht es ihnen
de|ich möchte mit jemandem sprechen|ich moechte mit jemandem sprechen
de|bitte rufen Sie mich zurück|bitte rufen sie mich zurueck
de|wo ist der Bahnhof?|wo ist der bahnhof
de|vielen Dank für Ihre Hilfe|vielen dank fuer ihre hilfe
fr|bonjour, comment allez-vous ?|bonjour comment allez vous
fr|je voudrais parler à quelqu'un|je voudrais parler a quelqu'un
fr|rappelez-moi s'il vous plaît|rappelez moi s'il vous plait
fr|où est la gare ?|ou est la gare
fr|merci beaucoup pour votre aide|merci beaucoup pour votre aide
es|buenos días, ¿cómo está usted?|buenos dias como esta usted
es|quisiera hablar con alguien|quisiera hablar con alguien
es|por favor, llámeme más tarde|por favor llameme mas tarde
es|¿dónde está la estación?|donde esta la estacion
es|muchas gracias por su ayuda|muchas gracias por su ayuda
it|buongiorno, come sta?|buongiorno come sta
it|vorrei parlare con qualcuno|vorrei parlare con qualcuno
it|per favore, mi richiami più tardi|per favore mi richiami piu tardi
it|dove si trova la stazione?|dove si trova la stazione
it|grazie mille per il suo aiuto|grazie mille per il suo aiuto
EOF2
    fi
    parts+=(foreign)
fi
if [ -n "$sc_words" ]; then
    if [ ! -d "$out/sc_words" ]; then
        awk 'NR == FNR { want[$1] = 1; next } ($2 in want) { print $1 }' "$speakers" "$sc_words/utt2spk" >"$out/sc_words.ids"
        [ -s "$out/sc_words.ids" ] || die "no utterance of the speakers of $speakers in $sc_words"
        awk 'NR == FNR { want[$1] = 1; next } ($1 in want)' "$out/sc_words.ids" "$sc_words/wav.scp" |
            join - <(LC_ALL=C sort "$sc_words/text") | awk '{ s = $1; sub(/_.*/, "", s); $1 = $1; print }' |
            finish sc_words
        rm "$out/sc_words.ids"
    fi
    parts+=(sc_words)
fi
rm -rf "$out/all"
"$ASR" data combine "$out/all" "${parts[@]/#/$out/}" >/dev/null
say "$(wc -l <"$out/all/text") out-of-vocabulary utterances in $out/all ($(for p in "${parts[@]}"; do printf '%s %d, ' "$p" "$(wc -l <"$out/$p/text")"; done | sed 's/, $//'))"
