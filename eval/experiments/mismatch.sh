#!/usr/bin/env bash
# mismatch.sh — does noise synthesis close the train/dev mismatch?
#
# The playbook experiment at full training budget: each pipeline (staged,
# direct) trained with its configured epochs on the clean synthetic `train`
# split and on `train` plus one perturbed copy of every utterance
# (data/recipes/augment.sh: speed perturbation, then hold music the target
# never uses, babble, pink or white noise at 0-20 dB SNR); all four
# evaluated by `asr compare` on train, train_dev, dev and test. It is the
# demo's procedure (eval/demo.sh) without the demo's short epoch budget; the
# summary it prints shows how the data-mismatch gap (dev - train_dev WER)
# moves for each pipeline. Report: OUT/report.html, report.md, headline.txt.
#
# usage: eval/experiments/mismatch.sh [--out DIR] [--data DIR] [demo.sh options]
#   defaults: --out exp/mismatch, --data data/digits (built when missing)
. "$(dirname "$0")/common.sh"
case ${1:-} in -h | --help) sed -n '2,15p' "$0"; exit 0 ;; esac
exec bash "$REPO/eval/demo.sh" --out "$REPO/exp/mismatch" --epochs 0 "$@"
