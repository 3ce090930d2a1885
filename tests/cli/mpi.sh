#!/usr/bin/env bash
# mpi.sh — data-parallel training over MPI (`mpirun -np N asr train`).
# A tiny direct model (conv, layer norm, dropout, SpecAugment: every kind of
# random draw and every reduction the trainer has) trained as a plain
# process on 1 and 2 threads, under `mpirun -np 1` and `mpirun -np 2` must
# give byte-identical checkpoint.mdl and final.mdl: the batch gradient is
# the fixed-order sum of fixed shards (src/base/parallel.h); so must a
# network of recurrent and residual layers. Then: --resume
# under mpirun continues exactly; a rank started on other data, a rank that
# fails to start and a rank killed mid-run stop the job with an error, no
# hang, and the last checkpoint resumes; asr features and asr decode on 2
# and 3 ranks write the bytes one process writes, asr eval on 2 ranks the
# same reports but for the timings; ranks of train, features, decode and
# eval given other utterances, audio, models or options are refused on every
# rank before any work (recognizer/ranks.h); too few shards for the ranks
# and commands that do not run on ranks are refused. Skipped (77) without
# mpirun or when asr was built without MPI.
. "${srcdir:-.}/tests/cli/lib.sh"
command -v mpirun >/dev/null || { echo "skip: mpirun not installed"; exit 77; }
# CI runs as root; Open MPI refuses root unless told.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
MPIRUN=(mpirun --oversubscribe)
# Under tests/sanitize.sh the ranks are checked for memory errors, not for
# leaks: Open MPI leaves its own allocations behind, in components it has
# unloaded by then (LeakSanitizer cannot name them, nor tests/lsan.supp
# suppress them). The plain runs here keep leak detection.
mpi() {
    if [ "$CHECKER" = asan ]; then
        ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0" no_hang 120 "${MPIRUN[@]}" "$@"
    else
        no_hang 120 "${MPIRUN[@]}" "$@"
    fi
}

# A build without MPI refuses to be one of several ranks (each would write
# the same files); that is also how this test knows to skip.
mpi -np 2 "$ASR" --version >"$T/out" 2>"$T/err"
if grep -q "built without MPI" "$T/err"; then
    echo "skip: asr was built without MPI"
    exit 77
fi
[ "$(grep -c '^asr ' "$T/out")" -eq 2 ] || { cat "$T/out" "$T/err"; fail "mpirun -np 2 asr --version"; }

# ---- fixture: 24 training utterances of three sweeps, 4 for validation ----
sweep_split "$T/train" 10 33 vary
sweep_split "$T/valid" 10 13 vary
# Batches of about 16 utterances: 4 shards (the default) of about 4. About
# 14,000 parameters: 4 blocks of the update (nn/optim.h), 2 on each of 2 ranks.
TRAIN=(train --pipeline direct --valid "$T/valid" --warmup 0 --lr 0.03 --batch-frames 1200
    --layers "conv 48 3 2 1;relu 20;layernorm;dropout 0.2;conv 48 3 1 2;relu 20;affine out"
    --set specaug=1 --set search_sweep=0 --quiet)

# ---- the same model on 1 and 2 threads, 1 and 2 ranks ----
expect_exit 0 "$ASR" "${TRAIN[@]}" --train "$T/train" --epochs 3 --out "$T/plain1" --threads 1
expect_exit 0 "$ASR" "${TRAIN[@]}" --train "$T/train" --epochs 3 --out "$T/plain2" --threads 2
expect_exit 0 mpi -np 1 "$ASR" "${TRAIN[@]}" --train "$T/train" --epochs 3 --out "$T/np1"
expect_exit 0 mpi -np 2 "$ASR" "${TRAIN[@]}" --train "$T/train" --epochs 3 --out "$T/np2"
for run in plain2 np1 np2; do
    for f in checkpoint.mdl final.mdl; do
        cmp "$T/plain1/$f" "$T/$run/$f" || fail "$run/$f differs from a plain 1-thread run's"
    done
    # The same losses, epoch by epoch (speed columns aside).
    cut -f1-5 "$T/$run/log.tsv" >"$T/a"
    cut -f1-5 "$T/plain1/log.tsv" >"$T/b"
    cmp -s "$T/a" "$T/b" || fail "$run/log.tsv: other losses than the plain run's"
done
[ "$(wc -l <"$T/np2/log.tsv")" -eq 4 ] || fail "np2/log.tsv should hold 3 epochs (written once)"

