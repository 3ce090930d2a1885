#!/bin/sh
# deterministic.sh — every script the tests, recipes and benchmarks run makes
# the same audio on every run. sox adds dither when it writes fewer bits than
# it computes with, and seeds that dither from the clock unless given -R: a
# fixture made without -R differs from run to run, and so does every model
# trained on it (report_html.sh once failed one run in three that way).
# Prints every sox command without -R as FILE:LINE and fails if any.
src=${srcdir:-.}
cd "$src" || exit 1
find tests data/recipes eval scripts -name '*.sh' | LC_ALL=C sort | xargs perl -ne '
    next if /^\s*#/;
    # sox at a command position (line start, after |, (, ;, && or exec),
    # followed by its arguments; not "sox" in a message or a soxi call.
    while (/(?:^|[\s(|;&]|exec )sox (?=[-"\$])(?!-R)/g) {
        print "$ARGV:$.: sox without -R (its dither is seeded from the clock)\n";
        $bad = 1;
    }
    close ARGV if eof;
    END { exit($bad ? 1 : 0) }'
