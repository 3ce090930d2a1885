#!/bin/sh
# data.sh — `asr data`: validate (problems as FILE:LINE, exit 1), split by
# speaker, subset, combine; the FSDD recipe end to end when FSDD is present.
. "${srcdir:-.}/tests/cli/lib.sh"

expect_exit 2 "$ASR" data
expect_exit 2 "$ASR" data frobnicate
expect_exit 0 "$ASR" data --help
expect_grep 'validate' "$T/out"

mkdir -p "$T/d"
sox -R -n -r 8000 -b 16 "$T/a.wav" synth 0.3 sine 300 2>/dev/null || fail "sox missing"
for s in A B C D; do for u in 1 2 3; do
    echo "$s-$u $T/a.wav" >>"$T/d/wav.scp"; echo "$s-$u one two" >>"$T/d/text"
    echo "$s-$u $s" >>"$T/d/utt2spk"
done; done
expect_exit 0 "$ASR" data validate --check-audio "$T/d"
expect_grep 'valid: 12 utterances, 4 speakers' "$T/out"

cp -r "$T/d" "$T/bad"
printf 'A-1 %s\nZ-9 /no/such.wav\n' "$T/a.wav" >>"$T/bad/wav.scp"
expect_exit 1 "$ASR" data validate "$T/bad"
expect_grep 'wav.scp:13: duplicate utterance id .A-1.' "$T/out"
expect_grep "wav.scp:14: 'Z-9': audio file /no/such.wav does not exist" "$T/out"

expect_exit 0 "$ASR" data split --fractions 0.5,0.25,0.25 --names train,dev,test --seed 3 "$T/d" "$T/s"
for p in train dev test; do expect_exit 0 "$ASR" data validate "$T/s/$p"; done
[ "$(cut -d' ' -f2 "$T/s/train/utt2spk" | sort -u | wc -l)" -eq 2 ] || fail "train should have 2 speakers"
cat "$T/s/train/utt2spk" "$T/s/dev/utt2spk" "$T/s/test/utt2spk" | cut -d' ' -f2 | sort -u | wc -l | grep -qx 4 ||
    fail "split lost a speaker"
expect_exit 2 "$ASR" data split --fractions 0.5,0.5 "$T/d" "$T/s2"
# Four speakers into the default four parts (0.8, 0.05, 0.1, 0.05) left
# train_dev and test empty, with exit 0 (issue 26): refused, naming the part,
# and nothing written; a part of fraction 0 may be empty.
expect_exit 1 "$ASR" data split "$T/d" "$T/s3"
expect_grep "^asr data: split: train_dev would be empty: 4 speakers cannot fill 4 parts by speaker with these fractions \(train 0.8: 3, train_dev 0.05: 0, dev 0.1: 1, test 0.05: 0\); give more speakers, --by utterance, fewer parts, or train_dev a fraction of 0$" "$T/err"
[ ! -e "$T/s3" ] || fail "a refused split wrote $T/s3"
expect_exit 0 "$ASR" data split --fractions 0.8,0,0.2,0 "$T/d" "$T/s3"
expect_grep '^.*/s3/train_dev: 0 utterances, 0 speakers$' "$T/out"

printf 'B\nD\n' >"$T/spk"
expect_exit 0 "$ASR" data subset --speakers "$T/spk" "$T/d" "$T/sub"
[ "$(wc -l <"$T/sub/text")" -eq 6 ] || fail "subset should keep 6 utterances"
printf 'Q\n' >"$T/spk2"
expect_exit 1 "$ASR" data subset --speakers "$T/spk2" "$T/d" "$T/sub2"
expect_grep "speaker 'Q' is not in" "$T/err"

expect_exit 0 "$ASR" data combine "$T/comb" "$T/s/train" "$T/s/dev" "$T/s/test"
cmp -s "$T/comb/text" "$T/d/text" || fail "combine of the split parts differs from the original"
expect_exit 1 "$ASR" data combine "$T/comb2" "$T/d" "$T/s/dev"
expect_grep "duplicate utterance id" "$T/err"

