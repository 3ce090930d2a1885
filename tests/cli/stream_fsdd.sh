#!/bin/sh
# stream_fsdd.sh — over the whole Free Spoken Digit Dataset: every recording
# that `asr decode` recognises as words gives at least one utterance through
# `asr stream --input` (issue 24: FSDD's recordings are cut tight, many with
# the word from the first sample, and the endpointer took that first frame
# for the noise floor: 192 of the 2000 gave no utterance). The model is the
# toy task's direct model (lib.sh), which hears words in almost every
# recording; what is checked is the endpointer, not the words. Skipped (77)
# where FSDD is not ($FSDD, default ../shared/data/fsdd) or jq is missing.
. "${srcdir:-.}/tests/cli/lib.sh"

[ -d "$FSDD" ] || { echo "SKIP: no FSDD folder at $FSDD"; exit 77; }
command -v jq >/dev/null || { echo "SKIP: jq missing"; exit 77; }

toy_corpora
train --pipeline direct --train "$T/d" --valid "$T/d" --out "$T/m" --epochs 30
expect_exit 0 bash "${srcdir:-.}/data/recipes/fsdd.sh" "$FSDD" "$T/fsdd"
expect_exit 0 "$ASR" decode --model "$T/m/final.mdl" --threads 1 --out "$T/hyp" "$T/fsdd"
# Utterances that decode as words (a hypothesis line with more than its id).
awk 'NF > 1 { print $1 }' "$T/hyp" | LC_ALL=C sort >"$T/heard"
[ -s "$T/heard" ] || fail "the model heard no words in any FSDD recording"

mkdir "$T/st"
while read -r utt wav; do
    OPENBLAS_NUM_THREADS=1 "$ASR" stream --model "$T/m/final.mdl" --input "$wav" \
        --stats "$T/st/$utt.json" >/dev/null 2>"$T/err" ||
        { cat "$T/err" >&2; fail "asr stream --input $wav failed"; }
done <"$T/fsdd/wav.scp"
# The recordings streamed as no utterance, by id (the stats file's name).
jq -r 'select(.utterances == 0) | input_filename' "$T"/st/*.json |
    sed 's|.*/||; s|\.json$||' | LC_ALL=C sort >"$T/silent"
LC_ALL=C comm -12 "$T/heard" "$T/silent" >"$T/lost"
echo "FSDD: $(wc -l <"$T/fsdd/wav.scp") recordings, $(wc -l <"$T/heard") decoded as words," \
    "$(wc -l <"$T/silent") streamed as no utterance"
[ ! -s "$T/lost" ] ||
    fail "$(wc -l <"$T/lost") recordings decode as words but stream as no utterance: $(head -5 "$T/lost" | tr '\n' ' ')"
exit 0
