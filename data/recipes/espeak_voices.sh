#!/usr/bin/env bash
# espeak_voices.sh — many synthetic speakers from one formant synthesiser:
# a private espeak-ng data directory holding N random voice variants.
#
# espeak-ng's variants (voices/!v/*) set the pitch, the formant frequencies,
# heights and widths, breathiness, roughness, spectral tone and the
# synthesiser (klatt). Its 8 stock m/f variants give the training pool 8
# timbres per accent; a real population has as many vocal tracts as people.
# Each variant drawn here is one speaker:
#   gender         male or female (half each)
#   vocal tract    a length factor k ~ U(0.86, 1.0) for men, U(1.0, 1.2) for
#                  women: formants 1-5 scale by k (a shorter tract raises all
#                  resonances by the same ratio: F_n = (2n-1) c / 4L), each
#                  with its own +-4% jitter (tract shape, not only length)
#   bandwidths     formant widths 70-160% (damping: clear vs muffled voices)
#   pitch          base 70-130 Hz and range 90-160% of it (men), 150-240 Hz
#                  (women)
#   voice quality  breath 0-30 on the upper formants, roughness 0-5,
#                  flutter 0-20, consonant strength 70-130%, a quarter of the
#                  voices on the Klatt synthesiser (klatt 1-4)
# Writes DIR/espeak-ng-data (links to the system's data: the English
# languages, the stock m1-m8/f1-f5 variants and rv0001..rvNNNN) and
# DIR/variants (the names). Use it
# with ESPEAK_DATA_PATH=DIR, e.g. tts.sh --voices espeak:en-us+rv0001.
# Deterministic for a seed; re-running rewrites the same files.
. "$(dirname "$0")/common.sh"

usage() {
    cat <<EOF
usage: data/recipes/espeak_voices.sh --out DIR [--n N] [--seed S]

  --out DIR   the private espeak-ng data directory (ESPEAK_DATA_PATH=DIR)
  --n N       random variants (default 200, at most 300)
  --seed S    seed (default 1)
EOF
}
OUT='' N=200 SEED=1
while [ $# -gt 0 ]; do
    case $1 in
    --help | -h) usage; exit 0 ;;
    --out) need_value "$1" $#; OUT=$2; shift 2 ;;
    --n) need_value "$1" $#; need_uint "$1" "$2"; N=$2; shift 2 ;;
    --seed) need_value "$1" $#; need_uint "$1" "$2"; SEED=$2; shift 2 ;;
    *) usage_error "unknown argument '$1'" ;;
    esac
done
[ -n "$OUT" ] || usage_error "--out DIR is required"
[ "$N" -ge 1 ] && [ "$N" -le 300 ] || usage_error "--n must be 1-300, got '$N'"
need_tool espeak-ng espeak-ng

# The system's data directory: where espeak-ng finds its phoneme tables.
SYS=$(espeak-ng --version | sed -n 's/.*Data at: *//p')
[ -f "$SYS/phontab" ] || die "cannot find espeak-ng's data directory (espeak-ng --version says '$SYS')"

# espeak-ng lists at most 349 voices, so the private directory holds only the
# English languages, the stock m1-m8 and f1-f5 variants and the random ones.
D=$OUT/espeak-ng-data
rm -rf "$D/voices" "$D/lang"
mkdir -p "$D/voices/!v" "$D/lang/gmw"
for f in "$SYS"/*; do
    b=${f##*/}
    case $b in voices | lang) ;; *) ln -sfn "$f" "$D/$b" ;; esac
done
for f in "$SYS"/lang/gmw/en*; do ln -sfn "$f" "$D/lang/gmw/${f##*/}"; done
for v in m1 m2 m3 m4 m5 m6 m7 m8 f1 f2 f3 f4 f5; do
    [ ! -f "$SYS/voices/!v/$v" ] || ln -sfn "$SYS/voices/!v/$v" "$D/voices/!v/$v"
done

awk -v n="$N" -v seed="$SEED" -v dir="$D/voices/!v" "$AWK_RNG"'
function u(lo, hi) { return lo + (hi - lo) * rng_uniform() }
BEGIN {
    rng_seed(seed * 7919 + 13)
    for (v = 1; v <= n; v++) {
        name = sprintf("rv%04d", v); f = dir "/" name
        female = rng_uniform() < 0.5
        k = female ? u(1.0, 1.2) : u(0.86, 1.0)
        base = female ? u(150, 240) : u(70, 130)
        printf "language variant\nname %s\ngender %s\n\n", name, female ? "female" : "male" > f
        printf "pitch %d %d\n", base, base * u(1.4, 2.1) > f
        # formant N frequency% height% width%
        for (i = 0; i <= 8; i++) {
            freq = i <= 5 ? 100 * k * u(0.96, 1.04) : 100 * k
            printf "formant %d %d %d %d\n", i, freq, u(85, 115), u(70, 160) > f
        }
        printf "breath 0 0 %d %d %d %d %d %d\n", u(0, 15), u(0, 20), u(0, 25), u(0, 30), u(0, 30), u(0, 30) > f
        printf "roughness %d\nflutter %d\nconsonants %d %d\n", rng_int(0, 5), rng_int(0, 20), u(70, 130), u(70, 130) > f
        if (rng_uniform() < 0.25) printf "klatt %d\n", rng_int(1, 4) > f
        close(f)
        print name
    }
}' >"$OUT/variants.tmp"
mv -f "$OUT/variants.tmp" "$OUT/variants"
# Every variant must load and speak.
ESPEAK_DATA_PATH=$OUT espeak-ng -v "en-us+rv0001" -q "one" || die "espeak-ng cannot use $D"
say "$N voice variants in $D (ESPEAK_DATA_PATH=$OUT)"
