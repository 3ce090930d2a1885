/* model.h — a trained recognizer: pipeline + features + network + weights.
 *
 * The one model-file reader of both pipelines: it reads the file
 * (model_file.h), looks up the pipeline by the name stored in its "pipeline"
 * section, and lets that pipeline restore its resources (lexicon, LM) from
 * the file's other sections. Decoding is shared too: features, a forward
 * pass in length-sorted batches, a log-softmax over each output head's
 * columns, then the pipeline's search.
 *
 * The pipeline's heads (pipeline.h) become the network's output layout
 * (nn/multitask_loss.h): head h owns the columns after those of heads 0..h-1, and
 * the network has as many outputs as all heads together.
 */
#ifndef ASR_MODEL_H
#define ASR_MODEL_H

#include "text/corpus.h"
#include "signal/audio.h"
#include "signal/features.h"
#include "base/model_file.h"
#include "base/progress.h"
#include "nn/network.h"
#include "nn/trainer.h"
#include "pipelines/pipeline.h"
#include "recognizer/speaker_xform.h"

typedef struct {
    const pipeline_ops *ops;
    pipeline *p;
    features_config feats;
    network net;
    float *params;
    pipeline_options search;     /* the search settings (stored as section "search") */
    const pipeline_head *ph;     /* the pipeline's heads ... */
    mt_head heads[MT_MAX_HEADS]; /* ... and their columns and loss weights */
    int nheads;
    speaker_xforms xf; /* an adapted model's per-speaker transforms (n = 0: none) */
} asr_model;

/* Lay out M's heads from its pipeline (weights 1). Returns the number of
 * network outputs, or -1 with a message when the pipeline's heads are bad. */
int asr_model_heads(asr_model *m);

/* Set the loss weight of head NAME; -1 naming the heads there are when M has
 * no head NAME, or when W is not a finite number >= 0. */
int asr_model_set_head_weight(asr_model *m, const char *name, float w);

/* The loss weights a configuration gives M's heads (PIPELINE.HEAD_weight);
 * -1 naming the key when it names another pipeline or a head M does not
 * have. */
typedef struct asr_options asr_options;
int asr_model_apply_head_weights(asr_model *m, const asr_options *o);

/* The sections every model file of this recognizer carries, without the
 * weights: pipeline, features, network, symbols and the pipeline's own. */
int asr_model_base(const asr_model *m, model_file *out);

/* Load the model SPEC names: a file, or a model name on the search path
 * (recognizer/model_path.h); the search settings OPT gives (pipeline.h)
 * override those the file stores, which fill the rest (files without them:
 * the defaults). -1 with a message naming the file when it is not found,
 * damaged, of another version, of an unknown pipeline, or its weights do not
 * fit its network or are not finite; also when OPT gives a lexicon to a
 * pipeline that reads none (direct). */
int asr_model_load(const char *spec, const pipeline_options *opt, asr_model *m);

/* The same from the sections of F, already read (model_file_read, or
 * model_file_parse of bytes in memory, as a fuzzer feeds them); NAME stands
 * for the file in messages. Also -1 when a weight is NaN or infinite (the
 * message gives how many). On failure M is left empty (nothing to free); F
 * is not referenced after the call. */
int asr_model_from_file(const model_file *f, const char *name, const pipeline_options *opt,
                        asr_model *m);

void asr_model_free(asr_model *m);

/* Decode the utterances of SET with network weights PARAMS (m->params when
 * NULL): RESULTS[i] for utterance i (free each with pipeline_result_free).
 * BATCH_FRAMES bounds the padded frames per forward pass. */
void asr_model_decode(const asr_model *m, const float *params, const train_set *set,
                      int batch_frames, pipeline_result *results);

/* Decode SET with M's speaker transforms (m->xf): utterance i as speaker
 * SPEAKERS[i] (NULL, or SPEAKERS NULL: no speaker known, so the "*"
 * transform if there is one). Without transforms it is asr_model_decode. */
void asr_model_decode_speakers(const asr_model *m, const train_set *set,
                               const char *const *speakers, int batch_frames,
                               pipeline_result *results, progress *pr);

