#!/usr/bin/env bash
# check-repeat.sh — run the test suite several times in a row and report
# every test whose result is not the same each time. A test that fails once
# and passes on a rerun is a failing test: its fixture or its assertion
# depends on something that changes between runs (the clock, a thread
# schedule, sox's dither), and it will stop a landing at random.
#
# usage: scripts/check-repeat.sh [RUNS] [make arguments...]
#   RUNS   how many times (default 3)
# Prints a line per run, then every test whose results differ ("flaky") or
# that failed every time; exits 1 if there is any, 0 when every test passed
# (or was skipped) the same way in every run.
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [RUNS] [make arguments...]" >&2; exit 2; }
shift $(($# > 0 ? 1 : 0))
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
for i in $(seq "$runs"); do
    # -k: every test runs even when one fails; the .trs files this run wrote
    # say how each did.
    touch "$results/stamp.$i"
    sleep 1
    make -k check "$@" >"$results/make.$i.log" 2>&1
    status=$?
    find . -name '*.trs' -newer "$results/stamp.$i" | LC_ALL=C sort | while read -r trs; do
        printf '%s %s\n' "${trs#./}" "$(sed -n 's/^:test-result: //p' "$trs" | head -1)"
    done >"$results/run.$i"
    echo "run $i/$runs: make check exit $status; $(grep -c ' PASS$' "$results/run.$i") passed," \
        "$(grep -c ' SKIP$' "$results/run.$i") skipped," \
        "$(grep -Ec ' (FAIL|ERROR|XPASS)$' "$results/run.$i") failed"
done
# One line per test: its result in every run.
join_all=$results/run.1
for i in $(seq 2 "$runs"); do
    join -a1 -a2 -e MISSING -o auto "$join_all" "$results/run.$i" >"$results/joined.$i"
    join_all=$results/joined.$i
done
awk '{ same = 1; bad = 0
       for (i = 2; i <= NF; i++) { if ($i != $2) same = 0; if ($i !~ /^(PASS|SKIP|XFAIL)$/) bad = 1 }
       if (!same) { print "flaky: " $0; n++ } else if (bad) { print "failed: " $0; n++ } }
     END { exit n > 0 }' "$join_all"
ok=$?
[ "$ok" -eq 0 ] && echo "every test gave the same result in all $runs runs"
exit "$ok"
