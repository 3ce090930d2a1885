#!/bin/sh
# noise.sh — `asr noise` end to end: every type writes a valid data dir with
# noise_info; bad arguments are refused (exit 2 or 1) and write nothing; an
# existing output needs --force.
. "${srcdir:-.}/tests/cli/lib.sh"

expect_exit 0 "$ASR" noise --help
expect_grep '^usage: asr noise' "$T/out"
expect_exit 2 "$ASR" noise
mkdir -p "$T/d"
for u in a b c d; do
    sox -R -n -r 16000 -b 16 "$T/$u.wav" synth 0.8 sine $((200 + 100 * ${#u})) tremolo 4 90 2>/dev/null || fail "sox missing"
    echo "$u $T/$u.wav" >>"$T/d/wav.scp"; echo "$u one two" >>"$T/d/text"; echo "$u s" >>"$T/d/utt2spk"
done
sox -R -n -r 8000 -b 16 "$T/nz.wav" synth 2 pinknoise 2>/dev/null
expect_exit 0 "$ASR" noise --type file --noise-files "$T/nz.wav" --snr 5:10 --seed 3 "$T/d" "$T/o1"
expect_grep '4 utterances' "$T/err"
expect_exit 0 "$ASR" data validate --check-audio "$T/o1"
[ "$(wc -l <"$T/o1/noise_info")" -eq 4 ] || fail "noise_info should have 4 lines"
awk '$4 < 5 || $4 > 10 { exit 1 }' "$T/o1/noise_info" || fail "an SNR outside 5:10"
for t in white pink brown; do expect_exit 0 "$ASR" noise --type $t --snr 0:0 "$T/d" "$T/o-$t"; done
expect_exit 0 "$ASR" noise --type babble --babble-talkers 2 --suffix -bab "$T/d" "$T/o-bab"
expect_grep '^a-bab babble:' "$T/o-bab/noise_info"
expect_exit 0 "$ASR" noise --type reverb --rt60 0.5 "$T/d" "$T/o-rev"
expect_grep '^a rt60:0.5 - ' "$T/o-rev/noise_info"

# Bad arguments: named, nothing written.
expect_exit 2 "$ASR" noise --type file --snr 10:0 --noise-files "$T/nz.wav" "$T/d" "$T/bad"
expect_grep 'inverted' "$T/err"
expect_exit 1 "$ASR" noise --type file --noise-files "$T/none.wav" "$T/d" "$T/bad"
expect_grep 'none.wav' "$T/err"
expect_exit 2 "$ASR" noise --type rain "$T/d" "$T/bad"
[ ! -e "$T/bad" ] || fail "a refused run wrote $T/bad"
# An existing output: refused, untouched; replaced with --force.
cp "$T/o1/noise_info" "$T/keep"
expect_exit 1 "$ASR" noise --type white "$T/d" "$T/o1"
expect_grep 'force' "$T/err"
cmp -s "$T/keep" "$T/o1/noise_info" || fail "refused run changed the existing output"
expect_exit 0 "$ASR" noise --type white --force "$T/d" "$T/o1"
expect_grep '^a white ' "$T/o1/noise_info"
ls "$T" | grep -q 'tmp\.' && fail "temporary directory left behind"
exit 0
