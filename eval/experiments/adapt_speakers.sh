#!/usr/bin/env bash
# adapt_speakers.sh — speaker adaptation from untranscribed audio, measured on
# people the models never heard (asr adapt; recognizer/adapt.h).
#
# Takes the folds of an unseen_speakers.sh run (RUN/folds/K: the fold's models
# P/final.mdl, trained without the held-out FSDD speaker, and that speaker's
# fsdd_isolated test set). Each held-out speaker's 500 isolated digits are cut
# into two halves (alternate utterances); the model adapts on N utterances of
# one half (drawn at random, seed 1) without their transcripts (asr adapt)
# and decodes the other half, then the halves swap: every utterance is tested once, by a
# model adapted on audio that does not contain it. Sizes N: 10, 50 and all
# (250); supervised adaptation on a whole half (the references instead of the
# hypotheses) is the upper bound. The connected strings are not used: they
# are joined from the same recordings, so a half would hear its test audio.
# The Speech Commands folds are not either: one or two digits per speaker
# leave nothing to adapt on.
#
# `seconds`: the fitting per half (with --cotrain, both models' fits: asr
# adapt's seconds).
# Per fold and size: WER before and after, and the paired bootstrap of after
# - before over the utterances (asr score --against: 1,000 resamples, 95%).
# Writes OUT/folds/K/rows.jsonl and OUT/adapt.json (rows {fold, system, size, supervised, wer_before,
# wer_after, delta_lo, delta_hi, seconds}; means per system and size) and
# OUT/table.md and OUT/folds.md (the README's tables: means, and each fold).
#
# usage: eval/experiments/adapt_speakers.sh --run RUN [options]
#   --run DIR          an unseen_speakers.sh output (required)
#   --out DIR          default RUN/adapt
#   --pipelines LIST   default staged,direct
#   --sizes LIST       adaptation utterances per half (default 10,50,all)
#   --adapt-opt OPT    an extra `asr adapt` argument (repeatable)
#   --agree            adapt each pipeline's model with the fold's model of
#                      the other pipeline as the second opinion (asr adapt
#                      --agree: only the hypotheses both hear are kept)
#   --cotrain          --agree with the other pipeline's model adapted
#                      first (asr adapt --cotrain: on the same utterances,
#                      with this pipeline's unadapted model as its second
#                      opinion): each model adapts to the other's adapted
#                      hypotheses
#   --folds LIST       only these folds (e.g. 3,4); the others' rows, from an
#                      earlier run into the same OUT, stay in the means
. "$(dirname "$0")/common.sh"
run='' out='' pipelines=staged,direct sizes=10,50,all adapt_opts=() fold_list='' agree=0 cotrain=0
while [ $# -gt 0 ]; do
    case $1 in
    --run) need_value "$1" $#; run=$2; shift 2 ;;
    --out) need_value "$1" $#; out=$2; shift 2 ;;
    --pipelines) need_value "$1" $#; pipelines=$2; shift 2 ;;
    --sizes) need_value "$1" $#; sizes=$2; shift 2 ;;
    --folds) need_value "$1" $#; fold_list=$2; shift 2 ;;
    --adapt-opt) need_value "$1" $#; adapt_opts+=("$2"); shift 2 ;;
    --agree) agree=1; shift ;;
    --cotrain) agree=1 cotrain=1; shift ;;
    -h | --help) sed -n '2,40p' "$0"; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
    esac
done
[ -n "$run" ] || usage_error "--run is required"
[ -d "$run/folds" ] || die "--run: no folds under '$run'"
[ -n "$out" ] || out=$run/adapt
need_asr
need_tool jq jq
export LC_ALL=C
IFS=, read -r -a pipes <<<"$pipelines"
IFS=, read -r -a nsizes <<<"$sizes"
for n in "${nsizes[@]}"; do [[ $n =~ ^([1-9][0-9]*|all)$ ]] || usage_error "--sizes: '$n' is not a count or 'all'"; done
mkdir -p "$out"

