/* trainer.c — batching, the epoch loop, checkpoints and early stopping; see trainer.h. */
#include "nn/trainer.h"

#include "base/alloc.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/log.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

void trainer_config_default(trainer_config *c)
{
    memset(c, 0, sizeof *c);
    optim_config_default(&c->opt);
    c->epochs = 20;
    c->batch_frames = 6000;
    c->max_batch = 64;
    c->seed = 1;
    c->aug = (specaug_config){2, 4, 2, 10, 0.1f};
    c->patience = 0;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ---- batching ---- */

static const train_set *sort_set;
static int by_length(const void *a, const void *b)
{
    int i = *(const int *)a, j = *(const int *)b;
    if (sort_set->T[i] != sort_set->T[j]) return sort_set->T[i] - sort_set->T[j];
    return i - j;
}

void train_batches_make(const train_set *s, int batch_frames, int max_batch, train_batches *bt)
{
    bt->idx = xmalloc((size_t)(s->n ? s->n : 1) * sizeof(int));
    bt->start = xmalloc(((size_t)s->n + 1) * sizeof(int));
    for (int i = 0; i < s->n; i++) bt->idx[i] = i;
    sort_set = s;
    qsort(bt->idx, (size_t)s->n, sizeof(int), by_length);
    bt->n = 0;
    int i = 0;
    while (i < s->n) {
        bt->start[bt->n++] = i;
        int k = 1;
        while (i + k < s->n && k < max_batch &&
               (long)(k + 1) * s->T[bt->idx[i + k]] <= (long)batch_frames)
            k++;
        i += k;
    }
    bt->start[bt->n] = s->n;
}

void train_batches_free(train_batches *bt)
{
    free(bt->idx);
    free(bt->start);
}

float *train_batch_assemble(const train_set *s, const int *idx, int B, int *lens, int *Tmax)
{
    int T = 0;
    for (int b = 0; b < B; b++) {
        lens[b] = s->T[idx[b]];
        if (lens[b] > T) T = lens[b];
    }
    float *x = xcalloc((size_t)B * (T ? T : 1) * s->dim, sizeof(float));
    for (int b = 0; b < B; b++)
        memcpy(x + (size_t)b * T * s->dim, s->x[idx[b]], (size_t)lens[b] * s->dim * sizeof(float));
    *Tmax = T;
    return x;
}

/* The heads of a run: C's, or one CTC head over all V outputs in *ONE. */
static const mt_head *run_heads(const mt_head *heads, int *nheads, int V, mt_head *one)
{
    if (heads) return heads;
    *one = multitask_single(V);
    *nheads = 1;
    return one;
}

/* The multi-task loss over the batch: per-utterance losses into LOSS[b]
 * (INFINITY when unusable) and per-head ones into HEAD_LOSS[b * nheads + h],
 * gradients (scaled by SCALE) into DLOGITS, zero past each end. */
static void batch_loss(const mt_head *heads, int nheads, const train_set *s, const int *idx, int B,
                       const float *logits, int To, const int *out_lens, int V, float *dlogits,
                       float scale, double *loss, double *head_loss)
{
#pragma omp parallel for schedule(dynamic, 1)
    for (int b = 0; b < B; b++) {
        const float *lg = logits + (size_t)b * To * V;
        float *g = dlogits ? dlogits + (size_t)b * To * V : NULL;
        int u = idx[b];
        const int *labels[MT_MAX_HEADS];
        int lens[MT_MAX_HEADS];
        for (int h = 0; h < nheads; h++) {
            labels[h] = s->tg[h].y[u];
            lens[h] = s->tg[h].L[u];
        }
        loss[b] = multitask_loss(heads, nheads, lg, out_lens[b], V, labels, lens, g, scale,
                                 head_loss + (size_t)b * nheads);
        if (g)
            memset(g + (size_t)out_lens[b] * V, 0, (size_t)(To - out_lens[b]) * V * sizeof(float));
    }
}

double trainer_eval_loss(const network *net, const float *params, const train_set *set,
                         const mt_head *heads, int nheads, int batch_frames, int max_batch)
{
    mt_head one;
    heads = run_heads(heads, &nheads, net->out_dim, &one);
    train_batches bt;
    train_batches_make(set, batch_frames, max_batch, &bt);
    network_work w;
    network_work_init(&w, net);
    int *lens = xmalloc((size_t)(max_batch + 1) * sizeof(int));
    int *olens = xmalloc((size_t)(max_batch + 1) * sizeof(int));
    double *loss = xmalloc((size_t)(max_batch + 1) * sizeof(double));
    double *hloss = xmalloc((size_t)(max_batch + 1) * nheads * sizeof(double));
    double total = 0;
    int counted = 0;
    for (int k = 0; k < bt.n; k++) {
        const int *idx = bt.idx + bt.start[k];
        int B = bt.start[k + 1] - bt.start[k], T, To;
        float *x = train_batch_assemble(set, idx, B, lens, &T);
        const float *logits = network_forward(net, params, &w, x, lens, B, T, 0, NULL, &To, olens);
        batch_loss(heads, nheads, set, idx, B, logits, To, olens, net->out_dim, NULL, 1, loss,
                   hloss);
        for (int b = 0; b < B; b++)
            if (isfinite(loss[b])) total += loss[b], counted++;
        free(x);
    }
    free(lens);
    free(olens);
    free(loss);
    free(hloss);
    network_work_free(&w, net);
    train_batches_free(&bt);
    return counted ? total / counted : INFINITY;
}

/* ---- checkpoints ---- */

typedef struct {
    int epoch; /* epochs completed */
    long step;
    double best; /* best validation score (error, or loss) */
    double best_loss;
    int best_epoch;    /* 1-based; 0 = none yet */
    uint64_t train_fp; /* data_fingerprint of the training and validation sets */
    uint64_t valid_fp;
} train_state;

/* 64-bit FNV-1a over what an epoch's updates depend on: every utterance's
 * id, frame count and targets. Resuming on other data would silently mix
 * two experiments; equal fingerprints say the data are the same. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ULL;
    return h;
}

static uint64_t data_fingerprint(const train_set *s)
{
    uint64_t h = 14695981039346656037ULL;
    if (!s) return h;
    h = fnv(h, &s->n, sizeof s->n);
    h = fnv(h, &s->dim, sizeof s->dim);
    for (int i = 0; i < s->n; i++) {
        h = fnv(h, s->ids[i], strlen(s->ids[i]) + 1);
        h = fnv(h, &s->T[i], sizeof s->T[i]);
        for (int k = 0; k < s->nheads; k++) {
            int L = s->tg[k].y[i] ? s->tg[k].L[i] : -1;
            h = fnv(h, &L, sizeof L);
            if (L > 0) h = fnv(h, s->tg[k].y[i], (size_t)L * sizeof(int));
        }
    }
    return h;
}

static char *path_in(const char *dir, const char *name)
{
    char *p = xmalloc(strlen(dir) + strlen(name) + 2);
    sprintf(p, "%s/%s", dir, name);
    return p;
}

static int write_model(const char *path, const model_file *base, const float *params, size_t n,
                       const optimizer *o, const train_state *st)
{
    model_file m;
    model_file_init(&m);
    for (int i = 0; i < base->n; i++)
        model_file_put(&m, base->sections[i].name, base->sections[i].data, base->sections[i].size);
    model_file_put(&m, "weights", params, n * sizeof(float));
    if (o) {
        model_file_put(&m, "optimizer.m", o->m, o->n * sizeof(float));
        model_file_put(&m, "optimizer.v", o->v, o->n * sizeof(float));
        char buf[256];
        snprintf(buf, sizeof buf,
                 "epoch=%d\nstep=%ld\nbest=%.17g\nbest_loss=%.17g\nbest_epoch=%d\n"
                 "train_data=%016llx\nvalid_data=%016llx\n",
                 st->epoch, st->step, st->best, st->best_loss, st->best_epoch,
                 (unsigned long long)st->train_fp, (unsigned long long)st->valid_fp);
        model_file_put_text(&m, "trainer", buf);
    }
    int rc = model_file_write(&m, path);
    model_file_free(&m);
    return rc;
}

static int all_finite(const void *data, size_t n)
{
    const float *x = data;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i])) return 0;
    return 1;
}

/* The trainer section written above, read back with every number checked (a
 * checkpoint is a file like any other): how many of the 7 keys were read
 * well, -1 on anything malformed. */
static int parse_state(const char *text, train_state *st, unsigned long long *tfp,
                       unsigned long long *vfp)
{
    char *copy = xstrdup(text), *save = NULL;
    int got = 0, bad = 0;
    for (char *l = strtok_r(copy, "\n", &save); l && !bad; l = strtok_r(NULL, "\n", &save)) {
        char *v = strchr(l, '='), *end;
        if (!v) {
            bad = 1;
            break;
        }
        *v++ = '\0';
        errno = 0;
        if (!strcmp(l, "epoch") || !strcmp(l, "best_epoch") || !strcmp(l, "step")) {
            long x = strtol(v, &end, 10);
            bad = end == v || *end || errno || x < 0 || (l[0] != 's' && x > 1000000);
            if (!strcmp(l, "step"))
                st->step = x;
            else
                *(l[0] == 'e' ? &st->epoch : &st->best_epoch) = (int)x;
        } else if (!strcmp(l, "best") || !strcmp(l, "best_loss")) {
            double x = strtod(v, &end); /* inf before any epoch was scored */
            bad = end == v || *end || isnan(x);
            *(l[4] ? &st->best_loss : &st->best) = x;
        } else if (!strcmp(l, "train_data") || !strcmp(l, "valid_data")) {
            unsigned long long x = strtoull(v, &end, 16);
            bad = end == v || *end || errno || *v == '-';
            *(l[0] == 't' ? tfp : vfp) = x;
        } else {
            bad = 1;
        }
        got++;
    }
    free(copy);
    return bad ? -1 : got;
}

static int read_checkpoint(const char *path, float *params, size_t n, optimizer *o, train_state *st)
{
    model_file m;
    if (model_file_read(path, &m) < 0) return -1;
    const model_section *w = model_file_get(&m, "weights");
    const model_section *mm = model_file_get(&m, "optimizer.m");
    const model_section *vv = model_file_get(&m, "optimizer.v");
    const char *t = model_file_text(&m, "trainer");
    int rc = -1;
    if (!w || !mm || !vv || !t || w->size != n * sizeof(float) ||
        mm->size != o->n * sizeof(float) || vv->size != mm->size) {
        asr_error("%s: not a checkpoint of this network and frozen layers (sections or sizes "
                  "differ)",
                  path);
        goto done;
    }
    unsigned long long tfp = 0, vfp = 0;
    int got = parse_state(t, st, &tfp, &vfp);
    if (got < 5 || st->best_epoch > st->epoch || !all_finite(w->data, n) ||
        !all_finite(mm->data, o->n) || !all_finite(vv->data, o->n)) {
        asr_error("%s: damaged trainer state (or weights that are not finite)", path);
        goto done;
    }
    if (got != 7) {
        asr_error("%s: a checkpoint without the fingerprint of its data (an older asr): cannot "
                  "tell whether this run's data are the same; start afresh",
                  path);
        goto done;
    }
    if (tfp != st->train_fp || vfp != st->valid_fp) {
        asr_error("%s: was trained on other %s data than this run's (fingerprint %016llx, now "
                  "%016llx): --resume continues a run on the same --train and --valid",
                  path, tfp != st->train_fp ? "training" : "validation",
                  tfp != st->train_fp ? tfp : vfp,
                  (unsigned long long)(tfp != st->train_fp ? st->train_fp : st->valid_fp));
        goto done;
    }
    memcpy(params, w->data, w->size);
    memcpy(o->m, mm->data, mm->size);
    memcpy(o->v, vv->data, vv->size);
    o->step = st->step;
    rc = 0;
done:
    model_file_free(&m);
    return rc;
}

/* ---- the loop ---- */

/* Append LINE to the log at PATH: written and synced, or an error (a full
 * disk stops training rather than leaving a log that lies). */
static int log_append(const char *path, const char *line)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0) return asr_error("%s: cannot append: %s", path, strerror(errno));
    size_t n = strlen(line);
    ssize_t w = write(fd, line, n);
    int ok = w == (ssize_t)n;
    const char *why = ok ? NULL : w < 0 ? strerror(errno) : "short write (disk full?)";
    if (ok && fsync(fd) != 0) {
        ok = 0;
        why = strerror(errno);
    }
    close(fd);
    return ok ? 0 : asr_error("%s: write failed: %s", path, why);
}

