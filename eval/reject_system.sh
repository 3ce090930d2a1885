#!/usr/bin/env bash
# reject_system.sh — a combined system that rejects speech outside its
# vocabulary through one member (the detector) measured on speakers never
# heard. A member that rejects vetoes the combination (src/recognizer/combine.h),
# so the system rejects an utterance when the detector's confidence in its own
# words is below reject_confidence. For each fold of
# eval/experiments/unseen_speakers.sh runs, the system (without rejection)
# and the detector alone decode the fold's held-out in-vocabulary sets and its
# out-of-vocabulary set (eval/reject_data.sh); each threshold of --confidences
# is then applied to the detector's results, as the recognizer applies it.
# The threshold for fold K is chosen on the other folds: the one that lets
# the fewest out-of-vocabulary utterances give words while costing at most
# --max-cost WER points on each in-vocabulary test set (mean over those
# folds); fold K is measured with it. The same rule over every fold gives the
# threshold to ship.
#
# usage: eval/reject_system.sh --member RUN:PIPE [--member RUN:PIPE ...] --detector I
#            [--pad-view MS] [--confidences LIST] [--max-cost POINTS] [--work DIR] [--json FILE]
#   --member RUN:PIPE  a member: RUN/folds/K/PIPE/final.mdl for each fold K, in
#                      the system's order (the first gets the padded view)
#   --detector I       the member (1-based) whose rejection vetoes
#   --pad-view MS      the first member's padded view (default 50, as shipped)
#   --confidences L    comma-separated thresholds above 0 (default 0.01,...,0.1,0.12,0.15,0.2)
#   --max-cost P       WER points allowed on each in-vocabulary set (default 1)
#   --work DIR         OOV sets and decodes, kept: remove DIR to decode again
#                      (default /tmp/reject-system)
#   --json FILE        one JSON object per threshold (pooled over every fold)
#                      and per fold (chosen on the others)
# The in-vocabulary sets are the first member's RUN/folds/K/{fsdd_isolated,
# fsdd_connected,sc_digits}; the OOV set is the held-out speakers' Speech
# Commands words (RUN/real/sc_words of the first member) and the shared parts
# of eval/reject_data.sh --foreign.
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
. "$(dirname "$0")/system_folds.sh"
members=() detector='' pad=50 confs=0.01,0.02,0.03,0.04,0.05,0.06,0.07,0.08,0.09,0.1,0.12,0.15,0.2
max_cost=1 work=/tmp/reject-system json=''
while [ $# -gt 0 ]; do
    case $1 in
    --member) need_value "$1" $#; members+=("$2"); shift 2 ;;
    --detector) need_value "$1" $#; need_uint "$1" "$2"; detector=$2; shift 2 ;;
    --pad-view) need_value "$1" $#; need_uint "$1" "$2"; pad=$2; shift 2 ;;
    --confidences) need_value "$1" $#; confs=$2; shift 2 ;;
    --max-cost) need_value "$1" $#; max_cost=$2; shift 2 ;;
    --work) need_value "$1" $#; work=$2; shift 2 ;;
    --json) need_value "$1" $#; json=$2; shift 2 ;;
    -h | --help) sed -n '2,31p' "$0"; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
    esac
