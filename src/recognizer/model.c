/* model.c — load, assemble and decode a recognizer; see model.h. */
#include "recognizer/model.h"

#include "base/alloc.h"
#include "base/error.h"
#include "base/parallel.h"
#include "recognizer/feats_ark.h"
#include "recognizer/model_path.h"
#include "recognizer/options.h"
#include "recognizer/reject.h"
#include "nn/softmax.h"
#include "signal/audio.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int asr_model_base(const asr_model *m, model_file *out)
{
    model_file_init(out);
    model_file_put_text(out, "pipeline", m->ops->name);
    char *f = features_config_format(&m->feats);
    model_file_put_text(out, "features", f);
    free(f);
    char *n = network_describe(&m->net);
    model_file_put_text(out, "network", n);
    free(n);
    pipeline_options search = m->search;
    pipeline_options_fill(&search, &pipeline_options_defaults);
    char *sr = pipeline_options_format(&search);
    model_file_put_text(out, "search", sr);
    free(sr);
    if (m->ops->save(m->p, out) < 0) {
        model_file_free(out);
        return -1;
    }
    return 0;
}

int asr_model_heads(asr_model *m)
{
    int n = m->ops->heads(m->p, &m->ph), V = 0;
    if (n < 1 || n > MT_MAX_HEADS)
        return asr_error("pipeline %s declares %d output heads (1 to %d are supported)",
                         m->ops->name, n, MT_MAX_HEADS);
    m->nheads = n;
    for (int h = 0; h < n; h++) {
        m->heads[h] = (mt_head){m->ph[h].name, V, m->ph[h].num_symbols, m->ph[h].loss, 1.0f};
        V += m->ph[h].num_symbols;
    }
    return multitask_check(m->heads, n, V) < 0 ? -1 : V;
}

int asr_model_set_head_weight(asr_model *m, const char *name, float w)
{
    char names[256] = "";
    for (int h = 0; h < m->nheads; h++) {
        if (!strcmp(m->heads[h].name, name)) {
            if (!isfinite(w) || w < 0)
                return asr_error("head %s: weight %g: expected a finite number >= 0", name, w);
            m->heads[h].weight = w;
            return 0;
        }
        size_t used = strlen(names);
        snprintf(names + used, sizeof names - used, "%s%s", h ? ", " : "", m->heads[h].name);
    }
    return asr_error("pipeline %s has no output head '%s' (its heads: %s)", m->ops->name,
                     asr_quote(name), names);
}

int asr_model_from_file(const model_file *f, const char *name, const pipeline_options *opt,
                        asr_model *m)
{
    memset(m, 0, sizeof *m);
    /* Several models stored as one (recognizer/system.h) are no one model. */
    if (model_file_get(f, "system")) {
        asr_error("%s: a system of several models stored as one (asr models --combine): asr "
                  "decode, stream, eval, compare and the library recognise with it; this needs "
                  "one model, such as one it was made from",
                  name);
        goto fail;
    }
    const char *pname = model_file_text(f, "pipeline");
    const char *feats = model_file_text(f, "features");
    const char *net = model_file_text(f, "network");
    const model_section *w = model_file_get(f, "weights");
    if (!pname || !feats || !net || !w) {
        asr_error("%s: not a model (a section of pipeline/features/network/weights is missing)",
                  name);
        goto fail;
    }
    m->ops = pipeline_find(pname);
    if (!m->ops) {
        asr_error("%s: %s", name, asr_last_error());
        goto fail;
    }
    features_config_default(&m->feats);
    if (features_config_parse(feats, &m->feats) < 0) {
        asr_error("%s: %s", name, asr_last_error());
        goto fail;
    }
    /* Search settings: the caller's, then the file's, then the defaults. */
    pipeline_options stored = pipeline_options_defaults;
    const char *sr = model_file_text(f, "search");
    if (sr && pipeline_options_parse(sr, &stored) < 0) {
        asr_error("%s: %s", name, asr_last_error());
        goto fail;
    }
    /* A lexicon the pipeline never reads would be ignored without a word. */
    if (opt->lexicon_path && !m->ops->needs_lexicon) {
        asr_error("%s: lexicon %s: a %s model takes no lexicon (it spells its words)", name,
                  opt->lexicon_path, m->ops->name);
        goto fail;
    }
    m->search = *opt;
    pipeline_options_fill(&m->search, &stored);
    m->p = m->ops->load(f, &m->search);
    if (!m->p) {
        asr_error("%s: %s", name, asr_last_error());
        goto fail;
    }
    int outputs = asr_model_heads(m);
    if (outputs < 0 || network_build(&m->net, net, features_dim(&m->feats), outputs) < 0) {
        asr_error("%s: %s", name, asr_last_error());
        goto fail;
    }
    if (w->size != m->net.num_params * sizeof(float)) {
        asr_error("%s: %zu bytes of weights, the network needs %zu", name, w->size,
                  m->net.num_params * sizeof(float));
        goto fail;
    }
    m->params = xmalloc(w->size + 1);
    memcpy(m->params, w->data, w->size);
    /* A NaN or an infinity in the weights spreads through every frame: the
     * search would then decode nothing, and say nothing. */
    size_t bad = 0;
    for (size_t i = 0; i < m->net.num_params; i++) bad += !isfinite(m->params[i]);
    if (bad) {
        asr_error("%s: %zu of the %zu weights are not finite numbers (NaN or Inf): a diverged "
                  "or damaged model",
                  name, bad, m->net.num_params);
        goto fail;
    }
    if (speaker_xforms_load(f, name, &m->net, &m->xf) < 0) goto fail;
    return 0;
fail:
    asr_model_free(m);
    return -1;
}

