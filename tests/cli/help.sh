#!/usr/bin/env bash
# The dispatcher: help lists every subcommand, unknown ones are usage errors,
# and every subcommand answers --help with exit 0. A usage error is one line
# and where the help is, not the help (issue 26: 25-40 lines buried the
# message), and a misspelt subcommand, pipeline or value gets the closest.
. "$(dirname "$0")/lib.sh"
expect_exit 0 "$ASR" help
for sub in $(awk '/^subcommands:/{f=1;next} f&&!NF{exit} f{print $1}' "$T/out" | grep -v -e '^help$' -e '^--version$'); do
  expect_exit 0 "$ASR" "$sub" --help
  expect_grep "usage: asr $sub" "$T/out"
done
expect_exit 2 "$ASR" no-such-command
expect_grep "unknown subcommand 'no-such-command'" "$T/err"
expect_exit 2 "$ASR"
# --version: the package version configure was given, on stdout.
expect_exit 0 "$ASR" --version
expect_grep '^asr [0-9]+\.[0-9]+\.[0-9]+$' "$T/out"

# try CMD: the help line of CMD ("asr decode").
try() { printf "Try '%s --help' for more information." "$1"; }
u() { # u WANT TRY CMD...: usage_error with the help line of TRY
  want=$1 t=$2
  shift 2
  expect_exit 2 "$ASR" "$@"
  [ ! -s "$T/out" ] || fail "'asr $*': a usage error wrote to standard output"
  printf '%s\n%s\n' "$want" "$(try "$t")" | diff - "$T/err" >&2 ||
    fail "'asr $*': stderr is not the one-line message and the help line above"
}
u "asr: unknown subcommand 'recognize' (did you mean 'asr decode'?)" asr recognize x.wav
u "asr: unknown subcommand 'transcribe' (did you mean 'asr decode'?)" asr transcribe
u "asr: unknown subcommand 'decod' (did you mean 'asr decode'?)" asr decod
u "asr: unknown subcommand 'validate' (did you mean 'asr data validate'?)" asr validate d
u "asr: unknown subcommand 'frobnicate'" asr frobnicate
u "asr: unknown subcommand 'recognize' (did you mean 'asr decode'?)" asr help recognize
u "asr train: unknown pipeline 'stagged' (did you mean 'staged'?)" "asr train" train --pipeline stagged
u "asr train: unknown pipeline 'neural' (expected direct, staged or multitask)" "asr train" \
  train --pipeline=neural
u "asr train: --pipeline is required" "asr train" train --train a --valid b --out c
u "asr train: optimizer = adamm: expected sgd, momentum, rmsprop or adam (did you mean 'adam'?)" \
  "asr train" train --pipeline direct --optimizer adamm
u "asr train: features.kind = mfc: expected fbank or mfcc (did you mean 'mfcc'?)" "asr train" \
  train --pipeline direct --set features.kind=mfc
u "asr train: --finetune lats: expected all or last (did you mean 'last'?)" "asr train" \
  train --pipeline direct --finetune lats
u "asr train: unknown option '--epohcs' (did you mean '--epochs'?)" "asr train" train --epohcs 3
u "asr decode: --stage phone: expected words or phones (did you mean 'phones'?)" "asr decode" \
  decode --stage phone
u "asr decode: --encoding s16: expected s16le or f32le (did you mean 's16le'?)" "asr decode" \
  decode --encoding s16
u "asr decode: a DATA_DIR or audio files are required" "asr decode" decode
u "asr stream: --format jsn: expected text or json (did you mean 'json'?)" "asr stream" \
  stream --format jsn
u "asr features: features.kind = mfc: expected fbank or mfcc (did you mean 'mfcc'?)" \
  "asr features" features --kind mfc
u "asr features: missing OUT.ark (2 operands expected, 1 given)" "asr features" features d
u "asr noise: --type pnik: expected file, white, pink, brown, babble or reverb (did you mean 'pink'?)" \
  "asr noise" noise --type pnik
u "asr score: --level chars: expected word, char or both (did you mean 'char'?)" "asr score" \
  score --level chars
u "asr lm: --method knn: expected kn or wb (did you mean 'kn'?)" "asr lm" lm build --method knn
u "asr lm: unknown lm subcommand 'biuld' (did you mean 'build'?)" "asr lm" lm biuld
u "asr data: unknown data subcommand 'splt' (did you mean 'split'?)" "asr data" data splt
u "asr data: which subcommand? validate, split, subset or combine" "asr data" data
u "asr data: --by speakers: expected utterance or speaker (did you mean 'speaker'?)" "asr data" \
  data split --by speakers a b
u "asr data: missing IN (at least 2 operands expected, 1 given)" "asr data" data combine out
u "asr lexicon: unknown lexicon subcommand 'phone' (did you mean 'phones'?)" "asr lexicon" \
  lexicon phone
u "asr text: unknown text subcommand 'normalise' (did you mean 'normalize'?)" "asr text" \
  text normalise
u "asr eval: unexpected argument 'x'" "asr eval" eval x
u "asr compare: --data, --out and at least one NAME=MODEL are required" "asr compare" compare
echo ok
