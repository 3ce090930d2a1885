#!/bin/sh
# word_times.sh — word times and confidences (decode/ctc_times.h) through the
# CLI: toy models of both pipelines decode lib.sh's toy corpora, whose word
# boundaries are known by construction (0.1 s of noise, then the words'
# 0.35 s chords, in $T/p each followed by 0.1 s of noise, in $T/d (the
# direct model's) back to back). `asr decode --format json` gives the words
# of --format text, each timed within its true span (80 ms of slack: CTC's
# spikes say where a symbol is, not where it begins and ends, so a word's
# times may be any part of it), in order, with confidences in [0, 1]; --format ctm is those words as CTM lines; `asr
# stream --format json` gives the same words with times from the stream's
# start. The time shift settings move them as set, also when stored in the
# model by asr models --set.
. "${srcdir:-.}/tests/cli/lib.sh"
command -v jq >/dev/null || { echo "jq missing: skipped"; exit 77; }
toy_corpora
train --pipeline direct --train "$T/d" --valid "$T/d" --out "$T/dir" --epochs 30
train --pipeline staged --train "$T/p" --valid "$T/p" --out "$T/stg" --lexicon "$T/lex" --epochs 30

# truth DIR STEP: "uttid word start end" per word of DIR, words STEP s apart.
truth() {
    awk -v s="$2" '{ for (i = 2; i <= NF; i++)
        printf "%s %s %.3f %.3f\n", $1, $i, 0.1 + s * (i - 2), 0.45 + s * (i - 2) }' "$1/text"
}
# within WHO FILE: FILE's lines "word true_start true_end word start end" have
# the same word twice, timed within the truth widened by 80 ms.
within() {
    awk -v who="$1" '$1 != $4 { print "FAIL: " who ": " $0 ": not the word"; bad = 1 }
        $5 < $2 - 0.08 || $6 > $3 + 0.08 { print "FAIL: " who ": " $0 ": outside its span"; bad = 1 }
        END { exit bad }' "$2" >&2 || fail "$1: word times wrong"
}

for m in dir:d:0.35 stg:p:0.45; do
    d=$T/${m#*:} d=${d%:*} step=${m##*:} m=${m%%:*}
    truth "$d" "$step" >"$T/truth"
    for beam in 1 16; do
        expect_exit 0 "$ASR" decode --model "$T/$m/final.mdl" --beam $beam --threads 1 --out "$T/text" "$d"
        expect_exit 0 "$ASR" decode --model "$T/$m/final.mdl" --beam $beam --threads 1 --format json \
            --out "$T/json" "$d"
        jq -r '"\(.utt) \(.text)"' "$T/json" | sed 's/ $//' | diff "$T/text" - >&2 ||
            fail "$m beam $beam: json text differs from --format text"
        ! jq -e 'select((.words | map(.word) | join(" ")) != .text)' "$T/json" >&2 ||
            fail "$m beam $beam: json words are not its text"
        ! jq -e 'select(.confidence < 0 or .confidence > 1 or
                        (.words | any(.confidence < 0 or .confidence > 1)))' "$T/json" >&2 ||
            fail "$m beam $beam: a confidence outside [0, 1]"
        # Ordered: each word starts before it ends, and not before the one before ended.
        ! jq -e 'select([.words[] | .start, .end] as $t | $t != ($t | sort) or
                        (.words | any(.start >= .end)))' "$T/json" >&2 ||
            fail "$m beam $beam: word times out of order"
        jq -r '.utt as $u | .words[] | "\($u) \(.word) \(.start) \(.end)"' "$T/json" >"$T/times"
        [ "$(wc -l <"$T/times")" = "$(wc -l <"$T/truth")" ] || fail "$m beam $beam: words missing"
        paste -d' ' "$T/truth" "$T/times" | awk '{ print ($1 == $5 ? $2 : "?"), $3, $4, $6, $7, $8 }' \
            >"$T/pairs"
        within "$m beam $beam" "$T/pairs"
    done
    expect_exit 0 "$ASR" decode --model "$T/$m/final.mdl" --threads 1 --format ctm --out "$T/ctm" "$d"
    awk 'NF != 6 || $2 != 1 || $3 !~ /^[0-9]+\.[0-9][0-9]$/ || $4 !~ /^[0-9]+\.[0-9][0-9]$/ ||
         $6 < 0 || $6 > 1 { print "bad CTM line " NR ": " $0; bad = 1 } END { exit bad }' "$T/ctm" >&2 ||
        fail "$m: --format ctm"
    cut -d' ' -f1,2 "$T/truth" >"$T/want"
    cut -d' ' -f1,5 "$T/ctm" | diff "$T/want" - >&2 || fail "$m: CTM words differ"

    # asr stream: utterance u7 after 0.7 s of noise, its words timed from the stream's start.
    sox -R -n -r 8000 -b 16 "$T/gap.wav" synth 0.7 whitenoise vol 0.001 2>/dev/null || fail "sox"
    sox -R "$T/gap.wav" "$(awk '$1 == "u7" { print $2 }' "$d/wav.scp")" "$T/gap.wav" "$T/stream.wav" ||
        fail "sox"
    expect_exit 0 "$ASR" stream --model "$T/$m/final.mdl" --input "$T/stream.wav" --format json --hangover 250
    awk '$1 == "u7" { print $2, $3 + 0.7, $4 + 0.7 }' "$T/truth" >"$T/want"
    jq -r 'select(.type == "final") | .word_times[] | "\(.word) \(.start) \(.end)"' "$T/out" >"$T/got"
    [ "$(wc -l <"$T/got")" = 3 ] || fail "stream ($m): expected 3 timed words"
    paste -d' ' "$T/want" "$T/got" >"$T/pairs"
    within "stream ($m)" "$T/pairs"
    jq -e 'select(.type == "final") | .confidence >= 0 and .confidence <= 1 and
           (.word_times | all(.confidence >= 0 and .confidence <= 1))' "$T/out" >/dev/null ||
        fail "stream ($m): no confidence in [0, 1]"