int asr_model_apply_head_weights(asr_model *m, const asr_options *o)
{
    for (int i = 0; i < o->n_head_weights; i++) {
        const char *key = o->head_weights[i].key, *dot = strchr(key, '.');
        size_t plen = (size_t)(dot - key);
        if (strlen(m->ops->name) != plen || strncmp(key, m->ops->name, plen)) {
            char other[64];
            snprintf(other, sizeof other, "%.*s", (int)plen, key);
            return asr_error("%s: a head weight of pipeline '%s', but this is the %s pipeline",
                             asr_quote(key), asr_quote(other), m->ops->name);
        }
        char head[64];
        snprintf(head, sizeof head, "%.*s", (int)(strlen(dot + 1) - 7), dot + 1);
        if (asr_model_set_head_weight(m, head, o->head_weights[i].weight) < 0)
            return asr_error("%s: %s", asr_quote(key), asr_last_error());
    }
    return 0;
}

int asr_model_load_file(const char *spec, const pipeline_options *opt, asr_model *m, model_file *f)
{
    memset(m, 0, sizeof *m);
    char *path;
    if (model_path_resolve(spec, &path) < 0) return -1;
    int rc = model_file_read(path, f);
    if (rc == 0) {
        rc = asr_model_from_file(f, path, opt, m);
        if (rc < 0) model_file_free(f);
    }
    free(path);
    return rc;
}

int asr_model_load(const char *spec, const pipeline_options *opt, asr_model *m)
{
    model_file f;
    if (asr_model_load_file(spec, opt, m, &f) < 0) return -1;
    model_file_free(&f);
    return 0;
}

void asr_model_free(asr_model *m)
{
    speaker_xforms_free(&m->xf);
    if (m->p && m->ops) m->ops->free(m->p);
    network_free(&m->net);
    free(m->params);
    memset(m, 0, sizeof *m);
}

/* Seconds from the recording's start of output frame boundary F (frames of
 * the network's output, ctc_times.h). Output frame i reads input frame
 * i * S (S the network's subsampling; conv taps are centred), whose window
 * of L seconds starts at i * S * H (H the hop) and is centred at
 * i * S * H + L / 2: frame i stands for the S * H seconds around that
 * centre, so its lower edge is at i * S * H + (L - S * H) / 2. */
static double frame_seconds(const asr_model *m, double f)
{
    double hop = m->feats.hop_ms * 1e-3 * m->net.subsampling, len = m->feats.frame_ms * 1e-3;
    double t = f * hop + (len - hop) / 2;
    return t > 0 ? t : 0;
}

