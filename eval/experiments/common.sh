# shellcheck shell=bash
# common.sh — sourced by the experiments in eval/experiments/ (not run directly).
#
# Provides: $here (the repository root), $ASR (asr binary: $ASR if set, else
# the one in the repository root), say (progress on stderr, prefixed with
# the experiment's name), need_asr, ensure_digits DATA (builds the default
# digits corpus there when missing) and real_dev_speech DATA OUT (the dev
# speakers' real FSDD recordings, isolated and connected, as one data dir
# with phones: the target-like speech the experiments move into training).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ASR=${ASR:-$here/asr}
EXPERIMENT=$(basename "$0" .sh)

say() { echo "$EXPERIMENT: $*" >&2; }
need_asr() { [ -x "$ASR" ] || { say "no asr binary at $ASR: run make"; exit 1; }; }
ensure_digits() { [ -f "$1/train/text" ] || bash "$here/data/recipes/digits.sh" --out "$1"; }

real_dev_speech() {
    local data=$1 out=$2 p
    for p in dev_fsdd dev_fsdd_connected; do
        [ -f "$data/local/$p/text" ] ||
            { say "no $data/local/$p: build $data with FSDD (digits.sh --fsdd PATH)"; exit 1; }
    done
    rm -rf "$out"
    "$ASR" data combine "$out" "$data/local/dev_fsdd" "$data/local/dev_fsdd_connected" >/dev/null
    "$ASR" lexicon phones "$data/lexicon.txt" "$out/text" "$out/phones"
}
