#!/bin/sh
# reject.sh — rejection of speech outside the vocabulary (recognizer/reject.h)
# and `asr calibrate`: a toy staged model of the words ba, di, gu hears "bi"
# (the chords of B and IY: phones it knows, a word its lexicon lacks). The
# free-path gap of "bi" is above every in-vocabulary utterance's, so with a
# reject_gap between them (--set) `asr decode` gives "bi" an empty
# hypothesis (text), "rejected": true and no words (json), no CTM line, and
# the in-vocabulary utterances their words; `asr stream` gives "bi" a final
# result rejected with no words, and no partial result shows a word of it
# (held: none of any utterance while the model rejects).
# `asr calibrate` with the in-vocabulary data and "bi" as the OOV set stores
# the keys in a new model (the input model unchanged) that rejects "bi" and
# not the others, and reads them back.
. "${srcdir:-.}/tests/cli/lib.sh"
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
toy_corpora
train --pipeline staged --train "$T/p" --valid "$T/p" --out "$T/stg" --lexicon "$T/lex" --epochs 30
M=$T/stg/final.mdl

# The OOV word "bi": B's chord then IY's (toy_word's frequencies of b and i).
sox -R -n -r 8000 -b 16 "$T/bi.wav" synth 0.15 sine 300 sine 1100 remix - gain -6 : \
    synth 0.2 sine 350 sine 2700 remix - gain -6 2>/dev/null || fail "sox"
mkdir -p "$T/oov"
for k in 1 2 3; do
    sox -R "$T/sil.wav" "$T/bi.wav" "$T/sil.wav" "$T/bi.wav" "$T/sil.wav" "$T/oov/o$k.wav" 2>/dev/null
    echo "o$k $T/oov/o$k.wav" >>"$T/oov/wav.scp"
    echo "o$k bi bi" >>"$T/oov/text"
    echo "o$k s" >>"$T/oov/utt2spk"
done

expect_exit 0 "$ASR" decode --model "$M" --threads 1 --format json --out "$T/iv.json" "$T/p"
expect_exit 0 "$ASR" decode --model "$M" --threads 1 --format json --out "$T/oov.json" "$T/oov"
! jq -e 'select(.rejected)' "$T/iv.json" "$T/oov.json" >/dev/null || fail "rejected without a threshold"
jq -e 'select(.words | length > 0)' "$T/oov.json" >/dev/null || fail "bi gave no word: no test"
iv=$(jq -s 'map(.gap) | max' "$T/iv.json")
oov=$(jq -s 'map(.gap) | min' "$T/oov.json")
awk -v a="$iv" -v b="$oov" 'BEGIN { exit !(b > a) }' ||
    fail "the gap does not tell bi ($oov) from the vocabulary (up to $iv)"
th=$(awk -v a="$iv" -v b="$oov" 'BEGIN { print (a + b) / 2 }')

expect_exit 0 "$ASR" decode --model "$M" --threads 1 --set reject_gap="$th" --out "$T/t" "$T/oov"
awk 'NF != 1 { exit 1 }' "$T/t" || fail "a rejected utterance has a text hypothesis: $(cat "$T/t")"
expect_exit 0 "$ASR" decode --model "$M" --threads 1 --set reject_gap="$th" --format json \
    --out "$T/j" "$T/oov"
jq -e -s 'all(.rejected and .text == "" and (.words | length) == 0)' "$T/j" >/dev/null ||
    fail "json of a rejected utterance: $(cat "$T/j")"
expect_exit 0 "$ASR" decode --model "$M" --threads 1 --set reject_gap="$th" --format ctm \
    --out "$T/c" "$T/oov"
[ ! -s "$T/c" ] || fail "CTM lines for a rejected utterance: $(head -2 "$T/c")"
expect_exit 0 "$ASR" decode --model "$M" --threads 1 --set reject_gap="$th" --out "$T/t" "$T/p"
expect_exit 0 "$ASR" decode --model "$M" --threads 1 --out "$T/t0" "$T/p"
diff "$T/t0" "$T/t" >&2 || fail "in-vocabulary utterances rejected"

