#!/usr/bin/env bash
# asterisk.sh — real telephone prompts: the Asterisk PBX core sounds in English
# (one professional speaker, Allison Smith, 8 kHz), with their transcripts.
#
# Audio: Debian asterisk-core-sounds-en-wav (KEY.wav under the sounds folder).
# Transcripts: asterisk-core-sounds-en's core-sounds-en.txt.gz, lines "KEY: text".
# Kept: prompts with audio whose transcript is speech. Dropped, and counted:
#   - transcript lines with no KEY.wav;
#   - non-speech prompts, whose whole transcript is bracketed or parenthesised:
#     "[this is a simple beep tone]", "[ascending tones]", "(1 second of silence)";
#   - prompts with nothing left after normalisation.
# Text: inline [...] and (...) are annotations, not speech ("at [@]" is said
# "at"; "IAX (note: does not say "2")"; "(simple tone sound plays)"), removed; "*" and "#" are said "star" and "pound"; then
# `asr text normalize`. Split train/dev/test 80/10/10 BY PROMPT TEXT (seeded):
# prompts with the same normalised transcript go to the same split, so no test
# sentence was heard in training. Writes DIR/lexicon.txt and a phones file per split.
. "$(dirname "$0")/common.sh"

SOUNDS=/usr/share/asterisk/sounds/en
TRANSCRIPTS=/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz
usage() {
    cat <<EOF
usage: data/recipes/asterisk.sh [options]

Build DIR/{train,dev,test} (80/10/10 by prompt text), DIR/lexicon.txt from the
Asterisk English core sounds: real 8 kHz telephone prompts of one speaker.

  --out DIR           output directory (default: data/asterisk)
  --rate HZ           8000 (default: the recordings are used in place) or 16000
                      (converted with sox into DIR/wav)
  --seed N            seed of the train/dev/test split (default 1)
  --sounds DIR        prompt audio (default $SOUNDS;
                      Debian package asterisk-core-sounds-en-wav)
  --transcripts FILE  "KEY: text" lines, optionally gzipped (default
                      $TRANSCRIPTS; Debian package asterisk-core-sounds-en)
  --help              this message

Dropped: transcripts without audio, non-speech prompts (transcript wholly in
[...] or (...): tones, beeps, silence), prompts empty after normalisation.
EOF
}

OUT=data/asterisk RATE=8000 SEED=1
while [ $# -gt 0 ]; do
    case $1 in
    --help | -h) usage; exit 0 ;;
    --out) need_value "$1" $#; OUT=$2; shift 2 ;;
    --rate) need_value "$1" $#; RATE=$2; shift 2 ;;
    --seed) need_value "$1" $#; need_uint "$1" "$2"; SEED=$2; shift 2 ;;
    --sounds) need_value "$1" $#; SOUNDS=$2; shift 2 ;;
    --transcripts) need_value "$1" $#; TRANSCRIPTS=$2; shift 2 ;;
    *) usage_error "unknown argument '$1'" ;;
    esac
done
case $RATE in 16000 | 8000) ;; *) usage_error "--rate must be 8000 or 16000, got '$RATE'" ;; esac
[ -d "$SOUNDS" ] || die "no prompt audio in '$SOUNDS': install the Debian package asterisk-core-sounds-en-wav"
[ -r "$TRANSCRIPTS" ] || die "no transcripts at '$TRANSCRIPTS': install the Debian package asterisk-core-sounds-en"
need_tool sox sox
need_asr text normalize
need_asr data validate
need_asr lexicon build
need_asr lexicon phones

mkdir -p "$OUT/local"
OUT=$(cd "$OUT" && pwd)
SOUNDS=$(cd "$SOUNDS" && pwd -P)
L=$OUT/local

# 1. "KEY: text" -> "uttid<TAB>KEY<TAB>text" for prompts with audio and speech.
gzip -cdf "$TRANSCRIPTS" | awk -v sounds="$SOUNDS" -v f="$TRANSCRIPTS" -v stats="$L/dropped" '
    /^[ \t]*(;|$)/ { next }
    {
        i = index($0, ":")
        if (i == 0) { printf "%s:%d: no \"KEY: text\"\n", f, NR > "/dev/stderr"; bad = 1; next }
        key = substr($0, 1, i - 1); text = substr($0, i + 1)
        gsub(/^[ \t]+|[ \t]+$/, "", text)
        if ((getline junk < (sounds "/" key ".wav")) < 0) { nowav++; print "no audio: " key > stats; next }
        close(sounds "/" key ".wav")
        if (text ~ /^\[[^]]*\]$/ || text ~ /^\([^)]*\)$/ || text == "") {
            nonspeech++; print "non-speech: " key ": " text > stats; next
        }
        gsub(/\[[^]]*\]|\([^)]*\)/, " ", text) # annotations: "at [@]", "IAX (note: ...)"
        gsub(/\*/, " star ", text); gsub(/#/, " pound ", text)
        id = "allison-" key; gsub(/[^A-Za-z0-9_-]/, "-", id)
        if (id in seen) { printf "%s:%d: %s gives the same utterance id as %s\n", f, NR, key, seen[id] > "/dev/stderr"; bad = 1 }
        seen[id] = key
        print id "\t" key "\t" text; kept++
    }
    END {
        printf "%d transcript lines: %d kept, %d without audio, %d non-speech\n", kept + nowav + nonspeech, kept, nowav, nonspeech > "/dev/stderr"
        exit bad
    }' >"$L/prompts.tsv" || die "cannot read $TRANSCRIPTS"

