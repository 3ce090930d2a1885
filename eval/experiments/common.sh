# shellcheck shell=bash
# common.sh — sourced by the experiments in eval/experiments/ (not run directly).
#
# Provides: everything of scripts/lib.sh ($REPO, $ASR, say/die/usage_error,
# need_tool, need_asr, the report.json and `asr score --json` readers), and
# for the experiments: ensure_digits DATA (builds the default digits corpus
# there when missing) and real_dev_speech DATA OUT (the dev speakers' real
# FSDD recordings, isolated and connected, as one data dir with phones: the
# target-like speech the experiments move into training).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

ensure_digits() { [ -f "$1/train/text" ] || bash "$REPO/data/recipes/digits.sh" --out "$1"; }

real_dev_speech() {
    local data=$1 out=$2 p
    for p in dev_fsdd dev_fsdd_connected; do
        [ -f "$data/local/$p/text" ] || die "no $data/local/$p: build $data with FSDD (digits.sh --fsdd PATH)"
    done
    rm -rf "$out"
    "$ASR" data combine "$out" "$data/local/dev_fsdd" "$data/local/dev_fsdd_connected" >/dev/null
    "$ASR" lexicon phones "$data/lexicon.txt" "$out/text" "$out/phones"
}
