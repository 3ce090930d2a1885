#!/usr/bin/env bash
# bench-stream.sh — live recognition: `asr stream` on a stream of utterances
# fed at real-time pace, against `pocketsphinx_continuous -infile` with CMU's
# TIDIGITS model on the same audio, in the same run.
#
# usage: eval/bench-stream.sh --model MODEL [options]
#   --model MODEL    the asr model (repeat for an ensemble)
#   --data DIR       a data directory with wav.scp and text (default
#                    data/digits/test); N of its utterances, evenly spaced
#   --n N            utterances in the stream (default 40)
#   --gap S          seconds of background noise between them (default 1.0)
#   --hangover MS    the endpointer's hangover (default 300, asr stream's)
#   --asr-opt OPT    an `asr stream` argument (repeat for each word: --asr-opt
#                    --beam --asr-opt 16), e.g. the search settings
#   --ps-model DIR   the TIDIGITS model (default ../shared/anchors/pocketsphinx-tidigits)
#   --no-ps          skip PocketSphinx
#   --json FILE      the results as one JSON object
#
# The stream: the utterances as 8 kHz 16-bit mono (the TIDIGITS model's rate;
# asr resamples to its model's rate itself), each preceded by GAP seconds of
# white noise at -50 dBFS, one more gap at the end. Scored as one long
# transcript: every final result in order against every reference in order,
# so a missed or split utterance counts as the errors it makes.
#
# Finalization latency: `asr stream --input --realtime --format json` feeds the
# file at the pace it was spoken; for each utterance, the time its last final
# result was written minus the time its audio ended in the stream. The end of
# an utterance's audio is taken as the end of its speech (the recordings are
# trimmed), so this includes the endpointer's hangover, which is subtracted:
# the target is p95 <= 100 ms beyond it. Streaming RTF: seconds spent
# recognising / audio seconds (the stream's --stats), target <= 0.05 on one
# thread. Whole-run RTF: wall time of the command fed as fast as it can read,
# model loading included, for both systems (PocketSphinx prints no
# per-utterance timing, and its -infile mode does not run at real-time pace,
# so its latency is not measured).
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
. "$(dirname "$0")/../scripts/pocketsphinx.sh"
models=() data=$REPO/data/digits/test n=40 gap=1.0 hangover=300 ps=1 json=""
ps_model=${TIDIGITS_MODEL:-$REPO/../shared/anchors/pocketsphinx-tidigits}
while [ $# -gt 0 ]; do
    case $1 in
    -h | --help) sed -n '2,36p' "$0"; exit 0 ;;
    --no-ps) ps=0; shift; continue ;;
    esac
    need_value "$1" $#
    case $1 in
    --model) models+=(--model "$2") ;;
    --asr-opt) models+=("$2") ;;
    --data) data=$2 ;;
    --n) need_uint "$1" "$2"; n=$2 ;;
    --gap) gap=$2 ;;
    --hangover) need_uint "$1" "$2"; hangover=$2 ;;
    --ps-model) ps_model=$2 ;;
    --json) json=$2 ;;
    *) usage_error "unknown option '$1'" ;;
    esac
    shift 2