/* On resume, the log keeps its header and the lines of the EPOCHS epochs
 * the checkpoint holds: a line written for an epoch whose checkpoint never
 * made it to disk is replayed, not duplicated. */
static int log_truncate(const char *path, int epochs)
{
    line_reader lr;
    if (line_reader_open(&lr, path) < 0) return -1;
    atomic_file af;
    if (atomic_file_open(&af, path, "w") < 0) {
        line_reader_close(&lr);
        return -1;
    }
    char *line;
    for (int k = 0; k <= epochs && (line = line_reader_next(&lr)); k++)
        fprintf(af.fp, "%s\n", line);
    int bad = line_reader_error(&lr);
    line_reader_close(&lr);
    if (bad < 0) {
        atomic_file_abort(&af);
        return -1;
    }
    return atomic_file_commit(&af);
}

static void format_eta(double s, char *buf, size_t n)
{
    if (s < 60)
        snprintf(buf, n, "%.0fs", s);
    else
        snprintf(buf, n, "%dm%02ds", (int)(s / 60), (int)s % 60);
}

int trainer_run(const network *net, float *params, const train_set *train, const train_set *valid,
                const trainer_config *c, const model_file *base, int resume)
{
    size_t np = net->num_params;
    int V = net->out_dim;
    mt_head one;
    int nheads = c->nheads;
    const mt_head *heads = run_heads(c->heads, &nheads, V, &one);
    if (multitask_check(heads, nheads, V) < 0) return -1;
    if (train->nheads != nheads || (valid && valid->nheads != nheads))
        return asr_error("the data have targets for %d output heads, the training %d",
                         train->nheads != nheads ? train->nheads : valid->nheads, nheads);
    if (c->freeze < 0 || c->freeze > net->n)
        return asr_error("cannot freeze %d layers of a %d-layer network", c->freeze, net->n);
    if (make_dirs(c->exp_dir) != 0)
        return asr_error("%s: cannot create the experiment directory: %s", c->exp_dir,
                         strerror(errno));
    char *ckpt = path_in(c->exp_dir, "checkpoint.mdl");
    char *bestp = path_in(c->exp_dir, "best.mdl");
    char *finalp = path_in(c->exp_dir, "final.mdl");
    char *logp = path_in(c->exp_dir, "log.tsv");
    optimizer opt;
    /* Frozen layers own the arena's head; the optimizer sees only the tail. */
    size_t frozen = network_param_offset(net, c->freeze);
    optim_init(&opt, &c->opt, np - frozen);
    train_state st = {
        0, 0, INFINITY, INFINITY, 0, data_fingerprint(train), data_fingerprint(valid)};
    float *best_params = xmalloc(np * sizeof(float));
    memcpy(best_params, params, np * sizeof(float));
    int rc = -1;
    if (resume) {
        if (read_checkpoint(ckpt, params, np, &opt, &st) < 0 || log_truncate(logp, st.epoch) < 0)
            goto out;
        if (st.best_epoch > 0) {
            model_file bm;
            if (model_file_read(bestp, &bm) < 0) goto out;
            const model_section *w = model_file_get(&bm, "weights");
            if (!w || w->size != np * sizeof(float)) {
                model_file_free(&bm);
                asr_error("%s: weights do not match the network", bestp);
                goto out;
            }
            memcpy(best_params, w->data, w->size);
            model_file_free(&bm);
        }
        if (!c->quiet)
            asr_log(ASR_LOG_INFO, "train: resuming after epoch %d (step %ld) from %s", st.epoch,
                    st.step, ckpt);
    } else {
        /* A fresh run starts a fresh log. */
        atomic_file af;
        if (atomic_file_open(&af, logp, "w") < 0) goto out;
        fprintf(af.fp, "epoch\tlr\ttrain_loss\tvalid_loss\tvalid_error\tutts_per_s\tframes_per_s"
                       "\tgflops\tseconds");
        /* Several heads: each one's mean training loss, where it has labels. */
        for (int h = 0; nheads > 1 && h < nheads; h++)
            fprintf(af.fp, "\ttrain_loss.%s", heads[h].name);
        fputc('\n', af.fp);
        if (atomic_file_commit(&af) < 0) goto out;
    }

    train_batches bt;
    train_batches_make(train, c->batch_frames, c->max_batch, &bt);
    int *order = xmalloc((size_t)(bt.n ? bt.n : 1) * sizeof(int));
    int *lens = xmalloc((size_t)(c->max_batch + 1) * sizeof(int));
    int *olens = xmalloc((size_t)(c->max_batch + 1) * sizeof(int));
    double *loss = xmalloc((size_t)(c->max_batch + 1) * sizeof(double));
    double *hloss = xmalloc((size_t)(c->max_batch + 1) * nheads * sizeof(double));
    float *grads = xcalloc(np ? np : 1, sizeof(float));
    float *dlogits = NULL;
    size_t dcap = 0;
    network_work w;
    network_work_init(&w, net);
    w.frozen = c->freeze;
    long total_frames = 0;
    for (int i = 0; i < train->n; i++) total_frames += train->T[i];
    int stale = st.best_epoch ? st.epoch - st.best_epoch : 0;

    for (int epoch = st.epoch; epoch < c->epochs; epoch++) {
        if (c->patience > 0 && st.best_epoch > 0 && stale >= c->patience) {
            if (!c->quiet)
                asr_log(ASR_LOG_INFO,
                        "train: early stop: no improvement for %d epochs (best epoch %d)", stale,
                        st.best_epoch);
            break;
        }
        rng_state shuffle;
        rng_seed(&shuffle, c->seed * 1000003ULL + (uint64_t)epoch);
        for (int k = 0; k < bt.n; k++) order[k] = k;
        rng_shuffle_int(&shuffle, order, bt.n);
        double t0 = now_seconds(), sum_loss = 0, last_report = t0;
        long frames_done = 0;
        double flops_done = 0;
        int utts_done = 0, counted = 0, skipped = 0;
        double head_sum[MT_MAX_HEADS] = {0};
        int head_counted[MT_MAX_HEADS] = {0};
        float lr = 0;
        for (int k = 0; k < bt.n; k++) {
            int bi = order[k];
            const int *idx = bt.idx + bt.start[bi];
            int B = bt.start[bi + 1] - bt.start[bi], T, To;
            rng_state r;
            rng_seed(&r, (c->seed * 1000003ULL + (uint64_t)epoch) * 1000003ULL + (uint64_t)bi);
            float *x = train_batch_assemble(train, idx, B, lens, &T);
            if (c->specaug)
                for (int b = 0; b < B; b++)
                    specaug_apply(x + (size_t)b * T * train->dim, lens[b], train->dim,
                                  c->static_dim, &c->aug, &r);
            const float *logits =
                network_forward(net, params, &w, x, lens, B, T, 1, &r, &To, olens);
            size_t nd = (size_t)B * To * V;
            if (nd > dcap) {
                free(dlogits);
                dcap = nd + nd / 4;
                dlogits = xmalloc(dcap * sizeof(float));
            }
            batch_loss(heads, nheads, train, idx, B, logits, To, olens, V, dlogits, 1.0f / (float)B,
                       loss, hloss);
            for (int b = 0; b < B; b++) {
                if (isnan(loss[b]) || loss[b] == -INFINITY) {
                    asr_error("epoch %d: loss is %g on utterance %s; training stopped (last good "
                              "checkpoint: %s)",
                              epoch + 1, loss[b], train->ids[idx[b]], ckpt);
                    free(x);
                    goto stop;
                }
                const double *hl = hloss + (size_t)b * nheads;
                if (isinf(loss[b])) {
                    int h = 0;
                    while (h + 1 < nheads && hl[h] != INFINITY) h++;
                    if (epoch == st.epoch && !c->quiet)
                        asr_log(ASR_LOG_WARNING,
                                "train: warning: utterance %s: %d frames after subsampling %s "
                                "its %d %stargets%s; skipped",
                                train->ids[idx[b]], olens[b],
                                heads[h].loss == MT_CTC ? "are too few for" : "do not match",
                                train->tg[h].L[idx[b]], nheads > 1 ? heads[h].name : "",
                                nheads > 1 ? " head" : "");
                    skipped++;
                    continue;
                }
                sum_loss += loss[b];
                counted++;
                for (int h = 0; h < nheads; h++)
                    if (train->tg[h].y[idx[b]]) head_sum[h] += hl[h], head_counted[h]++;
            }
            memset(grads + frozen, 0, (np - frozen) * sizeof(float));
            network_backward(net, params, grads, &w, dlogits, NULL);
            lr = optim_lr(&c->opt, opt.step, epoch);
            double gnorm = optim_step(&opt, params + frozen, grads + frozen, lr);
            if (!isfinite(gnorm)) {
                asr_error("epoch %d: gradient norm is %g in the batch starting with utterance %s; "
                          "training stopped (last good checkpoint: %s)",
                          epoch + 1, gnorm, train->ids[idx[0]], ckpt);
                free(x);
                goto stop;
            }
            free(x);
            utts_done += B;
            flops_done += 3.0 * B * network_flops(net, T);
            for (int b = 0; b < B; b++) frames_done += lens[b];
            double now = now_seconds();
            if (!c->quiet && now - last_report > 2.0) {
                last_report = now;
                char eta[32];
                double rate = frames_done / (now - t0);
                format_eta((total_frames - frames_done) / rate +
                               (c->epochs - epoch - 1) * total_frames / rate,
                           eta, sizeof eta);
                asr_log(ASR_LOG_PROGRESS,
                        "train: epoch %d/%d %3.0f%%  %.0f utt/s  loss %.3f  ETA %s", epoch + 1,
                        c->epochs, 100.0 * frames_done / total_frames, utts_done / (now - t0),
                        counted ? sum_loss / counted : 0.0, eta);
            }
        }
        double t1 = now_seconds();
        double vloss = valid && valid->n ? trainer_eval_loss(net, params, valid, heads, nheads,
                                                             c->batch_frames, c->max_batch)
                                         : NAN;
        double verr = c->validate ? c->validate(c->ctx, net, params) : NAN;
        double score = c->validate ? verr : vloss;
        st.epoch = epoch + 1;
        st.step = opt.step;
        int improved =
            isfinite(score) && (score < st.best || (score == st.best && vloss < st.best_loss));
        if (improved || st.best_epoch == 0) {
            st.best = score;
            st.best_loss = vloss;
            st.best_epoch = epoch + 1;
            memcpy(best_params, params, np * sizeof(float));
            if (write_model(bestp, base, params, np, NULL, NULL) < 0) goto stop;
            stale = 0;
        } else {
            stale++;
        }
        double secs = t1 - t0;
        double gflops = flops_done / secs / 1e9;
        /* The log line first, then the checkpoint: see log_truncate. */
        char line[256 + MT_MAX_HEADS * 24];
        int used = snprintf(line, sizeof line, "%d\t%.6g\t%.5f\t%.5f\t%.3f\t%.1f\t%.0f\t%.2f\t%.2f",
                            epoch + 1, lr, counted ? sum_loss / counted : NAN, vloss, verr,
                            utts_done / secs, frames_done / secs, gflops, secs);
        for (int h = 0; nheads > 1 && h < nheads; h++)
            used += snprintf(line + used, sizeof line - (size_t)used, "\t%.5f",
                             head_counted[h] ? head_sum[h] / head_counted[h] : NAN);
        snprintf(line + used, sizeof line - (size_t)used, "\n");
        if (log_append(logp, line) < 0) goto stop;
        if (write_model(ckpt, base, params, np, &opt, &st) < 0) goto stop;
        if (!c->quiet) {
            char per_head[MT_MAX_HEADS * 48] = "";
            for (int h = 0, n = 0; nheads > 1 && h < nheads && n < (int)sizeof per_head; h++)
                n += snprintf(per_head + n, sizeof per_head - (size_t)n, "%s%s %.4f",
                              h ? ", " : " (", heads[h].name,
                              head_counted[h] ? head_sum[h] / head_counted[h] : NAN);
            asr_log(ASR_LOG_INFO,
                    "train: epoch %d/%d  loss %.4f%s%s  valid loss %.4f  valid error %.2f%%  "
                    "%.0f utt/s  %.1f GFLOP/s  %.1fs%s%s",
                    epoch + 1, c->epochs, counted ? sum_loss / counted : NAN, per_head,
                    nheads > 1 ? ")" : "", vloss, verr, utts_done / secs, gflops, secs,
                    improved ? "  *best*" : "",
                    skipped && epoch == 0 ? "  (some utterances skipped)" : "");
        }
    }
    memcpy(params, best_params, np * sizeof(float));
    if (write_model(finalp, base, params, np, NULL, NULL) < 0) goto stop;
    if (!c->quiet) asr_log(ASR_LOG_INFO, "train: wrote %s (best epoch %d)", finalp, st.best_epoch);
    rc = 0;
stop:
    network_work_free(&w, net);
    free(dlogits);
    free(grads);
    free(loss);
    free(hloss);
    free(lens);
    free(olens);
    free(order);
    train_batches_free(&bt);
out:
    optim_free(&opt);
    free(best_params);
    free(ckpt);
    free(bestp);
    free(finalp);
    free(logp);
    return rc;
}
