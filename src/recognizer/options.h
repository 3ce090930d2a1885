/* options.h — every configuration key of a training or decoding run, in ONE
 * table (options.c): its name, type, range, help and the pipelines that use
 * it. Configuration files, `--set KEY=VALUE`, the commands' named options
 * (`--lr 0.01`), the pipelines' built-in defaults, the settings a model file
 * or feature archive stores and `asr train --help` all go through it, so a
 * key has the same limits everywhere, and an unknown key is an error naming
 * the closest known one.
 *
 * A configuration file is "key = value" lines ('#' starts a comment):
 *   features.KEY    the front end (signal/features.h), e.g. features.num_mel
 *   layer           one network layer, in order (nn/network.h); repeatable
 *   optimizer lr momentum l2 clip warmup decay       (nn/optim.h)
 *   epochs batch_frames max_batch patience ema seed specaug specaug.*   (nn/trainer.h)
 *   vtlp            vocal tract length perturbation of the training features
 *   threads beam lexicon lm lm_weight word_penalty   (pipelines/pipeline.h)
 *   init freeze     transfer learning: initial weights from a trained model;
 *                   freeze = N fixes the first N layers, all-but-last trains
 *                   only the output layer
 *   PIPELINE.HEAD_weight   loss weight of an output head of pipeline PIPELINE,
 *                          e.g. multitask.char_weight = 0.5 (default 1)
 * The defaults of pipeline NAME are pipelines/NAME.conf, compiled into the
 * program (pipelines/defaults.h), so an installed asr needs no source tree.
 */
#ifndef ASR_RECOGNIZER_OPTIONS_H
#define ASR_RECOGNIZER_OPTIONS_H

#include "base/io_set.h"
#include "nn/trainer.h"
#include "pipelines/pipeline.h"
#include "signal/features.h"

#include <stdio.h>

#define OPTIONS_MAX_HEAD_WEIGHTS 8
#define OPTIONS_ALL_BUT_LAST     (-1)

typedef struct asr_options {
    features_config feats;
    char *layers; /* newline-separated network description */
    trainer_config train;
    pipeline_options search;
    char *lexicon, *lm; /* owned copies behind search.lexicon_path / lm_path */
    int threads;        /* 0 = all cores */
    float vtlp;         /* VTLP range: warp factors in [1 - vtlp, 1 + vtlp]; 0 = off */
    int search_sweep;   /* after training, store the search that does best on validation */
    char *init;         /* initial weights: a trained model (layers of the same shape) */
    int freeze;         /* layers kept fixed; OPTIONS_ALL_BUT_LAST: all but the output */
    struct {
        char *key; /* "PIPELINE.HEAD_weight" */
        float weight;
    } head_weights[OPTIONS_MAX_HEAD_WEIGHTS];
    int n_head_weights;
} asr_options;

/* The built-in values: features_config_default, trainer_config_default, no
 * layers, and search settings "not given" (pipeline_options_fill completes
 * them from a model file or the pipeline). */
void options_init(asr_options *o);
void options_free(asr_options *o);

/* One "key = value" (file syntax, also --set KEY=VALUE). -1 with a message
 * naming the key, its range or choices, or the closest known key. */
int options_set(asr_options *o, const char *key, const char *value);

/* "KEY=VALUE" (the argument of --set). */
int options_assign(asr_options *o, const char *assignment);

/* The lines of TEXT ("key = value", '#' comments), NAME:LINE in messages.
 * PREFIX, when not NULL, is put before every key: a model file's "features"
 * section holds "rate=8000" for features.rate. */
int options_read_text(asr_options *o, const char *text, const char *name, const char *prefix);
/* The same from the file PATH. */
int options_read_file(asr_options *o, const char *path);
/* The built-in defaults of PIPELINE (pipelines/PIPELINE.conf). */
int options_read_pipeline(asr_options *o, const char *pipeline);

/* Every file the configuration names (lm, lexicon, init: the path keys) as
 * an input of IO (base/io_set.h); -1 when one is an output. */
int options_add_inputs(const asr_options *o, io_set *io);

/* The whole network at once: layers separated by ';' or newlines (--layers). */
void options_set_layers(asr_options *o, const char *layers);
/* Every dropout layer's rate (--dropout); -1 when the network has none. */
int options_set_dropout(asr_options *o, const char *rate);

/* Cross-key checks (the feature configuration as a whole, a network given). */
int options_check(const asr_options *o);

/* The keys of one model-file section as "key=value" lines without the
 * section's prefix, in table order (a new string): SECTION "features" or
 * "search". What model files and feature archives store. */
char *options_format_section(const asr_options *o, const char *section);
/* Parse such a section's text into O (keys absent keep their value). */
int options_parse_section(asr_options *o, const char *section, const char *text, const char *name);

/* The two sections alone, for what stores them (model files, feature
 * archives) and for tests: FORMAT gives a new string; PARSE sets the fields
 * TEXT names (the features then checked as a whole, features_config_check);
 * SET takes one "key=value" of the section ("num_mel=23"). */
char *features_config_format(const features_config *c);
int features_config_parse(const char *text, features_config *c);
int features_config_set(features_config *c, const char *assignment);
/* Whether A and B compute the same features (their formatted sections equal). */
int features_config_same(const features_config *a, const features_config *b);
char *pipeline_options_format(const pipeline_options *o);
int pipeline_options_parse(const char *text, pipeline_options *o);

/* The effective configuration as a configuration file (EXP/config). */
int options_write(const asr_options *o, const char *pipeline, FILE *out);

/* What decides a run's result, for the MPI ranks of one run to compare
 * (recognizer/ranks.h): options_write's lines without threads (any thread
 * count gives the same bytes) and without the paths (lexicon, lm, init:
 * their files are compared by content). A new string. */
char *options_format_run(const asr_options *o);

/* Every key with its type, range, default (from O) and help, for --help. */
void options_describe(const asr_options *o, FILE *out);

#endif
