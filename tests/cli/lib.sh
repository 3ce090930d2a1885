# lib.sh — sourced by the CLI integration tests in tests/cli/.
# Provides: $ASR (the built binary), a scratch dir $T removed on exit, and
# assertions that print what went wrong. Exit 77 means "skipped" to automake.
set -u
: "${ASR:?ASR must point at the built asr binary}"
T=$(mktemp -d /tmp/asr-cli-XXXXXX)
trap 'rm -rf "$T"' EXIT
FSDD=${FSDD:-${srcdir:-.}/../shared/data/fsdd}

fail() { echo "FAIL: $*" >&2; exit 1; }
# expect_exit CODE CMD... : run CMD, capture stdout/stderr in $T/out $T/err, check status.
expect_exit() {
  local want=$1; shift
  "$@" >"$T/out" 2>"$T/err"
  local got=$?
  [ "$got" -eq "$want" ] || { cat "$T/out" "$T/err" >&2; fail "'$*' exited $got, expected $want"; }
}
# expect_grep PATTERN FILE : FILE must contain PATTERN (extended regexp).
expect_grep() { grep -Eq -- "$1" "$2" || { cat "$2" >&2; fail "'$1' not found in $2"; }; }