/* An ensemble: MS[0..K) decode SET together, their per-head
 * log-probabilities averaged frame by frame, then MS[0]'s search (and search
 * settings). K = 1 is asr_model_decode. PR (may be NULL) is stepped after
 * each batch (base/progress.h). Check them first: */
void asr_model_decode_ensemble(const asr_model *ms, int k, const train_set *set, int batch_frames,
                               pipeline_result *results, progress *pr);
/* -1 naming two of NAMES when MS[0..K) differ in pipeline, features, outputs,
 * heads or frame rate. */
int asr_model_ensemble_check(const asr_model *ms, int k, const char *const *names);

/* The search of one utterance: LOGITS [T][outputs] of the network, each head
 * the pipeline decodes with log-softmaxed over its own columns, then the
 * pipeline's decode into RES. */
int asr_model_search(const asr_model *m, const float *logits, int T, pipeline_result *res);

/* Features of corpus C as a train_set (targets left empty; ids shared with
 * C); WARP (may be NULL) as feats_ark_compute's. */
int asr_model_features(const features_config *cfg, const corpus *c, int threads, const float *warp,
                       train_set *s, double *audio_seconds);

/* The same for the utterances [LO, HI) of C only (S holds HI - LO of them,
 * with the features they have in the whole: feats_ark_compute_range, PR
 * too); PADDED, when not NULL, their features with PAD seconds of quiet
 * around each, from the same audio; CUTS, when not NULL, each with its long
 * quiet cut out first, CUTS[i] saying what (feats_ark_compute_range). */
int asr_model_features_range(const features_config *cfg, const corpus *c, int threads,
                             const float *warp, int lo, int hi, train_set *s, double pad,
                             train_set *padded, audio_cuts *cuts, double *audio_seconds,
                             progress *pr);

/* Features of every recording of C as recognition reads it (recognizer/
 * system.h): its long quiet cut out (signal/audio.h audio_cut_quiet) unless
 * WHOLE; what adaptation and calibration fit to must be what decoding
 * hears. */
int asr_model_heard_features(const features_config *cfg, const corpus *c, int threads, int whole,
                             train_set *s, double *audio_seconds);

/* Targets of every utterance of C for every head, through the pipeline;
 * MASKED[h] (may be NULL) receives how many utterances have no label for
 * head h. -1 with the pipeline's message naming the first utterance that
 * fails. */
int asr_model_targets(const asr_model *m, const corpus *c, train_set *s, int *masked);

/* Under MPI (base/parallel.h) each rank recognised the utterances [LO, HI)
 * of N into RES[LO..HI) and, with NX > 0, NX numbers per utterance into
 * X[i * NX ..] (timings); rank 0 gathers every utterance's words, units and
 * numbers, in corpus order, so it can write and score what one process
 * would. One rank: nothing to do. */
int asr_results_gather(pipeline_result *res, double *x, int nx, int n, int lo, int hi);

/* asr_model_load that also keeps the file's sections in F (the caller frees
 * them with model_file_free; nothing to free on failure): for a command that
 * writes the model again with a section changed (asr adapt, asr calibrate). */
int asr_model_load_file(const char *spec, const pipeline_options *opt, asr_model *m, model_file *f);

/* The search settings stored in F (NAME names it in messages) changed by
 * EDIT (which may fail with a message: -1) and stored again. */
int asr_model_file_edit_search(model_file *f, const char *name,
                               int (*edit)(pipeline_options *stored, void *ctx), void *ctx);

/* Write F to OUT, an output of IO, once it loads as a model: a changed
 * section that would make the file unreadable is refused (-1 with the
 * loader's message naming OUT), nothing written. */
int asr_model_file_write(const model_file *f, const io_set *io, const char *out);

/* Write OUT: the model file SPEC (a file or a name) with the search settings
 * ASSIGN[0..N) ("KEY=VALUE": beam, lm_weight, word_penalty, the calibration
 * and rejection keys, time_start_shift, time_end_shift) stored over its own,
 * every other section as it was (asr models --set). -1 naming the setting or
 * the file; nothing written then. OUT is an output of IO. */
int asr_model_store_search(const char *spec, const char *const *assign, int n, const io_set *io,
                           const char *out);

void train_set_free(train_set *s);

#endif
