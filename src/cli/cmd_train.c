/* cmd_train.c — `asr train`: any pipeline, one trainer.
 *
 * Reads the pipeline's default configuration (pipelines/NAME.conf), applies
 * the command line on top, computes features of the training and validation
 * directories, turns transcripts into targets through the pipeline, and runs
 * the shared trainer with the pipeline's word error rate on the validation
 * set as the early-stopping criterion.
 */
#include "base/alloc.h"
#include "cli/commands.h"
#include "text/corpus.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/input_set.h"
#include "text/metrics.h"
#include "recognizer/model.h"
#include "base/out_dir.h"
#include "recognizer/run_config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char train_usage[] =
    "usage: asr train --pipeline direct|staged|multitask --train DIR --valid DIR --out EXP\n"
    "                 [options]\n"
    "\n"
    "Trains a recognizer; writes EXP/final.mdl (best validation epoch), EXP/best.mdl,\n"
    "EXP/checkpoint.mdl (every epoch), EXP/log.tsv (one line per epoch) and\n"
    "EXP/config (the effective configuration). Defaults: pipelines/PIPELINE.conf.\n"
    "\n"
    "Pipelines:\n"
    "  direct      characters (CTC), greedy or beam search over characters\n"
    "  staged      phones (CTC), then words through a lexicon and a word LM\n"
    "  multitask   one network, two CTC heads: phones (decoded as staged) and\n"
    "              characters (a training signal only); an utterance whose phones\n"
    "              cannot be made trains the character head alone\n"
    "\n"
    "  --config FILE        configuration file instead of the pipeline's default\n"
    "  --set KEY=VALUE      any configuration key (repeatable), e.g.\n"
    "                       features.num_mel=23, specaug.time_masks=0\n"
    "  --layers 'L1;L2;..'  the network, one layer per ';' (see src/nn/network.h)\n"
    "  --epochs N  --lr X  --optimizer sgd|momentum|rmsprop|adam  --momentum X\n"
    "  --l2 X               L2 weight decay        --dropout P  every dropout layer\n"
    "  --clip X  --warmup STEPS  --decay X (per epoch)  --patience N (early stop)\n"
    "  --batch-frames N     padded frames per batch --max-batch N\n"
    "  --specaug | --no-specaug   SpecAugment time and frequency masks\n"
    "  --threads N  --seed N  --resume (continue EXP/checkpoint.mdl exactly, on the same\n"
    "                       --train and --valid data)\n"
    "  --force              replace an EXP that holds an earlier run, once this run is\n"
    "                       complete (it trains in EXP.tmp until then)\n"
    "  --lexicon FILE  --lm FILE   staged and multitask resources\n"
    "  --init MODEL         transfer learning: start from a trained model's weights\n"
    "                       (layers of the same shape; its features configuration)\n"
    "  --finetune all|last  train every layer (default) or only the output layer\n"
    "  --freeze N           keep the first N layers of the --init model fixed\n"
    "  --set PIPELINE.HEAD_weight=X   loss weight of an output head, e.g.\n"
    "                       multitask.char_weight=0.5 (heads: multitask phone, char)\n"
    "  --quiet              no progress lines\n";

typedef struct {
    asr_model *m;
    const train_set *valid;
    const corpus *vc;
    int batch_frames;
} valid_ctx;

/* WER (%) of the network on the validation set: the pipeline's own search,
 * scored against the transcripts. */
