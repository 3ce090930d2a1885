#!/bin/sh
# hostile.sh — the command line under hostile input (issue 11): every case
# here crashed, hung, ran a shell command, destroyed a file or gave a wrong
# result with exit 0 before the fix. Each case runs in its own subshell and
# directory, so one failure does not hide the others; all are reported.
# Cases that could hang on a broken build run under `timeout`.
. "${srcdir:-.}/tests/cli/lib.sh"

toy_corpora
train --pipeline direct --train "$T/d" --valid "$T/d" --out "$T/dir" --epochs 12
train --pipeline staged --train "$T/p" --valid "$T/p" --out "$T/stg" --lexicon "$T/lex" --epochs 12

# in_case NAME: a fresh directory $C for the case, and the working directory.
in_case() { C=$T/$1; mkdir -p "$C" && cd "$C" || exit 1; }
# copy_data DIR: a copy of the toy corpus $T/d (its audio shared).
copy_data() { mkdir -p "$1" && cp "$T/d/wav.scp" "$T/d/text" "$T/d/utt2spk" "$1/"; }
# one_utt DIR WAV [TEXT]: a data dir of one utterance.
one_utt() {
    mkdir -p "$1"
    echo "u1 $2" >"$1/wav.scp"
    echo "u1 ${3:-ba}" >"$1/text"
    echo "u1 s" >"$1/utt2spk"
}
# float_wav PATH VALUE: a float WAV of 800 samples whose 101st sample is
# VALUE, given as the 4 bytes of a little-endian float in octal escapes.
float_wav() {
    sox -R -n -r 8000 -e floating-point -b 32 "$1" synth 0.1 sine 300 vol 0.5 2>/dev/null ||
        fail "sox cannot write float WAV"
    off=$(($(wc -c <"$1") - 700 * 4))
    printf "$2" | dd of="$1" bs=1 seek="$off" conv=notrunc 2>/dev/null
}
NAN='\000\000\300\177'
BIG='\346\261\141\177' # 3.0e38
# section_data MODEL NAME: the offset of the data of MODEL's section NAME
# (after its u32 name length, the name and its u64 data length).
section_data() {
    at=$(LC_ALL=C grep -obUaP "$(printf '\\x%02x' ${#2})\\x00\\x00\\x00$2" "$1" | head -n 1 | cut -d: -f1)
    [ -n "$at" ] && echo $((at + 4 + ${#2} + 8))
}
# patch_model IN OFFSET BYTES OUT: IN with BYTES (a printf format) written at
# OFFSET, and its checksum made right again: gzip's trailer holds zlib's
# CRC-32 of the data, little-endian, as the model file does.
patch_model() {
    head -c -4 "$1" >body
    printf "$3" | dd of=body bs=1 seek="$2" conv=notrunc 2>/dev/null
    gzip -c body | tail -c 8 | head -c 4 >crc
    cat body crc >"$4"
}

# ---- 1. the ARPA reader ----

# A second \data\ block after an n-gram section announced more n-grams and a
# higher order than the arrays had been made for: a heap overflow.
case_arpa_second_data_block() {
    in_case arpa2
    printf '\\data\\\nngram 1=2\n\n\\1-grams:\n-1 <s> -0.5\n-1 </s>\n\n\\data\\\nngram 1=5\nngram 2=3\n\n\\2-grams:\n-0.5 <s> </s>\n-0.5 </s> <s>\n-0.5 <s> <s>\n-0.5 </s> </s>\n\n\\end\\\n' >bad.arpa
    expect_exit 1 "$ASR" decode --model "$T/stg/final.mdl" --lm bad.arpa --out hyp "$T/p"
    expect_grep 'bad\.arpa:[0-9]+:' "$T/err"
    train_exit 1 --pipeline staged --train "$T/p" --valid "$T/p" --lexicon "$T/lex" --lm bad.arpa \
        --out exp --epochs 1
    expect_grep 'bad\.arpa:[0-9]+:' "$T/err"
}

# Announced counts were allocated before reading (16 GB for 2e9), and a
# count beyond int wrapped through sscanf.
case_arpa_announced_counts() {
    in_case arpacount
    printf '\\data\\\nngram 1=2000000000\n\n\\1-grams:\n-1 <s>\n-1 </s>\n\\end\\\n' >huge.arpa
    expect_exit 1 limited 1000000 "$ASR" decode --model "$T/stg/final.mdl" --lm huge.arpa "$T/p"
    expect_grep 'huge\.arpa:2:' "$T/err"
    printf '\\data\\\nngram 1=99999999999\n\n\\1-grams:\n-1 <s>\n-1 </s>\n\\end\\\n' >wrap.arpa
    expect_exit 1 "$ASR" decode --model "$T/stg/final.mdl" --lm wrap.arpa "$T/p"
    expect_grep 'wrap\.arpa:2:.*99999999999' "$T/err"
}

# Log-probabilities that are not probabilities were accepted.
case_arpa_bad_probabilities() {
    in_case arpaprob
    for lp in nan 1e400 +5 -inf; do
        printf '\\data\\\nngram 1=3\n\n\\1-grams:\n-1 <s>\n%s ba\n-1 </s>\n\\end\\\n' "$lp" >p.arpa
        expect_exit 1 "$ASR" decode --model "$T/stg/final.mdl" --lm p.arpa "$T/p"
        expect_grep 'p\.arpa:6:' "$T/err"
    done
}

# ---- 2. no shell ----

# Replacing an output ran `rm -rf 'NAME'` through the shell: a quote in the
# name ran the rest as a command.
case_no_shell_injection() {
    in_case inject
    out="o'\$(touch pwned)'"
    expect_exit 0 "$ASR" noise --type white --snr 10:10 "$T/d" "$out"
    expect_exit 0 "$ASR" noise --type white --snr 10:10 --force "$T/d" "$out"
    [ ! -e "$C/pwned" ] || fail "an output name ran a shell command"
    expect_exit 0 "$ASR" data validate "$out"
}

# ---- 3. outputs never replace what they point at, or an input ----

# A FIFO: written through (a rename would replace it with a file, and the
# reader at the other end would wait forever).
case_out_fifo() {
    in_case fifo
    mkfifo f
    no_hang 30 cat f >got &
    reader=$!
    no_hang 30 "$ASR" decode --model "$T/dir/final.mdl" --out f "$T/d" 2>err
    [ -p f ] || { kill $reader 2>/dev/null; fail "the FIFO was replaced by a regular file"; }
    wait $reader
    cmp -s got "$T/d/text" || fail "the hypotheses did not come out of the FIFO"
}

# A device node (root only: make our own /dev/null): written through.
case_out_device() {
    in_case dev
    [ "$(id -u)" = 0 ] || return 0
    mknod null c 1 3 || return 0
    expect_exit 0 "$ASR" decode --model "$T/dir/final.mdl" --out null "$T/d"
    [ -c null ] || fail "the device node was replaced by a regular file"
}

# A symlink: the file it points at is written, the link stays; a dangling
# one is refused; "-" is standard output.
case_out_symlink() {
    in_case link
    echo old >target
    ln -s target link
    expect_exit 0 "$ASR" decode --model "$T/dir/final.mdl" --out link "$T/d"
    [ -L link ] || fail "the symlink was replaced by a regular file"
    cmp -s target "$T/d/text" || fail "the symlink's target does not hold the hypotheses"
    ln -s nowhere dangling
    expect_exit 1 "$ASR" decode --model "$T/dir/final.mdl" --out dangling "$T/d"
    expect_grep 'symbolic link' "$T/err"
    [ -L dangling ] && [ ! -e nowhere ] || fail "the dangling link was replaced or followed"
    expect_exit 0 "$ASR" decode --model "$T/dir/final.mdl" --out - "$T/d"
    cmp -s "$T/out" "$T/d/text" || fail "--out - did not write standard output"
}

# An output that is one of the command's own inputs is refused, untouched.
case_out_is_input() {
    in_case inout
    copy_data D
    cp D/text text.orig
    expect_exit 1 "$ASR" data subset --first 2 D D
    cmp -s D/text text.orig || fail "data subset D D changed D"
    expect_exit 1 "$ASR" decode --model "$T/dir/final.mdl" --out D/text D
    cmp -s D/text text.orig || fail "decode --out D/text D replaced the references"
    cut -d' ' -f2- D/text >T.txt
    cp T.txt T.orig
    expect_exit 1 "$ASR" lm build --out T.txt T.txt
    cmp -s T.txt T.orig || fail "lm build --out T T replaced its text"
    printf 'ba\ndi\n' >W
    cp W W.orig
    expect_exit 1 "$ASR" lexicon build --cmudict "$T/lex" --no-fallback W W
    cmp -s W W.orig || fail "lexicon build W W replaced its word list"
    expect_exit 1 "$ASR" lexicon phones "$T/lex" D/text D/text
    cmp -s D/text text.orig || fail "lexicon phones L T T replaced its text"
    expect_exit 1 "$ASR" features D D/wav.scp
    cmp -s D/wav.scp "$T/d/wav.scp" || fail "features D D/wav.scp replaced wav.scp"
    mkdir -p O
    copy_data O/in
    expect_exit 1 "$ASR" noise --type white --force O/in O
    expect_exit 0 "$ASR" data validate O/in
}

# ---- 4. bounded work ----

# frame_ms: 2e9 overflowed the frame length (decoding never ended), 1e7
# asked for 12 GB, 1e5 gave no frames and exit 0.
case_frame_ms_bounded() {
    in_case frame
    for ms in 2e9 1e7 1e5; do
        expect_exit 2 limited 2000000 "$ASR" features --set frame_ms=$ms "$T/d" f.ark
        expect_grep 'frame_ms' "$T/err"
    done
    train_exit 2 --pipeline direct --train "$T/d" --valid "$T/d" --out exp --set features.frame_ms=2e9
}

# A FIFO named in wav.scp blocked validate and features forever.
case_fifo_audio() {
    in_case fifoaudio
    mkfifo a.wav
    one_utt D "$C/a.wav"
    expect_exit 1 no_hang 20 "$ASR" data validate --check-audio D
    expect_grep 'not a regular file' "$T/out"
    expect_exit 1 no_hang 20 "$ASR" features D f.ark
    expect_grep 'not a regular file' "$T/err"
}

# --beam 100000 took minutes for 1.6 s of audio.
case_beam_bounded() {
    in_case beam
    expect_exit 2 no_hang 20 "$ASR" decode --model "$T/dir/final.mdl" --beam 100000 "$T/d"
    expect_grep 'beam' "$T/err"
}

# An impulse response of any length was convolved with every utterance.
case_long_rir() {
    in_case rir
    sox -R -n -r 8000 -b 16 long.wav synth 12 whitenoise vol 0.1 2>/dev/null
    expect_exit 1 no_hang 60 "$ASR" noise --type reverb --rir long.wav "$T/d" O
    expect_grep 'long\.wav.*impulse response' "$T/err"
    [ ! -e O ] || fail "a refused run wrote its output"
}

# An endless standard input: the 3600 s limit was checked at its end, after
# up to 2 GiB had been read (a power of two past the 1 GiB byte limit). Now
# the limit stops it as it arrives: headerless PCM at 3600 s of its rate, a
# file at 3600 s of what its header says a sample takes, bytes that are no
# audio at the first 64 KiB, any other file at 1 GiB; when memory runs out
# first, the message names the input.
case_endless_stdin() {
    in_case endless
    M=$T/dir/final.mdl
    expect_exit 1 limited 400000 "$ASR" decode --model "$M" --raw --rate 8000 - </dev/zero
    expect_grep 'standard input: more than 57600001 bytes of s16le at 8000 Hz: longer than the 3600 s limit' "$T/err"
    expect_exit 1 limited 400000 "$ASR" decode --model "$M" - </dev/zero
    expect_grep 'standard input: not audio: its first 65536 bytes' "$T/err"
    sox -R -n -r 8000 -b 16 -t wav - synth 0.01 sine 440 2>/dev/null | head -c 44 >head.wav
    cat head.wav /dev/zero | limited 400000 "$ASR" decode --model "$M" - >"$T/out" 2>"$T/err" &&
        fail "a WAV stream longer than the limit was decoded"
    expect_grep 'standard input: more than [0-9]+ bytes \(1 channel of 2-byte samples at 8000 Hz\): longer than the 3600 s limit' \
        "$T/err"
    # (Under a memory checker there is no address-space limit to run out of.)
    [ -n "$CHECKER" ] && return 0
    { printf 'fLaC'; cat /dev/zero; } | limited 400000 "$ASR" decode --model "$M" - >"$T/out" 2>"$T/err" &&
        fail "an endless FLAC stream was decoded"
    expect_grep 'standard input: out of memory after [0-9]+ bytes' "$T/err"
}

# ---- 5. no silent data loss ----

# Headerless PCM on standard input that ended in a partial sample lost it
# without a word, in decode and stream.
case_stray_bytes() {
    in_case stray
    sox -R "$T/d/u1.wav" -t raw -e signed -b 16 -L u1.s16 || fail "sox"
    { cat u1.s16; printf 'x'; } >odd.s16
    expect_exit 0 "$ASR" decode --model "$T/dir/final.mdl" --raw --rate 8000 - <odd.s16
    expect_grep 'standard input: the stream ends in 1 stray byte, not a whole 2-byte s16le sample' "$T/err"
    { cat u1.s16; printf 'xyz'; } >odd.s16
    expect_exit 0 "$ASR" stream --model "$T/dir/final.mdl" --rate 8000 <odd.s16
    expect_grep 'standard input: the stream ends in 1 stray byte' "$T/err"
    sox -R "$T/d/u1.wav" -t raw -e floating-point -b 32 -L u1.f32 || fail "sox"
    { cat u1.f32; printf 'xyz'; } >odd.f32
    expect_exit 0 "$ASR" stream --model "$T/dir/final.mdl" --rate 8000 --encoding f32le <odd.f32
    expect_grep 'standard input: the stream ends in 3 stray bytes, not a whole 4-byte f32le sample' "$T/err"
    expect_exit 0 "$ASR" decode --model "$T/dir/final.mdl" --raw --rate 8000 - <u1.s16
    if grep -q stray "$T/err"; then fail "a whole stream was warned of stray bytes"; fi
}

# train --out over an earlier experiment overwrote it.
case_train_existing_out() {
    in_case trainout
    cp -r "$T/dir" exp
    cp exp/final.mdl final.orig
    train_exit 1 --pipeline direct --train "$T/d" --valid "$T/d" --out exp --epochs 1
    expect_grep 'earlier experiment' "$T/err"
    cmp -s exp/final.mdl final.orig || fail "train --out EXISTING changed the earlier model"
    train --pipeline direct --train "$T/d" --valid "$T/d" --out exp --epochs 1 --force
    cmp -s exp/final.mdl final.orig && fail "--force did not replace the experiment"
    [ ! -e exp.tmp ] || fail "the staging directory was left behind"
    [ "$(wc -l <exp/log.tsv)" -eq 2 ] || fail "the replaced experiment kept the old log"
}

# Two trainings writing one --out both ran, interleaving log.tsv.
case_train_concurrent() {
    in_case trainlock
    eval "\"\$ASR\" train $OPTS --pipeline direct --train \"\$T/d\" --valid \"\$T/d\" --out exp --epochs 2000" \
        >/dev/null 2>&1 &
    first=$!
    i=0
    n=100
    [ -z "$CHECKER" ] || n=2000
    while [ ! -e exp/config ] && [ $i -lt $n ]; do sleep 0.1; i=$((i + 1)); done
    train_exit 1 --pipeline direct --train "$T/d" --valid "$T/d" --out exp --epochs 1 --resume
    kill $first 2>/dev/null
    wait $first 2>/dev/null
    expect_grep 'another process' "$T/err"
}

# Three noise runs to one output all reported success.
case_noise_concurrent() {
    in_case noiselock
    for k in 1 2 3; do
        "$ASR" noise --type pink --snr 5:5 --threads 1 "$T/d" O >/dev/null 2>&1 &
        eval "pid$k=\$!"
    done
    ok=0
    for k in 1 2 3; do
        eval "wait \$pid$k" && ok=$((ok + 1))
    done
    [ $ok -eq 1 ] || fail "$ok of 3 concurrent runs writing one output succeeded"
    expect_exit 0 "$ASR" data validate --check-audio O
    ls | grep -q 'tmp' && fail "a temporary directory was left behind"
    return 0
}

# --names a,a,b,c wrote two parts into a; ../x wrote outside OUTDIR.
case_split_names() {
    in_case names
    expect_exit 2 "$ASR" data split --by utterance --names a,a,b,c "$T/d" S
    [ ! -e S ] || fail "a refused split wrote"
    expect_exit 2 "$ASR" data split --by utterance --fractions 1,1 --names ../x,b "$T/d" S
    [ ! -e x ] && [ ! -e S ] || fail "--names ../x wrote"
}

# A model's name in asr compare became a file name: ../x wrote outside OUT.
case_compare_names() {
    in_case cmpnames
    mkdir -p data && cp -r "$T/d" data/test
    expect_exit 2 "$ASR" compare --data data --splits test --out R "../x=$T/dir/final.mdl"
    [ ! -e x ] && [ ! -e errors-..x.tsv ] || fail "a model name wrote outside the report directory"
    expect_exit 2 "$ASR" compare --data data --splits test --out R "a=$T/dir/final.mdl" \
        "a=$T/dir/final.mdl"
}

# ---- 6. no wrong result with exit 0 ----

# Float audio with NaN or 3e38 samples gave NaN features and passed validation.
case_float_audio_values() {
    in_case floatwav
    for v in NAN BIG; do
        eval "float_wav $v.wav \"\$$v\""
        one_utt D$v "$C/$v.wav"
        expect_exit 1 "$ASR" data validate --check-audio D$v
        expect_grep "$v\\.wav: sample 100 is" "$T/out"
        expect_exit 1 "$ASR" features D$v f.ark
        expect_grep "$v\\.wav: sample 100 is" "$T/err"
    done
}

# A model file with NaN weights (and a valid checksum) decoded to nothing.
case_nan_weights() {
    in_case nanmodel
    at=$(section_data "$T/dir/final.mdl" weights) || fail "no weights section"
    patch_model "$T/dir/final.mdl" $((at + 40)) "$NAN$NAN" nan.mdl
    expect_exit 1 "$ASR" decode --model nan.mdl "$T/d"
    expect_grep 'nan\.mdl:.*(NaN|finite)' "$T/err"
}

# An all-zero impulse response silenced every utterance.
case_silent_rir() {
    in_case zerorir
    sox -R -D -n -r 8000 -b 16 zero.wav synth 0.3 sine 300 vol 0 2>/dev/null
    expect_exit 1 "$ASR" noise --type reverb --rir zero.wav "$T/d" O
    expect_grep 'zero\.wav.*silent' "$T/err"
}

# A NUL byte cut the transcript where it stood.
case_nul_in_text() {
    in_case nul
    copy_data D
    printf 'u1 ba\000di\n' >D/text.1
    tail -n +2 D/text >>D/text.1
    mv D/text.1 D/text
    expect_exit 1 "$ASR" data validate D
    expect_grep 'text:1: NUL' "$T/out"
}

# Reports of hostile text: a byte that is not UTF-8 in a hypothesis made
# report.json invalid (Python's json refuses it); report.md printed
# "<script>" from a name and a transcript as HTML, and a '|' in a
# transcript or a speaker cut table rows into more cells.
case_report_text() {
    in_case reporttext
    mkdir -p data/test hyp
    head -n 2 "$T/d/wav.scp" >data/test/wav.scp
    printf 'u1 ba <script>x</script>\nu10 di|gu\n' >data/test/text
    printf 'u1 s|1\nu10 s2\n' >data/test/utt2spk
    printf 'u1 b\351 \033[2J<b>\nu10 di|gu x\n' >hyp/test.txt
    expect_exit 0 "$ASR" eval --hyps hyp --data data --splits test --name '<i>m|1</i>' --out R
    iconv -f UTF-8 -t UTF-8 R/report.json >/dev/null || fail "report.json is not UTF-8"
    jq -e '.models[0].splits[0].utterances == 2' R/report.json >/dev/null || fail "report.json: no split of 2"
    # (Code spans, the command line's, show '<' as it is: nothing in them is HTML.)
    sed 's/`[^`]*`//g' R/report.md | grep -n '<' && fail "report.md holds a '<' of the input"
    # Every row of a table has as many cells as its header ('\|' is in a cell).
    awk '/^\|/ { gsub(/\\\|/, ""); n = gsub(/\|/, "|"); if (t && n != cols) { print; bad = 1 }
                 cols = n; t = 1; next }
         { t = 0 } END { exit bad }' R/report.md || fail "a table row of report.md has other cells"
}

# decode DIR without wav.scp said a data directory needs text and utt2spk
# too; decoding needs wav.scp only.
case_decode_needs_wav_scp() {
    in_case nowav
    mkdir -p D
    cp "$T/d/text" D/
    expect_exit 1 "$ASR" decode --model "$T/dir/final.mdl" D
    expect_grep 'D/wav.scp: missing \(audio to decode needs wav.scp; text and utt2spk are optional\)' \
        "$T/err"
}

# --fractions 1e308,1,1,1 overflowed to an empty train.
case_split_fractions() {
    in_case fractions
    expect_exit 2 "$ASR" data split --by utterance --fractions 1e308,1,1,1 "$T/d" S
    expect_grep 'fractions' "$T/err"
}

# --epochs 0 wrote an untrained model.
case_epochs_zero() {
    in_case epochs
    train_exit 2 --pipeline direct --train "$T/d" --valid "$T/d" --out exp --epochs 0
    [ ! -e exp/final.mdl ] || fail "--epochs 0 wrote a model"
}

# An empty lexicon decoded every utterance to nothing.
case_empty_lexicon() {
    in_case emptylex
    : >empty.lex
    expect_exit 1 "$ASR" decode --model "$T/stg/final.mdl" --lexicon empty.lex "$T/p"
    expect_grep 'empty\.lex: the lexicon has no words' "$T/err"
}

# A direct model ignored any --lexicon, even /etc/passwd, with exit 0; so
# did the training of one (issue 26), whichever way the lexicon came.
case_lexicon_of_a_direct_model() {
    in_case lexdirect
    expect_exit 1 "$ASR" decode --model "$T/dir/final.mdl" --lexicon /etc/passwd "$T/d"
    expect_grep 'final\.mdl: lexicon /etc/passwd: a direct model takes no lexicon' "$T/err"
    expect_exit 1 "$ASR" stream --model "$T/dir/final.mdl" --lexicon "$T/lex" --rate 8000 </dev/null
    expect_grep 'a direct model takes no lexicon' "$T/err"
    # A staged model takes one.
    expect_exit 0 "$ASR" decode --model "$T/stg/final.mdl" --lexicon "$T/lex" "$T/p"
    train_exit 2 --pipeline direct --train "$T/d" --valid "$T/d" --out exp --epochs 1 --lexicon "$T/lex"
    expect_grep "^asr train: --lexicon .*/lex: the direct pipeline reads no lexicon \\(it spells its words\\); give --lexicon to the staged and multitask pipelines only$" "$T/err"
    [ ! -e exp ] || fail "a refused training made its experiment directory"
    printf 'lexicon = %s\n' "$T/lex" >lex.conf
    train_exit 2 --pipeline direct --config lex.conf --train "$T/d" --valid "$T/d" --out exp --epochs 1
    expect_grep 'the direct pipeline reads no lexicon' "$T/err"
    train_exit 2 --pipeline direct --set lexicon="$T/lex" --train "$T/d" --valid "$T/d" --out exp
    expect_grep 'the direct pipeline reads no lexicon' "$T/err"
}

# A direct model's characters were scored against ARPAbet phones: `decode
# --stage phones` gave %PER 150.28 with exit 0 (issue 26).
case_phones_of_a_direct_model() {
    in_case phonesdirect
    cp -r "$T/p" p
    "$ASR" lexicon phones "$T/lex" p/text p/phones 2>/dev/null || fail "lexicon phones"
    expect_exit 1 "$ASR" decode --model "$T/dir/final.mdl" --stage phones --out ph p
    expect_grep '^asr decode: --stage phones: .*/dir/final\.mdl is a direct model: it emits characters, not phones' "$T/err"
    if grep -q PER "$T/err" || [ -e ph ]; then fail "a direct model's phones were scored or written"; fi
    expect_exit 0 "$ASR" decode --model "$T/stg/final.mdl" --stage phones --out ph p
    expect_grep '%PER' "$T/err"
}

# An empty path was "none": `--set lm=$UNSET` decoded without the LM.
case_empty_paths() {
    in_case emptypath
    expect_exit 2 "$ASR" decode --model "$T/dir/final.mdl" --set lm= "$T/d"
    expect_grep "lm = : an empty path" "$T/err"
    expect_exit 2 "$ASR" decode --model "$T/stg/final.mdl" --lexicon '' "$T/p"
    expect_grep "lexicon = : an empty path" "$T/err"
}

# --resume on another training set was accepted.
case_resume_other_data() {
    in_case resume
    train --pipeline direct --train "$T/d" --valid "$T/d" --out exp --epochs 2
    expect_exit 0 "$ASR" data subset --first 6 "$T/d" D6
    train_exit 1 --pipeline direct --train D6 --valid "$T/d" --out exp --epochs 4 --resume
    expect_grep 'other training data' "$T/err"
}

# A 1-sample file gave 0 frames and exit 0.
case_one_sample() {
    in_case onesample
    sox -R -n -r 8000 -b 16 long.wav synth 0.1 sine 300 2>/dev/null
    sox long.wav one.wav trim 0 1s
    one_utt D "$C/one.wav"
    expect_exit 1 "$ASR" features D f.ark
    expect_grep 'one\.wav: .* shorter than one' "$T/err"
    expect_exit 1 "$ASR" decode --model "$T/dir/final.mdl" D
    expect_grep 'shorter than one' "$T/err"
}

# ---- 7. errors that say what is wrong ----

case_snr_not_finite() {
    in_case snr
    expect_exit 2 "$ASR" noise --type white --snr inf:inf "$T/d" O
    expect_grep 'snr' "$T/err"
    expect_exit 2 "$ASR" noise --type white --snr nan:nan "$T/d" O
    grep -q inverted "$T/err" && fail "nan:nan said the range is inverted"
    return 0
}

case_nan_noise_named() {
    in_case nannoise
    float_wav nan.wav "$NAN"
    expect_exit 1 "$ASR" noise --type file --noise-files nan.wav "$T/d" O
    expect_grep 'nan\.wav: sample 100' "$T/err"
    expect_exit 1 "$ASR" noise --type reverb --rir nan.wav "$T/d" O
    expect_grep 'nan\.wav: sample 100' "$T/err"
}

case_seeds_checked() {
    in_case seeds
    expect_exit 2 "$ASR" data split --seed -1 "$T/d" S
    expect_exit 2 "$ASR" data split --seed 99999999999999999999999 "$T/d" S
    expect_exit 2 "$ASR" noise --type white --seed -1 "$T/d" O
    expect_exit 2 "$ASR" features --seed 1e23 "$T/d" f.ark
    train_exit 2 --pipeline direct --train "$T/d" --valid "$T/d" --out exp --seed -1
    expect_grep 'seed' "$T/err"
}

case_layers_named() {
    in_case layers
    expect_exit 1 "$ASR" train --pipeline direct --train "$T/d" --valid "$T/d" --out exp --layers ';;;'
    expect_grep 'no layers' "$T/err"
    expect_exit 1 limited 2000000 "$ASR" train --pipeline direct --train "$T/d" --valid "$T/d" \
        --out exp --layers 'conv 1000000000 3 1 1;affine out'
    expect_grep 'network line 1' "$T/err"
}

case_validate_phones() {
    in_case phones
    copy_data D
    sed 's/^\([^ ]*\) .*/\1 B XX/' D/text >D/phones
    expect_exit 1 "$ASR" data validate D
    expect_grep "phones:1: 'u1': 'XX'" "$T/out"
}

# Messages echoed input verbatim: a model's pipeline section "di\nect" cut
# the message in two, and ESC sequences from an ARPA file, a lexicon or a
# configuration reached the terminal. Now: one line, control bytes and
# bytes that are not UTF-8 as \xNN.
one_line_quoted() { # one_line_quoted PATTERN: the error in $T/err
    [ "$(wc -l <"$T/err")" -eq 1 ] || { cat -A "$T/err" >&2; fail "the message is not one line"; }
    LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$T/err" &&
        { cat -A "$T/err" >&2; fail "a control character in the message"; }
    expect_grep "$1" "$T/err"
}
case_quoted_input() {
    in_case quoted
    at=$(section_data "$T/dir/final.mdl" pipeline) || fail "no pipeline section"
    patch_model "$T/dir/final.mdl" "$at" 'di\nect' pipe.mdl
    expect_exit 1 "$ASR" decode --model pipe.mdl "$T/d"
    one_line_quoted "pipe\.mdl: unknown pipeline 'di\\\\x0aect'"
    printf '\\data\\\n\033[2J\233junk\n' >junk.arpa
    expect_exit 1 "$ASR" decode --model "$T/stg/final.mdl" --lm junk.arpa "$T/p"
    one_line_quoted "junk\.arpa:2: .* got '\\\\x1b\\[2J\\\\x9bjunk'"
    printf 'ba B \033[2J\n' >esc.lex
    expect_exit 1 "$ASR" lexicon phones esc.lex "$T/p/text" out
    one_line_quoted "esc\.lex:1: 'ba': '\\\\x1b\\[2J' is not one of"
    printf 'lr\033[2J = 1\n' >esc.conf
    train_exit 1 --pipeline direct --config esc.conf --train "$T/d" --valid "$T/d" --out exp
    one_line_quoted "esc\.conf:1: unknown configuration key 'lr\\\\x1b\\[2J'"
}

case_threads_zero() {
    in_case threads
    expect_exit 0 "$ASR" features --threads 0 "$T/d" f.ark
    expect_exit 0 "$ASR" noise --type white --threads 0 "$T/d" O
}

# A killed asr noise left OUT.tmp.PID behind for good.
case_killed_noise() {
    in_case killed
    mkdir -p D
    for k in $(seq 100 499); do
        echo "u$k $T/d/u1.wav" >>D/wav.scp
        echo "u$k ba" >>D/text
        echo "u$k s" >>D/utt2spk
    done
    "$ASR" noise --type reverb --rt60 9 --threads 1 D O >/dev/null 2>&1 &
    pid=$!
    i=0
    n=100
    [ -z "$CHECKER" ] || n=2000
    while ! ls -d O.tmp*/wav >/dev/null 2>&1 && [ $i -lt $n ]; do sleep 0.05; i=$((i + 1)); done
    sleep 0.2
    kill -9 $pid
    wait $pid 2>/dev/null
    [ ! -e O ] || fail "the run finished before it was killed: make the input larger"
    expect_exit 0 "$ASR" noise --type white --threads 1 D O
    ls | grep -q tmp && fail "the killed run's temporary output is still there"
    return 0
}

run_cases "$0"
exit 0