# ---- the same with recurrent and residual layers (src/nn/gru.h) ----
GRU=(--layers "conv 32 3 2 1;relu 20;layernorm;bigru 32;layernorm;gru 32 residual;dropout 0.2;affine out")
expect_exit 0 "$ASR" "${TRAIN[@]}" "${GRU[@]}" --train "$T/train" --epochs 2 --out "$T/gru1" --threads 1
expect_exit 0 "$ASR" "${TRAIN[@]}" "${GRU[@]}" --train "$T/train" --epochs 2 --out "$T/gru2" --threads 2
expect_exit 0 mpi -np 2 "$ASR" "${TRAIN[@]}" "${GRU[@]}" --train "$T/train" --epochs 2 --out "$T/grunp2"
expect_grep "bigru 32" "$T/gru1/config"
for run in gru2 grunp2; do
    cmp "$T/gru1/final.mdl" "$T/$run/final.mdl" || fail "GRU network: $run/final.mdl differs from 1 thread's"
done

# ---- --resume under mpirun: 2 epochs on 2 ranks, then a third == 3 in one go ----
expect_exit 0 mpi -np 2 "$ASR" "${TRAIN[@]}" --train "$T/train" --epochs 2 --out "$T/res"
expect_exit 0 mpi -np 2 "$ASR" "${TRAIN[@]}" --train "$T/train" --epochs 3 --out "$T/res" --resume
cmp "$T/res/final.mdl" "$T/plain1/final.mdl" || fail "resumed under mpirun: final.mdl differs"
cmp "$T/res/checkpoint.mdl" "$T/plain1/checkpoint.mdl" || fail "resumed: checkpoint differs"

# ---- a rank on other data: named before any step ----
mkdir -p "$T/other"
for f in wav.scp text utt2spk; do sed '$d' "$T/train/$f" >"$T/other/$f"; done
expect_exit 1 mpi -np 1 "$ASR" "${TRAIN[@]}" --train "$T/train" --epochs 3 --out "$T/mixed" : \
    -np 1 "$ASR" "${TRAIN[@]}" --train "$T/other" --epochs 3 --out "$T/mixed"
expect_grep "rank 1 disagrees with rank 0 on the training data \($T/(train, 24|other, 23) utt" "$T/err"
# Refused before EXP is touched; the next plain run starts there (before,
# the refused start left EXP/config and a log with no epoch, and the next
# run refused EXP as "an earlier experiment").
[ ! -e "$T/mixed" ] || fail "a refused start left $T/mixed behind"
expect_exit 0 "$ASR" "${TRAIN[@]}" --train "$T/train" --epochs 1 --seed 2 --out "$T/mixed"
# A start that failed after writing EXP/config (a frozen layer --init cannot
# fill), or was killed before its first epoch ended (config and a log of
# no epoch), blocks nothing either; an epoch in the log does.
expect_exit 1 "$ASR" "${TRAIN[@]}" --train "$T/train" --epochs 1 --out "$T/failed" \
    --init "$T/mixed/final.mdl" --freeze 1 --layers "conv 40 3 2 1;affine out"
expect_grep "frozen but was not copied" "$T/err"
expect_exit 0 "$ASR" "${TRAIN[@]}" --train "$T/train" --epochs 1 --out "$T/failed"
expect_grep "never finished an epoch" "$T/err"
mkdir "$T/killed"
cp "$T/np2/config" "$T/killed/config"
head -1 "$T/np2/log.tsv" >"$T/killed/log.tsv"
expect_exit 0 "$ASR" "${TRAIN[@]}" --train "$T/train" --epochs 1 --out "$T/killed"
head -2 "$T/np2/log.tsv" >"$T/killed/log.tsv"
rm "$T/killed/final.mdl" "$T/killed/best.mdl" "$T/killed/checkpoint.mdl"
expect_exit 1 "$ASR" "${TRAIN[@]}" --train "$T/train" --epochs 1 --out "$T/killed"
expect_grep "holds an earlier experiment" "$T/err"
# What such a start left is replaced, unless it is an input of this run.
mkdir "$T/cfgexp"
cp "$T/np2/config" "$T/cfgexp/config"
expect_exit 1 "$ASR" "${TRAIN[@]}" --train "$T/train" --epochs 1 --out "$T/cfgexp" \
    --config "$T/cfgexp/config"
expect_grep "$T/cfgexp/config" "$T/err"
cmp -s "$T/np2/config" "$T/cfgexp/config" || fail "train replaced its own --config"

# ---- a rank that fails while the others wait for it: stopped, no hang ----
expect_exit 1 mpi -np 1 "$ASR" "${TRAIN[@]}" --train "$T/train" --epochs 3 --out "$T/half" : \
    -np 1 "$ASR" "${TRAIN[@]}" --train "$T/missing" --epochs 3 --out "$T/half"
expect_grep "$T/missing" "$T/err"
expect_grep "rank 1 of 2 failed" "$T/err"