int asr_model_search(const asr_model *m, const float *logits, int T, pipeline_result *res)
{
    int V = m->net.out_dim;
    float *logp[MT_MAX_HEADS] = {NULL};
    for (int h = 0; h < m->nheads; h++) {
        if (!m->ph[h].decode) continue;
        /* The head's columns, then a softmax over them alone: each head is
         * its own distribution. */
        int off = m->heads[h].offset, w = m->heads[h].width;
        logp[h] = xmalloc(((size_t)T + 1) * w * sizeof(float));
        for (int t = 0; t < T; t++)
            memcpy(logp[h] + (size_t)t * w, logits + (size_t)t * V + off,
                   (size_t)w * sizeof(float));
        log_softmax_forward(logp[h], logp[h], T, w);
    }
    /* A pipeline's decode that gives no times leaves none. */
    memset(res, 0, sizeof *res);
    res->conf = 1.0f;
    int rc = m->ops->decode(m->p, (const float *const *)logp, T, res);
    for (int h = 0; h < m->nheads; h++) free(logp[h]);
    if (rc == 0) reject_apply(&m->search, res);
    /* The model's measured bias removed (pipeline.h), a word kept in order:
     * at or after 0, its end at or after its start. */
    float s0 = isnan(m->search.time_start_shift) ? 0 : m->search.time_start_shift;
    float e0 = isnan(m->search.time_end_shift) ? 0 : m->search.time_end_shift;
    for (int i = 0; i < res->nw; i++) {
        double st = frame_seconds(m, res->w[i].start) + s0;
        double en = frame_seconds(m, res->w[i].end) + e0;
        if (st < 0) st = 0;
        if (en < st) en = st;
        res->w[i].start = (float)st;
        res->w[i].end = (float)en;
    }
    /* Shifted ends may reach into the next word (quick speech): a word ends
     * where the next begins, at the latest. */
    for (int i = 0; i + 1 < res->nw; i++)
        if (res->w[i].end > res->w[i + 1].start)
            res->w[i].end =
                res->w[i + 1].start > res->w[i].start ? res->w[i + 1].start : res->w[i].start;
    return rc;
}

void asr_model_decode_speakers(const asr_model *m, const train_set *set,
                               const char *const *speakers, int batch_frames,
                               pipeline_result *results, progress *pr)
{
    if (m->xf.n == 0) {
        asr_model_decode_ensemble(m, 1, set, batch_frames, results, pr);
        return;
    }
    /* The utterances of each transform (-1: none) decode together, with
     * their features transformed or the network's parameters replaced. */
    int n = set->n, *g = xmalloc(sizeof(int) * (size_t)(n ? n : 1));
    int *members = xmalloc(sizeof(int) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) g[i] = speaker_xforms_find(&m->xf, speakers ? speakers[i] : NULL);
    float *params = NULL;
    if (m->xf.kind == XFORM_LAYERNORM) {
        params = xmalloc(sizeof(float) * m->net.num_params);
        memcpy(params, m->params, sizeof(float) * m->net.num_params);
    }
    pipeline_result *sub = xcalloc((size_t)(n ? n : 1), sizeof *sub);
    for (int k = -1; k < m->xf.n; k++) {
        int cnt = 0;
        for (int i = 0; i < n; i++)
            if (g[i] == k) members[cnt++] = i;
        if (!cnt) continue;
        train_set part = *set;
        part.n = cnt;
        part.x = xmalloc(sizeof(float *) * (size_t)cnt);
        part.T = xmalloc(sizeof(int) * (size_t)cnt);
        part.ids = xmalloc(sizeof(char *) * (size_t)cnt);
        for (int j = 0; j < cnt; j++) {
            part.x[j] = set->x[members[j]]; /* replaced by a transformed copy below */
            part.T[j] = set->T[members[j]];
            part.ids[j] = set->ids[members[j]];
        }
        asr_model one = *m;
        if (k >= 0) {
            const float *v = m->xf.v + (size_t)k * m->xf.dim;
            if (m->xf.kind == XFORM_FEATURE)
                for (int j = 0; j < cnt; j++) {
                    size_t sz = sizeof(float) * (size_t)part.T[j] * (size_t)set->dim;
                    float *y = xmalloc(sz ? sz : 1);
                    xform_apply_features(m->xf.kind, v, part.x[j], y, part.T[j], set->dim);
                    part.x[j] = y;
                }
            if (params) {
                xform_apply_params(m->xf.kind, &m->net, v, params);
                one.params = params;
            }
        }
        asr_model_decode_ensemble(&one, 1, &part, batch_frames, sub, pr);
        for (int j = 0; j < cnt; j++) results[members[j]] = sub[j];
        if (k >= 0 && m->xf.kind == XFORM_FEATURE)
            for (int j = 0; j < cnt; j++) free(part.x[j]);
        free(part.x);
        free(part.T);
        free(part.ids);
    }
    free(sub);
    free(params);
    free(members);
    free(g);
}

