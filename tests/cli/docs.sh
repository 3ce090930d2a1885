#!/usr/bin/env bash
# docs.sh — what asr says about itself is complete and runs (issue 26): `asr
# help` lists every subcommand of the dispatch table and every pipeline asr
# train takes (multitask was missing); the manual page has an EXAMPLES
# subsection for every subcommand and names no source file; the bash
# completion completes option values (pipelines, enum values, files); `asr
# text normalize` reads a number to dial digit by digit, as its help says.
. "$(dirname "$0")/lib.sh"
S=${srcdir:-.}

# section HEADING FILE: the first words of the lines under HEADING, sorted.
section() {
    awk -v h="$1" 'index($0, h) == 1 { on = 1; next } on && !NF { exit }
        on && /^  [a-z]/ && $1 != "help" { print $1 }' "$2" | sort
}

case_help_subcommands() { # those of the dispatch table (src/cli/asr.c), no more, no less
    expect_exit 0 "$ASR" help
    local table
    table=$(sed -n '/asr_commands\[\] = {/,/^};/p' "$S/src/cli/asr.c" |
        grep -oE '^ *\{"[a-z-]+"' | grep -oE '[a-z-]+' | sort)
    [ -n "$table" ] || fail "no dispatch table in src/cli/asr.c"
    [ "$(section subcommands: "$T/out")" = "$table" ] || {
        diff <(echo "$table") <(section subcommands: "$T/out") >&2
        fail "asr help: the subcommands differ from the dispatch table"
    }
}
case_help_pipelines() { # those asr train takes, as its error lists them
    expect_exit 2 "$ASR" train --pipeline none
    local known
    known=$(sed -n "s/.*unknown pipeline 'none' (expected \(.*\))$/\1/p" "$T/err" |
        sed 's/, / /g; s/ or / /' | tr ' ' '\n' | sort)
    [ -n "$known" ] || fail "asr train --pipeline none: no list of pipelines"
    expect_exit 0 "$ASR" help
    [ "$(section pipelines "$T/out")" = "$known" ] || {
        cat "$T/out" >&2
        fail "asr help: the pipelines differ from asr train's ($(echo $known))"
    }
    expect_exit 0 "$ASR" train --help
    for p in $known; do
        grep -q -- "--pipeline [a-z|]*\b$p\b" "$T/out" || fail "asr train --help: no pipeline $p"
    done
}

case_man() { # EXAMPLES for every subcommand; no source files named
    expect_exit 0 sh "$S/scripts/mkman.sh" "$ASR" 0.0.0
    cp "$T/out" "$T/asr.1"
    expect_exit 0 "$ASR" help
    local c
    for c in $(section subcommands: "$T/out"); do
        sed -n '/^\.SH EXAMPLES$/,/^\.SH /p' "$T/asr.1" | grep -qx "\.SS asr $c" ||
            fail "asr.1: no EXAMPLES for asr $c"
    done
    ! grep -nE 'src/|pipelines/|eval/[a-z_-]+\.sh|\b[a-z_]+\.(c|h|conf)\b' "$T/asr.1" |
        grep -v 'asr/asr\.h' || fail "asr.1 names source files"
}

# complete WORDS...: COMPREPLY, sorted on one line, of the completion
# function for the command line WORDS (the last one being completed).
complete_line() {
    mkdir -p "$T/bin"
    ln -sf "$ASR" "$T/bin/asr"
    PATH="$T/bin:$PATH" bash -c '. "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _asr
        [ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
        "$S/scripts/asr.bash-completion" "$@"
}
completes() { # completes "WANT" WORDS...
    local want=$1 got
    shift
    got=$(complete_line "$@")
    [ "$got" = "$want" ] || fail "completion of '$*': '$got', expected '$want'"
}
case_completion() {
    completes "train " asr tr
    completes "decode " asr help de
    completes "staged " asr train --pipeline st
    completes "direct multitask staged " asr train --pipeline ""
    completes "multitask " asr train --pipeline = mu
    completes "babble brown file pink reverb white " asr noise --type ""
    completes "fbank mfcc " asr features --kind ""
    completes "phones words " asr decode --stage ""
    completes "both char word " asr score --level ""
    completes "adam " asr train --optimizer a
    completes "speaker utterance " asr data split --by ""
    completes "json text " asr stream --format ""
    completes "" asr train --epochs ""
    completes "--quiet " asr eval --qu
    mkdir -p "$T/d/sub"
    : >"$T/d/model.mdl"
    completes "$T/d/model.mdl " asr decode --model "$T/d/mo"
    # A model's name, as asr models finds it.
    mkdir -p "$T/m"
    : >"$T/m/tiny-one.mdl"
    ASR_MODEL_PATH=$T/m completes "tiny-one " asr decode --model tin
    completes "$T/d/sub " asr eval --data "$T/d/s"
    completes "$T/d/model.mdl " asr features --cmvn "$T/d/m"
}

case_text_normalize() { # a number to dial digit by digit; the rule in the help
    printf 'call 555-1212 or (555) 123-4567, press 2 for 500\n' >"$T/in"
    expect_exit 0 "$ASR" text normalize <"$T/in"
    echo "call five five five one two one two or five five five one two three four five six seven press two for five hundred" |
        diff - "$T/out" >&2 || fail "asr text normalize: numbers to dial"
    expect_exit 0 "$ASR" text normalize --help
    expect_grep 'a number to dial is read digit by digit' "$T/out"
}
run_cases "$0"
echo ok
