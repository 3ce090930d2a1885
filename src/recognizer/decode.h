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
#include "signal/audio.h"
#include "text/metrics.h"

#include <stddef.h>

typedef struct {
    const char *model; /* a model, or a system of several stored in one (recognizer/system.h) */
    const char *data_dir;
    const char *out;         /* hypotheses, "uttid words..." ("-": standard output) */
    const char *units_out;   /* also the symbol sequences (characters or phones), or NULL */
    int phones;              /* OUT holds phone sequences, scored against DIR/phones (a staged or
                              * multitask model: a direct one, of characters, is refused) */
    const asr_options *conf; /* search settings, lexicon, lm, threads, batch_frames */
    /* An ensemble: further models (same pipeline, features and outputs) whose
     * log-probabilities are averaged with MODEL's frame by frame; MODEL's
     * search decodes the average (recognizer/model.h). */
    const char *const *ensemble;
    int n_ensemble;
    /* System combination (recognizer/combine.h): further models of any
     * pipeline, each decoding with its own features and search (JOB's search
     * settings override theirs too); each utterance keeps the result of the
     * model most confident in it. Not with PHONES or ADAPT. */
    const char *const *combine;
    int n_combine;
    /* > 0: MODEL (of an ensemble, its first model alone) also decodes
     * every utterance with PAD_VIEW seconds of quiet before and after it
     * (signal/audio.h audio_pad_quiet; word times as in the recording), one
     * more system of the combination: a word cut tight to its edges is
     * heard as the models heard words in training. Not with PHONES or
     * ADAPT. */
    double pad_view;
    io_set *io; /* OUT and UNITS_OUT are declared outputs of it */
    int format; /* OUT as words_format (recognizer/word_output.h): 0 text */
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
