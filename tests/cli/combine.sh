#!/bin/sh
# combine.sh — `asr decode --combine`: the shipped staged and direct models
# decode the same recordings and each keeps the words of the model more
# confident in them (recognizer/combine.h); `--pad-view`: a model decodes
# each recording again with quiet around it, one more system. The recordings: Asterisk's digit
# prompts (Debian package asterisk-core-sounds-en-wav), the same in white
# noise and 1.5 times faster (sox -R: the same bytes every run), where the
# two models disagree on some both ways. Skipped (77) without the package.
. "${srcdir:-.}/tests/cli/lib.sh"
models=$(cd "${srcdir:-.}/models" 2>/dev/null && pwd)
prompts=/usr/share/asterisk/sounds/en/digits
[ -f "$prompts/0.wav" ] || { echo "no $prompts (Debian package asterisk-core-sounds-en-wav): skipped"; exit 77; }
sox -R -n -r 8000 -c 1 -b 16 "$T/noise.wav" synth 1 whitenoise 2>/dev/null || fail "sox failed"
set --
for d in 0 1 2 3 4 5 6 7 8 9; do
    sox -R -m -v 1 "$prompts/$d.wav" -v 0.15 "$T/noise.wav" "$T/noisy$d.wav" 2>/dev/null &&
        sox -R "$prompts/$d.wav" "$T/fast$d.wav" speed 1.5 2>/dev/null || fail "sox failed"
    set -- "$@" "$prompts/$d.wav" "$T/noisy$d.wav" "$T/fast$d.wav"
done
S=$models/digits-staged.mdl D=$models/digits-direct.mdl
for m in staged direct; do
    expect_exit 0 "$ASR" decode --threads 1 --format json --model "$models/digits-$m.mdl" "$@"
    mv "$T/out" "$T/$m.json"
done
expect_exit 0 "$ASR" decode --threads 1 --format json --model "$S" --combine "$D" "$@"
mv "$T/out" "$T/both.json"
# Per recording: the combination's words are those of the more confident
# model, the staged one on a tie (the first given).
jq -r '"\(.text)\t\(.confidence)"' "$T/staged.json" >"$T/s"
jq -r '"\(.text)\t\(.confidence)"' "$T/direct.json" >"$T/d"
jq -r .text "$T/both.json" >"$T/b"
[ "$(wc -l <"$T/b")" -eq 30 ] || fail "30 recordings, $(wc -l <"$T/b") results"
paste "$T/s" "$T/d" | awk -F'\t' '{ print ($4 > $2) ? $3 : $1 }' >"$T/want"
cmp -s "$T/want" "$T/b" || { paste "$T/s" "$T/d" "$T/b" >&2; fail "the combination did not keep the more confident words"; }
# The recordings test something only if the models disagree, each winning
# at least once.
paste "$T/s" "$T/d" | awk -F'\t' '$1 != $3 { w[($4 > $2) ? "direct" : "staged"]++ }
    END { if (!w["direct"] || !w["staged"]) exit 1 }' ||
    { paste "$T/s" "$T/d" >&2; fail "the models never disagree both ways on these recordings"; }
# The confidence and times come along with the words.
paste "$T/s" "$T/d" | awk -F'\t' '{ print ($4 > $2) ? $4 : $2 }' >"$T/wantc"
jq -r .confidence "$T/both.json" | cmp -s "$T/wantc" - || fail "the confidences are not the chosen model's"
# The same on a data directory, scored.
mkdir -p "$T/dir"
i=0
for f in "$@"; do
    i=$((i + 1))
    printf 'u%02d %s\n' "$i" "$f"
done >"$T/dir/wav.scp"
expect_exit 0 "$ASR" decode --threads 1 --model "$S" --combine "$D" --out "$T/hyp" "$T/dir"
awk '{ $1 = ""; sub(/^ /, ""); print }' "$T/hyp" | cmp -s - "$T/b" ||
    fail "a data directory gave other words than the same files"
# Not with what picks phones or adapts.
expect_exit 2 "$ASR" decode --model "$S" --combine "$D" --stage phones "$T/dir"
expect_grep "not with --adapt, --stage phones or --units" "$T/err"

# --pad-view: "four" cut tight to its edges (sox silence: the quiet before
# and after it gone, as in trimmed clips) and recognised whole (--no-trim)
# is "oh" to the shipped TDNN model; with 50 ms of quiet around it, as the
# models heard words in training, "four", and that view is the surer. By
# default the recognizer adds 100 ms of quiet before a word that starts at
# the first sample (signal/endpoint.h ENDPOINT_LEAD_MS): "four" too. Its
# word times are the recording's: with 500 ms of quiet, a time not moved
# back would end past the file.
sox -R -D "$prompts/4.wav" "$T/tight4.wav" norm -1 silence 1 0.005 -40d reverse silence 1 0.005 -40d reverse ||
    fail "sox failed"