cut -f1,3 "$L/prompts.tsv" | tr '\t' ' ' >"$L/raw"
"$ASR" text normalize --kaldi <"$L/raw" >"$L/norm" || die "asr text normalize failed"
awk 'NF < 2 { print "empty after normalisation: " $1 > "/dev/stderr"; next } { print }' "$L/norm" >"$L/norm.kept"
say "$(($(wc -l <"$L/norm") - $(wc -l <"$L/norm.kept"))) prompts empty after normalisation; $(wc -l <"$L/norm.kept") utterances"

# 2. Audio: the recordings in place when they already are 16-bit mono at RATE,
#    else converted once into DIR/wav.
cut -f1,2 "$L/prompts.tsv" | tr '\t' ' ' | sort >"$L/id2key"
if [ "$RATE" = 8000 ] && ! awk -v s="$SOUNDS" '{ print s "/" $2 ".wav" }' "$L/id2key" |
    xargs soxi | awk '/^Channels/ && $3 != 1 { bad = 1 } /^Sample Rate/ && $4 != 8000 { bad = 1 }
                     /^Precision/ && $3 != "16-bit" { bad = 1 } END { exit !bad }'; then
    awk -v s="$SOUNDS" '{ print $1, s "/" $2 ".wav" }' "$L/id2key" >"$L/wav.scp"
else
    mkdir -p "$OUT/wav"
    while read -r id key; do
        [ -f "$OUT/wav/$id.wav" ] || printf '%s|%s\n' "$OUT/wav/$id.wav" "$SOUNDS/$key.wav"
    done <"$L/id2key" | sox_jobs "$RATE" "$(nproc)" || die "sox failed converting the prompts"
    awk -v d="$OUT/wav" '{ print $1, d "/" $1 ".wav" }' "$L/id2key" >"$L/wav.scp"
fi

# 3. Split by normalised text: shuffle the distinct transcripts with the seed,
#    80% of them to train, 10% dev, 10% test.
join "$L/wav.scp" <(sort "$L/norm.kept") | awk -v seed="$SEED" -v OFS='\t' -v dir="$L" "$AWK_RNG"'
    { t = $3; for (i = 4; i <= NF; i++) t = t " " $i
      if (!(t in group)) { group[t] = ++ng; gtext[ng] = t }
      u[++n] = $1 OFS "allison" OFS $2 OFS t }
    END {
        rng_seed(seed)
        for (i = 1; i <= ng; i++) order[i] = i
        for (i = ng; i > 1; i--) { j = rng_int(1, i); k = order[i]; order[i] = order[j]; order[j] = k }
        for (i = 1; i <= ng; i++)
            split_of[gtext[order[i]]] = (i <= int(0.8 * ng + 0.5)) ? "train" : (i <= int(0.9 * ng + 0.5)) ? "dev" : "test"
        printf "" > (dir "/train.tsv"); printf "" > (dir "/dev.tsv"); printf "" > (dir "/test.tsv")
        for (i = 1; i <= n; i++) { split(u[i], f, OFS); print u[i] > (dir "/" split_of[f[4]] ".tsv") }
    }'
for s in train dev test; do write_data_dir "$OUT/$s" "$L/$s.tsv"; done

# 4. Lexicon over every word, phones per split.
cut -d' ' -f2- "$L/norm.kept" | tr ' ' '\n' | sort -u | grep -v '^$' >"$L/words.tmp"
install_if_changed "$L/words.tmp" "$L/words"
"$ASR" lexicon build "$L/words" "$L/lexicon.tmp" || die "asr lexicon build failed"
install_if_changed "$L/lexicon.tmp" "$OUT/lexicon.txt"
for s in train dev test; do
    "$ASR" lexicon phones "$OUT/lexicon.txt" "$OUT/$s/text" "$L/phones.tmp" ||
        die "asr lexicon phones failed on $OUT/$s/text"
    install_if_changed "$L/phones.tmp" "$OUT/$s/phones"
done

for s in train dev test; do validate_dir "$OUT/$s"; done
say "$(wc -l <"$L/words") distinct words; $(cut -f3 "$L/train.tsv" "$L/dev.tsv" "$L/test.tsv" | wc -l) utterances:"
for s in train dev test; do
    printf '  %-5s %4d utterances, %3d distinct prompts, %5.1f min\n' "$s" "$(wc -l <"$OUT/$s/text")" \
        "$(cut -f4 "$L/$s.tsv" | sort -u | wc -l)" \
        "$(cut -d' ' -f2 "$OUT/$s/wav.scp" | xargs soxi -D | awk '{ t += $1 } END { print t / 60 }')" >&2
done
