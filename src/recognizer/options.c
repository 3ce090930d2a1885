/* options.c — the one table of configuration keys; see options.h. */
#include "recognizer/options.h"

#include "base/alloc.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/numparse.h"
#include "base/suggest.h"
#include "nn/network.h"
#include "pipelines/defaults.h"

#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
    T_INT,    /* int in [lo, hi] */
    T_FLOAT,  /* float in [lo, hi] */
    T_BOOL,   /* int 0 or 1 */
    T_U64,    /* uint64_t, digits only */
    T_CHOICE, /* an enum (int-sized) by name: CHOICES "a|b|c" is 0, 1, 2 */
    T_PATH,   /* char * (owned); not given = none, "" is an error */
    T_LAYER,  /* one network layer, appended */
    T_FREEZE, /* int layers, or all-but-last */
} key_type;

/* Which pipelines read a key (help only: every key is accepted for every
 * pipeline, as a configuration may serve several). */
enum { P_ALL = 0, P_DIRECT = 1, P_STAGED = 2, P_MULTITASK = 4, P_WORDS = P_STAGED | P_MULTITASK };

typedef struct {
    const char *key;
    key_type type;
    double lo, hi;
    const char *choices;
    size_t at; /* offset of the value in asr_options */
    unsigned pipelines;
    const char *section; /* the model-file section that stores it, or NULL */
    const char *help;
} option_key;

#define AT(field) offsetof(asr_options, field)

/* The table. Ranges are what makes sense for the quantity, and they are the
 * same wherever the key is read. Section keys are in the order model files
 * store them (the text must stay byte for byte what earlier models hold). */