# A spk2utt must agree with utt2spk (it was not read at all): A-1 under B,
# A-2 twice, A-3 missing, Z-9 unknown, each named spk2utt:LINE (or
# utt2spk:LINE for the missing one); the one split writes agrees.
cp -r "$T/d" "$T/s2u"
printf 'A A-2 A-2\nB A-1 B-1 B-2 B-3\nC C-1 C-2 C-3 Z-9\nD D-1 D-2 D-3\n' >"$T/s2u/spk2utt"
expect_exit 1 "$ASR" data validate "$T/s2u"
expect_grep "s2u/spk2utt:1: 'A-2' is listed again \(first at line 1\)" "$T/out"
expect_grep "s2u/spk2utt:2: 'A-1' is under speaker 'B', but utt2spk:1 says 'A'" "$T/out"
expect_grep "s2u/spk2utt:3: 'Z-9' is not in utt2spk" "$T/out"
expect_grep "s2u/utt2spk:3: 'A-3' \(speaker 'A'\) is missing from spk2utt" "$T/out"
expect_grep 's2u: 4 problems' "$T/out"
expect_exit 1 "$ASR" data subset --first 2 "$T/s2u" "$T/s2u-2"
expect_grep "s2u/spk2utt:1: 'A-2' is listed again" "$T/err"
expect_exit 0 "$ASR" data validate "$T/s/train"
[ -s "$T/s/train/spk2utt" ] || fail "split wrote no spk2utt"

# Kaldi's piped wav.scp entries are refused, named, and never run.
mkdir -p "$T/pipe"
echo "A-1 touch $T/pwned |" >"$T/pipe/wav.scp"
echo "A-1 one" >"$T/pipe/text"
echo "A-1 A" >"$T/pipe/utt2spk"
expect_exit 1 "$ASR" data validate "$T/pipe"
expect_grep "wav.scp:1: 'A-1': piped commands are not run" "$T/out"
expect_exit 1 "$ASR" decode --model /nonexistent.mdl "$T/pipe"
[ ! -e "$T/pwned" ] || fail "a piped wav.scp entry was run"

# Text at the door: a byte that is not UTF-8 (a Latin-1 'e acute'), ESC
# in a speaker, C1's CSI in a transcript and DEL in an id are refused
# naming FILE:LINE (they passed, made report.json invalid UTF-8 and reached
# the terminal); a path in wav.scp may hold any bytes but control ones.
mkdir -p "$T/txt"
for u in A-1 A-2 A-3 A-4; do echo "$u $T/a.wav" >>"$T/txt/wav.scp"; done
printf 'A-1 caf\351\nA-2 two\nA-3 \302\233two\nA-4 four\n' >"$T/txt/text"
printf 'A-1 A\nA-2 A\033]0;x\007\nA-3 A\nA-4\177 A\n' >"$T/txt/utt2spk"
expect_exit 1 "$ASR" data validate "$T/txt"
expect_grep 'txt/text:1: byte 8 \(0xe9\) is not UTF-8' "$T/out"
expect_grep 'txt/utt2spk:2: byte 6 is the control character U\+001B' "$T/out"
expect_grep 'txt/text:3: byte 5 is the control character U\+009B' "$T/out"
expect_grep 'txt/utt2spk:4: byte 4 is the control character U\+007F' "$T/out"
cp "$T/a.wav" "$T/caf$(printf '\351').wav"
printf 'A-1 %s\n' "$T/caf$(printf '\351').wav" >"$T/txt/wav.scp"
printf 'A-1 one\n' >"$T/txt/text"
printf 'A-1 A\n' >"$T/txt/utt2spk"
expect_exit 0 "$ASR" data validate --check-audio "$T/txt"
printf 'A-1 %s/a\033.wav\n' "$T" >"$T/txt/wav.scp"
expect_exit 1 "$ASR" data validate "$T/txt"
expect_grep 'txt/wav.scp:1: byte [0-9]+ is the control character U\+001B' "$T/out"

