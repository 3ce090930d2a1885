/* cmd_decode.c — `asr decode`: a model over a data directory, hypotheses out. */
#include "base/alloc.h"
#include "cli/commands.h"
#include "text/corpus.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/input_set.h"
#include "text/metrics.h"
#include "recognizer/model.h"
#include "recognizer/run_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
    "  --threads N          (default: all cores)\n";

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int write_text(const char *path, const train_set *s, pipeline_result *res, int units)
{
    atomic_file af;
    FILE *f = stdout;
    if (path) {
        if (atomic_file_open(&af, path, "w") < 0) return -1;
        f = af.fp;
    }
    for (int i = 0; i < s->n; i++) {
        const char *t = units ? res[i].units : res[i].words;
        fprintf(f, "%s%s%s\n", s->ids[i], *t ? " " : "", t);
    }
    return path ? atomic_file_commit(&af) : fflush(stdout);
}

/* Neither output may replace an input (the references in DIR/text, the
 * model, ...) or the other output. */
static int check_outputs(const char *out, const char *units, const char *dir, const corpus *c,
                         const char *model, const run_config *rc)
{
    input_set in;
    input_set_init(&in);
    corpus_add_inputs(&in, dir, c);
    input_set_add(&in, model);
    if (rc->lexicon) input_set_add(&in, rc->lexicon);
    if (rc->lm) input_set_add(&in, rc->lm);
    int bad = (out && input_set_check_file(&in, out) < 0) ||
              (units && input_set_check_file(&in, units) < 0);
    input_set_free(&in);
    if (!bad && out && units && strcmp(out, "-") && !strcmp(out, units))
        bad = asr_error("--out and --units are both %s", out);
    return bad ? -1 : 0;
}

int cmd_decode(int argc, char **argv)
{
    run_config rc;
    run_config_init(&rc);
    const char *model = NULL, *dir = NULL, *out = NULL, *units_out = NULL;
    int phones = 0, status = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(decode_usage, stdout);
            run_config_free(&rc);
            return 0;
        }
        if (a[0] != '-') {
            if (dir) {
                fprintf(stderr, "asr decode: one data directory only\n%s", decode_usage);
                run_config_free(&rc);
                return EXIT_USAGE;
            }
            dir = a;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "asr decode: %s needs a value\n", a);
            run_config_free(&rc);
            return EXIT_USAGE;
        }
        const char *v = argv[++i];
        if (!strcmp(a, "--model"))
            model = v;
        else if (!strcmp(a, "--out"))
            out = v;
        else if (!strcmp(a, "--units"))
            units_out = v;
        else if (!strcmp(a, "--stage")) {
            if (strcmp(v, "words") && strcmp(v, "phones")) {
                fprintf(stderr, "asr decode: --stage %s: expected words or phones\n", v);
                run_config_free(&rc);
                return EXIT_USAGE;
            }
            phones = v[0] == 'p';
        } else if (run_config_option(&rc, a, v) < 0) {
            fprintf(stderr, "asr decode: %s\n", asr_last_error());
            run_config_free(&rc);
            return EXIT_USAGE;
        }
    }
    if (!model || !dir) {
        fprintf(stderr, "asr decode: --model and DATA_DIR are required\n%s", decode_usage);
        run_config_free(&rc);
        return EXIT_USAGE;
    }
    run_config_apply_threads(&rc);
    asr_model m;
    corpus c;
    memset(&c, 0, sizeof c);
    train_set s;
    memset(&s, 0, sizeof s);
    pipeline_result *res = NULL;
    double t0 = now_seconds();
    if (asr_model_load(model, &rc.search, &m) < 0) {
        fprintf(stderr, "asr decode: %s\n", asr_last_error());
        run_config_free(&rc);
        return 1;
    }
    double t1 = now_seconds(), audio = 0;
    if (corpus_read(dir, &c) < 0 || check_outputs(out, units_out, dir, &c, model, &rc) < 0 ||
        asr_model_features(&m.feats, &c, rc.threads, &s, &audio) < 0) {
        fprintf(stderr, "asr decode: %s\n", asr_last_error());
        goto done;
    }
    double t2 = now_seconds();
    res = xcalloc((size_t)(s.n ? s.n : 1), sizeof *res);
    asr_model_decode(&m, NULL, &s, rc.train.batch_frames, res);
    double t3 = now_seconds();
    if (write_text(out, &s, res, phones) < 0 ||
        (units_out && write_text(units_out, &s, res, 1) < 0)) {
        fprintf(stderr, "asr decode: %s\n", asr_last_error());
        goto done;
    }
    double dec = t3 - t1;
    fprintf(stderr,
            "asr decode: %d utterances, %.1f s of audio in %.2f s: RTF %.4f (features %.2f s, "
            "network and search %.2f s; model load %.2f s)\n",
            s.n, audio, dec, audio > 0 ? dec / audio : 0, t2 - t1, t3 - t2, t1 - t0);
    /* With transcripts at hand, say how good the hypotheses are. */
    error_counts acc;
    memset(&acc, 0, sizeof acc);
    int have_ref = 0;
    for (int i = 0; i < c.n; i++) {
        const char *ref = phones ? c.utts[i].phones : c.utts[i].text;
        if (!ref) continue;
        have_ref = 1;
        if (metrics_score(&acc, c.utts[i].id, ref, phones ? res[i].units : res[i].words,
                          METRICS_WORDS, NULL) < 0)
            fprintf(stderr, "asr decode: warning: %s; left out of the error rate\n",
                    asr_last_error());
    }
    if (have_ref) metrics_print_rate(stderr, phones ? "PER" : "WER", &acc);
    status = 0;
done:
    if (res)
        for (int i = 0; i < s.n; i++) pipeline_result_free(&res[i]);
    free(res);
    train_set_free(&s);
    corpus_free(&c);
    asr_model_free(&m);
    run_config_free(&rc);
    return status;
}
