#!/usr/bin/env bash
# connect.sh — connected digit strings from a speaker's isolated recordings.
#
# For every speaker of IN (a data dir of one-word utterances, e.g. FSDD), N
# strings of 2-7 words, each word a random recording of THAT speaker saying
# it, joined by 50-300 ms pauses of faint noise (about -66 dBFS, the quiet
# end of FSDD's own floor; a digital-zero gap would be a cue no real
# recording has). Utterance ids SPEAKER-connected-NNNN. The strings of one
# speaker depend on the seed and on the speakers of IN (one random stream,
# speakers in sorted order), so build every speaker's strings from one IN and
# take subsets of the result. A speaker with no recording of a digit word
# (zero..nine) is skipped, named. Idempotent: existing WAVs are kept, data
# files replaced only when they change; sox -R makes a rebuild byte-identical.
. "$(dirname "$0")/common.sh"

usage() {
    cat <<EOF
usage: data/recipes/connect.sh [options] IN OUT

Write OUT/{wav.scp,text,utt2spk} and OUT/wav/*.wav: N connected strings per
speaker of IN from that speaker's own recordings.

  --n N        strings per speaker (default 100)
  --seed N     seed of words, recordings and pauses (default 1)
  --rate HZ    sample rate of the strings (default 8000)
  --jobs N     parallel sox jobs (default: number of cores)
  --work DIR   where the pause files and the plan go (default OUT/local)
EOF
}
N=100 SEED=1 RATE=8000 JOBS=$(nproc) WORK=''
while [ $# -gt 0 ]; do
    case $1 in
    -h | --help) usage; exit 0 ;;
    --n) need_value "$1" $#; need_uint "$1" "$2"; N=$2; shift 2 ;;
    --seed) need_value "$1" $#; need_uint "$1" "$2"; SEED=$2; shift 2 ;;
    --rate) need_value "$1" $#; need_uint "$1" "$2"; RATE=$2; shift 2 ;;
    --jobs) need_value "$1" $#; need_uint "$1" "$2"; JOBS=$2; shift 2 ;;
    --work) need_value "$1" $#; WORK=$2; shift 2 ;;
    -*) usage_error "unknown option '$1'" ;;
    *) break ;;
    esac
done
[ $# -eq 2 ] || usage_error "needs IN and OUT"
IN=$1 OUT=$2
[ -f "$IN/wav.scp" ] || die "$IN: not a data directory (no wav.scp)"
[ "$N" -ge 1 ] || usage_error "--n must be at least 1"
[ "$JOBS" -ge 1 ] || usage_error "--jobs must be at least 1"
need_tool sox sox
need_asr data validate
WORK=${WORK:-$OUT/local}
mkdir -p "$OUT/wav" "$WORK/pauses"
name=$(basename "$OUT")

for ms in $(seq 50 10 300); do
    [ -f "$WORK/pauses/$RATE-$ms.wav" ] ||
        sox -R -n -r "$RATE" -b 16 -c 1 "$WORK/pauses/$RATE-$ms.wav" synth "0.$(printf %03d "$ms")" whitenoise vol 0.002
done
# plan: uttid <TAB> speaker <TAB> text <TAB> sox inputs
join <(sort "$IN/wav.scp") <(sort "$IN/text") | join - <(sort "$IN/utt2spk") |
    awk -v n="$N" -v seed="$SEED" -v pauses="$WORK/pauses/$RATE-" \
        -v digits="zero one two three four five six seven eight nine" "$AWK_RNG"'
    NF == 4 { k = $4 SUBSEP $3; rec[k, ++nrec[k]] = $2; spk[$4] = 1 }
    END {
        rng_seed(seed); nd = split(digits, d, " ")
        ns = 0; for (s in spk) sp[++ns] = s
        for (i = 2; i <= ns; i++) for (j = i; j > 1 && sp[j - 1] > sp[j]; j--) { t = sp[j]; sp[j] = sp[j - 1]; sp[j - 1] = t }
        for (i = 1; i <= ns; i++) {
            s = sp[i]
            for (j = 1; j <= nd && !nrec[s, d[j]]; j++) ;
            if (j > nd) { printf "connect.sh: speaker %s has no recording of a digit word: skipped\n", s > "/dev/stderr"; continue }
            for (u = 1; u <= n; u++) {
                len = rng_int(2, 7); text = ""; files = ""
                for (w = 1; w <= len; w++) {
                    do word = d[rng_int(1, nd)]; while (!nrec[s, word])
                    f = rec[s, word, rng_int(1, nrec[s, word])]
                    text = text (w > 1 ? " " : "") word
                    files = files (w > 1 ? " " pauses (10 * rng_int(5, 30)) ".wav " : "") f
                }
                printf "%s-connected-%04d\t%s\t%s\t%s\n", s, u, s, text, files
            }
        }
    }' >"$WORK/$name.plan"
[ -s "$WORK/$name.plan" ] || die "$IN: no single-word recordings of digits to connect"
# one job line per missing file: "OUT.wav|IN1|PAUSE|IN2|..." ('|' is in no path here)
awk -F'\t' -v dir="$OUT/wav" '{ l = dir "/" $1 ".wav|" $4; gsub(/ /, "|", l); print l }' \
    "$WORK/$name.plan" |
    while IFS='|' read -r wav rest; do [ -f "$wav" ] || printf '%s|%s\n' "$wav" "$rest"; done |
    sox_jobs "$RATE" "$JOBS" || die "sox failed joining the recordings of $IN"
awk -F'\t' -v OFS='\t' -v dir="$(cd "$OUT/wav" && pwd)" '{ print $1, $2, dir "/" $1 ".wav", $3 }' \
    "$WORK/$name.plan" >"$WORK/$name.utts"
write_data_dir "$OUT" "$WORK/$name.utts"
validate_dir "$OUT"
