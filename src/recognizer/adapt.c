/* adapt.c — speaker adaptation from untranscribed audio; see adapt.h. */
#include "recognizer/adapt.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "base/error.h"
#include "nn/affine.h"
#include "nn/optim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void adapt_config_default(adapt_config *c)
{
    memset(c, 0, sizeof *c);
    c->kind = XFORM_FEATURE;
    c->epochs = 20;
    c->lr = 0.01f;
    c->l2 = 0.01f;
    c->min_conf = 0.5f;
    c->min_seconds = 15;
    c->rounds = 2;
}

float adapt_min_conf(const adapt_config *cfg)
{
    /* Agreement filters the hypotheses; a confidence bar on top of it
     * measured worse (eval/experiments/adapt_speakers.sh --agree: 14.9 /
     * 15.1% mean WER after with 0.5, 14.5 / 14.4% with none). */
    return cfg->agree && !cfg->min_conf_given ? 0 : cfg->min_conf;
}

int adapt_keeps(const adapt_config *cfg, const pipeline_result *r)
{
    return !r->rejected && r->nw > 0 && r->conf >= adapt_min_conf(cfg);
}

void adapt_stats_free(adapt_stats *st)
{
    for (int i = 0; i < st->n; i++) free(st->sp[i].speaker);
    free(st->sp);
    memset(st, 0, sizeof *st);
}

/* The fit of one transform V (x->dim floats, from the identity V0) to the
 * utterances of S (with targets), the network frozen. */
typedef struct {
    const asr_model *m;
    network net;   /* m->net without dropout */
    float *params; /* the network's parameters (layer norms replaced by V) */
    float *grads;  /* their gradient (only V's part is used) */
    float *dinput; /* d loss / d features of a batch */
    network_work w;
    xform_kind kind;
    int dim, D;
} fitter;

/* The loss of one batch (utterances IDX[0..B) of S) under V; with GV, its
 * gradient with respect to V times SCALE (overwritten). Returns the summed
 * loss of the usable utterances, their count in *USABLE. */
static double batch(fitter *f, const train_set *s, const int *idx, int B, const float *v, float *gv,
                    float scale, int *usable)
{
    int lens[64], olens[64], T, To, D = f->D, V = f->net.out_dim;
    float *x = train_batch_assemble(s, idx, B, lens, &T);
    float *xt = x;
    if (f->kind == XFORM_FEATURE) {
        /* Padding rows become b: the network reads no frame beyond an
         * utterance's end (nn/layer.h). */
        xt = xmalloc(sizeof(float) * (size_t)B * T * D);
        xform_apply_features(f->kind, v, x, xt, B * T, D);
    } else {
        xform_apply_params(f->kind, &f->net, v, f->params);
    }
    const float *logits =
        network_forward(&f->net, f->params, &f->w, xt, lens, B, T, gv != NULL, NULL, &To, olens);
    float *dl = gv ? xcalloc((size_t)B * To * V, sizeof(float)) : NULL;
    double sum = 0;
    *usable = 0;
    for (int b = 0; b < B; b++) {
        const int *labels[MT_MAX_HEADS];
        int L[MT_MAX_HEADS];
        for (int h = 0; h < f->m->nheads; h++) {
            labels[h] = s->tg[h].y[idx[b]];
            L[h] = s->tg[h].L[idx[b]];
        }
        double l = multitask_loss(f->m->heads, f->m->nheads, logits + (size_t)b * To * V, olens[b],
                                  V, labels, L, dl ? dl + (size_t)b * To * V : NULL, scale, NULL);
        if (isfinite(l)) {
            sum += l;
            ++*usable;
        }
    }
    if (gv) {
        memset(f->grads, 0, sizeof(float) * f->net.num_params);
        int feat = f->kind == XFORM_FEATURE;
        if (feat) f->dinput = xrealloc(f->dinput, sizeof(float) * (size_t)B * T * D);
        network_backward(&f->net, f->params, f->grads, &f->w, dl, feat ? f->dinput : NULL);
        if (feat) {
            /* x' = A x + b is an affine layer: dA = sum_t g_t x_t^T, db = sum_t g_t,
             * g_t = d loss / d x'_t, over each utterance's own frames. */
            memset(gv, 0, sizeof(float) * (size_t)f->dim);
            for (int b = 0; b < B; b++)
                affine_backward(NULL, gv, gv + (size_t)D * D, f->dinput + (size_t)b * T * D,
                                x + (size_t)b * T * D, v, lens[b], D, D);
        } else {
            /* The layer norms' own gradients, gathered as the transform is. */
            xform_identity(XFORM_LAYERNORM, &f->net, f->grads, gv);
        }
        free(dl);
    }
    if (xt != x) free(xt);
    free(x);
    return sum;
}