done
# Time shifts (time_start_shift, time_end_shift: a model's measured bias):
# every start moves by the first (not below 0), every end by the second but
# not into the next word; stored by asr models --set, they decode the same.
expect_exit 0 "$ASR" decode --model "$T/stg/final.mdl" --threads 1 --format json --out "$T/j0" "$T/p"
expect_exit 0 "$ASR" decode --model "$T/stg/final.mdl" --threads 1 --format json --out "$T/j1" \
    --set time_start_shift=-0.05 --set time_end_shift=0.3 "$T/p"
jq -c '[.words[] | [.start, .end]]' "$T/j0" >"$T/t0"
jq -c '[.words[] | [.start, .end]]' "$T/j1" >"$T/t1"
paste -d'|' "$T/t0" "$T/t1" | jq -R -e 'split("|") | map(fromjson) as [$a, $b]
    | [range(0; $a | length)] | all(. as $i
        | ($b[$i][0] - ([$a[$i][0] - 0.05, 0] | max) | fabs) < 0.0015
        and ($b[$i][1] - (if $i + 1 < ($a | length) then [$a[$i][1] + 0.3, $b[$i + 1][0]] | min
                          else $a[$i][1] + 0.3 end) | fabs) < 0.0015)' >/dev/null ||
    { paste "$T/t0" "$T/t1" >&2; fail "time shifts: starts and ends not moved as set"; }
expect_exit 0 "$ASR" models --model "$T/stg/final.mdl" --set time_start_shift=-0.05 \
    --set time_end_shift=0.3 --out "$T/shifted.mdl"
expect_exit 0 "$ASR" decode --model "$T/shifted.mdl" --threads 1 --format json --out "$T/j2" "$T/p"
cmp -s "$T/j1" "$T/j2" || fail "the stored time shifts decode otherwise than --set"
expect_exit 1 "$ASR" models --model "$T/stg/final.mdl" --set time_end_shift=2 --out "$T/bad.mdl"
expect_grep 'time_end_shift = 2: expected a number from -1 to 1' "$T/err"
[ ! -e "$T/bad.mdl" ] || fail "a refused setting left a model"

expect_exit 2 "$ASR" decode --model "$T/stg/final.mdl" --stage phones --format json "$T/p"
expect_grep 'not with --stage phones' "$T/err"
expect_exit 2 "$ASR" decode --model "$T/stg/final.mdl" --format xml "$T/p"
exit 0
