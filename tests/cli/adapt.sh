#!/bin/sh
# adapt.sh — asr adapt, decode --adapt and stream --adapt. The voice:
# Asterisk's digit prompts (Debian package asterisk-core-sounds-en-wav)
# through a strong spectral colouring (two 36 dB resonances, at 700 and
# 1800 Hz, where the first two formants sit), each at three tempos: 30
# utterances of one "speaker" that both shipped models get 30% or more wrong
# at tempo 1 (staged 50%, direct 60%). Adapted on the other tempos (with their transcripts, so the
# test does not hang on how good unsupervised hypotheses are: that is
# measured on real speakers, eval/experiments/adapt_speakers.sh), both models
# get the held-out tempo right (at most 1 in 10 wrong); the transform is
# stored, applied by decode and by stream. Unsupervised: too little confident audio adapts nothing;
# decode --adapt fits what asr adapt stores (feature and layer-norm
# transforms, staged and direct) and it changes the hypotheses; a
# per-speaker model leaves a speaker it does not know alone; --agree keeps
# only what a second model hears too, an adapted one with its transform
# (co-training); stream --adapt (both pipelines)
# never changes what it printed before its first fit; bad options and
# ensembles are refused. Skipped (77) without the package.
. "${srcdir:-.}/tests/cli/lib.sh"
prompts=/usr/share/asterisk/sounds/en/digits
[ -f "$prompts/0.wav" ] || { echo "no $prompts (Debian package asterisk-core-sounds-en-wav): skipped"; exit 77; }
model=$(cd "${srcdir:-.}/models" && pwd)/digits-staged.mdl
[ -f "$model" ] || fail "no models/digits-staged.mdl"

