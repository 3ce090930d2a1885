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
expect_exit 1 "$ASR" compare --data "$T/cmp/data" --out "$T/cmp/out2" e="$T/cmp/empty"
expect_grep "e: $T/cmp/empty: none of the splits has a hypotheses file" "$T/err"

# ---- staged: phones through the lexicon, words through lexicon + LM ----
train_exit 1 --pipeline staged --train "$T/p" --valid "$T/p" --out "$T/bad" \
    --lexicon /dev/null --epochs 1
expect_grep '/dev/null: the lexicon has no words' "$T/err"
train --pipeline staged --train "$T/p" --valid "$T/p" --out "$T/stg" --lexicon "$T/lex" --epochs 30
expect_exit 0 "$ASR" decode --model "$T/stg/final.mdl" --out "$T/hyp" --threads 1 "$T/p"
expect_grep '^%WER 0\.00 ' "$T/err"
expect_exit 0 "$ASR" decode --model "$T/stg/final.mdl" --stage phones --out "$T/ph" --threads 1 "$T/p"
expect_grep '^u1 B AA$' "$T/ph"
expect_grep '^u7 B AA G UW D IY$' "$T/ph"

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