done
[ ${#models[@]} -gt 0 ] || usage_error "--model is required"
[[ $gap =~ ^[0-9]+(\.[0-9]+)?$ ]] && awk -v g="$gap" 'BEGIN { exit !(g >= 0.5 && g <= 10) }' ||
    usage_error "--gap: seconds from 0.5 to 10, got '$gap'"
[ "$n" -ge 1 ] || usage_error "--n: at least 1"
need_asr stream
need_tool sox sox
need_tool jq jq
[ -f "$data/wav.scp" ] && [ -f "$data/text" ] || die "$data: no wav.scp and text"
if [ "$ps" = 1 ]; then
    need_tool pocketsphinx_continuous pocketsphinx
    for f in hmm/mdef tidigits.dic tidigits.fsg; do
        [ -e "$ps_model/$f" ] || die "no $ps_model/$f (--ps-model DIR, or --no-ps)"
    done
fi
tmp=$(mktemp -d /tmp/bench-stream-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# ---- the stream and its truth ----
total=$(wc -l <"$data/wav.scp")
[ "$total" -ge 1 ] || die "$data/wav.scp is empty"
awk -v n="$n" -v t="$total" 'BEGIN { step = t > n ? t / n : 1 }
     NR - 1 >= next_i && count < n { print; count++; next_i += step }' "$data/wav.scp" >"$tmp/wav.scp"
ps_raw "$tmp/wav.scp" "$tmp/raw" 8000 || die "sox could not convert the audio of $data"
sox -R -V1 -n -r 8000 -b 16 -c 1 -e signed-integer -t raw "$tmp/gap.raw" synth "$gap" whitenoise vol 0.0045
: >"$tmp/stream.raw"
: >"$tmp/truth" # uttid start_s end_s
while read -r id _; do
    cat "$tmp/gap.raw" >>"$tmp/stream.raw"
    start=$(stat -c %s "$tmp/stream.raw")
    cat "$tmp/raw/$id.raw" >>"$tmp/stream.raw"
    end=$(stat -c %s "$tmp/stream.raw")
    echo "$id $start $end" | awk '{ printf "%s %.4f %.4f\n", $1, $2 / 16000, $3 / 16000 }' >>"$tmp/truth"
done <"$tmp/wav.scp"
cat "$tmp/gap.raw" >>"$tmp/stream.raw"
sox -R -t raw -e signed-integer -b 16 -c 1 -r 8000 "$tmp/stream.raw" "$tmp/stream.wav"
audio_s=$(awk -v b="$(stat -c %s "$tmp/stream.raw")" 'BEGIN { printf "%.3f", b / 16000 }')
# The reference: the transcripts in stream order, as one utterance.
awk 'NR == FNR { id = $1; sub(/^[^ ]+ */, ""); ref[id] = $0; next }
     !($1 in ref) { print "no transcript for " $1 > "/dev/stderr"; bad = 1; exit }
     { s = s (s == "" ? "" : " ") ref[$1] } END { if (!bad) print "stream " s; exit bad }' \
    "$data/text" "$tmp/wav.scp" >"$tmp/ref.txt" || die "$data/text lacks an utterance of wav.scp"
say "stream: $(wc -l <"$tmp/truth") utterances of $data, $audio_s s of audio"

# ---- asr: real-time pace (latency), then as fast as it reads (whole-run RTF) ----
"$ASR" stream "${models[@]}" --input "$tmp/stream.wav" --realtime --format json \
    --hangover "$hangover" --stats "$tmp/stats.json" >"$tmp/live.jsonl" 2>"$tmp/live.log" ||
    { cat "$tmp/live.log" >&2; die "asr stream failed"; }
t0=$(date +%s.%N)
"$ASR" stream "${models[@]}" --input "$tmp/stream.wav" --format json --hangover "$hangover" \
    >"$tmp/fast.jsonl" 2>"$tmp/fast.log" || { cat "$tmp/fast.log" >&2; die "asr stream failed"; }
asr_wall=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.4f", b - a }')
jq -r 'select(.type == "final") | .words' "$tmp/live.jsonl" | tr '\n' ' ' |
    awk '{ $1 = $1; print "stream " $0 }' >"$tmp/asr.txt"
cmp -s <(jq -c 'select(.type == "final") | [.start, .end, .words]' "$tmp/live.jsonl") \
    <(jq -c 'select(.type == "final") | [.start, .end, .words]' "$tmp/fast.jsonl") ||
    say "warning: the real-time and the fast run gave different results"

# Latency: each final result goes to the utterance its interval overlaps most;
# an utterance's latency is from its audio's end to its last result.
jq -r 'select(.type == "final") | "\(.start) \(.end) \(.emitted)"' "$tmp/live.jsonl" >"$tmp/finals"
awk -v h="$hangover" 'NR == FNR { id[NR] = $1; s[NR] = $2; e[NR] = $3; m = NR; next }
    { best = 0; over = 0
      for (i = 1; i <= m; i++) {
          o = ($2 < e[i] ? $2 : e[i]) - ($1 > s[i] ? $1 : s[i])
          if (o > over) { over = o; best = i }
      }
      if (best) last[best] = $3 }
    END { for (i = 1; i <= m; i++) if (i in last) printf "%.4f\n", (last[i] - e[i]) * 1000 - h }' \
    "$tmp/truth" "$tmp/finals" | sort -g >"$tmp/lat"
found=$(wc -l <"$tmp/lat")
pct() { awk -v p="$1" '{ v[NR] = $1 } END { if (!NR) { print "null"; exit }
        k = int(p * NR + 0.999999); if (k < 1) k = 1; printf "%.1f", v[k] }' "$tmp/lat"; }
p50=$(pct 0.5) p95=$(pct 0.95)
asr_scores=$("$ASR" score --json "$tmp/ref.txt" "$tmp/asr.txt")
asr_rtf=$(jq -r '.rtf' "$tmp/stats.json")
asr_wall_rtf=$(awk -v w="$asr_wall" -v a="$audio_s" 'BEGIN { printf "%.4f", w / a }')
asr_utts=$(jq -r '.utterances' "$tmp/stats.json")

# ---- PocketSphinx: as fast as it reads ----
ps_line="" ps_scores=null ps_wall_rtf=null ps_utts=null
if [ "$ps" = 1 ]; then
    t0=$(date +%s.%N)
    pocketsphinx_continuous -hmm "$ps_model/hmm" -dict "$ps_model/tidigits.dic" \
        -fsg "$ps_model/tidigits.fsg" -samprate 8000 -nfft 256 -infile "$tmp/stream.wav" \
        -logfn "$tmp/ps.log" >"$tmp/ps.out" ||
        { tail -5 "$tmp/ps.log" >&2; die "pocketsphinx_continuous failed"; }
    ps_wall=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.4f", b - a }')
    ps_utts=$(grep -c . "$tmp/ps.out" || true)
    tr 'A-Z' 'a-z' <"$tmp/ps.out" | tr '\n' ' ' | awk '{ $1 = $1; print "stream " $0 }' >"$tmp/ps.txt"
    ps_scores=$("$ASR" score --json "$tmp/ref.txt" "$tmp/ps.txt")
    ps_wall_rtf=$(awk -v w="$ps_wall" -v a="$audio_s" 'BEGIN { printf "%.4f", w / a }')
    ps_line=$(printf '%-24s %6s %9s %8s %8s   %s' pocketsphinx_continuous "$ps_utts" \
        "$(jq -r '.wer' <<<"$ps_scores" | fmt_rate)" - "$ps_wall_rtf" -)
fi

echo "stream of $(wc -l <"$tmp/truth") utterances, $audio_s s (gap $gap s), hangover $hangover ms"
printf '%-24s %6s %9s %8s %8s   %s\n' system finals "WER %" RTF wall-RTF "latency beyond hangover p50/p95 ms"
printf '%-24s %6s %9s %8s %8s   %s / %s (%d of %d utterances)\n' "asr stream" "$asr_utts" \
    "$(jq -r '.wer' <<<"$asr_scores" | fmt_rate)" "$asr_rtf" "$asr_wall_rtf" "$p50" "$p95" \
    "$found" "$(wc -l <"$tmp/truth")"
[ -z "$ps_line" ] || echo "$ps_line"
if [ "$ps" = 1 ]; then
    awk -v a="$asr_wall_rtf" -v p="$ps_wall_rtf" 'BEGIN { printf "whole-run RTF asr / pocketsphinx: %.2f\n", a / p }'
fi
echo "targets: latency p95 <= 100 ms beyond the hangover: $(awk -v p="$p95" 'BEGIN { print (p != "null" && p <= 100) ? "met" : "not met" }');" \
    "streaming RTF <= 0.05: $(awk -v r="$asr_rtf" 'BEGIN { print r <= 0.05 ? "met" : "not met" }')"
if [ -n "$json" ]; then
    jq -n --argjson audio "$audio_s" --argjson n "$(wc -l <"$tmp/truth")" --argjson gap "$gap" \
        --argjson hangover "$hangover" --argjson asr "$asr_scores" --argjson rtf "$asr_rtf" \
        --argjson wall "$asr_wall_rtf" --argjson utts "$asr_utts" --argjson found "$found" \
        --argjson p50 "$p50" --argjson p95 "$p95" --argjson ps "$ps_scores" \
        --argjson ps_wall "$ps_wall_rtf" --argjson ps_utts "$ps_utts" \
        '{audio_seconds: $audio, utterances: $n, gap_seconds: $gap, hangover_ms: $hangover,
          asr: {finals: $utts, utterances_found: $found, wer: $asr.wer, scores: $asr,
                rtf: $rtf, wall_rtf: $wall, latency_ms_p50: $p50, latency_ms_p95: $p95},
          pocketsphinx: (if $ps == null then null else
                {finals: $ps_utts, wer: $ps.wer, scores: $ps, wall_rtf: $ps_wall} end)}' >"$json.tmp"
    mv "$json.tmp" "$json"
fi
