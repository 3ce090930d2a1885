#!/usr/bin/env bash
# kaldi_dir.sh — a data directory from any Kaldi-style folder of real speech
# (the corpora of ../shared/data: speechcommands_digits, speechcommands_words,
# picovoice_keywords, or any folder with wav.scp, text and utt2spk).
#
# The source's wav.scp may name audio relative to the source folder (as
# ../shared/data does); OUT's wav.scp names the same files by absolute path,
# so OUT can live anywhere and nothing is copied. Transcripts go through
# `asr text normalize` (the one normaliser of every recipe). Only plain
# "uttid path" lines are accepted in wav.scp: a pipe command ("... |") is
# refused, since asr never runs a command from a data directory. Idempotent:
# files are replaced only when their content changes. Ends with
# `asr data validate OUT`.
. "$(dirname "$0")/common.sh"

usage() {
    cat <<EOF
usage: data/recipes/kaldi_dir.sh SRC_DIR OUT_DIR

Write OUT_DIR/{wav.scp,text,utt2spk,spk2utt} from SRC_DIR's wav.scp, text and
utt2spk: audio paths made absolute (relative ones are relative to SRC_DIR),
transcripts normalised, then validated with \`asr data validate\`.
EOF
}
case ${1:-} in -h | --help) usage && exit 0 ;; esac
[ $# -eq 2 ] || usage_error "needs SRC_DIR and OUT_DIR"
[ -d "$1" ] || die "source folder '$1' is not a directory"
SRC=$(cd "$1" && pwd)
OUT=$2
for f in wav.scp text utt2spk; do [ -f "$SRC/$f" ] || die "$SRC: no $f (a Kaldi data dir needs wav.scp, text and utt2spk)"; done
need_asr data validate
need_asr text normalize
mkdir -p "$OUT"
[ "$(cd "$OUT" && pwd)" != "$SRC" ] || die "OUT_DIR is SRC_DIR: it would be rewritten in place"

# wav.scp: "uttid path", the path relative to SRC unless absolute.
awk -v src="$SRC" '
    NF == 0 { next }
    NF != 2 || $2 == "|" || substr($2, length($2)) == "|" {
        printf "kaldi_dir.sh: %s/wav.scp:%d: expected \"UTTID PATH\" (no commands, no spaces in paths)\n", src, FNR > "/dev/stderr"
        bad = 1; exit 1 }
    { print $1, (substr($2, 1, 1) == "/" ? $2 : src "/" $2) }
' "$SRC/wav.scp" | sort -k1,1 >"$OUT/wav.scp.tmp" || die "$SRC/wav.scp is not plain \"UTTID PATH\" lines"
"$ASR" text normalize --kaldi <"$SRC/text" | sort -k1,1 >"$OUT/text.tmp" || die "asr text normalize failed on $SRC/text"
sort -k1,1 "$SRC/utt2spk" >"$OUT/utt2spk.tmp"
for f in wav.scp text utt2spk; do install_if_changed "$OUT/$f.tmp" "$OUT/$f"; done
validate_dir "$OUT"