void asr_model_decode(const asr_model *m, const float *params, const train_set *set,
                      int batch_frames, pipeline_result *results)
{
    if (!params) params = m->params;
    asr_model one = *m;
    one.params = (float *)params;
    asr_model_decode_ensemble(&one, 1, set, batch_frames, results, NULL);
}

int asr_model_ensemble_check(const asr_model *ms, int k, const char *const *names)
{
    for (int j = 0; j < k && k > 1; j++)
        if (ms[j].xf.n > 0)
            return asr_error("%s is adapted to speakers (asr adapt): an adapted model decodes "
                             "alone, not in an ensemble",
                             names[j]);
    for (int j = 1; j < k; j++) {
        const asr_model *a = &ms[0], *b = &ms[j];
        if (a->ops != b->ops || a->net.out_dim != b->net.out_dim || a->nheads != b->nheads ||
            !features_config_same(&a->feats, &b->feats) ||
            network_out_len(&a->net, 1000) != network_out_len(&b->net, 1000) ||
            network_out_len(&a->net, 37) != network_out_len(&b->net, 37))
            return asr_error("%s and %s cannot decode together: an ensemble needs one pipeline, "
                             "the same features, outputs and frame rate",
                             names[0], names[j]);
        for (int h = 0; h < a->nheads; h++)
            if (a->heads[h].offset != b->heads[h].offset || a->heads[h].width != b->heads[h].width)
                return asr_error("%s and %s have other output heads", names[0], names[j]);
    }
    return 0;
}

/* Each head's columns of LOGITS [T][V] as probabilities, added times W to ACC. */
static void add_probs(const asr_model *m, const float *logits, int T, float w, float *acc,
                      float *tmp)
{
    int V = m->net.out_dim;
    for (int h = 0; h < m->nheads; h++) {
        int off = m->heads[h].offset, hw = m->heads[h].width;
        for (int t = 0; t < T; t++)
            memcpy(tmp + (size_t)t * hw, logits + (size_t)t * V + off, (size_t)hw * sizeof(float));
        log_softmax_forward(tmp, tmp, T, hw);
        for (int t = 0; t < T; t++)
            for (int i = 0; i < hw; i++)
                acc[(size_t)t * V + off + i] += w * expf(tmp[(size_t)t * hw + i]);
    }
}

