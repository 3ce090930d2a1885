/* stream.h — recognising a live stream: what `asr stream` does.
 *
 *   samples in chunks of any size -> endpointer (signal/endpoint.h) cuts
 *   utterances -> each utterance, once ended, recognised whole
 *   (asr_system_recognize) -> one final result; while one goes on, a partial
 *   result every PARTIAL_MS of new audio (the utterance so far, recognised
 *   whole again).
 *
 * A model that rejects speech outside the vocabulary (reject.h) judges the
 * whole utterance: its words can pass while it goes on ("ba" so far) and the
 * final result reject them ("ba" then words it does not know). So with such
 * a model a partial result shows no words (HELD set): it says that speech is
 * going on, and no word is ever shown that the final result takes back as
 * outside the vocabulary.
 *
 * The final result of an utterance is by construction the result of
 * `asr decode` on the same samples cut from the stream (the same resampler,
 * features, dither seed, network and search). The network is not run
 * incrementally over chunks: the models normalise every utterance by its own
 * mean and variance (features.cmvn = 1), which is known only at its end, so
 * an incremental pass would decode other features than the model was trained
 * on. Re-running a 20 s utterance costs about 40 ms at RTF 0.002, less than
 * the hangover; partials cost that every PARTIAL_MS.
 */
#ifndef ASR_RECOGNIZER_STREAM_H
#define ASR_RECOGNIZER_STREAM_H

#include "recognizer/adapt.h"
#include "recognizer/model.h"
#include "recognizer/system.h"
#include "signal/endpoint.h"

#include <stdint.h>

typedef struct {
    int final;             /* 0: a partial result of an utterance still going on */
    int index;             /* the utterance's number, from 0 */
    int64_t start, end;    /* samples [start, end) of the stream */
    int64_t speech_end;    /* final: where its last speech frame ended */
    int rate;              /* of the stream */
    const char *words;     /* the hypothesis */
    double decode_seconds; /* spent recognising it */
    const ctc_word *w;     /* its words with times (seconds from START) and */
    int nw;                /* confidences (decode/ctc_times.h), */
    float conf;            /* and the utterance's confidence; */
    float gap;             /* its free-path gap (ctc_times.h); */
    int rejected;          /* rejected as outside the vocabulary (reject.h): no words */
    int held;              /* a partial of a model that rejects: its words held back
                              (none shown) until the final result, which may reject them */
    int adapted_on;        /* asr_stream_adapt: the confident finals the transform that
                              recognised it was fitted on (0: none yet) */
} asr_stream_result;

/* Receives every result; non-zero stops the stream (asr_stream_feed returns
 * -1 with the callback's message). */
typedef int (*asr_stream_emit)(void *ctx, const asr_stream_result *r);

typedef struct asr_stream asr_stream;

/* A stream at RATE Hz recognised by SYS (recognizer/system.h: one model,
 * an ensemble or a combination; loaded by the caller, and kept until the
 * stream is closed). PARTIAL_MS = 0: final results only. NULL with a
 * message when EP or RATE is out of range. */
asr_stream *asr_stream_open(const asr_system *sys, int rate, const endpoint_config *ep,
                            int partial_ms, asr_stream_emit emit, void *ctx);

/* Feed N samples (mono, within [-1, 1]); results are emitted as they come. */
int asr_stream_feed(asr_stream *s, const float *x, size_t n);

/* The end of the stream: an utterance going on is ended and emitted (and
 * any the start of the stream still held: signal/endpoint.h). */
int asr_stream_finish(asr_stream *s);

/* Adapt to the stream's voice as it goes (recognizer/adapt.h): each final
 * result confident enough (CFG->min_conf, not rejected) is kept with its
 * features; once they hold CFG->min_seconds of audio, a transform for every
 * speaker ("*", of kind CFG->kind) is fitted to them, and refitted each time
 * they grow by half (at most STREAM_ADAPT_MAX kept), one round each (no
 * decoding again). Later utterances, partials included, are recognised with
 * the newest transform; a result already emitted never changes. A refit
 * runs in the feeding thread after the result is emitted, about 0.08 s per
 * kept utterance on one core (8 s at the cap): the stream's audio waits in
 * its buffer meanwhile, nothing is lost, later results come that much
 * later. One model only: -1 for an ensemble or a combination. */
#define STREAM_ADAPT_MAX 100
int asr_stream_adapt(asr_stream *s, const adapt_config *cfg);

/* Check the pitch of the stream's first utterances (signal/pitch.h): when
 * the median over their first seconds of voiced speech is below any adult
 * voice, a warning (base/log.h) that the stream sounds an octave low, as
 * audio at twice the stream's rate read at its rate does. For a stream
 * whose rate was assumed, not read from a header. */
void asr_stream_check_pitch(asr_stream *s);

/* Samples fed and seconds spent recognising so far. */
void asr_stream_stats(const asr_stream *s, int64_t *samples, double *decode_seconds,
                      int *utterances);

void asr_stream_close(asr_stream *s);

#endif