static void fitter_init(fitter *f, const asr_model *m, xform_kind kind)
{
    memset(f, 0, sizeof *f);
    f->m = m;
    f->kind = kind;
    f->D = m->net.in_dim;
    f->dim = xform_dim(kind, &m->net);
    network_copy_without_dropout(&m->net, &f->net);
    f->params = xmalloc(sizeof(float) * m->net.num_params);
    memcpy(f->params, m->params, sizeof(float) * m->net.num_params);
    f->grads = xmalloc(sizeof(float) * m->net.num_params);
    network_work_init(&f->w, &f->net);
}

static void fitter_free(fitter *f)
{
    network_work_free(&f->w, &f->net);
    network_free(&f->net);
    free(f->params);
    free(f->grads);
    free(f->dinput);
}

double adapt_loss(const asr_model *m, const train_set *s, xform_kind k, const float *v, float *gv)
{
    fitter f;
    fitter_init(&f, m, k);
    train_batches bt;
    train_batches_make(s, 1 << 30, 16, &bt);
    float *g = gv ? xmalloc(sizeof(float) * (size_t)f.dim) : NULL;
    if (gv) memset(gv, 0, sizeof(float) * (size_t)f.dim);
    double sum = 0;
    for (int b = 0; b < bt.n; b++) {
        int u;
        sum += batch(&f, s, bt.idx + bt.start[b], bt.start[b + 1] - bt.start[b], v, g, 1, &u);
        for (int i = 0; gv && i < f.dim; i++) gv[i] += g[i];
    }
    free(g);
    train_batches_free(&bt);
    fitter_free(&f);
    return sum;
}

/* Mean loss per usable utterance of S under V. */
static double mean_loss(fitter *f, const train_set *s, const train_batches *bt, const float *v)
{
    double sum = 0;
    int n = 0;
    for (int k = 0; k < bt->n; k++) {
        int u;
        sum += batch(f, s, bt->idx + bt->start[k], bt->start[k + 1] - bt->start[k], v, NULL, 1, &u);
        n += u;
    }
    return n ? sum / n : NAN;
}

/* Fit V (initialised to the identity here) to S's targets. */
static void fit_one(const asr_model *m, const train_set *s, const adapt_config *cfg,
                    int batch_frames, float *v, adapt_speaker_stats *sp)
{
    fitter f;
    fitter_init(&f, m, cfg->kind);
    xform_identity(cfg->kind, &m->net, m->params, v);
    float *v0 = xmalloc(sizeof(float) * (size_t)f.dim),
          *gv = xmalloc(sizeof(float) * (size_t)f.dim);
    memcpy(v0, v, sizeof(float) * (size_t)f.dim);
    train_batches bt;
    train_batches_make(s, batch_frames, 16, &bt);
    sp->loss_before = mean_loss(&f, s, &bt, v);
    optim_config oc;
    optim_config_default(&oc);
    oc.lr = cfg->lr;
    optimizer o;
    optim_init(&o, &oc, (size_t)f.dim);
    for (int e = 0; e < cfg->epochs; e++)
        for (int k = 0; k < bt.n; k++) {
            int u;
            int B = bt.start[k + 1] - bt.start[k];
            batch(&f, s, bt.idx + bt.start[k], B, v, gv, 1.0f / (float)B, &u);
            if (!u) continue;
            /* The pull toward the source model: d/dv L2 |v - v0|^2. */
            for (int i = 0; i < f.dim; i++) gv[i] += 2 * cfg->l2 * (v[i] - v0[i]);
            double norm = optim_step(&o, v, gv, cfg->lr);
            if (!isfinite(norm)) { /* a diverged fit leaves the speaker unadapted */
                memcpy(v, v0, sizeof(float) * (size_t)f.dim);
                e = cfg->epochs;
                break;
            }
        }
    sp->loss_after = mean_loss(&f, s, &bt, v);
    if (!(sp->loss_after <= sp->loss_before)) {
        /* Never worse than the source on what it was fitted to. */
        memcpy(v, v0, sizeof(float) * (size_t)f.dim);
        sp->loss_after = sp->loss_before;
    }
    optim_free(&o);
    train_batches_free(&bt);
    fitter_free(&f);
    free(v0);
    free(gv);
}

/* The kept utterances of C (per KEEP) as a train_set over S's features with
 * targets: the references (supervised) or the first pass's hypotheses. */
