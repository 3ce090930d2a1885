# shellcheck shell=bash disable=SC2034
# lib.sh — the helpers every shell script of eval/ and data/recipes/ shares
# (sourced, not run; data/recipes/common.sh and eval/experiments/common.sh
# source it for their scripts).
#
# Provides: $REPO (the repository root), $ASR (the asr binary: $ASR if set,
# else asr in the repository root, else, installed, asr on the PATH), $PROG (the script's name, for messages);
# say, die and usage_error (messages on stderr; exit 1 for a failure, 2 for
# bad usage), need_value and need_uint (option checks), need_tool (names the
# Debian package to install) and need_asr; and readers of asr's results:
#   report_wers, wer_of   WER from report.json (`asr eval|compare --out DIR`)
#   score_wer, wer_line   WER from `asr score --json`
#   decode_wer            decode a data dir, then score_wer
# train_with_lexicon (asr train, --lexicon only to the pipelines that read one),
# and AWK_RNG, the one seeded random generator of every awk program.
# Results are read from asr's JSON with jq (Debian package jq), never from
# report.md or asr's progress lines: those are laid out for people and may
# change. A script that reads them checks `need_tool jq jq` before its long
# work starts.
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ASR=${ASR:-$REPO/asr}
# Installed (under $(pkgdatadir), no build around it): the asr on the PATH.
if [ ! -x "$ASR" ] && [ ! -f "$REPO/configure.ac" ] && command -v asr >/dev/null 2>&1; then
    ASR=$(command -v asr)
fi
PROG=$(basename "$0" .sh)

say() { echo "$PROG: $*" >&2; }
die() {
    echo "$PROG: error: $*" >&2
    exit 1
}
usage_error() {
    echo "$PROG: $*" >&2
    echo "Try '$0 --help'." >&2
    exit 2
}

# need_value OPTION ARGC: an option that takes a value must have one.
need_value() { [ "$2" -ge 2 ] || usage_error "option $1 needs a value"; }
# need_uint OPTION VALUE: VALUE must be a non-negative integer.
need_uint() { [[ $2 =~ ^[0-9]+$ ]] || usage_error "option $1 wants a non-negative integer, got '$2'"; }

# need_tool COMMAND DEBIAN-PACKAGE
need_tool() {
    command -v "$1" >/dev/null 2>&1 ||
        die "'$1' not found: install the Debian package $2 (sudo apt-get install $2)"
}

