/* train.c — one training run; see train.h. */
#include "recognizer/train.h"

#include "base/alloc.h"
#include "base/atomic_file.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/log.h"
#include "base/out_dir.h"
#include "base/parallel.h"
#include "base/rng.h"
#include "recognizer/model.h"
#include "recognizer/options.h"
#include "recognizer/ranks.h"
#include "text/metrics.h"

#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Everything one run holds, freed together. */
typedef struct {
    const asr_train_job *job;
    int quiet;
    corpus tc, vc;
    dir_lock lock;
    int restart; /* EXP holds only what a never-started run wrote (check_exp) */
    staged_dir sd;
    const char *work; /* EXP, or with force its stand-in EXP.tmp */
    asr_model m, init;
    train_set ts, vs;
    model_file base;
} run;

/* ---- the experiment directory ---- */

/* Does the log at PATH hold no more than its header (no epoch finished)? */
static int log_is_empty(const char *path)
{
    line_reader lr;
    if (line_reader_open(&lr, path) < 0) return 0;
    int lines = 0;
    while (lines < 2 && line_reader_next(&lr)) lines++;
    int ok = line_reader_error(&lr) == 0 && lines < 2;
    line_reader_close(&lr);
    return ok;
}

/* What DIR holds: 0 nothing, 1 only what a run writes before its first epoch
 * ends (config, a log without an epoch: a start that failed or was killed,
 * its training never begun), 2 anything else; -1 when DIR is not a
 * directory at all. */
static int exp_contents(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int what = 0;
    struct dirent *e;
    while (what < 2 && (e = readdir(d))) {
        const char *n = e->d_name;
        if (!strcmp(n, ".") || !strcmp(n, "..")) continue;
        char *p = path_join(dir, n);
        what = !strcmp(n, "config") || (!strcmp(n, "log.tsv") && log_is_empty(p)) ? 1 : 2;
        free(p);
    }
    closedir(d);
    return what;
}

/* An experiment directory is written by one run only (train.h): -1 when
 * EXP may not be written, 1 when it holds only a never-started run's
 * config and log (replaced), else 0. */
static int check_exp(const asr_train_job *j)
{
    if (!path_exists(j->exp)) {
        if (j->resume) return asr_error("%s: no such experiment to resume", j->exp);
        return 0;
    }
    int full = exp_contents(j->exp);
    if (full < 0) return asr_error("%s: exists and is not a directory", j->exp);
    if (full == 1 && !j->resume && !j->force) return 1;
    if (full && !j->resume && !j->force)
        return asr_error("%s holds an earlier experiment: --resume continues it, --force "
                         "replaces it once this run is complete, or choose another --out",
                         j->exp);
    return 0;
}

/* The files a run writes in EXP: its own and trainer_run's (nn/trainer.h). */
static const char *const exp_files[] = {"config",         "final.mdl", "best.mdl",
                                        "checkpoint.mdl", "log.tsv",   "search.tsv"};

/* The inputs (data, their audio, the configuration file, lexicon, LM,
 * --init model) and EXP's files join the command's io_set: no file of EXP
 * is an input, nor, with force (EXP replaced whole), lies inside EXP. */
static int declare_exp(const run *r)
{
    const asr_train_job *j = r->job;
    io_set *io = j->io;
    if (corpus_add_inputs(io, j->train_dir, &r->tc) < 0 ||
        corpus_add_inputs(io, j->valid_dir, &r->vc) < 0 ||
        (j->config_path && io_set_input(io, j->config_path) < 0) ||
        options_add_inputs(j->conf, io) < 0 ||
        io_set_output_dir(io, j->exp, "the experiment directory", j->force) < 0)
        return -1;
    for (size_t i = 0; i < sizeof exp_files / sizeof *exp_files; i++) {
        char *p = path_join(j->exp, exp_files[i]);
        int rc = io_set_output(io, p, "the experiment directory");
        free(p);
        if (rc < 0) return -1;
    }
    return 0;
}

