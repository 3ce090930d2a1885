/* report_html.c — the HTML report; see report_html.h. */
#include "report/report_html.h"

#include "base/alloc.h"
#include "base/atomic_file.h"
#include "base/build_info.h"
#include "base/error.h"
#include "base/fileio.h"
#include "report/charts.h"
#include "report/html_table.h"
#include "report/svg.h"
#include "report/worst.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Validation error per epoch from a trainer log.tsv (columns: epoch ... valid_error ...). */
static int read_log(const char *path, chart_xy **out)
{
    *out = NULL;
    if (!path) return 0;
    line_reader lr;
    if (line_reader_open(&lr, path) < 0) return 0;
    char *line;
    int n = 0, col = -1;
    while ((line = line_reader_next(&lr))) {
        char *f[16];
        int nf = 0;
        for (char *save = NULL, *t = strtok_r(line, "\t", &save); t && nf < 16;
             t = strtok_r(NULL, "\t", &save))
            f[nf++] = t;
        if (col < 0) {
            for (int i = 0; i < nf; i++)
                if (!strcmp(f[i], "valid_error")) col = i;
            if (col < 0) break;
            continue;
        }
        if (col >= nf) continue;
        *out = xrealloc(*out, sizeof(chart_xy) * (size_t)(n + 1));
        (*out)[n++] = (chart_xy){atof(f[0]), atof(f[col])};
    }
    /* A damaged log loses its curve, not the report. */
    if (line_reader_error(&lr) < 0) {
        free(*out);
        *out = NULL;
        n = 0;
    }
    line_reader_close(&lr);
    return n;
}

int report_read_curve(const char *path, curve_point **pts, int *n)
{
    *pts = NULL;
    *n = 0;
    line_reader lr;
    if (line_reader_open(&lr, path) < 0) return -1;
    char *line;
    while ((line = line_reader_next(&lr))) {
        char *f[4];
        int nf = split_fields(line, f, 4);
        if (nf == 0) continue;
        char *e1 = NULL, *e2 = NULL;
        double size = nf == 3 ? strtod(f[1], &e1) : 0, wer = nf == 3 ? strtod(f[2], &e2) : 0;
        int numbers = nf == 3 && e1 != f[1] && !*e1 && e2 != f[2] && !*e2;
        if (!numbers && lr.lineno == 1 && nf == 3) continue; /* a header */
        /* Sizes go on a log axis: each must be a positive finite number. */
        if (!numbers || !(size > 0) || !isfinite(size)) {
            long lineno = lr.lineno; /* closing forgets it */
            line_reader_close(&lr);
            return asr_error("%s:%ld: expected 'SERIES SIZE WER' with SIZE > 0", path, lineno);
        }
        *pts = xrealloc(*pts, sizeof(curve_point) * (size_t)(*n + 1));
        (*pts)[(*n)++] = (curve_point){xstrdup(f[0]), size, wer};
    }
    int rc = line_reader_error(&lr);
    line_reader_close(&lr);
    return rc;
}

static int by_x(const void *a, const void *b)
{
    double x = ((const chart_xy *)a)->x, y = ((const chart_xy *)b)->x;
    return x < y ? -1 : x > y;
}

/* A header per model, in order. */
static void model_headers(html_table *t, const eval_model *m, int nm)
{
    for (int k = 0; k < nm; k++) html_th(t, m[k].name);
}

/* Whether some model analyses split NAME (eval_analysed_split). */
static int analysed(const eval_model *m, int nm, const char *name)
{
    for (int k = 0; k < nm; k++) {
        const eval_split *s = eval_find_split(m[k].splits, m[k].n, name);
        if (s && eval_analysed_split(&m[k], s)) return 1;
    }
    return 0;
}

/* One table per split: a row per speaker, a column per model, so a speaker
 * the models fail stands out from the split's mean. */
static void speaker_tables(FILE *f, const eval_model *m, int nm)
{
    const char **names;
    int ns = eval_split_names(m, nm, &names);
    for (int j = 0; j < ns; j++) {
        eval_speaker *rows;
        double *wer;
        int n = eval_speaker_table(m, nm, names[j], &rows, &wer);
        /* Collapsed but for the splits analysed (a training split may have
         * hundreds of speakers). */
        fprintf(f, "<details%s><summary>", analysed(m, nm, names[j]) ? " open" : "");
        html_esc(f, names[j]);
        fprintf(f, ": %d speaker%s</summary>\n", n, n == 1 ? "" : "s");
        html_table t;
        html_table_open(&t, f, NULL, "small");
        html_th(&t, "speaker");
        html_th(&t, "utts");
        html_th(&t, "words");
        model_headers(&t, m, nm);
        for (int r = 0; r < n; r++) {
            html_tr(&t);
            html_td_text(&t, "id", rows[r].speaker);
            html_td_printf(&t, NULL, "%d", rows[r].utts);
            html_td_printf(&t, NULL, "%ld", rows[r].words);
            for (int k = 0; k < nm; k++) {
                double w = wer[(size_t)r * nm + k];
                if (isnan(w))
                    html_td_text(&t, NULL, "–");
                else
                    html_td_printf(&t, NULL, "%.2f", w);
            }
        }
        html_table_close(&t);
        fputs("</details>\n", f);
        free(rows);
        free(wer);
    }
    free(names);
}

