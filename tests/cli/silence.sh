#!/bin/sh
# silence.sh — a recording with long silence around its words, or long
# pauses between them, is recognised as the words alone are. Asterisk's digit prompts 0-9 (one real voice,
# Debian package asterisk-core-sounds-en-wav) with 1.5 s of digital silence
# before and after each: before the recognizer cut recordings to their
# speech (signal/endpoint.h endpoint_quiet_cuts), the shipped default gave 3
# of the 10 right (the rest empty) and the staged model 8. Each path that
# reads whole recordings is checked: audio files (asr decode FILE...), a
# data directory (asr decode DIR) and asr eval, which recognises one
# recording at a time (recognizer/system.h); word times stay the
# recording's (the words start after the added silence); --no-trim gives
# the recording whole, silence and all. Skipped (77) without the package.
. "${srcdir:-.}/tests/cli/lib.sh"
MIN_RIGHT=9
models=$(cd "${srcdir:-.}/models" 2>/dev/null && pwd)
prompts=/usr/share/asterisk/sounds/en/digits
[ -f "$prompts/0.wav" ] || { echo "no $prompts (Debian package asterisk-core-sounds-en-wav): skipped"; exit 77; }
command -v sox >/dev/null || { echo "no sox: skipped"; exit 77; }
unset ASR_MODEL_PATH
words="zero one two three four five six seven eight nine"
mkdir "$T/dir" "$T/d"
set --
d=0
for w in $words; do
    sox -R -V1 "$prompts/$d.wav" "$T/d/$d.wav" pad 1.5 1.5 || fail "sox could not pad $d.wav"
    echo "d$d $T/d/$d.wav" >>"$T/dir/wav.scp"
    echo "d$d $w" >>"$T/dir/text"
    echo "d$d asterisk" >>"$T/dir/utt2spk"
    set -- "$@" "$T/d/$d.wav"
    d=$((d + 1))
done
printf '%s\n' $words >"$T/ref"
# right FILE: how many lines of FILE (PATH<TAB>words) are the digit of $T/ref.
right() { cut -f2 "$1" | paste -d'|' "$T/ref" - | awk -F'|' '$1 == $2' | wc -l; }

for m in digits digits-staged; do
    expect_exit 0 "$ASR" decode --threads 1 --model "$models/$m.mdl" "$@"
    n=$(right "$T/out")
    echo "$m: $n of 10 prompts with 1.5 s of silence around them right"
    [ "$n" -ge "$MIN_RIGHT" ] || { paste "$T/ref" "$T/out" >&2; fail "$m: $n of 10 right, below $MIN_RIGHT"; }
done

# Word times are the recording's: every word starts after the 1.5 s of
# silence added before it and ends before the 1.5 s after it.
expect_exit 0 "$ASR" decode --threads 1 --format json "$@"
jq -e -s 'all(.[]; (.words | length) == 1 and .words[0].start >= 1.4)' "$T/out" >/dev/null ||
    { cat "$T/out" >&2; fail "word times are not the recording's (a word starts before the added silence ends)"; }
for d in 0 1 2 3 4 5 6 7 8 9; do
    dur=$(soxi -D "$T/d/$d.wav")
    jq -e -s --arg f "$T/d/$d.wav" --argjson dur "$dur" \
        'map(select(.utt == $f))[0].words[0].end <= $dur - 1.4' "$T/out" >/dev/null || fail "$d.wav: its word ends within the silence added after it"
done

# The same recordings as a data directory, and through asr eval.
expect_exit 0 "$ASR" decode --threads 1 "$T/dir"
expect_grep '%WER ([0-9]|10)\.00 ' "$T/err"
mkdir "$T/ev" && ln -s "$T/dir" "$T/ev/test"
expect_exit 0 "$ASR" eval --threads 1 --model "$models/digits.mdl" --data "$T/ev" --splits test --out "$T/report"
# (a number, checked as one: null <= 10 would pass in jq)
jq -e '.models[0].splits[] | select(.name == "test") | .wer | type == "number" and . <= 10' \
    "$T/report/report.json" >/dev/null ||
    fail "asr eval: WER above 10% on the prompts with silence: $(jq -c '.models[0].splits' "$T/report/report.json")"

# --no-trim recognises the recordings whole: the silence is heard again.
expect_exit 0 "$ASR" decode --threads 1 --no-trim "$@"
n=$(right "$T/out")
[ "$n" -lt "$MIN_RIGHT" ] || fail "--no-trim: $n of 10 right, as with the silence cut: was it cut?"

# Long pauses between the digits of a string: 20 strings of 3-5 FSDD digits
# (its four speakers, whom the shipped models heard) joined by 1.5 s of
# -60 dBFS pink noise, with 0.5 s of it before and after as a recording
# has. Each pause is shortened to 300 ms, the longest the training strings
# have: 1 word of 79 wrong, where recognised whole 13 were (and before
# pauses were cut, with the edges alone cut, 9 of the strings without the
# 0.5 s).
# Skipped without FSDD (../shared/data/fsdd).
[ -f "$FSDD/0_george_0.wav" ] || { echo "no FSDD at $FSDD: the pauses skipped"; exit 0; }
mkdir "$T/gaps"
sox -R -V1 -n -r 8000 -c 1 -b 16 "$T/gaps/gap.wav" synth 1.5 pinknoise gain -60 || fail "sox"
sox -R -V1 -n -r 8000 -c 1 -b 16 "$T/gaps/edge.wav" synth 0.5 pinknoise gain -60 || fail "sox"
for u in $(seq 0 19); do
    s=$(echo george jackson lucas yweweler | cut -d' ' -f$((u % 4 + 1)))
    n=$((3 + u % 3)) args='' said=''
    for j in $(seq 0 $((n - 1))); do
        d=$(((u * 3 + j * 7) % 10))
        args="$args $FSDD/${d}_${s}_$(((u + j * 11) % 50)).wav"
        [ "$j" -lt $((n - 1)) ] && args="$args $T/gaps/gap.wav"
        said="$said $(echo "$words" | cut -d' ' -f$((d + 1)))"
    done
    id=$(printf 's%02d' "$u")
    # shellcheck disable=SC2086 # the files are split on purpose
    sox -R -V1 "$T/gaps/edge.wav" $args "$T/gaps/edge.wav" "$T/gaps/$id.wav" || fail "sox could not join $args"
    echo "$id $T/gaps/$id.wav" >>"$T/gaps/wav.scp"
    echo "$id$said" >>"$T/gaps/text"
done
expect_exit 0 "$ASR" decode --threads 1 --format json --out "$T/gaps.json" "$T/gaps"
errs=$(sed -n 's/.*%WER [0-9.]* \[ \([0-9]*\) \/ 79,.*/\1/p' "$T/err")
echo "20 strings with 1.5 s pauses: $errs of 79 words wrong"
[ -n "$errs" ] && [ "$errs" -le 2 ] || { cat "$T/err" >&2; fail "strings with long pauses: ${errs:-?} of 79 words wrong, above 2"; }
# Times are the recording's: the second word of each string starts after
# the first word and the 1.5 s pause (less what of them the times miss).
jq -e -s 'all(.[]; (.words | length) < 2 or .words[1].start >= .words[0].end + 1.2)' "$T/gaps.json" >/dev/null ||
    fail "word times after a shortened pause are not the recording's"
expect_exit 0 "$ASR" decode --threads 1 --no-trim "$T/gaps"
expect_grep '%WER [0-9.]+ \[ ([5-9]|[1-9][0-9]) / 79,' "$T/err"
exit 0
