/* endpoint.c — an energy endpointer with a minimum-statistics noise floor;
 * see endpoint.h.
 *
 * The noise floor is the quietest frame energy of the last FLOOR_FRAMES
 * frames (3 s) of background: Martin's minimum statistics in its simplest
 * form. Frames inside an utterance join that history only when they are not
 * speech (the pauses between words), so a vowel held for seconds does not
 * become the floor. The floor still follows the background: it falls at once
 * when the background gets quieter, and rises within 3 s when it gets louder
 * between utterances. A background that jumps up during an utterance keeps
 * it going until MAX_UTTERANCE_MS; that cut is read as "this is the
 * background now" and the floor restarts from the last second of audio.
 * A speech frame must also exceed an absolute level, so that digital silence
 * (a floor at -120 dB) does not turn dither into speech.
 */
#include "signal/endpoint.h"

#include "base/alloc.h"
#include "base/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FRAME_MS      10
#define FLOOR_FRAMES  300
#define RECENT_FRAMES 100 /* the floor's restart after a cut (1 s) */

struct endpointer {
    endpoint_config c;
    int frame;                /* samples per 10 ms */
    int min_speech, hangover; /* in frames */
    int64_t pad, max_len;     /* in samples */
    double acc;               /* sum of squares of the frame so far */
    int acc_n;                /* its samples */
    int64_t pos;              /* samples consumed */
    float hist[FLOOR_FRAMES]; /* recent frame energies (dB), a ring */
    int hist_n, hist_i;
    float recent[RECENT_FRAMES]; /* the last frame energies, speech or not */
    int recent_n, recent_i;
    int run;   /* speech frames in a row (before an utterance starts) */
    int quiet; /* non-speech frames in a row (within one) */
    int in_speech;
    int64_t utt_start, speech_end, prev_end;
};

void endpoint_config_default(endpoint_config *c)
{
    c->threshold_db = 12;
    c->min_level_db = -50;
    c->min_speech_ms = 60;
    c->hangover_ms = 300;
    c->pad_ms = 200;
    c->max_utterance_ms = 20000;
}

int endpoint_config_check(const endpoint_config *c)
{
    if (!(c->threshold_db >= 0 && c->threshold_db <= 60))
        return asr_error("endpoint threshold %g dB: expected 0 to 60", c->threshold_db);
    if (!(c->min_level_db >= -120 && c->min_level_db <= 0))
        return asr_error("endpoint minimum level %g dBFS: expected -120 to 0", c->min_level_db);
    if (c->min_speech_ms < FRAME_MS || c->min_speech_ms > 2000)
        return asr_error("endpoint minimum speech %d ms: expected %d to 2000", c->min_speech_ms,
                         FRAME_MS);
    if (c->hangover_ms < FRAME_MS || c->hangover_ms > 10000)
        return asr_error("endpoint hangover %d ms: expected %d to 10000", c->hangover_ms, FRAME_MS);
    if (c->pad_ms < 0 || c->pad_ms > 2000)
        return asr_error("endpoint padding %d ms: expected 0 to 2000", c->pad_ms);
    if (c->max_utterance_ms < 1000 || c->max_utterance_ms > 600000)
        return asr_error("maximum utterance %d ms: expected 1000 to 600000", c->max_utterance_ms);
    return 0;
}

endpointer *endpoint_create(const endpoint_config *c, int rate)
{
    endpointer *e = xcalloc(1, sizeof *e);
    e->c = *c;
    e->frame = rate * FRAME_MS / 1000;
    if (e->frame < 1) e->frame = 1;
    e->min_speech = c->min_speech_ms / FRAME_MS;
    e->hangover = c->hangover_ms / FRAME_MS;
    e->pad = (int64_t)c->pad_ms * rate / 1000;
    e->max_len = (int64_t)c->max_utterance_ms * rate / 1000;
    return e;
}

