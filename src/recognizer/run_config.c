/* run_config.c — configuration files and options of `asr train` / `asr decode`. */
#include "recognizer/run_config.h"

#include "base/alloc.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/numparse.h"

#include <cblas.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#ifndef ASR_PIPELINES_DIR
#define ASR_PIPELINES_DIR "pipelines"
#endif

void run_config_init(run_config *rc)
{
    memset(rc, 0, sizeof *rc);
    features_config_default(&rc->feats);
    trainer_config_default(&rc->train);
    rc->layers = xstrdup("");
    /* Search settings not given (pipeline_options_fill completes them). */
    rc->search.beam = 0;
    rc->search.lm_weight = NAN;
    rc->search.word_penalty = NAN;
}

void run_config_free(run_config *rc)
{
    free(rc->layers);
    free(rc->lexicon);
    free(rc->lm);
    free(rc->init);
    for (int i = 0; i < rc->n_head_weights; i++) free(rc->head_weights[i].key);
    memset(rc, 0, sizeof *rc);
}

static int num(const char *key, const char *v, double lo, double hi, double *out)
{
    char *end;
    double d = strtod(v, &end);
    if (end == v || *end || !isfinite(d) || d < lo || d > hi)
        return asr_error("%s = %s: expected a number in [%g, %g]", key, v, lo, hi);
    *out = d;
    return 0;
}

static void append_layer(run_config *rc, const char *layer)
{
    size_t n = strlen(rc->layers);
    rc->layers = xrealloc(rc->layers, n + strlen(layer) + 2);
    sprintf(rc->layers + n, "%s\n", layer);
}

int run_config_set(run_config *rc, const char *key, const char *v)
{
    trainer_config *t = &rc->train;
    double d;
    if (!strncmp(key, "features.", 9)) {
        char buf[256];
        snprintf(buf, sizeof buf, "%s=%s", key + 9, v);
        return features_config_set(&rc->feats, buf);
    }
    if (!strcmp(key, "layer")) {
        append_layer(rc, v);
        return 0;
    }
    if (!strcmp(key, "optimizer")) {
        int k = optim_kind_parse(v);
        if (k < 0) return asr_error("optimizer = %s: expected sgd, momentum, rmsprop or adam", v);
        t->opt.kind = (optim_kind)k;
        return 0;
    }
    if (!strcmp(key, "lexicon") || !strcmp(key, "lm")) {
        char **dst = key[1] == 'e' ? &rc->lexicon : &rc->lm;
        free(*dst);
        *dst = xstrdup(v);
        rc->search.lexicon_path = rc->lexicon;
        rc->search.lm_path = rc->lm;
        return 0;
    }
    if (!strcmp(key, "init")) {
        free(rc->init);
        rc->init = *v ? xstrdup(v) : NULL;
        return 0;
    }
    if (!strcmp(key, "freeze")) {
        if (!strcmp(v, "all-but-last")) {
            rc->freeze = RUN_CONFIG_ALL_BUT_LAST;
            return 0;
        }
        if (num(key, v, 0, 1000, &d) < 0 || d != floor(d))
            return asr_error("freeze = %s: expected a number of layers or all-but-last", v);
        rc->freeze = (int)d;
        return 0;
    }
    /* PIPELINE.HEAD_weight: checked against the pipeline's heads when a run
     * knows its pipeline (run_config_apply_head_weights). */
    size_t kl = strlen(key);
    if (strchr(key, '.') && kl > 7 && !strcmp(key + kl - 7, "_weight")) {
        if (num(key, v, 0, 1000, &d) < 0) return -1;
        int i = 0;
        while (i < rc->n_head_weights && strcmp(rc->head_weights[i].key, key)) i++;
        if (i == RUN_CONFIG_MAX_WEIGHTS)
            return asr_error("%s: more than %d head weights", key, RUN_CONFIG_MAX_WEIGHTS);
        if (i == rc->n_head_weights) rc->head_weights[rc->n_head_weights++].key = xstrdup(key);
        rc->head_weights[i].weight = (float)d;
        return 0;
    }
    /* Numeric keys: where each goes and its range. */
    struct {
        const char *key;
        double lo, hi;
        float *f;
        int *i;
    } keys[] = {
        {"lr", 0, 10, &t->opt.lr, NULL},
        {"momentum", 0, 0.9999, &t->opt.momentum, NULL},
        {"l2", 0, 1, &t->opt.weight_decay, NULL},
        {"clip", 0, 1e6, &t->opt.clip, NULL},
        {"warmup", 0, 1e9, NULL, &t->opt.warmup},
        {"decay", 0.01, 1, &t->opt.decay, NULL},
        {"epochs", 1, 100000, NULL, &t->epochs},
        {"batch_frames", 1, 1e9, NULL, &t->batch_frames},
        {"max_batch", 1, 4096, NULL, &t->max_batch},
        {"patience", 0, 100000, NULL, &t->patience},
        {"specaug", 0, 1, NULL, &t->specaug},
        {"specaug.freq_masks", 0, 100, NULL, &t->aug.freq_masks},
        {"specaug.max_freq", 0, 1000, NULL, &t->aug.max_freq},
        {"specaug.time_masks", 0, 100, NULL, &t->aug.time_masks},
        {"specaug.max_time", 0, 100000, NULL, &t->aug.max_time},
        {"specaug.max_time_ratio", 0, 1, &t->aug.max_time_ratio, NULL},
        {"threads", 0, 256, NULL, &rc->threads},
        {"beam", 1, PIPELINE_MAX_BEAM, NULL, &rc->search.beam},
        {"lm_weight", -100, 100, &rc->search.lm_weight, NULL},
        {"word_penalty", -1000, 1000, &rc->search.word_penalty, NULL},
    };
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        if (strcmp(key, keys[k].key)) continue;
        if (num(key, v, keys[k].lo, keys[k].hi, &d) < 0) return -1;
        if (keys[k].f)
            *keys[k].f = (float)d;
        else if (d != floor(d))
            return asr_error("%s = %s: expected an integer", key, v);
        else
            *keys[k].i = (int)d;
        return 0;
    }
    if (!strcmp(key, "seed")) return parse_u64("seed =", v, &t->seed);
    return asr_error("unknown configuration key '%s'", key);
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s)) s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1])) *--e = 0;
    return s;
}

