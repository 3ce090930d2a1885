#!/usr/bin/env bash
# The corpus recipes, at toy sizes: tts.sh (voices, normalised text, 8 kHz
# audio, seeded draws, idempotent re-run, errors) and digits.sh (splits,
# disjoint voices, FSDD speakers split dev/test, lexicon, phones, lm_text,
# music split) and augment.sh (copies, noise_info, speed, idempotent re-run).
. "$(dirname "$0")/lib.sh"
R=${srcdir:-.}/data/recipes
for tool in espeak-ng flite sox; do
    command -v $tool >/dev/null || { echo "skip: $tool not installed"; exit 77; }
done
# The recipes drive subcommands other modules provide; until those are built
# there is nothing to run them against.
for sub in "text normalize" "data validate"; do
    $ASR $sub --help >/dev/null 2>&1 || { echo "skip: 'asr $sub' not built"; exit 77; }
done
export ASR

# ---- tts.sh ----
printf 'Call 5 now!\n\nThe QUICK brown fox.\nthree one oh\n' >"$T/lines"
V='espeak:en-us+m3:speed=120-200:pitch=20-80,flite:slt'
expect_exit 0 bash "$R/tts.sh" --text "$T/lines" --out "$T/tts" --voices "$V" --rate 8000 --seed 7
expect_grep '6 utterances from 3 sentences x 2 voices \(all\); 0 already done, 6 to synthesise' "$T/err"
[ "$(wc -l <"$T/tts/wav.scp")" -eq 6 ] || fail "tts: expected 6 utterances"
expect_grep '^flite-slt-000001 call five now$' "$T/tts/text"
expect_grep '^espeak-en-us-m3-s120-200-p20-80-000004 three one oh$' "$T/tts/text"
! cut -d' ' -f2- "$T/tts/text" | grep -q "[^a-z' ]" || fail "tts: text has characters outside a-z' and space"
awk '{ exit index($1, $2 "-") != 1 }' "$T/tts/utt2spk" || fail "tts: uttids are not prefixed by the speaker"
[ "$(cut -d' ' -f2 "$T/tts/utt2spk" | sort -u | wc -l)" -eq 2 ] || fail "tts: expected 2 speakers"
cut -d' ' -f2 "$T/tts/wav.scp" | xargs soxi | awk '
    /^Sample Rate/ && $4 != 8000 { bad = 1 } /^Channels/ && $3 != 1 { bad = 1 }
    /^Precision/ && $3 != "16-bit" { bad = 1 } /^Duration/ && $3 == "00:00:00.00" { bad = 1 }
    END { exit bad }' || fail "tts: audio is not 16-bit mono 8 kHz speech"
# speed/pitch drawn per utterance, inside the range, from the seed
awk -F'\t' '$3 == "espeak" && ($5 < 120 || $5 > 200 || $6 < 20 || $6 > 80) { bad = 1 } END { exit bad }' \
    "$T/tts/tts_plan" || fail "tts: espeak speed/pitch outside the requested range"
[ "$(awk -F'\t' '$3 == "espeak" { print $5, $6 }' "$T/tts/tts_plan" | sort -u | wc -l)" -gt 1 ] ||
    fail "tts: speed/pitch are not drawn per utterance"
# idempotent: a re-run synthesises nothing and rewrites no file
touch -d '1 minute ago' "$T/stamp"
find "$T/tts" -type f -exec touch -d '2 minutes ago' {} +
expect_exit 0 bash "$R/tts.sh" --text "$T/lines" --out "$T/tts" --voices "$V" --rate 8000 --seed 7
expect_grep '6 already done, 0 to synthesise' "$T/err"
[ -z "$(find "$T/tts" -type f -newer "$T/stamp")" ] || fail "tts: re-run rewrote $(find "$T/tts" -type f -newer "$T/stamp")"
# another seed changes the espeak draws (re-synthesised) but not flite's audio
expect_exit 0 bash "$R/tts.sh" --text "$T/lines" --out "$T/tts" --voices "$V" --rate 8000 --seed 8
expect_grep '3 already done, 3 to synthesise' "$T/err"
# --assign one: each sentence once, voices balanced
printf 'one\ntwo\nthree\nfour\n' >"$T/four"
expect_exit 0 bash "$R/tts.sh" --text "$T/four" --out "$T/one" --voices "$V" --assign one --rate 8000
[ "$(cut -d' ' -f2 "$T/one/utt2spk" | sort | uniq -c | awk '{ print $1 }' | sort -u)" = 2 ] ||
    fail "tts --assign one: voices not balanced 2/2"