void endpoint_destroy(endpointer *e)
{
    free(e);
}

static float noise_floor(const endpointer *e)
{
    float m = e->hist[0];
    for (int i = 1; i < e->hist_n; i++)
        if (e->hist[i] < m) m = e->hist[i];
    return m;
}

static void ring_push(float *ring, int size, int *n, int *i, float v)
{
    ring[*i] = v;
    *i = (*i + 1) % size;
    if (*n < size) (*n)++;
}

static int64_t max64(int64_t a, int64_t b)
{
    return a > b ? a : b;
}
static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

/* One complete frame ending at e->pos, of energy DB: 1 with *SEG when it
 * ends an utterance. */
static int frame_done(endpointer *e, float db, endpoint_segment *seg)
{
    /* A frame is judged against the background that preceded it. */
    float floor_db = e->hist_n ? noise_floor(e) : db;
    double thr = fmax(floor_db + e->c.threshold_db, e->c.min_level_db);
    int speech = db > thr;
    ring_push(e->recent, RECENT_FRAMES, &e->recent_n, &e->recent_i, db);
    if (!e->in_speech || !speech) ring_push(e->hist, FLOOR_FRAMES, &e->hist_n, &e->hist_i, db);
    if (!e->in_speech) {
        e->run = speech ? e->run + 1 : 0;
        if (e->run >= e->min_speech) {
            int64_t first = e->pos - (int64_t)e->run * e->frame;
            e->in_speech = 1;
            e->quiet = 0;
            e->utt_start = max64(max64(first - e->pad, e->prev_end), 0);
            e->speech_end = e->pos;
        }
        return 0;
    }
    if (speech) {
        e->quiet = 0;
        e->speech_end = e->pos;
    } else {
        e->quiet++;
    }
    int ended = e->quiet >= e->hangover, cut = e->pos - e->utt_start >= e->max_len;
    if (!ended && !cut) return 0;
    seg->start = e->utt_start;
    seg->end = ended ? min64(e->speech_end + e->pad, e->pos) : e->pos;
    seg->speech_end = ended ? e->speech_end : e->pos;
    e->prev_end = seg->end;
    e->in_speech = 0;
    e->run = 0;
    if (!ended) {
        /* No pause in MAX_UTTERANCE_MS: take the last second for background. */
        memcpy(e->hist, e->recent, sizeof e->recent);
        e->hist_n = e->recent_n;
        e->hist_i = e->recent_n % FLOOR_FRAMES;
    }
    return 1;
}

int endpoint_feed(endpointer *e, const float *x, size_t n, size_t *used, endpoint_segment *seg)
{
    for (size_t i = 0; i < n; i++) {
        e->acc += (double)x[i] * x[i];
        e->pos++;
        if (++e->acc_n < e->frame) continue;
        float db = (float)(10.0 * log10(e->acc / e->acc_n + 1e-12));
        e->acc = 0;
        e->acc_n = 0;
        if (frame_done(e, db, seg)) {
            *used = i + 1;
            return 1;
        }
    }
    *used = n;
    return 0;
}

int endpoint_finish(endpointer *e, endpoint_segment *seg)
{
    if (!e->in_speech) return 0;
    seg->start = e->utt_start;
    seg->end = e->pos;
    seg->speech_end = e->speech_end;
    e->prev_end = e->pos;
    e->in_speech = 0;
    e->run = 0;
    return 1;
}

int endpoint_in_speech(const endpointer *e, int64_t *start)
{
    if (e->in_speech && start) *start = e->utt_start;
    return e->in_speech;
}

int64_t endpoint_keep_from(const endpointer *e)
{
    if (e->in_speech) return e->utt_start;
    /* The earliest start an utterance beginning with the current run (or the
     * frame in progress) could have. */
    int64_t first = e->pos - e->acc_n - (int64_t)e->run * e->frame;
    return max64(max64(first - e->pad, e->prev_end), 0);
}
