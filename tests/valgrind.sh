#!/usr/bin/env bash
# valgrind.sh — the whole test suite under valgrind's memcheck: every unit
# test program, and every `asr` the CLI tests run, with any invalid read or
# write, use of uninitialised memory or definite leak failing its test.
#
# usage: tests/valgrind.sh [MAKE-ARGS]   (in a configured and built tree)
#        e.g. tests/valgrind.sh TESTS='tests/cli/train.sh' for one test
# Slow (the CLI tests train small models: about 20-30 min on 2 cores); meant
# for now and then, not for CI. Threads are kept to one (valgrind runs them
# one at a time anyway).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
[ -x "$top/asr" ] || { echo "valgrind: build first (./bootstrap.sh)" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "valgrind: install the Debian package valgrind" >&2; exit 1; }
wrap=$(mktemp -d /tmp/asr-valgrind-XXXXXX)
trap 'rm -rf "$wrap"' EXIT
# 40 frames: deep enough to reach the library an allocation came from
# (the Open MPI suppressions match on it).
vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --num-callers=40"
vg="$vg --suppressions=$top/tests/valgrind.supp"
printf '#!/bin/sh\nexec %s %s "$@"\n' "$vg" "$top/asr" >"$wrap/asr"
# The unit test programs run under valgrind; the CLI test scripts run as
# they are (valgrind on /bin/sh would report the shell's own leaks) and
# call the asr above.
printf '#!/bin/sh\ncase "$1" in *.sh) exec "$@" ;; esac\nexec %s "$@"\n' "$vg" >"$wrap/run"
chmod +x "$wrap/asr" "$wrap/run"
# Jobs from the cores, counted before OMP_NUM_THREADS=1 (nproc obeys it).
jobs=$(getconf _NPROCESSORS_ONLN)
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
# Check runs each test in a child process; CK_FORK=no keeps it in the one
# valgrind watches.
export CK_FORK=no
# The CLI tests lift their address-space limits and lengthen their time
# limits for a memory checker (tests/cli/lib.sh).
export ASR_TEST_CHECKER=valgrind
# The environment is Makefile.am's AM_TESTS_ENVIRONMENT (make expands the
# \$(...)) with asr under valgrind and Check's timeout lengthened.
make -C "$top" -j"$jobs" check LOG_COMPILER="$wrap/run" \
    AM_TESTS_ENVIRONMENT="ASR='$wrap/asr'; srcdir='$top'; abs_top_builddir='\$(abs_top_builddir)'; \
CC='\$(CC)'; MAKE='\$(MAKE)'; EXAMPLE_FLAGS='\$(CFLAGS) \$(LDFLAGS)'; \
export ASR srcdir abs_top_builddir CC MAKE EXAMPLE_FLAGS; CK_DEFAULT_TIMEOUT=3600; export CK_DEFAULT_TIMEOUT;" "$@"
