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
 *
 * The start of the stream has no background before it: taking its first
 * frame for the floor lost every utterance that starts at the first sample
 * (a recording cut tight around a word). So until an utterance is found
 * (and for at most MAX_UTTERANCE_MS), the frame energies since the start
 * are kept, and the start is judged again, from its first frame, each time
 * its quietest frame falls REJUDGE_DB below the floor it was judged
 * against: the history is emptied and seeded with that quietest frame, and
 * the frames replayed through the same decisions. A word from the first
 * sample is found when the stream gets quieter after it (its release, a
 * pause, the silence after it): the utterances the replay ends are given
 * one at a time, as live frames give them, and the replay goes on live.
 * Nothing was emitted before, so judging again contradicts nothing. It
 * costs a replay of at most MAX_UTTERANCE_MS of frames per fall of
 * REJUDGE_DB (at most 216 dB / 3 dB of them), and only at the start.
 * A stream that ends with no utterance found had nothing standing out from
 * its quietest part: one steady sound (a tone, a word cut tight at both
 * ends, a steady noise) with no background heard around it. The absolute
 * level alone judges it then, so that a clip that is a word from its first
 * sample to its last is one utterance (as `asr decode` would recognise it);
 * a steady sound that outlasts MAX_UTTERANCE_MS is background, as after a
 * cut.
 */
#include "signal/endpoint.h"

#include "base/alloc.h"
#include "base/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FRAME_MS      10
#define FLOOR_FRAMES  300
#define RECENT_FRAMES 100  /* the floor's restart after a cut (1 s) */
#define REJUDGE_DB    3.0f /* a smaller fall changes few decisions */

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
    int found; /* an utterance has started */
    /* The start of the stream (see above): its frame energies while it is
     * open, the floor it was last judged against, the next one to replay. */
    float *start;
    int start_n, start_cap, start_open, replay;
    float start_floor;
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
    e->start_cap = c->max_utterance_ms / FRAME_MS;
    e->start = xmalloc((size_t)e->start_cap * sizeof *e->start);
    e->start_open = 1;
    e->start_floor = INFINITY;
    return e;
}

