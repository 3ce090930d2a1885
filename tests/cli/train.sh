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

# Two toy corpora of the words ba, di, gu, each two chords in a row (one per
# letter and per phone: b/B, a/AA, ...), utterances of 1-3 words with 0.1 s
# of faint noise around them: $T/d speaks the words without pauses (the
# direct pipeline must find the spaces at the chord changes), $T/p with
# 0.1 s pauses (for the staged pipeline's phones).
word() { # word NAME F1 F2 F3 F4
    sox -R -n -r 8000 -b 16 "$T/$1.wav" synth 0.15 sine "$2" sine "$3" remix - gain -6 : \
        synth 0.2 sine "$4" sine "$5" remix - gain -6 2>/dev/null || fail "sox missing"
}
word ba 300 1100 700 1300
word di 500 1900 350 2700
word gu 800 2600 450 900
sox -R -n -r 8000 -b 16 "$T/sil.wav" synth 0.1 whitenoise vol 0.001 2>/dev/null
corpus() { # corpus DIR PAUSE: PAUSE is a file put after every word, or ""
    dir=$1 pause=$2
    mkdir -p "$dir"
    n=0
    for words in "ba" "di" "gu" "ba di" "di gu" "gu ba" "ba gu di" "di ba gu" "gu di ba" "ba ba"; do
        n=$((n + 1))
        set --
        for w in $words; do set -- "$@" "$T/$w.wav" $pause; done
        sox -R "$T/sil.wav" "$@" "$T/sil.wav" "$dir/u$n.wav" 2>/dev/null
        echo "u$n $dir/u$n.wav" >>"$dir/wav.scp"
        echo "u$n $words" >>"$dir/text"
        echo "u$n s" >>"$dir/utt2spk"
    done
    for f in wav.scp text utt2spk; do LC_ALL=C sort -o "$dir/$f" "$dir/$f"; done
}
corpus "$T/d" ""
corpus "$T/p" "$T/sil.wav"
printf 'ba B AA\ndi D IY\ngu G UW\n' >"$T/lex"

NET='conv 128 5 2 1;relu 20;layernorm;conv 128 3 1 2;relu 20;layernorm;affine out'
OPTS="--layers '$NET' --lr 0.003 --warmup 0 --decay 1 --no-specaug --threads 1 --quiet"
OPTS="$OPTS --set features.num_mel=20 --batch-frames 4000 --max-batch 2 --seed 3 --patience 0"
# train_exit CODE ARGS...: asr train with the toy options; train ARGS...: expecting success.
train_exit() {
    code=$1
    shift
    eval "expect_exit $code \"\$ASR\" train $OPTS \"\$@\""
}
train() { train_exit 0 "$@"; }

# ---- direct: learns the toy corpus; decode writes Kaldi text ----
train --pipeline direct --train "$T/d" --valid "$T/d" --out "$T/dir" --epochs 30
for f in final.mdl best.mdl checkpoint.mdl log.tsv config; do
    [ -s "$T/dir/$f" ] || fail "direct: $f not written"
done
[ "$(wc -l <"$T/dir/log.tsv")" -eq 31 ] || fail "direct: log.tsv should have a header and 30 epochs"
expect_grep '^layer = conv 128 5 2 1$' "$T/dir/config"
expect_exit 0 "$ASR" decode --model "$T/dir/final.mdl" --out "$T/hyp" --threads 1 "$T/d"
expect_grep '^%WER 0\.00 \[ 0 / 20,' "$T/err"
expect_grep 'RTF [0-9.]+' "$T/err"
cmp -s "$T/hyp" "$T/d/text" || { diff "$T/d/text" "$T/hyp" >&2; fail "direct: hypotheses differ"; }
expect_exit 0 "$ASR" decode --model "$T/dir/final.mdl" --beam 8 --out "$T/hyp8" --threads 1 "$T/d"
cmp -s "$T/hyp8" "$T/d/text" || fail "direct: beam search hypotheses differ"

# ---- staged: phones through the lexicon, words through lexicon + LM ----
train_exit 1 --pipeline staged --train "$T/p" --valid "$T/p" --out "$T/bad" \
    --lexicon /dev/null --epochs 1
expect_grep 'u1' "$T/err"
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
