#!/bin/sh
# installcheck.sh ASR — the installed asr trains, decodes and evaluates on its
# own (make installcheck; make distcheck runs it): its pipeline defaults are
# compiled in, so nothing is read from the source tree, which this script
# only uses to make a toy corpus (tests/cli/lib.sh) in a scratch directory.
ASR=${1:?usage: installcheck.sh PATH/TO/INSTALLED/asr}
. "${srcdir:-.}/tests/cli/lib.sh"
cd "$T" || exit 1
toy_corpora
train --pipeline direct --train "$T/d" --valid "$T/d" --out "$T/exp" --epochs 3
expect_exit 0 "$ASR" decode --model "$T/exp/final.mdl" --out "$T/hyp" "$T/d"
expect_grep '^%WER ' "$T/err"
mkdir -p "$T/data" && cp -r "$T/d" "$T/data/test"
expect_exit 0 "$ASR" eval --model "$T/exp/final.mdl" --data "$T/data" --splits test --out "$T/ev"
[ -s "$T/ev/report.json" ] || fail "eval wrote no report.json"
echo "installcheck: $ASR trains, decodes and evaluates outside the source tree"
exit 0