tdnn=$models/digits-staged-tdnn.mdl
expect_exit 0 "$ASR" decode --threads 1 --no-trim --model "$tdnn" "$T/tight4.wav"
[ "$(cut -f2 "$T/out")" = oh ] || fail "the tight-cut 4 was '$(cut -f2 "$T/out")' whole, without quiet (the test expects oh)"
expect_exit 0 "$ASR" decode --threads 1 --no-trim --model "$tdnn" --pad-view 50 "$T/tight4.wav"
[ "$(cut -f2 "$T/out")" = four ] || fail "--pad-view 50 gave '$(cut -f2 "$T/out")', not four"
expect_exit 0 "$ASR" decode --threads 1 --model "$tdnn" --format json "$T/tight4.wav"
len=$(soxi -D "$T/tight4.wav")
jq -e --argjson len "$len" '.text == "four" and .words[0].start >= 0 and .words[0].end <= $len' "$T/out" >/dev/null ||
    { cat "$T/out" >&2; fail "the quiet added before the tight-cut 4: not four, or times not the recording's"; }
expect_exit 0 "$ASR" decode --threads 1 --model "$tdnn" --pad-view 500 --format json "$T/tight4.wav"
jq -e --argjson len "$len" '.text == "four" and .words[0].start >= 0 and .words[0].end <= $len' "$T/out" >/dev/null ||
    { cat "$T/out" >&2; fail "--pad-view 500: the word times are not within the $len s recording"; }
expect_exit 2 "$ASR" decode --model "$S" --model "$tdnn" --pad-view 50 "$T/tight4.wav"
expect_grep "not with an ensemble" "$T/err"

# A stored system (asr models --combine, recognizer/system.h): one file that
# decodes as the options it was made with, files and a data directory alike,
# and that asr stream and the library use whole.
expect_exit 0 "$ASR" models --model "$tdnn" --pad-view 50 --combine "$S" --combine "$D" --out "$T/sys.mdl"
expect_exit 0 "$ASR" decode --threads 1 --format json --model "$tdnn" --pad-view 50 --combine "$S" --combine "$D" "$@" "$T/tight4.wav"
mv "$T/out" "$T/flags.json"
expect_exit 0 "$ASR" decode --threads 1 --format json --model "$T/sys.mdl" "$@" "$T/tight4.wav"
cmp -s "$T/out" "$T/flags.json" || { diff "$T/flags.json" "$T/out" >&2; fail "the stored system decodes otherwise than its options"; }
expect_exit 0 "$ASR" decode --threads 1 --model "$tdnn" --pad-view 50 --combine "$S" --combine "$D" --out "$T/hyp.flags" "$T/dir"
expect_exit 0 "$ASR" decode --threads 1 --model "$T/sys.mdl" --out "$T/hyp.sys" "$T/dir"
cmp -s "$T/hyp.flags" "$T/hyp.sys" || fail "the stored system decodes a data directory otherwise than its options"
# The stream: each recording's final results with the stored system are
# those of the same options, and on some recording not the first model's
# alone.
for f in "$@"; do
    for m in "--model $tdnn" "--model $tdnn --pad-view 50 --combine $S --combine $D" "--model $T/sys.mdl"; do
        # shellcheck disable=SC2086 # the options split as written
        expect_exit 0 "$ASR" stream --format json $m --input "$f"
        jq -j 'select(.type == "final") | "\(.words)|\(.confidence)/"' "$T/out"
        printf '\t'
    done
    echo
done >"$T/streamed"
awk -F'\t' '$2 != $3 { bad = 1 } $1 != $2 { differ = 1 } END { exit bad || !differ }' "$T/streamed" ||
    { cat "$T/streamed" >&2; fail "asr stream with the stored system: not its options' results, or no other than one model's"; }
# asr eval recognises with it too: the same errors as asr decode's.
mkdir -p "$T/ev/test"
cp "$T/dir/wav.scp" "$T/ev/test/"
for w in zero one two three four five six seven eight nine; do echo "$w $w $w"; done |
    tr ' ' '\n' | awk '{ printf "u%02d %s\n", NR, $1 }' >"$T/ev/test/text"