void asr_model_decode_ensemble(const asr_model *ms, int k, const train_set *set, int batch_frames,
                               pipeline_result *results, progress *pr)
{
    int V = ms[0].net.out_dim;
    train_batches bt;
    train_batches_make(set, batch_frames, 64, &bt);
    network_work *w = xcalloc((size_t)k, sizeof *w);
    for (int j = 0; j < k; j++) network_work_init(&w[j], &ms[j].net);
    int lens[64], olens[64];
    float *acc = NULL, *tmp = NULL;
    size_t cap = 0;
    for (int b0 = 0; b0 < bt.n; b0++) {
        const int *idx = bt.idx + bt.start[b0];
        int B = bt.start[b0 + 1] - bt.start[b0], T, To;
        float *x = train_batch_assemble(set, idx, B, lens, &T);
        const float *logits =
            network_forward(&ms[0].net, ms[0].params, &w[0], x, lens, B, T, 0, NULL, &To, olens);
        if (k > 1) {
            /* The mean of the models' distributions per frame, as log-probabilities
             * for the search. An arithmetic mean, not a geometric one: CTC models
             * put their spikes a frame or two apart, and a geometric mean turns a
             * spike one model has and another lacks into a deletion (staged,
             * three models, connected strings: 47% WER against 22% arithmetic).
             * Every model has the frame rate of model 0 (asr_model_ensemble_check). */
            size_t n = (size_t)B * To * V;
            if (n > cap) {
                cap = n;
                acc = xrealloc(acc, cap * sizeof(float));
                tmp = xrealloc(tmp, cap * sizeof(float));
            }
            memset(acc, 0, n * sizeof(float));
            for (int j = 0; j < k; j++) {
                int Tj, oj[64];
                const float *lj = j == 0 ? logits
                                         : network_forward(&ms[j].net, ms[j].params, &w[j], x, lens,
                                                           B, T, 0, NULL, &Tj, oj);
                for (int b = 0; b < B; b++)
                    add_probs(&ms[j], lj + (size_t)b * To * V, olens[b], 1.0f / (float)k,
                              acc + (size_t)b * To * V, tmp);
            }
            for (size_t i = 0; i < n; i++) acc[i] = logf(fmaxf(acc[i], 1e-30f));
            logits = acc;
        }
#pragma omp parallel for schedule(dynamic, 1)
        for (int b = 0; b < B; b++)
            asr_model_search(&ms[0], logits + (size_t)b * To * V, olens[b], &results[idx[b]]);
        free(x);
        progress_step(pr, B, 0);
    }
    free(acc);
    free(tmp);
    for (int j = 0; j < k; j++) network_work_free(&w[j], &ms[j].net);
    free(w);
    train_batches_free(&bt);
}

int asr_model_features(const features_config *cfg, const corpus *c, int threads, const float *warp,
                       train_set *s, double *audio_seconds)
{
    return asr_model_features_range(cfg, c, threads, warp, 0, c->n, s, 0, NULL, NULL, audio_seconds,
                                    NULL);
}

/* The utterances [LO, HI) of ARK into S, which takes their frames and ids. */
static void set_from_ark(feats_ark *ark, int lo, int hi, train_set *s)
{
    memset(s, 0, sizeof *s);
    s->n = hi - lo;
    s->dim = ark->dim;
    s->x = xcalloc((size_t)(s->n ? s->n : 1), sizeof(float *));
    s->T = xcalloc((size_t)(s->n ? s->n : 1), sizeof(int));
    s->ids = xcalloc((size_t)(s->n ? s->n : 1), sizeof(char *));
    for (int i = 0; i < s->n; i++) {
        s->x[i] = ark->utts[lo + i].x;
        s->T[i] = ark->utts[lo + i].T;
        s->ids[i] = ark->utts[lo + i].id;
        ark->utts[lo + i].x = NULL;
        ark->utts[lo + i].id = NULL;
    }
    feats_ark_free(ark);
}

int asr_model_features_range(const features_config *cfg, const corpus *c, int threads,
                             const float *warp, int lo, int hi, train_set *s, double pad,
                             train_set *padded, audio_cuts *cuts, double *audio_seconds,
                             progress *pr)
{
    memset(s, 0, sizeof *s);
    if (padded) memset(padded, 0, sizeof *padded);
    feats_ark ark, pa;
    if (feats_ark_compute_range(c, cfg, threads, warp, lo, hi, &ark, pad, padded ? &pa : NULL, cuts,
                                audio_seconds, pr) < 0)
        return -1;
    set_from_ark(&ark, lo, hi, s);
    if (padded) set_from_ark(&pa, lo, hi, padded);
    return 0;
}

int asr_model_heard_features(const features_config *cfg, const corpus *c, int threads, int whole,
                             train_set *s, double *audio_seconds)
{
    audio_cuts *cut = whole ? NULL : xcalloc((size_t)(c->n ? c->n : 1), sizeof *cut);
    int rc = asr_model_features_range(cfg, c, threads, NULL, 0, c->n, s, 0, NULL, cut,
                                      audio_seconds, NULL);
    free(cut);
    return rc;
}