# need_asr [SUBCOMMAND...]: the asr binary must exist (and know SUBCOMMAND).
# shellcheck disable=SC2120 # the subcommand is optional
need_asr() {
    [ -x "$ASR" ] || die "asr binary not found at '$ASR': build it (make) or set \$ASR"
    [ $# -eq 0 ] || "$ASR" "$@" --help >/dev/null 2>&1 ||
        die "'asr $*' is not available in $ASR (build a newer asr)"
}

# ---- results ----

# fmt_rate: the last field of every line of stdin, a rate, to two decimals,
# as asr prints rates ("12.50"; jq would print 12.5); "inf" stays.
fmt_rate() { awk '{ if ($NF != "inf") $NF = sprintf("%.2f", $NF); print }'; }

# The WER of a split object of report.json, recomputed from its counts: the
# "wer" field is rounded to 6 significant digits, and rounding that again to
# two decimals could differ in the last digit from report.md. 100 * E / N in
# doubles is what asr computes (metrics_rate), "inf" for N = 0 < E.
# shellcheck disable=SC2016 # $e is jq's
JQ_WER='def wer: (.sub + .del + .ins) as $e
    | if .words > 0 then 100 * $e / .words elif $e > 0 then "inf" else 0 end;'

# report_wers REPORT_JSON [SPLIT...]: lines "MODEL SPLIT WER" (WER in percent,
# two decimals), models and splits in the report's order; only the SPLITs
# given, if any.
report_wers() {
    local report=$1
    shift
    jq -r --arg only "$*" "$JQ_WER"'
        ($only | split(" ")) as $keep
        | .models[] | .name as $m | .splits[]
        | select(($keep | length) == 0 or (.name | IN($keep[])))
        | "\($m) \(.name) \(wer)"' "$report" | fmt_rate
}

# wer_of REPORT_JSON MODEL SPLIT: that model's WER on that split (two
# decimals); fails when the report has no such model or split.
wer_of() {
    jq -er --arg m "$2" --arg s "$3" "$JQ_WER"'
        .models[] | select(.name == $m) | .splits[] | select(.name == $s) | wer' "$1" | fmt_rate
}

# score_wer REF HYP: the WER of the transcripts HYP against REF (two decimals),
# the number `asr score` prints on its %WER line.
score_wer() { "$ASR" score --json "$1" "$2" | jq -r '.wer // "inf"' | fmt_rate; }

# wer_line: from an `asr score --json` object on stdin, the line `asr score`
# prints, "%WER 24.93 [ 187 / 750, 12 ins, 40 del, 135 sub ]".
wer_line() {
    jq -r '[.words.sub + .words.del + .words.ins, .words.ref, .words.ins, .words.del, .words.sub,
            .wer // "inf"] | join(" ")' | fmt_rate |
        awk '{ printf "%%WER %s [ %d / %d, %d ins, %d del, %d sub ]\n", $6, $1, $2, $3, $4, $5 }'
}

# decode_wer HYP MODEL DATA_DIR [DECODE_OPTION...]: decode DATA_DIR into the
# file HYP and print HYP's WER against DATA_DIR/text (score_wer). The
# decoder's progress lines are shown only when it fails.
decode_wer() {
    local hyp=$1 model=$2 data=$3 log
    shift 3
    log=$("$ASR" decode --model "$model" --out "$hyp" "$@" "$data" 2>&1) ||
        { printf '%s\n' "$log" >&2; die "asr decode of $data with $model failed"; }
    score_wer "$data/text" "$hyp"
}

# fsdd_split TMP: the FSDD recordings (../shared/data/fsdd) as data dirs
# TMP/split/train and TMP/split/valid (90/10 by utterance, seed 1), the
# benchmarks' default data; dies naming what to give without FSDD.
fsdd_split() {
    local fsdd=$REPO/../shared/data/fsdd
    [ -d "$fsdd" ] || die "give TRAIN_DIR VALID_DIR (no FSDD at $fsdd)"
    bash "$REPO/data/recipes/fsdd.sh" "$fsdd" "$1/fsdd" >/dev/null 2>&1
    "$ASR" data split --by utterance --fractions 0.9,0.1 --names train,valid --seed 1 \
        "$1/fsdd" "$1/split" >/dev/null 2>&1
}

# train_with_lexicon PIPELINE LEXICON ARGS...: asr train --pipeline PIPELINE
# ARGS..., with --lexicon LEXICON for the pipelines that read one (staged,
# multitask); the direct pipeline spells its words and refuses a lexicon.
train_with_lexicon() {
    local p=$1 lex=$2
    shift 2
    [ "$p" = direct ] || set -- --lexicon "$lex" "$@"
    "$ASR" train --pipeline "$p" "$@"
}

# bench_data NAME: what a training benchmark runs on. Sets tmp (a private
# directory, removed at exit), train and valid (FSDD's split unless given;
# valid defaults to train) and extra (for staged and multitask, --lexicon:
# TRAIN's parent's lexicon.txt, or one built from CMUdict for the words of
# TRAIN's text), from the caller's train, valid and pipeline.
bench_data() {
    tmp=$(mktemp -d "/tmp/$1-XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    if [ -z "$train" ]; then
        fsdd_split "$tmp"
        train=$tmp/split/train valid=$tmp/split/valid
    fi
    [ -n "$valid" ] || valid=$train
    extra=()
    [ "$pipeline" != direct ] || return 0
    local lex=$(dirname "$train")/lexicon.txt
    if [ ! -f "$lex" ]; then
        lex=$tmp/lexicon.txt
        cut -d' ' -f2- "$train/text" | tr ' ' '\n' | sort -u | grep . >"$tmp/words"
        "$ASR" lexicon build "$tmp/words" "$lex" 2>/dev/null || die "asr lexicon build failed"
    fi
    extra=(--lexicon "$lex")
}

# AWK_RNG: Park–Miller "minimal standard" generator (x <- 16807 x mod 2^31-1).
# Every product stays below 2^53, so it is exact in awk's doubles and gives the
# same sequence under mawk, gawk and busybox awk (their own rand() differ).
#   rng_seed(n)       seed from any integer (0 allowed)
#   rng_uniform()     uniform in (0, 1)
#   rng_int(lo, hi)   uniform integer in [lo, hi]
AWK_RNG='
function rng_seed(n) { RNG_X = (n % 2147483646) + 1; rng_uniform(); rng_uniform() }
function rng_uniform() { RNG_X = (RNG_X * 16807) % 2147483647; return RNG_X / 2147483647 }
function rng_int(lo, hi) { return lo + int(rng_uniform() * (hi - lo + 1)) }
'
