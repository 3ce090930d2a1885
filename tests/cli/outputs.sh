#!/bin/sh
# outputs.sh — no output of any command replaces one of its inputs or another
# of its outputs (issue 24). Every output of every command (options, operands,
# the files written inside an output directory) is tried against every input
# of the command, named three ways: by the input's own name, by a symlink to
# it and by a hard link to it. Each try must exit 1, name the output, and
# leave the input byte for byte as it was. The outputs tried are compared
# with those the commands declare (CLI_OUTPUT, CLI_OUTPUT_DIR in src/cli/),
# so a new output option without a case here fails. Each case runs in its
# own subshell and directory; all failures are reported.
. "${srcdir:-.}/tests/cli/lib.sh"

toy_corpora
train --pipeline direct --train "$T/d" --valid "$T/d" --out "$T/exp" --epochs 1
expect_exit 0 "$ASR" lm build --chars --kaldi --out "$T/c.arpa" "$T/d/text"
sox -R -n -r 8000 -b 16 "$T/noise.wav" synth 0.5 whitenoise vol 0.1 2>/dev/null
sox -R -n -r 8000 -b 16 "$T/rir.wav" synth 0.05 whitenoise vol 0.5 fade 0 0.05 0.05 2>/dev/null

# in_case NAME: a fresh directory $C with copies of every input, so that a
# case that destroys one leaves the others alone: D (a data directory, its
# audio in D/w), E/dev (a split of the same), M.mdl (a model), Mx/final.mdl
# and its training log Mx/log.tsv, L.arpa (a character LM), A.wav, X.lex (a
# lexicon), W.txt (a word list), T.txt (text), N.wav (noise), R.wav (an
# impulse response), H/dev.txt (hypotheses), K.tsv (learning-curve points).
in_case() {
    C=$T/$1
    mkdir -p "$C/D/w" "$C/E/dev" "$C/Mx" "$C/H" && cd "$C" || exit 1
    cp "$T"/d/u*.wav D/w/
    sed "s#$T/d/#$C/D/w/#" "$T/d/wav.scp" >D/wav.scp
    cp "$T/d/text" "$T/d/utt2spk" D/
    cp D/wav.scp D/text D/utt2spk E/dev/
    cp "$T/exp/final.mdl" M.mdl
    cp "$T/exp/final.mdl" "$T/exp/log.tsv" Mx/
    cp "$T/c.arpa" L.arpa
    cp D/w/u1.wav A.wav
    cp "$T/lex" X.lex
    printf 'ba\ndi\n' >W.txt
    cut -d' ' -f2- D/text >T.txt
    cp "$T/noise.wav" N.wav
    cp "$T/rir.wav" R.wav
    cp D/text H/dev.txt
    printf 'direct 5 20.0\ndirect 10 10.0\n' >K.tsv
}

# covers COMMAND OUTPUT: this case tries OUTPUT (an option or the usage's
# operand name) of asr COMMAND.
covers() { echo "$1 $2" >>"$T/covered"; }

# snap PATH: what PATH holds (a directory: its names and every file's bytes).
snap() {
    if [ -d "$1" ]; then
        (cd "$1" && find . | LC_ALL=C sort && find . -type f -exec cksum {} + | LC_ALL=C sort)
    else
        cksum <"$1"
    fi
}

# run_with OUT FILE ARGS...: asr ARGS (`train` ARGS with the toy options),
# every "@" in them replaced by OUT and every "%" by FILE; standard input
# from $STDIN (default /dev/null); status in $rc, stderr in $C/err.
run_with() {
    local out=$1 file=$2 n a
    shift 2
    n=$#
    for a; do
        case $a in *[@%]*) a=$(printf '%s\n' "$a" | sed -e "s|@|$out|g" -e "s|%|$file|g") ;; esac
        set -- "$@" "$a"
    done
    shift "$n"
    [ "$1" != train ] || { shift; eval "set -- train $OPTS \"\$@\""; }
    "$ASR" "$@" >"$C/out" 2>"$C/err" <"${STDIN:-/dev/null}"
    rc=$?
}

# judge WHAT NAME FILE BEFORE ARGS...: the try of ARGS refused, naming NAME,
# and FILE still BEFORE.
judge() {
    local what=$1 name=$2 file=$3 before=$4
    shift 4
    [ "$rc" -eq 1 ] || { cat "$C/err" >&2; fail "$what: 'asr $*' exited $rc, expected 1"; }
    grep -qF -- "$name" "$C/err" || { cat "$C/err" >&2; fail "$what: 'asr $*' did not name $name"; }
    [ "$(snap "$file")" = "$before" ] || { cat "$C/err" >&2; fail "$what: 'asr $*' changed $file"; }
}