int asr_model_targets(const asr_model *m, const corpus *c, train_set *s, int *masked)
{
    for (int h = s->nheads; h < m->nheads; h++) {
        s->tg[h].y = xcalloc((size_t)(s->n ? s->n : 1), sizeof(int *));
        s->tg[h].L = xcalloc((size_t)(s->n ? s->n : 1), sizeof(int));
    }
    if (m->nheads > s->nheads) s->nheads = m->nheads;
    for (int h = 0; h < m->nheads; h++) {
        if (masked) masked[h] = 0;
        for (int i = 0; i < c->n && i < s->n; i++) {
            int cap = 4 * (int)strlen(c->utts[i].text) + 16;
            if (c->utts[i].phones) cap += 4 * (int)strlen(c->utts[i].phones);
            int *y = xmalloc((size_t)cap * sizeof(int));
            int L = m->ops->targets(m->p, h, &c->utts[i], y, cap);
            if (L < 0) free(y);
            if (L == PIPELINE_NO_LABEL) {
                y = NULL; /* no label: the head is masked for this utterance */
                L = 0;
                if (masked) masked[h]++;
            } else if (L < 0) {
                return -1;
            }
            free(s->tg[h].y[i]);
            s->tg[h].y[i] = y;
            s->tg[h].L[i] = L;
        }
    }
    return 0;
}

void train_set_free(train_set *s)
{
    for (int i = 0; i < s->n; i++) {
        free(s->x[i]);
        free(s->ids[i]);
        for (int h = 0; h < s->nheads; h++) free(s->tg[h].y[i]);
    }
    for (int h = 0; h < s->nheads; h++) {
        free(s->tg[h].y);
        free(s->tg[h].L);
    }
    free(s->x);
    free(s->T);
    free(s->ids);
    memset(s, 0, sizeof *s);
}

/* A record: the numbers, then "words\0units\0", then the utterance's gap
 * and rejection, then per word (as many as WORDS has when the record has
 * any) its start, end, confidence, gap and agreement. */
typedef struct {
    double start, end, conf, gap, agree;
} word_record;
typedef struct {
    double gap, rejected;
} utt_record;

int asr_results_gather(pipeline_result *res, double *x, int nx, int n, int lo, int hi)
{
    if (par_size() == 1) return 0;
    unsigned char **rec = xcalloc((size_t)(n ? n : 1), sizeof *rec);
    size_t *len = xcalloc((size_t)(n ? n : 1), sizeof *len), nb = (size_t)nx * sizeof(double);
    for (int i = lo; i < hi; i++) {
        size_t w = strlen(res[i].words) + 1, u = strlen(res[i].units) + 1;
        size_t t = (size_t)res[i].nw * sizeof(word_record), h = sizeof(utt_record);
        rec[i] = xmalloc(nb + w + u + h + t);
        if (nx) memcpy(rec[i], x + (size_t)i * nx, nb);
        memcpy(rec[i] + nb, res[i].words, w);
        memcpy(rec[i] + nb + w, res[i].units, u);
        utt_record ur = {res[i].gap, res[i].rejected};
        memcpy(rec[i] + nb + w + u, &ur, h);
        for (int k = 0; k < res[i].nw; k++) {
            word_record r = {res[i].w[k].start, res[i].w[k].end, res[i].w[k].conf, res[i].w[k].gap,
                             res[i].w[k].agree};
            memcpy(rec[i] + nb + w + u + h + (size_t)k * sizeof r, &r, sizeof r);
        }
        len[i] = nb + w + u + h + t;
    }
    int rc = par_gather_records(rec, len, n);
    for (int i = 0; rc == 0 && par_rank() == 0 && i < n; i++) {
        if (i >= lo && i < hi) continue;
        /* What arrived is read only as far as it goes: the numbers, then
         * two strings that end inside the record, then no word records or
         * one per word. */
        const char *w = (const char *)rec[i] + nb, *u = NULL, *e = NULL;
        if (len[i] > nb) u = memchr(w, '\0', len[i] - nb);
        if (u) e = memchr(u + 1, '\0', len[i] - nb - (size_t)(u + 1 - w));
        size_t h = sizeof(utt_record), rest = e ? len[i] - nb - (size_t)(e + 1 - w) : 0;
        size_t t = rest >= h ? rest - h : 0;
        int nw = 0;
        for (const char *p = w; e && *p; p += *p == ' ') {
            nw++;
            p += strcspn(p, " ");
        }
        if (!e || rest < h || (t != 0 && t != (size_t)nw * sizeof(word_record))) {
            rc = asr_error("the result of item %d from another rank is malformed (%zu bytes)", i,
                           len[i]);
            break;
        }
        if (nx) memcpy(x + (size_t)i * nx, rec[i], nb);
        res[i].words = xstrdup(w);
        res[i].units = xstrdup(u + 1);
        utt_record ur;
        memcpy(&ur, e + 1, h);
        if (t) {
            res[i].w = xcalloc((size_t)nw, sizeof *res[i].w);
            for (int k = 0; k < nw; k++) {
                word_record r;
                memcpy(&r, e + 1 + h + (size_t)k * sizeof r, sizeof r);
                res[i].w[k] =
                    (ctc_word){r.start, r.end, (float)r.conf, NULL, (float)r.gap, (float)r.agree};
            }
            pipeline_result_name_words(&res[i]);
        }
        res[i].gap = (float)ur.gap;
        res[i].rejected = ur.rejected != 0;
    }
    for (int i = 0; i < n; i++) free(rec[i]);
    free(rec);
    free(len);
    return rc;
}