/* Take EXP: check its files against the inputs, then lock EXP, or stage its
 * replacement in EXP.tmp. Under MPI rank 0 alone writes the experiment
 * (nn/trainer.h); the other ranks only read EXP's checkpoint on --resume. */
static int claim_exp(run *r)
{
    const asr_train_job *j = r->job;
    if (par_rank() != 0) {
        r->work = j->exp;
        return 0;
    }
    /* What a never-started run left in EXP (config, log.tsv) is replaced
     * (check_exp), unless it is an input of this one (--config EXP/config):
     * declared with EXP's other files, so the check is the same. */
    if (declare_exp(r) < 0) return -1;
    /* A warning, not a note: files in EXP are replaced, and --quiet keeps it. */
    if (r->restart)
        asr_log(ASR_LOG_WARNING,
                "train: %s holds only the start of a run that never finished an epoch; "
                "training afresh",
                j->exp);
    if (j->force) {
        if (staged_dir_begin(&r->sd, j->io, j->exp, 1) < 0) return -1;
        r->work = r->sd.tmp;
        return 0;
    }
    r->work = j->exp;
    return dir_lock_acquire(&r->lock, j->exp);
}

/* ---- the model ---- */

/* Pipeline, heads and network; with --init, the initial model's front end
 * (the copied layers expect the features they were trained on). */
static int assemble(run *r)
{
    asr_options *c = r->job->conf;
    asr_model *m = &r->m;
    m->ops = pipeline_find(r->job->pipeline);
    if (!m->ops) return -1;
    pipeline_options_fill(&c->search, &pipeline_options_defaults);
    m->search = c->search;
    if (c->init) {
        pipeline_options po = pipeline_options_defaults;
        if (asr_model_load(c->init, &po, &r->init) < 0)
            return asr_error("--init: %s", asr_last_error());
        c->feats = r->init.feats;
    }
    m->feats = c->feats;
    m->p = m->ops->create(&c->search);
    if (!m->p) return -1;
    int outputs = asr_model_heads(m);
    if (outputs < 0 || asr_model_apply_head_weights(m, c) < 0) return -1;
    return network_build(&m->net, c->layers, features_dim(&m->feats), outputs);
}

/* VTLP (signal/features.h): each epoch the training features are those of
 * every utterance's filterbank warped by a factor uniform in
 * [1 - vtlp, 1 + vtlp] drawn from (seed, epoch, utterance), so every epoch
 * hears a new vocal tract per utterance, and a resumed run draws the same
 * factors. Validation features are never warped. The factors of EPOCH, or
 * NULL without VTLP. */
static float *vtlp_warps(const run *r, int epoch)
{
    const asr_options *c = r->job->conf;
    if (c->vtlp <= 0) return NULL;
    int n = r->tc.n;
    float *warp = xmalloc(sizeof(float) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) {
        rng_state g;
        rng_seed(&g, ((c->train.seed ^ 0x7674ULL) * 1000003ULL + (uint64_t)epoch) * 1000003ULL +
                         (uint64_t)i);
        warp[i] = (float)(1.0 + c->vtlp * (2.0 * rng_uniform(&g) - 1.0));
    }
    return warp;
}

/* The trainer's before_epoch with VTLP: epoch 0's warped features are the
 * ones prepare_data computed; later epochs' replace them in place. */
static int vtlp_epoch(void *ctx, int epoch)
{
    run *r = ctx;
    if (epoch == 0) return 0;
    float *warp = vtlp_warps(r, epoch);
    train_set fresh;
    int rc = asr_model_features(&r->m.feats, &r->tc, r->job->conf->threads, warp, &fresh, NULL);
    free(warp);
    if (rc < 0) return asr_error("vtlp, epoch %d: %s", epoch + 1, asr_last_error());
    for (int i = 0; i < r->ts.n && rc == 0; i++)
        if (fresh.T[i] != r->ts.T[i])
            rc = asr_error("vtlp: utterance %s has %d frames, not %d", r->ts.ids[i], fresh.T[i],
                           r->ts.T[i]);
    for (int i = 0; i < r->ts.n && rc == 0; i++) {
        float *x = r->ts.x[i];
        r->ts.x[i] = fresh.x[i];
        fresh.x[i] = x; /* the old features, freed with FRESH */
    }
    train_set_free(&fresh);
    return rc;
}

