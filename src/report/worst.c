/* worst.c — see worst.h. */
#include "report/worst.h"

#include "base/alloc.h"
#include "base/base64.h"
#include "signal/audio.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const eval_split *s;
    int i;
} worst_ref;

static int by_errors(const void *a, const void *b)
{
    const worst_ref *p = a, *q = b;
    const eval_utt *x = &p->s->utts[p->i], *y = &q->s->utts[q->i];
    if (x->errors != y->errors) return y->errors - x->errors;
    return strcmp(x->id, y->id);
}

int eval_worst(const eval_split *s, int worst, int **idx)
{
    *idx = NULL;
    if (s->n == 0 || worst <= 0) return 0;
    worst_ref *w = xmalloc(sizeof(worst_ref) * (size_t)s->n);
    for (int i = 0; i < s->n; i++) w[i] = (worst_ref){s, i};
    qsort(w, (size_t)s->n, sizeof *w, by_errors);
    int n = 0;
    while (n < s->n && n < worst && s->utts[w[n].i].errors > 0) n++;
    if (n) {
        *idx = xmalloc(sizeof(int) * (size_t)n);
        for (int i = 0; i < n; i++) (*idx)[i] = w[i].i;
    }
    free(w);
    return n;
}

int report_audio_uri(FILE *f, const eval_utt *u, double *seconds)
{
    *seconds = 0;
    audio a;
    if (audio_read_span(u->wav, u->start, u->end, 0, &a) < 0) return -1;
    size_t n = a.n, max = (size_t)(REPORT_AUDIO_MAX_SECONDS * a.rate);
    if (n > max) n = max;
    float peak = 0;
    for (size_t i = 0; i < n; i++) peak = fmaxf(peak, fabsf(a.x[i]));
    if (peak > 1)
        for (size_t i = 0; i < n; i++) a.x[i] /= peak;
    unsigned char *wav;
    size_t len;
    int rc = audio_encode_wav(u->wav, a.x, n, a.rate, &wav, &len);
    if (rc == 0) {
        fputs("data:audio/wav;base64,", f);
        base64_write(f, wav, len);
        free(wav);
        *seconds = (double)n / a.rate;
    }
    audio_free(&a);
    return rc;
}
