#!/bin/sh
# mkman.sh ASR VERSION — asr(1), the manual page, on standard output: the
# overview of `asr --help`, then one section per subcommand holding its own
# `--help`, so the page says what the program says (nothing to keep in sync);
# the "Examples:" block that ends each help goes to EXAMPLES, one subsection
# per subcommand. The help texts are set verbatim (.nf) with roff's special
# characters escaped.
set -eu
asr=$1 version=$2
esc() { sed -e 's/\\/\\e/g' -e 's/^\./\\\&./' -e "s/^'/\\\\\\&'/"; }
# The subcommands: the lines after "subcommands:" up to the blank line.
cmds=$("$asr" --help | awk '/^subcommands:/ { on = 1; next } on && !NF { exit }
    on && /^  [a-z]/ && $1 != "help" { print $1 }')
[ -n "$cmds" ] || { echo "mkman.sh: no subcommands in '$asr --help'" >&2; exit 1; }
cat <<HEAD
.TH ASR 1 "" "asr $version" "User Commands"
.SH NAME
asr \\- speech recognition workbench: train, decode, stream, evaluate
.SH SYNOPSIS
.B asr
.I SUBCOMMAND
[\\fIOPTIONS\\fR] [\\fIARGS\\fR]
.SH DESCRIPTION
.nf
HEAD
"$asr" --help | esc
echo ".fi"
echo ".SH SUBCOMMANDS"
for c in $cmds; do
    echo ".SS asr $c"
    echo ".nf"
    "$asr" "$c" --help | sed '/^Examples:$/,$d' | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' | esc
    echo ".fi"
done
echo ".SH EXAMPLES"
for c in $cmds; do
    ex=$("$asr" "$c" --help | sed '1,/^Examples:$/d')
    [ -n "$ex" ] || { echo "mkman.sh: 'asr $c --help' has no Examples" >&2; exit 1; }
    echo ".SS asr $c"
    echo ".nf"
    printf '%s\n' "$ex" | esc
    echo ".fi"
done
cat <<TAIL
.SH ENVIRONMENT
.TP
.B ASR_PROGRESS_INTERVAL
seconds between two progress lines when standard error is not a terminal
(default 10; 0 prints every one, for tests).
.SH EXIT STATUS
0 on success, 1 when the work failed (the message names the culprit), 2 for
bad usage.
.SH SEE ALSO
The README and the architecture notes of the source distribution;
.I asr/asr.h
for the embedding library (pkg-config asr).
TAIL
