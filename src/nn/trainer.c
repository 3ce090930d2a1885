/* trainer.c — batching, the epoch loop, checkpoints and early stopping; see trainer.h. */
#include "nn/trainer.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "base/progress.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/log.h"
#include "base/parallel.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#ifdef _OPENMP
#include <omp.h>
#endif

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
    c->shards = 4;
    c->ema = 0;
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

/* Each validation batch whole on one thread, as a training shard is (see
 * rank_shards): the loss of every utterance into its own place, summed in
 * utterance order afterwards. So the validation loss, which decides the
 * best epoch and is stored in the checkpoint, is the same float on any
 * number of threads; a batch forward split over threads is not on every
 * CPU (OpenBLAS's kernels for some CPUs round a GEMM split over two
 * threads differently from one, as seen under valgrind's emulated CPU). */
double trainer_eval_loss(const network *net, const float *params, const train_set *set,
                         const mt_head *heads, int nheads, int batch_frames, int max_batch)
{
    mt_head one;
    heads = run_heads(heads, &nheads, net->out_dim, &one);
    train_batches bt;
    train_batches_make(set, batch_frames, max_batch, &bt);
    double *loss = xmalloc((size_t)(set->n + 1) * sizeof(double));
    int nt = 1;
#ifdef _OPENMP
    nt = omp_get_max_threads();
#endif
#pragma omp parallel num_threads(nt)
    {
        network_work w;
        network_work_init(&w, net);
        int *lens = xmalloc((size_t)(max_batch + 1) * sizeof(int));
        int *olens = xmalloc((size_t)(max_batch + 1) * sizeof(int));
        double *hloss = xmalloc((size_t)(max_batch + 1) * nheads * sizeof(double));
#pragma omp for schedule(dynamic, 1)
        for (int k = 0; k < bt.n; k++) {
            const int *idx = bt.idx + bt.start[k];
            int B = bt.start[k + 1] - bt.start[k], T, To;
            float *x = train_batch_assemble(set, idx, B, lens, &T);
            const float *logits =
                network_forward(net, params, &w, x, lens, B, T, 0, NULL, &To, olens);
            batch_loss(heads, nheads, set, idx, B, logits, To, olens, net->out_dim, NULL, 1,
                       loss + bt.start[k], hloss);
            free(x);
        }
        free(lens);
        free(olens);
        free(hloss);
        network_work_free(&w, net);
    }
    double total = 0;
    int counted = 0;
    for (int i = 0; i < set->n; i++)
        if (isfinite(loss[i])) total += loss[i], counted++;
    free(loss);
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

static int write_model(const io_set *io, const char *path, const model_file *base,
                       const float *params, size_t n, const optimizer *o, const train_state *st,
                       const float *avg)
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
        if (avg) model_file_put(&m, "weights.ema", avg, n * sizeof(float));
    }
    int rc = model_file_write(&m, io, path);
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

