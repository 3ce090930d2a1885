#!/usr/bin/env bash
# word_times.sh — how far the word times of `asr decode --format json` are
# from the truth, on connected digit strings joined from isolated recordings
# (data/recipes/connect.sh), whose word boundaries are known.
#
# usage: eval/word_times.sh --model MODEL [--model MODEL2 ...] --data DIR --plan PLAN
#                           [--threads N] [--beam N] [--set KEY=VALUE ...] [--floor DB] [--above DB]
#                           [--json FILE]
#   --data DIR    the connected strings (connect.sh's OUT)
#   --plan PLAN   connect.sh's plan of them (WORK/NAME.plan: uttid, speaker,
#                 text, then the pieces in order: a word's recording, a pause,
#                 a word's recording ...)
#   --floor DB    a word's speech is the span of its recording's 10 ms frames
#                 within DB dB of its loudest frame (default 30) and at least
#                 --above DB (default 10) above its noise floor (the 10th
#                 percentile of its frames): a recording holds some silence,
#                 or noise, around the word
#   --set KEY=VALUE  a search setting for every model (asr decode --set), e.g.
#                 time_start_shift=-0.05 time_end_shift=0.15
#   --json FILE   also the numbers as one JSON object per model per line
# The truth of a word: the offset of its recording in the string (the sum of
# the pieces' lengths before it) plus its speech span. Only the utterances
# the model recognises right are scored (their count is printed), since a
# word's boundaries have a truth only when it is the word said. Prints per
# model the median and 95th percentile of the boundary error |hyp - truth|
# over every start and end, in ms, and the mean signed error (bias) of starts
# and of ends (positive: later than the truth).
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
models=() data='' plan='' threads=1 beam='' floor=30 above=10 json='' sets=()
while [ $# -gt 0 ]; do
    case $1 in
    --model) need_value "$1" $#; models+=("$2"); shift 2 ;;
    --data) need_value "$1" $#; data=$2; shift 2 ;;
    --plan) need_value "$1" $#; plan=$2; shift 2 ;;
    --threads) need_value "$1" $#; need_uint "$1" "$2"; threads=$2; shift 2 ;;
    --beam) need_value "$1" $#; need_uint "$1" "$2"; beam=$2; shift 2 ;;
    --set) need_value "$1" $#; sets+=(--set "$2"); shift 2 ;;
    --floor) need_value "$1" $#; need_uint "$1" "$2"; floor=$2; shift 2 ;;
    --above) need_value "$1" $#; need_uint "$1" "$2"; above=$2; shift 2 ;;
    --json) need_value "$1" $#; json=$2; shift 2 ;;
    -h | --help) sed -n '2,27p' "$0"; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
    esac
