/* evaluate.c — decode splits utterance by utterance with timing; see evaluate.h. */
#include "recognizer/evaluate.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "recognizer/feats_ark.h"
#include "signal/audio.h"
#include "text/corpus.h"
#include "base/error.h"
#include "base/log.h"
#include "base/progress.h"
#include "base/fileio.h"
#include "base/parallel.h"
#include "recognizer/ranks.h"
#include "recognizer/system.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double percentile(const double *sorted, int n, double q)
{
    if (n == 0) return 0;
    double pos = q * (n - 1);
    int lo = (int)floor(pos), hi = (int)ceil(pos);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/* Which part of its file an utterance is (a segment of a recording). */
static void set_span(eval_utt *e, const corpus_utt *u)
{
    e->start = u->recording ? u->start : 0;
    e->end = u->recording ? u->end : -1;
}

/* The confidences of R's words to the last utterance of S: none when the
 * search gave no word times (NW 0 for a hypothesis with words). */
static void set_confidences(eval_split *s, const pipeline_result *r)
{
    float *c = xmalloc(sizeof(float) * (size_t)(r->nw + 1));
    for (int k = 0; k < r->nw; k++) c[k] = r->w[k].conf;
    eval_utt_set_confidences(s, c, r->nw);
    free(c);
}

static char *split_dir(const char *data, const char *split)
{
    char *p = xmalloc(strlen(data) + strlen(split) + 2);
    sprintf(p, "%s/%s", data, split);
    return p;
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Every rank evaluates the model at PATH with the search OPT on the same
 * splits (recognizer/ranks.h); a split some rank does not have counts as a
 * difference too, or the ranks would share out different splits. */
static int check_ranks(const char *path, const pipeline_options *opt, const char *data,
                       char *const *splits, int nsplits)
{
    if (par_size() == 1) return 0;
    ranks_check k;
    ranks_check_init(&k);
    int rc = ranks_check_file(&k, "model", path);
    if (rc == 0) rc = ranks_check_search(&k, opt);
    for (int i = 0; i < nsplits && rc == 0; i++) {
        char *dir = split_dir(data, splits[i]);
        corpus c;
        if (!is_dir(dir)) {
            char what[64];
            snprintf(what, sizeof what, "split %.40s (absent)", splits[i]);
            ranks_check_text(&k, what, "");
        } else if ((rc = corpus_read(dir, &c)) == 0) {
            rc = ranks_check_corpus(&k, "data directory", dir, &c);
            corpus_free(&c);
        }
        free(dir);
    }
    return ranks_check_done(&k, rc);
}

int evaluate_model(io_set *io, const char *name, const char *path, const pipeline_options *opt,
                   const char *data, char *const *splits, int nsplits, eval_model *out)
{
    memset(out, 0, sizeof *out);
    if (check_ranks(path, opt, data, splits, nsplits) < 0) return -1;
    asr_system sys;
    if (io_set_input(io, path) < 0 || asr_system_load(path, opt, &sys) < 0) return -1;
    const asr_model *first = &sys.m[0];
    /* A system's words come from several models: no one search or phone stage. */
    int one = !asr_system_combines(&sys);
    struct stat st;
    out->name = xstrdup(name);
    out->model_path = xstrdup(path);
    out->size_mb = stat(path, &st) == 0 ? st.st_size / 1e6 : 0;
    out->has_search = one;
    out->search = first->search;
    /* The training log next to the model, for the report's curves. */
    const char *slash = strrchr(path, '/');
    size_t dl = slash ? (size_t)(slash - path) : 0;
    out->log_tsv = xmalloc(dl + 16);
    snprintf(out->log_tsv, dl + 16, "%.*s%slog.tsv", (int)dl, path, slash ? "/" : "");
    if (!path_exists(out->log_tsv)) {
        free(out->log_tsv);
        out->log_tsv = NULL;
    }
    out->splits = xcalloc((size_t)nsplits, sizeof(eval_split));
    features_extractor **fx = asr_system_extractors(&sys);
    int rc = out->log_tsv ? io_set_input(io, out->log_tsv) : 0;
    for (int k = 0; k < nsplits && rc == 0; k++) {
        char *dir = split_dir(data, splits[k]);
        if (!is_dir(dir)) {
            asr_log(ASR_LOG_WARNING, "eval: %s: no such split, skipped", dir);
            free(dir);
            continue;
        }
        corpus c;
        if (corpus_read(dir, &c) < 0) {
            free(dir);
            rc = -1;
            break;
        }
        if (corpus_add_inputs(io, dir, &c) < 0) {
            corpus_free(&c);
            free(dir);
            rc = -1;
            break;
        }
        eval_split *s = &out->splits[out->n++];
        s->name = xstrdup(splits[k]);
        /* Under MPI each rank recognises its share of the split, and rank 0
         * scores them all in corpus order (base/parallel.h). Per utterance
         * (NX values): [0] decode seconds, [1] their CPU seconds, [2] audio
         * seconds. */
        enum { NX = 3 };
        int lo = par_first_shard(par_rank(), c.n), hi = par_first_shard(par_rank() + 1, c.n);
        pipeline_result *res = xcalloc((size_t)(c.n ? c.n : 1), sizeof *res);
        double *x = xcalloc(NX * (size_t)(c.n ? c.n : 1), sizeof(double));
        char what[96];
        snprintf(what, sizeof what, "eval: %s %s", name, splits[k]);
        progress pr;
        progress_start(&pr, what, "utt", hi - lo);
        for (int i = lo; i < hi && rc == 0; i++) {
            const corpus_utt *u = &c.utts[i];
            audio a;
            if (feats_read_utt_audio(&first->feats, u, &a) < 0) {
                rc = asr_error("%s: utterance %s: %s", dir, u->id, asr_last_error());
                break;
            }
            double t0 = clock_seconds(), c0 = clock_cpu_seconds();
            rc = asr_system_recognize(&sys, fx, a.x, a.n, a.rate, 0, &res[i], NULL, NULL);
            x[NX * i] = clock_seconds() - t0;
            x[NX * i + 1] = clock_cpu_seconds() - c0;
            x[NX * i + 2] = (double)a.n / a.rate;
            audio_free(&a);
            progress_step(&pr, 1, x[NX * i + 2]);
            if (rc < 0) asr_error("%s: utterance %s: %s", dir, u->id, asr_last_error());
        }
        if (rc == 0) rc = asr_results_gather(res, x, NX, c.n, lo, hi);
        /* Per utterance in ms: wall-clock time, then CPU time. */
        double *lat = xmalloc(sizeof(double) * 2 * (size_t)(c.n ? c.n : 1)), *cpu = lat + c.n;
        for (int i = 0; i < c.n && rc == 0 && par_rank() == 0; i++) {
            const corpus_utt *u = &c.utts[i];
            lat[i] = x[NX * i] * 1000;
            cpu[i] = x[NX * i + 1] * 1000;
            s->decode_seconds += x[NX * i];
            s->cpu_seconds += x[NX * i + 1];
            s->audio_seconds += x[NX * i + 2];
            rc = eval_split_add(s, u->id, u->speaker, u->wav, u->text, res[i].words,
                                one && first->ops->phone_units ? u->phones : NULL, res[i].units);
            if (rc == 0) {
                set_span(&s->utts[s->n - 1], u);
                set_confidences(s, &res[i]);
            }
            if (rc < 0) asr_error("%s: utterance %s: %s", dir, u->id, asr_last_error());
        }
        for (int i = 0; i < c.n; i++) pipeline_result_free(&res[i]);
        free(res);
        free(x);
        if (rc == 0 && par_rank() == 0) {
            qsort(lat, (size_t)c.n, sizeof(double), cmp_double);
            qsort(cpu, (size_t)c.n, sizeof(double), cmp_double);
            s->lat_p50_ms = percentile(lat, c.n, 0.5);
            s->lat_p95_ms = percentile(lat, c.n, 0.95);
            s->cpu_p50_ms = percentile(cpu, c.n, 0.5);
            s->cpu_p95_ms = percentile(cpu, c.n, 0.95);
        }
        free(lat);
        if (rc == 0)
            asr_log(ASR_LOG_INFO, "eval: %s %s: %d utterances, WER %.2f%%, RTF %.4f", name,
                    splits[k], s->n, eval_wer(s),
                    s->audio_seconds > 0 ? s->decode_seconds / s->audio_seconds : 0);
        corpus_free(&c);
        free(dir);
    }
    asr_system_extractors_free(&sys, fx);
    asr_system_free(&sys);
    if (rc < 0) eval_model_free(out);
    return rc;
}

int evaluate_hyps(io_set *io, const char *name, const char *hyps, const char *data,
                  char *const *splits, int nsplits, eval_model *out)
{
    memset(out, 0, sizeof *out);
    if (io_set_input(io, hyps) < 0) return -1;
    out->name = xstrdup(name);
    out->model_path = xstrdup(hyps);
    out->splits = xcalloc((size_t)nsplits, sizeof(eval_split));
    for (int k = 0; k < nsplits; k++) {
        char *dir = split_dir(data, splits[k]);
        char *hp = xmalloc(strlen(hyps) + strlen(splits[k]) + 8);
        sprintf(hp, "%s/%s.txt", hyps, splits[k]);
        if (!is_dir(dir) || !path_exists(hp)) {
            free(dir);
            free(hp);
            continue;
        }
        corpus c;
        line_reader lr;
        if (corpus_read(dir, &c) < 0 || corpus_add_inputs(io, dir, &c) < 0 ||
            io_set_input(io, hp) < 0 || line_reader_open(&lr, hp) < 0) {
            corpus_free(&c);
            free(dir);
            free(hp);
            eval_model_free(out);
            return -1;
        }
        char **hyp = xcalloc((size_t)(c.n ? c.n : 1), sizeof(char *));
        char *line;
        int bad = 0;
        while (!bad && (line = line_reader_next(&lr))) {
            char *sp = line + strcspn(line, " \t");
            char keep = *sp;
            *sp = 0;
            int i = corpus_find(&c, line);
            if (i < 0) {
                bad = asr_error("%s:%ld: utterance '%s' is not in %s", hp, lr.lineno,
                                asr_quote(line), dir);
                break;
            }
            *sp = keep;
            while (*sp == ' ' || *sp == '\t') sp++;
            free(hyp[i]);
            hyp[i] = xstrdup(sp);
        }
        if (!bad) bad = line_reader_error(&lr);
        line_reader_close(&lr);
        if (!bad) {
            eval_split *s = &out->splits[out->n++];
            s->name = xstrdup(splits[k]);
            s->decode_seconds = s->cpu_seconds = -1;
            for (int i = 0; i < c.n && !bad; i++)
                bad = eval_split_add(s, c.utts[i].id, c.utts[i].speaker, c.utts[i].wav,
                                     c.utts[i].text, hyp[i], NULL, NULL);
            if (bad) asr_error("%s: %s", hp, asr_last_error());
            for (int i = 0; i < s->n; i++) set_span(&s->utts[i], &c.utts[i]);
        }
        for (int i = 0; i < c.n; i++) free(hyp[i]);
        free(hyp);
        corpus_free(&c);
        free(dir);
        free(hp);
        if (bad) {
            eval_model_free(out);
            return -1;
        }
    }
    return 0;
}

void eval_model_free(eval_model *m)
{
    for (int i = 0; i < m->n; i++) eval_split_free(&m->splits[i]);
    free(m->splits);
    free(m->name);
    free(m->model_path);
    free(m->log_tsv);
    memset(m, 0, sizeof *m);
}