/* Features and targets of both sets; a head without labels for some
 * utterances is masked for them, said once as a count. */
static int prepare_data(run *r)
{
    asr_model *m = &r->m;
    int threads = r->job->conf->threads;
    double st = 0, sv = 0;
    clock_t c0 = clock();
    float *warp = vtlp_warps(r, 0);
    progress pr;
    progress_start(&pr, "train: features", "utt", r->tc.n);
    int rc = asr_model_features_range(&m->feats, &r->tc, threads, warp, 0, r->tc.n, &r->ts, 0, NULL,
                                      NULL, &st, r->quiet ? NULL : &pr);
    free(warp);
    if (rc < 0 || asr_model_features(&m->feats, &r->vc, threads, NULL, &r->vs, &sv) < 0) return -1;
    if (m->ops->prepare && m->ops->prepare(m->p, &r->tc) < 0) return -1;
    int tmask[MT_MAX_HEADS], vmask[MT_MAX_HEADS];
    if (asr_model_targets(m, &r->tc, &r->ts, tmask) < 0 ||
        asr_model_targets(m, &r->vc, &r->vs, vmask) < 0)
        return -1;
    for (int h = 0; h < m->nheads; h++)
        if (tmask[h] || vmask[h])
            asr_log(ASR_LOG_WARNING,
                    "train: head %s: no label for %d of %d training and %d of %d validation "
                    "utterances; masked for them (they train the other heads)",
                    m->heads[h].name, tmask[h], r->ts.n, vmask[h], r->vs.n);
    if (!r->quiet)
        asr_log(ASR_LOG_INFO,
                "train: %s pipeline, %d training utterances (%.1f min), %d validation (%.1f "
                "min); %d features per frame; network of %zu parameters (%d layers, "
                "subsampling %d); features in %.1f s CPU",
                m->ops->name, r->ts.n, st / 60, r->vs.n, sv / 60, r->ts.dim, m->net.num_params,
                m->net.n, m->net.subsampling, (double)(clock() - c0) / CLOCKS_PER_SEC);
    return 0;
}

/* Copy into the fresh weights every layer of the --init model that has the
 * same shape, and say which: a layer not copied (e.g. an output layer over
 * other symbols) keeps its random start. A frozen layer must have been
 * copied, or it would stay random for good. */
static int init_from(run *r, int freeze)
{
    asr_model *m = &r->m;
    const char *path = r->job->conf->init;
    int *copied = xcalloc((size_t)m->net.n, sizeof(int));
    int n = network_copy_matching(&m->net, m->params, &r->init.net, r->init.params, copied);
    char *desc = network_describe(&m->net), *save = NULL;
    int i = 0, rc = 0;
    for (char *l = strtok_r(desc, "\n", &save); l; l = strtok_r(NULL, "\n", &save), i++) {
        int has = network_param_offset(&m->net, i + 1) > m->net.layers[i].w;
        if (has && !r->quiet)
            asr_log(ASR_LOG_INFO, "train: init: layer %d (%s): %s%s", i + 1, l,
                    copied[i] ? "copied from " : "new (no layer of this shape in ",
                    copied[i] ? path : "the initial model)");
        if (has && i < freeze && !copied[i] && rc == 0)
            rc = asr_error("--freeze: layer %d (%s) is frozen but was not copied from %s", i + 1, l,
                           path);
    }
    free(desc);
    free(copied);
    if (rc == 0 && n == 0)
        rc = asr_error("--init %s: no layer of that model fits this network", path);
    if (rc == 0 && !r->quiet)
        asr_log(ASR_LOG_INFO,
                "train: init: %d layers with weights copied from %s (%s pipeline); training %s", n,
                path, r->init.ops->name,
                freeze > 0 ? "only the layers after the frozen ones" : "every layer");
    return rc;
}