[ "$(cut -d' ' -f2- "$T/one/text" | sort | tr '\n' ' ')" = "four one three two " ] ||
    fail "tts --assign one: not every sentence once"
# errors
expect_exit 1 bash "$R/tts.sh" --text "$T/lines" --out "$T/bad" --voices espeak:en-us+nosuchvariant
expect_grep "no variant 'nosuchvariant'" "$T/err"
expect_exit 1 bash "$R/tts.sh" --text "$T/lines" --out "$T/bad" --voices flite:nosuch
expect_grep "flite has no voice 'nosuch'" "$T/err"
expect_exit 2 bash "$R/tts.sh" --text "$T/lines" --out "$T/bad" --rate 44100
expect_exit 2 bash "$R/tts.sh" --text "$T/lines" --out "$T/bad" --voices espeak:en-us:volume=3
expect_exit 0 bash "$R/tts.sh" --voices espeak-all-en --list-voices
expect_grep '^espeak-en-us$' "$T/out"
expect_grep '^espeak-en-gb-scotland-f2$' "$T/out"

# ---- espeak_voices.sh: random speakers in a private espeak-ng data dir ----
expect_exit 0 bash "$R/espeak_voices.sh" --out "$T/esp" --n 3 --seed 4
[ "$(cat "$T/esp/variants")" = "$(printf 'rv0001\nrv0002\nrv0003')" ] || fail "espeak_voices: variants file"
cp "$T/esp/espeak-ng-data/voices/!v/rv0002" "$T/rv0002.seed4"
expect_exit 0 bash "$R/espeak_voices.sh" --out "$T/esp" --n 3 --seed 5
! cmp -s "$T/rv0002.seed4" "$T/esp/espeak-ng-data/voices/!v/rv0002" || fail "espeak_voices: the seed changes nothing"
# Each variant is a different voice: other formants, other audio.
for v in rv0001 rv0002; do
    ESPEAK_DATA_PATH=$T/esp espeak-ng -v "en-us+$v" -w "$T/$v.wav" "three" || fail "espeak-ng +$v"
done
! cmp -s "$T/rv0001.wav" "$T/rv0002.wav" || fail "espeak_voices: two variants speak alike"
# tts.sh takes them as voices once ESPEAK_DATA_PATH points there.
ESPEAK_DATA_PATH=$T/esp expect_exit 0 bash "$R/tts.sh" --text "$T/lines" --out "$T/tts_rv" \
    --voices espeak:en-gb+rv0003 --rate 8000
expect_grep '^espeak-en-gb-rv0003-000004 three one oh$' "$T/tts_rv/text"
expect_exit 2 bash "$R/espeak_voices.sh" --out "$T/esp" --n 301
expect_exit 2 bash "$R/espeak_voices.sh" --out "$T/esp" --n 0

# ---- connect.sh: strings from each speaker's own recordings ----
# Speaker a recorded "one" and "two"; b only "oh", not a digit word of the
# strings: b is skipped, named (it once made connect draw forever).
mkdir -p "$T/iso"
for u in a-1:one:300 a-2:two:600 a-3:one:350 b-1:oh:900; do
    IFS=: read -r id w f <<<"$u"
    sox -R -n -r 8000 -b 16 "$T/iso/$id.wav" synth 0.2 sine "$f" 2>/dev/null || fail "sox"
    echo "$id $T/iso/$id.wav" >>"$T/iso/wav.scp"
    echo "$id $w" >>"$T/iso/text"
    echo "$id ${id%-*}" >>"$T/iso/utt2spk"
done
expect_exit 0 timeout 60 bash "$R/connect.sh" --n 3 --seed 2 --jobs 1 "$T/iso" "$T/conn"
expect_grep 'speaker b has no recording of a digit word: skipped' "$T/err"
[ "$(cut -d' ' -f2 "$T/conn/utt2spk" | sort | uniq -c | awk '{ print $1, $2 }')" = "3 a" ] ||
    fail "connect: expected 3 strings of speaker a only"