static int read_checkpoint(const char *path, float *params, size_t n, optimizer *o, train_state *st,
                           float *avg)
{
    model_file m;
    if (model_file_read(path, &m) < 0) return -1;
    const model_section *w = model_file_get(&m, "weights");
    const model_section *a = model_file_get(&m, "weights.ema");
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
    if (avg && (!a || a->size != w->size || !all_finite(a->data, n))) {
        asr_error("%s: no weight average (ema) in the checkpoint: the run was started with "
                  "another ema setting",
                  path);
        goto done;
    }
    if (avg) memcpy(avg, a->data, a->size);
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
static int log_append(const io_set *io, const char *path, const char *line)
{
    if (io_set_claim(io, path) < 0) return -1;
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
static int log_truncate(const io_set *io, const char *path, int epochs)
{
    line_reader lr;
    if (line_reader_open(&lr, path) < 0) return -1;
    atomic_file af;
    if (atomic_file_open(&af, io, path, "w") < 0) {
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

/* What one thread needs to forward and backpropagate a shard. */
typedef struct {
    network_work w;
    int *lens, *olens;
    float *dlogits;
    size_t dcap;
} shard_worker;

/* Everything one training run holds; the functions below each do one part
 * of it: open (resume or a fresh log), a step, an epoch, validation and the
 * best model, the log line and checkpoint. */
typedef struct {
    const network *net;
    float *params;
    const train_set *train, *valid;
    const trainer_config *c;
    const model_file *base;
    const mt_head *heads;
    mt_head one;
    int nheads, V;
    size_t np, frozen; /* parameters; the frozen head of the arena */
    char *ckpt, *bestp, *finalp, *logp;
    optimizer opt;
    train_state st;
    float *best_params;
    float *avg; /* the weight average (ema > 0), else NULL */
    int stale;  /* epochs since the best one */
    int writer; /* rank 0: writes the files, validates, reports */
    /* work buffers */
    train_batches bt;
    int *order;      /* batch order */
    int *perm, *sst; /* a batch's utterances by shard: shard s is perm[sst[s] .. sst[s + 1]) */
    double *loss, *hloss;
    float *grads;     /* the batch gradient (np; under MPI only this rank's slice is summed) */
    size_t ulo, uhi;  /* this rank's slice of the trained tail: it sums and updates only that */
    double *part;     /* the gradient's block sums of squares (optim_prepare) */
    float *slots;     /* frozen + shards * (np - frozen): shard s's trained gradients */
    shard_worker *wk; /* one per thread */
    int nworkers;
    long total_frames;
} run;

/* What one epoch adds up. */
typedef struct {
    double t0, last_report, sum_loss, flops;
    double comm; /* seconds in MPI collectives (base/parallel.h) during the steps */
    long frames;
    int utts, counted, skipped, steps;
    double head_sum[MT_MAX_HEADS];
    int head_counted[MT_MAX_HEADS];
    float lr;
} epoch_stats;

/* A resumed run: the checkpoint's state and the best weights so far. */
static int resume_state(run *r)
{
    if (read_checkpoint(r->ckpt, r->params, r->np, &r->opt, &r->st, r->avg) < 0 ||
        (r->writer && log_truncate(r->c->io, r->logp, r->st.epoch) < 0))
        return -1;
    if (r->st.best_epoch > 0) {
        model_file bm;
        if (model_file_read(r->bestp, &bm) < 0) return -1;
        const model_section *w = model_file_get(&bm, "weights");
        int ok = w && w->size == r->np * sizeof(float);
        if (ok) memcpy(r->best_params, w->data, w->size);
        model_file_free(&bm);
        if (!ok) return asr_error("%s: weights do not match the network", r->bestp);
    }
    if (!r->c->quiet)
        asr_log(ASR_LOG_INFO, "train: resuming after epoch %d (step %ld) from %s", r->st.epoch,
                r->st.step, r->ckpt);
    return 0;
}

/* A fresh run starts a fresh log: the header (and, with several heads, each
 * one's mean training loss where it has labels). */
static int start_log(run *r)
{
    if (!r->writer) return 0;
    atomic_file af;
    if (atomic_file_open(&af, r->c->io, r->logp, "w") < 0) return -1;
    fprintf(af.fp, "epoch\tlr\ttrain_loss\tvalid_loss\tvalid_error\tutts_per_s\tframes_per_s"
                   "\tgflops\tseconds");
    for (int h = 0; r->nheads > 1 && h < r->nheads; h++)
        fprintf(af.fp, "\ttrain_loss.%s", r->heads[h].name);
    fprintf(af.fp, "\tranks\tsteps\tcomm_seconds\n");
    return atomic_file_commit(&af);
}

static int run_open(run *r, const network *net, float *params, const train_set *train,
                    const train_set *valid, const trainer_config *c, const model_file *base)
{
    memset(r, 0, sizeof *r);
    *r = (run){.net = net,
               .params = params,
               .train = train,
               .valid = valid,
               .c = c,
               .base = base,
               .np = net->num_params,
               .V = net->out_dim,
               .nheads = c->nheads,
               .writer = par_rank() == 0};
    r->heads = run_heads(c->heads, &r->nheads, r->V, &r->one);
    if (multitask_check(r->heads, r->nheads, r->V) < 0) return -1;
    if (train->nheads != r->nheads || (valid && valid->nheads != r->nheads))
        return asr_error("the data have targets for %d output heads, the training %d",
                         train->nheads != r->nheads ? train->nheads : valid->nheads, r->nheads);
    if (c->freeze < 0 || c->freeze > net->n)
        return asr_error("cannot freeze %d layers of a %d-layer network", c->freeze, net->n);
    if (c->shards < par_size())
        return asr_error("%d MPI ranks but %d shards per batch: a rank needs a shard (set shards "
                         "to at least %d; the result depends on shards, not on the ranks)",
                         par_size(), c->shards, par_size());
    if (r->writer && make_dirs(c->exp_dir) != 0)
        return asr_error("%s: cannot create the experiment directory: %s", c->exp_dir,
                         strerror(errno));
    r->ckpt = path_join(c->exp_dir, "checkpoint.mdl");
    r->bestp = path_join(c->exp_dir, "best.mdl");
    r->finalp = path_join(c->exp_dir, "final.mdl");
    r->logp = path_join(c->exp_dir, "log.tsv");
    /* Frozen layers own the arena's head; the optimizer sees only the tail. */
    r->frozen = network_param_offset(net, c->freeze);
    optim_init(&r->opt, &c->opt, r->np - r->frozen);
    r->st = (train_state){
        0, 0, INFINITY, INFINITY, 0, data_fingerprint(train), data_fingerprint(valid)};
    r->best_params = xmalloc(r->np * sizeof(float));
    memcpy(r->best_params, params, r->np * sizeof(float));
    if (c->ema > 0) {
        if (!(c->ema < 1)) return asr_error("ema=%g must be in [0, 1)", (double)c->ema);
        r->avg = xmalloc(r->np * sizeof(float));
        memcpy(r->avg, params, r->np * sizeof(float));
    }
    return 0;
}

/* The threads of the shard loop: every thread OpenMP would use (see
 * train_step). */
static int shard_threads(void)
{
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

static void run_buffers(run *r)
{
    const trainer_config *c = r->c;
    train_batches_make(r->train, c->batch_frames, c->max_batch, &r->bt);
    r->order = xmalloc((size_t)(r->bt.n ? r->bt.n : 1) * sizeof(int));
    r->sst = xmalloc(((size_t)c->shards + 1) * sizeof(int));
    r->perm = xmalloc(((size_t)c->max_batch + 1) * sizeof(int));
    r->loss = xmalloc((size_t)(c->max_batch + 1) * sizeof(double));
    r->hloss = xmalloc((size_t)(c->max_batch + 1) * r->nheads * sizeof(double));
    r->grads = xcalloc(r->np ? r->np : 1, sizeof(float));
    par_slice(r->np - r->frozen, OPTIM_BLOCK, par_rank(), &r->ulo, &r->uhi);
    r->part = xcalloc(optim_blocks(r->np - r->frozen) + 1, sizeof(double));
    r->slots = xcalloc(r->frozen + (size_t)c->shards * (r->np - r->frozen) + 1, sizeof(float));
    r->nworkers = shard_threads();
    r->wk = xcalloc((size_t)r->nworkers, sizeof *r->wk);
    for (int k = 0; k < r->nworkers; k++) {
        network_work_init(&r->wk[k].w, r->net);
        r->wk[k].w.frozen = c->freeze;
        r->wk[k].lens = xmalloc((size_t)(c->max_batch + 1) * sizeof(int));
        r->wk[k].olens = xmalloc((size_t)(c->max_batch + 1) * sizeof(int));
    }
    for (int i = 0; i < r->train->n; i++) r->total_frames += r->train->T[i];
    r->stale = r->st.best_epoch ? r->st.epoch - r->st.best_epoch : 0;
}

static void run_free(run *r)
{
    for (int k = 0; k < r->nworkers; k++) {
        network_work_free(&r->wk[k].w, r->net);
        free(r->wk[k].lens);
        free(r->wk[k].olens);
        free(r->wk[k].dlogits);
    }
    free(r->wk);
    free(r->slots);
    free(r->grads);
    free(r->part);
    free(r->loss);
    free(r->hloss);
    free(r->sst);
    free(r->perm);
    free(r->order);
    if (r->bt.idx) train_batches_free(&r->bt);
    optim_free(&r->opt);
    free(r->best_params);
    free(r->avg);
    free(r->ckpt);
    free(r->bestp);
    free(r->finalp);
    free(r->logp);
}

/* Add batch utterances' losses to E; an utterance whose targets do not fit
 * its frames (infinite loss) is skipped, said once; NaN stops the run. */
static int count_losses(run *r, int epoch, const int *idx, int B, epoch_stats *e)
{
    const train_set *t = r->train;
    for (int b = 0; b < B; b++) {
        if (isnan(r->loss[b]) || r->loss[b] == -INFINITY)
            return asr_error("epoch %d: loss is %g on utterance %s; training stopped (last good "
                             "checkpoint: %s)",
                             epoch + 1, r->loss[b], t->ids[idx[b]], r->ckpt);
        const double *hl = r->hloss + (size_t)b * r->nheads;
        if (isinf(r->loss[b])) {
            int h = 0;
            while (h + 1 < r->nheads && hl[h] != INFINITY) h++;
            if (epoch == r->st.epoch && !r->c->quiet)
                asr_log(ASR_LOG_WARNING,
                        "train: warning: utterance %s: %d frames after subsampling %s its %d "
                        "%stargets%s; skipped",
                        t->ids[idx[b]], network_out_len(r->net, t->T[idx[b]]),
                        r->heads[h].loss == MT_CTC ? "are too few for" : "do not match",
                        t->tg[h].L[idx[b]], r->nheads > 1 ? r->heads[h].name : "",
                        r->nheads > 1 ? " head" : "");
            e->skipped++;
            continue;
        }
        e->sum_loss += r->loss[b];
        e->counted++;
        for (int h = 0; h < r->nheads; h++)
            if (t->tg[h].y[idx[b]]) e->head_sum[h] += hl[h], e->head_counted[h]++;
    }
    return 0;
}

/* avg <- d avg + (1 - d) w over the trained tail of the arena (trainer.h). */
static void update_average(run *r)
{
    double k = (double)r->opt.step;
    float d = (float)fmin(r->c->ema, (1.0 + k) / (10.0 + k));
    float *a = r->avg + r->frozen;
    const float *w = r->params + r->frozen;
    for (size_t i = 0, n = r->np - r->frozen; i < n; i++) a[i] = d * a[i] + (1 - d) * w[i];
}

/* Shard S of batch BI of EPOCH, utterances IDX[0..BS) of the batch's B,
 * into GRADS (the arena's layout; only the trained tail is written):
 * SpecAugment, forward, loss, backward, all drawing from (seed, epoch,
 * batch, shard). Losses go to the batch's LOSS and HLOSS rows of the
 * shard's utterances. */
static void shard_grad(const run *r, shard_worker *wk, int epoch, int bi, int s, const int *idx,
                       int Bs, int B, float *grads, double *loss, double *hloss)
{
    const trainer_config *c = r->c;
    const train_set *t = r->train;
    memset(grads + r->frozen, 0, (r->np - r->frozen) * sizeof(float));
    if (Bs == 0) return;
    rng_state rs;
    rng_seed(&rs,
             ((c->seed * 1000003ULL + (uint64_t)epoch) * 1000003ULL + (uint64_t)bi) * 1000003ULL +
                 (uint64_t)s);
    int T, To;
    float *x = train_batch_assemble(t, idx, Bs, wk->lens, &T);
    if (c->specaug)
        for (int b = 0; b < Bs; b++)
            specaug_apply(x + (size_t)b * T * t->dim, wk->lens[b], t->dim, c->static_dim, &c->aug,
                          &rs);
    const float *logits =
        network_forward(r->net, r->params, &wk->w, x, wk->lens, Bs, T, 1, &rs, &To, wk->olens);
    size_t nd = (size_t)Bs * To * r->V;
    if (nd > wk->dcap) {
        free(wk->dlogits);
        wk->dcap = nd + nd / 4;
        wk->dlogits = xmalloc(wk->dcap * sizeof(float));
    }
    batch_loss(r->heads, r->nheads, t, idx, Bs, logits, To, wk->olens, r->V, wk->dlogits,
               1.0f / (float)B, loss, hloss);
    network_backward(r->net, r->params, grads, &wk->w, wk->dlogits, NULL);
    free(x);
}

/* The shards of batch B (SST, see run) that this rank owns, each whole on
 * one thread. The team is every thread even when there are fewer shards:
 * inside an active parallel region the OpenMP build of OpenBLAS and asr's
 * own loops run single-threaded, so a shard's float operations never depend
 * on the thread count. */
static void rank_shards(run *r, int epoch, int bi, const int *idx, int B)
{
    int S = r->c->shards, f0 = par_first_shard(par_rank(), S);
    int f1 = par_first_shard(par_rank() + 1, S);
    size_t nt = r->np - r->frozen;
#pragma omp parallel for schedule(dynamic, 1) num_threads(r->nworkers)
    for (int s = f0; s < f1; s++) {
        int k = 0;
#ifdef _OPENMP
        k = omp_get_thread_num();
#endif
        int a = r->sst[s];
        shard_grad(r, &r->wk[k], epoch, bi, s, idx + a, r->sst[s + 1] - a, B,
                   r->slots + (size_t)s * nt, r->loss + a, r->hloss + (size_t)a * r->nheads);
    }
}

/* One batch BI of EPOCH: its shards' gradients (this rank's, on every
 * thread), every shard's losses shared, the fixed-order sum of this rank's
 * slice of the gradient, the norm from every slice's block sums, the update
 * of this rank's slice of the weights, and every slice to every rank. One
 * rank: one slice, the whole (optim_step's arithmetic). */
static int train_step(run *r, int epoch, int bi, epoch_stats *e)
{
    const trainer_config *c = r->c;
    const train_set *t = r->train;
    const int *batch = r->bt.idx + r->bt.start[bi], *idx = r->perm;
    int B = r->bt.start[bi + 1] - r->bt.start[bi], S = c->shards, k = 0;
    /* Shard s: the batch's utterances s, s + S, s + 2S, ... (the batch is
     * sorted by length, so every shard gets short and long ones alike). */
    for (int s = 0; s < S; s++) {
        r->sst[s] = k;
        for (int b = s; b < B; b += S) r->perm[k++] = batch[b];
    }
    r->sst[S] = B;
    rank_shards(r, epoch, bi, idx, B);
    if (par_share_shards(r->loss, r->sst, S, sizeof(double)) < 0 ||
        par_share_shards(r->hloss, r->sst, S, (size_t)r->nheads * sizeof(double)) < 0 ||
        count_losses(r, epoch, idx, B, e) < 0)
        return -1;
    size_t nt = r->np - r->frozen, nb = optim_blocks(nt);
    float *g = r->grads + r->frozen, *w = r->params + r->frozen;
    if (par_reduce_shards(r->slots + r->frozen, S, nt, OPTIM_BLOCK, g) < 0) return -1;
    optim_prepare(&r->opt, w, g, r->ulo, r->uhi, r->part);
    if (par_allgather_slices(r->part, sizeof(double), nb, 1) < 0) return -1;
    double gnorm = optim_norm(r->part, nb);
    e->lr = optim_lr(&c->opt, r->opt.step, epoch);
    if (isfinite(gnorm)) {
        optim_update(&r->opt, w, g, e->lr, gnorm, r->ulo, r->uhi);
        if (par_allgather_slices(w, sizeof(float), nt, OPTIM_BLOCK) < 0) return -1;
        if (r->avg) update_average(r);
    }
    if (!isfinite(gnorm))
        return asr_error("epoch %d: gradient norm is %g in the batch starting with utterance "
                         "%s; training stopped (last good checkpoint: %s)",
                         epoch + 1, gnorm, t->ids[idx[0]], r->ckpt);
    e->utts += B;
    for (int s = 0; s < S; s++) {
        int Tmax = 0;
        for (int b = r->sst[s]; b < r->sst[s + 1]; b++) {
            int T = t->T[idx[b]];
            e->frames += T;
            if (T > Tmax) Tmax = T;
        }
        e->flops += 3.0 * (r->sst[s + 1] - r->sst[s]) * network_flops(r->net, Tmax);
    }
    return 0;
}

/* Every two seconds: how far, how fast, and the time left. */
static void report_progress(const run *r, int epoch, epoch_stats *e)
{
    double now = clock_seconds();
    if (r->c->quiet || !r->writer || now - e->last_report <= 2.0) return;
    e->last_report = now;
    char eta[32];
    double rate = e->frames / (now - e->t0);
    progress_format_eta((r->total_frames - e->frames) / rate +
                            (r->c->epochs - epoch - 1) * r->total_frames / rate,
                        eta, (int)sizeof eta);
    asr_log(ASR_LOG_PROGRESS, "train: epoch %d/%d %3.0f%%  %.0f utt/s  loss %.3f  ETA %s",
            epoch + 1, r->c->epochs, 100.0 * e->frames / r->total_frames, e->utts / (now - e->t0),
            e->counted ? e->sum_loss / e->counted : 0.0, eta);
}

/* The batches of EPOCH in an order shuffled from (seed, epoch). */
static int train_epoch(run *r, int epoch, epoch_stats *e)
{
    rng_state shuffle;
    rng_seed(&shuffle, r->c->seed * 1000003ULL + (uint64_t)epoch);
    for (int k = 0; k < r->bt.n; k++) r->order[k] = k;
    rng_shuffle_int(&shuffle, r->order, r->bt.n);
    memset(e, 0, sizeof *e);
    e->t0 = e->last_report = clock_seconds();
    double comm0 = par_comm_seconds();
    for (int k = 0; k < r->bt.n; k++) {
        if (train_step(r, epoch, r->order[k], e) < 0) return -1;
        report_progress(r, epoch, e);
    }
    e->steps = r->bt.n;
    e->comm = par_comm_seconds() - comm0;
    return 0;
}

/* Validation loss and error after EPOCH; the best epoch so far (by error,
 * ties by loss) becomes best.mdl. *IMPROVED says whether this one did. */
static int validate_epoch(run *r, int epoch, double *vloss, double *verr, int *improved)
{
    const trainer_config *c = r->c;
    const float *w = r->avg ? r->avg : r->params; /* the weights a model file gets */
    double v[2] = {NAN, NAN};
    if (r->writer) {
        if (r->valid && r->valid->n)
            v[0] = trainer_eval_loss(r->net, w, r->valid, r->heads, r->nheads, c->batch_frames,
                                     c->max_batch);
        if (c->validate) v[1] = c->validate(c->ctx, r->net, w);
    }
    if (par_broadcast(v, sizeof v) < 0) return -1;
    *vloss = v[0];
    *verr = v[1];
    double score = c->validate ? *verr : *vloss;
    r->st.epoch = epoch + 1;
    r->st.step = r->opt.step;
    *improved = isfinite(score) &&
                (score < r->st.best || (score == r->st.best && *vloss < r->st.best_loss));
    if (!*improved && r->st.best_epoch != 0) {
        r->stale++;
        return 0;
    }
    r->st.best = score;
    r->st.best_loss = *vloss;
    r->st.best_epoch = epoch + 1;
    memcpy(r->best_params, w, r->np * sizeof(float));
    r->stale = 0;
    return r->writer ? write_model(r->c->io, r->bestp, r->base, w, r->np, NULL, NULL, NULL) : 0;
}

/* The epoch's line in log.tsv, then the checkpoint (see log_truncate), then
 * the summary for the user. */
static int record_epoch(run *r, int epoch, const epoch_stats *e, double secs, double vloss,
                        double verr, int improved)
{
    double gflops = e->flops / secs / 1e9, loss = e->counted ? e->sum_loss / e->counted : NAN;
    char line[256 + MT_MAX_HEADS * 24], per_head[MT_MAX_HEADS * 48] = "";
    int used =
        snprintf(line, sizeof line, "%d\t%.6g\t%.5f\t%.5f\t%.3f\t%.1f\t%.0f\t%.2f\t%.2f", epoch + 1,
                 e->lr, loss, vloss, verr, e->utts / secs, e->frames / secs, gflops, secs);
    for (int h = 0, n = 0; r->nheads > 1 && h < r->nheads; h++) {
        double hl = e->head_counted[h] ? e->head_sum[h] / e->head_counted[h] : NAN;
        used += snprintf(line + used, sizeof line - (size_t)used, "\t%.5f", hl);
        if (n < (int)sizeof per_head)
            n += snprintf(per_head + n, sizeof per_head - (size_t)n, "%s%s %.4f", h ? ", " : " (",
                          r->heads[h].name, hl);
    }
    snprintf(line + used, sizeof line - (size_t)used, "\t%d\t%d\t%.3f\n", par_size(), e->steps,
             e->comm);
    /* Each rank updated its slice of the optimizer's moments: the checkpoint
     * needs them all. */
    size_t nt = r->np - r->frozen;
    if (par_allgather_slices(r->opt.m, sizeof(float), nt, OPTIM_BLOCK) < 0 ||
        par_allgather_slices(r->opt.v, sizeof(float), nt, OPTIM_BLOCK) < 0)
        return -1;
    if (!r->writer) return 0;
    if (log_append(r->c->io, r->logp, line) < 0 ||
        write_model(r->c->io, r->ckpt, r->base, r->params, r->np, &r->opt, &r->st, r->avg) < 0)
        return -1;
    if (!r->c->quiet)
        asr_log(ASR_LOG_INFO,
                "train: epoch %d/%d  loss %.4f%s%s  valid loss %.4f  valid error %.2f%%  %.0f "
                "utt/s  %.1f GFLOP/s  %.1fs%s%s",
                epoch + 1, r->c->epochs, loss, per_head, r->nheads > 1 ? ")" : "", vloss, verr,
                e->utts / secs, gflops, secs, improved ? "  *best*" : "",
                e->skipped && epoch == 0 ? "  (some utterances skipped)" : "");
    return 0;
}

/* Epochs until the last or until patience runs out. */
static int train_epochs(run *r)
{
    const trainer_config *c = r->c;
    for (int epoch = r->st.epoch; epoch < c->epochs; epoch++) {
        if (c->patience > 0 && r->st.best_epoch > 0 && r->stale >= c->patience) {
            if (!c->quiet)
                asr_log(ASR_LOG_INFO,
                        "train: early stop: no improvement for %d epochs (best epoch %d)", r->stale,
                        r->st.best_epoch);
            break;
        }
        epoch_stats e;
        double vloss, verr;
        int improved;
        if ((c->before_epoch && c->before_epoch(c->epoch_ctx, epoch) < 0) ||
            train_epoch(r, epoch, &e) < 0)
            return -1;
        double secs = clock_seconds() - e.t0;
        if (validate_epoch(r, epoch, &vloss, &verr, &improved) < 0 ||
            record_epoch(r, epoch, &e, secs, vloss, verr, improved) < 0)
            return -1;
    }
    return 0;
}

/* Every rank must train the same thing: the same data, configuration and
 * starting point (weights, optimizer state, position). A rank started on
 * other files is named here, before any step. */
static int check_ranks(const run *r)
{
    const trainer_config *c = r->c;
    uint64_t data = fnv(r->st.train_fp, &r->st.valid_fp, sizeof r->st.valid_fp);
    uint64_t conf = fnv(14695981039346656037ULL, &c->opt, sizeof c->opt);
    const int ints[] = {c->epochs,   c->batch_frames, c->max_batch, c->specaug, c->static_dim,
                        c->patience, c->shards,       c->freeze,    r->nheads};
    conf = fnv(conf, ints, sizeof ints);
    conf = fnv(conf, &c->seed, sizeof c->seed);
    conf = fnv(conf, &c->aug, sizeof c->aug);
    conf = fnv(conf, &c->ema, sizeof c->ema);
    uint64_t start = fnv(14695981039346656037ULL, r->params, r->np * sizeof(float));
    start = fnv(start, &r->opt.step, sizeof r->opt.step);
    start = fnv(start, &r->st.epoch, sizeof r->st.epoch);
    if (r->opt.m) start = fnv(start, r->opt.m, r->opt.n * sizeof(float));
    if (r->opt.v) start = fnv(start, r->opt.v, r->opt.n * sizeof(float));
    const uint64_t v[] = {data, conf, start};
    const char *const what[] = {"the training and validation data (features and targets)",
                                "the training configuration",
                                "the starting weights and optimizer state"};
    return par_check_same(v, what, 3);
}

int trainer_run(const network *net, float *params, const train_set *train, const train_set *valid,
                const trainer_config *c, const model_file *base, int resume)
{
    run r;
    int rc = run_open(&r, net, params, train, valid, c, base);
    /* The ranks agree before a fresh log is started: a refused start leaves
     * no log behind. */
    if (rc == 0 && resume) rc = resume_state(&r);
    if (rc == 0) rc = check_ranks(&r);
    if (rc == 0 && !resume) rc = start_log(&r);
    if (rc == 0) {
        run_buffers(&r);
        rc = train_epochs(&r);
    }
    if (rc == 0) {
        memcpy(params, r.best_params, r.np * sizeof(float));
        if (r.writer) rc = write_model(r.c->io, r.finalp, base, params, r.np, NULL, NULL, NULL);
    }
    if (rc == 0 && !c->quiet && r.writer)
        asr_log(ASR_LOG_INFO, "train: wrote %s/final.mdl (best epoch %d)",
                c->shown_dir ? c->shown_dir : c->exp_dir, r.st.best_epoch);
    run_free(&r);
    return rc;
}
