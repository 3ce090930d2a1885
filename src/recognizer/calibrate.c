/* calibrate.c — confidence calibration and rejection fitted on held-out
 * data; see calibrate.h. */
#include "recognizer/calibrate.h"

#include "base/alloc.h"
#include "base/error.h"
#include "base/log.h"
#include "recognizer/model.h"
#include "recognizer/model_path.h"
#include "recognizer/reject.h"
#include "recognizer/system.h"
#include "signal/audio.h"
#include "text/confidence.h"
#include "text/metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One hypothesis word: raw confidence, gap, members' agreement (a
 * system's; 0 for one model's), right or not. */
typedef struct {
    float conf, gap, agree;
    int right;
} word_obs;

/* One utterance: its gap, its words [first, first + n) of the word list,
 * and (in-vocabulary) its reference length and errors. */
typedef struct {
    float gap;
    int first, n, ref, errors;
} utt_obs;

typedef struct {
    word_obs *w;
    int nw, capw;
    utt_obs *u;
    int nu;
} obs_set;

/* Utterance I of O: the result R, each word scored against REF (NULL: not
 * scored). */
static void add_result(obs_set *o, int i, const pipeline_result *r, const char *ref)
{
    utt_obs *u = &o->u[i];
    u->gap = r->gap;
    u->first = o->nw;
    u->n = r->nw;
    if (o->nw + u->n > o->capw) {
        o->capw = 2 * (o->nw + u->n) + 64;
        o->w = xrealloc(o->w, (size_t)o->capw * sizeof *o->w);
    }
    for (int k = 0; k < u->n; k++)
        o->w[o->nw + k] = (word_obs){r->w[k].conf, r->w[k].gap, r->w[k].agree, 0};
    if (ref) {
        int *right = xmalloc(sizeof(int) * (size_t)(u->n + 1));
        conf_right_words(ref, r->words, right, u->n, &u->ref, &u->errors);
        for (int k = 0; k < u->n; k++) o->w[o->nw + k].right = right[k];
        free(right);
    }
    o->nw += u->n;
}

/* DIR's utterances, transcribed (WITH_REF) or not, its files inputs of IO. */
static int read_dir(const char *dir, int with_ref, io_set *io, corpus *c)
{
    int rc = with_ref ? corpus_read(dir, c) : corpus_read_untranscribed(dir, c);
    if (rc < 0) return -1;
    if (corpus_add_inputs(io, dir, c) < 0 || c->n == 0) {
        if (c->n == 0) asr_error("%s: no utterance", dir);
        corpus_free(c);
        return -1;
    }
    return 0;
}

/* Decode DIR with M (no calibration, no rejection) into O; WITH_REF: score
 * each word against DIR's transcripts. */
static int observe(const asr_model *m, const asr_options *conf, const char *dir, int with_ref,
                   io_set *io, obs_set *o)
{
    corpus c;
    if (read_dir(dir, with_ref, io, &c) < 0) return -1;
    train_set s;
    double secs;
    if (asr_model_heard_features(&m->feats, &c, conf->threads, 0, &s, &secs) < 0) {
        corpus_free(&c);
        return -1;
    }
    pipeline_result *res = xcalloc((size_t)c.n, sizeof *res);
    asr_model_decode(m, NULL, &s, conf->train.batch_frames, res);
    memset(o, 0, sizeof *o);
    o->u = xcalloc((size_t)c.n, sizeof *o->u);
    o->nu = c.n;
    for (int i = 0; i < c.n; i++) {
        add_result(o, i, &res[i], with_ref ? c.utts[i].text : NULL);
        pipeline_result_free(&res[i]);
    }
    free(res);
    train_set_free(&s);
    corpus_free(&c);
    return 0;
}

static void obs_free(obs_set *o)
{
    free(o->w);
    free(o->u);
    memset(o, 0, sizeof *o);
}

/* observe() for a stored system S (its own calibration off): each
 * utterance recognised as `asr stream` and the library recognise one
 * (recognizer/system.h asr_system_recognize), its members combined. */
