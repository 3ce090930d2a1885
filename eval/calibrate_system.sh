#!/usr/bin/env bash
# calibrate_system.sh — the calibration of a combined system's word
# confidences (the words it keeps, after its combination: src/recognizer/
# system.h) measured on speakers never heard. For each fold K of
# eval/experiments/unseen_speakers.sh runs, the fold's system (its members'
# fold models, stored with `asr models --combine`) is fitted by `asr
# calibrate` on fold K's held-out in-vocabulary sets; then fold K is
# measured with the mean of the OTHER folds' keys (never its own), as the
# shipped system would be used on a voice it never heard. The mean over
# every fold is the calibration to ship.
#
# usage: eval/calibrate_system.sh --member RUN:PIPE [--member RUN:PIPE ...]
#            [--pad-view MS] [--work DIR] [--json FILE]
#   --member RUN:PIPE  a member: RUN/folds/K/PIPE/final.mdl for each fold K, in
#                      the system's order (the first gets the padded view)
#   --pad-view MS      the first member's padded view (default 50, as shipped)
#   --work DIR         systems and data (default /tmp/calibrate-system)
#   --json FILE        one JSON object per fold and one for the mean keys
# The in-vocabulary sets are the first member's RUN/folds/K/{fsdd_isolated,
# fsdd_connected,sc_digits}. Prints per fold the word AUC and ECE (10 bins)
# of the raw confidences and of the calibrated ones, then the mean keys.
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
. "$(dirname "$0")/system_folds.sh"
members=() pad=50 work=/tmp/calibrate-system json=''
while [ $# -gt 0 ]; do
    case $1 in
    --member) need_value "$1" $#; members+=("$2"); shift 2 ;;
    --pad-view) need_value "$1" $#; need_uint "$1" "$2"; pad=$2; shift 2 ;;
    --work) need_value "$1" $#; work=$2; shift 2 ;;
    --json) need_value "$1" $#; json=$2; shift 2 ;;
    -h | --help) sed -n '2,21p' "$0"; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
    esac
done
[ ${#members[@]} -ge 2 ] || usage_error "give at least two --member RUN:PIPE"
need_asr calibrate
need_tool jq jq
mkdir -p "$work"
first=${members[0]%%:*}
system_folds "${members[@]}"
ks=("${FOLDS[@]}")
# system K [--set KEY=VALUE ...]: fold K's system into $work/sysK[-cal].mdl
system() {
    local k=$1 out=$work/sys$1.mdl
    shift
    [ $# = 0 ] || out=$work/sys$k-lofo.mdl
    system_args "$k" "$pad" "${members[@]}"
    "$ASR" models "${SYSTEM_ARGS[@]}" "$@" --out "$out" || die "fold $k: storing its system failed"
}
for k in "${ks[@]}"; do
    F=$first/folds/$k parts=()
    for s in fsdd_isolated fsdd_connected sc_digits; do [ -s "$F/$s/wav.scp" ] && parts+=("$F/$s"); done
    rm -rf "$work/iv$k"
    "$ASR" data combine "$work/iv$k" "${parts[@]}" >/dev/null || die "fold $k: asr data combine failed"
    system "$k"
    "$ASR" calibrate --quiet --threads 1 --model "$work/sys$k.mdl" --data "$work/iv$k" \
        --out "$work/sys$k-fit.mdl" >"$work/fit$k.json" || die "fold $k: asr calibrate failed"
    say "fold $k fitted: $(jq -c '{confidence_scale, confidence_gap_scale, confidence_bias,
        confidence_agree_scale}' "$work/fit$k.json")"
done
# mean FOLDS: the mean of those folds' keys, as --set arguments
mean() {
    local f files=()
    for f in "$@"; do files+=("$work/fit$f.json"); done
    jq -rs 'def m(k): map(.[k] // 0) | add / length;
        "--set confidence_scale=\(m("confidence_scale"))",
        "--set confidence_gap_scale=\(m("confidence_gap_scale"))",
        "--set confidence_bias=\(m("confidence_bias"))",
        "--set confidence_agree_scale=\(m("confidence_agree_scale"))"' "${files[@]}"
}
[ -z "$json" ] || : >"$json"
printf '%-5s %-15s %-15s %s\n' fold "auc raw -> cal" "ece raw -> cal" keys
for k in "${ks[@]}"; do
    others=()
    for o in "${ks[@]}"; do [ "$o" = "$k" ] || others+=("$o"); done
    read -r -a keys <<<"$(mean "${others[@]}" | tr '\n' ' ')"
    system "$k" "${keys[@]}"
    "$ASR" calibrate --quiet --threads 1 --model "$work/sys$k-lofo.mdl" --data "$work/iv$k" >"$work/lofo$k.json" ||
        die "fold $k: measuring the calibration failed"
    jq -r --arg k "$k" '"\($k)     \(.before.auc) -> \(.after.auc)  \(.before.ece) -> \(.after.ece)  " +
        "\(.confidence_scale) \(.confidence_gap_scale) \(.confidence_bias) \(.confidence_agree_scale)"' \
        "$work/lofo$k.json"
    [ -z "$json" ] || jq -c --arg k "$k" '{fold: $k, words, right, confidence_scale, confidence_gap_scale,
        confidence_bias, confidence_agree_scale, before: {auc: .before.auc, ece: .before.ece}, after: {auc: .after.auc, ece: .after.ece}}' \
        "$work/lofo$k.json" >>"$json"
done
read -r -a keys <<<"$(mean "${ks[@]}" | tr '\n' ' ')"
say "the mean over every fold, to ship: ${keys[*]}"
[ -z "$json" ] || printf '%s\n' "${keys[@]}" | jq -Rsc 'split("\n") | map(select(test("=")) |
    split("=") | {(.[0]): (.[1] | tonumber)}) | add | {mean: .}' >>"$json"