/* " [lo–hi]" of S's 95% interval (over speakers with BY_SPEAKER), or nothing. */
static void interval(FILE *f, const eval_split *s, int by_speaker)
{
    bootstrap_result r;
    if (eval_wer_interval(s, by_speaker, &r) == 0)
        fprintf(f, "%.2f–%.2f", r.lo, r.hi);
    else
        fputs("–", f);
}

/* The verdict, first (eval_choose): the model the report recommends, its
 * WER on the split it is chosen by with the interval, on what grounds, what
 * it misses, how sure its lead over each other model is, and for one model
 * where its errors come from. */
static void verdict(FILE *f, const eval_model *m, int nm, const eval_thresholds *t, double bayes)
{
    fputs("<h2>Verdict</h2>\n<div id='verdict'>\n<p>", f);
    eval_choice ch = eval_choose(m, nm, t);
    int k = ch.model >= 0 ? ch.model : 0;
    if (ch.model >= 0 && nm > 1)
        fputs("Best: <b class='best'>", f);
    else
        fputs("<b>", f);
    html_esc(f, m[k].name);
    fputs("</b>", f);
    if (ch.model < 0 && nm > 1) fputs(" (the first: no dev or test split to choose by)", f);
    /* Its WER where it is chosen (dev), or on every split but training's. */
    for (int i = 0, shown = 0; i < m[k].n; i++) {
        const eval_split *s = &m[k].splits[i];
        if (!eval_analysed_split(&m[k], s)) continue;
        fprintf(f, "%s WER %.2f%% on %s (95%% interval ", shown++ ? ";" : ",", eval_wer(s),
                s->name);
        interval(f, s, 0);
        fputs(" over utterances, ", f);
        interval(f, s, 1);
        fputs(" over speakers)", f);
    }
    fputs(".", f);
    if (ch.model >= 0 && nm > 1)
        fprintf(f,
                !ch.meets                ? " No model meets every threshold: it has the lowest "
                                           "WER on %s of all."
                : eval_thresholds_set(t) ? " The lowest WER on %s among the models that meet "
                                           "every threshold."
                                         : " The lowest WER on %s.",
                ch.split);
    char *miss = eval_misses(&m[k], t);
    if (miss) {
        fputs(" It misses <span class='miss'>", f);
        html_esc(f, miss);
        fputs("</span>.", f);
    } else if (nm == 1 && eval_thresholds_set(t)) {
        fputs(" It meets every threshold.", f);
    }
    free(miss);
    fputs("</p>\n", f);
    eval_comparison *c;
    int n = eval_comparisons(m, nm, t, &c);
    if (n) fputs("<ul class='comparisons'>\n", f);
    for (int i = 0; i < n; i++) {
        const bootstrap_result *r = &c[i].r;
        int sure = r->lo > 0 || r->hi < 0;
        fputs("<li>", f);
        html_esc(f, c[i].a);
        fputs(sure ? (r->value < 0 ? " better than " : " worse than ") : " and ", f);
        html_esc(f, c[i].b);
        char pv[32];
        bootstrap_format_p(pv, sizeof pv, r->p);
        fprintf(f, " on %s: %+.2f WER points [%+.2f, %+.2f], %s%s</li>\n", c[i].split, r->value,
                r->lo, r->hi, pv,
                sure ? "" : ": <i>not a sure difference</i> (the interval holds 0)");
    }
    if (n) fputs("</ul>\n", f);
    free(c);
    if (bayes >= 0) {
        eval_decomposition d = eval_decompose(m[k].splits, m[k].n, bayes);
        if (d.largest >= 0) {
            fprintf(f, "<p>Its largest gap: <b>%s</b>. Knobs: ", eval_gap_name(d.largest));
            html_esc(f, eval_knobs(d.largest));
            fputs(".</p>\n", f);
        }
    }
    fputs("</div>\n", f);
}

/* Timing V with DECIMALS as a cell, "–" when not timed (NAN). */
static void timing_cell(html_table *t, double v, int decimals)
{
    if (isnan(v))
        html_td_text(t, NULL, "–");
    else
        html_td_printf(t, NULL, "%.*f", decimals, v);
}

