/* feats_ark.c — feature archives in the model-file container. */
#include "recognizer/feats_ark.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "signal/audio.h"
#include "base/error.h"
#include "base/model_file.h"
#include "base/parallel.h"
#include "recognizer/options.h"
#include "recognizer/ranks.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define UTT_PREFIX "utt:"

#ifdef _OPENMP
#include <omp.h>
#endif

int feats_ark_compute(const corpus *c, const features_config *cfg, int threads, const float *warp,
                      feats_ark *out, double *audio_seconds)
{
    return feats_ark_compute_range(c, cfg, threads, warp, 0, c->n, out, 0, NULL, NULL,
                                   audio_seconds, NULL);
}

int feats_read_utt_audio(const features_config *cfg, const corpus_utt *u, audio *a)
{
    if (audio_read_utt(u, cfg->rate, a) < 0) return -1;
    features_config at = *cfg;
    at.rate = a->rate; /* CFG's, unless that is 0 */
    if (features_require_frame(&at, a->n) == 0) return 0;
    asr_error("%s: %s", u->wav, asr_last_error());
    audio_free(a);
    return -1;
}

/* An archive of C's utterance ids for CFG, without frames yet. */
static void ark_start(feats_ark *a, const corpus *c, const features_config *cfg)
{
    memset(a, 0, sizeof *a);
    a->config = *cfg;
    a->dim = features_dim(cfg);
    a->n = c->n;
    a->utts = xcalloc((size_t)(c->n ? c->n : 1), sizeof *a->utts);
    for (int i = 0; i < c->n; i++) a->utts[i].id = xstrdup(c->utts[i].id);
}

int feats_ark_compute_range(const corpus *c, const features_config *cfg, int threads,
                            const float *warp, int lo, int hi, feats_ark *out, double pad,
                            feats_ark *padded, audio_cuts *cuts, double *audio_seconds,
                            progress *pr)
{
    memset(out, 0, sizeof *out);
    if (padded) memset(padded, 0, sizeof *padded);
    if (features_config_check(cfg) < 0) return -1;
    int nthreads = 1;
#ifdef _OPENMP
    nthreads = threads > 0 ? threads : omp_get_max_threads();
#else
    (void)threads;
#endif
    ark_start(out, c, cfg);
    if (padded) ark_start(padded, c, cfg);
    features_extractor **fx = xcalloc((size_t)nthreads, sizeof *fx);
    for (int i = 0; i < nthreads; i++) fx[i] = features_create(cfg);
    /* The first failure (in corpus order) is the one reported. */
    int first_bad = c->n;
    char *first_msg = NULL;
    double seconds = 0;
#pragma omp parallel for num_threads(nthreads) schedule(dynamic, 4) reduction(+ : seconds)
    for (int i = lo; i < hi; i++) {
        int tid = 0;
#ifdef _OPENMP
        tid = omp_get_thread_num();
#endif
        const corpus_utt *u = &c->utts[i];
        feats_utt *f = &out->utts[i];
        audio a;
        int rc = feats_read_utt_audio(cfg, u, &a);
        if (rc == 0) {
            double len = (double)a.n / a.rate;
            seconds += len;
            if (cuts) audio_cut_quiet(&a, &cuts[i]);
            features_set_warp(fx[tid], warp ? warp[i] : 1.0);
            rc = features_compute(fx[tid], a.x, a.n, (uint64_t)i, &f->x, &f->T);
            if (rc == 0 && padded) {
                feats_utt *g = &padded->utts[i];
                audio_pad_quiet(&a, pad, (uint64_t)i);
                features_set_warp(fx[tid], 1.0);
                rc = features_compute(fx[tid], a.x, a.n, (uint64_t)i, &g->x, &g->T);
            }
            progress_step(pr, 1, len);
            audio_free(&a);
        }
        if (rc < 0) {
#pragma omp critical(feats_ark_error)
            if (i < first_bad) {
                first_bad = i;
                free(first_msg);
                first_msg = xstrdup(asr_last_error());
            }
        }
    }
    for (int i = 0; i < nthreads; i++) features_destroy(fx[i]);
    free(fx);
    if (first_msg) {
        asr_error("utterance %s: %s", c->utts[first_bad].id, first_msg);
        free(first_msg);
        feats_ark_free(out);
        if (padded) feats_ark_free(padded);
        return -1;
    }
    if (audio_seconds) *audio_seconds = seconds;
    return 0;
}

