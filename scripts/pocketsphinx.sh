# shellcheck shell=bash
# pocketsphinx.sh — what the scripts that run CMU PocketSphinx as a reference
# share (sourced after scripts/lib.sh; eval/bench-decode.sh and
# eval/tidigits.sh): audio in the form pocketsphinx_batch reads, and its
# hypotheses as Kaldi text for `asr score` / `asr eval --hyps`.

# ps_raw WAV_SCP RAWDIR RATE: every utterance of WAV_SCP ("uttid path") as
# headerless 16-bit mono PCM at RATE in RAWDIR/UTT.raw (what
# pocketsphinx_batch -adcin reads with -cepdir RAWDIR -cepext .raw and a
# control file of uttids). -G guards against clipping on resampling, -D
# leaves dithering to the decoder's own -dither option. Two sox at a time.
# shellcheck disable=SC2016 # the sh -c script expands its own arguments
ps_raw() {
    mkdir -p "$2"
    awk -v o="$2" '{ printf "%s\n%s/%s.raw\n", $2, o, $1 }' "$1" |
        xargs -d '\n' -n2 -P2 sh -c 'exec sox -R -V1 -G -D "$1" -t raw -e signed-integer -b 16 -c 1 -r "$0" "$2"' "$3"
}

# ps_kaldi_text HYP: pocketsphinx's hypothesis lines "words... (uttid score)"
# as Kaldi text "uttid words..." (words lower-cased, as asr's transcripts are).
ps_kaldi_text() {
    awk '{ id = $(NF - 1); sub(/^\(/, "", id); s = id
           for (i = 1; i <= NF - 2; i++) s = s " " tolower($i); print s }' "$1"
}