awk '{ print $1, "asterisk" }' "$T/ev/test/text" >"$T/ev/test/utt2spk"
expect_exit 0 "$ASR" decode --threads 1 --model "$T/sys.mdl" --stats "$T/dstats.json" --out "$T/hyp.ev" "$T/ev/test"
expect_exit 0 "$ASR" eval --threads 1 --model "$T/sys.mdl" --data "$T/ev" --out "$T/evo"
jq -e --slurpfile d "$T/dstats.json" '.models[0].splits[0] | .sub == $d[0].sub and .del == $d[0].del
    and .ins == $d[0].ins and .words == $d[0].ref' "$T/evo/report.json" >/dev/null ||
    fail "asr eval of the stored system: not asr decode's errors ($(cat "$T/dstats.json"))"
# asr calibrate on a stored system fits the calibration of the words it
# keeps and stores it in the system (recognizer/system.h): the written
# system gives each word sigmoid(a logit(c) + g gap + b + d agreement) of
# the confidence c the system gave it before, the agreement of its members
# ("agreement": every kept word has one) (within 0.01: the JSON prints four
# decimals), the same words, and measured again it
# reports the fit's numbers; the input system is unchanged.
cp "$T/sys.mdl" "$T/sys-before.mdl"
expect_exit 0 "$ASR" calibrate --threads 1 --model "$T/sys.mdl" --data "$T/ev/test" --out "$T/sys-cal.mdl"
mv "$T/out" "$T/fit.json"
cmp -s "$T/sys.mdl" "$T/sys-before.mdl" || fail "calibrate changed its input system"
jq -e '.confidence_scale != null and .confidence_scale != 0 and .right > 0 and .words > .right' \
    "$T/fit.json" >/dev/null || fail "no calibration fitted to the system: $(cat "$T/fit.json")"
expect_exit 0 "$ASR" decode --threads 1 --format json --model "$T/sys.mdl" "$T/ev/test"
mv "$T/out" "$T/raw.json"
expect_exit 0 "$ASR" decode --threads 1 --format json --model "$T/sys-cal.mdl" "$T/ev/test"
jq -e -n --slurpfile f "$T/fit.json" --slurpfile r "$T/raw.json" --slurpfile c "$T/out" '
    $f[0] as $k | def logit: ([[., 0.0001] | max, 0.9999] | min) as $p | ($p / (1 - $p) | log);
    [range(0; $r | length) as $i | ($r[$i].text == $c[$i].text),
     (range(0; $r[$i].words | length) as $w | $r[$i].words[$w] as $x |
      ($x.agreement > 0),
      ((1 / (1 + ((-($k.confidence_scale * ($x.confidence | logit) + $k.confidence_gap_scale * $x.gap
                      + $k.confidence_bias + $k.confidence_agree_scale * $x.agreement)) | exp)))
       - $c[$i].words[$w].confidence | fabs < 0.01))] | all' >/dev/null ||
    fail "the calibrated system's confidences are not the fit applied to the system's"
expect_exit 0 "$ASR" calibrate --threads 1 --model "$T/sys-cal.mdl" --data "$T/ev/test"
jq -e --slurpfile f "$T/fit.json" '.after.ece == $f[0].after.ece and .confidence_bias == $f[0].confidence_bias' \
    "$T/out" >/dev/null || fail "measured again, the stored calibration is not the fit: $(cat "$T/out")"
# With --combine, --set gives only that calibration.
expect_exit 2 "$ASR" models --model "$S" --combine "$D" --set beam=3 --out "$T/x.mdl"
expect_grep "a system's own setting is its calibration only" "$T/err"
# Where one network is needed, or one model of an ensemble, it is refused.
expect_exit 1 "$ASR" models --model "$T/sys.mdl" --set beam=8 --out "$T/x.mdl"
expect_grep "a system of several models stored as one" "$T/err"
expect_exit 1 "$ASR" decode --model "$T/sys.mdl" --model "$S" "$T/tight4.wav"
expect_grep "an ensemble averages single models" "$T/err"
expect_exit 1 "$ASR" models --model "$S" --combine "$T/sys.mdl" --out "$T/x.mdl"
expect_grep "is itself a system" "$T/err"
expect_exit 1 "$ASR" decode --model "$T/sys.mdl" --stage phones "$T/dir"
expect_grep "combines several decodings" "$T/err"
expect_exit 1 "$ASR" stream --adapt --model "$T/sys.mdl" --input "$T/tight4.wav"
expect_grep "adapting a stream needs one model" "$T/err"
[ ! -e "$T/x.mdl" ] || fail "a refused system was written"
echo "combine: ok"