static int observe_system(const asr_system *sys, const char *dir, int with_ref, io_set *io,
                          obs_set *o)
{
    corpus c;
    if (read_dir(dir, with_ref, io, &c) < 0) return -1;
    memset(o, 0, sizeof *o);
    o->u = xcalloc((size_t)c.n, sizeof *o->u);
    o->nu = c.n;
    features_extractor **fx = asr_system_extractors(sys);
    int rc = 0;
    for (int i = 0; i < c.n && rc == 0; i++) {
        audio a;
        pipeline_result r;
        if ((rc = audio_read_utt(&c.utts[i], 0, &a)) < 0) break;
        rc = asr_system_recognize(sys, fx, a.x, a.n, a.rate, (uint64_t)i, &r, NULL, NULL);
        audio_free(&a);
        if (rc < 0) {
            asr_error("%s: utterance %s: shorter than one feature frame, or not resampled", dir,
                      c.utts[i].id);
            break;
        }
        add_result(o, i, &r, with_ref ? c.utts[i].text : NULL);
        pipeline_result_free(&r);
    }
    asr_system_extractors_free(sys, fx);
    corpus_free(&c);
    if (rc < 0) obs_free(o);
    return rc;
}

/* ---- the word confidence: Platt scaling ---- */

static double logit(float c)
{
    double x = c < 1e-4f ? 1e-4 : c > 1 - 1e-4f ? 1 - 1e-4 : c;
    return log(x / (1 - x));
}

/* Word I's features for the fit: logit(c), gap, agreement (0 without
 * AGREE), and 1 for the bias. */
static void platt_x(int i, const float *conf, const float *gap, const float *agree,
                    double x[CALIBRATE_PARAMS])
{
    x[0] = logit(conf[i]);
    x[1] = gap[i];
    x[2] = agree ? agree[i] : 0;
    x[3] = 1;
}

/* The ridge-penalised negative log-likelihood of TH on the N words. */
static double platt_nll(int n, const float *conf, const float *gap, const float *agree,
                        const int *right, const double th[CALIBRATE_PARAMS])
{
    double s = 0, x[CALIBRATE_PARAMS];
    for (int i = 0; i < n; i++) {
        platt_x(i, conf, gap, agree, x);
        double z = 0;
        for (int k = 0; k < CALIBRATE_PARAMS; k++) z += th[k] * x[k];
        /* log(1 + e^z) without overflow */
        s += (z > 0 ? z + log1p(exp(-z)) : log1p(exp(z))) - right[i] * z;
    }
    for (int k = 0; k < CALIBRATE_PARAMS; k++) s += 0.5e-3 * th[k] * th[k];
    return s;
}

/* D solving H D = G (P x P, H positive definite: a Hessian plus a ridge) by
 * Gaussian elimination with partial pivoting; -1 when H is singular to
 * rounding. H and G are overwritten. */
static int solve(double H[CALIBRATE_PARAMS][CALIBRATE_PARAMS], double g[CALIBRATE_PARAMS],
                 double d[CALIBRATE_PARAMS])
{
    enum { P = CALIBRATE_PARAMS };
    for (int c = 0; c < P; c++) {
        int piv = c;
        for (int r = c + 1; r < P; r++)
            if (fabs(H[r][c]) > fabs(H[piv][c])) piv = r;
        if (!(fabs(H[piv][c]) > 1e-12)) return -1;
        for (int k = 0; k < P; k++) {
            double t = H[c][k];
            H[c][k] = H[piv][k];
            H[piv][k] = t;
        }
        double t = g[c];
        g[c] = g[piv];
        g[piv] = t;
        for (int r = c + 1; r < P; r++) {
            double f = H[r][c] / H[c][c];
            for (int k = c; k < P; k++) H[r][k] -= f * H[c][k];
            g[r] -= f * g[c];
        }
    }
    for (int r = P - 1; r >= 0; r--) {
        double v = g[r];
        for (int k = r + 1; k < P; k++) v -= H[r][k] * d[k];
        d[r] = v / H[r][r];
    }
    return 0;
}

/* Maximum likelihood of y ~ sigmoid(a x1 + g x2 + d x3 + b), x1 = logit(c),
 * x2 = gap, x3 = agreement, with a ridge of 1e-3 (a separable set stays
 * finite; a feature that is always 0, the agreement of one model's words,
 * keeps its weight at 0): Newton's method, each step halved until the
 * likelihood improves. A full Newton step from far away can overshoot into
 * a region where the sigmoids saturate and the Hessian vanishes, and the
 * plain iteration then runs off (one fold's direct model: a = 3.6e6, its
 * AUC 0.83 -> 0.57); with the halving the penalised likelihood never gets
 * worse, so the fit converges to its one optimum (the problem is convex). */
