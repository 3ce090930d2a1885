#!/bin/sh
# shipped_models.sh — the shipped digits models (models/*.mdl) recognise real
# speech: Asterisk's recorded digit prompts 0-9 (Debian package
# asterisk-core-sounds-en-wav), each model at least MIN_RIGHT of the 10, and
# `asr decode FILE` with no --model uses the shipped default, the three
# combined (models/digits.mdl, a stored system). The prompts are
# in the models' training data (eval/train-best.sh), so this checks that
# the files work, not their accuracy on new voices (models/README.md).
# Skipped (77) without the package; a shipped model missing from the tree fails.
. "${srcdir:-.}/tests/cli/lib.sh"
MIN_RIGHT=8
models=$(cd "${srcdir:-.}/models" 2>/dev/null && pwd)
prompts=/usr/share/asterisk/sounds/en/digits
[ -f "$prompts/0.wav" ] || { echo "no $prompts (Debian package asterisk-core-sounds-en-wav): skipped"; exit 77; }
for m in digits digits-staged digits-direct digits-staged-tdnn; do
    [ -f "$models/$m.mdl" ] || fail "no models/$m.mdl: the shipped models are part of the tree"
done
set --
for d in 0 1 2 3 4 5 6 7 8 9; do set -- "$@" "$prompts/$d.wav"; done
printf '%s\n' zero one two three four five six seven eight nine >"$T/ref"

# right FILE: how many lines of FILE (PATH<TAB>words) are the digit of $T/ref.
right() { cut -f2 "$1" | paste -d'|' "$T/ref" - | awk -F'|' '$1 == $2' | wc -l; }

unset ASR_MODEL_PATH
for m in digits-staged digits-direct digits-staged-tdnn; do
    expect_exit 0 "$ASR" decode --threads 1 --model "$models/$m.mdl" "$@"
    n=$(right "$T/out")
    echo "$m: $n of 10 Asterisk digit prompts right"
    [ "$n" -ge "$MIN_RIGHT" ] || { paste "$T/ref" "$T/out" >&2; fail "$m: $n of 10 right, below $MIN_RIGHT"; }
    mv "$T/out" "$T/$m.out"
done
# No --model: the default, models/digits.mdl of the source tree: a stored
# system, the three shipped models combined as the README's most accurate
# command combines them (recognizer/system.h), the same words, confidences
# and times.
expect_exit 0 "$ASR" decode --threads 1 --format json "$@"
expect_grep "model digits \(the default\): $models/digits.mdl" "$T/err"
mv "$T/out" "$T/default.json"
expect_exit 0 "$ASR" decode --threads 1 --format json --model "$models/digits-staged.mdl" --pad-view 50 \
    --combine "$models/digits-direct.mdl" --combine "$models/digits-staged-tdnn.mdl" "$@"
cmp -s "$T/out" "$T/default.json" ||
    { diff "$T/out" "$T/default.json" >&2; fail "the default is not the three shipped models combined with a 50 ms padded view"; }
expect_exit 0 "$ASR" models --json
jq -e '[.models[] | select(.name == "digits")][0].pipeline == "combined"' "$T/out" >/dev/null ||
    fail "asr models does not list digits as combined: $(cat "$T/out")"