/* EXP/config: the effective configuration (rank 0 writes the experiment). */
static int write_config(run *r)
{
    if (par_rank() != 0) return 0;
    char *path = path_join(r->work, "config");
    atomic_file af;
    int rc = atomic_file_open(&af, r->job->io, path, "w");
    free(path);
    if (rc == 0 && options_write(r->job->conf, r->m.ops->name, af.fp) < 0) {
        atomic_file_abort(&af);
        rc = -1;
    } else if (rc == 0) {
        rc = atomic_file_commit(&af);
    }
    if (rc < 0)
        return asr_error("%s: cannot write the configuration: %s", r->work, asr_last_error());
    return 0;
}

/* The configuration on disk, the base of every model file, and the first
 * weights: random from the seed, then whatever --init has of the same shape. */
static int start_weights(run *r)
{
    asr_options *c = r->job->conf;
    asr_model *m = &r->m;
    if (write_config(r) < 0) return -1;
    if (asr_model_base(m, &r->base) < 0) return -1;
    m->params = xmalloc(m->net.num_params * sizeof(float));
    network_init(&m->net, m->params, c->train.seed);
    c->train.freeze =
        c->freeze == OPTIONS_ALL_BUT_LAST ? network_last_param_layer(&m->net) : c->freeze;
    return c->init ? init_from(r, c->train.freeze) : 0;
}

/* ---- training ---- */

typedef struct {
    const asr_model *m;
    const train_set *valid;
    const corpus *vc;
    int batch_frames;
} valid_ctx;

/* WER (%) of the network on the validation set: the pipeline's own search,
 * scored against the transcripts. An utterance too long to align counts as
 * all wrong, and says so. */
static double validate_wer(void *ctx, const network *net, const float *params)
{
    (void)net;
    valid_ctx *v = ctx;
    pipeline_result *res = xcalloc((size_t)(v->valid->n ? v->valid->n : 1), sizeof *res);
    asr_model_decode(v->m, params, v->valid, v->batch_frames, res);
    error_counts acc;
    memset(&acc, 0, sizeof acc);
    for (int i = 0; i < v->valid->n; i++) {
        const corpus_utt *u = &v->vc->utts[i];
        if (metrics_score(&acc, u->id, u->text, res[i].words, METRICS_WORDS, NULL) < 0) {
            asr_log(ASR_LOG_WARNING, "train: warning: %s; counted as all errors", asr_last_error());
            int n = metrics_count_tokens(u->text, METRICS_WORDS);
            acc.del += n;
            acc.n_ref += n;
            acc.sent++;
            acc.sent_err++;
        }
        pipeline_result_free(&res[i]);
    }
    free(res);
    return metrics_rate(error_counts_errors(&acc), acc.n_ref);
}

static int run_trainer(run *r)
{
    trainer_config *t = &r->job->conf->train;
    asr_model *m = &r->m;
    valid_ctx vctx = {m, &r->vs, &r->vc, t->batch_frames};
    t->validate = validate_wer;
    t->ctx = &vctx;
    t->exp_dir = r->work;
    t->shown_dir = r->job->exp;
    t->io = r->job->io;
    t->heads = m->heads;
    t->nheads = m->nheads;
    t->static_dim = m->feats.kind == FEATURES_MFCC ? m->feats.num_ceps : m->feats.num_mel;
    t->before_epoch = r->job->conf->vtlp > 0 ? vtlp_epoch : NULL;
    t->epoch_ctx = r;
    int rc = trainer_run(&m->net, m->params, &r->ts, &r->vs, t, &r->base, r->job->resume);
    t->validate = NULL;
    t->ctx = NULL;
    t->before_epoch = NULL;
    t->epoch_ctx = NULL;
    return rc;
}

/* ---- the search stored with the model ---- */

/* T[(*N)++] = FROM with BEAM (> 0), LM weight LW and word penalty WP (not
 * NAN) in place of its own. */