static int targets(const asr_model *m, const corpus *c, const train_set *s,
                   const pipeline_result *first, const unsigned char *keep, int supervised,
                   train_set *out, corpus *tc)
{
    corpus_select(c, keep, tc);
    memset(out, 0, sizeof *out);
    out->dim = s->dim;
    out->x = xcalloc((size_t)(tc->n ? tc->n : 1), sizeof(float *));
    out->T = xcalloc((size_t)(tc->n ? tc->n : 1), sizeof(int));
    out->ids = xcalloc((size_t)(tc->n ? tc->n : 1), sizeof(char *));
    out->n = tc->n;
    for (int i = 0, j = 0; i < c->n; i++) {
        if (!keep[i]) continue;
        out->x[j] = s->x[i];
        out->T[j] = s->T[i];
        out->ids[j] = s->ids[i];
        if (!supervised) {
            corpus_utt *u = &tc->utts[j];
            free(u->text);
            u->text = xstrdup(first[i].words);
            free(u->phones);
            u->phones = m->ops->phone_units && first[i].units ? xstrdup(first[i].units) : NULL;
        }
        j++;
    }
    return asr_model_targets(m, tc, out, NULL);
}

/* Free a train_set made by targets (features are borrowed). */
static void targets_free(train_set *t, int nheads)
{
    for (int h = 0; h < nheads; h++) {
        if (!t->tg[h].y) continue;
        for (int i = 0; i < t->n; i++) free(t->tg[h].y[i]);
        free(t->tg[h].y);
        free(t->tg[h].L);
    }
    free(t->x);
    free(t->T);
    free(t->ids);
}

int adapt_fit(const asr_model *m, const corpus *c, const train_set *s, const pipeline_result *first,
              char *const *agree, const adapt_config *cfg, int batch_frames, speaker_xforms *x,
              adapt_stats *st)
{
    memset(st, 0, sizeof *st);
    int dim = xform_dim(cfg->kind, &m->net);
    if (dim == 0)
        return asr_error("adaptation %s: the network has no layer of that kind",
                         xform_kind_name(cfg->kind));
    if (cfg->supervised)
        for (int i = 0; i < c->n; i++)
            if (!c->utts[i].text)
                return asr_error("supervised adaptation needs transcripts (text)");
    speaker_xforms_init(x, cfg->kind, dim);
    char **names = NULL;
    int ns = 1;
    if (cfg->per_speaker) ns = corpus_speakers(c, &names);
    if (ns < 0) return -1;
    st->sp = xcalloc((size_t)(ns ? ns : 1), sizeof *st->sp);
    st->n = ns;
    unsigned char *keep = xmalloc((size_t)(c->n ? c->n : 1));
    float *v = xmalloc(sizeof(float) * (size_t)dim);
    double t0 = clock_seconds();
    int rc = 0;
    for (int k = 0; k < ns && rc == 0; k++) {
        adapt_speaker_stats *sp = &st->sp[k];
        sp->speaker = xstrdup(names ? names[k] : "*");
        double ts = clock_seconds();
        for (int i = 0; i < c->n; i++) {
            int mine = !names || !strcmp(c->utts[i].speaker, names[k]);
            sp->utterances += mine;
            keep[i] = mine && (cfg->supervised || (adapt_keeps(cfg, &first[i]) &&
                                                   (!agree || !strcmp(agree[i], first[i].words))));
            sp->used += keep[i];
            if (keep[i]) sp->kept_seconds += s->T[i] * (double)m->feats.hop_ms / 1000;
        }
        if (!sp->used || sp->kept_seconds < cfg->min_seconds) continue;
        sp->adapted = 1;
        train_set t;
        corpus tc;
        rc = targets(m, c, s, first, keep, cfg->supervised, &t, &tc);
        if (rc == 0) {
            fit_one(m, &t, cfg, batch_frames, v, sp);
            speaker_xforms_put(x, sp->speaker, v);
        }
        targets_free(&t, m->nheads);
        corpus_free(&tc);
        sp->seconds = clock_seconds() - ts;
    }
    st->seconds = clock_seconds() - t0;
    free(v);
    free(keep);
    for (int k = 0; names && k < ns; k++) free(names[k]);
    free(names);
    if (rc < 0) speaker_xforms_free(x);
    return rc;
}

/* Speakers of C's utterances, for asr_model_decode_speakers. */
static const char **speakers_of(const corpus *c)
{
    const char **sp = xmalloc(sizeof(char *) * (size_t)(c->n ? c->n : 1));
    for (int i = 0; i < c->n; i++) sp[i] = c->utts[i].speaker;
    return sp;
}