done
[ ${#models[@]} -gt 0 ] && [ -n "$data" ] && [ -n "$plan" ] || usage_error "needs --model, --data and --plan"
[ -f "$data/wav.scp" ] || die "$data: not a data directory (no wav.scp)"
[ -f "$plan" ] || die "no plan at '$plan'"
need_asr
need_tool jq jq
need_tool sox sox
tmp=$(mktemp -d /tmp/word-times-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# The plan's lines of DIR's utterances.
awk 'NR == FNR { want[$1] = 1; next } ($1 in want)' "$data/wav.scp" FS='\t' "$plan" >"$tmp/plan"
[ -s "$tmp/plan" ] || die "$plan has no utterance of $data"
# Every piece once: "file<TAB>seconds<TAB>speech start<TAB>speech end" (10 ms frames' energy).
cut -f4 "$tmp/plan" | tr ' ' '\n' | sort -u | while read -r f; do
    sox -R "$f" -t dat - 2>/dev/null | awk -v f="$f" -v floor="$floor" -v above="$above" '
        /^;/ { if ($2 == "Sample" && $3 == "Rate") rate = $4; next }
        { i = int(n++ * 100 / rate); e[i] += $2 * $2 }
        END {
            if (!n) { print "word_times: " f ": no samples" > "/dev/stderr"; exit 1 }
            nf = int((n - 1) * 100 / rate) + 1
            for (i = 0; i < nf; i++) { db[i] = 10 * log(e[i] / (rate / 100) + 1e-12) / log(10); s[i + 1] = db[i] }
            for (i = 2; i <= nf; i++) for (j = i; j > 1 && s[j - 1] > s[j]; j--) { t = s[j]; s[j] = s[j - 1]; s[j - 1] = t }
            top = s[nf]; q = s[int(0.1 * (nf - 1)) + 1]
            th = top - floor > q + above ? top - floor : q + above
            lo = -1
            for (i = 0; i < nf; i++) if (db[i] >= th) { if (lo < 0) lo = i; hi = i }
            if (lo < 0) { lo = 0; hi = nf - 1 }
            printf "%s\t%.4f\t%.4f\t%.4f\n", f, n / rate, lo / 100, (hi + 1) / 100
        }' || die "sox cannot read $f"
done >"$tmp/pieces"
# The truth: "uttid index word start end", words at the odd pieces.
awk -F'\t' 'NR == FNR { len[$1] = $2; on[$1] = $3; off[$1] = $4; next }
    { n = split($4, p, " "); split($3, w, " "); t = 0; k = 0
      for (i = 1; i <= n; i++) {
          if (i % 2) { k++; printf "%s %d %s %.4f %.4f\n", $1, k, w[k], t + on[p[i]], t + off[p[i]] }
          t += len[p[i]]
      } }' "$tmp/pieces" "$tmp/plan" >"$tmp/truth"

[ -z "$json" ] || : >"$json"
printf '%-40s %9s %6s %9s %9s %10s %10s\n' model correct bounds median_ms p95_ms start_bias end_bias
for m in "${models[@]}"; do
    set -- --model "$m" --threads "$threads" --format json --out "$tmp/hyp.json"
    [ -z "$beam" ] || set -- "$@" --beam "$beam"
    [ "${#sets[@]}" = 0 ] || set -- "$@" "${sets[@]}"
    "$ASR" decode "$@" "$data" 2>"$tmp/err" || { cat "$tmp/err" >&2; die "asr decode --model $m failed"; }
    jq -r '.utt as $u | .words | to_entries[] | "\($u) \(.key + 1) \(.value.word) \(.value.start) \(.value.end)"' \
        "$tmp/hyp.json" >"$tmp/hyp"
    # Utterances recognised right: every word as the truth's, none more.
    awk 'NR == FNR { t[$1, $2] = $3; nt[$1]++; next }
        { nh[$1]++; if (t[$1, $2] != $3) bad[$1] = 1 }
        END { for (u in nt) if (!bad[u] && nh[u] == nt[u]) print u }' "$tmp/truth" "$tmp/hyp" >"$tmp/right"
    awk 'NR == FNR { ok[$1] = 1; next } FILENAME == ARGV[2] { if ($1 in ok) ts[$1, $2] = $4 " " $5; next }
        ($1 in ok) { split(ts[$1, $2], r, " "); ds = $4 - r[1]; de = $5 - r[2]
                     printf "s %.6f\ne %.6f\n", ds, de }' "$tmp/right" "$tmp/truth" "$tmp/hyp" >"$tmp/err.txt"
    total=$(jq -s length "$tmp/hyp.json")
    right=$(wc -l <"$tmp/right")
    # Median and p95 of |error| (nearest rank), and the mean signed error of starts and ends.
    read -r nb med p95 sb eb < <(awk '{ a = $2 < 0 ? -$2 : $2; print a * 1000 }' "$tmp/err.txt" | sort -g |
        awk -v f="$tmp/err.txt" '{ v[NR] = $1 } END {
            while ((getline l < f) > 0) { split(l, x, " "); if (x[1] == "s") { s += x[2]; ns++ } else { e += x[2]; ne++ } }
            if (!NR) { print 0, "nan", "nan", "nan", "nan"; exit }
            r = int(0.95 * NR + 0.999999); if (r < 1) r = 1
            printf "%d %.1f %.1f %.1f %.1f\n", NR, (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[r],
                1000 * s / ns, 1000 * e / ne }')
    printf '%-40s %5d/%-3d %6d %9s %9s %10s %10s\n' "$m" "$right" "$total" "$nb" "$med" "$p95" "$sb" "$eb"
    [ -z "$json" ] || jq -nc --arg m "$m" --argjson r "$right" --argjson t "$total" --argjson n "$nb" \
        --arg med "$med" --arg p95 "$p95" --arg sb "$sb" --arg eb "$eb" \
        '{model: $m, utterances: $t, right: $r, boundaries: $n, median_ms: ($med | tonumber),
          p95_ms: ($p95 | tonumber), start_bias_ms: ($sb | tonumber), end_bias_ms: ($eb | tonumber)}' >>"$json"
done
