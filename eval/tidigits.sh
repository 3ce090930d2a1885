#!/usr/bin/env bash
# tidigits.sh — the reference recognizer trained on real people: CMU's
# PocketSphinx TIDIGITS model (whole-word HMMs, ~225 adult TIDIGITS speakers,
# 8 kHz) decoding a data directory, its hypotheses written as Kaldi text for
# `asr score`, `asr eval --hyps` or `asr compare NAME=HYP_DIR`.
#
# The model is read in place (../shared/anchors/pocketsphinx-tidigits, or
# --model DIR / $TIDIGITS_MODEL): hmm/, tidigits.dic, tidigits.fsg (a loop of
# one or more digits). Audio is converted to 8 kHz 16-bit PCM first, so any
# format and rate libsox reads will do. Words come out lower-cased.
# PocketSphinx removes silence and noise by default; on short isolated clips
# that changes results (--remove-silence no, --remove-noise no): choose on
# data of the training side, never on the speakers being tested.
#
# usage: eval/tidigits.sh [options] DATA_DIR HYP_FILE
#   --model DIR            the TIDIGITS model folder
#   --remove-silence yes|no   --remove-noise yes|no   (default yes, yes)
set -euo pipefail
. "$(dirname "$0")/../scripts/lib.sh"
. "$(dirname "$0")/../scripts/pocketsphinx.sh"
model=${TIDIGITS_MODEL:-$REPO/../shared/anchors/pocketsphinx-tidigits} rs=yes rn=yes
while [ $# -gt 0 ]; do
    case $1 in
    -h | --help) sed -n '2,17p' "$0"; exit 0 ;;
    --model) need_value "$1" $#; model=$2; shift 2 ;;
    --remove-silence) need_value "$1" $#; rs=$2; shift 2 ;;
    --remove-noise) need_value "$1" $#; rn=$2; shift 2 ;;
    -*) usage_error "unknown option '$1'" ;;
    *) break ;;
    esac
done
[ $# -eq 2 ] || usage_error "needs DATA_DIR and HYP_FILE"
data=$1 hyp=$2
for v in "$rs" "$rn"; do case $v in yes | no) ;; *) usage_error "--remove-* wants yes or no, got '$v'" ;; esac; done
need_tool pocketsphinx_batch pocketsphinx
need_tool sox sox
for f in hmm/mdef hmm/means tidigits.dic tidigits.fsg; do
    [ -f "$model/$f" ] || die "no $model/$f: give the PocketSphinx TIDIGITS model folder with --model"
done
[ -f "$data/wav.scp" ] || die "$data: not a data directory (no wav.scp)"
tmp=$(mktemp -d /tmp/tidigits-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
ps_raw "$data/wav.scp" "$tmp/raw" 8000 || die "sox could not convert the audio of $data"
cut -d' ' -f1 "$data/wav.scp" >"$tmp/ctl"
pocketsphinx_batch -hmm "$model/hmm" -dict "$model/tidigits.dic" -fsg "$model/tidigits.fsg" \
    -samprate 8000 -nfft 256 -remove_silence "$rs" -remove_noise "$rn" \
    -adcin yes -cepdir "$tmp/raw" -cepext .raw -ctl "$tmp/ctl" -hyp "$tmp/hyp" -logfn "$tmp/log" ||
    { tail -5 "$tmp/log" >&2; die "pocketsphinx_batch failed on $data"; }
ps_kaldi_text "$tmp/hyp" >"$tmp/txt"
[ "$(wc -l <"$tmp/txt")" -eq "$(wc -l <"$tmp/ctl")" ] ||
    die "pocketsphinx_batch decoded $(wc -l <"$tmp/txt") of $(wc -l <"$tmp/ctl") utterances of $data (log: $tmp/log)"
mv "$tmp/txt" "$hyp"
