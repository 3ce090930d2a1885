#!/usr/bin/env bash
# build.sh — build the libFuzzer harnesses (tests/fuzz/fuzz_*.c) with clang.
#
# Every library source and every harness is compiled with
#   -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -g -O1
# into BUILD_DIR (objects under obj/, the harnesses as BUILD_DIR/fuzz_NAME),
# linked with -fsanitize=fuzzer,address,undefined. The normal (gcc) build is
# not touched. Incremental: an object is rebuilt when its source or a header
# it includes (clang's -MMD list) is newer, everything when the flags change.
#
# `make fuzz` runs it with the flags configure found (tests/fuzz/fuzz.am):
#   build.sh [--check] --build-dir DIR --srcdir DIR --cc CC [--jobs N]
#            --harnesses "arpa model ..." --cppflags FLAG... --cflags FLAG...
#            --libs FLAG... --sources FILE...
# --check only tests that CC can build a libFuzzer target with ASan+UBSan.
# Exit status 77: CC or its fuzzer runtime is missing (nothing was built).
# FUZZ_OPENMP=auto|yes|no: OpenMP with clang's libomp (auto: when it links).
set -euo pipefail

check_only=0 build= srcdir=. cc=clang jobs=$(nproc 2>/dev/null || echo 2) harnesses=
cppflags=() cflags=() libs=() sources=()
mode=
while [ $# -gt 0 ]; do
    case $1 in
    --check) check_only=1 ;;
    --build-dir) build=$2; shift ;;
    --srcdir) srcdir=$2; shift ;;
    --cc) cc=$2; shift ;;
    --jobs) jobs=$2; shift ;;
    --harnesses) harnesses=$2; shift ;;
    --cppflags | --cflags | --libs | --sources) mode=${1#--} ;;
    *)
        case $mode in
        cppflags) cppflags+=("$1") ;;
        cflags) cflags+=("$1") ;;
        libs) libs+=("$1") ;;
        sources) sources+=("$1") ;;
        *) echo "build.sh: unexpected argument '$1'" >&2; exit 2 ;;
        esac
        ;;
    esac
    shift
done
[ -n "$build" ] || { echo "build.sh: --build-dir is required" >&2; exit 2; }

SAN=(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
mkdir -p "$build/obj"
probe=$build/probe
mkdir -p "$probe"

# Can CC build and link a libFuzzer target at all?
cat >"$probe/t.c" <<'C'
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }
C
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "fuzz: '$cc' not found: the fuzz harnesses need clang with libFuzzer" \
        "(Debian: apt-get install clang)" >&2
    exit 77
fi
if ! "$cc" -fsanitize=fuzzer "${SAN[@]}" "$probe/t.c" -o "$probe/t" 2>"$probe/t.log"; then
    echo "fuzz: '$cc' cannot link -fsanitize=fuzzer,address,undefined (no libFuzzer runtime;" \
        "Debian: apt-get install clang libclang-rt-dev):" >&2
    sed 's/^/  /' "$probe/t.log" | head -5 >&2
    exit 77
fi
[ "$check_only" = 0 ] || exit 0

# OpenMP: with clang's libomp when it links; else the pragmas are ignored
# (the library then runs single-threaded, as the harnesses ask anyway).
omp=()
case ${FUZZ_OPENMP:-auto} in
yes) omp=(-fopenmp) ;;
no) ;;
*)
    printf '#include <omp.h>\nint main(void){int s=0;\n#pragma omp parallel for reduction(+:s)\nfor(int i=0;i<4;i++)s+=i;return s!=6 || omp_get_max_threads()<1;}\n' >"$probe/omp.c"
    if "$cc" -fopenmp "${SAN[@]}" "$probe/omp.c" -o "$probe/omp" 2>/dev/null && "$probe/omp"; then
        omp=(-fopenmp)
    fi
    ;;
esac

# -Wno-pass-failed: at -O1 clang declines to vectorise some `omp simd`
# loops and says so for each; the harnesses are about finding crashes.
CFLAGS_ALL=(-std=c11 -g -O1 -fsanitize=fuzzer-no-link "${SAN[@]}" -Wall -Wextra
    -Wno-unknown-pragmas -Wno-pass-failed "${omp[@]}" "${cppflags[@]}" "${cflags[@]}"
    -iquote "$srcdir/tests/fuzz")
LDFLAGS_ALL=(-fsanitize=fuzzer "${SAN[@]}" "${omp[@]}")

# Flags changed: start over.
stamp="$cc ${CFLAGS_ALL[*]} | ${LDFLAGS_ALL[*]} ${libs[*]}"
if [ ! -f "$build/flags" ] || [ "$(cat "$build/flags")" != "$stamp" ]; then
    rm -rf "$build/obj"
    mkdir -p "$build/obj"
    printf '%s' "$stamp" >"$build/flags"
fi

# Is OBJ older than SRC or anything in its dependency file?
stale() {
    local obj=$1 src=$2 dep=${1%.o}.d f
    [ -f "$obj" ] && [ -f "$dep" ] && [ "$obj" -nt "$src" ] || return 0
    for f in $(sed -e 's/^[^:]*://' -e 's/\\$//' "$dep"); do
        [ -e "$f" ] && [ "$f" -nt "$obj" ] && return 0
    done
    return 1
}

compile() { # compile SRC OBJ
    "$cc" "${CFLAGS_ALL[@]}" -MMD -MP -c "$1" -o "$2"
}

# The objects: library sources (the .c files of libasr_core_la_SOURCES) and harnesses.
lib_objs=() pids=() failed=0
run_job() { # run_job SRC OBJ: in the background, at most $jobs at a time
    if stale "$2" "$1"; then
        echo "  CC (fuzz) $1"
        compile "$1" "$2" &
        pids+=($!)
        if [ ${#pids[@]} -ge "$jobs" ]; then
            wait "${pids[0]}" || failed=1
            pids=("${pids[@]:1}")
        fi
    fi
}
for s in "${sources[@]}"; do
    case $s in *.c) ;; *) continue ;; esac
    o=$build/obj/$(echo "$s" | tr '/' '_')
    o=${o%.c}.o
    lib_objs+=("$o")
    # A generated source (pipelines/defaults.c) comes with its absolute path.
    case $s in /*) run_job "$s" "$o" ;; *) run_job "$srcdir/$s" "$o" ;; esac
done
for h in $harnesses; do
    run_job "$srcdir/tests/fuzz/fuzz_$h.c" "$build/obj/fuzz_$h.o"
done
for p in "${pids[@]}"; do wait "$p" || failed=1; done
[ "$failed" = 0 ] || { echo "fuzz: compilation failed" >&2; exit 1; }

lib=$build/libasr-fuzz.a
newest=0
for o in "${lib_objs[@]}"; do [ "$lib" -nt "$o" ] || newest=1; done
if [ ! -f "$lib" ] || [ "$newest" = 1 ]; then
    rm -f "$lib"
    ar cr "$lib" "${lib_objs[@]}"
fi
for h in $harnesses; do
    out=$build/fuzz_$h
    if [ ! -x "$out" ] || [ "$build/obj/fuzz_$h.o" -nt "$out" ] || [ "$lib" -nt "$out" ]; then
        echo "  CCLD (fuzz) $out"
        "$cc" "${LDFLAGS_ALL[@]}" "$build/obj/fuzz_$h.o" "$lib" "${libs[@]}" -o "$out"
    fi
done
echo "fuzz: harnesses in $build: $(for h in $harnesses; do printf 'fuzz_%s ' "$h"; done)" \
    "(OpenMP: ${omp[*]:-off})"
