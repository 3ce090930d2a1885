# lib.sh — sourced by the CLI integration tests in tests/cli/.
# Provides: $ASR (the built binary), a scratch dir $T removed on exit, and
# assertions that print what went wrong. Exit 77 means "skipped" to automake.
set -u
: "${ASR:?ASR must point at the built asr binary}"
T=$(mktemp -d /tmp/asr-cli-XXXXXX)
trap 'rm -rf "$T"' EXIT
FSDD=${FSDD:-${srcdir:-.}/../shared/data/fsdd}

fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_exit CODE CMD... : run CMD, capture stdout/stderr in $T/out $T/err, check status.
expect_exit() {
  local want=$1; shift
  "$@" >"$T/out" 2>"$T/err"
  local got=$?
  [ "$got" -eq "$want" ] || { cat "$T/out" "$T/err" >&2; fail "'$*' exited $got, expected $want"; }
}
# expect_grep PATTERN FILE : FILE must contain PATTERN (extended regexp).
expect_grep() { grep -Eq -- "$1" "$2" || { cat "$2" >&2; fail "'$1' not found in $2"; }; }
# Under a memory checker (tests/sanitize.sh sets ASAN_OPTIONS, and
# tests/valgrind.sh ASR_TEST_CHECKER) there are no address-space limits
# (AddressSanitizer reserves terabytes for its shadow, valgrind needs room
# too) and time limits are 20 times longer.
CHECKER=${ASR_TEST_CHECKER:-${ASAN_OPTIONS:+asan}}
# no_hang SECONDS CMD...: CMD, killed after SECONDS (exit 137 then).
no_hang() {
    s=$1
    shift
    [ -z "$CHECKER" ] || s=$((s * 20))
    timeout -s KILL "$s" "$@"
}
# limited KB CMD... : CMD with at most KB of address space, killed after 60 s.
# BLAS and OpenMP single-threaded, so that their per-thread buffers (about
# 150 MB on 2 cores, more on more) do not eat the limit.
limited() {
    kb=$1
    shift
    [ -z "$CHECKER" ] || kb=unlimited
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 no_hang 60 \
        sh -c 'ulimit -v "$0" && exec "$@"' "$kb" "$@"
}

# ---- a toy recognition task, shared by the tests that train models ----
# toy_corpora: two toy corpora of the words ba, di, gu, each two chords in a
# row (one per letter and per phone: b/B, a/AA, ...), utterances of 1-3 words
# with 0.1 s of faint noise around them: $T/d speaks the words without pauses
# (the direct pipeline must find the spaces at the chord changes), $T/p with
# 0.1 s pauses (for the staged pipeline's phones); $T/lex is their lexicon.
toy_word() { # toy_word NAME F1 F2 F3 F4
    sox -R -n -r 8000 -b 16 "$T/$1.wav" synth 0.15 sine "$2" sine "$3" remix - gain -6 : \
        synth 0.2 sine "$4" sine "$5" remix - gain -6 2>/dev/null || fail "sox missing"
}
toy_corpus() { # toy_corpus DIR PAUSE: PAUSE is a file put after every word, or ""
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
toy_corpora() {
    toy_word ba 300 1100 700 1300
    toy_word di 500 1900 350 2700
    toy_word gu 800 2600 450 900
    sox -R -n -r 8000 -b 16 "$T/sil.wav" synth 0.1 whitenoise vol 0.001 2>/dev/null
    toy_corpus "$T/d" ""
    toy_corpus "$T/p" "$T/sil.wav"
    printf 'ba B AA\ndi D IY\ngu G UW\n' >"$T/lex"
}
# A small network and options that learn the toy task in a few seconds.
# train_exit CODE ARGS...: asr train with them; train ARGS...: expecting success.
NET='conv 128 5 2 1;relu 20;layernorm;conv 128 3 1 2;relu 20;layernorm;affine out'
OPTS="--layers '$NET' --lr 0.003 --warmup 0 --decay 1 --no-specaug --threads 1 --quiet"
OPTS="$OPTS --set features.num_mel=20 --batch-frames 4000 --max-batch 2 --seed 3 --patience 0"
train_exit() {
    code=$1
    shift
    eval "expect_exit $code \"\$ASR\" train $OPTS \"\$@\""
}
train() { train_exit 0 "$@"; }

# sweep_split DIR FIRST LAST SECONDS: a data dir of utterances DIR_FIRST ..
# DIR_LAST (named after DIR's last part), three "words" a model learns in
# seconds: per-utterance CMVN flattens a steady tone, so each is a sound
# that changes in time (a rising sweep "one", a falling sweep "two", a
# warble "three", by k mod 3), speakers s0 and s1 by k mod 2. SECONDS is
# each one's length, or "vary" for 0.3 to 0.8 s by k. Audio in DIR/../wav.
sweep_split() {
    local dir=$1 s k u w fx len
    s=$(basename "$dir")
    mkdir -p "$dir" "$dir/../wav"
    for k in $(seq "$2" "$3"); do
        u=${s}_$k
        case $((k % 3)) in
        0) w=one fx="sine 300-1200" ;;
        1) w=two fx="sine 1200-300" ;;
        2) w=three fx="sine 600 tremolo 6 90" ;;
        esac
        len=$4
        [ "$len" != vary ] || len=0.$((3 + k % 6))
        sox -R -n -r 8000 -b 16 "$dir/../wav/$u.wav" synth "$len" $fx 2>"$T/err" ||
            { cat "$T/err"; fail "sox"; }
        echo "$u $(cd "$dir/../wav" && pwd)/$u.wav" >>"$dir/wav.scp"
        echo "$u $w" >>"$dir/text"
        echo "$u s$((k % 2))" >>"$dir/utt2spk"
    done
}

# run_cases SCRIPT: every function case_* of SCRIPT, each in a subshell from
# $T (one failure does not hide the others); fails naming those that failed.
run_cases() {
    local failed="" c
    for c in $(grep -o '^case_[a-z_0-9]*' "$1"); do
        ($c) || failed="$failed $c"
        cd "$T" || exit 1
    done
    [ -z "$failed" ] || fail "failed:$failed"
}
