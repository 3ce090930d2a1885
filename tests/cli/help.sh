#!/usr/bin/env bash
# The dispatcher: help lists every subcommand, unknown ones are usage errors,
# and every subcommand answers --help with exit 0.
. "$(dirname "$0")/lib.sh"
expect_exit 0 "$ASR" help
for sub in $(awk '/^subcommands:/{f=1;next} f&&NF{print $1}' "$T/out" | grep -v -e '^help$' -e '^--version$'); do
  expect_exit 0 "$ASR" "$sub" --help
  expect_grep "usage: asr $sub" "$T/out"
done
expect_exit 2 "$ASR" no-such-command
expect_grep "unknown subcommand 'no-such-command'" "$T/err"
expect_exit 2 "$ASR"
# --version: the package version configure was given, on stdout.
expect_exit 0 "$ASR" --version
expect_grep '^asr [0-9]+\.[0-9]+\.[0-9]+$' "$T/out"
echo ok
