#!/usr/bin/env bash
# loso_table.sh LOSO_JSON — the speaker-disjoint folds of
# eval/experiments/unseen_speakers.sh as a Markdown table for the README:
# one row per fold (who was held out), one column per system, each cell
# "FSDD isolated / FSDD connected / Speech Commands digits" WER %, then the
# mean and the worst fold. Reads loso.json only (jq), never the text summary.
set -euo pipefail
. "$(dirname "$0")/common.sh"
[ $# -eq 1 ] || usage_error "usage: eval/experiments/loso_table.sh LOSO_JSON"
[ -f "$1" ] || die "no file '$1'"
need_tool jq jq
jq -r '
  def pct: if . == null then "–" else (. * 100 | round / 100 | tostring) end;
  def cell($rows; $sys; $fold):
    [("fsdd_isolated", "fsdd_connected", "sc_digits") as $split
     | [$rows[] | select(.system == $sys and .fold == $fold and .split == $split)][0].wer | pct]
    | join(" / ");
  def stat($s; $f): [($s.fsdd_isolated, $s.fsdd_connected, $s.sc_digits) | if . == null then null else .[$f] end | pct]
    | join(" / ");
  .rows as $rows
  | [.systems[].system] as $systems
  | .fsdd_speakers as $fsdd
  | ("| fold: held out | " + ($systems | join(" | ")) + " |"),
    ("|---|" + ($systems | map("---:") | join("|")) + "|"),
    (.folds[] as $k
     | "| \($k): " + (if $k <= ($fsdd | length) then "\($fsdd[$k - 1]) + " else "" end)
       + "Speech Commands group \($k) | " + ([$systems[] as $s | cell($rows; $s; $k)] | join(" | ")) + " |"),
    ("| **mean** | " + ([.systems[] | "**" + stat(.; "mean") + "**"] | join(" | ")) + " |"),
    ("| worst fold | " + ([.systems[] | stat(.; "worst")] | join(" | ")) + " |")
' "$1"