int feats_ark_write(const io_set *io, const char *path, const feats_ark *a)
{
    model_file m;
    model_file_init(&m);
    model_file_put_text(&m, "content", "features");
    char *cfg = features_config_format(&a->config);
    model_file_put_text(&m, "features", cfg);
    free(cfg);
    uint32_t dim = (uint32_t)a->dim;
    model_file_put(&m, "dim", &dim, 4);
    for (int i = 0; i < a->n; i++) {
        const feats_utt *u = &a->utts[i];
        size_t nx = (size_t)u->T * (size_t)a->dim;
        size_t size = 4 + nx * sizeof(float);
        unsigned char *rec = xmalloc(size);
        uint32_t T = (uint32_t)u->T;
        memcpy(rec, &T, 4);
        if (nx) memcpy(rec + 4, u->x, nx * sizeof(float));
        char *name = xmalloc(strlen(u->id) + sizeof UTT_PREFIX);
        strcpy(name, UTT_PREFIX);
        strcat(name, u->id);
        model_file_put(&m, name, rec, size);
        free(name);
        free(rec);
    }
    int rc = model_file_write(&m, io, path);
    model_file_free(&m);
    return rc;
}

/* Bounds of what an archive may claim: values per frame (the largest
 * configuration gives 256 mel bands x 3 with deltas) and frames per
 * utterance (2^24 frames: 46 hours at a 10 ms hop). With both, T * dim *
 * sizeof(float) stays far inside size_t. */
#define ARK_MAX_DIM    65536
#define ARK_MAX_FRAMES (1u << 24)

int feats_ark_read(const char *path, feats_ark *a)
{
    memset(a, 0, sizeof *a);
    model_file m;
    if (model_file_read(path, &m) < 0) return -1;
    const char *content = model_file_text(&m, "content");
    const char *cfg = model_file_text(&m, "features");
    const model_section *dim = model_file_get(&m, "dim");
    int rc = -1;
    if (!content || strcmp(content, "features") || !cfg || !dim || dim->size != 4) {
        asr_error("%s: not a feature archive (missing content/features/dim sections)", path);
        goto done;
    }
    features_config_default(&a->config);
    if (features_config_parse(cfg, &a->config) < 0) {
        asr_error("%s: bad feature configuration: %s", path, asr_last_error());
        goto done;
    }
    uint32_t d;
    memcpy(&d, dim->data, 4);
    if (d < 1 || d > ARK_MAX_DIM) {
        asr_error("%s: dim %u: expected 1 to %d values per frame", path, d, ARK_MAX_DIM);
        goto done;
    }
    a->dim = (int)d;
    if (a->dim != features_dim(&a->config)) {
        asr_error("%s: dim %d does not match its feature configuration (%d)", path, a->dim,
                  features_dim(&a->config));
        goto done;
    }
    a->utts = xcalloc((size_t)(m.n ? m.n : 1), sizeof *a->utts);
    const size_t prefix = strlen(UTT_PREFIX), row = (size_t)d * sizeof(float);
    for (int i = 0; i < m.n; i++) {
        const model_section *s = &m.sections[i];
        if (strncmp(s->name, UTT_PREFIX, prefix)) continue; /* another section: not ours */
        const char *id = s->name + prefix;
        if (!*id) {
            asr_error("%s: an utterance record with an empty id", path);
            goto done;
        }
        /* u32 T, then exactly T rows of d floats: T is bounded first, so
         * T * row cannot wrap. */
        uint32_t T = 0;
        if (s->size >= 4) memcpy(&T, s->data, 4);
        if (s->size < 4 || T > ARK_MAX_FRAMES || s->size - 4 != (size_t)T * row) {
            asr_error("%s: utterance '%s': record size does not match its frame count", path,
                      asr_quote(id));
            goto done;
        }
        feats_utt *u = &a->utts[a->n++];
        u->id = xstrdup(id);
        u->T = (int)T;
        u->x = xmalloc(s->size - 4 + 1);
        memcpy(u->x, (const unsigned char *)s->data + 4, s->size - 4);
        /* NaN or Inf would poison every activation and gradient downstream. */
        for (size_t k = 0; k < (size_t)T * d; k++)
            if (!isfinite(u->x[k])) {
                asr_error("%s: utterance '%s': frame %zu, value %zu is not a finite number", path,
                          asr_quote(id), k / d, k % d);
                goto done;
            }
    }
    rc = 0;
done:
    model_file_free(&m);
    if (rc < 0) feats_ark_free(a);
    return rc;
}

