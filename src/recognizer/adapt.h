/* adapt.h — adapting a model to a speaker (or a line) from the speaker's own
 * audio, without transcripts: what `asr adapt`, `asr decode --adapt` and
 * `asr stream --adapt` do.
 *
 *   1. decode the speaker's utterances with the source model (no transform);
 *   2. keep the confident hypotheses: an utterance with at least one word,
 *      not rejected, whose confidence (pipeline.h: the product of its words'
 *      calibrated confidences) is at least MIN_CONF, and, given a second
 *      model (AGREE, best another pipeline: its errors are partly its own),
 *      that it hears the same words (two recognizers that agree are right
 *      more often than either is sure: on FSDD's held-out speakers, 74-92%
 *      of one model's hypotheses right, 86-94% of those the two agree on);
 *      they become targets as
 *      a transcript would (staged: the phones the search went through, so the
 *      pronunciation it chose; direct: the words' characters);
 *      supervised adaptation takes the references instead (the upper bound);
 *   3. fit the speaker's transform (recognizer/speaker_xform.h: an affine
 *      map of the features, or the layer norms' gains and biases) to them,
 *      the network otherwise frozen:
 *        minimise  (1/B) sum_u loss_u(net(x_u; v)) + L2 |v - v0|^2
 *      over batches B of the speaker's kept utterances, v0 the identity (the
 *      source model), by Adam for EPOCHS passes; L2 holds v near the source
 *      model when a few utterances (or wrong hypotheses) would pull it far.
 *      The loss is the model's training loss (CTC, each head) of a
 *      training-mode pass without dropout; its gradient reaches the
 *      features through the frozen network (network_backward's DINPUT):
 *        dA = sum_t g_t x_t^T,  db = sum_t g_t,  g_t = d loss / d x'_t;
 *   4. decode again with the transform.
 * Per speaker of utt2spk, or one transform ("*") for every utterance.
 */
#ifndef ASR_RECOGNIZER_ADAPT_H
#define ASR_RECOGNIZER_ADAPT_H

#include "recognizer/model.h"
#include "recognizer/options.h"
#include "recognizer/speaker_xform.h"

typedef struct {
    xform_kind kind;
    int epochs;         /* passes over a speaker's kept utterances */
    float lr;           /* Adam's step */
    float l2;           /* pull toward the source model */
    float min_conf;     /* keep hypotheses at least this confident */
    int min_conf_given; /* min_conf set by the user: with AGREE, else 0 (below) */
    float min_seconds;  /* a speaker with less kept audio is not adapted: a few
                           utterances (often of a few words) pull a transform of
                           1,640 numbers toward them, not toward the voice */
    int rounds;         /* decode-and-fit rounds: each after the first decodes with the
                           last round's transforms for better targets */
    int supervised;     /* targets from the references (text), every utterance kept */
    int per_speaker;
    const char *agree; /* a second model (the other pipeline): keep only the hypotheses
                          it agrees with, word for word (NULL: none); agreement is then
                          the filter, and min_conf 0 unless given (measured best) */
    int cotrain;       /* with AGREE: that model is first adapted to the hypotheses it
                          shares with this one, and agreement is with its adapted ones */
    int no_trim;       /* the recordings whole, as `asr decode --no-trim` reads
                          them (default: cut to their speech, recognizer/system.h) */
} adapt_config;

/* feature, 20 epochs, lr 0.01, L2 0.01, min_conf 0.5, min_seconds 15,
 * 2 rounds, unsupervised, one transform for all. */
void adapt_config_default(adapt_config *c);

/* The confidence bar of step 2: CFG->min_conf, or 0 with CFG->agree unless
 * min_conf was given. */
float adapt_min_conf(const adapt_config *cfg);

/* Whether hypothesis R is confident enough to adapt to (step 2, unsupervised):
 * words, not rejected, confidence >= adapt_min_conf(CFG). */
int adapt_keeps(const adapt_config *cfg, const pipeline_result *r);

/* What adaptation did for one speaker. */
typedef struct {
    char *speaker;
    int utterances, used;           /* of the speaker; kept as targets */
    double kept_seconds;            /* the kept utterances' audio */
    int adapted;                    /* a transform was fitted (enough kept audio) */
    double loss_before, loss_after; /* mean loss per kept utterance */
    double seconds;
} adapt_speaker_stats;

typedef struct {
    adapt_speaker_stats *sp;
    int n;
    double seconds;
} adapt_stats;

void adapt_stats_free(adapt_stats *st);

/* The loss (the model's training loss, dropout off) summed over the usable
 * utterances of S (features and targets) under transform V of kind K, the
 * network as M has it otherwise; with GV, its gradient with respect to V
 * (xform_dim floats): what the fit descends, public for gradient checks. */
double adapt_loss(const asr_model *m, const train_set *s, xform_kind k, const float *v, float *gv);

/* Steps 2 and 3 for the utterances of C (features S, untransformed; FIRST
 * their results without a transform; AGREE, when not NULL, the second
 * model's words for each, CFG->agree ignored here): a transform per speaker
 * of C (or one, "*", without CFG->per_speaker) into X (initialised here),
 * stats into ST.
 * -1 with a message (C has no usable utterance for a speaker: that speaker
 * keeps no transform and is reported with adapted = 0, not an error; so
 * does one with less than CFG->min_seconds of kept audio). */
int adapt_fit(const asr_model *m, const corpus *c, const train_set *s, const pipeline_result *first,
              char *const *agree, const adapt_config *cfg, int batch_frames, speaker_xforms *x,
              adapt_stats *st);

/* `asr adapt`: MODEL adapted to the audio of DATA, written to OUT with the
 * transforms in its section "adapt" (replacing any it had). */
typedef struct {
    const char *model, *data, *out;
    adapt_config cfg;
    const asr_options *conf;
    io_set *io;
} asr_adapt_job;

int asr_adapt(const asr_adapt_job *j, adapt_stats *st);

/* Steps 1 to 3, CFG->rounds times: the first pass decodes S (the features
 * of C) with M without transforms, each further round with the transforms
 * of the round before; the last round's transforms into X, its stats into
 * ST (seconds: every round's fitting). With CFG->agree, that model (loaded
 * by name or path, with its own features, stored search and speaker
 * transforms, as asr decode would: co-training when it was itself adapted
 * to these speakers, or, with CFG->cotrain, once adapted here as `asr adapt
 * --model AGREE --agree M` would) decodes C once, and every round keeps
 * only what it agrees with. */
int adapt_estimate(const asr_model *m, const corpus *c, const train_set *s, const adapt_config *cfg,
                   int batch_frames, speaker_xforms *x, adapt_stats *st);

/* Decode S (corpus C) as decode --adapt: adapt_estimate, then every
 * utterance again with its speaker's transform into RES. */
int adapt_decode_two_pass(const asr_model *m, const corpus *c, const train_set *s,
                          const adapt_config *cfg, int batch_frames, pipeline_result *res,
                          adapt_stats *st);

#endif
