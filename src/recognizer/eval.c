/* eval.c — splits, decomposition, thresholds, error analysis and reports; see eval.h. */
#include "recognizer/eval.h"

#include "base/alloc.h"
#include "base/error.h"
#include "base/fileio.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int eval_split_add(eval_split *s, const char *id, const char *speaker, const char *wav,
                   const char *ref, const char *hyp, const char *ref_phones, const char *hyp_phones)
{
    if (!hyp) hyp = "";
    /* Every level fits, or the utterance is refused before anything counts. */
    const char *sides[] = {ref, hyp, ref_phones, hyp_phones};
    for (int k = 0; k < 4; k++) {
        if (!sides[k]) continue;
        metrics_level lv = k < 2 ? METRICS_CHARS : METRICS_PHONES;
        if (metrics_count_tokens(sides[k], lv) > METRICS_MAX_TOKENS)
            return asr_error("utterance %s: more than %d %s to align", id, METRICS_MAX_TOKENS,
                             metrics_level_tokens(lv));
    }
    long before = error_counts_errors(&s->words), nbefore = s->words.n_ref;
    metrics_score(&s->words, id, ref, hyp, METRICS_WORDS, NULL);
    metrics_score(&s->chars, id, ref, hyp, METRICS_CHARS, NULL);
    if (ref_phones && hyp_phones) {
        metrics_score(&s->phones, id, ref_phones, hyp_phones, METRICS_PHONES, NULL);
        s->has_phones = 1;
    }
    s->utts = xrealloc(s->utts, sizeof(eval_utt) * (size_t)(s->n + 1));
    eval_utt *u = &s->utts[s->n++];
    u->id = xstrdup(id);
    u->speaker = xstrdup(speaker && *speaker ? speaker : "-");
    u->wav = xstrdup(wav ? wav : "");
    u->start = 0;
    u->end = -1;
    u->ref = xstrdup(ref);
    u->hyp = xstrdup(hyp);
    u->errors = (int)(error_counts_errors(&s->words) - before);
    u->nref = (int)(s->words.n_ref - nbefore);
    u->conf = NULL;
    u->nconf = u->has_conf = 0;
    return 0;
}

void eval_utt_set_confidences(eval_split *s, const float *conf, int n)
{
    eval_utt *u = &s->utts[s->n - 1];
    if (n < 0 || n != metrics_count_tokens(u->hyp, METRICS_WORDS)) return;
    free(u->conf);
    u->conf = xmalloc(sizeof(float) * (size_t)(n + 1));
    if (n) memcpy(u->conf, conf, sizeof(float) * (size_t)n);
    u->nconf = n;
    u->has_conf = 1;
}

int eval_split_confidence(const eval_split *s, eval_confidence *c)
{
    long n = 0;
    for (int i = 0; i < s->n; i++) {
        if (!s->utts[i].has_conf) return 1;
        n += s->utts[i].nconf;
    }
    double *p = xmalloc(sizeof(double) * (size_t)(n + 1));
    int *right = xmalloc(sizeof(int) * (size_t)(n + 1));
    conf_utt *cu = xmalloc(sizeof *cu * (size_t)(s->n + 1));
    long k = 0;
    for (int i = 0; i < s->n; i++) {
        const eval_utt *u = &s->utts[i];
        int nref, errors;
        conf_right_words(u->ref, u->hyp, right + k, u->nconf, &nref, &errors);
        for (int j = 0; j < u->nconf; j++) p[k + j] = u->conf[j];
        k += u->nconf;
        cu[i] = (conf_utt){u->ref, u->hyp, u->conf, u->nconf};
    }
    conf_quality_measure(p, right, (int)n, &c->q);
    c->wer_reject_5 = conf_reject_wer(cu, s->n, 0.05);
    c->wer_reject_10 = conf_reject_wer(cu, s->n, 0.10);
    free(p);
    free(right);
    free(cu);
    return 0;
}

void eval_split_free(eval_split *s)
{
    for (int i = 0; i < s->n; i++) {
        free(s->utts[i].id);
        free(s->utts[i].speaker);
        free(s->utts[i].wav);
        free(s->utts[i].ref);
        free(s->utts[i].hyp);
        free(s->utts[i].conf);
    }
    free(s->utts);
    free(s->name);
    memset(s, 0, sizeof *s);
}

static int by_speaker(const void *a, const void *b)
{
    const eval_utt *x = *(const eval_utt *const *)a, *y = *(const eval_utt *const *)b;
    return strcmp(x->speaker, y->speaker);
}