void calibrate_platt(int n, const float *conf, const float *gap, const float *agree,
                     const int *right, double th[CALIBRATE_PARAMS])
{
    enum { P = CALIBRATE_PARAMS };
    for (int k = 0; k < P; k++) th[k] = k == 0;
    double f = platt_nll(n, conf, gap, agree, right, th);
    for (int it = 0; it < 100; it++) {
        double g[P] = {0}, H[P][P] = {{0}}, x[P];
        for (int i = 0; i < n; i++) {
            platt_x(i, conf, gap, agree, x);
            double z = 0;
            for (int k = 0; k < P; k++) z += th[k] * x[k];
            double p = 1 / (1 + exp(-z));
            for (int r = 0; r < P; r++) {
                g[r] += (p - right[i]) * x[r];
                for (int c = 0; c < P; c++) H[r][c] += p * (1 - p) * x[r] * x[c];
            }
        }
        for (int r = 0; r < P; r++) {
            g[r] += 1e-3 * th[r];
            H[r][r] += 1e-3;
        }
        double d[P];
        if (solve(H, g, d) < 0) break;
        double t = 1, next[P], fn = INFINITY;
        for (int h = 0; h < 40; h++, t /= 2) {
            for (int k = 0; k < P; k++) next[k] = th[k] - t * d[k];
            fn = platt_nll(n, conf, gap, agree, right, next);
            if (fn <= f) break;
        }
        if (!(fn <= f)) break; /* no step improves: at the optimum to rounding */
        double step = 0;
        for (int k = 0; k < P; k++) step += fabs(next[k] - th[k]);
        memcpy(th, next, sizeof next);
        f = fn;
        if (step < 1e-9) break;
    }
}

static void fit_platt(const obs_set *o, pipeline_options *s)
{
    float *conf = xmalloc(sizeof(float) * (size_t)(o->nw + 1));
    float *gap = xmalloc(sizeof(float) * (size_t)(o->nw + 1));
    float *agree = xmalloc(sizeof(float) * (size_t)(o->nw + 1));
    int *right = xmalloc(sizeof(int) * (size_t)(o->nw + 1));
    for (int i = 0; i < o->nw; i++) {
        conf[i] = o->w[i].conf;
        gap[i] = o->w[i].gap;
        agree[i] = o->w[i].agree;
        right[i] = o->w[i].right;
    }
    double th[CALIBRATE_PARAMS];
    calibrate_platt(o->nw, conf, gap, agree, right, th);
    s->conf_scale = (float)th[0];
    s->conf_gap_scale = (float)th[1];
    s->conf_agree_scale = (float)th[2];
    s->conf_bias = (float)th[3];
    free(conf);
    free(gap);
    free(agree);
    free(right);
}

/* ---- measuring one setting ---- */

/* The AUC and ECE of the words of O under S's calibration (text/confidence.h). */
static void auc_ece(const obs_set *o, const pipeline_options *s, double *auc, double *ece)
{
    double *p = xmalloc(sizeof(double) * (size_t)(o->nw + 1));
    int *right = xmalloc(sizeof(int) * (size_t)(o->nw + 1));
    for (int i = 0; i < o->nw; i++) {
        p[i] = reject_word_confidence(s, o->w[i].conf, o->w[i].gap, o->w[i].agree);
        right[i] = o->w[i].right;
    }
    conf_quality q;
    conf_quality_measure(p, right, o->nw, &q);
    *auc = q.auc;
    *ece = o->nw ? q.ece : 0;
    free(p);
    free(right);
}

/* Utterance U's calibrated confidence under S. */
static float utt_conf(const obs_set *o, const utt_obs *u, const pipeline_options *s)
{
    float c = 1;
    for (int k = 0; k < u->n; k++) {
        const word_obs *w = &o->w[u->first + k];
        c *= reject_word_confidence(s, w->conf, w->gap, w->agree);
    }
    return c;
}

static int rejected(const obs_set *o, const utt_obs *u, const pipeline_options *s)
{
    return u->n > 0 && reject_decide(s, u->gap, utt_conf(o, u, s));
}