/* A table of MO's splits: a row per split, its name then ROW's cells, under
 * HEAD[0..n) (the first: the split's). */
static void splits_table(FILE *f, const eval_model *mo, const char *const *head, int n,
                         void (*row)(html_table *, const eval_split *))
{
    html_table t;
    html_table_open(&t, f, NULL, "small");
    html_ths(&t, head, n);
    for (int i = 0; i < mo->n; i++) {
        html_tr(&t);
        html_td_text(&t, NULL, mo->splits[i].name);
        row(&t, &mo->splits[i]);
    }
    html_table_close(&t);
}

/* A split's errors: intervals, S/D/I, the other rates. */
static void errors_row(html_table *t, const eval_split *s)
{
    html_td_printf(t, NULL, "%d", s->n);
    html_td_printf(t, NULL, "%.2f", eval_wer(s));
    for (int by_speaker = 0; by_speaker < 2; by_speaker++) {
        html_td(t, NULL);
        interval(t->f, s, by_speaker);
        fputs("</td>", t->f);
    }
    html_td_printf(t, NULL, "%ld", s->words.sub);
    html_td_printf(t, NULL, "%ld", s->words.del);
    html_td_printf(t, NULL, "%ld", s->words.ins);
    html_td_printf(t, NULL, "%.2f", metrics_rate(error_counts_errors(&s->chars), s->chars.n_ref));
    html_td_printf(t, NULL, "%.2f", metrics_rate(s->words.sent_err, s->words.sent));
}

/* A split's timings by the wall clock and in CPU time. */
static void timings_row(html_table *t, const eval_split *s)
{
    timing_cell(t, s->decode_seconds < 0 ? NAN : s->audio_seconds, 1);
    for (int j = 0; j < 6; j++) /* eval_timing's order */
        timing_cell(t, eval_split_timing(s, (eval_timing)j), j % 3 ? 1 : 4);
}

/* Every split of MO: its errors in one table, its timings in another. */
static void split_details(FILE *f, const eval_model *mo)
{
    static const char *const errors[] = {"split",
                                         "utts",
                                         "WER %",
                                         "95% interval over utterances",
                                         "95% interval over speakers",
                                         "S",
                                         "D",
                                         "I",
                                         "CER %",
                                         "SER %"};
    static const char *const timings[] = {"split",          "audio s",        "RTF",
                                          "latency p50 ms", "latency p95 ms", "CPU RTF",
                                          "CPU p50 ms",     "CPU p95 ms"};
    splits_table(f, mo, errors, (int)(sizeof errors / sizeof *errors), errors_row);
    if (isnan(eval_model_timing(mo, EVAL_RTF)))
        fputs("<p>Not timed: scored from hypotheses.</p>\n", f);
    else
        splits_table(f, mo, timings, (int)(sizeof timings / sizeof *timings), timings_row);
}

/* Each model in full: its search; every split's errors in one table and
 * its timings in another (side by side they would not fit a page); its
 * most frequent confusions (the heat map pools words past its sixteenth).
 * The decomposition and thresholds have their own sections above. */
static void details(FILE *f, const eval_model *m, int nm)
{
    fputs("<h2>Details</h2>\n", f);
    for (int k = 0; k < nm; k++) {
        const eval_model *mo = &m[k];
        fputs("<h3>", f);
        html_esc(f, mo->name);
        fputs("</h3>\n<p>Model <code>", f);
        html_esc(f, mo->model_path);
        fprintf(f, "</code> (%.2f MB).", mo->size_mb);
        if (mo->has_search)
            fprintf(f, " Search: beam %d, LM weight %g, word penalty %g.", mo->search.beam,
                    (double)mo->search.lm_weight, (double)mo->search.word_penalty);
        fputs("</p>\n", f);
        split_details(f, mo);
        for (int i = 0; i < mo->n; i++) {
            const eval_split *s = &mo->splits[i];
            if (!eval_analysed_split(mo, s)) continue;
            eval_confusion *c;
            int n = eval_confusions(s, &c);
            fputs("<p>Most frequent word confusions on ", f);
            html_esc(f, s->name);
            fputs(n ? ":</p>\n<ul>\n" : ": none.</p>\n", f);
            for (int j = 0; j < n && j < 10; j++) {
                fputs("<li>", f);
                html_esc(f, c[j].ref);
                fputs(" → ", f);
                html_esc(f, c[j].hyp);
                fprintf(f, ": %d</li>\n", c[j].count);
            }
            if (n) fputs("</ul>\n", f);
            eval_confusions_free(c, n);
        }
    }
}

