/* stream.c — endpointed recognition of a stream; see stream.h. */
#include "recognizer/stream.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "base/error.h"
#include "base/log.h"
#include "recognizer/reject.h"
#include "signal/audio.h"
#include "signal/pitch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct asr_stream {
    const asr_system *sys;
    int rate;
    features_extractor **fx; /* asr_system_extractors */
    endpointer *ep;
    int64_t partial;      /* samples between partial results; 0 = none */
    int64_t next_partial; /* stream position of the next one */
    char *last_partial;   /* its words, to emit only changes */
    asr_stream_emit emit;
    void *ctx;
    /* Samples [off, off + n) of the stream: what the endpointer may still
     * put in an utterance. */
    float *buf;
    size_t n, cap;
    int64_t off;
    int utterances;
    double seconds;
    /* asr_stream_check_pitch: the voiced frames of the utterances so far,
     * until judged; frames looked at. */
    int check_pitch, pitch_judged, pitch_looked;
    pitch_tally pitch;
    /* asr_stream_adapt: the stream's own view of the model, its transform
     * refitted on the kept finals (features AX, AT; results ARES); the
     * next fit when AN reaches NEXT_FIT; the finals of the transform in use. */
    int adapt;
    adapt_config acfg;
    asr_model am;
    float **ax;
    int *aT, an, next_fit, adapted_on;
    double kept_seconds;
    pipeline_result *ares;
};

/* The pitch is judged on this much voiced speech (frames of 10 ms), or at
 * the end of the stream on at least PITCH_LEAST; at most PITCH_LOOK frames
 * are looked at in all (speech that is mostly unvoiced stops there). */
enum { PITCH_ENOUGH = 200, PITCH_LEAST = 50, PITCH_LOOK = 3000 };

asr_stream *asr_stream_open(const asr_system *sys, int rate, const endpoint_config *ep,
                            int partial_ms, asr_stream_emit emit, void *ctx)
{
    if (rate < AUDIO_MIN_RATE || rate > AUDIO_MAX_RATE)
        return asr_error("stream at %d Hz: the rate must be %d to %d Hz", rate, AUDIO_MIN_RATE,
                         AUDIO_MAX_RATE),
               NULL;
    if (endpoint_config_check(ep) < 0) return NULL;
    if (partial_ms < 0 || partial_ms > 60000)
        return asr_error("partial results every %d ms: expected 0 (none) to 60000", partial_ms),
               NULL;
    asr_stream *s = xcalloc(1, sizeof *s);
    s->sys = sys;
    s->rate = rate;
    s->fx = asr_system_extractors(sys);
    s->ep = endpoint_create(ep, rate);
    s->partial = (int64_t)partial_ms * rate / 1000;
    s->emit = emit;
    s->ctx = ctx;
    return s;
}

int asr_stream_adapt(asr_stream *s, const adapt_config *cfg)
{
    if (s->sys->n != 1 || asr_system_combines(s->sys))
        return asr_error("adapting a stream needs one model, not an ensemble or a combination "
                         "(the default model, digits, is one): adapt a single model (asr models "
                         "lists them)");
    s->adapt = 1;
    s->acfg = *cfg;
    s->acfg.per_speaker = 0;
    s->am = s->sys->m[0];
    memset(&s->am.xf, 0, sizeof s->am.xf);
    s->ax = xcalloc(STREAM_ADAPT_MAX, sizeof *s->ax);
    s->aT = xcalloc(STREAM_ADAPT_MAX, sizeof *s->aT);
    s->ares = xcalloc(STREAM_ADAPT_MAX, sizeof *s->ares);
    return 0;
}

/* Keep a final result (features X of T frames, taken over) if confident, and
 * refit the stream's transform when the kept finals call for it. */