# segments: utterances as spans of recordings; validate --check-audio reads
# each span (one past the end of its recording is a problem), subset and
# combine keep the segments and write each recording once.
mkdir -p "$T/sg"
sox -R -n -r 8000 -b 16 "$T/long.wav" synth 1.0 sine 300 2>/dev/null
printf 'r1 %s\nr2 %s\n' "$T/long.wav" "$T/a.wav" >"$T/sg/wav.scp"
printf 'A-1 r1 0 0.4\nA-2 r1 0.4 -1\nB-1 r2 0 0.2\n' >"$T/sg/segments"
printf 'A-1 one\nA-2 two\nB-1 three\n' >"$T/sg/text"
printf 'A-1 A\nA-2 A\nB-1 B\n' >"$T/sg/utt2spk"
expect_exit 0 "$ASR" data validate --check-audio "$T/sg"
expect_grep 'valid: 3 utterances, 2 speakers' "$T/out"
printf 'A\n' >"$T/spkA"
expect_exit 0 "$ASR" data subset --speakers "$T/spkA" "$T/sg" "$T/sgA"
[ "$(cat "$T/sgA/segments")" = "$(printf 'A-1 r1 0 0.4\nA-2 r1 0.4 -1')" ] || fail "subset lost the segments"
[ "$(cat "$T/sgA/wav.scp")" = "r1 $T/long.wav" ] || fail "subset: wav.scp is not the one recording"
[ "$(cat "$T/sgA/spk2utt")" = "A A-1 A-2" ] || fail "subset: spk2utt"
expect_exit 0 "$ASR" data combine "$T/sgC" "$T/sgA" "$T/s/dev"
expect_exit 0 "$ASR" data validate --check-audio "$T/sgC"
cp -r "$T/sg" "$T/sgbad"
printf 'A-1 r1 0 0.4\nA-2 r1 0.4 -1\nB-1 r2 0.1 2.5\n' >"$T/sgbad/segments"
expect_exit 1 "$ASR" data validate --check-audio "$T/sgbad"
expect_grep "sgbad/segments:3: 'B-1': .*segment ends at 2.500 s, after the end" "$T/out"
# --check-audio refuses what training and decoding refuse, by the same check:
# a 10 ms segment and a 1-sample file give no 25 ms frame (both passed).
printf 'A-1 r1 0 0.4\nA-2 r1 0.4 0.41\nB-1 r2 0 0.2\n' >"$T/sgbad/segments"
expect_exit 1 "$ASR" data validate --check-audio "$T/sgbad"
expect_grep "sgbad/segments:2: 'A-2': .*long\.wav: 10\.0 ms of audio is shorter than one 25 ms frame" \
    "$T/out"
expect_grep 'sgbad: 1 problem' "$T/out"
expect_exit 1 "$ASR" features "$T/sgbad" "$T/f.ark"
expect_grep 'shorter than one 25 ms frame' "$T/err"
sox -R "$T/a.wav" "$T/one.wav" trim 0 1s
cp -r "$T/d" "$T/onesample"
sed -i "s|^B-2 .*|B-2 $T/one.wav|" "$T/onesample/wav.scp"
expect_exit 1 "$ASR" data validate --check-audio "$T/onesample"
expect_grep "onesample/wav.scp:5: 'B-2': .*one\.wav: 0\.1 ms of audio is shorter than one 25 ms frame" \
    "$T/out"
# Seconds are decimal: strtod read "0x1" as 1.
printf 'A-1 r1 0x1 -1\nA-2 r1 0.4 -1\nB-1 r2 0 inf\n' >"$T/sgbad/segments"
expect_exit 1 "$ASR" data validate "$T/sgbad"
expect_grep "sgbad/segments:1: 'A-1': expected" "$T/out"
expect_grep "sgbad/segments:3: 'B-1': expected" "$T/out"

# The FSDD recipe, when the corpus is on this machine.
if [ -d "$FSDD" ]; then
    expect_exit 0 bash "${srcdir:-.}/data/recipes/fsdd.sh" "$FSDD" "$T/fsdd"
    expect_grep 'valid: 2000 utterances, [0-9]+ speakers' "$T/err"
fi
exit 0
