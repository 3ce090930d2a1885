/* cmd_compare.c — `asr compare`: several models on the same splits, one report. */
#include "base/alloc.h"
#include "cli/commands.h"
#include "base/error.h"
#include "base/numparse.h"
#include "base/out_dir.h"
#include "recognizer/eval.h"
#include "recognizer/evaluate.h"
#include "report/report_html.h"
#include "recognizer/run_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char compare_usage[] =
    "usage: asr compare --data DIR --out DIR [options] NAME=MODEL [NAME=MODEL...]\n"
    "\n"
    "Evaluates every model on DIR/train, train_dev, dev, test (as `asr eval`) and\n"
    "writes one report: OUT/report.md, OUT/report.json and OUT/report.html (self-\n"
    "contained, inline SVG: WER per split and model, training curves from each\n"
    "model's log.tsv, WER against training-set size). Among the models that meet\n"
    "every threshold it names the best by dev WER.\n"
    "\n"
    "  --bayes PCT  --max-rtf X  --max-latency-ms X  --max-size-mb X   as asr eval\n"
    "  --curve TSV          learning-curve points: lines 'SERIES SIZE WER'\n"
    "  --curve-split NAME   the split those WERs are on (default dev)\n"
    "  --title TEXT         report title\n"
    "  --splits A,B,..  --worst N  --threads N   as asr eval\n"
    "  --beam N --lm-weight X --word-penalty X   search options for every model;\n"
    "                       what is not given comes from each model file\n";

int cmd_compare(int argc, char **argv)
{
    run_config rc;
    run_config_init(&rc);
    const char *data = NULL, *out = NULL, *curve = NULL, *curve_split = "dev";
    const char *title = "asr: staged vs direct";
    char *splits_buf = NULL, *splits[16];
    int nsplits = 0, worst = 20, status = EXIT_USAGE, nm = 0;
    char **names = xcalloc((size_t)argc, sizeof(char *)),
         **paths = xcalloc((size_t)argc, sizeof(char *));
    double bayes = -1;
    dir_lock lock = {-1, NULL};
    eval_thresholds t = {0, 0, 0};
    eval_model *models = NULL;
    curve_point *pts = NULL;
    int npts = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(compare_usage, stdout);
            status = 0;
            goto done;
        }
        if (a[0] != '-') {
            const char *eq = strchr(a, '=');
            if (!eq || eq == a || !eq[1]) {
                fprintf(stderr, "asr compare: '%s': expected NAME=MODEL\n", a);
                goto done;
            }
            names[nm] = xstrdup(a);
            names[nm][eq - a] = 0;
            paths[nm++] = xstrdup(eq + 1);
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "asr compare: %s needs a value\n", a);
            goto done;
        }
        const char *v = argv[++i];
        int bad = 0;
        if (!strcmp(a, "--data"))
            data = v;
        else if (!strcmp(a, "--out"))
            out = v;
        else if (!strcmp(a, "--curve"))
            curve = v;
        else if (!strcmp(a, "--curve-split"))
            curve_split = v;
        else if (!strcmp(a, "--title"))
            title = v;
        else if (!strcmp(a, "--splits")) {
            splits_buf = xstrdup(v);
            char *save = NULL;
            for (char *s = strtok_r(splits_buf, ",", &save); s && nsplits < 16;
                 s = strtok_r(NULL, ",", &save))
                splits[nsplits++] = s;
        } else if (!strcmp(a, "--worst"))
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
            fprintf(stderr, "asr compare: %s\n", asr_last_error());
            goto done;
        }
        if (bad < 0) {
            fprintf(stderr, "asr compare: %s\n", asr_last_error());
            goto done;
        }
    }
    if (!data || !out || nm == 0) {
        fprintf(stderr, "asr compare: --data, --out and at least one NAME=MODEL are required\n%s",
                compare_usage);
        goto done;
    }
    if (nsplits == 0) {
        static char *def[] = {"train", "train_dev", "dev", "test"};
        for (nsplits = 0; nsplits < 4; nsplits++) splits[nsplits] = def[nsplits];
    }
    /* A name becomes a file name (errors-NAME.tsv) in OUT. */
    for (int k = 0; k < nm; k++) {
        int dup = 0;
        for (int j = 0; j < k; j++) dup |= !strcmp(names[j], names[k]);
        if (!*names[k] || strchr(names[k], '/') || !strcmp(names[k], ".") ||
            !strcmp(names[k], "..") || dup) {
            fprintf(stderr, "asr compare: model name '%s': %s\n", names[k],
                    dup ? "given twice" : "not a plain name (no '/', '.' or '..')");
            goto done;
        }
    }
    status = 1;
    /* OUT is this run's until it ends: a second compare writing it fails. */
    if (dir_lock_acquire(&lock, out) < 0) {
        fprintf(stderr, "asr compare: %s\n", asr_last_error());
        goto done;
    }
    run_config_apply_threads(&rc);
    if (curve && report_read_curve(curve, &pts, &npts) < 0) {
        fprintf(stderr, "asr compare: %s\n", asr_last_error());
        goto done;
    }
    models = xcalloc((size_t)nm, sizeof(eval_model));
    for (int k = 0; k < nm; k++)
        if (evaluate_model(names[k], paths[k], &rc.search, data, splits, nsplits, &models[k]) < 0) {
            fprintf(stderr, "asr compare: %s: %s\n", names[k], asr_last_error());
            for (int j = 0; j < k; j++) eval_model_free(&models[j]);
            free(models);
            models = NULL;
            goto done;
        }
    eval_write_markdown(stdout, models, nm, &t, bayes);
    char *html = xmalloc(strlen(out) + 16);
    sprintf(html, "%s/report.html", out);
    if (eval_write_reports(out, models, nm, &t, bayes, worst) < 0 ||
        report_html_write(html, title, models, nm, &t, bayes, pts, npts, curve_split) < 0)
        fprintf(stderr, "asr compare: %s\n", asr_last_error());
    else {
        fprintf(stderr, "asr compare: wrote %s/report.md, report.json, report.html\n", out);
        status = 0;
    }
    free(html);
done:
    dir_lock_release(&lock);
    if (models)
        for (int k = 0; k < nm; k++) eval_model_free(&models[k]);
    free(models);
    for (int i = 0; i < npts; i++) free(pts[i].series);
    free(pts);
    for (int k = 0; k < nm; k++) {
        free(names[k]);
        free(paths[k]);
    }
    free(names);
    free(paths);
    free(splits_buf);
    run_config_free(&rc);
    return status;
}
