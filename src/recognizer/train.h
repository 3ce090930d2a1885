/* train.h — a training run as one library call: what `asr train` does.
 *
 *   configuration (recognizer/options.h)
 *     -> pipeline (pipelines/pipeline.h) and its output heads
 *     -> network (nn/network.h) over the feature dimension
 *     -> features of the training and validation sets (feats_ark)
 *     -> targets through the pipeline (masked per head where missing)
 *     -> initial weights: random, or copied from --init (transfer learning)
 *     -> trainer (nn/trainer.h), ranking epochs by the pipeline's WER on
 *        the validation set
 *     -> EXP: final.mdl, best.mdl, checkpoint.mdl, log.tsv, config
 *
 * EXP belongs to one run: a new or empty EXP is trained into (and locked),
 * and so is one that holds only what a start that never finished an epoch
 * wrote (config, a log of no epoch: a start that failed or was killed), unless
 * that config is an input of the run; one that holds an earlier run is
 * continued (resume: on the same data, the
 * checkpoint's fingerprints say) or replaced when this run is complete
 * (force: the run trains in EXP.tmp and the two are exchanged at the end);
 * anything else is refused. Progress goes to the log callback (base/log.h).
 */
#ifndef ASR_RECOGNIZER_TRAIN_H
#define ASR_RECOGNIZER_TRAIN_H

#include "recognizer/options.h"

typedef struct {
    const char *pipeline; /* "direct", "staged", "multitask" */
    asr_options *conf;    /* the whole configuration (the run writes EXP/config from it) */
    const char *train_dir, *valid_dir;
    const char *exp;
    const char *config_path; /* the file conf was read from, if any (an input) */
    int resume, force;
    io_set *io; /* EXP is one of its output directories (base/io_set.h) */
} asr_train_job;

/* Whether JOB's options agree with its pipeline, before anything is read:
 * the pipeline exists, a lexicon is given to a pipeline that reads one and
 * to no other (a direct pipeline spells its words: a lexicon given to it
 * would be ignored without a word), and a freeze has --init. -1 with a
 * message naming the option (a usage error); asr_train checks it too. */
int asr_train_check(const asr_train_job *job);

/* Run JOB. -1 with a message naming the culprit. */
int asr_train(const asr_train_job *job);

#endif
