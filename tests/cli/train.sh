#!/bin/sh
# train.sh — `asr train` and `asr decode` end to end through the CLI, on a
# toy corpus of tone "words" (each word a chord of its own, 0.1 s pauses):
# both pipelines learn it to zero errors; a staged model fine-tuned from the
# direct one (output layer only) too; --resume after an interrupted run
# gives the same model bytes as an uninterrupted run; a damaged model, a
# missing data directory, an unknown word and bad options are refused with
# the culprit named, and nothing already written is lost.
. "${srcdir:-.}/tests/cli/lib.sh"

expect_exit 0 "$ASR" train --help
expect_grep '^usage: asr train' "$T/out"
expect_exit 0 "$ASR" decode --help
expect_exit 2 "$ASR" train
expect_exit 2 "$ASR" train --pipeline nosuch --train x --valid x --out x
expect_grep "unknown pipeline 'nosuch'" "$T/err"
expect_exit 2 "$ASR" train --pipeline direct --train "$T/d" --valid "$T/d" --out "$T/e" --lr fast
expect_exit 1 "$ASR" train --pipeline direct --train "$T/none" --valid "$T/none" --out "$T/e"
expect_grep "$T/none" "$T/err"
[ ! -e "$T/e" ] || fail "a refused run created the experiment directory"

# The toy corpora $T/d (no pauses) and $T/p (pauses) and lexicon $T/lex:
# see toy_corpora in lib.sh.
toy_corpora

# ---- direct: learns the toy corpus; decode writes Kaldi text ----
train --pipeline direct --train "$T/d" --valid "$T/d" --out "$T/dir" --epochs 30
for f in final.mdl best.mdl checkpoint.mdl log.tsv config; do
    [ -s "$T/dir/$f" ] || fail "direct: $f not written"
done
[ "$(wc -l <"$T/dir/log.tsv")" -eq 31 ] || fail "direct: log.tsv should have a header and 30 epochs"
expect_grep '^layer = conv 128 5 2 1$' "$T/dir/config"
expect_exit 0 "$ASR" decode --model "$T/dir/final.mdl" --out "$T/hyp" --threads 1 \
    --stats "$T/stats.json" "$T/d"
expect_grep '^%WER 0\.00 \[ 0 / 20,' "$T/err"
# The same numbers for scripts, as JSON.
expect_grep '^\{"utterances": 10, "audio_seconds": [0-9.]+, .*"rtf": [0-9.]+, .*"wer": 0\.00, "ref": 20, "sub": 0, "del": 0, "ins": 0\}$' \
    "$T/stats.json"