/* Every model on every split: the headline table (a column per split the
 * models were evaluated on; the timings and size the thresholds judge, and
 * with thresholds set, what each model misses) and its chart. */
static void split_table(FILE *f, const eval_model *m, int nm, const eval_thresholds *t)
{
    const char **names;
    int ns = eval_split_names(m, nm, &names), set = eval_thresholds_set(t);
    fputs("<h2>Word error rate per split</h2>\n", f);
    html_table tb;
    html_table_open(&tb, f, "wer-table", NULL);
    html_th(&tb, "model");
    for (int j = 0; j < ns; j++) html_th(&tb, names[j]);
    html_th(&tb, "CPU RTF");
    html_th(&tb, "CPU p95 latency ms");
    html_th(&tb, "size MB");
    if (set) html_th(&tb, "thresholds");
    double *v = xmalloc(sizeof(double) * (size_t)(ns * nm + 1));
    for (int k = 0; k < nm; k++) {
        html_tr(&tb);
        html_td_text(&tb, NULL, m[k].name);
        for (int j = 0; j < ns; j++) {
            const eval_split *s = eval_find_split(m[k].splits, m[k].n, names[j]);
            v[j * nm + k] = s ? eval_wer(s) : NAN;
            if (s)
                html_td_printf(&tb, NULL, "%.2f", v[j * nm + k]);
            else
                html_td_text(&tb, NULL, "–");
        }
        timing_cell(&tb, eval_model_timing(&m[k], EVAL_CPU_RTF), 4);
        timing_cell(&tb, eval_model_timing(&m[k], EVAL_CPU_P95_MS), 1);
        html_td_printf(&tb, NULL, "%.2f", m[k].size_mb);
        if (!set) continue;
        char *miss = eval_misses(&m[k], t);
        html_td_wrap(&tb, miss ? "miss" : "ok");
        html_esc(f, miss ? miss : "met");
        fputs("</td>", f);
        free(miss);
    }
    html_table_close(&tb);
    const char **series = xmalloc(sizeof(char *) * (size_t)(nm ? nm : 1));
    for (int k = 0; k < nm; k++) series[k] = m[k].name;
    chart_grouped_bars(f, "chart-splits", "WER per split and model", "WER %", names, ns, series, nm,
                       v, "No split was evaluated: no WER chart.");
    free(series);
    free(v);
    free(names);
}

/* Each satisficing threshold's limit, and each model's value and margin
 * (which wrap apart, not inside either). */
static void threshold_table(FILE *f, const eval_model *m, int nm, const eval_thresholds *t)
{
    eval_threshold_check c[3];
    int n = nm ? eval_threshold_checks(&m[0], t, c) : 0;
    fputs("<h2>Satisficing thresholds</h2>\n", f);
    if (n == 0) {
        fputs("<p>None set (give --max-rtf, --max-latency-ms or --max-size-mb).</p>\n", f);
        return;
    }
    fputs("<p>Each model's value and its margin (limit − value: negative misses). Time is "
          "judged in CPU time, which a loaded machine does not stretch as it stretches "
          "wall-clock time (the details below give both).</p>\n",
          f);
    html_table tb;
    html_table_open(&tb, f, "thresholds", NULL);
    html_th(&tb, "threshold");
    html_th(&tb, "limit");
    model_headers(&tb, m, nm);
    for (int i = 0; i < n; i++) {
        char limit[48], value[48], margin[48];
        eval_threshold_format(&c[i], c[i].limit, 0, limit, sizeof limit);
        html_tr(&tb);
        html_td_text(&tb, NULL, c[i].name);
        html_td_text(&tb, NULL, limit);
        for (int k = 0; k < nm; k++) {
            eval_threshold_check ck[3];
            eval_threshold_checks(&m[k], t, ck);
            eval_threshold_format(&ck[i], ck[i].value, 0, value, sizeof value);
            eval_threshold_format(&ck[i], ck[i].limit - ck[i].value, 1, margin, sizeof margin);
            html_td_wrap(&tb, eval_threshold_missed(&ck[i]) ? "miss" : "ok");
            fprintf(f, "<span class='nb'>%s</span> <span class='nb'>(%s)</span></td>", value,
                    margin);
        }
    }
    html_table_close(&tb);
}