static void add_trial(pipeline_options *t, int *n, const pipeline_options *from, int beam, float lw,
                      float wp)
{
    pipeline_options o = *from;
    if (beam > 0) o.beam = beam;
    if (!isnan(lw)) o.lm_weight = lw;
    if (!isnan(wp)) o.word_penalty = wp;
    t[(*n)++] = o;
}

/* Validation WER of the model at PATH decoded with search settings O. */
static double wer_with(run *r, const char *path, const pipeline_options *o)
{
    asr_model m;
    if (asr_model_load(path, o, &m) < 0) return NAN;
    valid_ctx v = {&m, &r->vs, &r->vc, r->job->conf->train.batch_frames};
    double w = validate_wer(&v, NULL, m.params);
    asr_model_free(&m);
    return w;
}

/* A small sweep of the search on the validation set, the best stored in
 * EXP/final.mdl, every trial in EXP/search.tsv: the comparison of a direct
 * and a staged model is fair only when each decodes with the search that
 * suits it (a direct model decoded greedily, as it trained, makes twice the
 * errors of its beam search with the character LM). Direct: greedy, and
 * beam 16 with LM weights 1, 3, 6; staged and multitask: LM weights 0.5, 1,
 * 2 at word penalty 0, then penalties -1 and 1 at the best weight
 * (coordinate descent: 5 decodes, not 9). A tie goes to the configured LM
 * weight and word penalty when they are among the best (a few hundred
 * validation words often cannot tell settings apart: no evidence, no
 * change), else to the earlier trial. */
static int choose_search(run *r)
{
    char *path = path_join(r->work, "final.mdl"), *tsv = path_join(r->work, "search.tsv"),
         *shown_tsv = path_join(r->job->exp, "search.tsv"); /* where TSV will be */
    int direct = !strcmp(r->m.ops->name, "direct");
    pipeline_options trial[8];
    double wer[8];
    int n = 0, best = 0, rc = -1;
    if (direct) {
        add_trial(trial, &n, &r->m.search, 1, NAN, NAN);
        for (int i = 0; i < 3; i++)
            add_trial(trial, &n, &r->m.search, 16, (float[]){1, 3, 6}[i], NAN);
    } else {
        for (int i = 0; i < 3; i++)
            add_trial(trial, &n, &r->m.search, 0, (float[]){0.5f, 1, 2}[i], 0);
    }
    for (int i = 0; i < n; i++) {
        if (isnan(wer[i] = wer_with(r, path, &trial[i]))) goto done;
        if (wer[i] < wer[best]) best = i;
    }
    for (int i = 0; !direct && i < 2; i++) {
        add_trial(trial, &n, &trial[best], 0, NAN, (float[]){-1, 1}[i]);
        if (isnan(wer[n - 1] = wer_with(r, path, &trial[n - 1]))) goto done;
        if (wer[n - 1] < wer[best]) best = n - 1;
    }
    for (int i = 0; i < n; i++)
        if (wer[i] == wer[best] && trial[i].lm_weight == r->m.search.lm_weight &&
            trial[i].word_penalty == r->m.search.word_penalty && trial[i].beam > 1) {
            best = i;
            break;
        }
    atomic_file af;
    if (atomic_file_open(&af, r->job->io, tsv, "w") < 0) goto done;
    fprintf(af.fp, "beam\tlm_weight\tword_penalty\tvalid_wer\tchosen\n");
    for (int i = 0; i < n; i++)
        fprintf(af.fp, "%d\t%g\t%g\t%.4f\t%d\n", trial[i].beam, (double)trial[i].lm_weight,
                (double)trial[i].word_penalty, wer[i], i == best);
    if (atomic_file_commit(&af) < 0) goto done;
    model_file f;
    if (model_file_read(path, &f) < 0) goto done;
    char *text = pipeline_options_format(&trial[best]);
    model_file_put_text(&f, "search", text);
    free(text);
    rc = model_file_write(&f, r->job->io, path);
    model_file_free(&f);
    if (rc == 0 && !r->quiet)
        asr_log(ASR_LOG_INFO,
                "train: search chosen on validation: beam %d, LM weight %g, word penalty %g "
                "(WER %.2f%%; the trials in %s)",
                trial[best].beam, (double)trial[best].lm_weight, (double)trial[best].word_penalty,
                wer[best], shown_tsv);
done:
    if (rc < 0) asr_error("choosing the search on validation: %s", asr_last_error());
    free(path);
    free(tsv);
    free(shown_tsv);
    return rc;
}