# ---- a rank killed mid-run: the job stops, the last checkpoint resumes ----
descendants() { for c in $(pgrep -P "$1"); do echo "$c"; descendants "$c"; done; }
(timeout 120 "${MPIRUN[@]}" -np 2 "$ASR" "${TRAIN[@]}" --train "$T/train" --epochs 100000 \
    --out "$T/kill" 2>"$T/kerr") &
job=$!
i=0
while [ ! -s "$T/kill/checkpoint.mdl" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$T/kill/checkpoint.mdl" ] || fail "no checkpoint after 60 s"
rank1=
for p in $(descendants $job); do
    tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx OMPI_COMM_WORLD_RANK=1 && rank1=$p
done
[ -n "$rank1" ] || fail "rank 1's process not found"
kill -KILL "$rank1"
wait $job
st=$?
# 124: still running after 120 s (timeout's status), a hang.
[ $st -ne 0 ] && [ $st -ne 124 ] || { cat "$T/kerr"; fail "killing rank 1: mpirun exited $st"; }
done_epochs=$(($(wc -l <"$T/kill/log.tsv") - 1))
expect_exit 0 mpi -np 2 "$ASR" "${TRAIN[@]}" --train "$T/train" --epochs $((done_epochs + 1)) \
    --out "$T/kill" --resume
expect_exit 0 "$ASR" "${TRAIN[@]}" --train "$T/train" --epochs $((done_epochs + 1)) \
    --out "$T/whole" --threads 1
cmp "$T/kill/final.mdl" "$T/whole/final.mdl" || fail "resumed after a killed rank: final.mdl differs"

# ---- asr features and asr decode share the utterances; rank 0 writes ----
# Dither draws from each utterance's index in the corpus: the shares of 2
# and 3 ranks (3 does not divide 24) must still give the one archive.
expect_exit 0 "$ASR" features --dither 1 "$T/train" "$T/plain.ark"
for np in 2 3; do
    expect_exit 0 mpi -np $np "$ASR" features --dither 1 "$T/train" "$T/np$np.ark"
    cmp "$T/plain.ark" "$T/np$np.ark" || fail "asr features on $np ranks: another archive"
    expect_grep "^asr features: 24 utterances" "$T/err"
done
expect_exit 0 "$ASR" decode --model "$T/np2/final.mdl" --beam 4 --out "$T/hyp" --units "$T/units" \
    "$T/train"
grep '^%WER' "$T/err" >"$T/wer"
for np in 2 3; do
    expect_exit 0 mpi -np $np "$ASR" decode --model "$T/np2/final.mdl" --beam 4 --out "$T/hyp$np" \
        --units "$T/units$np" "$T/train"
    cmp "$T/hyp" "$T/hyp$np" || fail "asr decode on $np ranks: other hypotheses"
    cmp "$T/units" "$T/units$np" || fail "asr decode on $np ranks: other units"
    grep '^%WER' "$T/err" | cmp -s - "$T/wer" || fail "asr decode on $np ranks: another WER"
done
# The words' times and confidences come from the other ranks too.
expect_exit 0 "$ASR" decode --model "$T/np2/final.mdl" --beam 4 --format json --out "$T/hyp.json" "$T/train"
expect_exit 0 mpi -np 3 "$ASR" decode --model "$T/np2/final.mdl" --beam 4 --format json \
    --out "$T/hyp3.json" "$T/train"
grep -q '"start"' "$T/hyp.json" || fail "asr decode --format json: no timed word"
cmp "$T/hyp.json" "$T/hyp3.json" || fail "asr decode --format json on 3 ranks: other word times"
expect_exit 2 mpi -np 2 "$ASR" decode --model "$T/np2/final.mdl" "$T/wav/train_10.wav"
expect_grep "audio files are decoded by one process" "$T/err"

# asr eval shares every split's utterances: the same errors.tsv, and the same
# report.json but for the timings (each utterance's decode time is measured
# on the rank that decoded it) and the provenance (the time and the --out of
# the command).
untimed() { jq -S 'del(.provenance) | walk(if type == "object" then del(.rtf, .latency_p50_ms, .latency_p95_ms, .cpu_rtf,
    .cpu_latency_p50_ms, .cpu_latency_p95_ms)
    else . end)' "$1"; }
