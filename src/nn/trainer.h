/* trainer.h — the training loop shared by every pipeline.
 *
 * It sees features and integer target sequences, never words: a pipeline
 * turns transcripts into targets before, and network outputs into words
 * after (the optional VALIDATE callback is how a pipeline's error rate
 * reaches early stopping without the trainer knowing what a word is).
 *
 * Per epoch: utterances sorted by length are cut into batches of similar
 * length (at most batch_frames padded input frames, at most max_batch
 * utterances); the batch order is shuffled from (seed, epoch).
 *
 * Shards: each batch of B utterances is cut into a fixed number S of shards
 * (`shards`, 4 by default), shard s holding the utterances s, s + S,
 * s + 2S, ... of the length-sorted batch (every shard, and so every rank,
 * gets as much work). A shard is the unit of work: it is padded,
 * augmented, forwarded and backpropagated on its own, single-threaded, into
 * its own gradient buffer, with SpecAugment and dropout drawing from a
 * generator seeded by (seed, epoch, batch, shard); the batch gradient is the
 * sum of the S shard gradients in one fixed pairwise tree (base/parallel.h).
 * Threads take whole shards, and MPI ranks own contiguous runs of shards,
 * so neither the thread count nor the number of ranks changes a single
 * float operation: the model is the same, byte for byte, on 1 or 8 threads,
 * in a plain process or on N ranks of `mpirun -np N` (S must be at least N).
 * Changing S changes the numbers (other padding and random draws), like
 * changing the seed.
 *
 * So an epoch's updates depend only on the weights and optimizer state at
 * its start. That is what makes --resume exact: the checkpoint written after
 * every epoch holds weights, optimizer moments, step count and the
 * early-stopping state, and a resumed run replays the interrupted epoch bit
 * for bit.
 *
 * The update is split too: under MPI each rank sums only its slice of the
 * gradient (par_reduce_shards), the gradient norm for clipping is summed
 * from fixed blocks in a fixed order (nn/optim.h), each rank updates its
 * slice of the weights and of Adam's moments, and the slices of the
 * weights are exchanged (the same bytes as exchanging the summed gradient;
 * the moments once per epoch, for the checkpoint). So no rank repeats the
 * others' update.
 *
 * Under MPI every rank runs this loop on the same data with the same
 * configuration (checked at the start: a rank started on other files stops
 * the job); rank 0 alone validates (broadcasting the result, so every rank
 * takes the same early-stopping decision), writes checkpoint.mdl, best.mdl,
 * final.mdl and log.tsv, and reports progress. The other ranks only read
 * EXP/checkpoint.mdl on --resume. log.tsv's last columns say how the epoch
 * ran: ranks, steps, and comm_seconds (rank 0's time in the collectives of
 * the steps, waiting for slower ranks included).
 *
 * The loss per utterance is the masked multi-task sum of nn/multitask_loss.h
 * over the configured output heads (by default one CTC head over all
 * outputs: plain CTC), averaged over the batch. An utterance without a label
 * for a head trains the other heads only; utterances whose targets do not
 * fit their frames are skipped with a warning. A NaN or Inf loss or
 * gradient stops training with a message naming the epoch and utterance;
 * the last good checkpoint stays on disk.
 *
 * Transfer learning: with freeze = k the layers [0, k) keep the weights the
 * caller initialised them with (e.g. copied from a model trained on other
 * data): the backward pass stops above them and the optimizer, its state
 * and the checkpoints cover only the arena's tail that the later layers own.
 *
 * With ema > 0 the checkpoint also holds the running average.
 *
 * Files in the experiment directory: checkpoint.mdl (latest epoch), best.mdl
 * (best validation so far), final.mdl (= best at the end), log.tsv (one line
 * per epoch).
 */
#ifndef ASR_NN_TRAINER_H
#define ASR_NN_TRAINER_H

#include "base/model_file.h"
#include "nn/multitask_loss.h"
#include "nn/network.h"
#include "nn/optim.h"
#include "nn/specaug.h"

#include <stdint.h>