static const option_key keys[] = {
    /* features: the front end (signal/features.h) */
    {"features.kind", T_CHOICE, 0, 0, "fbank|mfcc", AT(feats.kind), P_ALL, "features",
     "log-mel filterbank or MFCC"},
    {"features.rate", T_INT, 1000, 192000, NULL, AT(feats.rate), P_ALL, "features",
     "sample rate the audio is converted to (Hz)"},
    {"features.frame_ms", T_FLOAT, 1e-3, FEATURES_MAX_FRAME_MS, NULL, AT(feats.frame_ms), P_ALL,
     "features", "frame length (ms)"},
    {"features.hop_ms", T_FLOAT, 1e-3, FEATURES_MAX_FRAME_MS, NULL, AT(feats.hop_ms), P_ALL,
     "features", "frame shift (ms)"},
    {"features.dither", T_FLOAT, 0, 32768, NULL, AT(feats.dither), P_ALL, "features",
     "dither in 16-bit units (0 = off)"},
    {"features.seed", T_U64, 0, 0, NULL, AT(feats.seed), P_ALL, "features", "dither seed"},
    {"features.preemph", T_FLOAT, 0, 0.999999, NULL, AT(feats.preemph), P_ALL, "features",
     "pre-emphasis coefficient"},
    {"features.window", T_CHOICE, 0, 0, "hamming|povey", AT(feats.window), P_ALL, "features",
     "analysis window"},
    {"features.num_mel", T_INT, 1, 256, NULL, AT(feats.num_mel), P_ALL, "features", "mel filters"},
    {"features.low_hz", T_FLOAT, 0, 192000, NULL, AT(feats.low_hz), P_ALL, "features",
     "lowest mel filter edge (Hz)"},
    {"features.high_hz", T_FLOAT, -192000, 192000, NULL, AT(feats.high_hz), P_ALL, "features",
     "highest mel filter edge (Hz; <= 0: Nyquist)"},
    {"features.num_ceps", T_INT, 1, 256, NULL, AT(feats.num_ceps), P_ALL, "features",
     "MFCC coefficients kept, c0 included"},
    {"features.lifter", T_FLOAT, 0, 1000, NULL, AT(feats.lifter), P_ALL, "features",
     "MFCC lifter Q (0 = off)"},
    {"features.deltas", T_INT, 0, 2, NULL, AT(feats.deltas), P_ALL, "features",
     "append deltas (1) and delta-deltas (2)"},
    {"features.cmvn", T_BOOL, 0, 1, NULL, AT(feats.cmvn), P_ALL, "features",
     "per-utterance mean and variance normalisation"},
    /* the network (nn/network.h) */
    {"layer", T_LAYER, 0, 0, NULL, AT(layers), P_ALL, NULL,
     "one network layer (repeat, in order; 'residual' at the end of a line adds the layer's "
     "input to its output):"},
    /* the optimizer (nn/optim.h) */
    {"optimizer", T_CHOICE, 0, 0, "sgd|momentum|rmsprop|adam", AT(train.opt.kind), P_ALL, NULL,
     "optimizer"},
    {"lr", T_FLOAT, 0, 10, NULL, AT(train.opt.lr), P_ALL, NULL, "learning rate"},
    {"momentum", T_FLOAT, 0, 0.9999, NULL, AT(train.opt.momentum), P_ALL, NULL,
     "momentum (momentum), decay rho (rmsprop)"},
    {"l2", T_FLOAT, 0, 1, NULL, AT(train.opt.weight_decay), P_ALL, NULL, "L2 weight decay"},
    {"clip", T_FLOAT, 0, 1e6, NULL, AT(train.opt.clip), P_ALL, NULL,
     "maximum global gradient norm (0 = off)"},
    {"warmup", T_INT, 0, 1e9, NULL, AT(train.opt.warmup), P_ALL, NULL,
     "steps of linear learning-rate warm-up"},
    {"decay", T_FLOAT, 0.01, 1, NULL, AT(train.opt.decay), P_ALL, NULL,
     "learning-rate factor per epoch"},
    /* the trainer (nn/trainer.h) */
    {"epochs", T_INT, 1, 100000, NULL, AT(train.epochs), P_ALL, NULL, "epochs"},
    {"batch_frames", T_INT, 1, 1e9, NULL, AT(train.batch_frames), P_ALL, NULL,
     "padded input frames per batch"},
    {"max_batch", T_INT, 1, 4096, NULL, AT(train.max_batch), P_ALL, NULL, "utterances per batch"},
    {"shards", T_INT, 1, 4096, NULL, AT(train.shards), P_ALL, NULL,
     "work units per batch, summed in a fixed order (the model does not depend on threads "
     "or MPI ranks; at least the ranks)"},
    {"patience", T_INT, 0, 100000, NULL, AT(train.patience), P_ALL, NULL,
     "stop after this many epochs without improvement (0 = never)"},
    {"ema", T_FLOAT, 0, 0.99999, NULL, AT(train.ema), P_ALL, NULL,
     "moving average of the weights over steps, used for validation and the model files "
     "(e.g. 0.999; 0 = off)"},
    {"seed", T_U64, 0, 0, NULL, AT(train.seed), P_ALL, NULL,
     "seed of initialisation, shuffling, dropout and SpecAugment"},
    {"specaug", T_BOOL, 0, 1, NULL, AT(train.specaug), P_ALL, NULL, "SpecAugment masks"},
    {"specaug.freq_masks", T_INT, 0, 100, NULL, AT(train.aug.freq_masks), P_ALL, NULL,
     "frequency masks per utterance"},
    {"specaug.max_freq", T_INT, 0, 1000, NULL, AT(train.aug.max_freq), P_ALL, NULL,
     "widest frequency mask (channels)"},
    {"specaug.time_masks", T_INT, 0, 100, NULL, AT(train.aug.time_masks), P_ALL, NULL,
     "time masks per utterance"},
    {"specaug.max_time", T_INT, 0, 100000, NULL, AT(train.aug.max_time), P_ALL, NULL,
     "longest time mask (frames)"},
    {"specaug.max_time_ratio", T_FLOAT, 0, 1, NULL, AT(train.aug.max_time_ratio), P_ALL, NULL,
     "longest time mask as a fraction of the utterance"},
    {"search_sweep", T_BOOL, 0, 1, NULL, AT(search_sweep), P_ALL, NULL,
     "after training, try a few search settings (beam, LM weight, word penalty) on the "
     "validation set and store the best in final.mdl (0: store the configured ones)"},
    {"vtlp", T_FLOAT, 0, 0.3, NULL, AT(vtlp), P_ALL, NULL,
     "vocal tract length perturbation: every epoch, each training utterance's filterbank "
     "warped by a factor drawn from [1 - X, 1 + X] (0 = off)"},
    /* transfer learning */
    {"init", T_PATH, 0, 0, NULL, AT(init), P_ALL, NULL,
     "initial weights: a trained model (layers of the same shape)"},
    {"freeze", T_FREEZE, 0, 1000, NULL, AT(freeze), P_ALL, NULL,
     "layers kept fixed (a number, or all-but-last)"},
    /* resources and search (pipelines/pipeline.h) */
    {"lexicon", T_PATH, 0, 0, NULL, AT(lexicon), P_WORDS, NULL, "CMUdict-format lexicon"},
    {"lm", T_PATH, 0, 0, NULL, AT(lm), P_ALL, NULL,
     "ARPA LM: words (staged, multitask) or characters (direct)"},
    {"beam", T_INT, 1, PIPELINE_MAX_BEAM, NULL, AT(search.beam), P_ALL, "search",
     "search beam (direct: 1 = greedy)"},
    {"lm_weight", T_FLOAT, -100, 100, NULL, AT(search.lm_weight), P_ALL, "search",
     "scale of LM log-probabilities"},
    {"word_penalty", T_FLOAT, -1000, 1000, NULL, AT(search.word_penalty), P_ALL, "search",
     "added per word (direct: per character)"},
    /* calibration and rejection (recognizer/reject.h); unset: none. Stored
     * only when set, so a model without them keeps its bytes. */
    {"confidence_scale", T_FLOAT, -1000, 1000, NULL, AT(search.conf_scale), P_ALL, "search",
     "calibrated word confidence sigmoid(a logit(c) + g gap + b): a (asr calibrate fits it)"},
    {"confidence_gap_scale", T_FLOAT, -1000, 1000, NULL, AT(search.conf_gap_scale), P_ALL, "search",
     "the same: g, per nat of the word's free-path gap"},
    {"confidence_bias", T_FLOAT, -1000, 1000, NULL, AT(search.conf_bias), P_ALL, "search",
     "the same: b"},
    {"reject_gap", T_FLOAT, 0, CTC_GAP_MAX, NULL, AT(search.reject_gap), P_ALL, "search",
     "reject an utterance (no words) whose free-path gap, nats per heard frame, is above"},
    {"reject_confidence", T_FLOAT, 0, 1, NULL, AT(search.reject_confidence), P_ALL, "search",
     "reject an utterance whose (calibrated) confidence is below"},
    {"time_start_shift", T_FLOAT, -1, 1, NULL, AT(search.time_start_shift), P_ALL, "search",
     "seconds added to every word's start (the model's measured timing bias removed)"},
    {"time_end_shift", T_FLOAT, -1, 1, NULL, AT(search.time_end_shift), P_ALL, "search",
     "seconds added to every word's end"},
    {"threads", T_INT, 0, 256, NULL, AT(threads), P_ALL, NULL, "threads (0 = all cores)"},
};
#define NKEYS (sizeof keys / sizeof keys[0])

