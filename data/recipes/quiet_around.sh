#!/usr/bin/env bash
# quiet_around.sh — a data dir's recordings with quiet before and after each:
# how people's recordings of a word usually are (press record, wait, speak,
# wait), where test clips are often cut to the word. SECONDS of pink noise at
# LEVEL dBFS (a quiet room, not digital zero, which no microphone gives) is
# added before and after every recording, and the same noise lies under the
# recording itself (one sox -R draw per file: a rebuild is byte-identical).
# Same ids, text and utt2spk; WAV at each recording's own rate.
# README, "Silence around the words", measures the recognizer on such copies.
. "$(dirname "$0")/common.sh"

usage() {
    cat <<EOF
usage: data/recipes/quiet_around.sh [options] IN OUT

Write OUT/{wav.scp,text,utt2spk} and OUT/wav/*.wav: every recording of IN
with quiet before and after it. wav.scp paths that are not absolute are
taken relative to IN (as ../shared/data's are).

  --seconds S   quiet before and after each recording (default 1)
  --level DB    its level, pink noise in dBFS (default -55)
EOF
}
SECONDS_AROUND=1 LEVEL=-55
while [ $# -gt 0 ]; do
    case $1 in
    -h | --help) usage; exit 0 ;;
    --seconds) need_value "$1" $#; SECONDS_AROUND=$2; shift 2 ;;
    --level) need_value "$1" $#; LEVEL=$2; shift 2 ;;
    -*) usage_error "unknown option '$1'" ;;
    *) break ;;
    esac
done
[ $# -eq 2 ] || usage_error "expected IN and OUT"
IN=$1 OUT=$2
awk -v s="$SECONDS_AROUND" 'BEGIN { exit !(s ~ /^[0-9]+(\.[0-9]+)?$/ && s > 0 && s <= 30) }' ||
    usage_error "--seconds $SECONDS_AROUND: expected a number of seconds above 0, at most 30"
awk -v l="$LEVEL" 'BEGIN { exit !(l ~ /^-[0-9]+(\.[0-9]+)?$/ && l >= -120) }' ||
    usage_error "--level $LEVEL: expected dBFS from -120 to 0 (e.g. -55)"
need_tool sox
for f in wav.scp text utt2spk; do [ -f "$IN/$f" ] || die "$IN/$f: missing"; done
mkdir -p "$OUT/wav"
OUT=$(abs_path "$OUT")
tmp=$OUT/wav/.tmp
while read -r id path; do
    case $path in /*) ;; *) path=$IN/$path ;; esac
    out=$OUT/wav/$id.wav
    sox -R -V1 "$path" -b 16 -c 1 "$tmp-p.wav" pad "$SECONDS_AROUND" "$SECONDS_AROUND" ||
        die "$path: sox could not read it (utterance $id)"
    sox -R -V1 -n -r "$(soxi -r "$tmp-p.wav")" -c 1 -b 16 "$tmp-n.wav" \
        synth "$(soxi -D "$tmp-p.wav")" pinknoise gain "$LEVEL" || die "sox could not make the noise for $id"
    sox -R -V1 -m "$tmp-p.wav" "$tmp-n.wav" "$tmp-o.wav" && mv "$tmp-o.wav" "$out" ||
        die "sox could not mix the quiet into $path (utterance $id)"
    printf '%s %s\n' "$id" "$out"
done <"$IN/wav.scp" >"$OUT/wav.scp.tmp"
rm -f "$tmp-p.wav" "$tmp-n.wav"
install_if_changed "$OUT/wav.scp.tmp" "$OUT/wav.scp"
cp "$IN/text" "$OUT/text.tmp" && install_if_changed "$OUT/text.tmp" "$OUT/text"
cp "$IN/utt2spk" "$OUT/utt2spk.tmp" && install_if_changed "$OUT/utt2spk.tmp" "$OUT/utt2spk"
validate_dir "$OUT"