# asr stream: "bi" alone, then "ba di".
sox -R -n -r 8000 -b 16 "$T/gap.wav" synth 0.7 whitenoise vol 0.001 2>/dev/null || fail "sox"
sox -R "$T/gap.wav" "$T/oov/o1.wav" "$T/gap.wav" "$(awk '$1 == "u4" { print $2 }' "$T/p/wav.scp")" \
    "$T/gap.wav" "$T/stream.wav" || fail "sox"
expect_exit 0 "$ASR" stream --model "$M" --set reject_gap="$th" --input "$T/stream.wav" \
    --format json --hangover 250 --partial 100
jq -e -s '[.[] | select(.type == "final")] | length == 2 and (.[0].rejected and .[0].words == ""
    and (.[0].word_times | length) == 0) and (.[1].rejected | not) and .[1].words == "ba di"' \
    "$T/out" >/dev/null || fail "stream: $(cat "$T/out")"
! jq -e 'select(.type == "partial" and .utterance == 0 and .words != "")' "$T/out" >/dev/null ||
    fail "a partial result shows words of a rejected utterance"
# Partials of a model that rejects hold their words back (the final, judged
# whole, might reject them): "ba di"'s partials come, held, with no words;
# without the threshold they show its words.
jq -e -s '[.[] | select(.type == "partial" and .utterance == 1)] | length > 0 and
    all(.held and .words == "" and (.word_times | length) == 0)' "$T/out" >/dev/null ||
    fail "stream: partials of a rejecting model show words: $(cat "$T/out")"
expect_exit 0 "$ASR" stream --model "$M" --input "$T/stream.wav" --format json --hangover 250 \
    --partial 100
jq -e -s '[.[] | select(.type == "partial" and .utterance == 1)] | any(.words != "") and
    all(.held | not)' "$T/out" >/dev/null || fail "stream: partials without rejection: $(cat "$T/out")"

# asr calibrate: fitted, stored, read back; the input model unchanged.
cp "$M" "$T/before.mdl"
expect_exit 0 "$ASR" calibrate --model "$M" --threads 1 --data "$T/p" --oov "$T/oov" --max-fa 0 \
    --out "$T/cal.mdl"
cmp -s "$M" "$T/before.mdl" || fail "calibrate changed its input model"
cp "$T/out" "$T/fit.json"
jq -e '.after.fa == 0 and .after.rejected == 0 and .reject_gap != null and .oov_utterances == 3
    and .utterances == 10' "$T/fit.json" >/dev/null || fail "calibrate: $(cat "$T/fit.json")"
expect_exit 0 "$ASR" calibrate --model "$T/cal.mdl" --threads 1 --data "$T/p" --oov "$T/oov"
for k in confidence_scale confidence_gap_scale confidence_bias reject_gap reject_confidence; do
    [ "$(jq ".$k" "$T/out")" = "$(jq ".$k" "$T/fit.json")" ] ||
        fail "$k: stored $(jq ".$k" "$T/out"), fitted $(jq ".$k" "$T/fit.json")"
done
expect_exit 0 "$ASR" decode --model "$T/cal.mdl" --threads 1 --format json --out "$T/j" "$T/oov"
jq -e -s 'all(.rejected)' "$T/j" >/dev/null || fail "the calibrated model accepts bi"
expect_exit 0 "$ASR" decode --model "$T/cal.mdl" --threads 1 --out "$T/t" "$T/p"
diff "$T/t0" "$T/t" >&2 || fail "the calibrated model rejects in-vocabulary utterances"
expect_exit 2 "$ASR" calibrate --model "$M" --data "$T/p" --max-fa 2
expect_exit 2 "$ASR" decode --model "$M" --set reject_gap=-1 "$T/p"
expect_grep 'reject_gap' "$T/err"
exit 0
