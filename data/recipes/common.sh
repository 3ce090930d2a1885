# shellcheck shell=bash disable=SC2034
# common.sh — sourced by the corpus recipes in data/recipes/ (not run directly).
#
# Provides: everything of scripts/lib.sh ($REPO, $ASR, say/die/usage_error,
# need_value/need_uint, need_tool, need_asr SUBCOMMAND...), and for the
# recipes: atomic "write only if changed" installation of output files (so a
# re-run that changes nothing leaves every file and its mtime alone), data dir
# writing and validation, and sox jobs (AWK_RNG, the one seeded random
# generator every recipe draws from, is scripts/lib.sh's).
set -euo pipefail
export LC_ALL=C # byte-order sorting, as corpus.h requires
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"

# install_if_changed TMP DEST: move TMP over DEST unless they are identical
# (then TMP is removed and DEST keeps its mtime). rename(2) is atomic.
install_if_changed() {
    if [ -f "$2" ] && cmp -s "$1" "$2"; then
        rm -f "$1"
    else
        mv -f "$1" "$2"
    fi
}

# write_data_dir DIR TSV: write DIR/wav.scp, text and utt2spk (sorted by id,
# each replaced only if changed) from TSV lines "uttid<TAB>speaker<TAB>wav<TAB>text".
write_data_dir() {
    local dir=$1 tsv=$2 f
    mkdir -p "$dir"
    sort -t$'\t' -k1,1 "$tsv" | awk -F'\t' -v d="$dir" '{
        print $1, $3 > (d "/wav.scp.tmp"); print $1, $4 > (d "/text.tmp"); print $1, $2 > (d "/utt2spk.tmp") }'
    for f in wav.scp text utt2spk; do install_if_changed "$dir/$f.tmp" "$dir/$f"; done
}

# sox_jobs RATE JOBS: read lines "OUT|IN1|IN2|..." on stdin and write each OUT
# as 16-bit mono WAV at RATE: IN1 alone converted, or IN1 IN2 ... concatenated.
# JOBS sox processes at a time, 50 lines per job; each OUT is written under a
# temporary name and renamed. ('|' separates paths, so it may be in none.)
# sox -R seeds sox's dither, so a rebuilt corpus is byte-for-byte the same:
# with sox's default random dither, models trained on two builds differ.
sox_jobs() {
    # shellcheck disable=SC2016 # the bash -c script expands its own arguments
    xargs -d '\n' -r -P "$2" -n 50 bash -c 'rate=$1; shift
        for l in "$@"; do
            IFS="|" read -r -a a <<<"$l"
            sox -R "${a[@]:1}" -r "$rate" -b 16 -c 1 -e signed-integer "${a[0]}.tmp.wav" &&
                mv "${a[0]}.tmp.wav" "${a[0]}" || exit 1
        done' sox_jobs "$1"
}

# abs_path PATH: PATH made absolute (it need not exist yet; its parent must).
abs_path() {
    case $1 in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$(cd "$(dirname "$1")" && pwd)" "$(basename "$1")" ;;
    esac
}

# validate_dir DIR: DIR/spk2utt, Kaldi's inverse of utt2spk (speakers and
# their utterances in C-locale order, as asr's own data commands write it),
# then `asr data validate DIR`, failing the recipe on any problem. In that
# order: validate checks spk2utt against utt2spk, and a re-run whose utt2spk
# changed (digits.sh with another --fsdd) failed on the spk2utt of the run
# before.
validate_dir() {
    if [ -f "$1/utt2spk" ]; then
        LC_ALL=C sort -k2,2 -k1,1 "$1/utt2spk" |
            awk '$2 != s { if (NR > 1) print line; s = $2; line = s } { line = line " " $1 }
                 END { if (NR) print line }' >"$1/spk2utt.tmp" || die "cannot write $1/spk2utt"
        # Replaced only when it changed: a re-run that changes nothing writes nothing.
        if cmp -s "$1/spk2utt.tmp" "$1/spk2utt"; then rm -f "$1/spk2utt.tmp"; else mv "$1/spk2utt.tmp" "$1/spk2utt"; fi
    fi
    "$ASR" data validate "$1" >&2 || die "$1 does not validate (see above)"
    say "validated $1 ($(wc -l <"$1/wav.scp") utterances)"
}