for F in "$run"/folds/*/; do
    F=${F%/}
    k=$(basename "$F")
    [ -f "$F/fsdd_isolated/text" ] || continue
    [ -z "$fold_list" ] || [[ ,$fold_list, == *,$k,* ]] || continue
    W=$out/folds/$k
    mkdir -p "$W"
    rows=$W/rows.jsonl
    : >"$rows"
    # The halves: alternate utterances (the ids sort by digit, then take).
    cut -d' ' -f1 "$F/fsdd_isolated/text" | awk 'NR % 2 == 1' >"$W/a.ids"
    cut -d' ' -f1 "$F/fsdd_isolated/text" | awk 'NR % 2 == 0' >"$W/b.ids"
    for h in a b; do
        rm -rf "$W/$h"
        "$ASR" data subset --utterances "$W/$h.ids" "$F/fsdd_isolated" "$W/$h" >/dev/null ||
            die "fold $k: asr data subset failed"
    done
    for p in "${pipes[@]}"; do
        M=$F/$p/final.mdl
        [ -f "$M" ] || die "no $M"
        # Before: the fold's model as it is, each half.
        for h in a b; do
            "$ASR" decode --quiet --threads 1 --model "$M" --out "$W/$p-$h-before.txt" "$W/$h" ||
                die "fold $k: decoding $h with $p failed"
        done
        cat "$W/$p-a-before.txt" "$W/$p-b-before.txt" | sort >"$W/$p-before.txt"
        for n in "${nsizes[@]}" sup; do
            sup=false aopts=()
            [ "$n" != sup ] || sup=true aopts=(--supervised) n=all
            if [ "$agree" = 1 ] && [ "$sup" = false ]; then
                partner=$F/$([ "$p" = staged ] && echo direct || echo staged)/final.mdl
                [ -f "$partner" ] || die "--agree: no $partner"
                aopts+=(--agree "$partner")
                [ "$cotrain" = 0 ] || aopts+=(--cotrain)
            fi
            tag=$p-$n$([ "$sup" = false ] || echo -sup)
            secs=0
            for h in a b; do
                other=$([ $h = a ] && echo b || echo a)
                rm -rf "$W/adapt-$h"
                if [ "$n" = all ]; then
                    cp -r "$W/$h" "$W/adapt-$h"
                else
                    # N utterances drawn at random (seed 1), sorted: the ids
                    # sort by digit, so the first N would be one digit only.
                    # (awk, not head: head's early exit would fail the pipe.)
                    awk 'BEGIN { srand(1) } { print rand(), $1 }' "$W/$h.ids" | sort -g |
                        awk -v n="$n" 'NR <= n { print $2 }' | sort >"$W/adapt-$h.ids"
                    "$ASR" data subset --utterances "$W/adapt-$h.ids" "$W/$h" "$W/adapt-$h" >/dev/null ||
                        die "fold $k: asr data subset failed"
                fi
                [ "$sup" = true ] || rm -f "$W/adapt-$h/text" "$W/adapt-$h/phones"
                if ! "$ASR" adapt --quiet --threads 1 --model "$M" --data "$W/adapt-$h" "${aopts[@]}" \
                    "${adapt_opts[@]}" --out "$W/$tag-$h.mdl" >"$W/$tag-$h.json" 2>"$W/$tag-$h.err"; then
                    # Too little confident audio: asr adapt adapts nothing,
                    # and the speaker is decoded by the source model.
                    grep -q 'no speaker has' "$W/$tag-$h.err" || die "fold $k: asr adapt ($tag, half $h): $(cat "$W/$tag-$h.err")"
                    cp "$M" "$W/$tag-$h.mdl"
                    echo '{"seconds": 0}' >"$W/$tag-$h.json"
                fi
                secs=$(jq --argjson s "$secs" '$s + .seconds' "$W/$tag-$h.json")
                "$ASR" decode --quiet --threads 1 --model "$W/$tag-$h.mdl" --out "$W/$tag-$other.txt" \
                    "$W/$other" || die "fold $k: decoding $other with $tag failed"
                rm -f "$W/$tag-$h.mdl"
            done
            cat "$W/$tag-a.txt" "$W/$tag-b.txt" | sort >"$W/$tag.txt"
            "$ASR" score --json --against "$W/$p-before.txt" "$F/fsdd_isolated/text" "$W/$tag.txt" \
                >"$W/$tag.score" || die "fold $k: asr score of $tag failed"
            read -r before after lo hi < <(jq -r '"\(.against.wer) \(.wer) \(.against.lo) \(.against.hi)"' "$W/$tag.score")
            say "fold $k: $p, adapted on $n utterances$([ "$sup" = false ] || echo ' (supervised)'): WER $before% -> $after% (change [$lo, $hi] points, 95%)"
            jq -nc --argjson k "$k" --arg p "$p" --arg n "$n" --argjson sup "$sup" --argjson b "$before" \
                --argjson a "$after" --argjson lo "$lo" --argjson hi "$hi" --argjson s "$secs" \
                '{fold: $k, system: $p, size: $n, supervised: $sup, wer_before: $b, wer_after: $a,
                  delta_lo: $lo, delta_hi: $hi, seconds: ($s / 2)}' >>"$rows"
        done
    done
done
jq -s '{rows: ., means: (group_by([.system, .size, .supervised]) | map({system: .[0].system,
        size: .[0].size, supervised: .[0].supervised, folds: length,
        wer_before: (map(.wer_before) | add / length), wer_after: (map(.wer_after) | add / length),
        worst_before: (map(.wer_before) | max), worst_after: (map(.wer_after) | max),
        worse_folds: (map(select(.delta_lo > 0)) | length),
        seconds: (map(.seconds) | add / length)}
        | . + {relative: (if .wer_before > 0 then 1 - .wer_after / .wer_before else null end)}))}' \
    "$out"/folds/*/rows.jsonl >"$out/adapt.json.tmp" && mv "$out/adapt.json.tmp" "$out/adapt.json"
{
    echo "| system | adaptation utterances | mean WER before | after | relative | worst fold before | after | folds worse (95%) | seconds per half |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
    jq -r '.means[] | "| \(.system) | \(.size)\(if .supervised then " (supervised)" else "" end) | \(.wer_before * 100 | round / 100)% | \(.wer_after * 100 | round / 100)% | \(if .relative == null then "-" else "\(.relative * 1000 | round / 10)%" end) | \(.worst_before)% | \(.worst_after)% | \(.worse_folds) of \(.folds) | \(.seconds * 10 | round / 10) |"' "$out/adapt.json"
} >"$out/table.md"
# Per fold: WER before -> after for each size (folds.md).
{
    echo "| fold | system | before | $(printf '%s\n' "${nsizes[@]}" | paste -sd'|' | sed 's/|/ | /g') | all, supervised |"
    echo "|---|---|---:|$(printf '%s\n' "${nsizes[@]}" | sed 's/.*/---:/' | paste -sd'|')|---:|"
    jq -r -s --arg sizes "$(printf '%s,' "${nsizes[@]}")" 'group_by([.fold, .system])[] | . as $g
        | ($sizes | split(",") | map(select(. != "")) | map(. as $n | ($g[] | select(.size == $n and (.supervised | not)) | .wer_after) // "-")) as $a
        | ($g[] | select(.supervised) | .wer_after) as $sup
        | "| \($g[0].fold) | \($g[0].system) | \($g[0].wer_before) | \($a | map(tostring) | join(" | ")) | \($sup) |"' \
        "$out"/folds/*/rows.jsonl
} >"$out/folds.md"
cat "$out/table.md" "$out/folds.md"