int asr_model_file_edit_search(model_file *f, const char *name,
                               int (*edit)(pipeline_options *stored, void *ctx), void *ctx)
{
    pipeline_options stored = pipeline_options_defaults;
    const char *sr = model_file_text(f, "search");
    if (sr && pipeline_options_parse(sr, &stored) < 0)
        return asr_error("%s: %s", name, asr_last_error());
    if (edit(&stored, ctx) < 0) return -1;
    char *text = pipeline_options_format(&stored);
    model_file_put_text(f, "search", text);
    free(text);
    return 0;
}

int asr_model_file_write(const model_file *f, const io_set *io, const char *out)
{
    /* What is written must load: the settings' ranges, every section. */
    asr_options o;
    options_init(&o); /* its search settings: none given, the file's are read */
    asr_model m;
    int rc = asr_model_from_file(f, out, &o.search, &m);
    options_free(&o);
    if (rc < 0) return -1;
    asr_model_free(&m);
    return model_file_write(f, io, out);
}

/* asr_model_store_search's edit: the assignments, in order. */
typedef struct {
    const char *const *assign;
    int n;
} assignments;

static int assign_search(pipeline_options *stored, void *ctx)
{
    const assignments *a = ctx;
    for (int i = 0; i < a->n; i++) {
        /* The model's lexicon and LM are sections of their own, made by training. */
        if (!strncmp(a->assign[i], "lm=", 3) || !strncmp(a->assign[i], "lexicon=", 8))
            return asr_error("--set %s: a model's LM and lexicon are stored by asr train; give "
                             "another to asr decode --lm or --lexicon",
                             asr_quote(a->assign[i]));
        if (pipeline_options_parse(a->assign[i], stored) < 0)
            return asr_error("--set %s: %s", asr_quote(a->assign[i]), asr_last_error());
    }
    return 0;
}

int asr_model_store_search(const char *spec, const char *const *assign, int n, const io_set *io,
                           const char *out)
{
    char *path;
    if (model_path_resolve(spec, &path) < 0) return -1;
    model_file f;
    int rc = model_file_read(path, &f);
    if (rc == 0) {
        assignments a = {assign, n};
        rc = asr_model_file_edit_search(&f, path, assign_search, &a);
        if (rc == 0) rc = asr_model_file_write(&f, io, out);
        model_file_free(&f);
    }
    free(path);
    return rc;
}