/* Targets of one output head: y[i] holds the L[i] targets of utterance i
 * (CTC: symbols 1..width-1; CE: one label per output frame), or is NULL when
 * utterance i has no label for this head, which masks the head for it. A
 * present label is never NULL, even when empty (L[i] = 0). */
typedef struct {
    int **y;
    int *L;
} train_targets;

typedef struct {
    float **x; /* x[i]: [T[i]][dim] features */
    int *T;
    train_targets tg[MT_MAX_HEADS]; /* tg[h] for each of nheads heads */
    int nheads;
    char **ids;
    int n, dim;
} train_set;

typedef struct {
    optim_config opt;
    int epochs;
    int batch_frames; /* padded input frames per batch */
    int max_batch;    /* utterances per batch */
    uint64_t seed;
    int specaug; /* apply AUG to training batches */
    specaug_config aug;
    int static_dim; /* feature columns before deltas (for frequency masks) */
    int patience;   /* stop after this many epochs without improvement; 0 = never */
    int shards;     /* fixed work units per batch (see above); at least the MPI ranks */
    /* Exponential moving average of the weights over steps (Polyak
     * averaging), 0 = off: avg <- d avg + (1 - d) w after every update, with
     * d = min(EMA, (1 + step) / (10 + step)) so the first steps are not tied
     * to the initialisation. Validation, best.mdl and final.mdl then use the
     * average: the weights of one step wander with the batch order, the
     * average sits near the middle of where they wandered. */
    float ema;
    int freeze; /* layers [0, freeze) keep their weights (transfer learning: fine-tune
                   the rest); 0 = train every layer */
    const char *exp_dir;
    /* The directory messages name (EXP, when EXP_DIR is its stand-in EXP.tmp
     * until the run is complete), or NULL for EXP_DIR. */
    const char *shown_dir;
    const io_set *io; /* EXP_DIR is (in) one of its outputs (base/io_set.h) */
    int quiet;        /* no progress lines */
    /* The output heads (nn/multitask_loss.h), as many as the sets' nheads; NULL:
     * one CTC head over all outputs. */
    const mt_head *heads;
    int nheads;
    /* Error rate (%) of the network on the validation set, or NULL to rank
     * epochs by validation loss alone. */
    double (*validate)(void *ctx, const network *net, const float *params);
    void *ctx;
    /* Called before each epoch (0-based EPOCH) with EPOCH_CTX, or NULL: the
     * caller may redraw augmentations of the training features in place
     * (never their frame counts). -1 stops training with its message. */
    int (*before_epoch)(void *epoch_ctx, int epoch);
    void *epoch_ctx;
} trainer_config;

void trainer_config_default(trainer_config *c);

/* Train PARAMS (net->num_params floats, initialised by the caller) on TRAIN,
 * validating on VALID after every epoch. BASE holds the sections every model
 * file of this run carries (pipeline, features, network, symbols). With
 * RESUME, state is restored from EXP/checkpoint.mdl first. On return PARAMS
 * hold the best weights, also written to EXP/final.mdl. */
int trainer_run(const network *net, float *params, const train_set *train, const train_set *valid,
                const trainer_config *c, const model_file *base, int resume);

/* Batches of similar length, shared by training and decoding: utterance
 * indices sorted by length, cut greedily so that (count * longest) stays
 * within BATCH_FRAMES and count within MAX_BATCH. */
typedef struct {
    int *idx;   /* utterance indices, all batches back to back */
    int *start; /* batch b is idx[start[b] .. start[b+1]) */
    int n;
} train_batches;

void train_batches_make(const train_set *s, int batch_frames, int max_batch, train_batches *bt);
void train_batches_free(train_batches *bt);

/* Padded input [B][*T][dim] of the utterances IDX[0..B) (a new array);
 * LENS[b] receives each one's frames. */
float *train_batch_assemble(const train_set *s, const int *idx, int B, int *lens, int *T);

/* Mean loss (the multi-task sum over HEADS, NULL = one CTC head) per usable
 * utterance of SET in forward-only mode (no dropout, no masks). */
double trainer_eval_loss(const network *net, const float *params, const train_set *set,
                         const mt_head *heads, int nheads, int batch_frames, int max_batch);

#endif
