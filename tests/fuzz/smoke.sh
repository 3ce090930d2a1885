#!/usr/bin/env bash
# smoke.sh — `make fuzz-smoke`: build the harnesses (build.sh, given the same
# arguments as this script) and run each for FUZZ_SECONDS (default 30) over a
# scratch copy of its seed corpus (tests/fuzz/corpus/NAME; new inputs never
# land in the repository). Prints per harness the executions and the outcome.
# Exit status 1 when a harness found a crash, leak, undefined behaviour, an
# out-of-memory (-rss_limit_mb=2048, or one malloc over it) or a timeout
# (-timeout=10); the reproducer is kept under BUILD_DIR/artifacts/NAME/ and
# the log under BUILD_DIR/logs/. Exit status 0 with a message, doing
# nothing, when clang or its libFuzzer runtime is missing.
#
# Environment: FUZZ_SECONDS, FUZZ_HARNESSES ("arpa model ..."), FUZZ_BUILD_DIR,
# srcdir, FUZZ_FLAGS (more libFuzzer flags, e.g. -jobs=2 -workers=2).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seconds=${FUZZ_SECONDS:-30}
build=${FUZZ_BUILD_DIR:?FUZZ_BUILD_DIR not set}
src=${srcdir:-$here/../..}
harnesses=${FUZZ_HARNESSES:?FUZZ_HARNESSES not set}

bash "$here/build.sh" "$@"
rc=$?
if [ $rc = 77 ]; then
    echo "fuzz-smoke: SKIPPED: no clang with libFuzzer here (see above); nothing was run."
    exit 0
fi
[ $rc = 0 ] || { echo "fuzz-smoke: the fuzz build failed" >&2; exit $rc; }

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
mkdir -p "$build/logs" "$build/artifacts"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/asr-fuzz-smoke.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

found=0
summary=()
for h in $harnesses; do
    bin=$build/fuzz_$h
    corpus=$scratch/$h
    mkdir -p "$corpus" "$build/artifacts/$h"
    [ -d "$src/tests/fuzz/corpus/$h" ] && cp -R "$src/tests/fuzz/corpus/$h/." "$corpus/"
    chmod -R u+w "$corpus"
    extra=()
    [ -f "$src/tests/fuzz/$h.dict" ] && extra+=("-dict=$src/tests/fuzz/$h.dict")
    log=$build/logs/$h.log
    touch "$scratch/$h.start"
    echo "fuzz-smoke: fuzz_$h for ${seconds}s ..."
    # shellcheck disable=SC2086
    "$bin" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$build/artifacts/$h/" "${extra[@]}" ${FUZZ_FLAGS:-} "$corpus" \
        >"$log" 2>&1
    status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    [ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$log" | tail -n 1 | tr -d '#')
    if [ $status = 0 ]; then
        summary+=("$(printf '%-8s %10s execs  ok' "$h" "${execs:-?}")")
    else
        found=1
        summary+=("$(printf '%-8s %10s execs  FOUND (exit %d): see %s' "$h" "${execs:-?}" \
            "$status" "$log")")
        echo "---- fuzz_$h: $(grep -m1 -E '^(SUMMARY|==[0-9]+==ERROR)' "$log" || echo "exit $status")"
        grep -m1 -E 'runtime error|ERROR: libFuzzer' "$log" || true
        # The first stack trace, without the sanitizers' and libFuzzer's own frames.
        awk '/^ +#[0-9]+ /{ in_stack=1; print; next } in_stack{ exit }' "$log" |
            grep -v -E '__sanitizer|__ubsan|__asan|fuzzer::|libc_start|_start |in main |in abort|raise|pthread_kill' |
            head -n 12 || true
        find "$build/artifacts/$h" -type f -newer "$scratch/$h.start" | sed 's/^/  reproducer: /'

    fi
done
echo "fuzz-smoke: ${seconds}s per harness"
printf '  %s\n' "${summary[@]}"
if [ $found = 1 ]; then
    echo "fuzz-smoke: FAILED: a harness found a problem (tests/fuzz/README.md: turning a" \
        "crash into a regression input)"
    exit 1
fi
echo "fuzz-smoke: nothing found"