int eval_split_speakers(const eval_split *s, eval_speaker **out)
{
    *out = NULL;
    if (s->n == 0) return 0;
    /* Sort pointers, then one pass over runs of the same speaker. */
    const eval_utt **u = xmalloc(sizeof *u * (size_t)s->n);
    for (int i = 0; i < s->n; i++) u[i] = &s->utts[i];
    qsort(u, (size_t)s->n, sizeof *u, by_speaker);
    eval_speaker *sp = xmalloc(sizeof *sp * (size_t)s->n);
    int n = 0;
    for (int i = 0; i < s->n; i++) {
        if (n == 0 || strcmp(sp[n - 1].speaker, u[i]->speaker))
            sp[n++] = (eval_speaker){u[i]->speaker, 0, 0, 0};
        sp[n - 1].utts++;
        sp[n - 1].words += u[i]->nref;
        sp[n - 1].errors += u[i]->errors;
    }
    free(u);
    *out = sp;
    return n;
}

int eval_wer_interval(const eval_split *s, int by_speaker, bootstrap_result *r)
{
    eval_speaker *sp = NULL;
    int nsp = by_speaker ? eval_split_speakers(s, &sp) : 0;
    if (by_speaker && nsp < 2) {
        free(sp);
        return 1;
    }
    int *err = xmalloc(sizeof *err * (size_t)(s->n ? s->n : 1));
    int *ref = xmalloc(sizeof *ref * (size_t)(s->n ? s->n : 1));
    int *group = by_speaker ? xmalloc(sizeof *group * (size_t)s->n) : NULL;
    for (int i = 0; i < s->n; i++) {
        err[i] = s->utts[i].errors;
        ref[i] = s->utts[i].nref;
        if (!group) continue;
        int lo = 0, hi = nsp - 1; /* the speakers are sorted by name */
        while (lo < hi) {
            int mid = (lo + hi) / 2;
            if (strcmp(sp[mid].speaker, s->utts[i].speaker) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        group[i] = lo;
    }
    bootstrap_config c;
    bootstrap_config_default(&c);
    int rc = bootstrap_wer(err, NULL, ref, group, s->n, &c, r);
    free(err);
    free(ref);
    free(group);
    free(sp);
    return rc;
}

int eval_paired(const eval_split *a, const eval_split *b, bootstrap_result *r)
{
    if (a->n != b->n || a->n == 0) return 1;
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->utts[i].id, b->utts[i].id) || a->utts[i].nref != b->utts[i].nref) return 1;
    int *ea = xmalloc(sizeof *ea * (size_t)a->n), *eb = xmalloc(sizeof *eb * (size_t)a->n);
    int *ref = xmalloc(sizeof *ref * (size_t)a->n);
    for (int i = 0; i < a->n; i++) {
        ea[i] = a->utts[i].errors;
        eb[i] = b->utts[i].errors;
        ref[i] = a->utts[i].nref;
    }
    bootstrap_config c;
    bootstrap_config_default(&c);
    int rc = bootstrap_wer(ea, eb, ref, NULL, a->n, &c, r);
    free(ea);
    free(eb);
    free(ref);
    return rc;
}

int eval_analysed_split(const eval_model *m, const eval_split *s)
{
    if (eval_find_split(m->splits, m->n, "dev")) return !strcmp(s->name, "dev");
    return strcmp(s->name, "train") && strcmp(s->name, "train_dev");
}

int eval_comparisons(const eval_model *m, int nm, const eval_thresholds *t, eval_comparison **out)
{
    *out = NULL;
    if (nm < 2) return 0;
    int best = eval_choose(m, nm, t).model, a = best >= 0 ? best : 0, n = 0;
    for (int i = 0; i < m[a].n; i++) {
        const eval_split *sa = &m[a].splits[i];
        if (!eval_analysed_split(&m[a], sa)) continue;
        for (int k = 0; k < nm; k++) {
            const eval_split *sb = k == a ? NULL : eval_find_split(m[k].splits, m[k].n, sa->name);
            bootstrap_result r;
            if (!sb || eval_paired(sa, sb, &r) != 0) continue;
            *out = xrealloc(*out, sizeof **out * (size_t)(n + 1));
            (*out)[n++] = (eval_comparison){m[a].name, m[k].name, sa->name, r};
        }
    }
    return n;
}

double eval_speaker_wer(const eval_speaker *sp)
{
    return metrics_rate(sp->errors, sp->words);
}

double eval_wer(const eval_split *s)
{
    return metrics_rate(error_counts_errors(&s->words), s->words.n_ref);
}

const eval_split *eval_find_split(const eval_split *s, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(s[i].name, name)) return &s[i];
    return NULL;
}

