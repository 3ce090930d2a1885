#!/usr/bin/env bash
# bench-decode.sh — word error rate and decoding speed of an `asr` model against
# CMU PocketSphinx (`pocketsphinx_batch`, Debian pocketsphinx + pocketsphinx-en-us)
# on the same audio, in the same run.
#
# usage: eval/bench-decode.sh [--model MODEL] [--data DIR] [--split test] [--threads 1]
#                             [--no-tune] [--tune-every N] [--ps-rate 16000|8000]
#                             [--ps-lw X] [--ps-wip X] [--ps-pip X] [--ps-remove-noise yes|no]
#   --data DIR     corpus with DIR/{train,train_dev,dev,SPLIT} and DIR/lexicon.txt
#                  (default data/digits; build it with data/recipes/digits.sh)
#   --model MODEL  the model to benchmark; default: train a staged model with the
#                  default settings on DIR/train (valid DIR/train_dev) into a
#                  temporary directory first (about 1-2 min)
#   --split NAME   the split both systems decode and are scored on (default test)
#   --threads N    threads of `asr decode` (default 1; pocketsphinx uses one)
#   --no-tune      skip pocketsphinx tuning, use the settings below (or --ps-*)
#   --tune-every N tune on every Nth dev utterance (default 2)
#   --ps-*         pocketsphinx settings to use instead of tuning (implies --no-tune)
# Prints both WERs with S/D/I (and on the real human FSDD speakers alone), both
# real-time factors and the ratio asr/pocketsphinx. Targets: asr WER lower than
# pocketsphinx's; RTF ratio <= 1.
#
# PocketSphinx gets a fair setup: the en-us continuous model (16 kHz, ptm), a
# JSGF grammar of digit strings (<digit>+ over zero..nine and oh), and the digit
# words of cmudict-en-us.dict with their alternate pronunciations. The model is
# 16 kHz and the corpus 8 kHz, so two front ends are tried: (a) audio upsampled
# to 16 kHz by sox, the model's own features; (b) native 8 kHz with -samprate
# 8000 -nfft 256 -upperf 3500 (the model's feat.params would override -upperf,
# so it runs from a copy of the model directory with that line changed).
# Tuning happens on dev only, never on the scored split, by coordinate descent:
#   1. each front end with -lw 2 and per-word penalties P = 12, 18, 24;
#   2. on the better one, -lw 1 and 4 at the best P, then P - 3 and P + 3 at the best -lw;
#   3. -pip 0.5 and 2;  4. -remove_noise no.
# P = lw * log10(1/wip) is the penalty pocketsphinx's FSG search really applies
# (it multiplies log(wip), log(pip) and the grammar's log probabilities by lw),
# so the grid moves -wip with -lw (-wip = 10^(-P/lw)). The tuning runs are not
# timed; only the final decode of SPLIT is.
# Result of that tuning on data/digits (dev, 700 utterances; 13 runs, ~2 min):
# 16000 Hz upsampled, -lw 1 -wip 1e-21 -pip 1 -remove_noise yes (dev WER 24.93%),
# the settings --no-tune uses. Untuned (-lw 6.5 -wip 0.65) it inserts a word in
# nearly every utterance (dev WER 54.5%). Native 8 kHz came out far worse (best dev
# WER 71.3%): the model was trained on mel filters up to 6800 Hz, and squeezing
# them under 4 kHz gives it cepstra it has never seen.
#
# Speed: both real-time factors are decoding seconds / audio seconds of SPLIT.
# asr: `asr decode --threads N` wall time from its log (reading audio, features,
# network and search; model loading excluded). pocketsphinx: the CPU seconds its
# batch log totals over the utterances (reading audio, features and search;
# model loading and the sox conversion excluded). Wall >= CPU for one thread,
# so the comparison leans, if anything, against asr. Page cache warmed for both.
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
. "$(dirname "$0")/../scripts/pocketsphinx.sh"
PS_MODEL=${PS_MODEL:-/usr/share/pocketsphinx/model/en-us}
model="" data=$REPO/data/digits split=test threads=1 tune=1 every=2
ps_rate=16000 ps_lw=1 ps_wip=1e-21 ps_pip=1 ps_rn=yes
usage() { sed -n '2,21p' "$0"; }
while [ $# -gt 0 ]; do
    case $1 in
    -h | --help | --no-tune) ;;
    *) need_value "$1" $# ;;
    esac
    case $1 in
    --model) model=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --split) split=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --tune-every) every=$2; shift 2 ;;
    --no-tune) tune=0; shift ;;
    --ps-rate) ps_rate=$2; tune=0; shift 2 ;;
    --ps-lw) ps_lw=$2; tune=0; shift 2 ;;
    --ps-wip) ps_wip=$2; tune=0; shift 2 ;;
    --ps-pip) ps_pip=$2; tune=0; shift 2 ;;
    --ps-remove-noise) ps_rn=$2; tune=0; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) usage_error "unknown option $1" ;;
    esac