static void run_free(run *r)
{
    staged_dir_abort(&r->sd);
    dir_lock_release(&r->lock);
    asr_model_free(&r->init);
    model_file_free(&r->base);
    train_set_free(&r->ts);
    train_set_free(&r->vs);
    asr_model_free(&r->m);
    corpus_free(&r->tc);
    corpus_free(&r->vc);
}

/* Every rank trains the same data with the same configuration
 * (recognizer/ranks.h; the trainer then compares the features, targets and
 * starting weights). Checked before EXP is touched: a refused start leaves
 * nothing behind. */
static int check_ranks(const run *r)
{
    if (par_size() == 1) return 0;
    const asr_train_job *j = r->job;
    ranks_check k;
    ranks_check_init(&k);
    char *opts = options_format_run(j->conf),
         *text = xmalloc(strlen(opts) + strlen(j->pipeline) + 64);
    sprintf(text, "%spipeline = %s\nresume = %d\n", opts, j->pipeline, j->resume);
    ranks_check_text(&k, "training options", text);
    free(opts);
    free(text);
    int rc = ranks_check_corpus(&k, "training data", j->train_dir, &r->tc);
    if (rc == 0) rc = ranks_check_corpus(&k, "validation data", j->valid_dir, &r->vc);
    if (rc == 0) rc = ranks_check_file(&k, "initial model", j->conf->init);
    if (rc == 0) rc = ranks_check_file(&k, "lexicon", j->conf->lexicon);
    if (rc == 0) rc = ranks_check_file(&k, "LM", j->conf->lm);
    return ranks_check_done(&k, rc);
}

int asr_train_check(const asr_train_job *job)
{
    const asr_options *c = job->conf;
    const pipeline_ops *ops = pipeline_find(job->pipeline);
    if (!ops) return -1;
    if (ops->needs_lexicon && !c->lexicon)
        return asr_error("the %s pipeline needs --lexicon (e.g. DATA/lexicon.txt from "
                         "data/recipes/digits.sh, or asr lexicon build)",
                         ops->name);
    if (!ops->needs_lexicon && c->lexicon)
        return asr_error("--lexicon %s: the %s pipeline reads no lexicon (it spells its words); "
                         "give --lexicon to the staged and multitask pipelines only",
                         asr_quote(c->lexicon), ops->name);
    if (c->freeze != 0 && !c->init)
        return asr_error("--freeze/--finetune last needs --init MODEL (frozen layers would keep "
                         "random weights)");
    return 0;
}

int asr_train(const asr_train_job *job)
{
    run r;
    memset(&r, 0, sizeof r);
    r.job = job;
    r.quiet = job->conf->train.quiet;
    r.lock.fd = r.sd.lock.fd = -1;
    if (asr_train_check(job) < 0) return -1;
    int writer = par_rank() == 0;
    if (options_check(job->conf) < 0 || (writer && (r.restart = check_exp(job)) < 0)) return -1;
    int rc = -1;
    if (corpus_read(job->train_dir, &r.tc) < 0 || corpus_read(job->valid_dir, &r.vc) < 0 ||
        check_ranks(&r) < 0 || claim_exp(&r) < 0 || assemble(&r) < 0 || prepare_data(&r) < 0 ||
        start_weights(&r) < 0 || run_trainer(&r) < 0 ||
        (writer && job->conf->search_sweep && choose_search(&r) < 0))
        goto out;
    if (writer && job->force) {
        if (staged_dir_commit(&r.sd) < 0) goto out;
        if (!r.quiet) asr_log(ASR_LOG_INFO, "train: the new run replaced %s", job->exp);
    }
    rc = 0;
out:
    run_free(&r);
    return rc;
}