void feats_ark_free(feats_ark *a)
{
    for (int i = 0; i < a->n; i++) {
        free(a->utts[i].id);
        free(a->utts[i].x);
    }
    free(a->utts);
    memset(a, 0, sizeof *a);
}

/* Under MPI (base/parallel.h) every rank computed the utterances [LO, HI)
 * of A; rank 0 gathers the others' (u32 T, then T rows), so its archive is
 * the one a single process makes. */
static int gather_ark(feats_ark *a, int lo, int hi)
{
    if (par_size() == 1) return 0;
    unsigned char **rec = xcalloc((size_t)(a->n ? a->n : 1), sizeof *rec);
    size_t *len = xcalloc((size_t)(a->n ? a->n : 1), sizeof *len);
    for (int i = lo; i < hi; i++) {
        size_t nx = (size_t)a->utts[i].T * (size_t)a->dim * sizeof(float);
        uint32_t T = (uint32_t)a->utts[i].T;
        len[i] = 4 + nx;
        rec[i] = xmalloc(len[i]);
        memcpy(rec[i], &T, 4);
        if (nx) memcpy(rec[i] + 4, a->utts[i].x, nx);
    }
    int rc = par_gather_records(rec, len, a->n);
    for (int i = 0; rc == 0 && par_rank() == 0 && i < a->n; i++) {
        if (i >= lo && i < hi) continue;
        uint32_t T = 0;
        if (len[i] >= 4) memcpy(&T, rec[i], 4);
        if (len[i] < 4 || a->dim <= 0 || T > INT_MAX ||
            (len[i] - 4) / sizeof(float) / (size_t)a->dim != T ||
            (len[i] - 4) % ((size_t)a->dim * sizeof(float))) {
            rc = asr_error("the features of utterance %s from another rank are malformed (%zu "
                           "bytes)",
                           a->utts[i].id, len[i]);
            break;
        }
        a->utts[i].T = (int)T;
        a->utts[i].x = xmalloc(len[i] - 4 + 1);
        memcpy(a->utts[i].x, rec[i] + 4, len[i] - 4);
    }
    for (int i = 0; i < a->n; i++) free(rec[i]);
    free(rec);
    free(len);
    return rc;
}

int feats_ark_make_file(io_set *io, const char *dir, const features_config *cfg, int threads,
                        const char *path, feats_ark_stats *st)
{
    memset(st, 0, sizeof *st);
    corpus c;
    if (corpus_read(dir, &c) < 0) return -1;
    int rc = corpus_add_inputs(io, dir, &c);
    if (rc == 0 && par_size() > 1) { /* every rank on the same data and options */
        ranks_check k;
        ranks_check_init(&k);
        char *text = features_config_format(cfg);
        ranks_check_text(&k, "feature options", text);
        free(text);
        rc = ranks_check_done(&k, ranks_check_corpus(&k, "data directory", dir, &c));
    }
    double t0 = clock_seconds();
    feats_ark ark;
    int lo = par_first_shard(par_rank(), c.n), hi = par_first_shard(par_rank() + 1, c.n);
    progress pr;
    progress_start(&pr, "features", "utt", hi - lo);
    if (rc == 0 && feats_ark_compute_range(&c, cfg, threads, NULL, lo, hi, &ark, 0, NULL, NULL,
                                           &st->audio_seconds, &pr) < 0)
        rc = asr_error("%s: %s", dir, asr_last_error());
    corpus_free(&c);
    if (rc < 0 || gather_ark(&ark, lo, hi) < 0 || par_sum_to_root(&st->audio_seconds, 1) < 0)
        return -1;
    double t1 = clock_seconds();
    for (int i = 0; i < ark.n; i++) st->frames += ark.utts[i].T;
    st->utterances = ark.n;
    st->dim = ark.dim;
    rc = par_rank() == 0 ? feats_ark_write(io, path, &ark) : 0;
    st->compute_seconds = t1 - t0;
    st->write_seconds = clock_seconds() - t1;
    feats_ark_free(&ark);
    return rc;
}