static void results_free(pipeline_result *r, int n)
{
    for (int i = 0; i < n; i++) pipeline_result_free(&r[i]);
    free(r);
}

/* Each result's words ("" for none, or rejected): C->n strings. */
static char **words_of(const pipeline_result *r, int n)
{
    char **w = xcalloc((size_t)(n ? n : 1), sizeof(char *));
    for (int i = 0; i < n; i++) w[i] = xstrdup(r[i].words ? r[i].words : "");
    return w;
}

/* S (the features of C) decoded by P as asr decode would: its stored search
 * and speaker transforms, each utterance as its speaker of C. */
static pipeline_result *decode_as_speakers(const asr_model *p, const corpus *c, const train_set *s,
                                           int batch_frames)
{
    pipeline_result *r = xcalloc((size_t)(c->n ? c->n : 1), sizeof *r);
    const char **sp = speakers_of(c);
    asr_model_decode_speakers(p, s, sp, batch_frames, r, NULL);
    free(sp);
    return r;
}

/* S decoded by M without its transforms: step 1. */
static pipeline_result *decode_plain(const asr_model *m, const corpus *c, const train_set *s,
                                     int batch_frames)
{
    asr_model base = *m;
    memset(&base.xf, 0, sizeof base.xf);
    pipeline_result *r = xcalloc((size_t)(c->n ? c->n : 1), sizeof *r);
    asr_model_decode(&base, NULL, s, batch_frames, r);
    return r;
}

static void words_free(char **w, int n)
{
    for (int i = 0; w && i < n; i++) free(w[i]);
    free(w);
}

/* Steps 2 and 3, CFG->rounds times, from FIRST (M's results without
 * transforms, step 1; taken and freed), keeping only the hypotheses AGREE
 * (when not NULL) holds too: adapt_estimate once the second opinion is known. */
static int estimate_with(const asr_model *m, const corpus *c, const train_set *s,
                         const adapt_config *cfg, char *const *agree, pipeline_result *first,
                         int batch_frames, speaker_xforms *x, adapt_stats *st)
{
    memset(x, 0, sizeof *x);
    memset(st, 0, sizeof *st);
    asr_model base = *m;
    memset(&base.xf, 0, sizeof base.xf);
    pipeline_result *res = first;
    const char **sp = speakers_of(c);
    double seconds = 0;
    int rc = 0;
    for (int r = 0; r < cfg->rounds && rc == 0; r++) {
        if (r > 0) {
            /* Self-training: the adapted model's hypotheses, surer and more
             * often right, are the next round's targets (fitted afresh). */
            base.xf = *x;
            pipeline_result *next = xcalloc((size_t)(c->n ? c->n : 1), sizeof *next);
            asr_model_decode_speakers(&base, s, cfg->per_speaker ? sp : NULL, batch_frames, next,
                                      NULL);
            memset(&base.xf, 0, sizeof base.xf);
            results_free(res, c->n);
            res = next;
            speaker_xforms_free(x);
            seconds += st->seconds;
            adapt_stats_free(st);
        }
        rc = adapt_fit(m, c, s, res, agree, cfg, batch_frames, x, st);
    }
    st->seconds += seconds;
    results_free(res, c->n);
    free(sp);
    return rc;
}

/* The words CFG->agree's model hears in each utterance of C into *OUT (C->n
 * strings), decoded as asr decode would (decode_as_speakers) with its own
 * features (S, M's, when they are the same). With CFG->cotrain it is adapted
 * first, as `asr adapt --model AGREE --agree M` would adapt it: to the
 * hypotheses it shares with M unadapted (MINE: M's step-1 results; its
 * fitting time into *SECONDS). Either way a partner adapted to these
 * speakers makes this co-training: each model adapts to the other's adapted
 * hypotheses, surer and more often right than its first ones. */
