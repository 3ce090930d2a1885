#!/usr/bin/env bash
# fsdd.sh — a data directory from a Free Spoken Digit Dataset folder.
#
# FSDD names each recording DIGIT_SPEAKER_INDEX.wav (8 kHz mono 16-bit). The
# utterance id is SPEAKER-DIGIT-INDEX (speaker first, so ids sort by speaker as
# Kaldi expects), the transcript the digit's word (0 -> "zero"), the speaker
# the recorder. Audio paths are absolute and point into the FSDD folder; nothing
# is copied. Idempotent: files are replaced only when their content changes.
. "$(dirname "$0")/common.sh"

usage() {
    cat <<EOF
usage: data/recipes/fsdd.sh FSDD_DIR OUT_DIR

Write OUT_DIR/{wav.scp,text,utt2spk} for every DIGIT_SPEAKER_INDEX.wav in
FSDD_DIR, then validate it with \`asr data validate\`.
EOF
}
case ${1:-} in -h | --help) usage && exit 0 ;; esac
[ $# -eq 2 ] || usage_error "needs FSDD_DIR and OUT_DIR"
[ -d "$1" ] || die "FSDD folder '$1' is not a directory"
need_asr data validate
FSDD=$(cd "$1" && pwd)
OUT=$2
mkdir -p "$OUT"

find "$FSDD" -maxdepth 1 -name '*.wav' -printf '%f\n' | awk -F'[_.]' -v dir="$FSDD" -v OFS='\t' '
    BEGIN { split("zero one two three four five six seven eight nine", w, " ") }
    NF == 4 && $1 ~ /^[0-9]$/ && $3 ~ /^[0-9]+$/ && $2 ~ /^[A-Za-z0-9]+$/ {
        print $2 "-" $1 "-" sprintf("%02d", $3), $2, dir "/" $0, w[$1 + 1]; next }
    { bad++ } END { if (bad) printf "fsdd.sh: skipped %d file(s) not named DIGIT_SPEAKER_INDEX.wav\n", bad > "/dev/stderr" }
' >"$OUT/.utts.tmp"
[ -s "$OUT/.utts.tmp" ] || die "$FSDD: no DIGIT_SPEAKER_INDEX.wav recordings found"
write_data_dir "$OUT" "$OUT/.utts.tmp"
rm -f "$OUT/.utts.tmp"
validate_dir "$OUT"
