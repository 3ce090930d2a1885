#!/usr/bin/env bash
# system_word_times.sh — how far a combined system's word times are from the
# truth on speakers never heard, each member's time shifts (its stored
# bias correction, recognizer/options.h time_start_shift and
# time_end_shift) measured on the OTHER folds only. For the folds of
# eval/experiments/unseen_speakers.sh runs that have connected strings
# (RUN/folds/K/fsdd_connected):
#   1. each member's start and end bias on fold K, unshifted
#      (eval/word_times.sh);
#   2. fold K's system: each member shifted by minus the median of its
#      biases on the other folds (the median, so one speaker whose word
#      ends lie far from everyone's does not move the others'), combined
#      as `asr models --combine` stores it; its boundary error on fold K;
#   3. the shifts to ship: minus each member's median bias over every fold.
#
# usage: eval/system_word_times.sh --member RUN:PIPE [--member RUN:PIPE ...]
#            --plan PLAN [--pad-view MS] [--work DIR] [--json FILE]
#   --member RUN:PIPE  a member: RUN/folds/K/PIPE/final.mdl for each fold K, in
#                      the system's order (the first gets the padded view)
#   --plan PLAN        connect.sh's plan of the connected strings
#                      (RUN/real/local/fsdd_connected.plan)
#   --pad-view MS      the first member's padded view (default 50, as shipped)
#   --work DIR         models and numbers (default /tmp/system-word-times)
#   --json FILE        one JSON object per fold (eval/word_times.sh's) and
#                      one with the shifts to ship
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
. "$(dirname "$0")/system_folds.sh"
members=() plan='' pad=50 work=/tmp/system-word-times json=''
while [ $# -gt 0 ]; do
    case $1 in
    --member) need_value "$1" $#; members+=("$2"); shift 2 ;;
    --plan) need_value "$1" $#; plan=$2; shift 2 ;;
    --pad-view) need_value "$1" $#; need_uint "$1" "$2"; pad=$2; shift 2 ;;
    --work) need_value "$1" $#; work=$2; shift 2 ;;
    --json) need_value "$1" $#; json=$2; shift 2 ;;
    -h | --help) sed -n '2,26p' "$0"; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
    esac
done
[ ${#members[@]} -ge 2 ] || usage_error "give at least two --member RUN:PIPE"
[ -n "$plan" ] || usage_error "needs --plan"
need_asr
need_tool jq jq
mkdir -p "$work"
first=${members[0]%%:*}
system_folds "${members[@]}"
ks=()
for k in "${FOLDS[@]}"; do [ -s "$first/folds/$k/fsdd_connected/wav.scp" ] && ks+=("$k"); done
[ ${#ks[@]} -ge 2 ] || die "fewer than two folds with connected strings in $first"
boundary_errors() { # MODEL K OUT: eval/word_times.sh of MODEL on fold K's strings into OUT (JSON)
    "$(dirname "$0")/word_times.sh" --model "$1" --data "$first/folds/$2/fsdd_connected" \
        --plan "$plan" --json "$3" >/dev/null || die "word_times.sh of $1 on fold $2 failed"
}
# 1. Each member's bias on each fold.
for i in "${!members[@]}"; do
    for k in "${ks[@]}"; do boundary_errors "$(member_model "${members[$i]}" "$k")" "$k" "$work/bias$i-$k.json"; done
done
# shifts I FOLD...: member I's --set arguments, minus its median bias (ms -> s) over FOLDs.
shifts() {
    local i=$1 f files=()
    shift
    for f in "$@"; do files+=("$work/bias$i-$f.json"); done
    jq -rs 'def med: sort | if length % 2 == 1 then .[length / 2 | floor]
                            else (.[length / 2 - 1] + .[length / 2]) / 2 end;
        "--set time_start_shift=\(-(map(.start_bias_ms) | med) / 1000)",
        "--set time_end_shift=\(-(map(.end_bias_ms) | med) / 1000)"' "${files[@]}"
}
# 2. Each fold's system, its members shifted by the other folds' medians.
[ -z "$json" ] || : >"$json"
printf '%-5s %7s %10s %9s %11s %9s\n' fold right median_ms p95_ms start_bias end_bias
for k in "${ks[@]}"; do
    others=()
    for o in "${ks[@]}"; do [ "$o" = "$k" ] || others+=("$o"); done
    args=()
    for i in "${!members[@]}"; do
        read -r -a set <<<"$(shifts "$i" "${others[@]}" | tr '\n' ' ')"
        "$ASR" models --model "$(member_model "${members[$i]}" "$k")" "${set[@]}" \
            --out "$work/m$i-$k.mdl" || die "fold $k: storing member $i's shifts failed"
        if [ "$i" = 0 ]; then args+=(--model "$work/m$i-$k.mdl" --pad-view "$pad"); else args+=(--combine "$work/m$i-$k.mdl"); fi
    done
    "$ASR" models "${args[@]}" --out "$work/sys$k.mdl" || die "fold $k: storing its system failed"
    boundary_errors "$work/sys$k.mdl" "$k" "$work/sys$k.json"
    jq -r --arg k "$k" '"\($k)     \(.right)/\(.utterances)    \(.median_ms)    \(.p95_ms)    \(.start_bias_ms)    \(.end_bias_ms)"' \
        "$work/sys$k.json"
    [ -z "$json" ] || jq -c --arg k "$k" '{fold: $k} + .' "$work/sys$k.json" >>"$json"
done
# 3. The shifts to ship.
for i in "${!members[@]}"; do
    say "member $i (${members[$i]}), to ship: $(shifts "$i" "${ks[@]}" | tr '\n' ' ')"
    [ -z "$json" ] || shifts "$i" "${ks[@]}" | jq -Rsc --arg m "${members[$i]}" 'split("\n") |
        map(select(test("=")) | ltrimstr("--set ") | split("=") | {(.[0]): (.[1] | tonumber)}) | add |
        {member: $m, ship: .}' >>"$json"
done
