# shellcheck shell=bash
# system_folds.sh — sourced by eval/reject_system.sh and
# eval/calibrate_system.sh (after scripts/lib.sh): a combined system's
# members given as RUN:PIPE (RUN/folds/K/PIPE/final.mdl, runs of
# eval/experiments/unseen_speakers.sh), fold by fold.

# member_model RUN:PIPE K: that member's model of fold K.
member_model() { echo "${1%%:*}/folds/$2/${1#*:}/final.mdl"; }

# system_folds MEMBER...: FOLDS, the folds of the first member's run in
# which every member has its model (at least two, or the script dies).
system_folds() {
    local d k m ok
    FOLDS=()
    for d in "${1%%:*}"/folds/*/; do
        k=$(basename "$d") ok=1
        for m in "$@"; do [ -f "$(member_model "$m" "$k")" ] || ok=0; done
        [ $ok = 1 ] && FOLDS+=("$k")
    done
    [ ${#FOLDS[@]} -ge 2 ] || die "fewer than two folds with every member's model"
}

# system_args K PAD MEMBER...: SYSTEM_ARGS, the options of asr decode or
# asr models --combine that make fold K's system: the first member with a
# padded view of PAD ms, the others combined.
system_args() {
    local k=$1 pad=$2 m
    shift 2
    SYSTEM_ARGS=(--model "$(member_model "$1" "$k")" --pad-view "$pad")
    shift
    for m in "$@"; do SYSTEM_ARGS+=(--combine "$(member_model "$m" "$k")"); done
}
