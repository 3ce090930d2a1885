/* model.h — a trained recognizer: pipeline + features + network + weights.
 *
 * The one model-file reader of both pipelines: it reads the file
 * (model_file.h), looks up the pipeline by the name stored in its "pipeline"
 * section, and lets that pipeline restore its resources (lexicon, LM) from
 * the file's other sections. Decoding is shared too: features, a forward
 * pass in length-sorted batches, log-softmax, then the pipeline's search.
 */
#ifndef ASR_MODEL_H
#define ASR_MODEL_H

#include "corpus.h"
#include "features.h"
#include "model_file.h"
#include "nn/network.h"
#include "nn/trainer.h"
#include "pipeline.h"

typedef struct {
    const pipeline_ops *ops;
    pipeline *p;
    features_config feats;
    network net;
    float *params;
} asr_model;

/* The sections every model file of this recognizer carries, without the
 * weights: pipeline, features, network, symbols and the pipeline's own. */
int asr_model_base(const asr_model *m, model_file *out);

/* Load PATH; OPT may override search settings (beam, LM weight...). -1 with
 * a message naming the file when it is damaged, of another version, of an
 * unknown pipeline, or its weights do not fit its network. */
int asr_model_load(const char *path, const pipeline_options *opt, asr_model *m);

void asr_model_free(asr_model *m);

/* Decode the utterances of SET with network weights PARAMS (m->params when
 * NULL): RESULTS[i] for utterance i (free each with pipeline_result_free).
 * BATCH_FRAMES bounds the padded frames per forward pass. */
void asr_model_decode(const asr_model *m, const float *params, const train_set *set,
                      int batch_frames, pipeline_result *results);

/* Features of corpus C as a train_set (targets left empty; ids shared with C). */
int asr_model_features(const features_config *cfg, const corpus *c, int threads, train_set *s,
                       double *audio_seconds);

/* Targets of every utterance of C through the pipeline; -1 with the
 * pipeline's message naming the first utterance that fails. */
int asr_model_targets(const asr_model *m, const corpus *c, train_set *s);

void train_set_free(train_set *s);

#endif