static double wer_of(const eval_split *s, int n, const char *name)
{
    const eval_split *x = eval_find_split(s, n, name);
    return x ? eval_wer(x) : NAN;
}

eval_decomposition eval_decompose(const eval_split *s, int n, double bayes)
{
    double tr = wer_of(s, n, "train"), td = wer_of(s, n, "train_dev"), dv = wer_of(s, n, "dev"),
           te = wer_of(s, n, "test");
    eval_decomposition d = {tr - bayes, td - tr, dv - td, te - dv, -1};
    double g[4] = {d.bias, d.variance, d.mismatch, d.overtuning}, best = -INFINITY;
    for (int i = 0; i < 4; i++)
        if (!isnan(g[i]) && g[i] > best) best = g[i], d.largest = i;
    return d;
}

static const char *const gap_names[] = {"avoidable bias", "variance", "data mismatch",
                                        "over-tuning to dev"};
static const char *const knobs[] = {
    "a bigger network (wider or deeper layers), train longer (more epochs, slower decay), a "
    "better optimizer or learning rate, less regularisation",
    "more training data, regularisation (L2 --l2, --dropout, SpecAugment --specaug), early "
    "stopping, a smaller network",
    "make training data like the target: noise synthesis (asr noise: music, babble, "
    "reverberation), more target-like voices or real recordings, error analysis on dev",
    "a bigger dev set, tune less against dev (fewer hyper-parameter sweeps), refresh dev"};

const char *eval_gap_name(int which)
{
    return which >= 0 && which < 4 ? gap_names[which] : "none";
}

const char *eval_knobs(int which)
{
    return which >= 0 && which < 4 ? knobs[which] : "";
}

double eval_split_timing(const eval_split *s, eval_timing k)
{
    if (s->decode_seconds < 0) return NAN;
    switch (k) {
    case EVAL_RTF:
        return s->audio_seconds > 0 ? s->decode_seconds / s->audio_seconds : NAN;
    case EVAL_CPU_RTF:
        return s->audio_seconds > 0 ? s->cpu_seconds / s->audio_seconds : NAN;
    case EVAL_P50_MS:
        return s->lat_p50_ms;
    case EVAL_P95_MS:
        return s->lat_p95_ms;
    case EVAL_CPU_P50_MS:
        return s->cpu_p50_ms;
    case EVAL_CPU_P95_MS:
        return s->cpu_p95_ms;
    }
    return NAN;
}

double eval_model_timing(const eval_model *m, eval_timing k)
{
    double worst = NAN;
    for (int i = 0; i < m->n; i++) {
        double v = eval_split_timing(&m->splits[i], k);
        if (v > worst || (isnan(worst) && !isnan(v))) worst = v;
    }
    return worst;
}

/* Timing K of M as a threshold judges it: 0 when it was not timed (scored
 * from hypotheses), as nothing says it is slow. */
static double judged_timing(const eval_model *m, eval_timing k)
{
    double v = eval_model_timing(m, k);
    return isnan(v) ? 0 : v;
}

int eval_split_names(const eval_model *m, int nm, const char ***names)
{
    int total = 0, n = 0;
    for (int k = 0; k < nm; k++) total += m[k].n;
    const char **v = xmalloc(sizeof *v * (size_t)(total ? total : 1));
    for (int k = 0; k < nm; k++)
        for (int i = 0; i < m[k].n; i++) {
            int j = 0;
            while (j < n && strcmp(v[j], m[k].splits[i].name)) j++;
            if (j == n) v[n++] = m[k].splits[i].name;
        }
    *names = v;
    return n;
}

int eval_speaker_table(const eval_model *m, int nm, const char *split, eval_speaker **rows,
                       double **wer)
{
    *rows = NULL;
    *wer = NULL;
    int n = 0;
    for (int k = 0; k < nm && !*rows; k++) {
        const eval_split *s = eval_find_split(m[k].splits, m[k].n, split);
        if (s) n = eval_split_speakers(s, rows);
    }
    if (n == 0) return 0;
    double *w = xmalloc(sizeof *w * (size_t)n * (size_t)nm);
    for (int k = 0; k < nm; k++) {
        const eval_split *s = eval_find_split(m[k].splits, m[k].n, split);
        eval_speaker *sp = NULL;
        int ns = s ? eval_split_speakers(s, &sp) : 0;
        /* Both lists are sorted by name: merge. */
        for (int r = 0, j = 0; r < n; r++) {
            while (j < ns && strcmp(sp[j].speaker, (*rows)[r].speaker) < 0) j++;
            w[(size_t)r * nm + k] = j < ns && !strcmp(sp[j].speaker, (*rows)[r].speaker)
                                        ? eval_speaker_wer(&sp[j])
                                        : NAN;
        }
        free(sp);
    }
    *wer = w;
    return n;
}