static void decomposition(FILE *f, const eval_model *m, int nm, double bayes)
{
    int largest = 0; /* bit g: gap g is some model's largest */
    fputs("<h2>Where the errors come from</h2>\n", f);
    if (bayes >= 0) {
        fprintf(f,
                "<p>With a Bayes (human-level) error of %.2f%%: avoidable bias = train − Bayes, "
                "variance = train_dev − train, data mismatch = dev − train_dev, over-tuning to "
                "dev = test − dev. Stacked: the positive parts up from 0 (they add up to the test "
                "WER when none is negative), negative ones down.</p>\n",
                bayes);
        static const char *const head[] = {"model",         "avoidable bias",     "variance",
                                           "data mismatch", "over-tuning to dev", "largest"};
        html_table t;
        html_table_open(&t, f, "decomposition", "full");
        html_ths(&t, head, 6);
        for (int k = 0; k < nm; k++) {
            eval_decomposition d = eval_decompose(m[k].splits, m[k].n, bayes);
            double g[4] = {d.bias, d.variance, d.mismatch, d.overtuning};
            html_tr(&t);
            html_td_text(&t, NULL, m[k].name);
            for (int i = 0; i < 4; i++) html_td_printf(&t, NULL, "%.2f", g[i]);
            html_td_text(&t, NULL, eval_gap_name(d.largest));
            largest |= d.largest >= 0 ? 1 << d.largest : 0;
        }
        html_table_close(&t);
        fputs("<ul class='knobs'>\n", f);
        /* The knobs once for each gap that is some model's largest. */
        for (int g = 0; g < 4; g++)
            if (largest & 1 << g) {
                fprintf(f, "<li>Knobs for <b>%s</b>: ", eval_gap_name(g));
                html_esc(f, eval_knobs(g));
                fputs(".</li>\n", f);
            }
        fputs("</ul>\n", f);
    }
    chart_decomposition(f, m, nm, bayes);
}

/* WER per speaker: a chart for each analysed split, then the tables. */
static void speakers(FILE *f, const eval_model *m, int nm)
{
    const char **names;
    int ns = eval_split_names(m, nm, &names);
    if (ns) fputs("<h2>Word error rate per speaker</h2>\n", f);
    const char **series = xmalloc(sizeof(char *) * (size_t)(nm ? nm : 1));
    for (int k = 0; k < nm; k++) series[k] = m[k].name;
    for (int j = 0; j < ns; j++) {
        if (!analysed(m, nm, names[j])) continue;
        eval_speaker *rows;
        double *wer;
        int n = eval_speaker_table(m, nm, names[j], &rows, &wer);
        const char **spk = xmalloc(sizeof(char *) * (size_t)(n ? n : 1));
        for (int r = 0; r < n; r++) spk[r] = rows[r].speaker;
        fputs("<figure>", f);
        char id[64], label[128];
        snprintf(id, sizeof id, "chart-speakers-%d", j);
        snprintf(label, sizeof label, "WER per speaker on %s", names[j]);
        fprintf(f, "<figcaption>WER per speaker on <b class='split'>");
        html_esc(f, names[j]);
        fputs("</b></figcaption>", f);
        chart_grouped_bars(f, id, label, "WER %", spk, n, series, nm, wer,
                           "No speakers: the split is empty.");
        fputs("</figure>\n", f);
        free(spk);
        free(rows);
        free(wer);
    }
    free(series);
    free(names);
    speaker_tables(f, m, nm);
}

static void rate_cell(html_table *t, double v, const char *fmt)
{
    if (isnan(v))
        html_td_text(t, NULL, "–");
    else
        html_td_printf(t, NULL, fmt, v);
}

/* How sure the words are: for each analysed split whose words have
 * confidences, a reliability diagram with a series per model, then one
 * table of every model and split (recognizer/eval.h, eval_confidence). */