/* Loss weights of output heads: "PIPELINE.HEAD_weight", checked against the
 * pipeline's heads when a run knows its pipeline (options_apply_head_weights). */
#define HEAD_WEIGHT_SUFFIX "_weight"
#define HEAD_WEIGHT_MAX    1000

void options_init(asr_options *o)
{
    memset(o, 0, sizeof *o);
    features_config_default(&o->feats);
    trainer_config_default(&o->train);
    o->layers = xstrdup("");
    o->search.beam = 0; /* not given: pipeline_options_fill completes them */
    o->search.lm_weight = NAN;
    o->search.word_penalty = NAN;
    o->search.conf_scale = o->search.conf_gap_scale = o->search.conf_bias = NAN;
    o->search.conf_agree_scale = NAN;
    o->search.reject_gap = o->search.reject_confidence = NAN;
    o->search.time_start_shift = o->search.time_end_shift = NAN;
    o->search_sweep = 1;
}

void options_free(asr_options *o)
{
    free(o->layers);
    free(o->lexicon);
    free(o->lm);
    free(o->init);
    for (int i = 0; i < o->n_head_weights; i++) free(o->head_weights[i].key);
    memset(o, 0, sizeof *o);
}

/* ---- looking keys up ---- */

static const option_key *find(const char *key)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (!strcmp(keys[i].key, key)) return &keys[i];
    return NULL;
}