# refuse FILE ARGS...: asr ARGS, whose "@" is an output (and "%" stands for
# FILE), must not replace FILE when the output names it as FILE, as a symlink
# to it or as a hard link to it (no hard link to a directory).
refuse() {
    local file=$1 before how out
    shift
    before=$(snap "$file")
    for how in name symlink hardlink; do
        case $how in
        name) out=$file ;;
        symlink) out=via-symlink && ln -s "$file" "$out" ;;
        hardlink) [ ! -d "$file" ] || continue; out=via-hardlink && ln "$file" "$out" ;;
        esac
        run_with "$out" "$file" "$@"
        judge "$file by $how" "$out" "$file" "$before" "$@"
        rm -f via-symlink via-hardlink
    done
}

# refuse_at AT FILE ARGS...: asr ARGS writes AT (a file inside an output
# directory, the directory made if need be); the input FILE is there, or AT
# is a symlink or a hard link to it: refused, FILE kept. "@" in ARGS is how
# the input is named: AT itself when the input was moved there, FILE else.
# Without "@" the input cannot be moved (a data directory's file): AT is
# only a symlink or a hard link to it.
refuse_at() {
    local at=$1 file=$2 ways how in before
    shift 2
    case " $* " in *@*) ways="name symlink hardlink" ;; *) ways="symlink hardlink" ;; esac
    for how in $ways; do
        rm -rf "$at"
        mkdir -p "$(dirname "$at")"
        case $how in
        name) cp -r "$file" "$at" && in=$at ;;
        symlink) ln -s "$C/$file" "$at" && in=$file ;;
        hardlink) [ ! -d "$file" ] || continue; ln "$file" "$at" && in=$file ;;
        esac
        before=$(snap "$in")
        run_with "$in" "" "$@"
        judge "$file at $at by $how" "$at" "$in" "$before" "$@"
        rm -rf "$at"
    done
}

# ---- features: --stats, OUT.ark ----
case_features() {
    in_case features
    covers features --stats
    covers features OUT.ark
    for in in D D/wav.scp D/text D/utt2spk D/w/u1.wav; do
        refuse "$in" features --stats @ D f.ark
        refuse "$in" features D @
    done
    echo old >f.ark
    refuse f.ark features --stats @ D %
}

# ---- decode: --out, --units, --stats (a data directory, audio files) ----
case_decode() {
    in_case decode
    covers decode --out
    covers decode --units
    covers decode --stats
    for in in M.mdl L.arpa D/wav.scp D/text D/utt2spk D/w/u1.wav; do
        for opt in --out --units --stats; do
            refuse "$in" decode --model M.mdl --lm L.arpa "$opt" @ D
        done
    done
    echo old >h.txt
    refuse h.txt decode --model M.mdl --out % --units @ D
    refuse h.txt decode --model M.mdl --out % --stats @ D
    refuse h.txt decode --model M.mdl --units % --stats @ D
}

# ---- calibrate: --out (a model; its input model, data and OOV dirs kept) ----
case_calibrate() {
    in_case calibrate
    covers calibrate --out
    for in in M.mdl D/wav.scp D/text D/utt2spk D/w/u1.wav; do
        refuse "$in" calibrate --model M.mdl --data D --oov D --out @
    done
}

# ---- adapt: --out (a model; its input model and data dir kept) ----
case_adapt() {
    in_case adapt
    covers adapt --out
    for in in M.mdl D/wav.scp D/text D/utt2spk D/w/u1.wav; do
        refuse "$in" adapt --model M.mdl --data D --min-confidence 0 --out @
    done
}

# ---- models: --out (a model with search settings stored; its input model kept) ----
case_models() {
    in_case models
    covers models --out
    refuse M.mdl models --model M.mdl --set beam=4 --out @
}

case_decode_files() {
    in_case decodefiles
    for in in M.mdl L.arpa A.wav; do
        for opt in --out --stats; do
            refuse "$in" decode --model M.mdl --lm L.arpa "$opt" @ A.wav
        done
    done
    STDIN=A.wav refuse M.mdl decode --model M.mdl --stats @ -
    echo old >h.txt
    refuse h.txt decode --model M.mdl --out % --stats @ A.wav
}

# ---- stream: --stats ----
case_stream() {
    in_case stream
    covers stream --stats
    for in in M.mdl L.arpa A.wav; do
        refuse "$in" stream --model M.mdl --lm L.arpa --input A.wav --stats @
    done
    STDIN=A.wav refuse M.mdl stream --model M.mdl --stats @
}

# ---- eval and compare: --out (report.md, report.json, report.html, errors*.tsv) ----
case_eval() {
    in_case eval
    covers eval --out
    for f in report.md report.json report.html errors.tsv; do
        refuse_at "Q/$f" M.mdl eval --model @ --data E --splits dev --out Q
        refuse_at "Q/$f" L.arpa eval --model M.mdl --lm @ --data E --splits dev --out Q
        refuse_at "Q/$f" H/dev.txt eval --hyps H --data E --splits dev --out Q
        refuse_at "Q/$f" K.tsv compare --curve @ --data E --splits dev --out Q m=M.mdl
        for in in E/dev/wav.scp E/dev/text E/dev/utt2spk D/w/u1.wav Mx/log.tsv; do
            refuse_at "Q/$f" "$in" eval --model Mx/final.mdl --data E --splits dev --out Q
        done
    done
    refuse E eval --model M.mdl --data @ --splits dev --out %
}

