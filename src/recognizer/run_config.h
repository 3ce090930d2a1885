/* run_config.h — the configuration of a training or decoding run.
 *
 * A configuration file is "key = value" lines ('#' starts a comment):
 *   features.KEY    any feature setting (src/features.h), e.g. features.num_mel
 *   layer           one network layer, in order (src/nn/network.h)
 *   optimizer lr momentum l2 clip warmup decay       (src/nn/optim.h)
 *   epochs batch_frames max_batch patience seed specaug
 *   specaug.freq_masks specaug.max_freq specaug.time_masks specaug.max_time
 *   specaug.max_time_ratio                           (src/nn/specaug.h)
 *   threads beam lexicon lm lm_weight word_penalty   (pipelines/pipeline.h)
 *   init freeze                                      transfer learning: initial
 *                  weights from a trained model; freeze = N fixes the first N
 *                  layers, all-but-last trains only the output layer
 *   PIPELINE.HEAD_weight   loss weight of an output head of pipeline PIPELINE,
 *                          e.g. multitask.char_weight = 0.5 (default 1)
 * The defaults of pipeline NAME are pipelines/NAME.conf, found through
 * $ASR_PIPELINES_DIR, else the source tree this asr was built from.
 */
#ifndef ASR_RUN_CONFIG_H
#define ASR_RUN_CONFIG_H

#include "signal/features.h"
#include "recognizer/model.h"
#include "nn/trainer.h"
#include "pipelines/pipeline.h"

#define RUN_CONFIG_MAX_WEIGHTS  8
#define RUN_CONFIG_ALL_BUT_LAST (-1)

typedef struct {
    features_config feats;
    char *layers; /* newline-separated network description */
    trainer_config train;
    pipeline_options search;
    char *lexicon, *lm; /* owned copies behind search.lexicon_path / lm_path */
    int threads;        /* 0 = all cores */
    char *init;         /* initial weights: a trained model (layers of the same shape) */
    int freeze;         /* layers kept fixed; RUN_CONFIG_ALL_BUT_LAST: all but the output */
    int layers_from_cli;
    struct {
        char *key; /* "PIPELINE.HEAD_weight" */
        float weight;
    } head_weights[RUN_CONFIG_MAX_WEIGHTS];
    int n_head_weights;
} run_config;

void run_config_init(run_config *rc);
void run_config_free(run_config *rc);

/* Read PATH, or pipelines/PIPELINE.conf when PATH is NULL. */
int run_config_load_defaults(run_config *rc, const char *pipeline, const char *path);

/* One key = value (file syntax). */
int run_config_set(run_config *rc, const char *key, const char *value);

/* A command-line option ("--lr", "--set" ...) with its value. */
int run_config_option(run_config *rc, const char *opt, const char *value);

int run_config_check(const run_config *rc);

/* Give M's output heads the weights of the configuration; -1 naming the key
 * when it names another pipeline or a head M does not have. */
int run_config_apply_head_weights(const run_config *rc, asr_model *m);

/* Set OpenMP and OpenBLAS thread counts from rc->threads. */
void run_config_apply_threads(const run_config *rc);

/* Write the effective configuration to DIR/config (atomically). */
int run_config_write(const run_config *rc, const char *pipeline, const char *dir);

#endif