static int unknown(const char *key)
{
    const char *best = suggest_name(key, &keys[0].key, (int)NKEYS, (int)sizeof keys[0]);
    if (best)
        return asr_error("unknown configuration key '%s' (did you mean '%s'?)", asr_quote(key),
                         best);
    return asr_error("unknown configuration key '%s' (asr train --help lists them)",
                     asr_quote(key));
}

/* ---- setting values ---- */

static void *field(asr_options *o, const option_key *k)
{
    return (char *)o + k->at;
}

/* An empty path names no file: `--set lm=` (a variable that was not set)
 * would otherwise decode without the LM the user meant to give. */
static int set_path(asr_options *o, const option_key *k, const char *v)
{
    if (!*v) return asr_error("%s = : an empty path (leave the key out for none)", k->key);
    char **p = field(o, k);
    free(*p);
    *p = xstrdup(v);
    o->search.lexicon_path = o->lexicon;
    o->search.lm_path = o->lm;
    return 0;
}

static void append_layer(asr_options *o, const char *layer)
{
    size_t n = strlen(o->layers);
    o->layers = xrealloc(o->layers, n + strlen(layer) + 2);
    sprintf(o->layers + n, "%s\n", layer);
}

static int set_value(asr_options *o, const option_key *k, const char *v)
{
    char what[96];
    snprintf(what, sizeof what, "%s =", k->key);
    double d;
    int i;
    switch (k->type) {
    case T_INT:
        return parse_int(what, v, (long)k->lo, (long)k->hi, field(o, k));
    case T_BOOL:
        return parse_int(what, v, 0, 1, field(o, k));
    case T_FLOAT:
        if (parse_double(what, v, k->lo, k->hi, &d) < 0) return -1;
        *(float *)field(o, k) = (float)d;
        return 0;
    case T_U64:
        return parse_u64(what, v, field(o, k));
    case T_CHOICE:
        return parse_choice(what, v, k->choices, field(o, k));
    case T_PATH:
        return set_path(o, k, v);
    case T_LAYER:
        append_layer(o, v);
        return 0;
    case T_FREEZE:
        if (!strcmp(v, "all-but-last")) {
            o->freeze = OPTIONS_ALL_BUT_LAST;
            return 0;
        }
        if (parse_int(what, v, 0, (long)k->hi, &i) < 0)
            return asr_error("freeze = %s: expected a number of layers (0 to %g) or all-but-last",
                             asr_quote(v), k->hi);
        o->freeze = i;
        return 0;
    }
    return asr_error("%s: unknown key type", k->key);
}

static int set_head_weight(asr_options *o, const char *key, const char *v)
{
    double d;
    char what[96];
    snprintf(what, sizeof what, "%s =", asr_quote(key));
    if (parse_double(what, v, 0, HEAD_WEIGHT_MAX, &d) < 0) return -1;
    int i = 0;
    while (i < o->n_head_weights && strcmp(o->head_weights[i].key, key)) i++;
    if (i == OPTIONS_MAX_HEAD_WEIGHTS)
        return asr_error("%s: more than %d head weights", asr_quote(key), OPTIONS_MAX_HEAD_WEIGHTS);
    if (i == o->n_head_weights) o->head_weights[o->n_head_weights++].key = xstrdup(key);
    o->head_weights[i].weight = (float)d;
    return 0;
}

static int is_head_weight(const char *key)
{
    size_t n = strlen(key), s = strlen(HEAD_WEIGHT_SUFFIX);
    const char *dot = strchr(key, '.');
    return dot && dot > key && n > s + 1 && !strcmp(key + n - s, HEAD_WEIGHT_SUFFIX) &&
           (size_t)(dot - key) < n - s - 1 && !strchr(dot + 1, '.');
}

int options_set(asr_options *o, const char *key, const char *value)
{
    const option_key *k = find(key);
    if (k) return set_value(o, k, value);
    if (is_head_weight(key)) return set_head_weight(o, key, value);
    return unknown(key);
}