int eval_threshold_checks(const eval_model *m, const eval_thresholds *t,
                          eval_threshold_check out[3])
{
    int n = 0;
    if (t->max_rtf > 0)
        out[n++] = (eval_threshold_check){
            "real-time factor (CPU)", "CPU RTF", "", 4, t->max_rtf, judged_timing(m, EVAL_CPU_RTF)};
    if (t->max_latency_ms > 0)
        out[n++] = (eval_threshold_check){"p95 latency (CPU)",
                                          "CPU p95 latency",
                                          " ms",
                                          1,
                                          t->max_latency_ms,
                                          judged_timing(m, EVAL_CPU_P95_MS)};
    if (t->max_size_mb > 0)
        out[n++] =
            (eval_threshold_check){"model size", "size", " MB", 2, t->max_size_mb, m->size_mb};
    return n;
}

int eval_thresholds_set(const eval_thresholds *t)
{
    return (t->max_rtf > 0) + (t->max_latency_ms > 0) + (t->max_size_mb > 0);
}

int eval_threshold_missed(const eval_threshold_check *c)
{
    return c->value > c->limit;
}

/* Whether D decimals show C's value, limit and margin apart: when the value
 * is not the limit, neither prints as the other, nor the margin as zero. */
static int decimals_suffice(const eval_threshold_check *c, int d)
{
    if (c->value == c->limit) return 1;
    char v[64], l[64], g[64];
    snprintf(v, sizeof v, "%.*f", d, c->value);
    snprintf(l, sizeof l, "%.*f", d, c->limit);
    snprintf(g, sizeof g, "%.*f", d, fabs(c->limit - c->value));
    return strcmp(v, l) && strspn(g, "0.") < strlen(g);
}

void eval_threshold_format(const eval_threshold_check *c, double v, int signed_, char *buf,
                           size_t n)
{
    /* A double carries about 16 significant digits: past 12 decimals
     * (the value and limit are >= 0, a margin is a difference of two),
     * more would show only rounding. */
    int d = c->decimals;
    while (d < 12 && !decimals_suffice(c, d)) d++;
    snprintf(buf, n, signed_ ? "%+.*f%s" : "%.*f%s", d, v, c->unit);
}

char *eval_misses(const eval_model *m, const eval_thresholds *t)
{
    char buf[512] = "", value[48], limit[48];
    size_t k = 0;
    eval_threshold_check c[3];
    int n = eval_threshold_checks(m, t, c);
    for (int i = 0; i < n; i++) {
        if (!eval_threshold_missed(&c[i])) continue;
        eval_threshold_format(&c[i], c[i].value, 0, value, sizeof value);
        eval_threshold_format(&c[i], c[i].limit, 0, limit, sizeof limit);
        k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%s %s > %s", k ? "; " : "",
                              c[i].short_name, value, limit);
    }
    return k ? xstrdup(buf) : NULL;
}

/* Whether model M meets every threshold of T. */
static int meets_all(const eval_model *m, const eval_thresholds *t)
{
    eval_threshold_check c[3];
    int n = eval_threshold_checks(m, t, c);
    for (int i = 0; i < n; i++)
        if (eval_threshold_missed(&c[i])) return 0;
    return 1;
}

eval_choice eval_choose(const eval_model *m, int nm, const eval_thresholds *t)
{
    eval_choice ch = {-1, NULL, 0};
    for (int i = 0; i < nm && !ch.split; i++)
        if (eval_find_split(m[i].splits, m[i].n, "dev")) ch.split = "dev";
    for (int i = 0; i < nm && !ch.split; i++)
        if (eval_find_split(m[i].splits, m[i].n, "test")) ch.split = "test";
    if (!ch.split) return ch;
    /* Pass 1 among the models within every threshold; pass 2, only when
     * none is, among all. */
    for (int pass = 1; pass <= 2 && ch.model < 0; pass++) {
        double best = INFINITY;
        for (int i = 0; i < nm; i++) {
            const eval_split *s = eval_find_split(m[i].splits, m[i].n, ch.split);
            double w = s ? eval_wer(s) : NAN;
            if (isnan(w)) w = INFINITY; /* no reference words: last */
            if (s && (pass == 2 || meets_all(&m[i], t)) && (w < best || ch.model < 0))
                best = w, ch.model = i;
        }
        ch.meets = pass == 1;
    }
    return ch;
}