static int load_file(run_config *rc, const char *path)
{
    line_reader lr;
    if (line_reader_open(&lr, path) < 0) return -1;
    char *line;
    while ((line = line_reader_next(&lr))) {
        char *hash = strchr(line, '#');
        if (hash) *hash = 0;
        char *s = trim(line);
        if (!*s) continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            asr_error("%s:%ld: expected 'key = value'", path, lr.lineno);
            line_reader_close(&lr);
            return -1;
        }
        *eq = 0;
        if (run_config_set(rc, trim(s), trim(eq + 1)) < 0) {
            asr_error("%s:%ld: %s", path, lr.lineno, asr_last_error());
            line_reader_close(&lr);
            return -1;
        }
    }
    int bad = line_reader_error(&lr);
    line_reader_close(&lr);
    return bad;
}

int run_config_load_defaults(run_config *rc, const char *pipeline, const char *path)
{
    if (path) return load_file(rc, path);
    const char *dir = getenv("ASR_PIPELINES_DIR");
    if (!dir || !*dir) dir = ASR_PIPELINES_DIR;
    char *p = xmalloc(strlen(dir) + strlen(pipeline) + 8);
    sprintf(p, "%s/%s.conf", dir, pipeline);
    int r = load_file(rc, p);
    free(p);
    return r;
}

int run_config_option(run_config *rc, const char *opt, const char *value)
{
    if (!strcmp(opt, "--set")) {
        const char *eq = strchr(value, '=');
        if (!eq) return asr_error("--set %s: expected KEY=VALUE", value);
        char key[128];
        size_t n = (size_t)(eq - value);
        if (n >= sizeof key) return asr_error("--set %s: key too long", value);
        memcpy(key, value, n);
        key[n] = 0;
        if (!strcmp(key, "layer"))
            return asr_error("--set layer=...: use --layers to give the whole network");
        return run_config_set(rc, key, eq + 1);
    }
    if (!strcmp(opt, "--finetune")) {
        if (strcmp(value, "all") && strcmp(value, "last"))
            return asr_error("--finetune %s: expected all or last", value);
        return run_config_set(rc, "freeze", value[0] == 'a' ? "0" : "all-but-last");
    }
    if (!strcmp(opt, "--layers")) {
        free(rc->layers);
        rc->layers = xstrdup(value);
        for (char *c = rc->layers; *c; c++)
            if (*c == ';') *c = '\n';
        return 0;
    }
    if (!strcmp(opt, "--dropout")) {
        double p;
        if (num("--dropout", value, 0, 0.99, &p) < 0) return -1;
        /* Rewrite every "dropout X" line of the network (into a stream: a
         * line can grow, "dropout" -> "dropout 0.123457"). */
        char *out = NULL, *copy = xstrdup(rc->layers), *save = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&out, &len);
        if (!f) {
            free(copy);
            return asr_error("--dropout: out of memory");
        }
        int found = 0;
        for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
            const char *s = l;
            while (*s == ' ') s++;
            if (!strncmp(s, "dropout", 7)) {
                fprintf(f, "dropout %g\n", p);
                found = 1;
            } else {
                fprintf(f, "%s\n", l);
            }
        }
        fclose(f);
        free(copy);
        if (!found) {
            free(out);
            return asr_error("--dropout: the network has no dropout layer (use --layers)");
        }
        free(rc->layers);
        rc->layers = out;
        return 0;
    }
    /* The rest are config keys spelled as options: --batch-frames = batch_frames. */
    static const char *const plain[] = {
        "--epochs",  "--lr",           "--optimizer",    "--momentum", "--l2",
        "--clip",    "--warmup",       "--decay",        "--patience", "--seed",
        "--threads", "--batch-frames", "--max-batch",    "--beam",     "--lexicon",
        "--lm",      "--lm-weight",    "--word-penalty", "--init",     "--freeze"};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        if (strcmp(opt, plain[i])) continue;
        char key[64];
        snprintf(key, sizeof key, "%s", opt + 2);
        for (char *c = key; *c; c++)
            if (*c == '-') *c = '_';
        return run_config_set(rc, key, value);
    }
    return asr_error("unknown option '%s'", opt);
}