static int partner_words(const adapt_config *cfg, const asr_model *m, const corpus *c,
                         const train_set *s, const pipeline_result *mine, int batch_frames,
                         char ***out, double *seconds)
{
    asr_model p;
    asr_options none; /* no search setting given: the model's stored ones */
    options_init(&none);
    int rc = asr_model_load(cfg->agree, &none.search, &p);
    options_free(&none);
    if (rc < 0) return asr_error("--agree: %s", asr_last_error());
    train_set ps;
    memset(&ps, 0, sizeof ps);
    int own = !features_config_same(&p.feats, &m->feats);
    /* Features on one thread: they are a small part of the decoding. */
    if (own && asr_model_heard_features(&p.feats, c, 1, cfg->no_trim, &ps, NULL) < 0) {
        asr_model_free(&p);
        return -1;
    }
    const train_set *pset = own ? &ps : s;
    if (cfg->cotrain) {
        char **heard = words_of(mine, c->n);
        speaker_xforms px;
        adapt_stats pst;
        speaker_xforms_free(&p.xf); /* replaced, as asr adapt replaces them */
        rc = estimate_with(&p, c, pset, cfg, heard, decode_plain(&p, c, pset, batch_frames),
                           batch_frames, &px, &pst);
        words_free(heard, c->n);
        if (rc == 0) {
            p.xf = px;
            *seconds = pst.seconds;
        }
        adapt_stats_free(&pst);
    }
    if (rc == 0) {
        pipeline_result *r = decode_as_speakers(&p, c, pset, batch_frames);
        *out = words_of(r, c->n);
        results_free(r, c->n);
    }
    train_set_free(&ps);
    asr_model_free(&p);
    return rc < 0 ? asr_error("--agree --cotrain: %s", asr_last_error()) : 0;
}

int adapt_estimate(const asr_model *m, const corpus *c, const train_set *s, const adapt_config *cfg,
                   int batch_frames, speaker_xforms *x, adapt_stats *st)
{
    memset(x, 0, sizeof *x);
    memset(st, 0, sizeof *st);
    pipeline_result *first = decode_plain(m, c, s, batch_frames);
    char **agree = NULL;
    double partner_seconds = 0;
    if (cfg->agree && !cfg->supervised &&
        partner_words(cfg, m, c, s, first, batch_frames, &agree, &partner_seconds) < 0) {
        results_free(first, c->n);
        return -1;
    }
    int rc = estimate_with(m, c, s, cfg, agree, first, batch_frames, x, st);
    st->seconds += partner_seconds;
    words_free(agree, c->n);
    return rc;
}

int adapt_decode_two_pass(const asr_model *m, const corpus *c, const train_set *s,
                          const adapt_config *cfg, int batch_frames, pipeline_result *res,
                          adapt_stats *st)
{
    speaker_xforms x;
    if (adapt_estimate(m, c, s, cfg, batch_frames, &x, st) < 0) return -1;
    asr_model base = *m;
    base.xf = x;
    const char **sp = speakers_of(c);
    asr_model_decode_speakers(&base, s, cfg->per_speaker ? sp : NULL, batch_frames, res, NULL);
    free(sp);
    speaker_xforms_free(&x);
    return 0;
}

int asr_adapt(const asr_adapt_job *j, adapt_stats *st)
{
    memset(st, 0, sizeof *st);
    if (io_set_input(j->io, j->model) < 0 ||
        (j->cfg.agree && io_set_input(j->io, j->cfg.agree) < 0))
        return -1;
    asr_model m;
    model_file f; /* kept to be written again with the transforms */
    if (asr_model_load_file(j->model, &j->conf->search, &m, &f) < 0) return -1;
    corpus c;
    int rc = j->cfg.supervised ? corpus_read(j->data, &c) : corpus_read_untranscribed(j->data, &c);
    if (rc < 0) {
        asr_model_free(&m);
        model_file_free(&f);
        return -1;
    }
    train_set s;
    memset(&s, 0, sizeof s);
    speaker_xforms x;
    memset(&x, 0, sizeof x);
    rc = -1;
    if (corpus_add_inputs(j->io, j->data, &c) < 0) goto done;
    if (c.n == 0) {
        asr_error("%s: no utterance", j->data);
        goto done;
    }
    if (asr_model_heard_features(&m.feats, &c, j->conf->threads, j->cfg.no_trim, &s, NULL) < 0)
        goto done;
    /* The first pass is the source model's: adaptation starts from it, and
     * the new transforms replace any the model had. */
    speaker_xforms_free(&m.xf);
    if (adapt_estimate(&m, &c, &s, &j->cfg, j->conf->train.batch_frames, &x, st) < 0) goto done;
    if (x.n == 0) {
        asr_error("%s: no speaker has %g s of confident audio to adapt to (confidence >= %g%s): "
                  "give more audio, or lower --min-seconds or --min-confidence",
                  j->data, j->cfg.min_seconds, adapt_min_conf(&j->cfg),
                  j->cfg.agree ? ", heard alike by --agree's model" : "");
        goto done;
    }
    speaker_xforms_save(&x, &f);
    rc = asr_model_file_write(&f, j->io, j->out);
done:
    speaker_xforms_free(&x);
    train_set_free(&s);
    corpus_free(&c);
    asr_model_free(&m);
    model_file_free(&f);
    return rc;
}