static void confidence(FILE *f, const eval_model *m, int nm)
{
    const char **names;
    int ns = eval_split_names(m, nm, &names), any = 0;
    eval_confidence *c = xcalloc((size_t)(nm ? nm : 1), sizeof *c);
    const conf_quality **q = xcalloc((size_t)(nm ? nm : 1), sizeof *q);
    const char **series = xmalloc(sizeof(char *) * (size_t)(nm ? nm : 1));
    for (int k = 0; k < nm; k++) series[k] = m[k].name;
    for (int j = 0; j < ns; j++) {
        if (!analysed(m, nm, names[j])) continue;
        int have = 0;
        for (int k = 0; k < nm; k++) {
            const eval_split *s = eval_find_split(m[k].splits, m[k].n, names[j]);
            q[k] = s && eval_split_confidence(s, &c[k]) == 0 ? &c[k].q : NULL;
            have |= q[k] != NULL;
        }
        if (!have) continue;
        if (!any++)
            fputs("<h2>How sure the words are</h2>\n<p>Each hypothesis word is right or wrong "
                  "by its alignment to the reference. The reliability diagram puts the words "
                  "in ten bins of confidence: a well calibrated confidence has each bin's "
                  "accuracy equal to its mean confidence (the dashed diagonal). AUC: how well "
                  "the confidence ranks right words above wrong ones (0.5: no better than "
                  "chance); ECE: the bins' mean distance from the diagonal, weighted by their "
                  "words; the WER once the 5% or 10% of words with the lowest confidence are "
                  "dropped from the hypotheses.</p>\n",
                  f);
        char id[64], label[128];
        snprintf(id, sizeof id, "chart-reliability-%d", j);
        snprintf(label, sizeof label, "reliability diagram on %s", names[j]);
        fputs("<figure><figcaption>Reliability on <b class='split'>", f);
        html_esc(f, names[j]);
        fputs("</b></figcaption>", f);
        chart_reliability(f, id, label, series, q, nm, "No words with a confidence.");
        fputs("</figure>\n", f);
    }
    if (any) {
        static const char *const head[] = {
            "model",        "split", "words", "AUC", "ECE", "WER %", "WER % rejecting 5%",
            "rejecting 10%"};
        html_table t;
        html_table_open(&t, f, "confidence", NULL);
        html_ths(&t, head, 8);
        for (int k = 0; k < nm; k++)
            for (int i = 0; i < m[k].n; i++) {
                const eval_split *s = &m[k].splits[i];
                eval_confidence e;
                if (eval_split_confidence(s, &e)) continue;
                html_tr(&t);
                html_td_text(&t, NULL, m[k].name);
                html_td_text(&t, NULL, s->name);
                html_td_printf(&t, NULL, "%d", e.q.words);
                rate_cell(&t, e.q.auc, "%.3f");
                rate_cell(&t, e.q.ece, "%.3f");
                rate_cell(&t, eval_wer(s), "%.2f");
                rate_cell(&t, e.wer_reject_5, "%.2f");
                rate_cell(&t, e.wer_reject_10, "%.2f");
            }
        html_table_close(&t);
    }
    free(series);
    free(q);
    free(c);
    free(names);
}

static void confusions(FILE *f, const eval_model *m, int nm)
{
    fputs("<h2>Word confusions</h2>\n<p>Rows are what was said, columns what was recognised; "
          "the last row is insertions, the last column deletions. Shading is the share of the "
          "row (correct in blue, errors in red). The words are in vocabulary order: numbers by "
          "their value (zero to nine, then oh), then the other words alphabetically.</p>\n"
          "<div class='maps'>\n",
          f);
    for (int k = 0; k < nm; k++) {
        confusion_matrix cm;
        confusion_matrix_make(&m[k], &cm);
        fputs("<figure><figcaption>", f);
        html_esc(f, m[k].name);
        fputs(" on", f);
        for (int i = 0; i < m[k].n; i++)
            if (eval_analysed_split(&m[k], &m[k].splits[i])) {
                fputc(' ', f);
                html_esc(f, m[k].splits[i].name);
            }
        fputs("</figcaption>", f);
        char id[32], label[64];
        snprintf(id, sizeof id, "chart-confusion-%d", k);
        snprintf(label, sizeof label, "word confusion matrix of model %d", k + 1);
        chart_confusion(f, id, label, &cm);
        fputs("</figure>\n", f);
        confusion_matrix_free(&cm);
    }
    fputs("</div>\n", f);
}

/* An alignment line, each token in a span that never breaks inside it
 * (the line wraps between tokens: "nine->eight" cut after its hyphen
 * would read as two tokens), its errors (REF->HYP tokens) marked. */
static void alignment_html(FILE *f, const char *line)
{
    char *copy = xstrdup(line), *save = NULL;
    int first = 1;
    for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save), first = 0) {
        if (!first) fputc(' ', f);
        fprintf(f, "<span class='tok%s'>", strstr(t, "->") ? " err" : "");
        html_esc(f, t);
        fputs("</span>", f);
    }
    free(copy);
}

/* One worst utterance U as a row of T: its id, speaker, errors, audio
 * embedded (the page stays one file) to listen to what went wrong, and
 * its reference, hypothesis and alignment. */
