#!/bin/sh
# loso_table.sh — eval/experiments/loso_table.sh turns unseen_speakers.sh's
# loso.json into the README's table: a row per fold naming who was held out,
# a cell per system with the three test splits (– where a fold has none),
# the mean and the worst fold from the JSON's statistics.
. "${srcdir:-.}/tests/cli/lib.sh"
S=${srcdir:-.}
cat >"$T/loso.json" <<'JSON'
{"folds": [1, 5], "fsdd_speakers": ["george", "jackson"],
 "rows": [{"fold": 1, "system": "staged", "split": "fsdd_isolated", "wer": 25.6, "words": 500},
          {"fold": 1, "system": "staged", "split": "sc_digits", "wer": 9.523, "words": 42},
          {"fold": 5, "system": "staged", "split": "sc_digits", "wer": 5, "words": 40},
          {"fold": 1, "system": "pocketsphinx", "split": "fsdd_isolated", "wer": 40.2, "words": 500}],
 "systems": [{"system": "pocketsphinx", "fsdd_isolated": {"mean": 40.2, "worst": 40.2}, "fsdd_connected": null, "sc_digits": null},
             {"system": "staged", "fsdd_isolated": {"mean": 25.6, "worst": 25.6}, "fsdd_connected": null,
              "sc_digits": {"mean": 7.2615, "worst": 9.523}}]}
JSON
bash "$S/eval/experiments/loso_table.sh" "$T/loso.json" >"$T/out" 2>"$T/err" || fail "loso_table.sh failed: $(cat "$T/err")"
cat >"$T/want" <<'MD'
| fold: held out | pocketsphinx | staged |
|---|---:|---:|
| 1: george + Speech Commands group 1 | 40.2 / – / – | 25.6 / – / 9.52 |
| 5: Speech Commands group 5 | – / – / – | – / – / 5 |
| **mean** | **40.2 / – / –** | **25.6 / – / 7.26** |
| worst fold | 40.2 / – / – | 25.6 / – / 9.52 |
MD
diff "$T/want" "$T/out" >&2 || fail "loso_table.sh: another table"
expect_exit 1 bash "$S/eval/experiments/loso_table.sh" "$T/none.json"
exit 0