case_compare() {
    in_case compare
    covers compare --out
    for f in report.md report.json report.html errors.tsv; do
        refuse_at "Q/$f" M.mdl compare --data E --splits dev --out Q m=@
        for in in E/dev/text D/w/u1.wav Mx/log.tsv; do
            refuse_at "Q/$f" "$in" compare --data E --splits dev --out Q m=Mx/final.mdl
        done
    done
    for f in errors-a.tsv errors-b.tsv; do
        refuse_at "Q/$f" M.mdl compare --data E --splits dev --out Q a=Mx/final.mdl b=@
    done
    refuse H compare --data E --splits dev --out @ m=H
}

# ---- lm build: --out; lexicon build and phones: OUT ----
case_lm_lexicon() {
    in_case lmlex
    covers lm --out
    covers lexicon OUT
    refuse T.txt lm build --out @ T.txt
    refuse D/text lm build --kaldi --out @ D/text
    for in in W.txt X.lex; do
        refuse "$in" lexicon build --cmudict X.lex --no-fallback W.txt @
    done
    for in in X.lex D/text; do
        refuse "$in" lexicon phones X.lex D/text @
    done
}

# ---- data: split OUTDIR, subset OUT, combine OUT ----
case_data() {
    in_case data
    covers data OUTDIR
    covers data OUT
    refuse D data subset --first 2 D @
    refuse D data combine @ D E/dev
    for in in D/wav.scp D/text D/utt2spk; do
        f=${in#D/}
        refuse_at "O/$f" "$in" data subset --first 2 D O
        refuse_at "O/$f" "$in" data combine O D
        refuse_at "P/a/$f" "$in" data split --names a,b --fractions 1,1 D P
    done
    printf 's\n' >S.txt
    refuse_at O/utt2spk S.txt data subset --speakers @ D O
    refuse_at P/a D data split --names a,b --fractions 1,1 @ P
}

# ---- noise: --stats, OUT_DIR ----
case_noise() {
    in_case noise
    covers noise --stats
    covers noise OUT_DIR
    for in in D/wav.scp D/text D/utt2spk D/w/u1.wav; do
        refuse "$in" noise --type white --force --stats @ D O
    done
    refuse N.wav noise --type file --noise-files N.wav --force --stats @ D O
    refuse R.wav noise --type reverb --rir R.wav --force --stats @ D O
    refuse D noise --type white --force D @
    # --stats over a file noise writes in OUT_DIR.
    expect_exit 0 "$ASR" noise --type white --force D O
    for f in noise_info text wav.scp; do
        refuse "O/$f" noise --type white --force --stats @ D O
    done
    # A replaced OUT_DIR may not hold an input (a link there is removed, not
    # followed: only the input itself counts).
    mkdir -p O2 && cp N.wav O2/n.wav
    before=$(snap O2/n.wav)
    run_with "" "" noise --type file --noise-files O2/n.wav --force D O2
    judge "a noise file in OUT_DIR" O2 O2/n.wav "$before" noise --force D O2
}

# ---- train: --out (EXP and the files in it) ----
case_train() {
    in_case train
    covers train --out
    refuse D train --pipeline direct --train D --valid D --out @ --epochs 1
    cp -r "$T/exp" O
    cp O/config cfg
    refuse_at O/final.mdl M.mdl train --pipeline direct --train D --valid D --out O \
        --resume --epochs 2 --init @
    refuse_at O/config cfg train --config @ --pipeline direct --train D --valid D --out O \
        --resume --epochs 2
    refuse_at O/log.tsv L.arpa train --pipeline direct --train D --valid D --out O --resume \
        --epochs 2 --lm @
}

# Every output a command declares is tried here, and nothing else.
case_every_declared_output_is_tried() {
    for f in "${srcdir:-.}"/src/cli/cmd_*.c; do
        cmd=$(basename "$f" .c)
        cmd=${cmd#cmd_}
        {
            cat "$f"
            ! grep -q CLI_EVAL_OPTIONS "$f" || cat "${srcdir:-.}/src/cli/eval_args.h"
        } | grep -o '{"[a-z-]*", CLI_OUTPUT[A-Z_]*\|{CLI_OUTPUT[A-Z_]*, "[^"]*"' |
            sed -e 's/^{"\([a-z-]*\)".*/--\1/' -e 's/^{CLI_OUTPUT[A-Z_]*, "\([^"]*\)"/\1/' |
            sed "s/^/$cmd /"
    done | LC_ALL=C sort -u >"$T/declared"
    LC_ALL=C sort -u "$T/covered" >"$T/tried"
    cmp -s "$T/declared" "$T/tried" ||
        { diff "$T/declared" "$T/tried" >&2; fail "declared outputs (<) and those tried (>) differ"; }
}

run_cases "$0"
exit 0