static void worst_row(html_table *t, const eval_utt *u)
{
    FILE *f = t->f;
    html_tr(t);
    html_td_wrap(t, "id");
    html_esc(f, u->id);
    fputs("</td>", f);
    html_td_wrap(t, "id");
    html_esc(f, u->speaker);
    fputs("</td>", f);
    html_td_printf(t, NULL, "%d / %d", u->errors, u->nref);
    html_td(t, "player");
    /* Encoded first: a file that cannot be read is named instead of
     * leaving half an element. */
    char *uri = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&uri, &len);
    double secs = 0;
    int rc = mem ? report_audio_uri(mem, u, &secs) : -1;
    if (mem) fclose(mem);
    if (rc == 0) {
        fprintf(f, "<audio controls preload='metadata' data-id='");
        html_esc(f, u->id);
        fprintf(f, "' data-seconds='%.3f' src='%s'></audio>", secs, uri);
    } else {
        fputs("<span class='no-audio'>audio not embedded: ", f);
        html_esc(f, asr_last_error());
        fputs("</span>", f);
    }
    free(uri);
    fputs("</td>", f);
    html_td_wrap(t, "text");
    fputs("<div>ref: ", f);
    html_esc(f, u->ref);
    fputs("</div><div>hyp: ", f);
    html_esc(f, u->hyp);
    fputs("</div><div class='align'>", f);
    char *line = eval_utt_alignment(u);
    alignment_html(f, line);
    free(line);
    fputs("</div></td>", f);
}

/* The worst utterances of each model's analysed splits. */
static void worst(FILE *f, const eval_model *m, int nm)
{
    fputs("<h2>Worst utterances</h2>\n", f);
    for (int k = 0; k < nm; k++) {
        for (int i = 0; i < m[k].n; i++) {
            const eval_split *s = &m[k].splits[i];
            if (!eval_analysed_split(&m[k], s)) continue;
            int *idx, n = eval_worst(s, REPORT_WORST, &idx);
            fputs("<h3>", f);
            html_esc(f, m[k].name);
            fputs(" on ", f);
            html_esc(f, s->name);
            fputs("</h3>\n", f);
            if (n == 0) fputs("<p>No utterance has an error.</p>\n", f);
            if (n) {
                static const char *const head[] = {"utterance", "speaker", "errors", "audio",
                                                   "reference / hypothesis / alignment"};
                html_table t;
                html_table_open(&t, f, NULL, "worst");
                html_ths(&t, head, 5);
                for (int j = 0; j < n; j++) worst_row(&t, &s->utts[idx[j]]);
                html_table_close(&t);
            }
            free(idx);
        }
    }
}

/* How the report was made, as name and value pairs (a list, not a table:
 * its names are no column's header). */
static void provenance(FILE *f, const eval_model *m, int nm, const report_spec *r)
{
    char date[32];
    if (report_date(r, "%Y-%m-%d %H:%M:%S UTC", date, sizeof date) < 0) strcpy(date, "unknown");
    fprintf(f,
            "<h2>Provenance</h2>\n<dl id='provenance'><dt>made</dt><dd>%s</dd>\n"
            "<dt>by</dt><dd>asr %s, commit <code>",
            date, build_version());
    html_esc(f, build_commit());
    fputs("</code></dd>\n", f);
    if (r->command) {
        fputs("<dt>command</dt><dd><code>", f);
        html_esc(f, r->command);
        fputs("</code></dd>\n", f);
    }
    if (r->data) {
        fputs("<dt>data</dt><dd><code>", f);
        html_esc(f, r->data);
        fputs("</code></dd>\n", f);
    }
    for (int k = 0; k < nm; k++) {
        fputs("<dt>", f);
        html_esc(f, m[k].name);
        fputs("</dt><dd><code>", f);
        html_esc(f, m[k].model_path);
        fputs("</code>", f);
        if (m[k].has_search)
            fprintf(f, "; search: beam %d, LM weight %g, word penalty %g", m[k].search.beam,
                    (double)m[k].search.lm_weight, (double)m[k].search.word_penalty);
        fputs("</dd>\n", f);
    }
    fputs("</dl>\n", f);
}

static void training_curves(FILE *f, const eval_model *m, int nm)
{
    fputs("<h2>Training curves (validation WER per epoch)</h2>\n", f);
    chart_xy **series = xcalloc((size_t)(nm ? nm : 1), sizeof(chart_xy *));
    int *counts = xcalloc((size_t)(nm ? nm : 1), sizeof(int));
    const char **names = xcalloc((size_t)(nm ? nm : 1), sizeof(char *));
    for (int k = 0; k < nm; k++) {
        counts[k] = read_log(m[k].log_tsv, &series[k]);
        names[k] = m[k].name;
    }
    chart_lines(f, "chart-training", "epoch", "validation WER %", names, series, counts, nm, 0,
                "No training curves: no model has a log.tsv next to it.");
    for (int k = 0; k < nm; k++) free(series[k]);
    free(series);
    free(counts);
    free(names);
}

