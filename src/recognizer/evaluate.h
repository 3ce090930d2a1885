/* evaluate.h — run a model over evaluation splits, timing each utterance.
 *
 * Each utterance is recognised on its own (features, forward pass, search,
 * and for a system each of its models and the combination;
 * the audio file read is not timed), which is what a user waiting for one
 * answer sees: its wall time is the latency, the split's sum over its audio
 * duration the real-time factor. Each is also measured in CPU time (every
 * thread of the process, base/clock.h): the work the model costs, which
 * other processes on a loaded machine do not stretch as they stretch the
 * wall-clock time, so the satisficing thresholds judge it (eval.h). On
 * one thread (asr eval's default) it is what the wall time is on an idle
 * core; on several, OpenMP's threads waiting at barriers count as well (on
 * a loaded 2-core machine, a small model's p95 was 2.3 ms of CPU on one
 * thread, 100 ms on two, where the wall clock said 2.5-7.8 ms and 250 ms).
 *
 * Under MPI (base/parallel.h) each rank recognises its share of every
 * split's utterances, timing each as above, and rank 0 alone receives them
 * all and fills *OUT; the other ranks' splits stay empty.
 */
#ifndef ASR_EVALUATE_H
#define ASR_EVALUATE_H

#include "recognizer/eval.h"
#include "recognizer/model.h"

/* Evaluate model file PATH (one model, or a stored system of several:
 * recognizer/system.h; search options OPT) on DATA/SPLIT for each of
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