int run_config_check(const run_config *rc)
{
    if (features_config_check(&rc->feats) < 0) return -1;
    if (!rc->layers[0]) return asr_error("the configuration gives no network layers");
    return 0;
}

int run_config_apply_head_weights(const run_config *rc, asr_model *m)
{
    for (int i = 0; i < rc->n_head_weights; i++) {
        const char *key = rc->head_weights[i].key, *dot = strchr(key, '.');
        size_t plen = (size_t)(dot - key);
        if (strlen(m->ops->name) != plen || strncmp(key, m->ops->name, plen))
            return asr_error("%s: a head weight of pipeline '%.*s', but this is the %s pipeline",
                             key, (int)plen, key, m->ops->name);
        char head[64];
        snprintf(head, sizeof head, "%.*s", (int)(strlen(dot + 1) - 7), dot + 1);
        if (asr_model_set_head_weight(m, head, rc->head_weights[i].weight) < 0)
            return asr_error("%s: %s", key, asr_last_error());
    }
    return 0;
}

void run_config_apply_threads(const run_config *rc)
{
    if (rc->threads <= 0) return;
#ifdef _OPENMP
    omp_set_num_threads(rc->threads);
#endif
    openblas_set_num_threads(rc->threads);
}

int run_config_write(const run_config *rc, const char *pipeline, const char *dir)
{
    char *path = xmalloc(strlen(dir) + 16);
    sprintf(path, "%s/config", dir);
    atomic_file af;
    int r = atomic_file_open(&af, path, "w");
    free(path);
    if (r < 0) return -1;
    FILE *f = af.fp;
    const trainer_config *t = &rc->train;
    fprintf(f, "# effective configuration of this run (pipeline %s)\n", pipeline);
    char *fc = features_config_format(&rc->feats);
    for (char *l = fc; *l;) {
        char *nl = strchr(l, '\n');
        *nl = 0;
        char *eq = strchr(l, '=');
        *eq = 0;
        fprintf(f, "features.%s = %s\n", l, eq + 1);
        l = nl + 1;
    }
    free(fc);
    char *layers = xstrdup(rc->layers), *save = NULL;
    for (char *l = strtok_r(layers, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
        fprintf(f, "layer = %s\n", l);
    free(layers);
    fprintf(f,
            "optimizer = %s\nlr = %.9g\nmomentum = %.9g\nl2 = %.9g\nclip = %.9g\nwarmup = %d\n"
            "decay = %.9g\nepochs = %d\nbatch_frames = %d\nmax_batch = %d\npatience = %d\n"
            "seed = %llu\nspecaug = %d\nspecaug.freq_masks = %d\nspecaug.max_freq = %d\n"
            "specaug.time_masks = %d\nspecaug.max_time = %d\nspecaug.max_time_ratio = %.9g\n"
            "threads = %d\nbeam = %d\nlm_weight = %.9g\nword_penalty = %.9g\n",
            optim_kind_name(t->opt.kind), t->opt.lr, t->opt.momentum, t->opt.weight_decay,
            t->opt.clip, t->opt.warmup, t->opt.decay, t->epochs, t->batch_frames, t->max_batch,
            t->patience, (unsigned long long)t->seed, t->specaug, t->aug.freq_masks,
            t->aug.max_freq, t->aug.time_masks, t->aug.max_time, t->aug.max_time_ratio, rc->threads,
            rc->search.beam, rc->search.lm_weight, rc->search.word_penalty);
    for (int i = 0; i < rc->n_head_weights; i++)
        fprintf(f, "%s = %.9g\n", rc->head_weights[i].key, rc->head_weights[i].weight);
    if (rc->lexicon) fprintf(f, "lexicon = %s\n", rc->lexicon);
    if (rc->lm) fprintf(f, "lm = %s\n", rc->lm);
    if (rc->init) fprintf(f, "init = %s\n", rc->init);
    if (rc->freeze == RUN_CONFIG_ALL_BUT_LAST)
        fprintf(f, "freeze = all-but-last\n");
    else if (rc->freeze > 0)
        fprintf(f, "freeze = %d\n", rc->freeze);
    return atomic_file_commit(&af);
}