static void learning_curve(FILE *f, const report_spec *r)
{
    fputs("<h2>WER on ", f);
    html_esc(f, r->curve_split ? r->curve_split : "dev");
    fputs(" against training-set size</h2>\n", f);
    enum { MAX_SERIES = 10 };
    const char *names[MAX_SERIES] = {0};
    chart_xy *series[MAX_SERIES] = {0};
    int counts[MAX_SERIES] = {0}, ns = 0;
    for (int i = 0; i < r->npts; i++) {
        int s = 0;
        while (s < ns && strcmp(names[s], r->pts[i].series)) s++;
        if (s == ns) {
            if (ns == MAX_SERIES) continue;
            names[ns++] = r->pts[i].series;
        }
        series[s] = xrealloc(series[s], sizeof(chart_xy) * (size_t)(counts[s] + 1));
        series[s][counts[s]++] = (chart_xy){r->pts[i].size, r->pts[i].wer};
    }
    for (int s = 0; s < ns; s++) qsort(series[s], (size_t)counts[s], sizeof(chart_xy), by_x);
    chart_lines(f, "chart-learning", "training utterances (log scale)", "WER %", names, series,
                counts, ns, 1,
                "No learning-curve points: give asr compare --curve TSV "
                "(lines 'SERIES SIZE WER').");
    for (int s = 0; s < ns; s++) free(series[s]);
}

/* The page's style. Tables fit the page at any width, never scrolling
 * sideways nor cut: headers wrap between words; numbers do not wrap, text
 * cells (class wrap) do, ids anywhere, alignments between tokens. Below
 * 40em (a phone) every 'stack' table (html_table.h) shows each row as a
 * block of "header value" lines. tests/cli/report_layout.sh checks it at
 * 1100 and 390 pixels. */
static const char page_css[] =
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222;"
    "overflow-wrap:break-word}"
    "table{border-collapse:collapse;margin:1em 0}"
    "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
    "td{white-space:nowrap}th{background:#f4f4f4;vertical-align:bottom}"
    "td:first-child,th:first-child{text-align:left}td.wrap{white-space:normal}"
    ".nb,.tok{white-space:nowrap}"
    ".miss{color:#b00}.best{font-weight:bold}.no-data{color:#666;font-style:italic}"
    "#verdict{border-left:4px solid #4e79a7;padding:0.2em 1em;background:#f6f8fb}"
    "figure{margin:1em 0;min-width:0;max-width:100%}figcaption{font-size:0.9em;color:#444}"
    ".maps{display:flex;flex-wrap:wrap;gap:1em}"
    "table.small{font-size:0.85em}table.full,table.worst{width:100%}"
    "td.id{overflow-wrap:anywhere;text-align:left}"
    "td.text{text-align:left;font-family:monospace}"
    ".err{color:#b00;font-weight:bold}.no-audio{color:#b00}"
    "audio{max-width:100%}code{overflow-wrap:anywhere}"
    "#provenance{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:0.3em 1em}"
    "#provenance dt{font-weight:bold}#provenance dd{margin:0}"
    "@media (max-width:40em){body{margin:1em auto}"
    "table.stack,table.stack tbody,table.stack tr,table.stack td{display:block}"
    "table.stack thead{display:none}table.stack tr{border:1px solid #ccc;margin:0 0 0.6em}"
    "table.stack td{border:0;border-top:1px solid #eee;text-align:right;white-space:normal;"
    "overflow-wrap:anywhere}table.stack td:first-child{border-top:0}"
    "table.stack td::before{content:attr(data-label);float:left;margin-right:1em;"
    "font-weight:bold;text-align:left;overflow-wrap:normal}"
    "table.stack td.text{text-align:left}table.stack td.text::before{float:none;display:block}"
    "#provenance{grid-template-columns:minmax(0,1fr)}}";

int report_html_write(const io_set *io, const char *path, const eval_model *m, int nm,
                      const report_spec *r)
{
    atomic_file af;
    if (atomic_file_open(&af, io, path, "w") < 0) return -1;
    FILE *f = af.fp;
    const char *title = r->title ? r->title : "asr evaluation";
    fprintf(f, "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
               "<meta name='viewport' content='width=device-width, initial-scale=1'><title>");
    html_esc(f, title);
    fputs("</title><style>", f);
    fputs(page_css, f);
    fputs("</style></head><body>\n<h1>", f);
    html_esc(f, title);
    fputs("</h1>\n", f);
    verdict(f, m, nm, &r->t, r->bayes);
    split_table(f, m, nm, &r->t);
    threshold_table(f, m, nm, &r->t);
    decomposition(f, m, nm, r->bayes);
    speakers(f, m, nm);
    confusions(f, m, nm);
    confidence(f, m, nm);
    worst(f, m, nm);
    training_curves(f, m, nm);
    learning_curve(f, r);
    details(f, m, nm);
    provenance(f, m, nm, r);
    fputs("</body></html>\n", f);
    return atomic_file_commit(&af);
}
