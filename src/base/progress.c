/* progress.c — see progress.h. */
#include "base/progress.h"

#include "base/clock.h"
#include "base/log.h"

#include <stdio.h>

void progress_start(progress *p, const char *what, const char *unit, long total)
{
    snprintf(p->what, sizeof p->what, "%s", what);
    p->unit = unit;
    p->done = 0;
    p->total = total;
    p->audio = 0;
    p->t0 = p->last = clock_seconds();
}

void progress_format_eta(double s, char *buf, int n)
{
    if (!(s >= 0) || s > 1e8) /* NaN, or no rate yet */
        snprintf(buf, (size_t)n, "?");
    else if (s < 60)
        snprintf(buf, (size_t)n, "%.0fs", s);
    else if (s < 3600)
        snprintf(buf, (size_t)n, "%dm%02ds", (int)(s / 60), (int)s % 60);
    else
        snprintf(buf, (size_t)n, "%dh%02dm", (int)(s / 3600), (int)(s / 60) % 60);
}

/* The message of P at NOW: count and share, items per second, audio
 * seconds per second (how many times faster than real time) and the time
 * left at the rate so far. */
static void say(const progress *p, double now)
{
    double el = now - p->t0, rate = el > 0 ? p->done / el : 0;
    char eta[32], audio[48] = "";
    progress_format_eta(rate > 0 ? (p->total - p->done) / rate : -1, eta, (int)sizeof eta);
    if (p->audio > 0 && el > 0) snprintf(audio, sizeof audio, "  %.0fx real time", p->audio / el);
    asr_log(ASR_LOG_PROGRESS, "%s: %ld/%ld (%.0f%%)  %.*f %s/s%s  ETA %s", p->what, p->done,
            p->total, p->total > 0 ? 100.0 * p->done / p->total : 100.0, rate < 10 ? 1 : 0, rate,
            p->unit, audio, eta);
}

void progress_step(progress *p, long n, double audio_seconds)
{
    /* One thread at a time counts and speaks: a step is an utterance's work
     * (milliseconds), so the lock costs nothing that matters. */
    if (!p) return;
#pragma omp critical(asr_progress)
    {
        p->done += n;
        p->audio += audio_seconds;
        double now = clock_seconds();
        if (p->done >= p->total || now - p->last >= PROGRESS_TICK) {
            p->last = now;
            say(p, now);
        }
    }
}
