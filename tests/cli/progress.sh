#!/bin/sh
# progress.sh — what the commands say on stderr while they work (issue 26):
# progress lines where long work happens, plain lines and never a carriage
# return when stderr is a file; --quiet on every command that prints
# progress or notes silences both (warnings still come through); after
# --force the messages name the final paths, not the .tmp stand-ins.
# ASR_PROGRESS_INTERVAL=0 prints every progress line (cli/messages.h): the
# default, one every 10 s, would make the test depend on the clock.
. "${srcdir:-.}/tests/cli/lib.sh"

toy_corpora
cr=$(printf '\r')
no_cr() { ! grep -q "$cr" "$1" || { cat -A "$1" >&2; fail "$2: a carriage return in a log file"; }; }
quiet() { # quiet CMD...: succeeds with nothing on stderr under --quiet
    expect_exit 0 "$@" --quiet
    [ ! -s "$T/err" ] || { cat "$T/err" >&2; fail "'$*' --quiet printed on stderr"; }
}
no_tmp() { ! grep -n '\.tmp' "$T/err" || fail "$1: a message names the .tmp directory"; }
export ASR_PROGRESS_INTERVAL=0
# A model for decode, eval, compare and stream.
train --pipeline direct --train "$T/d" --valid "$T/d" --out "$T/m" --epochs 2

case_features() { # progress lines in a log, plain
    expect_exit 0 "$ASR" features --threads 2 "$T/d" "$T/f.ark"
    expect_grep '^features: [0-9]+/10 \([0-9]+%\) .* utt/s .*x real time +ETA ' "$T/err"
    expect_grep '^features: 10/10 \(100%\)' "$T/err"
    expect_grep '^asr features: 10 utterances' "$T/err"
    no_cr "$T/err" "asr features"
}
case_interval() { # seconds from 0 to a day; anything else is refused
    ASR_PROGRESS_INTERVAL=soon expect_exit 2 "$ASR" features "$T/d" "$T/f.ark"
    expect_grep 'ASR_PROGRESS_INTERVAL.*soon' "$T/err"
    ASR_PROGRESS_INTERVAL=3600 expect_exit 0 "$ASR" features "$T/d" "$T/f.ark"
    ! grep '^features:' "$T/err" || fail "a progress line before the interval"
}
case_train_force() { # plain lines; after --force the final paths
    OPTS="$(echo "$OPTS" | sed 's/ --quiet//')"
    train --pipeline direct --train "$T/d" --valid "$T/d" --out "$T/e" --epochs 2
    no_cr "$T/err" "asr train"
    train --pipeline direct --train "$T/d" --valid "$T/d" --out "$T/e" --epochs 2 --force
    no_cr "$T/err" "asr train --force"
    expect_grep "^train: wrote $T/e/final.mdl " "$T/err"
    expect_grep "the trials in $T/e/search.tsv\)" "$T/err"
    no_tmp "asr train --force"
    [ -s "$T/e/final.mdl" ] && [ ! -e "$T/e.tmp" ] || fail "asr train --force: $T/e not replaced"
}
case_train_quiet() {
    OPTS="$(echo "$OPTS" | sed 's/ --quiet//')"
    train --pipeline direct --train "$T/d" --valid "$T/d" --out "$T/q" --epochs 2 --quiet
    [ ! -s "$T/err" ] || { cat "$T/err" >&2; fail "asr train --quiet printed on stderr"; }
}
case_noise() {
    expect_exit 0 "$ASR" noise --type white "$T/d" "$T/n"
    expect_grep '^noise: 10/10 \(100%\)' "$T/err"
    no_cr "$T/err" "asr noise"
    expect_exit 0 "$ASR" noise --type white --force "$T/d" "$T/n"
    expect_grep "-> $T/n\$" "$T/err"
    no_tmp "asr noise --force"
}
case_decode() {
    expect_exit 0 "$ASR" decode --model "$T/m/final.mdl" --out "$T/hyp" "$T/d"
    expect_grep '^decode: features: 10/10 \(100%\)' "$T/err"
    expect_grep '^decode: search: 10/10 \(100%\)' "$T/err"
    no_cr "$T/err" "asr decode"
}
case_eval() {
    expect_exit 0 "$ASR" eval --model "$T/m/final.mdl" --name m --data "$T" --splits d
    expect_grep '^eval: m d: 10/10 \(100%\)' "$T/err"
    no_cr "$T/err" "asr eval"
}
# --quiet on each command that prints progress or notes.
case_quiet_features() { quiet "$ASR" features "$T/d" "$T/f.ark"; }
case_quiet_noise() { quiet "$ASR" noise --type white --force "$T/d" "$T/nq"; }
case_quiet_decode() {
    quiet "$ASR" decode --model "$T/m/final.mdl" --out "$T/hq" "$T/d"
    [ -s "$T/hq" ] || fail "asr decode --quiet wrote no hypotheses"
}
case_quiet_eval() {
    quiet "$ASR" eval --model "$T/m/final.mdl" --data "$T" --splits d
    expect_grep 'WER' "$T/out"
    # A warning is not a note: --quiet keeps it.
    expect_exit 0 "$ASR" eval --model "$T/m/final.mdl" --data "$T" --splits d,nosuch --quiet
    expect_grep 'nosuch: no such split' "$T/err"
}
case_quiet_compare() {
    quiet "$ASR" compare --data "$T" --splits d --out "$T/cmp" "m=$T/m/final.mdl"
    [ -s "$T/cmp/report.md" ] || fail "asr compare --quiet wrote no report"
}
case_quiet_stream() { quiet "$ASR" stream --model "$T/m/final.mdl" --input "$T/d/u1.wav"; }
case_quiet_lm() { quiet "$ASR" lm build --out "$T/lm.arpa" "$T/d/text"; }
case_quiet_lexicon() {
    printf 'ba\n' >"$T/words"
    printf 'ba B AA\n' >"$T/dict"
    quiet "$ASR" lexicon build --cmudict "$T/dict" --no-fallback "$T/words" "$T/lexicon.txt"
}
case_quiet_help() { # the same help line everywhere
    for sub in features noise decode stream eval compare train lm lexicon; do
        expect_exit 0 "$ASR" "$sub" --help
        expect_grep '^  --quiet              no progress lines or notes on stderr' "$T/out"
    done
}
run_cases "$0"
echo ok
