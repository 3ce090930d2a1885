/* decode.h — recognising a data directory as one library call: what
 * `asr decode` does.
 *
 *   model file -> recognizer (recognizer/model.h; search settings from the
 *   job override the model's) -> features of every utterance -> forward in
 *   length-sorted batches -> the pipeline's search -> hypotheses (Kaldi
 *   text) and, with references at hand, their error rate.
 *
 * Neither output may replace an input (the references in DIR/text, the
 * model, the LM or lexicon) or the other output (base/input_set.h).
 */
#ifndef ASR_RECOGNIZER_DECODE_H
#define ASR_RECOGNIZER_DECODE_H

#include "recognizer/options.h"
#include "text/metrics.h"

typedef struct {
    const char *model;
    const char *data_dir;
    const char *out;         /* hypotheses, "uttid words..." ("-": standard output) */
    const char *units_out;   /* also the symbol sequences (characters or phones), or NULL */
    int phones;              /* OUT holds phone sequences, scored against DIR/phones */
    const asr_options *conf; /* search settings, lexicon, lm, threads, batch_frames */
} asr_decode_job;

typedef struct {
    int utterances;
    double audio_seconds;
    double load_seconds, feature_seconds, search_seconds;
    int have_ref;        /* the data directory has references to score against */
    error_counts errors; /* words (or phones) against them */
} asr_decode_stats;

/* Run JOB; -1 with a message naming the culprit. */
int asr_decode_dir(const asr_decode_job *job, asr_decode_stats *st);

#endif