static void measure(const obs_set *iv, const obs_set *oov, const pipeline_options *s,
                    asr_calibrate_point *p)
{
    auc_ece(iv, s, &p->auc, &p->ece);
    long err = 0, ref = 0;
    p->rejected = 0;
    for (int i = 0; i < iv->nu; i++) {
        int r = rejected(iv, &iv->u[i], s);
        p->rejected += r;
        err += r ? iv->u[i].ref : iv->u[i].errors;
        ref += iv->u[i].ref;
    }
    p->wer = metrics_rate(err, ref);
    p->fa = NAN;
    if (!oov) return;
    int acc = 0;
    for (int i = 0; i < oov->nu; i++) acc += oov->u[i].n > 0 && !rejected(oov, &oov->u[i], s);
    p->fa = 100.0 * acc / oov->nu;
}

/* ---- the operating point ---- */

static int cmp_float(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return x < y ? -1 : x > y;
}

/* With S's calibration and reject_confidence C: the largest reject_gap
 * that lets at most MAX_FA of OOV's utterances give a word (NAN: no gap
 * test needed); -1 when none can (a gap of 0 would have to pass). */
static int gap_for(const obs_set *oov, pipeline_options *s, float c, double max_fa)
{
    s->reject_confidence = c;
    s->reject_gap = NAN;
    float *g = xmalloc(sizeof(float) * (size_t)(oov->nu + 1));
    int m = 0, k = (int)floor(max_fa * oov->nu + 1e-9);
    for (int i = 0; i < oov->nu; i++)
        if (oov->u[i].n > 0 && !rejected(oov, &oov->u[i], s)) g[m++] = oov->u[i].gap;
    int rc = 0;
    if (m > k) {
        qsort(g, (size_t)m, sizeof *g, cmp_float);
        /* Accepted: gap <= reject_gap < g[k], so the k smallest at most. */
        if (g[k] <= 0)
            rc = -1;
        else
            s->reject_gap = nextafterf(g[k], 0);
    }
    free(g);
    return rc;
}

static void choose_point(const obs_set *iv, const obs_set *oov, double max_fa, pipeline_options *s)
{
    /* Candidates for reject_confidence: none, then the OOV utterances'
     * calibrated confidences (at most 200 of them, evenly by rank). */
    float *cands = xmalloc(sizeof(float) * (size_t)(oov->nu + 1));
    int nc = 0;
    for (int i = 0; i < oov->nu; i++)
        if (oov->u[i].n > 0) cands[nc++] = nextafterf(utt_conf(oov, &oov->u[i], s), 2.0f);
    qsort(cands, (size_t)nc, sizeof *cands, cmp_float);
    pipeline_options best = *s, t = *s;
    double best_wer = INFINITY;
    int step = nc > 200 ? nc / 200 : 1;
    for (int i = -1; i < nc; i += i < 0 ? 1 : step) {
        float c = i < 0 ? NAN : cands[i] > 1 ? 1 : cands[i];
        if (gap_for(oov, &t, c, max_fa) < 0) continue;
        asr_calibrate_point p;
        measure(iv, NULL, &t, &p);
        if (p.wer < best_wer) {
            best_wer = p.wer;
            best = t;
        }
    }
    free(cands);
    *s = best;
}

/* ---- the job ---- */

/* S without calibration or rejection: raw confidences, nothing rejected. */
static pipeline_options uncalibrated(pipeline_options s)
{
    s.conf_scale = s.conf_gap_scale = s.conf_bias = s.conf_agree_scale = NAN;
    s.reject_gap = s.reject_confidence = NAN;
    return s;
}

/* The fitted keys over the stored search settings. */
static int store_fit(pipeline_options *stored, void *ctx)
{
    const pipeline_options *s = ctx;
    stored->conf_scale = s->conf_scale;
    stored->conf_gap_scale = s->conf_gap_scale;
    stored->conf_bias = s->conf_bias;
    stored->reject_gap = s->reject_gap;
    stored->reject_confidence = s->reject_confidence;
    return 0;
}

/* ST's counts of IV and OOV (NULL: none given) and its "before" point,
 * measured with NONE (raw confidences, no rejection). */
static void start_stats(const obs_set *iv, const obs_set *oov, const pipeline_options *none,
                        asr_calibrate_stats *st)
{
    st->utterances = iv->nu;
    st->words = iv->nw;
    for (int i = 0; i < iv->nw; i++) st->right += iv->w[i].right;
    st->oov_utterances = oov ? oov->nu : 0;
    measure(iv, oov, none, &st->before);
}

/* The Platt fit of IV's words into ST->fit, unless every word is right
 * or every one wrong (a warning naming DATA then, and no calibration). */