int options_assign(asr_options *o, const char *assignment)
{
    const char *eq = strchr(assignment, '=');
    if (!eq) return asr_error("--set %s: expected KEY=VALUE", asr_quote(assignment));
    size_t n = (size_t)(eq - assignment);
    char key[128];
    if (n >= sizeof key) return asr_error("--set %s: key too long", asr_quote(assignment));
    memcpy(key, assignment, n);
    key[n] = '\0';
    if (!strcmp(key, "layer"))
        return asr_error("--set layer=...: use --layers to give the whole network");
    return options_set(o, key, eq + 1);
}

/* ---- files ---- */

static char *trim(char *s)
{
    while (isspace((unsigned char)*s)) s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1])) *--e = 0;
    return s;
}

/* The lines of LR, NAME:LINE in messages, every key behind PREFIX; with
 * SECTION, only the keys a model-file section stores (a model's search
 * settings cannot set lr). */
static int read_lines(asr_options *o, line_reader *lr, const char *name, const char *prefix,
                      const char *section)
{
    char *line;
    while ((line = line_reader_next(lr))) {
        char *hash = strchr(line, '#');
        if (hash) *hash = 0;
        char *s = trim(line);
        if (!*s) continue;
        char *eq = strchr(s, '=');
        if (!eq) return asr_error("%s:%ld: expected 'key = value'", name, lr->lineno);
        *eq = 0;
        char key[160];
        snprintf(key, sizeof key, "%s%.120s", prefix ? prefix : "", trim(s));
        const option_key *k = find(key);
        if (section && (!k || !k->section || strcmp(k->section, section)))
            return asr_error("%s:%ld: '%s' is not a %s setting", name, lr->lineno,
                             asr_quote(trim(s)), section);
        if (options_set(o, key, trim(eq + 1)) < 0)
            return asr_error("%s:%ld: %s", name, lr->lineno, asr_last_error());
    }
    return line_reader_error(lr);
}

int options_read_text(asr_options *o, const char *text, const char *name, const char *prefix)
{
    line_reader lr;
    if (line_reader_open_text(&lr, text, name) < 0) return -1;
    int rc = read_lines(o, &lr, name, prefix, NULL);
    line_reader_close(&lr);
    return rc;
}

int options_read_file(asr_options *o, const char *path)
{
    line_reader lr;
    if (line_reader_open(&lr, path) < 0) return -1;
    int rc = read_lines(o, &lr, path, NULL, NULL);
    line_reader_close(&lr);
    return rc;
}

int options_read_pipeline(asr_options *o, const char *pipeline)
{
    const char *text = pipeline_defaults(pipeline);
    if (!text) return asr_error("no built-in defaults for pipeline '%s'", asr_quote(pipeline));
    char name[64];
    snprintf(name, sizeof name, "pipelines/%s.conf", pipeline); /* one of the built-in names */
    return options_read_text(o, text, name, NULL);
}

void options_set_layers(asr_options *o, const char *layers)
{
    free(o->layers);
    o->layers = xstrdup(layers);
    for (char *c = o->layers; *c; c++)
        if (*c == ';') *c = '\n';
}

int options_set_dropout(asr_options *o, const char *rate)
{
    double p;
    if (parse_double("--dropout", rate, 0, 0.99, &p) < 0) return -1;
    /* Rewrite every "dropout X" line (into a stream: a line can grow,
     * "dropout" -> "dropout 0.123457"). */
    char *out = NULL, *copy = xstrdup(o->layers), *save = NULL;
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
        found |= !strncmp(s, "dropout", 7);
        if (!strncmp(s, "dropout", 7))
            fprintf(f, "dropout %g\n", p);
        else
            fprintf(f, "%s\n", l);
    }
    fclose(f);
    free(copy);
    if (!found) {
        free(out);
        return asr_error("--dropout: the network has no dropout layer (use --layers)");
    }
    free(o->layers);
    o->layers = out;
    return 0;
}

int options_check(const asr_options *o)
{
    if (features_config_check(&o->feats) < 0) return -1;
    if (!o->layers[0]) return asr_error("the configuration gives no network layers");
    return 0;
}

/* ---- sections and the effective configuration ---- */

