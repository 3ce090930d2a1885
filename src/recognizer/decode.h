/* decode.h — recognising a data directory as one library call: what
 * `asr decode` does.
 *
 *   model file -> recognizer (recognizer/model.h; search settings from the
 *   job override the model's) -> features of every utterance -> forward in
 *   length-sorted batches -> the pipeline's search -> hypotheses (Kaldi
 *   text) and, with references at hand, their error rate.
 *
 * The outputs are the command's (declared in the job's io_set, which also
 * holds its --stats): the inputs found (the data directory's files and audio,
 * the models, the LM and lexicon) join it, so no output replaces one of them
 * (base/io_set.h).
 */
#ifndef ASR_RECOGNIZER_DECODE_H
#define ASR_RECOGNIZER_DECODE_H

#include "recognizer/adapt.h"
#include "recognizer/options.h"
#include "recognizer/system.h"
#include "signal/audio.h"
#include "text/metrics.h"

#include <stddef.h>

typedef struct {
    /* What recognises (recognizer/system.h): a model (or a system stored in
     * one file), its ensemble partners, the models combined with it and a
     * padded view. A combination gives words only: not with PHONES,
     * UNITS_OUT or ADAPT. */
    asr_system_spec system;
    const char *data_dir;
    const char *out;         /* hypotheses, "uttid words..." ("-": standard output) */
    const char *units_out;   /* also the symbol sequences (characters or phones), or NULL */
    int phones;              /* OUT holds phone sequences, scored against DIR/phones (a staged or
                              * multitask model: a direct one, of characters, is refused) */
    const asr_options *conf; /* search settings, lexicon, lm, threads, batch_frames */
    io_set *io;              /* OUT and UNITS_OUT are declared outputs of it */
    int format;              /* OUT as words_format (recognizer/word_output.h): 0 text */
    /* Two passes (recognizer/adapt.h): decode, adapt to each speaker of
     * utt2spk, decode again; NULL: one pass. One model, one process. */
    const adapt_config *adapt;
} asr_decode_job;

typedef struct {
    int utterances;
    double audio_seconds;
    double load_seconds, feature_seconds, search_seconds;
    int resampled;           /* audio files: how many were resampled to the model's rate, */
    int resampled_from;      /* the first one's own rate, */
    int resampled_to;        /* and the model's */
    int have_ref;            /* the data directory has references to score against */
    error_counts errors;     /* words (or phones) against them */
    int adapted, adapt_used; /* --adapt: speakers given a transform, utterances kept */
    double adapt_seconds;
} asr_decode_stats;

/* Run JOB; -1 with a message naming the culprit. DATA_DIR needs wav.scp;
 * text (scored when present) and utt2spk are optional here. Under MPI each
 * rank decodes its share of the utterances (base/parallel.h) and rank 0
 * alone writes the outputs, in corpus order, and fills ST (the timings are
 * its own; the audio seconds every rank's). */
int asr_decode_dir(const asr_decode_job *job, asr_decode_stats *st);

/* One audio input of asr_decode_audio: the file NAME (any format libsndfile
 * reads, any rate), or, with DATA set, LEN bytes already read (standard
 * input): a file's bytes, or with RAW headerless PCM of ENCODING at RAW_RATE. */
typedef struct {
    const char *name;
    const unsigned char *data;
    size_t len;
    int raw;
    audio_encoding encoding;
    int raw_rate;
} asr_decode_input;

/* Recognise IN[0..N) with JOB's model and search settings (JOB->data_dir is
 * unused) and write "NAME<TAB>words" per input, in order, to JOB->out. */
int asr_decode_audio(const asr_decode_job *job, const asr_decode_input *in, int n,
                     asr_decode_stats *st);

#endif
