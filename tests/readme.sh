#!/bin/sh
# readme.sh [README] — the README's commands run as written. Every fenced
# ```sh block of README.md (or README) is run in order, each by bash with
# errexit and pipefail, in one scratch directory (so a file one block makes,
# call.wav, is there for the next), with the built asr first on the PATH, as
# `make install` would put it, and the shipped models found in the source
# tree's models/. A block whose line before is
#   <!-- readme-test: skip (REASON) -->
# is long or needs what a test does not have (a microphone, an installed
# libasr): it is named with its reason, not run. Fails naming the block's
# line when a command fails. Fails without the shipped models; skipped (77) without the
# tools the quick blocks use.
. "${srcdir:-.}/tests/cli/lib.sh"
readme=${1:-${srcdir:-.}/README.md}
[ -f "$readme" ] || fail "no $readme"
for tool in espeak-ng jq; do
    command -v "$tool" >/dev/null || { echo "readme: $tool missing (Debian package $tool): skipped"; exit 77; }
done
unset ASR_MODEL_PATH
"$ASR" models --json >"$T/models.json" 2>/dev/null
jq -e '.default != null' "$T/models.json" >/dev/null ||
    { echo "FAIL: readme: no shipped default model (models/*.mdl are part of the tree)"; exit 1; }
bindir=$T/bin
mkdir -p "$bindir" "$T/run"
ln -s "$ASR" "$bindir/asr"
# The blocks, as files $T/block.LINE, and the list "LINE run|skip REASON".
awk -v dir="$T" '
    /^<!-- readme-test: skip/ { skip = $0; sub(/^<!-- readme-test: skip */, "", skip); sub(/ *-->.*$/, "", skip); next }
    /^```sh[ \t]*$/ && !inblock { inblock = 1; line = NR; f = dir "/block." NR
        print line, (skip != "" ? "skip " skip : "run") >>(dir "/blocks"); printf "" >f; skip = ""; next }
    /^```/ && inblock { inblock = 0; close(f); next }
    inblock { print >>f; next }
    { if ($0 !~ /^[ \t]*$/) skip = "" }
' "$readme"
[ -s "$T/blocks" ] || fail "no \`\`\`sh block in $readme"
ran=0 skipped=0
while read -r line what reason; do
    if [ "$what" = skip ]; then
        echo "readme: line $line: skipped $reason"
        skipped=$((skipped + 1))
        continue
    fi
    (cd "$T/run" && PATH="$bindir:$PATH" bash -eo pipefail "$T/block.$line") >"$T/out" 2>"$T/err" || {
        cat "$T/block.$line" "$T/out" "$T/err" >&2
        fail "$readme, the block at line $line: a command failed (above: the block, its output)"
    }
    echo "readme: line $line: ran"
    ran=$((ran + 1))
done <"$T/blocks"
echo "readme: $ran blocks ran, $skipped skipped"
[ "$ran" -gt 0 ] || fail "no block of $readme was run"