void endpoint_destroy(endpointer *e)
{
    if (!e) return;
    free(e->start);
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

/* One complete frame ending at sample POS, of energy DB: 1 with *SEG when
 * it ends an utterance. */
static int frame_done(endpointer *e, float db, int64_t pos, endpoint_segment *seg)
{
    /* A frame is judged against the background that preceded it (the
     * start's, judged again, against its quietest frame: see above). */
    float floor_db = e->hist_n ? noise_floor(e) : db;
    double thr = fmax(floor_db + e->c.threshold_db, e->c.min_level_db);
    int speech = db > thr;
    ring_push(e->recent, RECENT_FRAMES, &e->recent_n, &e->recent_i, db);
    if (!e->in_speech || !speech) ring_push(e->hist, FLOOR_FRAMES, &e->hist_n, &e->hist_i, db);
    if (!e->in_speech) {
        e->run = speech ? e->run + 1 : 0;
        if (e->run >= e->min_speech) {
            int64_t first = pos - (int64_t)e->run * e->frame;
            e->in_speech = 1;
            e->found = 1;
            e->quiet = 0;
            e->utt_start = max64(max64(first - e->pad, e->prev_end), 0);
            e->speech_end = pos;
        }
        return 0;
    }
    if (speech) {
        e->quiet = 0;
        e->speech_end = pos;
    } else {
        e->quiet++;
    }
    int ended = e->quiet >= e->hangover, cut = pos - e->utt_start >= e->max_len;
    if (!ended && !cut) return 0;
    seg->start = e->utt_start;
    seg->end = ended ? min64(e->speech_end + e->pad, pos) : pos;
    seg->speech_end = ended ? e->speech_end : pos;
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

/* Judge the start again against FLOOR_DB: the decisions start afresh with
 * FLOOR_DB for the background heard, and the start's frames are replayed. */
static void start_rejudge(endpointer *e, float floor_db)
{
    e->hist_n = e->hist_i = e->recent_n = e->recent_i = 0;
    e->run = e->quiet = e->in_speech = 0;
    ring_push(e->hist, FLOOR_FRAMES, &e->hist_n, &e->hist_i, floor_db);
    e->start_floor = floor_db;
    e->replay = 0;
}

/* Replay the start's frames until one ends an utterance (1 and *SEG); 0
 * once all are replayed. */
static int replay(endpointer *e, endpoint_segment *seg)
{
    while (e->replay < e->start_n) {
        int k = e->replay++;
        if (frame_done(e, e->start[k], (int64_t)(k + 1) * e->frame, seg)) return 1;
    }
    return 0;
}

/* A complete frame of energy DB: 1 with *SEG when it (or the replay it
 * starts) ends an utterance. */
static int frame_in(endpointer *e, float db, endpoint_segment *seg)
{
    if (!e->start_open) return frame_done(e, db, e->pos, seg);
    e->start[e->start_n++] = db;
    int ended;
    if (db < e->start_floor - REJUDGE_DB) {
        start_rejudge(e, db);
        ended = replay(e, seg);
    } else {
        e->replay = e->start_n;
        ended = frame_done(e, db, e->pos, seg);
    }
    if (e->found || e->start_n == e->start_cap) e->start_open = 0;
    return ended;
}

int endpoint_feed(endpointer *e, const float *x, size_t n, size_t *used, endpoint_segment *seg)
{
    *used = 0;
    if (replay(e, seg)) return 1;
    for (size_t i = 0; i < n; i++) {
        e->acc += (double)x[i] * x[i];
        e->pos++;
        if (++e->acc_n < e->frame) continue;
        float db = (float)(10.0 * log10(e->acc / e->acc_n + 1e-12));
        e->acc = 0;
        e->acc_n = 0;
        if (frame_in(e, db, seg)) {
            *used = i + 1;
            return 1;
        }
    }
    *used = n;
    return 0;
}

int endpoint_finish(endpointer *e, endpoint_segment *seg)
{
    /* No utterance found and no background heard: the absolute level judges. */
    if (e->start_open) {
        start_rejudge(e, -INFINITY);
        e->start_open = 0;
    }
    if (replay(e, seg)) return 1;
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
    /* The start may be judged again, or its replay is not over. */
    if (e->start_open || e->replay < e->start_n) return e->prev_end;
    /* The earliest start an utterance beginning with the current run (or the
     * frame in progress) could have. */
    int64_t first = e->pos - e->acc_n - (int64_t)e->run * e->frame;
    return max64(max64(first - e->pad, e->prev_end), 0);
}

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

/* The recording's frames (10 ms, DC offset removed) marked speech or not:
 * *SPEECH[f] is 1 for a frame THRESHOLD_DB above the floor (the 10th
 * percentile of the frame energies) and above MIN_LEVEL_DB, in a run of at
 * least MIN_SPEECH_MS of such frames (a click or a bump of the background
 * is shorter). Returns the number of frames (0: too short to judge). */
static size_t speech_frames(const endpoint_config *c, int rate, const float *x, size_t n,
                            size_t *frame_len, unsigned char **speech)
{
    size_t frame = (size_t)rate * FRAME_MS / 1000;
    if (frame < 1) frame = 1;
    size_t nf = n / frame;
    size_t min_run = (size_t)(c->min_speech_ms / FRAME_MS);
    *frame_len = frame;
    *speech = NULL;
    if (nf == 0 || nf < min_run) return 0;
    /* Offline the whole recording is known, so its background is too: the
     * floor is the 10th percentile of its frame energies (the streaming
     * endpointer, which must judge as it goes, lost the quiet end of a word
     * cut tight, where there is no background to learn). The DC offset is
     * removed first: energy over a constant offset raises the floor and
     * hides the words' quiet edges. */
    double mean = 0;
    for (size_t i = 0; i < n; i++) mean += x[i];
    mean /= (double)n;
    float *db = xmalloc(nf * sizeof *db), *sorted = xmalloc(nf * sizeof *sorted);
    for (size_t f = 0; f < nf; f++) {
        double acc = 0;
        for (size_t i = f * frame; i < (f + 1) * frame; i++) acc += (x[i] - mean) * (x[i] - mean);
        db[f] = sorted[f] = (float)(10.0 * log10(acc / (double)frame + 1e-12));
    }
    qsort(sorted, nf, sizeof *sorted, cmp_float);
    double thr = sorted[nf / 10] + c->threshold_db;
    free(sorted);
    if (thr < c->min_level_db) thr = c->min_level_db;
    unsigned char *sp = xcalloc(nf, 1);
    for (size_t f = 0; f < nf;) {
        size_t e = f;
        while (e < nf && db[e] >= thr) e++;
        if (e - f >= min_run) memset(sp + f, 1, e - f);
        f = e > f ? e : f + 1;
    }
    free(db);
    *speech = sp;
    return nf;
}

/* Cut [A, B) joins K (samples; empty ranges are not cuts). */
static void add_cut(endpoint_cuts *k, int64_t a, int64_t b)
{
    if (b > a && k->n < ENDPOINT_MAX_CUTS) {
        k->start[k->n] = a;
        k->end[k->n] = b;
        k->n++;
    }
}

int endpoint_quiet_cuts(const endpoint_config *c, int rate, const float *x, size_t n,
                        endpoint_cuts *k)
{
    k->n = 0;
    k->lead = 0;
    endpoint_config def;
    if (!c) {
        endpoint_config_default(&def);
        c = &def;
    }
    size_t frame;
    unsigned char *sp;
    size_t nf = speech_frames(c, rate, x, n, &frame, &sp);
    long first = -1, last = -1;
    for (size_t f = 0; f < nf; f++)
        if (sp[f]) {
            if (first < 0) first = (long)f;
            last = (long)f;
        }
    if (first < 0) {
        free(sp);
        return 0;
    }
    int64_t pad = (int64_t)c->pad_ms * rate / 1000;
    int64_t keep = (int64_t)ENDPOINT_PAUSE_KEEP_MS * rate / 1000;
    int64_t least = (int64_t)ENDPOINT_SPAN_LEAST_CUT_MS * rate / 1000;
    int64_t f0 = (int64_t)frame, lo = first * f0, hi = (last + 1) * f0;
    /* An edge is cut only when its quiet is longer than LEAST: a word cut
     * tight has no background, and its quiet release is not silence. The
     * samples after the last whole frame go with it. */
    if (lo > least) add_cut(k, 0, lo - pad);
    int64_t lead = (int64_t)ENDPOINT_LEAD_MS * rate / 1000;
    if (lo < lead) k->lead = lead - lo;
    /* A pause between words keeps KEEP of its quiet on either side. */
    for (long f = first; f <= last;) {
        long e = f;
        while (e <= last && !sp[e]) e++;
        if (e > f && (e - f) * f0 > least) add_cut(k, f * f0 + keep, e * f0 - keep);
        f = e > f ? e : f + 1;
    }
    if ((int64_t)n - hi > least) add_cut(k, hi + pad, (int64_t)n);
    free(sp);
    return 1;
}