/* KEY's value as a configuration file writes it. */
static void format_value(const asr_options *o, const option_key *k, char *buf, size_t n)
{
    const void *p = (const char *)o + k->at;
    switch (k->type) {
    case T_INT:
    case T_BOOL:
        snprintf(buf, n, "%d", *(const int *)p);
        return;
    case T_FLOAT:
        snprintf(buf, n, "%.9g", *(const float *)p);
        return;
    case T_U64:
        snprintf(buf, n, "%llu", (unsigned long long)*(const uint64_t *)p);
        return;
    case T_CHOICE: {
        const char *c = k->choices;
        for (int i = *(const int *)p; i > 0 && *c; i--) c += strcspn(c, "|") + 1;
        snprintf(buf, n, "%.*s", (int)strcspn(c, "|"), c);
        return;
    }
    case T_PATH:
        snprintf(buf, n, "%s", *(char *const *)p ? *(char *const *)p : "");
        return;
    case T_FREEZE:
        if (o->freeze == OPTIONS_ALL_BUT_LAST)
            snprintf(buf, n, "all-but-last");
        else
            snprintf(buf, n, "%d", o->freeze);
        return;
    case T_LAYER:
        snprintf(buf, n, "(%d lines)", 0);
        return;
    }
}

/* A number that is NaN is not set (search settings the pipeline or the
 * model fills in, no calibration): left out of what is written. */
static int unset(const asr_options *o, const option_key *k)
{
    return k->type == T_FLOAT && isnan(*(const float *)((const char *)o + k->at));
}

/* The part of KEY after the section's prefix ("features.rate" -> "rate"). */
static const char *in_section(const option_key *k)
{
    const char *dot = strchr(k->key, '.');
    return dot && !strncmp(k->key, k->section, (size_t)(dot - k->key)) ? dot + 1 : k->key;
}

char *options_format_section(const asr_options *o, const char *section)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (!f) return xstrdup("");
    for (size_t i = 0; i < NKEYS; i++) {
        if (!keys[i].section || strcmp(keys[i].section, section) || unset(o, &keys[i])) continue;
        char v[256];
        format_value(o, &keys[i], v, sizeof v);
        fprintf(f, "%s=%s\n", in_section(&keys[i]), v);
    }
    fclose(f);
    return out;
}

int options_parse_section(asr_options *o, const char *section, const char *text, const char *name)
{
    line_reader lr;
    if (line_reader_open_text(&lr, text, name) < 0) return -1;
    int rc = read_lines(o, &lr, name, !strcmp(section, "features") ? "features." : NULL, section);
    line_reader_close(&lr);
    return rc;
}

int options_add_inputs(const asr_options *o, io_set *io)
{
    for (size_t i = 0; i < NKEYS; i++) {
        const char *path =
            keys[i].type == T_PATH ? *(char *const *)((const char *)o + keys[i].at) : NULL;
        if (path && *path && io_set_input(io, path) < 0) return -1;
    }
    return 0;
}

/* Every key of O as "key = value" lines into F. RUN_ONLY (options_format_run)
 * leaves out threads and the paths. */