# voice DIR SPEAKER: the coloured prompts as a data dir of SPEAKER.
voice() {
    mkdir -p "$1/w"
    for d in 0:zero 1:one 2:two 3:three 4:four 5:five 6:six 7:seven 8:eight 9:nine; do
        for t in 0.9 1.0 1.1; do
            id=$2-${d#*:}-$t
            sox -R -D "$prompts/${d%%:*}.wav" -r 8000 "$1/w/$id.wav" tempo "$t" \
                equalizer 700 1q 36 equalizer 1800 1q 36 2>/dev/null || fail "sox failed"
            echo "$id $1/w/$id.wav" >>"$1/wav.scp.u"
            echo "$id ${d#*:}" >>"$1/text.u"
            echo "$id $2" >>"$1/utt2spk.u"
        done
    done
    for f in wav.scp text utt2spk; do LC_ALL=C sort "$1/$f.u" >"$1/$f" && rm "$1/$f.u"; done
}
voice "$T/v" tilt
# wer STATS: the WER of an asr decode --stats file.
wer() { sed -n 's/.*"wer": \([0-9.]*\).*/\1/p' "$1"; }

# The held-out tempo (1.0) and the rest, with transcripts.
awk '$1 ~ /-1[.]0$/ { print $1 }' "$T/v/utt2spk" >"$T/te.ids"
awk '$1 !~ /-1[.]0$/ { print $1 }' "$T/v/utt2spk" >"$T/tr.ids"
expect_exit 0 "$ASR" data subset --utterances "$T/te.ids" "$T/v" "$T/te"
expect_exit 0 "$ASR" data subset --utterances "$T/tr.ids" "$T/v" "$T/tr"
direct=$(cd "${srcdir:-.}/models" && pwd)/digits-direct.mdl
for m in "$model" "$direct"; do
    expect_exit 0 "$ASR" decode --threads 1 --model "$m" --out "$T/t0" --stats "$T/s0" "$T/te"
    expect_exit 0 "$ASR" adapt --threads 1 --supervised --min-seconds 5 --model "$m" --data "$T/tr" --out "$T/sup.mdl"
    expect_exit 0 "$ASR" decode --threads 1 --model "$T/sup.mdl" --out "$T/t1" --stats "$T/s1" "$T/te"
    before=$(wer "$T/s0") after=$(wer "$T/s1")
    echo "$(basename "$m"): the held-out tempo, WER $before% -> $after% adapted on the others"
    awk -v b="$before" -v a="$after" 'BEGIN { exit !(b >= 30 && a <= 10) }' ||
        fail "$(basename "$m"): adaptation should fix the coloured voice: WER $before% -> $after%"
done
expect_exit 0 "$ASR" adapt --threads 1 --supervised --min-seconds 5 --model "$model" --data "$T/tr" --out "$T/sup.mdl"

expect_exit 0 "$ASR" decode --threads 1 --model "$model" --out "$T/h0" --stats "$T/s0" "$T/v"
# The held-out tempo alone: about 8 s of audio, below the default --min-seconds (15).
expect_exit 0 "$ASR" decode --threads 1 --model "$model" --out "$T/e0" "$T/te"
expect_exit 0 "$ASR" decode --threads 1 --adapt --model "$model" --out "$T/e1" "$T/te"
expect_grep 'adapted to 0 speakers' "$T/err"
cmp -s "$T/e0" "$T/e1" || fail "a speaker with too little audio was adapted"
expect_exit 0 "$ASR" decode --threads 1 --adapt --min-seconds 5 --model "$model" --out "$T/h1" --stats "$T/s1" "$T/v"
expect_grep 'adapted to 1 speakers from [0-9]+ confident utterances' "$T/err"
! cmp -s "$T/h0" "$T/h1" || fail "decode --adapt: the transform changed no hypothesis"

# asr adapt without transcripts: the stored transform decodes as --adapt did.
mkdir "$T/u"
cp "$T/v/wav.scp" "$T/v/utt2spk" "$T/u/"
# About 25 s of audio in all: below --min-seconds 30, refused.
expect_exit 1 "$ASR" adapt --threads 1 --min-seconds 30 --model "$model" --data "$T/u" --out "$T/a.mdl"
expect_grep "no speaker has 30 s of confident audio" "$T/err"
expect_exit 0 "$ASR" adapt --threads 1 --min-seconds 5 --model "$model" --data "$T/u" --out "$T/a.mdl"
expect_grep '"transform": "feature", "speakers": \[\{"speaker": "\*", "utterances": 30, "used": [1-9][0-9]*, "kept_seconds": [0-9.]+, "adapted": true' "$T/out"
expect_exit 0 "$ASR" decode --threads 1 --model "$T/a.mdl" --out "$T/h2" "$T/v"
cmp -s "$T/h1" "$T/h2" || { diff "$T/h1" "$T/h2" >&2; fail "the stored transform decodes otherwise than --adapt"; }
[ "$(wc -c <"$T/a.mdl")" -le $(($(wc -c <"$model") + 10240)) ] || fail "a transform added more than 10 kB"

# --agree: a hypothesis is kept only when a second model hears the same
# words; that is the filter (the confidence bar 0 unless given), so "used" is
# the count of the utterances the staged and direct models decode alike, or,
# with --min-confidence 0.5, of those the staged model is also sure of;
# decode --adapt --agree fits what asr adapt --agree stores.
expect_exit 0 "$ASR" decode --threads 1 --model "$model" --format json --out "$T/js" "$T/v"
expect_exit 0 "$ASR" decode --threads 1 --model "$direct" --out "$T/hd" "$T/v"
sed -n 's/^{"utt": "\([^"]*\)", "text": "\([^"]*\)", "confidence": \([0-9.]*\), "gap": [0-9.]*, "rejected": false.*/\1 \3 \2/p' \
    "$T/js" | awk 'NF > 2' >"$T/heard"
# agreed MIN [HYPS]: the utterances heard alike by the staged model and
# HYPS' (default: the direct model's) whose staged confidence is >= MIN.
agreed() {
    awk -v min="$1" '$2 >= min { $2 = ""; print }' "$T/heard" | sed 's/  / /' |
        awk 'NR == FNR { h[$0]; next } $0 in h' "${2:-$T/hd}" - | wc -l
}
all=$(agreed 0) sure=$(agreed 0.5)
echo "--agree: $all of $(wc -l <"$T/heard") utterances heard alike by both models, $sure with staged sure"
[ "$sure" -gt 0 ] && [ "$sure" -lt "$all" ] && [ "$all" -lt 30 ] || fail "--agree: no test ($sure, $all)"
expect_exit 0 "$ASR" adapt --threads 1 --min-seconds 1 --adapt-rounds 1 --model "$model" \
    --agree "$direct" --data "$T/u" --out "$T/g1.mdl"
expect_grep "\"utterances\": 30, \"used\": $all," "$T/out"
expect_exit 0 "$ASR" adapt --threads 1 --min-seconds 1 --adapt-rounds 1 --min-confidence 0.5 \
    --model "$model" --agree "$direct" --data "$T/u" --out "$T/g1.mdl"
expect_grep "\"utterances\": 30, \"used\": $sure," "$T/out"
# Co-training: a partner adapted to the voice (asr adapt --agree, the other
# way round) decodes with its transform, as asr decode would, so the kept
# count is the agreement with its adapted hypotheses, not its first ones.
expect_exit 0 "$ASR" adapt --threads 1 --min-seconds 1 --model "$direct" --agree "$model" \
    --data "$T/u" --out "$T/d1.mdl"
expect_exit 0 "$ASR" decode --threads 1 --model "$T/d1.mdl" --out "$T/hd1" "$T/v"
co=$(agreed 0 "$T/hd1")
echo "--agree with the adapted direct model: $co heard alike (unadapted: $all)"
[ "$co" != "$all" ] || fail "--agree: the adapted partner agrees as often as the unadapted one: no test"
expect_exit 0 "$ASR" adapt --threads 1 --min-seconds 1 --adapt-rounds 1 --model "$model" \
    --agree "$T/d1.mdl" --data "$T/u" --out "$T/g1.mdl"
expect_grep "\"utterances\": 30, \"used\": $co," "$T/out"
# --cotrain is those two steps in one: the partner adapted first, as asr
# adapt --agree would, then agreement with its adapted hypotheses; asr adapt
# stores what decode --adapt fits.
expect_exit 0 "$ASR" adapt --threads 1 --min-seconds 1 --model "$model" --agree "$T/d1.mdl" \
    --data "$T/u" --out "$T/c1.mdl"
expect_exit 0 "$ASR" decode --threads 1 --model "$T/c1.mdl" --out "$T/hc1" "$T/v"
expect_exit 0 "$ASR" adapt --threads 1 --min-seconds 1 --model "$model" --agree "$direct" --cotrain \
    --data "$T/u" --out "$T/c2.mdl"
expect_exit 0 "$ASR" decode --threads 1 --model "$T/c2.mdl" --out "$T/hc2" "$T/v"
cmp -s "$T/hc1" "$T/hc2" || { diff "$T/hc1" "$T/hc2" >&2; fail "--cotrain decodes otherwise than its two steps"; }
expect_exit 0 "$ASR" decode --threads 1 --adapt --min-seconds 1 --agree "$direct" --cotrain \
    --model "$model" --out "$T/hc3" "$T/v"
cmp -s "$T/hc2" "$T/hc3" || fail "decode --adapt --cotrain decodes otherwise than asr adapt --cotrain stored"
expect_exit 2 "$ASR" adapt --cotrain --model "$model" --data "$T/u" --out "$T/x.mdl"
expect_grep "needs --agree" "$T/err"
# Too little agreed audio (under the default 15 s): the refusal names the bar in force.
expect_exit 1 "$ASR" adapt --threads 1 --model "$model" --agree "$direct" --data "$T/u" --out "$T/x.mdl"
expect_grep "confidence >= 0, heard alike by --agree's model" "$T/err"
# (two rounds: the second keeps what the adapted model and direct agree on)
expect_exit 0 "$ASR" adapt --threads 1 --min-seconds 1 --model "$model" --agree "$direct" \
    --data "$T/u" --out "$T/g.mdl"
expect_exit 0 "$ASR" decode --threads 1 --model "$T/g.mdl" --out "$T/g2" "$T/v"
expect_exit 0 "$ASR" decode --threads 1 --adapt --min-seconds 1 --agree "$direct" --model "$model" \
    --out "$T/g1" "$T/v"
cmp -s "$T/g1" "$T/g2" || fail "decode --adapt --agree decodes otherwise than asr adapt --agree stored"
expect_exit 1 "$ASR" adapt --threads 1 --model "$model" --agree "$T/none.mdl" --data "$T/u" --out "$T/x.mdl"
expect_grep "agree" "$T/err"
expect_exit 2 "$ASR" adapt --supervised --model "$model" --agree "$direct" --data "$T/v" --out "$T/x.mdl"
expect_grep "one or the other" "$T/err"

# The layer norms instead: stored, they decode as --adapt fitted them.
expect_exit 0 "$ASR" decode --threads 1 --adapt --transform layernorm --min-seconds 5 --model "$model" --out "$T/l1" "$T/v"
expect_grep 'adapted to 1 speakers' "$T/err"
expect_exit 0 "$ASR" adapt --threads 1 --transform layernorm --min-seconds 5 --model "$model" --data "$T/u" --out "$T/l.mdl"
expect_grep '"transform": "layernorm"' "$T/out"
expect_exit 0 "$ASR" decode --threads 1 --model "$T/l.mdl" --out "$T/l2" "$T/v"
cmp -s "$T/l1" "$T/l2" || fail "the stored layer norms decode otherwise than --adapt --transform layernorm"

# The direct pipeline (characters) adapts through the same code: its
# confidences are lower, so a lower bar; what decode --adapt fits is what
# asr adapt stores, and the transform changes its hypotheses.
expect_exit 0 "$ASR" decode --threads 1 --model "$direct" --out "$T/d0" "$T/v"
expect_exit 0 "$ASR" decode --threads 1 --adapt --min-seconds 3 --min-confidence 0.3 --model "$direct" --out "$T/d1" "$T/v"
expect_grep 'adapted to 1 speakers' "$T/err"
expect_exit 0 "$ASR" adapt --threads 1 --min-seconds 3 --min-confidence 0.3 --model "$direct" --data "$T/u" --out "$T/d.mdl"
expect_exit 0 "$ASR" decode --threads 1 --model "$T/d.mdl" --out "$T/d2" "$T/v"
cmp -s "$T/d1" "$T/d2" || fail "direct: the stored transform decodes otherwise than --adapt"
! cmp -s "$T/d0" "$T/d2" || fail "direct: the transform changed no hypothesis"

# Per speaker: a speaker the model does not know decodes as with the source model.
expect_exit 0 "$ASR" adapt --threads 1 --min-seconds 5 --per-speaker --model "$model" --data "$T/u" --out "$T/p.mdl"
expect_grep '"speaker": "tilt"' "$T/out"
expect_exit 0 "$ASR" decode --threads 1 --model "$T/p.mdl" --out "$T/h3" "$T/v"
cmp -s "$T/h1" "$T/h3" || fail "the speaker's own transform decodes otherwise than --adapt"
voice "$T/w" other
expect_exit 0 "$ASR" decode --threads 1 --model "$model" --out "$T/h4" "$T/w"
expect_exit 0 "$ASR" decode --threads 1 --model "$T/p.mdl" --out "$T/h5" "$T/w"
cmp -s "$T/h4" "$T/h5" || fail "an unknown speaker was decoded with another speaker's transform"

# The stream (no speakers) applies the transform for every speaker: the ten
# coloured digits at tempo 1 one after another, recognised by the stream
# with the staged model adapted on the other tempos.
set --
for d in zero one two three four five six seven eight nine; do
    sox -R -D "$T/v/w/tilt-$d-1.0.wav" "$T/p-$d.wav" pad 0 0.8 || fail "sox failed"
    set -- "$@" "$T/p-$d.wav"
done
sox -R -D "$@" "$T/all.wav" pad 0.5 0 || fail "sox failed"
echo "all zero one two three four five six seven eight nine" >"$T/all.ref"
for m in "$model" "$T/sup.mdl"; do
    expect_exit 0 "$ASR" stream --threads 1 --model "$m" --input "$T/all.wav"
    printf 'all %s\n' "$(cut -f3 "$T/out" | tr '\n' ' ')" >"$T/all.hyp"
    expect_exit 0 "$ASR" score --json "$T/all.ref" "$T/all.hyp"
    wer "$T/out" >>"$T/stream.wer"
done
sb=$(sed -n 1p "$T/stream.wer") sa=$(sed -n 2p "$T/stream.wer")
echo "stream of the coloured digits: WER $sb% -> $sa% with the stored transform"
awk -v b="$sb" -v a="$sa" 'BEGIN { exit !(b >= 30 && a <= b - 30) }' || fail "stream did not use the stored transform"

# stream --adapt: the 30 coloured prompts twice over, in a fixed shuffled
# order, as one stream. Results before the first fit are the unadapted
# stream's, byte for byte (a printed result never changes, and nothing is
# fitted before --min-seconds of confident audio); later ones come from a
# fitted transform (adapted_on > 0) and some of them differ.
ls "$T/v/w" | awk 'BEGIN { srand(3) } { print rand(), $0 }' | sort -g | cut -d' ' -f2 >"$T/order"
i=0
for f in $(cat "$T/order"); do
    sox -R -D "$T/v/w/$f" "$T/q$i.wav" pad 0 0.8 || fail "sox failed"
    i=$((i + 1))
done
set --
for r in 1 2; do i=0; while [ $i -lt 30 ]; do set -- "$@" "$T/q$i.wav"; i=$((i + 1)); done; done
sox -R -D "$@" "$T/long.wav" pad 0.5 0 || fail "sox failed"
words() { sed 's/.*"words": \("[^"]*"\).*/\1/' "$1"; }
# Both pipelines (direct: its lower confidences, a lower bar, as above).
for m in "$model" "$direct"; do
    bar=''
    [ "$m" = "$model" ] || bar='--min-confidence 0.3'
    expect_exit 0 "$ASR" stream --threads 1 --model "$m" --input "$T/long.wav" --format json
    mv "$T/out" "$T/plain.json"
    expect_exit 0 "$ASR" stream --threads 1 --model "$m" --input "$T/long.wav" --format json --adapt \
        --min-seconds 5 $bar
    mv "$T/out" "$T/adapt.json"
    expect_grep "stream: adapted to the stream's voice on [0-9]+ utterances" "$T/err"
    [ "$(grep -c '"type": "final"' "$T/plain.json")" -eq "$(grep -c '"type": "final"' "$T/adapt.json")" ] ||
        fail "$(basename "$m"): stream --adapt cut the stream otherwise"
    sed 's/.*"adapted_on": \([0-9]*\).*/\1/' "$T/adapt.json" >"$T/on"
    words "$T/plain.json" >"$T/pw"
    words "$T/adapt.json" >"$T/aw"
    paste -d'|' "$T/on" "$T/pw" "$T/aw" >"$T/rows"
    awk -F'|' '$1 == 0 && $2 != $3 { bad++ } $1 > 0 { after++ } $1 > 0 && $2 != $3 { changed++ }
         END { exit !(bad == 0 && after > 0 && changed > 0) }' "$T/rows" ||
        { cat "$T/rows" >&2; fail "$(basename "$m"): stream --adapt: results before the first fit must be the plain stream's, and later ones come from the transform"; }
done
expect_exit 2 "$ASR" stream --model "$model" --input "$T/long.wav" --min-seconds 5
expect_grep "go with --adapt" "$T/err"
expect_exit 1 "$ASR" stream --model "$model" --model "$model" --input "$T/long.wav" --adapt
expect_grep "one model, not an ensemble" "$T/err"
expect_exit 2 "$ASR" stream --model "$model" --input "$T/long.wav" --adapt --agree "$direct"
expect_grep "agree is for asr adapt" "$T/err"
expect_exit 2 "$ASR" stream --model "$model" --input "$T/long.wav" --adapt --cotrain
expect_grep "needs --agree" "$T/err"

# Supervised adaptation needs transcripts; options are checked.
expect_exit 1 "$ASR" adapt --supervised --model "$model" --data "$T/u" --out "$T/s.mdl"
expect_grep "text" "$T/err"
expect_exit 2 "$ASR" adapt --model "$model" --data "$T/u" --out "$T/s.mdl" --transform warp
expect_grep "unknown adaptation 'warp'" "$T/err"
expect_exit 2 "$ASR" decode --model "$model" --transform layernorm "$T/v"
expect_grep "go with --adapt" "$T/err"
expect_exit 2 "$ASR" decode --model "$model" --adapt "$T/two.wav"
expect_grep "one DATA_DIR" "$T/err"
# (an ensemble with an adapted model is refused when loading)
expect_exit 1 "$ASR" decode --model "$T/a.mdl" --model "$model" --out "$T/h6" "$T/v"
expect_grep "adapted to speakers" "$T/err"
[ ! -e "$T/s.mdl" ] || fail "a failed adapt left its output"
echo "adapt: ok"
