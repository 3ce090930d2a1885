/* fuzz_config.c — configuration files and command-line settings.
 *
 * The input is read as `asr train` reads a configuration file
 * (recognizer/options.h), one line at a time: a line starting with "--"
 * is a command-line option and its value ("--set KEY=VALUE", "--layers
 * ...", "--dropout P", "--lr X"; the option ends at the first space),
 * anything else "key = value" ('#' starts a comment); and as a whole, as a
 * configuration file's text (options_read_text). Then options_check,
 * the feature configuration's text round trip (src/signal/features.h), the search
 * settings' parser (pipelines/pipeline.h) on the whole input and on what
 * its formatter writes, and network_build (src/nn/network.h) on the layers
 * given. A network small enough is initialised and run forward on a few
 * frames (the harness bounds its own work: no more than NET_MAX_PARAMS
 * parameters, FRAMES frames).
 */
#include "fuzz_common.h"

#include "signal/features.h"
#include "nn/network.h"
#include "pipelines/pipeline.h"
#include "recognizer/options.h"

#include <ctype.h>
#include <math.h>

#define MAX_LINES      512
#define NET_MAX_PARAMS (1 << 18)
#define NET_MAX_DIM    4096
#define FRAMES         12

static char *trim(char *s)
{
    while (isspace((unsigned char)*s)) s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1])) *--e = 0;
    return s;
}

/* An option as the commands map it: --set, --layers, --dropout, or a key
 * spelled as an option (--batch-frames is batch_frames). */
static void apply_option(asr_options *o, char *opt, const char *value)
{
    if (!strcmp(opt, "--set")) {
        (void)options_assign(o, value);
    } else if (!strcmp(opt, "--layers")) {
        options_set_layers(o, value);
    } else if (!strcmp(opt, "--dropout")) {
        (void)options_set_dropout(o, value);
    } else {
        for (char *c = opt; *c; c++)
            if (*c == '-') *c = '_';
        (void)options_set(o, opt + 2, value);
    }
}

static void apply_line(asr_options *rc, char *line)
{
    if (line[0] == '-' && line[1] == '-') {
        char *sp = strchr(line, ' ');
        const char *value = "";
        if (sp) {
            *sp = 0;
            value = sp + 1;
        }
        apply_option(rc, line, value);
        return;
    }
    char *hash = strchr(line, '#');
    if (hash) *hash = 0;
    char *s = trim(line);
    if (!*s) return;
    char *eq = strchr(s, '=');
    if (!eq) return;
    *eq = 0;
    (void)options_set(rc, trim(s), trim(eq + 1));
}

/* format -> parse -> format gives the same text. */
static void features_round_trip(const features_config *c)
{
    char *text = features_config_format(c);
    features_config back;
    features_config_default(&back);
    if (features_config_parse(text, &back) < 0) {
        fprintf(stderr, "fuzz_config: a checked feature configuration does not parse back: %s\n%s",
                asr_last_error(), text);
        abort();
    }
    char *again = features_config_format(&back);
    if (strcmp(text, again)) {
        fprintf(stderr, "fuzz_config: feature configuration changed in a round trip:\n%s--\n%s",
                text, again);
        abort();
    }
    free(text);
    free(again);
}

static void search_settings(const char *input, const pipeline_options *given)
{
    pipeline_options o = pipeline_options_defaults;
    (void)pipeline_options_parse(input, &o);
    o = *given;
    pipeline_options_fill(&o, &pipeline_options_defaults);
    char *text = pipeline_options_format(&o);
    pipeline_options back = pipeline_options_defaults;
    if (pipeline_options_parse(text, &back) < 0) {
        fprintf(stderr, "fuzz_config: search settings do not parse back: %s\n%s", asr_last_error(),
                text);
        abort();
    }
    free(text);
}

static void run_network(const network *net, uint64_t seed)
{
    if (net->num_params > NET_MAX_PARAMS || net->in_dim > NET_MAX_DIM) return;
    for (int i = 0; i < net->n; i++)
        if (net->layers[i].out > NET_MAX_DIM || net->layers[i].in > NET_MAX_DIM) return;
    (void)network_flops(net, FRAMES);
    if (network_out_len(net, FRAMES) < 0) return;
    float *params = malloc((net->num_params + 1) * sizeof(float));
    float *x = malloc((size_t)2 * FRAMES * net->in_dim * sizeof(float) + 1);
    if (!params || !x) abort();
    network_init(net, params, seed);
    uint64_t s = seed;
    for (size_t i = 0; i < (size_t)2 * FRAMES * net->in_dim; i++) x[i] = fuzz_uniform(&s);
    network_work w;
    network_work_init(&w, net);
    int lens[2] = {FRAMES, FRAMES / 2 + 1}, To, out_lens[2];
    (void)network_forward(net, params, &w, x, lens, 2, FRAMES, 0, NULL, &To, out_lens);
    network_work_free(&w, net);
    free(x);
    free(params);
}

static void networks(const asr_options *rc, int checked, uint64_t seed)
{
    int in_dims[2] = {checked ? features_dim(&rc->feats) : 13, 3};
    for (int k = 0; k < 2; k++) {
        if (in_dims[k] < 1 || in_dims[k] > NET_MAX_DIM) continue;
        network net;
        if (network_build(&net, rc->layers, in_dims[k], 29) < 0) {
            fuzz_refused("network refused");
            continue;
        }
        /* The canonical description builds the same network. */
        char *desc = network_describe(&net);
        network again;
        if (network_build(&again, desc, in_dims[k], 29) < 0 || again.n != net.n ||
            again.num_params != net.num_params) {
            fprintf(stderr, "fuzz_config: network_describe's text builds another network:\n%s",
                    desc);
            abort();
        }
        network_free(&again);
        free(desc);
        run_network(&net, seed);
        fuzz_note("network built");
        network_free(&net);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    char *text = fuzz_cstr(data, size);
    asr_options rc;
    options_init(&rc);
    char *copy = fuzz_cstr(data, size), *save = NULL;
    int n = 0;
    for (char *l = strtok_r(copy, "\n", &save); l && n < MAX_LINES;
         l = strtok_r(NULL, "\n", &save), n++)
        apply_line(&rc, l);
    free(copy);
    int checked = options_check(&rc) == 0;
    checked ? fuzz_note("configuration checked") : fuzz_refused("configuration refused");
    if (checked) features_round_trip(&rc.feats);
    /* The same text as a model file's "features" and "search" sections. */
    features_config fc;
    features_config_default(&fc);
    if (features_config_parse(text, &fc) == 0) features_round_trip(&fc);
    search_settings(text, &rc.search);
    networks(&rc, checked, fuzz_hash(data, size));
    options_free(&rc);
    asr_options whole;
    options_init(&whole);
    (void)options_read_text(&whole, text, "fuzz", NULL);
    options_free(&whole);
    free(text);
    return 0;
}