expect_grep 'RTF [0-9.]+' "$T/err"
cmp -s "$T/hyp" "$T/d/text" || { diff "$T/d/text" "$T/hyp" >&2; fail "direct: hypotheses differ"; }
expect_exit 0 "$ASR" decode --model "$T/dir/final.mdl" --beam 8 --out "$T/hyp8" --threads 1 "$T/d"
cmp -s "$T/hyp8" "$T/d/text" || fail "direct: beam search hypotheses differ"
# ---- the search stored with the model: the best of a sweep on validation ----
# search.tsv lists the trials (direct: greedy, beam 16 at LM weights 1, 3,
# 6); the chosen one has the lowest WER (on a tie the configured LM weight,
# 3, among them, else the first), and decoding with the
# stored search is decoding with its settings given. An undertrained model
# (2 epochs) makes errors for the trials to differ by; search_sweep=0 stores
# the configured search and writes no search.tsv.
train --pipeline direct --train "$T/d" --valid "$T/d" --out "$T/weak" --epochs 2
[ "$(wc -l <"$T/weak/search.tsv")" -eq 5 ] || fail "search.tsv: expected a header and 4 trials"
chosen=$(awk -F'\t' 'NR > 1 { w[NR] = $4; lw[NR] = $2; b[NR] = $1; if (best == "" || $4 < best) best = $4 }
    END { for (i = 2; i <= NR; i++) if (w[i] == best && !row) row = i
          for (i = 2; i <= NR; i++) if (w[i] == best && lw[i] == 3 && b[i] > 1) { row = i; break }
          print row }' "$T/weak/search.tsv")
[ "$(awk -F'\t' '$5 == 1 { print NR }' "$T/weak/search.tsv")" = "$chosen" ] ||
    fail "search.tsv: the chosen trial is not the lowest WER's (configured on a tie)"
set -- $(sed -n "${chosen}p" "$T/weak/search.tsv")
expect_exit 0 "$ASR" decode --model "$T/weak/final.mdl" --out "$T/hs" --threads 1 "$T/d"
expect_exit 0 "$ASR" decode --model "$T/weak/final.mdl" --out "$T/hg" --threads 1 \
    --beam "$1" --lm-weight "$2" --word-penalty "$3" "$T/d"
cmp -s "$T/hs" "$T/hg" || fail "the stored search is not the chosen trial's"
# The 30-epoch model makes no errors with any trial: a tie all round, which
# keeps the configured LM weight (3, with a beam), not the first trial (greedy).
[ "$(awk -F'\t' 'NR > 1 && $4 != 0' "$T/dir/search.tsv")" = "" ] || fail "search.tsv: expected a tie at 0"
[ "$(awk -F'\t' '$5 == 1 { print $1, $2 }' "$T/dir/search.tsv")" = "16 3" ] ||
    fail "search.tsv: a tie did not keep the configured LM weight"
train --pipeline direct --train "$T/d" --valid "$T/d" --out "$T/nosweep" --epochs 1 --set search_sweep=0
[ ! -e "$T/nosweep/search.tsv" ] || fail "search_sweep=0 still swept"
# ---- decoding audio as it comes: files, standard input, no transcripts ----
# The model recognises every toy utterance, so each file must give its text.
u1=$(sed -n 1p "$T/d/wav.scp" | cut -d' ' -f1) w1=$(sed -n 1p "$T/d/wav.scp" | cut -d' ' -f2)
u2=$(sed -n 2p "$T/d/wav.scp" | cut -d' ' -f1) w2=$(sed -n 2p "$T/d/wav.scp" | cut -d' ' -f2)
t1=$(awk -v u="$u1" '$1 == u { $1 = ""; sub(/^ /, ""); print }' "$T/d/text")
t2=$(awk -v u="$u2" '$1 == u { $1 = ""; sub(/^ /, ""); print }' "$T/d/text")
expect_exit 0 "$ASR" decode --model "$T/dir/final.mdl" --threads 1 "$w1" "$w2"
[ "$(cat "$T/out")" = "$(printf '%s\t%s\n%s\t%s' "$w1" "$t1" "$w2" "$t2")" ] ||
    fail "decode FILE...: expected one 'FILE<TAB>words' line per file"
if command -v sox >/dev/null; then
    sox -R "$w1" "$T/one.flac" && sox -R "$w1" -r 16000 "$T/one16k.wav" || fail "sox"
    # FLAC, another rate, WAV on standard input, raw PCM on standard input
    expect_exit 0 "$ASR" decode --model "$T/dir/final.mdl" --threads 1 "$T/one.flac" "$T/one16k.wav" - <"$w2"
    [ "$(cut -f2 "$T/out" | tr '\n' '|')" = "$t1|$t1|$t2|" ] || fail "decode: FLAC, 16 kHz or stdin WAV misheard"
    expect_grep "^asr decode: 1 of 3 recordings resampled to the model's 8000 Hz \\(the first from 16000 Hz\\)" "$T/err"
    sox -R "$w2" -t wav - | "$ASR" decode --model "$T/dir/final.mdl" --threads 1 - >"$T/out" 2>"$T/err" ||
        fail "decode - from a pipe failed"
    [ "$(cat "$T/out")" = "$(printf -- '-\t%s' "$t2")" ] || fail "decode - from a pipe misheard"
    rate=$(soxi -r "$w2")
    sox -R "$w2" -t raw -e signed -b 16 -L "$T/two.s16" || fail "sox"
    expect_exit 0 "$ASR" decode --model "$T/dir/final.mdl" --threads 1 --raw --rate "$rate" - <"$T/two.s16"
    [ "$(cut -f2 "$T/out")" = "$t2" ] || fail "decode --raw s16le misheard"
    # A data directory with segments: two utterances cut from one recording
    # decode as the same spans cut into files by sox.
    sox -R -n -r 8000 -b 16 "$T/g.wav" synth 0.2 whitenoise vol 0.001 2>/dev/null
    sox -R "$T/g.wav" "$w1" "$T/g.wav" "$w2" "$T/g.wav" "$T/rec.wav" || fail "sox"
    mid=$(awk -v a="$(soxi -D "$T/g.wav")" -v b="$(soxi -D "$w1")" 'BEGIN { printf "%.3f", a + b + 0.1 }')
    mkdir -p "$T/seg"
    echo "rec $T/rec.wav" >"$T/seg/wav.scp"
    printf 'a rec 0 %s\nb rec %s -1\n' "$mid" "$mid" >"$T/seg/segments"
    printf 'a %s\nb %s\n' "$t1" "$t2" >"$T/seg/text"
    printf 'a s\nb s\n' >"$T/seg/utt2spk"
    expect_exit 0 "$ASR" decode --model "$T/dir/final.mdl" --threads 1 --out "$T/seghyp" "$T/seg"
    sox -R "$T/rec.wav" "$T/a.wav" trim 0 "=$mid" && sox -R "$T/rec.wav" "$T/b.wav" trim "$mid" || fail "sox"
    expect_exit 0 "$ASR" decode --model "$T/dir/final.mdl" --threads 1 "$T/a.wav" "$T/b.wav"
    [ "$(cut -d' ' -f2- "$T/seghyp" | tr '\n' '|')" = "$(cut -f2 "$T/out" | tr '\n' '|')" ] ||
        fail "decode: segments differ from the same spans cut into files"
    [ "$(cut -d' ' -f2- "$T/seghyp" | tr '\n' '|')" = "$t1|$t2|" ] || fail "decode: segments misheard"
    sox -R "$w2" -t raw -e float -b 32 -L "$T/two.f32" || fail "sox"
    expect_exit 0 "$ASR" decode --model "$T/dir/final.mdl" --threads 1 --raw --rate "$rate" --encoding f32le - <"$T/two.f32"
    [ "$(cut -f2 "$T/out")" = "$t2" ] || fail "decode --raw f32le misheard"
fi
expect_exit 2 "$ASR" decode --model "$T/dir/final.mdl" --raw - </dev/null
expect_grep 'raw and --rate go together' "$T/err"
expect_exit 2 "$ASR" decode --model "$T/dir/final.mdl" --raw --rate 8000 --encoding u8 - </dev/null
expect_exit 1 "$ASR" decode --model "$T/dir/final.mdl" - - </dev/null
expect_grep "'-' given twice" "$T/err"
expect_exit 1 "$ASR" decode --model "$T/dir/final.mdl" - </dev/null
expect_grep 'no audio' "$T/err"
expect_exit 1 "$ASR" decode --model "$T/dir/final.mdl" "$T/nosuch.wav"
expect_grep 'nosuch.wav' "$T/err"
# A data directory without transcripts (or with an empty text) is decoded,
# unscored; without utt2spk too.
mkdir -p "$T/notext"
cp "$T/d/wav.scp" "$T/notext/"
expect_exit 0 "$ASR" decode --model "$T/dir/final.mdl" --threads 1 --out "$T/hyp_nt" "$T/notext"
cmp -s "$T/hyp_nt" "$T/d/text" || fail "decode of a directory without text differs"
! grep -q WER "$T/err" || fail "a directory without text was scored"
: >"$T/notext/text"
expect_exit 0 "$ASR" decode --model "$T/dir/final.mdl" --threads 1 --out "$T/hyp_nt" "$T/notext"
head -n 1 "$T/d/text" >"$T/notext/text"
expect_exit 1 "$ASR" decode --model "$T/dir/final.mdl" --threads 1 --out "$T/hyp_nt" "$T/notext"
expect_grep 'is missing from text' "$T/err"
# asr compare scores a directory of hypotheses (DIR/SPLIT.txt) beside a
# model: one word of 20 changed is 5% WER, 1 substitution; the model's 0%.
mkdir -p "$T/cmp/data" "$T/cmp/hyps" "$T/cmp/empty"
ln -s "$T/d" "$T/cmp/data/test"
sed '1s/ [^ ]*$/ xyzzy/' "$T/hyp" >"$T/cmp/hyps/test.txt"
expect_exit 0 "$ASR" compare --data "$T/cmp/data" --out "$T/cmp/out" --threads 1 \
    model="$T/dir/final.mdl" hyps="$T/cmp/hyps"
jq -r '.models[] | "\(.name) \(.splits[0].name) \(.splits[0].wer) \(.splits[0].sub)"' \
    "$T/cmp/out/report.json" >"$T/cmp/got"
printf 'model test 0 0\nhyps test 5 1\n' | diff - "$T/cmp/got" || fail "compare: hypotheses not scored"
# The report shows each model's search (hypotheses have none), and the
# paired test of the two: 1 error in 20 words is no sure difference.
[ "$(jq -c '[.models[].search]' "$T/cmp/out/report.json")" = \
    "[$(awk -F'\t' '$5 == 1 { printf "{\"beam\":%s,\"lm_weight\":%s,\"word_penalty\":%s}", $1, $2, $3 }' \
        "$T/dir/search.tsv"),null]" ] || fail "compare: the models' searches are not reported"
[ "$(jq -r '.comparisons[0] | "\(.a) \(.b) \(.split) \(.difference) \(.sure)"' "$T/cmp/out/report.json")" = \
    "model hyps test -5 false" ] || fail "compare: no paired comparison"
expect_grep '^- \*\*model\*\* vs \*\*hyps\*\* on test: -5.00 points \[' "$T/cmp/out/report.md"
expect_exit 1 "$ASR" compare --data "$T/cmp/data" --out "$T/cmp/out2" e="$T/cmp/empty"
expect_grep "e: $T/cmp/empty: none of the splits has a hypotheses file" "$T/err"

# ---- staged: phones through the lexicon, words through lexicon + LM ----
train_exit 1 --pipeline staged --train "$T/p" --valid "$T/p" --out "$T/bad" \
    --lexicon /dev/null --epochs 1
expect_grep '/dev/null: the lexicon has no words' "$T/err"
train --pipeline staged --train "$T/p" --valid "$T/p" --out "$T/stg" --lexicon "$T/lex" --epochs 30
expect_exit 0 "$ASR" decode --model "$T/stg/final.mdl" --out "$T/hyp" --threads 1 "$T/p"
expect_grep '^%WER 0\.00 ' "$T/err"
# An ensemble: a model with itself decodes as the model alone; models of
# two pipelines cannot be averaged, and both are named.
expect_exit 0 "$ASR" decode --model "$T/stg/final.mdl" --model "$T/stg/final.mdl" --out "$T/hyp2" --threads 1 "$T/p"
cmp -s "$T/hyp" "$T/hyp2" || fail "an ensemble of a model with itself decodes differently"
expect_exit 1 "$ASR" decode --model "$T/stg/final.mdl" --model "$T/dir/final.mdl" --out "$T/hyp2" "$T/p"
expect_grep 'stg/final.mdl and .*dir/final.mdl cannot decode together' "$T/err"
expect_exit 0 "$ASR" decode --model "$T/stg/final.mdl" --stage phones --out "$T/ph" --threads 1 "$T/p"
expect_grep '^u1 B AA$' "$T/ph"
expect_grep '^u7 B AA G UW D IY$' "$T/ph"

# ---- asr stream: an endpointed stream of utterances ----
# Two toy utterances between stretches of faint noise: the endpointer finds
# two, each is recognised as its transcript, and each final result equals
# `asr decode` of the same samples cut from the stream (whole-utterance
# decoding), for both pipelines; standard input (raw PCM, any chunking)
# gives what --input gives; a word from the first sample is found.
if command -v sox >/dev/null && command -v jq >/dev/null; then
    sox -R -n -r 8000 -b 16 "$T/gap.wav" synth 0.7 whitenoise vol 0.001 2>/dev/null
    w3=$(sed -n 3p "$T/p/wav.scp" | cut -d' ' -f2) u3=$(sed -n 3p "$T/p/wav.scp" | cut -d' ' -f1)
    w4=$(sed -n 4p "$T/p/wav.scp" | cut -d' ' -f2) u4=$(sed -n 4p "$T/p/wav.scp" | cut -d' ' -f1)
    t3=$(awk -v u="$u3" '$1 == u { $1 = ""; sub(/^ /, ""); print }' "$T/p/text")
    t4=$(awk -v u="$u4" '$1 == u { $1 = ""; sub(/^ /, ""); print }' "$T/p/text")
    sox -R "$T/gap.wav" "$w3" "$T/gap.wav" "$w4" "$T/gap.wav" "$T/stream.wav" || fail "sox"
    for m in dir stg; do
        expect_exit 0 "$ASR" stream --model "$T/$m/final.mdl" --input "$T/stream.wav" --format json \
            --hangover 250 --stats "$T/sstats.json"
        jq -r 'select(.type == "final") | .words' "$T/out" >"$T/swords"
        printf '%s\n%s\n' "$t3" "$t4" | diff - "$T/swords" >&2 || fail "stream ($m): utterances misheard"
        [ "$(jq .utterances "$T/sstats.json")" = 2 ] || fail "stream ($m): --stats has not 2 utterances"
        jq -r 'select(.type == "final") | "\(.start_sample) \(.end_sample) \(.words)"' "$T/out" >"$T/segs"
        while read -r s e words; do
            sox -R "$T/stream.wav" "$T/seg.wav" trim "${s}s" "=${e}s" || fail "sox trim"
            "$ASR" decode --model "$T/$m/final.mdl" --threads 1 "$T/seg.wav" >"$T/segout" 2>/dev/null ||
                fail "decode of a cut segment failed"
            [ "$(cut -f2 "$T/segout")" = "$words" ] ||
                fail "stream ($m): samples $s-$e streamed gave '$words', decoded whole '$(cut -f2 "$T/segout")'"
        done <"$T/segs"
        [ "$(wc -l <"$T/segs")" = 2 ] || fail "stream ($m): expected 2 utterances"
        # Standard input, raw PCM in odd-sized writes, gives the same lines.
        jq -c 'del(.decode_ms, .emitted)' "$T/out" >"$T/sfile"
        sox -R "$T/stream.wav" -t raw -e signed -b 16 -L - | dd bs=333 2>/dev/null |
            "$ASR" stream --model "$T/$m/final.mdl" --rate 8000 --format json --hangover 250 >"$T/out" 2>"$T/err" ||
            fail "stream from standard input failed"
        jq -c 'del(.decode_ms, .emitted)' "$T/out" | diff "$T/sfile" - >&2 || fail "stream: stdin differs from --input"
        ! grep -q pitch "$T/err" || { cat "$T/err" >&2; fail "stream ($m): the toy words at their rate were taken for a wrong rate"; }
    done
    # Text lines; partial results while an utterance goes on, then its final one.
    expect_exit 0 "$ASR" stream --model "$T/dir/final.mdl" --input "$T/stream.wav" --hangover 250
    expect_grep "^0\.[0-9]{2}	[0-9.]+	$t3\$" "$T/out"
    expect_exit 0 "$ASR" stream --model "$T/dir/final.mdl" --input "$T/stream.wav" --format json --partial 100
    [ "$(jq -r .type "$T/out" | uniq | tr '\n' ' ')" = "partial final partial final " ] ||
        fail "stream --partial: expected partial results before each final one"
    # Silence only: no utterance, no error.
    expect_exit 0 "$ASR" stream --model "$T/dir/final.mdl" --input "$T/gap.wav"
    [ ! -s "$T/out" ] || fail "stream: noise alone gave an utterance"
    # A word from the first sample (an utterance with its leading noise cut
    # off) is one utterance from sample 0, with the words `asr decode` gives
    # for the file, through --input and standard input; a tone that fills
    # the whole stream is one utterance too (issue 24: the first frame was
    # taken for the noise floor, and neither gave any).
    sox -R "$w3" "$T/at0.wav" trim 0.1 || fail "sox trim"
    expect_exit 0 "$ASR" decode --model "$T/dir/final.mdl" --threads 1 "$T/at0.wav"
    heard=$(cut -f2 "$T/out")
    [ -n "$heard" ] || fail "decode of a word from sample 0 heard nothing"
    expect_exit 0 "$ASR" stream --model "$T/dir/final.mdl" --input "$T/at0.wav" --format json
    [ "$(jq -c --arg w "$heard" 'select(.type == "final") | .start_sample == 0 and .words == $w' \
        "$T/out")" = true ] ||
        fail "stream: a word from sample 0 is not one utterance from 0 heard as '$heard'"
    jq -c 'del(.decode_ms, .emitted)' "$T/out" >"$T/sfile"
    sox -R "$T/at0.wav" -t raw -e signed -b 16 -L - | dd bs=333 2>/dev/null |
        "$ASR" stream --model "$T/dir/final.mdl" --rate 8000 --format json >"$T/out" 2>"$T/err" ||
        fail "stream of a word from sample 0 from standard input failed"
    jq -c 'del(.decode_ms, .emitted)' "$T/out" | diff "$T/sfile" - >&2 ||
        fail "stream: a word from sample 0 on stdin differs from --input"
    ! grep -q pitch "$T/err" || { cat "$T/err" >&2; fail "stream: a toy word at its rate was taken for a wrong rate"; }
    # Raw samples at 16 kHz read at the model's 8 kHz, as standard input is
    # without --rate, were misheard with no word of warning ("12.8 s of
    # audio" for 6.4 s; issue 26): the rate and encoding assumed are said,
    # and a voice an octave below any adult's (a 120 Hz buzz read at half
    # its rate) is warned of; the same voice at its rate is not.
    sox -R -n -r 16000 -b 16 "$T/voice16.wav" synth 1.5 sawtooth 120 gain -12 lowpass 3000 ||
        fail "sox synth"
    sox -R "$T/voice16.wav" -t raw -e signed -b 16 -L "$T/voice16.s16"
    expect_exit 0 "$ASR" stream --model "$T/dir/final.mdl" <"$T/voice16.s16"
    expect_grep "^asr stream: standard input as headerless s16le PCM \(the default\) at 8000 Hz \(the model's rate\); give --rate and --encoding if it is not$" "$T/err"
    expect_grep "^stream: warning: the voice's pitch is 60 Hz \(the median of [0-9.]+ s of voiced speech\), below any adult voice \(75 Hz\): audio at 16000 Hz read as 8000 Hz sounds so" "$T/err"
    expect_grep '^asr stream: 1 utterance in 3\.0 s of audio' "$T/err"
    expect_exit 0 "$ASR" stream --model "$T/dir/final.mdl" --rate 16000 <"$T/voice16.s16"
    expect_grep '^asr stream: standard input as headerless s16le PCM \(the default\) at 16000 Hz; give --encoding if it is not$' "$T/err"
    ! grep -q pitch "$T/err" || { cat "$T/err" >&2; fail "stream: a voice at its rate was taken for a wrong rate"; }
    expect_exit 0 "$ASR" stream --model "$T/dir/final.mdl" --rate 16000 --encoding s16le <"$T/voice16.s16"
    ! grep -q 'standard input as' "$T/err" || fail "stream: a rate and encoding given were called assumed"
    expect_exit 0 "$ASR" decode --model "$T/dir/final.mdl" --raw --rate 16000 - <"$T/voice16.s16"
    expect_grep '^asr decode: standard input as headerless s16le PCM \(the default\) at 16000 Hz; give --encoding if it is not$' "$T/err"
    sox -R -n -r 8000 -b 16 "$T/tone.wav" synth 1 sine 440 gain -6 || fail "sox synth"
    expect_exit 0 "$ASR" stream --model "$T/dir/final.mdl" --input "$T/tone.wav" --format json
    [ "$(jq -c 'select(.type == "final") | [.start_sample, .end_sample]' "$T/out")" = "[0,8000]" ] ||
        fail "stream: a tone from sample 0 to the end is not one utterance of all its samples"
    # Bad input and options are refused with the culprit named.
    printf '\000\000\300\177' >"$T/nan.f32"
    expect_exit 1 "$ASR" stream --model "$T/dir/final.mdl" --encoding f32le <"$T/nan.f32"
    expect_grep 'standard input: sample 0 is nan' "$T/err"
    expect_exit 2 "$ASR" stream --model "$T/dir/final.mdl" --realtime
    expect_grep 'realtime paces --input' "$T/err"
    expect_exit 2 "$ASR" stream --model "$T/dir/final.mdl" --hangover 5
    expect_grep 'hangover' "$T/err"
    expect_exit 1 "$ASR" stream --model "$T/dir/final.mdl" --input "$T/nosuch.wav"
    expect_grep 'nosuch.wav' "$T/err"
fi

# ---- transfer learning: the direct model's hidden layers under a new phone output layer ----
train_exit 2 --pipeline staged --train "$T/p" --valid "$T/p" --out "$T/bad" --lexicon "$T/lex" \
    --finetune last
expect_grep 'needs --init' "$T/err"
train_exit 1 --pipeline staged --train "$T/p" --valid "$T/p" --out "$T/bad" --lexicon "$T/lex" \
    --init "$T/none.mdl"
expect_grep "$T/none.mdl" "$T/err"
train --pipeline staged --train "$T/p" --valid "$T/p" --out "$T/ft" --lexicon "$T/lex" --epochs 30 \
    --init "$T/dir/final.mdl" --finetune last
expect_grep '^freeze = all-but-last$' "$T/ft/config"
expect_grep "^init = $T/dir/final.mdl\$" "$T/ft/config"
expect_exit 0 "$ASR" decode --model "$T/ft/final.mdl" --out "$T/hyp" --threads 1 "$T/p"
expect_grep '^%WER 0\.00 ' "$T/err"

# ---- --resume: 6 epochs, then continued to 12 == 12 in one go ----
train --pipeline direct --train "$T/d" --valid "$T/d" --out "$T/r12" --epochs 12
train --pipeline direct --train "$T/d" --valid "$T/d" --out "$T/r" --epochs 6
train --pipeline direct --train "$T/d" --valid "$T/d" --out "$T/r" --epochs 12 --resume
cmp -s "$T/r/final.mdl" "$T/r12/final.mdl" || fail "resumed run differs from an uninterrupted one"
cmp -s "$T/r/checkpoint.mdl" "$T/r12/checkpoint.mdl" || fail "resumed checkpoint differs"
[ "$(wc -l <"$T/r/log.tsv")" -eq 13 ] || fail "resumed log.tsv should hold all 12 epochs"
# Killed mid-run (SIGTERM, as Ctrl-C's SIGINT): it says how to go on, dies
# of the signal, and the run continues with --resume.
(eval "exec \"\$ASR\" train $OPTS --pipeline direct --train \"\$T/d\" --valid \"\$T/d\" --out \"\$T/k\" --epochs 1000" 2>"$T/kerr") &
pid=$!
i=0
while [ ! -s "$T/k/checkpoint.mdl" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
kill -TERM $pid
wait $pid
[ $? -eq 143 ] || fail "a killed asr train should die of SIGTERM (status 143)"
expect_grep "interrupted; .*/k/checkpoint.mdl holds the last finished epoch: run the same command with --resume" "$T/kerr"
done_epochs=$(($(wc -l <"$T/k/log.tsv") - 1))
train --pipeline direct --train "$T/d" --valid "$T/d" --out "$T/k" --epochs $((done_epochs + 1)) --resume
[ "$(wc -l <"$T/k/log.tsv")" -eq $((done_epochs + 2)) ] || fail "the resumed run did not add one epoch"

# ---- a damaged model is refused, by name ----
cp "$T/dir/final.mdl" "$T/bad.mdl"
size=$(wc -c <"$T/bad.mdl")
printf 'X' | dd of="$T/bad.mdl" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
expect_exit 1 "$ASR" decode --model "$T/bad.mdl" --out "$T/hyp" "$T/d"
expect_grep "$T/bad.mdl" "$T/err"
cmp -s "$T/hyp" "$T/d/text" || fail "a failed decode touched an existing output"
head -c 100 "$T/dir/final.mdl" >"$T/short.mdl"
expect_exit 1 "$ASR" decode --model "$T/short.mdl" "$T/d"
expect_grep "$T/short.mdl" "$T/err"
exit 0