static void adapt_keep(asr_stream *s, const pipeline_result *res, float *x, int T)
{
    if (s->an >= STREAM_ADAPT_MAX || !adapt_keeps(&s->acfg, res)) {
        free(x);
        return;
    }
    /* What adapt_fit reads of it: words, units, word count, confidence. */
    pipeline_result *r = &s->ares[s->an];
    memset(r, 0, sizeof *r);
    r->words = xstrdup(res->words);
    r->units = res->units ? xstrdup(res->units) : NULL;
    r->nw = res->nw;
    r->conf = res->conf;
    s->ax[s->an] = x;
    s->aT[s->an] = T;
    s->an++;
    s->kept_seconds += T * (double)s->am.feats.hop_ms / 1000;
    if (s->kept_seconds < s->acfg.min_seconds || s->an < s->next_fit) return;
    /* Every kept final as one speaker's utterance of a corpus in memory. */
    corpus c;
    memset(&c, 0, sizeof c);
    char **ids = xmalloc(sizeof(char *) * (size_t)s->an);
    for (int i = 0; i < s->an; i++) {
        char id[32];
        snprintf(id, sizeof id, "stream-%06d", i);
        corpus_add(&c, id, "-", NULL, "*", NULL);
        ids[i] = c.utts[i].id;
    }
    train_set set;
    memset(&set, 0, sizeof set);
    set.x = s->ax;
    set.T = s->aT;
    set.ids = ids;
    set.n = s->an;
    set.dim = features_dim(&s->am.feats);
    asr_model base = s->am;
    memset(&base.xf, 0, sizeof base.xf);
    speaker_xforms xf;
    adapt_stats st;
    if (adapt_fit(&base, &c, &set, s->ares, NULL, &s->acfg, 1 << 20, &xf, &st) == 0 && xf.n > 0) {
        speaker_xforms_free(&s->am.xf);
        s->am.xf = xf;
        s->adapted_on = s->an;
        asr_log(ASR_LOG_INFO,
                "stream: adapted to the stream's voice on %d utterances (%.1f s) in %.2f s", s->an,
                s->kept_seconds, st.seconds);
    } else if (xf.n == 0) {
        speaker_xforms_free(&xf);
    }
    adapt_stats_free(&st);
    s->next_fit = s->an + (s->an + 1) / 2;
    free(ids);
    corpus_free(&c);
}

void asr_stream_check_pitch(asr_stream *s)
{
    s->check_pitch = 1;
    pitch_tally_init(&s->pitch);
}

/* A median pitch below any adult voice: said once. */
static void judge_pitch(asr_stream *s)
{
    s->pitch_judged = 1;
    double hz = pitch_tally_median(&s->pitch);
    if (hz >= PITCH_MIN_VOICE_HZ) return;
    asr_log(ASR_LOG_WARNING,
            "stream: warning: the voice's pitch is %.0f Hz (the median of %.1f s of voiced "
            "speech), below any adult voice (%.0f Hz): audio at %d Hz read as %d Hz sounds so, "
            "an octave low, and is misheard; is the stream really at %d Hz?",
            hz, s->pitch.frames / 100.0, PITCH_MIN_VOICE_HZ, 2 * s->rate, s->rate, s->rate);
}

/* The pitch of the final utterance [START, END) of the stream. */
static void tally_pitch(asr_stream *s, int64_t start, int64_t end)
{
    if (!s->check_pitch || s->pitch_judged) return;
    pitch_tally_add(&s->pitch, s->buf + (start - s->off), (size_t)(end - start), s->rate,
                    PITCH_LOOK - s->pitch_looked);
    s->pitch_looked += (int)((end - start) / (s->rate / 100));
    int last = s->pitch_looked >= PITCH_LOOK;
    if (s->pitch.frames >= PITCH_ENOUGH || (last && s->pitch.frames >= PITCH_LEAST))
        judge_pitch(s);
    else if (last)
        s->pitch_judged = 1; /* too little voiced speech: no verdict */
}