! cut -d' ' -f2- "$T/conn/text" | tr ' ' '\n' | grep -qvxE 'one|two' || fail "connect: a word a never said"
# each string is its words' recordings plus 50-300 ms pauses between them
while read -r id words; do
    n=$(wc -w <<<"$words")
    len=$(soxi -s "$(awk -v u="$id" '$1 == u { print $2 }' "$T/conn/wav.scp")")
    [ "$len" -ge $((n * 1600 + (n - 1) * 400)) ] && [ "$len" -le $((n * 1600 + (n - 1) * 2400)) ] ||
        fail "connect: $id has $len samples for $n words"
done <"$T/conn/text"
cp "$T/conn/text" "$T/conn.text1"
expect_exit 0 bash "$R/connect.sh" --n 3 --seed 2 --jobs 1 "$T/iso" "$T/conn"
cmp -s "$T/conn/text" "$T/conn.text1" || fail "connect: a re-run with the same seed changed the strings"

# ---- quiet_around.sh: the same recordings with quiet before and after ----
# Each recording 2 x --seconds longer at its own rate, its samples unchanged
# but for the faint noise under them; same ids and text; a re-run writes
# the same bytes (sox -R); a bad level is refused.
expect_exit 0 bash "$R/quiet_around.sh" --seconds 0.5 "$T/iso" "$T/quiet"
cmp -s "$T/iso/text" "$T/quiet/text" || fail "quiet_around: the transcripts changed"
while read -r id path; do
    [ "$(soxi -s "$path")" -eq $((1600 + 8000)) ] || fail "quiet_around: $id has $(soxi -s "$path") samples, not 0.2 s + 2 x 0.5 s"
done <"$T/quiet/wav.scp"
cp "$T/quiet/wav/a-1.wav" "$T/quiet.a1"
expect_exit 0 bash "$R/quiet_around.sh" --seconds 0.5 "$T/iso" "$T/quiet"
cmp -s "$T/quiet/wav/a-1.wav" "$T/quiet.a1" || fail "quiet_around: a re-run wrote other samples"
expect_exit 2 bash "$R/quiet_around.sh" --level 10 "$T/iso" "$T/quiet2"
expect_grep 'level 10' "$T/err"

# ---- kaldi_dir.sh: a Kaldi dir whose wav.scp is relative to it ----
# (the layout of ../shared/data): paths made absolute, text normalised; a
# pipe command in wav.scp is refused, never run.
mkdir -p "$T/kd/src/flac"
sox -R -n -r 16000 -b 16 "$T/kd/src/flac/s1_yes_0.flac" synth 0.3 sine 400 2>/dev/null || fail "sox"
sox -R -n -r 16000 -b 16 "$T/kd/src/flac/s2_no_0.flac" synth 0.3 sine 500 2>/dev/null || fail "sox"
printf 's1_yes_0 flac/s1_yes_0.flac\ns2_no_0 flac/s2_no_0.flac\n' >"$T/kd/src/wav.scp"
printf 's1_yes_0 Yes!\ns2_no_0 NO 2\n' >"$T/kd/src/text"
printf 's1_yes_0 s1\ns2_no_0 s2\n' >"$T/kd/src/utt2spk"
Rabs=$(cd "$R" && pwd)
(cd "$T" && expect_exit 0 bash "$Rabs/kaldi_dir.sh" kd/src kd/out)
expect_grep "^s1_yes_0 $T/kd/src/flac/s1_yes_0.flac\$" "$T/kd/out/wav.scp"
expect_grep '^s2_no_0 no two$' "$T/kd/out/text"
expect_grep '^s1 s1_yes_0$' "$T/kd/out/spk2utt"
(cd / && "$ASR" data validate --check-audio "$T/kd/out" >/dev/null) || fail "kaldi_dir: the output does not validate from another directory"
cp -r "$T/kd/src" "$T/kd/pipe"
printf 's1_yes_0 touch %s/ran |\ns2_no_0 flac/s2_no_0.flac\n' "$T" >"$T/kd/pipe/wav.scp"
expect_exit 1 bash "$R/kaldi_dir.sh" "$T/kd/pipe" "$T/kd/pipe-out"
expect_grep 'wav.scp:1: expected "UTTID PATH"' "$T/err"
[ ! -e "$T/ran" ] || fail "kaldi_dir: a command in wav.scp was run"
expect_exit 1 bash "$R/kaldi_dir.sh" "$T/kd/src" "$T/kd/src"
expect_exit 2 bash "$R/kaldi_dir.sh" "$T/kd/src"

