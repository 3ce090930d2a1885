/* cmd_decode.c — `asr decode`: options in, one recognizer/decode.h call, rates out. */
#include "base/error.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "recognizer/decode.h"

#include <stdio.h>
#include <string.h>

static const char decode_usage[] =
    "usage: asr decode --model EXP/final.mdl [options] DATA_DIR\n"
    "\n"
    "Recognises every utterance of DATA_DIR and writes the hypotheses as a Kaldi\n"
    "text file (uttid words...) to --out (default: standard output). Prints the\n"
    "real-time factor (decoding seconds / audio seconds) and, when DATA_DIR has\n"
    "transcripts, the word error rate.\n"
    "\n"
    "  --out FILE           hypotheses file (written atomically)\n"
    "  --units FILE         also write the symbol sequences (characters or phones)\n"
    "  --stage words|phones what --out holds (phones: the staged or multitask\n"
    "                       pipeline's phone sequences, for phone error rate)\n"
    "  --beam N             search beam (direct: 1 = greedy; beam search uses the\n"
    "                       model's character LM; staged: width of the word search)\n"
    "  --lm FILE            ARPA LM: words (staged, multitask) or characters (direct)\n"
    "  --lexicon FILE       staged and multitask: replaces the model's lexicon\n"
    "  --lm-weight X --word-penalty X   LM scale and insertion bonus (per word;\n"
    "                       direct: per character)\n"
    "Search settings not given come from the model file (its training config).\n"
    "  --threads N          (default: all cores)   --batch-frames N\n"
    "  --set KEY=VALUE      any search setting (asr train --help lists the keys)\n"
    "  --stats FILE         the summary (utterances, audio seconds, RTF, WER and its\n"
    "                       S/D/I) as one JSON object, for scripts\n";

enum { O_MODEL = 1, O_OUT, O_UNITS, O_STAGE, O_STATS };

static const cli_option decode_options[] = {
    {"model", CLI_VALUE, NULL, O_MODEL}, {"out", CLI_VALUE, NULL, O_OUT},
    {"units", CLI_VALUE, NULL, O_UNITS}, {"stage", CLI_VALUE, NULL, O_STAGE},
    {"stats", CLI_VALUE, NULL, O_STATS}, CLI_SEARCH_OPTIONS,
};

typedef struct {
    asr_decode_job job;
    const char *stats;
} decode_cmd;

/* --stats: the numbers of the summary lines as one JSON object. */
static int write_stats(const char *path, const asr_decode_stats *st, double dec, int phones)
{
    char json[1024];
    int n = snprintf(json, sizeof json,
                     "{\"utterances\": %d, \"audio_seconds\": %.3f, \"seconds\": %.4f, "
                     "\"rtf\": %.6f, \"feature_seconds\": %.4f, \"search_seconds\": %.4f, "
                     "\"load_seconds\": %.4f",
                     st->utterances, st->audio_seconds, dec,
                     st->audio_seconds > 0 ? dec / st->audio_seconds : 0, st->feature_seconds,
                     st->search_seconds, st->load_seconds);
    if (st->have_ref) {
        const error_counts *e = &st->errors;
        double rate = metrics_rate(error_counts_errors(e), e->n_ref);
        n += snprintf(json + n, sizeof json - (size_t)n,
                      ", \"%s\": %.2f, \"ref\": %ld, \"sub\": %ld, \"del\": %ld, \"ins\": %ld",
                      phones ? "per" : "wer", rate, e->n_ref, e->sub, e->del, e->ins);
    }
    snprintf(json + n, sizeof json - (size_t)n, "}");
    return cli_write_stats(path, json);
}

static int handle(void *ctx, int id, const char *v)
{
    decode_cmd *c = ctx;
    asr_decode_job *j = &c->job;
    if (id == O_STATS) c->stats = v;
    if (id == O_MODEL) j->model = v;
    if (id == O_OUT) j->out = v;
    if (id == O_UNITS) j->units_out = v;
    if (id == O_STAGE) {
        if (strcmp(v, "words") && strcmp(v, "phones"))
            return asr_error("--stage %s: expected words or phones", v);
        j->phones = v[0] == 'p';
    }
    return 0;
}

static int run(decode_cmd *c, const cli_spec *spec, int argc, char **argv)
{
    asr_decode_job *j = &c->job;
    char *dir[1];
    int n;
    int rc = cli_parse(spec, argc, argv, dir, &n);
    if (rc != CLI_OK) return rc == CLI_HELP ? 0 : EXIT_USAGE;
    if (!j->model || n != 1) return cli_usage_error(spec, "--model and DATA_DIR are required");
    j->data_dir = dir[0];
    cli_apply_threads(j->conf->threads);
    asr_decode_stats st;
    if (asr_decode_dir(j, &st) < 0) {
        fprintf(stderr, "asr decode: %s\n", asr_last_error());
        return 1;
    }
    double dec = st.feature_seconds + st.search_seconds;
    fprintf(stderr,
            "asr decode: %d utterances, %.1f s of audio in %.2f s: RTF %.4f (features %.2f s, "
            "network and search %.2f s; model load %.2f s)\n",
            st.utterances, st.audio_seconds, dec, st.audio_seconds > 0 ? dec / st.audio_seconds : 0,
            st.feature_seconds, st.search_seconds, st.load_seconds);
    if (st.have_ref) metrics_print_rate(stderr, j->phones ? "PER" : "WER", &st.errors);
    if (c->stats && write_stats(c->stats, &st, dec, j->phones) < 0) {
        fprintf(stderr, "asr decode: %s\n", asr_last_error());
        return 1;
    }
    return 0;
}

int cmd_decode(int argc, char **argv)
{
    asr_options conf;
    options_init(&conf);
    decode_cmd c = {{NULL, NULL, "-", NULL, 0, &conf}, NULL};
    cli_spec spec = {"asr decode",
                     decode_usage,
                     decode_options,
                     (int)(sizeof decode_options / sizeof decode_options[0]),
                     &conf,
                     handle,
                     &c,
                     0,
                     1};
    int rc = run(&c, &spec, argc, argv);
    options_free(&conf);
    return rc;
}
