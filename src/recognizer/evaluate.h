/* evaluate.h — run a model over evaluation splits, timing each utterance.
 *
 * Each utterance is recognised on its own (features, forward pass, search;
 * the audio file read is not timed), which is what a user waiting for one
 * answer sees: its wall time is the latency, the split's sum over its audio
 * duration the real-time factor.
 *
 * Under MPI (base/parallel.h) each rank recognises its share of every
 * split's utterances, timing each as above, and rank 0 alone receives them
 * all and fills *OUT; the other ranks' splits stay empty.
 */
#ifndef ASR_EVALUATE_H
#define ASR_EVALUATE_H

#include "recognizer/eval.h"
#include "recognizer/model.h"

/* Evaluate model file PATH (search options OPT) on DATA/SPLIT for each of
 * SPLITS[0..nsplits) that exists, into *OUT (name NAME). Missing splits are
 * skipped with a note on stderr; -1 with a message on a bad model or data.
 * What is read (the model, its training log, every split's files and audio)
 * joins the inputs of IO: -1 when one is an output (base/io_set.h). */
int evaluate_model(io_set *io, const char *name, const char *path, const pipeline_options *opt,
                   const char *data, char *const *splits, int nsplits, eval_model *out);

/* Score hypothesis files HYPS/SPLIT.txt (Kaldi text) against DATA/SPLIT
 * without a model (no timing); the files read join IO's inputs. */
int evaluate_hyps(io_set *io, const char *name, const char *hyps, const char *data,
                  char *const *splits, int nsplits, eval_model *out);

void eval_model_free(eval_model *m);

#endif