static double validate_wer(void *ctx, const network *net, const float *params)
{
    (void)net;
    valid_ctx *v = ctx;
    pipeline_result *res = xcalloc((size_t)(v->valid->n ? v->valid->n : 1), sizeof *res);
    asr_model_decode(v->m, params, v->valid, v->batch_frames, res);
    error_counts acc;
    memset(&acc, 0, sizeof acc);
    for (int i = 0; i < v->valid->n; i++) {
        /* An utterance too long to align counts as all wrong, and says so. */
        if (metrics_score(&acc, v->vc->utts[i].id, v->vc->utts[i].text, res[i].words, METRICS_WORDS,
                          NULL) < 0) {
            fprintf(stderr, "train: warning: %s; counted as all errors\n", asr_last_error());
            int n = metrics_count_tokens(v->vc->utts[i].text, METRICS_WORDS);
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

/* Copy into M's fresh weights every layer of INIT (read from PATH) that has
 * the same shape, and say which: a layer not copied (e.g. an output layer
 * over other symbols) keeps its random initialisation. A frozen layer must
 * have been copied, or it would stay random for good. */
static int init_from(const asr_model *init, const char *path, asr_model *m, int freeze, int quiet)
{
    int *copied = xcalloc((size_t)m->net.n, sizeof(int));
    int n = network_copy_matching(&m->net, m->params, &init->net, init->params, copied);
    char *desc = network_describe(&m->net), *save = NULL;
    int i = 0, rc = 0;
    for (char *l = strtok_r(desc, "\n", &save); l; l = strtok_r(NULL, "\n", &save), i++) {
        int has = network_param_offset(&m->net, i + 1) > m->net.layers[i].w;
        if (has && !quiet)
            fprintf(stderr, "train: init: layer %d (%s): %s%s\n", i + 1, l,
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
    if (rc == 0 && !quiet)
        fprintf(stderr,
                "train: init: %d layers with weights copied from %s (%s pipeline); "
                "training %s\n",
                n, path, init->ops->name,
                freeze > 0 ? "only the layers after the frozen ones" : "every layer");
    return rc;
}

/* Is DIR a directory with anything in it? (-1: not a directory at all) */
static int dir_has_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int any = 0;
    struct dirent *e;
    while (!any && (e = readdir(d))) any = strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return any;
}

/* An experiment directory is written by one run only: a new or empty EXP is
 * trained into; one that holds a run is continued (--resume) or replaced
 * once the new run is complete (--force); anything else is refused rather
 * than overwritten. */
static int check_exp(const char *exp, int resume, int force)
{
    if (!path_exists(exp)) {
        if (resume) return asr_error("%s: no such experiment to --resume", exp);
        return 0;
    }
    int full = dir_has_entries(exp);
    if (full < 0) return asr_error("%s: exists and is not a directory", exp);
    if (full && !resume && !force)
        return asr_error("%s holds an earlier experiment: --resume continues it, --force "
                         "replaces it once this run is complete, or choose another --out",
                         exp);
    return 0;
}

/* Take EXP for this run: check that replacing it (--force) removes none of
 * the inputs, then lock EXP, or stage its replacement in EXP.tmp. */
static int claim_exp(const char *exp, int force, const run_config *rc, const char *config,
                     const char *train_dir, const corpus *tc, const char *valid_dir,
                     const corpus *vc, dir_lock *lock, staged_dir *sd)
{
    input_set in;
    input_set_init(&in);
    corpus_add_inputs(&in, train_dir, tc);
    corpus_add_inputs(&in, valid_dir, vc);
    const char *files[] = {config, rc->lexicon, rc->lm, rc->init};
    for (int i = 0; i < 4; i++)
        if (files[i]) input_set_add(&in, files[i]);
    int bad = input_set_check_dir(&in, exp, force);
    input_set_free(&in);
    if (bad < 0) return -1;
    return force ? staged_dir_begin(sd, exp, 1) : dir_lock_acquire(lock, exp);
}

/* The command with its configuration; cmd_train owns and frees RC. */
static int train_main(run_config *rc, int argc, char **argv)
{
    const char *pipeline_name = NULL, *train_dir = NULL, *valid_dir = NULL, *exp = NULL;
    const char *config_path = NULL;
    int resume = 0, force = 0, status = 1;
    /* First pass: what selects the defaults. */
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(train_usage, stdout);
            return 0;
        }
        if (!strcmp(argv[i], "--pipeline") && i + 1 < argc) pipeline_name = argv[i + 1];
        if (!strcmp(argv[i], "--config") && i + 1 < argc) config_path = argv[i + 1];
    }
    if (!pipeline_name) {
        fprintf(stderr, "asr train: --pipeline is required\n%s", train_usage);
        return EXIT_USAGE;
    }
    if (!pipeline_find(pipeline_name)) {
        fprintf(stderr, "asr train: unknown pipeline '%s'\n", pipeline_name);
        return EXIT_USAGE;
    }
    if (run_config_load_defaults(rc, pipeline_name, config_path) < 0) {
        fprintf(stderr, "asr train: %s\n", asr_last_error());
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--resume")) {
            resume = 1;
            continue;
        }
        if (!strcmp(a, "--force")) {
            force = 1;
            continue;
        }
        if (!strcmp(a, "--quiet")) {
            rc->train.quiet = 1;
            continue;
        }
        if (!strcmp(a, "--specaug") || !strcmp(a, "--no-specaug")) {
            rc->train.specaug = a[2] == 's';
            continue;
        }
        if (a[0] != '-' || i + 1 >= argc) {
            fprintf(stderr, "asr train: unexpected argument '%s'\n%s", a, train_usage);
            return EXIT_USAGE;
        }
        const char *v = argv[++i];
        if (!strcmp(a, "--pipeline") || !strcmp(a, "--config"))
            continue;
        else if (!strcmp(a, "--train"))
            train_dir = v;
        else if (!strcmp(a, "--valid"))
            valid_dir = v;
        else if (!strcmp(a, "--out"))
            exp = v;
        else if (run_config_option(rc, a, v) < 0) {
            fprintf(stderr, "asr train: %s\n", asr_last_error());
            return EXIT_USAGE;
        }
    }
    if (!train_dir || !valid_dir || !exp) {
        fprintf(stderr, "asr train: --train, --valid and --out are required\n%s", train_usage);
        return EXIT_USAGE;
    }
    if (resume && force) {
        fprintf(stderr, "asr train: --resume continues EXP, --force replaces it: not both\n");
        return EXIT_USAGE;
    }
    if (run_config_check(rc) < 0) {
        fprintf(stderr, "asr train: %s\n", asr_last_error());
        return EXIT_USAGE;
    }
    if (check_exp(exp, resume, force) < 0) {
        fprintf(stderr, "asr train: %s\n", asr_last_error());
        return 1;
    }
    run_config_apply_threads(rc);

    corpus tc, vc;
    if (corpus_read(train_dir, &tc) < 0) {
        fprintf(stderr, "asr train: %s\n", asr_last_error());
        return 1;
    }
    if (corpus_read(valid_dir, &vc) < 0) {
        fprintf(stderr, "asr train: %s\n", asr_last_error());
        corpus_free(&tc);
        return 1;
    }
    /* EXP, or with --force its stand-in EXP.tmp, is this run's alone from
     * here on (out_dir.h). */
    dir_lock lock = {-1, NULL};
    staged_dir sd;
    memset(&sd, 0, sizeof sd);
    sd.lock.fd = -1;
    const char *work = exp;
    if (claim_exp(exp, force, rc, config_path, train_dir, &tc, valid_dir, &vc, &lock, &sd) < 0) {
        fprintf(stderr, "asr train: %s\n", asr_last_error());
        corpus_free(&tc);
        corpus_free(&vc);
        return 1;
    }
    if (force) work = sd.tmp;
    asr_model m, init;
    memset(&m, 0, sizeof m);
    memset(&init, 0, sizeof init);
    train_set ts, vs;
    memset(&ts, 0, sizeof ts);
    memset(&vs, 0, sizeof vs);
    model_file base;
    model_file_init(&base);
    m.ops = pipeline_find(pipeline_name);
    pipeline_options_fill(&rc->search, &pipeline_options_defaults);
    m.search = rc->search;
    if (rc->freeze != 0 && !rc->init) {
        fprintf(stderr, "asr train: --freeze/--finetune last needs --init MODEL (frozen layers "
                        "would keep random weights)\n");
        status = EXIT_USAGE;
        goto done;
    }
    if (rc->init) {
        /* Transfer learning: the copied layers expect the features they were
         * trained on, so the initial model's front end replaces the config's. */
        pipeline_options po = {NULL, NULL, 1.0f, 0.0f, 1};
        if (asr_model_load(rc->init, &po, &init) < 0) {
            fprintf(stderr, "asr train: --init: %s\n", asr_last_error());
            goto done;
        }
        rc->feats = init.feats;
    }
    m.feats = rc->feats;
    m.p = m.ops->create(&rc->search);
    if (!m.p) {
        fprintf(stderr, "asr train: %s\n", asr_last_error());
        goto done;
    }
    int outputs = asr_model_heads(&m);
    if (outputs < 0 || run_config_apply_head_weights(rc, &m) < 0 ||
        network_build(&m.net, rc->layers, features_dim(&m.feats), outputs) < 0) {
        fprintf(stderr, "asr train: %s\n", asr_last_error());
        goto done;
    }
    double secs_train = 0, secs_valid = 0;
    clock_t c0 = clock();
    if (asr_model_features(&m.feats, &tc, rc->threads, &ts, &secs_train) < 0 ||
        asr_model_features(&m.feats, &vc, rc->threads, &vs, &secs_valid) < 0) {
        fprintf(stderr, "asr train: %s\n", asr_last_error());
        goto done;
    }
    if (m.ops->prepare && m.ops->prepare(m.p, &tc) < 0) {
        fprintf(stderr, "asr train: %s\n", asr_last_error());
        goto done;
    }
    int tmask[MT_MAX_HEADS], vmask[MT_MAX_HEADS];
    if (asr_model_targets(&m, &tc, &ts, tmask) < 0 || asr_model_targets(&m, &vc, &vs, vmask) < 0) {
        fprintf(stderr, "asr train: %s\n", asr_last_error());
        goto done;
    }
    /* Utterances without a label for a head train the other heads only:
     * said once, as a count. */
    for (int h = 0; h < m.nheads; h++)
        if (tmask[h] || vmask[h])
            fprintf(stderr,
                    "train: head %s: no label for %d of %d training and %d of %d validation "
                    "utterances; masked for them (they train the other heads)\n",
                    m.heads[h].name, tmask[h], ts.n, vmask[h], vs.n);
    if (!rc->train.quiet)
        fprintf(stderr,
                "train: %s pipeline, %d training utterances (%.1f min), %d validation (%.1f "
                "min); %d features per frame; network of %zu parameters (%d layers, "
                "subsampling %d); features in %.1f s CPU\n",
                pipeline_name, ts.n, secs_train / 60, vs.n, secs_valid / 60, ts.dim,
                m.net.num_params, m.net.n, m.net.subsampling,
                (double)(clock() - c0) / CLOCKS_PER_SEC);
    if (run_config_write(rc, pipeline_name, work) < 0) {
        fprintf(stderr, "asr train: %s: cannot write the configuration: %s\n", work,
                asr_last_error());
        goto done;
    }
    if (asr_model_base(&m, &base) < 0) {
        fprintf(stderr, "asr train: %s\n", asr_last_error());
        goto done;
    }
    m.params = xmalloc(m.net.num_params * sizeof(float));
    network_init(&m.net, m.params, rc->train.seed);
    rc->train.freeze =
        rc->freeze == RUN_CONFIG_ALL_BUT_LAST ? network_last_param_layer(&m.net) : rc->freeze;
    if (rc->init && init_from(&init, rc->init, &m, rc->train.freeze, rc->train.quiet) < 0) {
        fprintf(stderr, "asr train: %s\n", asr_last_error());
        goto done;
    }
    valid_ctx vctx = {&m, &vs, &vc, rc->train.batch_frames};
    rc->train.validate = validate_wer;
    rc->train.ctx = &vctx;
    rc->train.exp_dir = work;
    rc->train.heads = m.heads;
    rc->train.nheads = m.nheads;
    rc->train.static_dim = m.feats.kind == FEATURES_MFCC ? m.feats.num_ceps : m.feats.num_mel;
    if (trainer_run(&m.net, m.params, &ts, &vs, &rc->train, &base, resume) < 0) {
        fprintf(stderr, "asr train: %s\n", asr_last_error());
        goto done;
    }
    if (force) {
        if (staged_dir_commit(&sd) < 0) {
            fprintf(stderr, "asr train: %s\n", asr_last_error());
            goto done;
        }
        if (!rc->train.quiet) fprintf(stderr, "train: the new run replaced %s\n", exp);
    }
    status = 0;
done:
    staged_dir_abort(&sd);
    dir_lock_release(&lock);
    asr_model_free(&init);
    model_file_free(&base);
    train_set_free(&ts);
    train_set_free(&vs);
    asr_model_free(&m);
    corpus_free(&tc);
    corpus_free(&vc);
    return status;
}

int cmd_train(int argc, char **argv)
{
    run_config rc;
    run_config_init(&rc);
    int status = train_main(&rc, argc, argv);
    run_config_free(&rc);
    return status;
}