/* Recognise samples [start, end) of the stream and emit the result. */
static int recognise(asr_stream *s, int64_t start, int64_t end, int64_t speech_end, int final)
{
    pipeline_result res;
    memset(&res, 0, sizeof res);
    double t0 = clock_seconds();
    /* A stretch shorter than one feature frame (a pad cut by the stream's
     * start) has nothing to recognise: its result is empty. */
    float *feats = NULL;
    int T = 0, keep = final && s->adapt;
    /* Adapting, the stream's own view of its one model, with the newest transform. */
    asr_system own = {.m = &s->am, .k = 1, .n = 1, .trim = s->sys->trim};
    const asr_system *sys = s->adapt ? &own : s->sys;
    int rc = asr_system_recognize(sys, s->fx, s->buf + (start - s->off), (size_t)(end - start),
                                  s->rate, 0, &res, keep ? &feats : NULL, &T);
    double dt = clock_seconds() - t0;
    s->seconds += dt;
    /* Partials are held when any model may reject what another's words
     * would have shown. */
    int held = !final && asr_system_rejects(sys);
    const char *words = rc == 0 && res.words && !held ? res.words : "";
    int skip = !final && s->last_partial && !strcmp(s->last_partial, words);
    asr_stream_result r = {final,
                           s->utterances,
                           start,
                           end,
                           speech_end,
                           s->rate,
                           words,
                           dt,
                           res.w,
                           rc == 0 && !held ? res.nw : 0,
                           res.conf,
                           res.gap,
                           rc == 0 && res.rejected,
                           held,
                           s->adapted_on};
    int stop = skip ? 0 : s->emit(s->ctx, &r);
    if (!final && !skip) {
        free(s->last_partial);
        s->last_partial = xstrdup(words);
    }
    if (final) {
        free(s->last_partial);
        s->last_partial = NULL;
        s->utterances++;
        tally_pitch(s, start, end);
        /* After the emit: what is printed was recognised before any refit. */
        if (keep && rc == 0) adapt_keep(s, &res, feats, T);
    }
    pipeline_result_free(&res);
    return stop ? -1 : 0;
}

/* Drop the samples the endpointer no longer needs, when that frees half the buffer. */
static void trim(asr_stream *s)
{
    int64_t keep = endpoint_keep_from(s->ep);
    size_t drop = keep > s->off ? (size_t)(keep - s->off) : 0;
    if (drop > s->n) drop = s->n;
    if (drop == 0 || drop < s->n / 2) return;
    memmove(s->buf, s->buf + drop, (s->n - drop) * sizeof(float));
    s->n -= drop;
    s->off += (int64_t)drop;
}

int asr_stream_feed(asr_stream *s, const float *x, size_t n)
{
    if (s->n + n > s->cap) {
        s->cap = (s->n + n) * 2;
        s->buf = xrealloc(s->buf, s->cap * sizeof(float));
    }
    memcpy(s->buf + s->n, x, n * sizeof(float));
    s->n += n;
    /* Until the endpointer has taken every sample and given every utterance
     * (those found in hindsight come with none taken). */
    size_t done = 0, used;
    endpoint_segment seg;
    while (endpoint_feed(s->ep, x + done, n - done, &used, &seg)) {
        done += used;
        if (recognise(s, seg.start, seg.end, seg.speech_end, 1) < 0) return -1;
    }
    int64_t start, pos = s->off + (int64_t)s->n;
    if (s->partial && endpoint_in_speech(s->ep, &start)) {
        if (s->next_partial <= start) s->next_partial = start + s->partial;
        if (pos >= s->next_partial) {
            s->next_partial = pos + s->partial;
            if (recognise(s, start, pos, pos, 0) < 0) return -1;
        }
    }
    trim(s);
    return 0;
}

int asr_stream_finish(asr_stream *s)
{
    endpoint_segment seg;
    while (endpoint_finish(s->ep, &seg))
        if (recognise(s, seg.start, seg.end, seg.speech_end, 1) < 0) return -1;
    if (s->check_pitch && !s->pitch_judged && s->pitch.frames >= PITCH_LEAST) judge_pitch(s);
    return 0;
}

void asr_stream_stats(const asr_stream *s, int64_t *samples, double *decode_seconds,
                      int *utterances)
{
    *samples = s->off + (int64_t)s->n;
    *decode_seconds = s->seconds;
    *utterances = s->utterances;
}

void asr_stream_close(asr_stream *s)
{
    if (!s) return;
    asr_system_extractors_free(s->sys, s->fx);
    endpoint_destroy(s->ep);
    free(s->last_partial);
    free(s->buf);
    for (int i = 0; i < s->an; i++) {
        free(s->ax[i]);
        free(s->ares[i].words); /* a kept copy: words and units, no word array */
        free(s->ares[i].units);
    }
    free(s->ax);
    free(s->aT);
    free(s->ares);
    speaker_xforms_free(&s->am.xf);
    free(s);
}
