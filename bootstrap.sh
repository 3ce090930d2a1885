#!/usr/bin/env bash
# bootstrap.sh — from a fresh Debian machine to a built `asr`.
#
# Installs the Debian packages the build, the tests and the data recipes need
# (only those missing), then runs autoreconf, configure and make; with
# --install first, then `make install` too (with sudo when not root, as the
# packages). Idempotent: re-running it only rebuilds what changed. The other
# arguments go to ./configure.
set -euo pipefail
cd "$(dirname "$0")"
install=0
if [ "${1:-}" = --install ]; then install=1; shift; fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo

# Build and test dependencies, then the tools the data recipes, benchmarks and
# report test use.
PACKAGES=(
  build-essential pkg-config autoconf automake libtool
  libfftw3-dev libsndfile1-dev libsamplerate0-dev libopenblas-dev libopenblas-openmp-dev zlib1g-dev check
  sox
  # The eval/ scripts read asr's JSON results (report.json, asr score --json).
  jq
  # Corpus recipes: TTS voices, the CMUdict, real telephone prompts, hold music.
  espeak-ng flite festival festvox-kallpc16k festvox-us-slt-hts pocketsphinx-en-us
  asterisk-core-sounds-en-wav asterisk-core-sounds-en asterisk-moh-opsound-wav
  # Benchmarks (reference systems, /usr/bin/time) and the HTML report test.
  pocketsphinx sphinxbase-utils time chromium
  # The libFuzzer harnesses (make fuzz, make fuzz-smoke): clang, its fuzzer
  # and sanitizer runtimes, and its OpenMP.
  clang libclang-rt-dev libomp-dev
  # Data-parallel training and sharded commands (mpirun -np N asr ...);
  # configure --without-mpi builds without them.
  libopenmpi-dev openmpi-bin
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
  autoreconf -fi
fi
if [ ! -f Makefile ] || [ configure -nt config.status ]; then
  ./configure "$@"
fi
make -j"$(nproc)"
[ "$install" = 0 ] || $SUDO make install
