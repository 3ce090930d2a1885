/* cmd_eval.c — `asr eval`: one model (or hypothesis files) over the splits. */
#include "base/alloc.h"
#include "cli/commands.h"
#include "base/error.h"
#include "base/numparse.h"
#include "base/out_dir.h"
#include "recognizer/eval.h"
#include "recognizer/evaluate.h"
#include "base/fileio.h"
#include "recognizer/run_config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char eval_usage[] =
    "usage: asr eval --model EXP/final.mdl --data DIR [options]\n"
    "       asr eval --hyps HYP_DIR --data DIR [options]\n"
    "       asr eval --tally ERRORS.tsv\n"
    "\n"
    "Evaluates a model on DIR/train, DIR/train_dev, DIR/dev and DIR/test (those that\n"
    "exist): WER with S/D/I, CER, PER (staged and multitask), sentence error rate,\n"
    "real-time factor, latency per utterance (median, 95th percentile) and model size. With\n"
    "--hyps, scores HYP_DIR/SPLIT.txt (Kaldi text) instead of decoding. Prints a\n"
    "Markdown report; with --out writes report.md, report.json and errors.tsv (the\n"
    "worst utterances with audio path and transcripts, and an empty 'category'\n"
    "column to tag; --tally counts the tags).\n"
    "\n"
    "  --splits A,B,..      splits to evaluate (default train,train_dev,dev,test)\n"
    "  --name NAME          the model's name in the report (default: its directory)\n"
    "  --bayes PCT          human-level (Bayes) error estimate: decompose the errors into\n"
    "                       avoidable bias, variance, data mismatch, over-tuning to dev\n"
    "  --max-rtf X  --max-latency-ms X  --max-size-mb X   satisficing thresholds\n"
    "  --out DIR            write the report files there\n"
    "  --worst N            worst utterances per split in errors.tsv (default 20)\n"
    "  --beam N --lm-weight X --word-penalty X --lexicon F --lm F   search options\n"
    "                       (what is not given comes from the model file)\n"
    "  --threads N\n";

/* Comma-separated list into SPLITS (pointers into a copy kept in *BUF). */
static int parse_splits(const char *arg, char **buf, char **splits, int max)
{
    *buf = xstrdup(arg);
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(*buf, ",", &save); t && n < max; t = strtok_r(NULL, ",", &save))
        splits[n++] = t;
    return n;
}

int cmd_eval(int argc, char **argv)
{
    run_config rc;
    run_config_init(&rc);
    const char *model = NULL, *hyps = NULL, *data = NULL, *out = NULL, *name = NULL, *tally = NULL;
    char *split_buf = NULL, *splits[16];
    int nsplits = 0, worst = 20, status = EXIT_USAGE;
    double bayes = -1;
    dir_lock lock = {-1, NULL};
    eval_thresholds t = {0, 0, 0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(eval_usage, stdout);
            status = 0;
            goto done;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "asr eval: unexpected argument '%s'\n%s", a, eval_usage);
            goto done;
        }
        const char *v = argv[++i];
        int bad = 0;
        if (!strcmp(a, "--model"))
            model = v;
        else if (!strcmp(a, "--hyps"))
            hyps = v;
        else if (!strcmp(a, "--data"))
            data = v;
        else if (!strcmp(a, "--out"))
            out = v;
        else if (!strcmp(a, "--name"))
            name = v;
        else if (!strcmp(a, "--tally"))
            tally = v;
        else if (!strcmp(a, "--splits"))
            nsplits = parse_splits(v, &split_buf, splits, 16);
        else if (!strcmp(a, "--worst"))
            bad = parse_int(a, v, 0, 1000000, &worst);
        else if (!strcmp(a, "--bayes"))
            bad = parse_double(a, v, 0, 100, &bayes);
        else if (!strcmp(a, "--max-rtf"))
            bad = parse_double(a, v, 0, 1e6, &t.max_rtf);
        else if (!strcmp(a, "--max-latency-ms"))
            bad = parse_double(a, v, 0, 1e9, &t.max_latency_ms);
        else if (!strcmp(a, "--max-size-mb"))
            bad = parse_double(a, v, 0, 1e9, &t.max_size_mb);
        else if (run_config_option(&rc, a, v) < 0) {
            fprintf(stderr, "asr eval: %s\n", asr_last_error());
            goto done;
        }
        if (bad < 0) {
            fprintf(stderr, "asr eval: %s\n", asr_last_error());
            goto done;
        }
    }
    if (tally) {
        status = eval_tally(tally, stdout) < 0 ? 1 : 0;
        if (status) fprintf(stderr, "asr eval: %s\n", asr_last_error());
        goto done;
    }
    if ((!model == !hyps) || !data) {
        fprintf(stderr, "asr eval: --data and one of --model or --hyps are required\n%s",
                eval_usage);
        goto done;
    }
    if (nsplits == 0) {
        static char *def[] = {"train", "train_dev", "dev", "test"};
        for (nsplits = 0; nsplits < 4; nsplits++) splits[nsplits] = def[nsplits];
    }
    /* OUT is this run's until it ends: a second eval writing it fails. */
    if (out && dir_lock_acquire(&lock, out) < 0) {
        fprintf(stderr, "asr eval: %s\n", asr_last_error());
        status = 1;
        goto done;
    }
    run_config_apply_threads(&rc);
    if (!name) {
        /* The experiment directory's name. */
        const char *p = model ? model : hyps;
        static char buf[256];
        const char *slash = strrchr(p, '/');
        if (slash && slash > p) {
            const char *s2 = slash - 1;
            while (s2 > p && *s2 != '/') s2--;
            if (*s2 == '/') s2++;
            snprintf(buf, sizeof buf, "%.*s", (int)(slash - s2), s2);
        } else {
            snprintf(buf, sizeof buf, "%s", p);
        }
        name = buf;
    }
    eval_model m;
    int r = model ? evaluate_model(name, model, &rc.search, data, splits, nsplits, &m)
                  : evaluate_hyps(name, hyps, data, splits, nsplits, &m);
    if (r < 0) {
        fprintf(stderr, "asr eval: %s\n", asr_last_error());
        status = 1;
        goto done;
    }
    if (m.n == 0) {
        fprintf(stderr, "asr eval: no split of %s found\n", data);
        eval_model_free(&m);
        status = 1;
        goto done;
    }
    eval_write_markdown(stdout, &m, 1, &t, bayes);
    status = 0;
    if (out && eval_write_reports(out, &m, 1, &t, bayes, worst) < 0) {
        fprintf(stderr, "asr eval: %s\n", asr_last_error());
        status = 1;
    }
    eval_model_free(&m);
done:
    dir_lock_release(&lock);
    free(split_buf);
    run_config_free(&rc);
    return status;
}