static void fit_words(const char *data, const obs_set *iv, asr_calibrate_stats *st)
{
    if (st->right == 0 || st->right == st->words)
        asr_log(ASR_LOG_WARNING,
                "calibrate: warning: %s: every hypothesis word is %s: no calibration fitted", data,
                st->right ? "right" : "wrong");
    else
        fit_platt(iv, &st->fit);
}

/* asr_calibrate of the stored system F (read from PATH): the calibration
 * of the words it keeps, after its combination (recognizer/system.h). Its
 * members' own keys stay as they are (they decide the combination and its
 * rejections), so --oov only measures: no rejection keys are chosen. */
static int calibrate_system(const asr_calibrate_job *j, const char *path, model_file *f,
                            asr_calibrate_stats *st)
{
    asr_system sys;
    if (asr_system_from_file(f, path, &j->conf->search, &sys) < 0) return -1;
    /* The system's calibration is its four keys over no rejection. */
    pipeline_options stored = sys.calib, none = uncalibrated(sys.calib);
    sys.calib = none;
    obs_set iv, oov;
    memset(&oov, 0, sizeof oov);
    int rc = observe_system(&sys, j->data, 1, j->io, &iv);
    if (rc == 0 && j->oov && observe_system(&sys, j->oov, 0, j->io, &oov) < 0) {
        obs_free(&iv);
        rc = -1;
    }
    asr_system_free(&sys);
    if (rc < 0) return -1;
    const obs_set *o = j->oov ? &oov : NULL;
    start_stats(&iv, o, &none, st);
    st->fit = stored;
    if (j->out) {
        st->fit = none;
        fit_words(j->data, &iv, st);
    }
    measure(&iv, o, &st->fit, &st->after);
    obs_free(&iv);
    obs_free(&oov);
    if (!j->out) return 0;
    if (asr_system_file_calibrate(f, j->out, &st->fit) < 0) return -1;
    return model_file_write(f, j->io, j->out);
}

/* asr_calibrate of the one model F (read from PATH), refitted and
 * written to OUT with its search settings changed (--out). */
static int calibrate_model(const asr_calibrate_job *j, const char *path, model_file *f,
                           asr_calibrate_stats *st)
{
    asr_model m;
    if (asr_model_from_file(f, path, &j->conf->search, &m) < 0) return -1;
    /* The model's own calibration is what an evaluation measures; the
     * observations are raw. */
    pipeline_options stored = m.search, none = uncalibrated(m.search);
    m.search = none;
    obs_set iv, oov;
    memset(&oov, 0, sizeof oov);
    int rc = observe(&m, j->conf, j->data, 1, j->io, &iv);
    if (rc == 0 && j->oov && observe(&m, j->conf, j->oov, 0, j->io, &oov) < 0) {
        obs_free(&iv);
        rc = -1;
    }
    asr_model_free(&m);
    if (rc < 0) return -1;
    const obs_set *o = j->oov ? &oov : NULL;
    start_stats(&iv, o, &none, st);
    st->fit = stored;
    if (j->out) {
        st->fit = none;
        fit_words(j->data, &iv, st);
        st->fit.conf_agree_scale = NAN; /* one model's words have no members to agree */
        if (o) choose_point(&iv, o, j->max_fa, &st->fit);
    }
    measure(&iv, o, &st->fit, &st->after);
    obs_free(&iv);
    obs_free(&oov);
    if (j->out) {
        rc = asr_model_file_edit_search(f, j->model, store_fit, &st->fit);
        if (rc == 0) rc = asr_model_file_write(f, j->io, j->out);
    }
    return rc;
}

int asr_calibrate(const asr_calibrate_job *j, asr_calibrate_stats *st)
{
    memset(st, 0, sizeof *st);
    if (!(j->max_fa >= 0 && j->max_fa <= 1))
        return asr_error("false-accept rate %g: expected 0 to 1", j->max_fa);
    if (io_set_input(j->io, j->model) < 0) return -1;
    char *path;
    model_file f; /* read once; kept to be written again with the fit (--out) */
    if (model_path_resolve(j->model, &path) < 0) return -1;
    int rc = model_file_read(path, &f);
    if (rc == 0) {
        /* A stored system is calibrated as one: the words it keeps. */
        int n = asr_system_count(&f, path);
        rc = n < 0   ? -1
             : n > 0 ? calibrate_system(j, path, &f, st)
                     : calibrate_model(j, path, &f, st);
        model_file_free(&f);
    }
    free(path);
    return rc < 0 ? -1 : 0;
}