done
case $ps_rate in 16000 | 8000) ;; *) usage_error "--ps-rate 16000 or 8000" ;; esac
need_asr
need_tool pocketsphinx_batch pocketsphinx
need_tool sox sox
need_tool jq jq
for f in en-us/mdef en-us/feat.params cmudict-en-us.dict; do
    [ -f "$PS_MODEL/$f" ] || die "no $PS_MODEL/$f (apt-get install pocketsphinx-en-us)"
done
[ -d "$data" ] || die "no corpus at $data; build it with data/recipes/digits.sh (or give --data DIR)"
for d in "$split" dev; do
    [ -f "$data/$d/wav.scp" ] || die "$data/$d/wav.scp missing"
done
[ "$split" != dev ] || say "warning: tuning and scoring on the same split (dev): pocketsphinx's WER is optimistic"
tmp=$(mktemp -d /tmp/bench-decode-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

if [ -z "$model" ]; then
    say "no --model: training a staged model with default settings (about 1-2 min)"
    "$ASR" train --pipeline staged --train "$data/train" --valid "$data/train_dev" \
        --lexicon "$data/lexicon.txt" --out "$tmp/exp" --quiet
    model=$tmp/exp/final.mdl
fi
[ -f "$model" ] || die "no model at $model"

# ---- pocketsphinx resources: grammar, dictionary, an 8 kHz copy of the model ----
words="zero one two three four five six seven eight nine oh"
{
    echo '#JSGF V1.0;'
    echo 'grammar digits;'
    echo 'public <digits> = <digit>+;'
    echo "<digit> = ${words// / | };"
} >"$tmp/digits.gram"
grep -E "^($(echo "$words" | tr ' ' '|'))(\([0-9]+\))?[[:space:]]" \
    "$PS_MODEL/cmudict-en-us.dict" >"$tmp/digits.dict"
for w in $words; do grep -q "^${w}[[:space:]]" "$tmp/digits.dict" || die "'$w' not in cmudict-en-us.dict"; done
oov=$(cut -d' ' -f2- "$data/$split/text" | tr ' ' '\n' | grep -v '^$' | sort -u |
    grep -v -x -F -f <(echo "$words" | tr ' ' '\n') || true)
[ -z "$oov" ] || say "warning: words of $split outside the digit grammar: $(echo "$oov" | tr '\n' ' ')"
mkdir -p "$tmp/am8k"
for f in "$PS_MODEL/en-us"/*; do ln -s "$f" "$tmp/am8k/"; done
rm "$tmp/am8k/feat.params"
sed 's/^-upperf .*/-upperf 3500/' "$PS_MODEL/en-us/feat.params" >"$tmp/am8k/feat.params"

# to_raw SPLIT RATE: the split's audio for pocketsphinx in $tmp/raw/RATE/SPLIT.
to_raw() { [ -d "$tmp/raw/$2/$1" ] || ps_raw "$data/$1/wav.scp" "$tmp/raw/$2/$1" "$2"; }

# ps_decode SPLIT RATE CTL OUT [options]: decodes the utterances of CTL, writes OUT.txt
# (Kaldi text) and OUT.log.
ps_decode() {
    local split=$1 rate=$2 ctl=$3 out=$4 hmm=$PS_MODEL/en-us fe=()
    shift 4
    [ "$rate" = 16000 ] || { hmm=$tmp/am8k; fe=(-samprate "$rate" -nfft 256); }
    rm -f "$out.log" # -logfn appends
    pocketsphinx_batch -hmm "$hmm" -dict "$tmp/digits.dict" -jsgf "$tmp/digits.gram" \
        -adcin yes -cepdir "$tmp/raw/$rate/$split" -cepext .raw -ctl "$ctl" \
        -hyp "$out.hyp" -logfn "$out.log" "${fe[@]}" "$@" ||
        { tail -5 "$out.log" >&2; die "pocketsphinx_batch failed (log: $out.log)"; }
    ps_kaldi_text "$out.hyp" >"$out.txt"
}

wip_of() { awk -v l="$1" -v p="$2" 'BEGIN { printf "%.3g", 10 ^ (-p / l) }'; }

# ---- tuning on dev ----
if [ "$tune" = 1 ]; then
    awk -v n="$every" '(NR - 1) % n == 0 { print $1 }' "$data/dev/wav.scp" >"$tmp/tune.ctl"
    awk 'NR == FNR { keep[$1]; next } $1 in keep' "$tmp/tune.ctl" "$data/dev/text" >"$tmp/tune.ref"
    echo "pocketsphinx tuning on dev (1 utterance in $every: $(wc -l <"$tmp/tune.ctl"); not timed)"
    best_wer=1e9
    declare -A seen
    # try RATE LW P PIP REMOVE_NOISE: decodes the tuning set, keeps the best.
    try() {
        local key="$*" wip scores wer
        [ -z "${seen[$key]:-}" ] || return 0
        seen[$key]=1
        wip=$(wip_of "$2" "$3")
        to_raw dev "$1"
        ps_decode dev "$1" "$tmp/tune.ctl" "$tmp/tune" -lw "$2" -wip "$wip" -pip "$4" -remove_noise "$5"
        scores=$("$ASR" score --json "$tmp/tune.ref" "$tmp/tune.txt")
        printf '  %5s Hz -lw %-3s -wip %-8s -pip %-3s -remove_noise %-3s  %s\n' "$1" "$2" "$wip" "$4" "$5" \
            "$(wer_line <<<"$scores")"
        wer=$(jq -r .wer <<<"$scores")
        if awk -v a="$wer" -v b="$best_wer" 'BEGIN { exit !(a < b) }'; then
            best_wer=$wer ps_rate=$1 ps_lw=$2 best_p=$3 ps_wip=$wip ps_pip=$4 ps_rn=$5
        fi
    }
    for rate in 16000 8000; do for p in 12 18 24; do try "$rate" 2 "$p" 1 yes; done; done
    for lw in 1 4; do try "$ps_rate" "$lw" "$best_p" 1 yes; done
    p0=$best_p
    for p in $((p0 - 3)) $((p0 + 3)); do try "$ps_rate" "$ps_lw" "$p" 1 yes; done
    for pip in 0.5 2; do try "$ps_rate" "$ps_lw" "$best_p" "$pip" yes; done
    try "$ps_rate" "$ps_lw" "$best_p" "$ps_pip" no
fi
ps_opts=(-lw "$ps_lw" -wip "$ps_wip" -pip "$ps_pip" -remove_noise "$ps_rn")

# ---- the timed run on SPLIT ----
to_raw "$split" "$ps_rate"
cut -d' ' -f1 "$data/$split/wav.scp" >"$tmp/split.ctl"
# Warm the page cache so neither system pays for the first read of its audio.
awk '{ print $2 }' "$data/$split/wav.scp" | xargs cat >/dev/null
find "$tmp/raw/$ps_rate/$split" -name '*.raw' -exec cat {} + >/dev/null
"$ASR" decode --model "$model" --threads "$threads" --out "$tmp/asr.txt" --stats "$tmp/asr.json" "$data/$split" \
    2>"$tmp/asr.log" || { cat "$tmp/asr.log" >&2; die "asr decode failed"; }
ps_decode "$split" "$ps_rate" "$tmp/split.ctl" "$tmp/ps" "${ps_opts[@]}"

n=$(wc -l <"$tmp/split.ctl")
audio=$(jq -r .audio_seconds "$tmp/asr.json")
asr_s=$(jq -r .seconds "$tmp/asr.json")
read -r ps_cpu ps_wall < <(grep 'batch.c.*TOTAL' "$tmp/ps.log" |
    sed -E 's/.*seconds speech, ([0-9.]+) seconds CPU, ([0-9.]+) seconds wall.*/\1 \2/') || true
if [ -z "$audio" ] || [ -z "$asr_s" ] || [ -z "${ps_cpu:-}" ]; then die "could not read the timings"; fi

# score REF HYP: asr score's %WER line; subset IDS FILE: the lines of FILE whose id is in IDS.
score() { "$ASR" score --json "$1" "$2" | wer_line; }
subset() { awk 'NR == FNR { keep[$1]; next } $1 in keep' "$1" "$2"; }
awk '$2 == "george" || $2 == "jackson" || $2 == "lucas" || $2 == "yweweler" { print $1 }' \
    "$data/$split/utt2spk" >"$tmp/human.ids"
nh=$(wc -l <"$tmp/human.ids")
for s in asr ps; do
    subset "$tmp/human.ids" "$tmp/$s.txt" >"$tmp/$s.human.txt"
done
subset "$tmp/human.ids" "$data/$split/text" >"$tmp/human.ref"
asr_scores=$("$ASR" score --json "$data/$split/text" "$tmp/asr.txt")
ps_scores=$("$ASR" score --json "$data/$split/text" "$tmp/ps.txt")

echo "bench-decode: $data/$split, $n utterances, $audio s of audio; asr model $model, $threads thread(s)"
echo "pocketsphinx: en-us model, JSGF <digit>+, $ps_rate Hz$([ "$ps_rate" = 16000 ] && echo ' (sox-upsampled)'), ${ps_opts[*]}"
printf '  asr           %s\n' "$(wer_line <<<"$asr_scores")"
printf '  pocketsphinx  %s\n' "$(wer_line <<<"$ps_scores")"
if [ "$nh" -gt 0 ]; then
    echo "  real human speech only (FSDD speakers, $nh utterances):"
    printf '  asr           %s\n' "$(score "$tmp/human.ref" "$tmp/asr.human.txt")"
    printf '  pocketsphinx  %s\n' "$(score "$tmp/human.ref" "$tmp/ps.human.txt")"
fi
awk -v a="$audio" -v as="$asr_s" -v pc="$ps_cpu" -v pw="$ps_wall" \
    -v aw="$(jq .wer <<<"$asr_scores")" -v pwer="$(jq .wer <<<"$ps_scores")" 'BEGIN {
    printf "  RTF asr           %.5f  (%.2f s wall, one run)\n", as / a, as
    printf "  RTF pocketsphinx  %.5f  (%.2f s CPU; %.2f s wall)\n", pc / a, pc, pw
    printf "WER asr %.2f%% vs pocketsphinx %.2f%% (target: lower): %s\n", aw, pwer, aw < pwer ? "met" : "NOT met"
    printf "RTF ratio asr/pocketsphinx %.3f (target <= 1): %s\n", as / pc, as <= pc ? "met" : "NOT met" }'
