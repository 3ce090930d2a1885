#!/bin/sh
# lexicon.sh — `asr text normalize`, `asr lexicon build` (CMUdict and the
# espeak-ng fallback, when those are installed) and `asr lexicon phones`.
. "${srcdir:-.}/tests/cli/lib.sh"

printf 'u1 Press 1, then #.\nu2 "Goodbye"\n' | "$ASR" text normalize --kaldi >"$T/norm" || fail "normalize failed"
printf 'u1 press one then pound\nu2 goodbye\n' | cmp -s - "$T/norm" || { cat "$T/norm"; fail "normalize output"; }
expect_exit 2 "$ASR" text
expect_exit 2 "$ASR" lexicon
expect_exit 0 "$ASR" lexicon --help

# phones: every unknown word named with its line, nothing written.
printf 'one W AH N\noh OW\nzero Z IH R OW\nzero(2) Z IY R OW\n' >"$T/lex"
printf 'a one oh\nb zero\n' >"$T/text"
expect_exit 0 "$ASR" lexicon phones "$T/lex" "$T/text" "$T/phones"
printf 'a W AH N OW\nb Z IH R OW\n' | cmp -s - "$T/phones" || { cat "$T/phones"; fail "phones output"; }
printf 'a one blorp\nb zorp oh\n' >"$T/text2"
expect_exit 1 "$ASR" lexicon phones "$T/lex" "$T/text2" "$T/phones2"
expect_grep "text2:1: 'a': unknown word 'blorp'" "$T/err"
expect_grep "text2:2: 'b': unknown word 'zorp'" "$T/err"
[ ! -e "$T/phones2" ] || fail "phones2 written despite unknown words"

DICT=/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict
if [ -f "$DICT" ] && command -v espeak-ng >/dev/null; then
    printf 'zero\nasteriskish\noh\n' >"$T/words"
    expect_exit 0 "$ASR" lexicon build "$T/words" "$T/built"
    expect_grep '^zero Z IH R OW$' "$T/built"
    expect_grep '^zero\(2\) Z IY R OW$' "$T/built"
    expect_grep '^fallback: asteriskish ' "$T/err"
    expect_grep '^asteriskish AE S T ER' "$T/built"
    expect_exit 1 "$ASR" lexicon build --no-fallback "$T/words" "$T/built2"
    expect_grep "'asteriskish' is not in" "$T/err"
else
    echo "CMUdict or espeak-ng missing: lexicon build not tested"
fi
exit 0