# ---- digits.sh, tiny ----
command -v festival >/dev/null || { echo "skip: festival not installed"; exit 77; }
for sub in "data combine" "data subset" noise "lexicon build" "lexicon phones"; do
    $ASR $sub --help >/dev/null 2>&1 || { echo "skip: 'asr $sub' not built"; exit 77; }
done
fsdd=none
[ -d "$FSDD" ] && fsdd=$FSDD
D=$T/digits
expect_exit 0 bash "$R/digits.sh" --out "$D" --fsdd "$fsdd" --n-train 12 --n-train-dev 4 --n-test 8 \
    --n-connected 2 --seed 3
for s in train train_dev dev test; do
    expect_exit 0 "$ASR" data validate "$D/$s"
    [ -s "$D/$s/phones" ] || fail "digits: no $s/phones"
    [ "$(wc -l <"$D/$s/phones")" -eq "$(wc -l <"$D/$s/text")" ] || fail "digits: $s/phones incomplete"
    ! cut -d' ' -f2- "$D/$s/text" | tr ' ' '\n' |
        grep -qvxE 'zero|one|two|three|four|five|six|seven|eight|nine|oh' || fail "digits: $s has a non-digit word"
done
[ "$(wc -l <"$D/train/text")" -eq 12 ] && [ "$(wc -l <"$D/train_dev/text")" -eq 4 ] ||
    fail "digits: train/train_dev sizes"
[ "$(wc -l <"$D/lm_text")" -eq 12 ] || fail "digits: lm_text is not the 12 training transcripts"
for w in zero one two three four five six seven eight nine oh; do expect_grep "^${w}[ (]" "$D/lexicon.txt"; done
# spk2utt is the inverse of utt2spk, in every split
for s in train train_dev dev test; do
    [ -f "$D/$s/spk2utt" ] || fail "digits: no $s/spk2utt"
    awk '{ for (i = 2; i <= NF; i++) print $i, $1 }' "$D/$s/spk2utt" | LC_ALL=C sort |
        diff - <(LC_ALL=C sort "$D/$s/utt2spk") >&2 || fail "digits: $s/spk2utt is not the inverse of utt2spk"
done
# no voice in both train and dev/test; FSDD speakers not shared by dev and test
spk() { cut -d' ' -f2 "$D/$1/utt2spk" | sort -u; }
[ -z "$(comm -12 <(spk train) <(cat <(spk dev) <(spk test) | sort -u))" ] || fail "digits: a train voice in dev/test"
[ -z "$(comm -12 <(spk dev | grep -v -e '^espeak' -e '^flite' -e '^festival') \
    <(spk test | grep -v -e '^espeak' -e '^flite' -e '^festival'))" ] || fail "digits: a human speaker in dev and test"
if [ "$fsdd" != none ]; then
    for s in dev test; do # isolated + 2 connected strings per real speaker
        grep -- '-connected-' "$D/$s/utt2spk" | cut -d' ' -f2 | sort | uniq -c | awk '$1 != 2 { bad = 1 } END { exit bad || NR == 0 }' ||
            fail "digits: $s lacks 2 connected strings per FSDD speaker"
        [ "$(grep -- '-connected-' "$D/$s/text" | awk '{ print NF - 1 }' | sort -n | head -n1)" -ge 2 ] ||
            fail "digits: a connected string of fewer than 2 digits"
    done
fi
# idempotent: nothing to synthesise on a re-run
expect_exit 0 bash "$R/digits.sh" --out "$D" --fsdd "$fsdd" --n-train 12 --n-train-dev 4 --n-test 8 \
    --n-connected 2 --seed 3
! grep -E '[1-9][0-9]* to synthesise' "$T/err" || fail "digits: re-run synthesised again"
# Installed (under $(pkgdatadir), no ../shared beside it) and given no
# --fsdd, digits.sh built dev/test without FSDD's real speakers (1,400
# utterances down to 200), said only by the heading "real speech from FSDD"
# of a step that did nothing (issue 26): the absence is a warning before the
# first step that says how to give FSDD; a --fsdd without recordings is an
# error before any work.
I=$T/installed/asr
mkdir -p "$I/data" "$I/scripts" && cp -r "$R" "$I/data/recipes" && cp "${srcdir:-.}/scripts/lib.sh" "$I/scripts/"
expect_exit 0 bash "$I/data/recipes/digits.sh" --out "$D" --n-train 12 --n-train-dev 4 --n-test 8 \
    --n-connected 2 --seed 3