done
[ ${#members[@]} -ge 2 ] || usage_error "give at least two --member RUN:PIPE"
[ -n "$detector" ] && [ "$detector" -ge 1 ] && [ "$detector" -le ${#members[@]} ] ||
    usage_error "--detector must name a member, 1 to ${#members[@]}"
[[ $confs =~ ^[0-9.]+(,[0-9.]+)*$ ]] && [[ ,$confs, != *,0,* ]] ||
    usage_error "--confidences: comma-separated numbers above 0, not '$confs'"
[[ $max_cost =~ ^[0-9]+(\.[0-9]+)?$ ]] || usage_error "--max-cost: a number of points, not '$max_cost'"
need_asr decode
need_tool jq jq
mkdir -p "$work"
first=${members[0]%%:*}
system_folds "${members[@]}"
ks=("${FOLDS[@]}")
sets=(fsdd_isolated fsdd_connected sc_digits)
rows=$work/rows.tsv # fold set utt detector_has_words detector_confidence system_text
: >"$rows"
for k in "${ks[@]}"; do
    F=$first/folds/$k
    [ -f "$work/oov$k/all/wav.scp" ] || bash "$REPO/eval/reject_data.sh" --out "$work/oov$k" --foreign \
        --sc-words "$first/real/sc_words" --speakers "$F/heldout" >/dev/null
    system_args "$k" "$pad" "${members[@]}"
    sys=("${SYSTEM_ARGS[@]}")
    for s in "${sets[@]}" oov; do
        d=$F/$s
        [ "$s" != oov ] || d=$work/oov$k/all
        [ -s "$d/wav.scp" ] || continue
        [ -s "$work/$k.$s.sys.json" ] ||
            "$ASR" decode --threads 1 "${sys[@]}" --format json --out "$work/$k.$s.sys.json" "$d" 2>/dev/null ||
            die "fold $k: the system did not decode $d"
        [ -s "$work/$k.$s.det.json" ] ||
            "$ASR" decode --threads 1 --model "$(member_model "${members[detector - 1]}" "$k")" --format json \
                --out "$work/$k.$s.det.json" "$d" 2>/dev/null || die "fold $k: the detector did not decode $d"
        jq -rn --arg k "$k" --arg s "$s" --slurpfile a "$work/$k.$s.sys.json" --slurpfile b "$work/$k.$s.det.json" \
            '($b | map({(.utt): .}) | add) as $det | $a[] |
             [$k, $s, .utt, ($det[.utt].text != "" | tostring), $det[.utt].confidence, .text] | @tsv' >>"$rows"
    done
    say "fold $k decoded"
done
# WER % of fold K's set S with threshold C (0: the system as it is), and the
# share of its OOV utterances giving words.
wer() { # K S C
    local ref=$first/folds/$1/$2/text hyp=$work/hyp.txt
    awk -F'\t' -v k="$1" -v s="$2" -v c="$3" '$1 == k && $2 == s {
        print $3, ($4 == "true" && $5 < c) ? "" : $6 }' "$rows" >"$hyp"
    "$ASR" score --json "$ref" "$hyp" | jq -r .wer
}
fa() { # K C
    awk -F'\t' -v k="$1" -v c="$2" '$1 == k && $2 == "oov" { n++; if ($6 != "" && !($4 == "true" && $5 < c)) a++ }
        END { printf "%.2f\n", n ? 100 * a / n : 0 }' "$rows"
}
table=$work/table.tsv # fold set threshold value (wer or fa)
: >"$table"
IFS=, read -r -a cs <<<"$confs"
for k in "${ks[@]}"; do
    for c in 0 "${cs[@]}"; do
        for s in "${sets[@]}"; do
            [ -s "$first/folds/$k/$s/text" ] && printf '%s\t%s\t%s\t%s\n' "$k" "$s" "$c" "$(wer "$k" "$s" "$c")" >>"$table"
        done
        printf '%s\toov\t%s\t%s\n' "$k" "$c" "$(fa "$k" "$c")" >>"$table"
    done
done
# choose FOLDS: the threshold with the least mean FA over FOLDS whose mean
# cost on each set over FOLDS is at most max_cost (0 when none is).
choose() {
    jq -rRn --arg folds "$1" --argjson max "$max_cost" '
        ($folds | split(" ")) as $f |
        [inputs | split("\t") | select(.[0] as $k | $f | index($k))] as $r |
        def mean($s; $c): [$r[] | select(.[1] == $s and .[2] == $c) | .[3] | tonumber] | add / length;
        ([$r[] | .[1]] | unique | map(select(. != "oov"))) as $sets |
        [$r[] | .[2]] | unique | map({c: ., fa: mean("oov"; .),
            ok: (. as $c | all($sets[]; mean(.; $c) - mean(.; "0") <= $max))}) |
        map(select(.ok)) | min_by(.fa) | .c' "$table"
}
say "threshold, pooled over folds ${ks[*]}: out-of-vocabulary utterances giving words, WER % per set (mean over folds)"
[ -z "$json" ] || : >"$json"
summary() { # FOLDS C: the JSON of C over FOLDS
    jq -cRn --arg folds "$1" --arg c "$2" '
        ($folds | split(" ")) as $f |
        [inputs | split("\t") | select((.[0] as $k | $f | index($k)) and .[2] == $c)] as $r |
        {reject_confidence: ($c | tonumber), folds: $f,
         oov_giving_words: ([$r[] | select(.[1] == "oov") | .[3] | tonumber] | add / length),
         wer: ([$r[] | select(.[1] != "oov")] | group_by(.[1]) |
               map({(.[0][1]): ((map(.[3] | tonumber) | add / length) * 100 | round / 100)}) | add)}' "$table"
}
for c in 0 "${cs[@]}"; do
    line=$(summary "${ks[*]}" "$c")
    echo "$line" | jq -r '"  \(.reject_confidence): \(.oov_giving_words * 100 | round / 100)% | " +
        (.wer | to_entries | map("\(.key) \(.value)") | join(" "))'
    [ -z "$json" ] || echo "$line" >>"$json"
done
say "each fold with the threshold chosen on the others (at most $max_cost points on each set)"
for k in "${ks[@]}"; do
    others=$(printf '%s\n' "${ks[@]}" | grep -vx "$k" | tr '\n' ' ' | sed 's/ $//')
    c=$(choose "$others")
    [ -n "$c" ] && [ "$c" != null ] || c=0
    line=$(summary "$k" "$c" | jq -c --argjson b "$(summary "$k" 0)" '. + {before: $b}')
    echo "$line" | jq -r '"  fold \(.folds[0]): \(.reject_confidence) | OOV giving words \(.before.oov_giving_words)% -> \(.oov_giving_words)% | " +
        (.wer | to_entries | map("\(.key) \($b.before.wer[.key]) -> \(.value)") | join(" "))' --argjson b "$line"
    [ -z "$json" ] || echo "$line" >>"$json"
done
c=$(choose "${ks[*]}")
say "chosen on every fold: reject_confidence = ${c:-none}"