static void write_keys(const asr_options *o, FILE *f, int run_only)
{
    for (size_t i = 0; i < NKEYS; i++) {
        const option_key *k = &keys[i];
        if (run_only && (k->type == T_PATH || !strcmp(k->key, "threads"))) continue;
        if (k->type == T_LAYER) {
            char *layers = xstrdup(o->layers), *save = NULL;
            for (char *l = strtok_r(layers, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
                fprintf(f, "layer = %s\n", l);
            free(layers);
            continue;
        }
        /* Unset paths and "no freeze" are left out, as a file would. */
        if (k->type == T_PATH && !*(char *const *)((const char *)o + k->at)) continue;
        if (k->type == T_FREEZE && o->freeze == 0) continue;
        if (unset(o, k)) continue;
        char v[256];
        format_value(o, k, v, sizeof v);
        fprintf(f, "%s = %s\n", k->key, v);
    }
    for (int i = 0; i < o->n_head_weights; i++)
        fprintf(f, "%s = %.9g\n", o->head_weights[i].key, o->head_weights[i].weight);
}

int options_write(const asr_options *o, const char *pipeline, FILE *f)
{
    fprintf(f, "# effective configuration of this run (pipeline %s)\n", pipeline);
    write_keys(o, f, 0);
    return ferror(f) ? asr_error("write error") : 0;
}

char *options_format_run(const asr_options *o)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (!f) return xstrdup("");
    write_keys(o, f, 1);
    fclose(f);
    return out;
}

void options_describe(const asr_options *o, FILE *out)
{
    static const char *const type_names[] = {"int", "number", "0|1", "int",
                                             "",    "path",   "",    "int|all-but-last"};
    for (size_t i = 0; i < NKEYS; i++) {
        const option_key *k = &keys[i];
        char v[256] = "", range[512] = "";
        if (k->type != T_LAYER) format_value(o, k, v, sizeof v);
        /* A number outside its own range (NaN, beam 0) is "not set here":
         * the pipeline's search defaults fill it in. */
        const void *p = (const char *)o + k->at;
        double x = k->type == T_INT ? *(const int *)p : k->type == T_FLOAT ? *(const float *)p : 0;
        if ((k->type == T_INT || k->type == T_FLOAT) && !(x >= k->lo && x <= k->hi))
            snprintf(v, sizeof v, "set by the pipeline");
        else if (k->type == T_FLOAT)
            snprintf(v, sizeof v, "%g", x);
        if (k->type == T_INT || k->type == T_FLOAT)
            snprintf(range, sizeof range, " in [%g, %g]", k->lo, k->hi);
        else if (k->type == T_CHOICE)
            snprintf(range, sizeof range, " %s", k->choices);
        else if (k->type == T_LAYER)
            range[0] = ' ', network_kinds(range + 1, sizeof range - 1);
        else
            snprintf(range, sizeof range, " %s", type_names[k->type]);
        fprintf(out, "  %-24s %s%s%s%s%s\n", k->key, k->help, range, *v ? " (default " : "", v,
                *v ? ")" : "");
        if (k->pipelines)
            fprintf(out, "  %-24s   used by:%s%s%s\n", "", k->pipelines & P_DIRECT ? " direct" : "",
                    k->pipelines & P_STAGED ? " staged" : "",
                    k->pipelines & P_MULTITASK ? " multitask" : "");
    }
    fprintf(out,
            "  %-24s loss weight of an output head in [0, %d] (default 1), e.g. "
            "multitask.char_weight\n",
            "PIPELINE.HEAD_weight", HEAD_WEIGHT_MAX);
}

/* ---- one section at a time ----
 * Through a scratch configuration holding FEATS and SEARCH: the section's
 * keys are read or written there, so they keep the table's ranges. */

static char *format_one(const features_config *feats, const pipeline_options *search,
                        const char *section)
{
    asr_options o;
    options_init(&o);
    if (feats) o.feats = *feats;
    if (search) o.search = *search;
    char *text = options_format_section(&o, section);
    options_free(&o);
    return text;
}

/* Parse TEXT as SECTION into *FEATS or *SEARCH (left alone on an error);
 * CHECK: the features as a whole too. */
static int parse_one(const char *text, const char *section, const char *name, int check,
                     features_config *feats, pipeline_options *search)
{
    asr_options o;
    options_init(&o);
    if (feats) o.feats = *feats;
    if (search) {
        o.search = *search;
        o.search.lexicon_path = o.search.lm_path = NULL;
    }
    int rc = options_parse_section(&o, section, text, name);
    if (rc == 0 && check) rc = features_config_check(&o.feats);
    if (rc == 0 && feats) *feats = o.feats;
    if (rc == 0 && search) {
        const char *lexicon = search->lexicon_path, *lm = search->lm_path;
        *search = o.search;
        search->lexicon_path = lexicon;
        search->lm_path = lm;
    }
    options_free(&o);
    return rc;
}

char *features_config_format(const features_config *c)
{
    return format_one(c, NULL, "features");
}

int features_config_same(const features_config *a, const features_config *b)
{
    char *x = features_config_format(a), *y = features_config_format(b);
    int same = !strcmp(x, y);
    free(x);
    free(y);
    return same;
}

int features_config_parse(const char *text, features_config *c)
{
    return parse_one(text, "features", "features", 1, c, NULL);
}

int features_config_set(features_config *c, const char *assignment)
{
    return parse_one(assignment, "features", "features", 0, c, NULL);
}

char *pipeline_options_format(const pipeline_options *p)
{
    return format_one(NULL, p, "search");
}

int pipeline_options_parse(const char *text, pipeline_options *p)
{
    return parse_one(text, "search", "search settings", 0, NULL, p);
}