expect_grep "^digits: warning: no FSDD at $T/installed/shared/data/fsdd \(the default, beside the repository\): dev and test get no real speakers, only 8 synthetic utterances each; give --fsdd PATH" "$T/err"
awk '/warning: no FSDD/ { w = NR } /\[1\/7\]/ { s = NR } END { exit !(w && s && w < s) }' "$T/err" ||
    fail "digits: the missing FSDD is not said before the first step"
expect_grep '\[4/7\] real speech: none \(no FSDD' "$T/err"
[ "$(cut -d' ' -f2 "$D/dev/utt2spk" | grep -cv -e '^espeak' -e '^flite' -e '^festival')" -eq 0 ] ||
    fail "digits: real speakers in dev without FSDD"
mkdir "$T/empty_fsdd"
for f in "$T/no_fsdd" "$T/empty_fsdd"; do
    expect_exit 1 bash "$R/digits.sh" --out "$T/digits_bad" --fsdd "$f" --n-train 12 --n-test 8
    expect_grep "^digits: error: --fsdd '$f' (is not a directory|holds no FSDD recordings)" "$T/err"
    ! grep -q '\[1/7\]' "$T/err" || fail "digits: --fsdd $f failed after work began"
done
# the hold music is split: dev/test never use the training-augmentation tracks
[ -s "$D/music_train.txt" ] || fail "digits: no music_train.txt"
[ -z "$(comm -12 <(sort "$D/music_train.txt") <(sort "$D/local/music_target.txt"))" ] ||
    fail "digits: a music track both in training augmentation and in dev/test"

# ---- augment.sh on the tiny train split ----
A=$T/aug
expect_exit 0 bash "$R/augment.sh" --copies 2 --seed 4 "$D/train" "$A"
expect_exit 0 "$ASR" data validate "$A"
[ "$(wc -l <"$A/text")" -eq 36 ] || fail "augment: expected 12 clean + 24 perturbed utterances"
[ "$(wc -l <"$A/noise_info")" -eq 24 ] || fail "augment: noise_info should list the 24 copies"
[ "$(wc -l <"$A/phones")" -eq 36 ] || fail "augment: phones not carried over"
# copies keep the transcript and the speaker of their original
u=$(head -n1 "$D/train/text" | cut -d' ' -f1)
[ "$(grep -c "^$u" "$A/text" | tr -d ' ')" -eq 3 ] || fail "augment: $u should have 2 copies"
[ "$(grep "^$u" "$A/text" | cut -d' ' -f2- | sort -u | wc -l)" -eq 1 ] || fail "augment: a copy changed its transcript"
[ "$(grep "^$u" "$A/utt2spk" | cut -d' ' -f2 | sort -u | wc -l)" -eq 1 ] || fail "augment: a copy changed its speaker"
awk '$4 < 0 || $4 > 20 { bad = 1 } END { exit bad }' "$A/noise_info" || fail "augment: an SNR outside 0:20"
# speed perturbation changes durations by the drawn factor (0.9 => 1/0.9 longer)
w=$(grep "^$u-a1-" "$A/wav.scp" | cut -d' ' -f2)
f=$(awk -v u="$u" '$1 == u { print $2 }' "$A/local/copy1/speed.plan")
awk -v a="$(soxi -D "$(grep "^$u " "$D/train/wav.scp" | cut -d' ' -f2)")" -v b="$(soxi -D "$w")" -v f="$f" \
    'BEGIN { exit !(b * f > a - 0.01 && b * f < a + 0.01) }' || fail "augment: duration does not match speed $f"
# idempotent, and refuses bad options without writing
touch -d '1 minute ago' "$T/stamp"
find "$A" -type f -exec touch -d '2 minutes ago' {} +
expect_exit 0 bash "$R/augment.sh" --copies 2 --seed 4 "$D/train" "$A"
[ -z "$(find "$A" -maxdepth 1 -type f -newer "$T/stamp")" ] || fail "augment: re-run rewrote outputs"
expect_exit 2 bash "$R/augment.sh" --types music,rain "$D/train" "$T/augbad"
expect_grep "unknown noise type 'rain'" "$T/err"
expect_exit 1 bash "$R/augment.sh" --music "$T/none.txt" "$D/train" "$T/augbad"
expect_grep "none.txt" "$T/err"
[ ! -e "$T/augbad" ] || fail "augment: a refused run wrote its output"
echo ok
