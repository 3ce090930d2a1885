#!/bin/sh
# multitask.sh — `asr train --pipeline multitask` end to end on a tiny
# synthetic corpus (each word a tone): an utterance with a word the lexicon
# lacks is masked for the phone head and reported once as a count; the run
# writes per-head losses and the head weights; the model decodes words and
# phones; a weight for a head the pipeline lacks is refused.
. "${srcdir:-.}/tests/cli/lib.sh"

expect_exit 0 "$ASR" train --help
expect_grep 'multitask' "$T/out"

# Words as tones (0.25 s, short silences around), utterances as their concatenation.
freq() { case $1 in one) echo 300 ;; two) echo 700 ;; three) echo 1100 ;; four) echo 1500 ;; esac; }
for w in one two three four; do
    sox -R -n -r 8000 -b 16 "$T/$w.wav" synth 0.25 sine "$(freq $w)" pad 0.06 0.06 2>/dev/null ||
        { echo "skip: sox cannot synthesise"; exit 77; }
done
mk() { # DIR ID WORDS...
    d=$1 id=$2; shift 2
    mkdir -p "$d"
    files=""
    for w in "$@"; do files="$files $T/$w.wav"; done
    sox -R $files "$d/$id.wav"
    echo "$id $d/$id.wav" >>"$d/wav.scp"; echo "$id $*" >>"$d/text"; echo "$id s" >>"$d/utt2spk"
}
i=10
for words in "one two" "two three" "three one" "one three two" "two one" "three two one" \
             "two two" "one one three" "three three" "two three one" "one two three" "three one two"; do
    mk "$T/train" "u$i" $words
    i=$((i + 1))
done
mk "$T/train" u30 one four two # "four" is not in the lexicon
mk "$T/valid" v1 two one three
mk "$T/valid" v2 three two
printf 'one W AH N\ntwo T UW\nthree TH R IY\n' >"$T/lexicon.txt"

expect_exit 0 "$ASR" train --pipeline multitask --train "$T/train" --valid "$T/valid" --out "$T/exp" \
    --lexicon "$T/lexicon.txt" --layers 'conv 48 3 2 1;relu 20;layernorm;conv 48 3 1 2;relu 20;affine out' \
    --epochs 40 --warmup 0 --lr 0.005 --no-specaug --patience 0 --threads 2 --quiet \
    --set multitask.char_weight=0.25
expect_grep '^train: head phone: no label for 1 of 13 training and 0 of 2 validation utterances' "$T/err"
[ "$(grep -c 'no label' "$T/err")" -eq 1 ] || fail "the masked count should be said once"
expect_grep '^multitask.char_weight = 0.25$' "$T/exp/config"
expect_grep '^multitask.phone_weight = 1$' "$T/exp/config"
expect_grep 'train_loss.phone	train_loss.char	ranks	steps	comm_seconds$' "$T/exp/log.tsv"
[ "$(wc -l <"$T/exp/log.tsv")" -eq 41 ] || fail "log.tsv should have 40 epochs"
# Both heads learned: each one's training loss fell to under a quarter of its first epoch's.
awk -F'\t' 'NR == 2 { p = $10; c = $11 } END { exit !($10 < p / 4 && $11 < c / 4) }' "$T/exp/log.tsv" ||
    { cat "$T/exp/log.tsv" >&2; fail "a head's training loss did not fall"; }

expect_exit 0 "$ASR" decode --model "$T/exp/final.mdl" --out "$T/hyp" --units "$T/units" "$T/valid"
expect_grep '^%WER' "$T/err"
[ "$(wc -l <"$T/hyp")" -eq 2 ] || fail "decode should write one line per utterance"
# units are phones of the lexicon, words are lexicon words
awk '{ for (i = 2; i <= NF; i++) if ($i !~ /^(W|AH|N|T|UW|TH|R|IY)$/) exit 1 }' "$T/units" ||
    fail "units are not the lexicon's phones: $(cat "$T/units")"
awk '{ for (i = 2; i <= NF; i++) if ($i !~ /^(one|two|three)$/) exit 1 }' "$T/hyp" ||
    fail "words outside the lexicon: $(cat "$T/hyp")"
# The phone head's search times its words too (decode/ctc_times.h).
if command -v jq >/dev/null; then
    expect_exit 0 "$ASR" decode --model "$T/exp/final.mdl" --format json --out "$T/hyp.json" "$T/valid"
    jq -r '"\(.utt) \(.words | map(.word) | join(" "))" | sub(" $"; "")' "$T/hyp.json" | diff "$T/hyp" - >&2 ||
        fail "--format json: other words than text"
    jq -s -e 'all(.[]; .words | length > 0 and all(.start < .end and .confidence >= 0 and .confidence <= 1))' \
        "$T/hyp.json" >/dev/null || fail "--format json: words without times: $(cat "$T/hyp.json")"
fi

# A weight for a head the pipeline lacks, or for another pipeline, is refused by name.
expect_exit 1 "$ASR" train --pipeline multitask --train "$T/train" --valid "$T/valid" --out "$T/bad" \
    --lexicon "$T/lexicon.txt" --set multitask.word_weight=1 --quiet
expect_grep "multitask.word_weight: pipeline multitask has no output head 'word' \(its heads: phone, char\)" "$T/err"
expect_exit 1 "$ASR" train --pipeline staged --train "$T/train" --valid "$T/valid" --out "$T/bad" \
    --lexicon "$T/lexicon.txt" --set multitask.char_weight=1 --quiet
expect_grep "multitask.char_weight: a head weight of pipeline 'multitask'" "$T/err"
echo ok