if command -v jq >/dev/null; then
    EVAL=(eval --model "$T/np2/final.mdl" --data "$T" --splits train,valid --beam 4 --bayes 0)
    expect_exit 0 "$ASR" "${EVAL[@]}" --out "$T/ev1"
    expect_exit 0 mpi -np 2 "$ASR" "${EVAL[@]}" --out "$T/ev2"
    cmp "$T/ev1/errors.tsv" "$T/ev2/errors.tsv" || fail "asr eval on 2 ranks: another errors.tsv"
    untimed "$T/ev1/report.json" >"$T/a"
    untimed "$T/ev2/report.json" >"$T/b"
    cmp "$T/a" "$T/b" || fail "asr eval on 2 ranks: another report.json (timings aside)"
    [ "$(grep -c '^| split | utts | WER' "$T/out")" -eq 1 ] || fail "asr eval on 2 ranks: not one report"
fi

# ---- ranks given other inputs: every rank stops before any work ----
# Before, ranks with other utterance counts gathered shares of the wrong
# size (rank 0 died "out of memory" asking for a heap address's worth, or
# read memory never received), and ranks with another model or audio wrote
# a mix of both. The inputs: 3 utterances, and the training data less one;
# the same ids with each other's audio; another model (another seed, 1
# epoch).
sweep_split "$T/tiny3" 40 42 vary
mkdir -p "$T/swapped" "$T/alt" "$T/alt_audio"
cp "$T/train/text" "$T/train/utt2spk" "$T/swapped/"
paste -d' ' <(cut -d' ' -f1 "$T/train/wav.scp") \
    <({ cut -d' ' -f2 "$T/train/wav.scp" | tail -n +2; head -1 "$T/train/wav.scp" | cut -d' ' -f2; }) \
    >"$T/swapped/wav.scp"
ln -s "$T/other" "$T/alt/train"
ln -s "$T/swapped" "$T/alt_audio/train"
M=$T/np2/final.mdl M2=$T/mixed/final.mdl
# disagree PATTERN ARGS0... :: ARGS1...: rank 0 runs asr ARGS0, rank 1 asr
# ARGS1; the job exits 1 naming what differs, and writes nothing.
disagree() {
    local pat=$1 a=()
    shift
    while [ "$1" != "::" ]; do a+=("$1"); shift; done
    shift
    rm -rf "$T/h.txt" "$T/f.ark" "$T/ev"
    expect_exit 1 mpi -np 1 "$ASR" "${a[@]}" : -np 1 "$ASR" "$@"
    expect_grep "rank 1 disagrees with rank 0 on $pat.*every rank must be started with the same" \
        "$T/err"
    [ ! -e "$T/h.txt" ] && [ ! -e "$T/f.ark" ] && [ ! -e "$T/ev/report.json" ] ||
        fail "asr ${a[0]}: ranks that disagree wrote an output"
}
DEC=(decode --beam 4 --out "$T/h.txt")
disagree "the data directory \\($T/(train, 24|tiny3, 3) utterances\\)" "${DEC[@]}" --model "$M" "$T/train" :: \
    "${DEC[@]}" --model "$M" "$T/tiny3"
disagree "the model \\($T/(np2|mixed)/final.mdl\\)" "${DEC[@]}" --model "$M" "$T/train" :: \
    "${DEC[@]}" --model "$M2" "$T/train"
disagree "the data directory" "${DEC[@]}" --model "$M" "$T/train" :: \
    "${DEC[@]}" --model "$M" "$T/swapped"
disagree "the decoding options" "${DEC[@]}" --model "$M" "$T/train" :: \
    "${DEC[@]}" --model "$M" --lm-weight 2 "$T/train"
disagree "the data directory" features "$T/train" "$T/f.ark" :: features "$T/other" "$T/f.ark"
disagree "the data directory" features "$T/train" "$T/f.ark" :: features "$T/swapped" "$T/f.ark"
disagree "the feature options" features --dither 1 "$T/train" "$T/f.ark" :: \
    features --dither 0 "$T/train" "$T/f.ark"
EV=(eval --splits train --beam 4 --bayes 0 --out "$T/ev")
disagree "the data directory" "${EV[@]}" --model "$M" --data "$T" :: \
    "${EV[@]}" --model "$M" --data "$T/alt"
disagree "the model" "${EV[@]}" --model "$M" --data "$T" :: "${EV[@]}" --model "$M2" --data "$T"
disagree "the data directory" "${EV[@]}" --model "$M" --data "$T" :: \
    "${EV[@]}" --model "$M" --data "$T/alt_audio"

# ---- refused ----
expect_exit 1 mpi -np 2 "$ASR" "${TRAIN[@]}" --train "$T/train" --epochs 1 --out "$T/few" \
    --set shards=1
expect_grep "2 MPI ranks but 1 shards per batch" "$T/err"
expect_exit 2 mpi -np 2 "$ASR" score "$T/valid/text" "$T/valid/text"
expect_grep "asr score: runs as one process, not as 2 MPI ranks" "$T/err"
exit 0
