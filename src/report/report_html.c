/* report_html.c — the HTML/SVG report; see report_html.h. */
#include "report/report_html.h"

#include "base/alloc.h"
#include "base/error.h"
#include "report/reports.h"
#include "base/fileio.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                                      "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"};
#define COLOUR(i) colours[(i) % 8]

enum { W = 640, H = 300, L = 56, R = 150, TOP = 20, BOT = 40 };

static void esc(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '>')
            fputs("&gt;", f);
        else if (*s == '&')
            fputs("&amp;", f);
        else if (*s == '"')
            fputs("&quot;", f);
        else
            fputc(*s, f);
    }
}

/* A "nice" upper bound for an axis. */
static double nice_max(double v)
{
    if (!(v > 0)) return 1;
    double p = pow(10, floor(log10(v)));
    for (double m = 1; m <= 10; m += m < 2 ? 1 : m < 5 ? 3 : 5)
        if (v <= m * p) return m * p;
    return 10 * p;
}

static void axes(FILE *f, double ymax, const char *ylabel)
{
    fprintf(f, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#333'/>", L, TOP, L, H - BOT);
    fprintf(f, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#333'/>", L, H - BOT, W - R, H - BOT);
    for (int k = 0; k <= 4; k++) {
        double v = ymax * k / 4, y = H - BOT - (H - TOP - BOT) * k / 4.0;
        fprintf(f, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#ddd'/>", L, y, W - R, y);
        fprintf(f, "<text x='%d' y='%.1f' font-size='11' text-anchor='end'>%g</text>", L - 4, y + 4,
                v);
    }
    fprintf(f,
            "<text x='14' y='%d' font-size='12' transform='rotate(-90 14 %d)' "
            "text-anchor='middle'>",
            (H - BOT + TOP) / 2, (H - BOT + TOP) / 2);
    esc(f, ylabel);
    fputs("</text>", f);
}

/* The legend has R - 28 pixels for a name: about 18 characters at 12 px.
 * A longer name is cut with an ellipsis; hovering shows it whole. */
enum { LEGEND_CHARS = 18 };

static void legend(FILE *f, int i, const char *name)
{
    int y = TOP + 10 + 18 * i;
    fprintf(f, "<rect x='%d' y='%d' width='12' height='12' fill='%s'/>", W - R + 10, y - 10,
            COLOUR(i));
    fprintf(f, "<text x='%d' y='%d' font-size='12'><title>", W - R + 28, y);
    esc(f, name);
    fputs("</title>", f);
    /* CUT: the byte where character LEGEND_CHARS - 1 starts (UTF-8: a
     * character starts at every byte that is not 10xxxxxx). */
    size_t chars = 0, cut = 0;
    for (size_t b = 0; name[b]; b++)
        if ((name[b] & 0xC0) != 0x80 && chars++ == LEGEND_CHARS - 1) cut = b;
    if (chars <= LEGEND_CHARS)
        esc(f, name);
    else {
        char *head = xstrdup(name);
        head[cut] = 0;
        esc(f, head);
        fputs("\u2026", f);
        free(head);
    }
    fputs("</text>", f);
}

/* A chart without data is replaced by a sentence saying what is missing:
 * an empty frame with made-up axes would look like a chart of zeros. */
static void no_data(FILE *f, const char *id, const char *what)
{
    fprintf(f, "<p class='no-data' id='%s'>", id);
    esc(f, what);
    fputs("</p>\n", f);
}

static void svg_open(FILE *f, const char *id)
{
    fprintf(f,
            "<svg class='chart' id='%s' xmlns='http://www.w3.org/2000/svg' width='%d' "
            "height='%d' viewBox='0 0 %d %d'>",
            id, W, H, W, H);
}

/* Data marks (bars, lines, points) carry class 'mark': what a chart draws
 * from its data, as opposed to axes, grid and legend. */
static void bars(FILE *f, const eval_model *m, int nm)
{
    /* The union of split names, in first-seen order. */
    const char *names[16];
    int ns = 0;
    double ymax = 0;
    for (int k = 0; k < nm; k++)
        for (int i = 0; i < m[k].n; i++) {
            int j = 0;
            while (j < ns && strcmp(names[j], m[k].splits[i].name)) j++;
            if (j == ns && ns < 16) names[ns++] = m[k].splits[i].name;
            double w = eval_wer(&m[k].splits[i]);
            if (isfinite(w) && w > ymax) ymax = w;
        }
    if (ns == 0) {
        no_data(f, "chart-splits", "No split was evaluated: no WER chart.");
        return;
    }
    ymax = nice_max(ymax);
    svg_open(f, "chart-splits");
    axes(f, ymax, "WER %");
    double gw = (double)(W - R - L) / ns, bw = gw * 0.8 / nm;
    for (int j = 0; j < ns; j++) {
        fprintf(f, "<text x='%.1f' y='%d' font-size='12' text-anchor='middle'>", L + gw * (j + 0.5),
                H - BOT + 16);
        esc(f, names[j]);
        fputs("</text>", f);
        for (int k = 0; k < nm; k++)
            for (int i = 0; i < m[k].n; i++) {
                if (strcmp(m[k].splits[i].name, names[j])) continue;
                /* An infinite WER (insertions against no reference words)
                 * is drawn full height and labelled as what it is. */
                double w = eval_wer(&m[k].splits[i]), hw = isfinite(w) ? w : ymax;
                double h = (H - TOP - BOT) * hw / ymax, x = L + gw * j + gw * 0.1 + bw * k;
                fprintf(f,
                        "<rect class='mark' x='%.1f' y='%.1f' width='%.1f' height='%.1f' "
                        "fill='%s'><title>",
                        x, H - BOT - h, bw, h, COLOUR(k));
                esc(f, m[k].name);
                fputc(' ', f);
                esc(f, names[j]);
                fprintf(f, ": %.2f%%</title></rect>", w);
                fprintf(f,
                        "<text x='%.1f' y='%.1f' font-size='10' text-anchor='middle'>%.1f</text>",
                        x + bw / 2, H - BOT - h - 3, w);
            }
    }
    for (int k = 0; k < nm; k++) legend(f, k, m[k].name);
    fputs("</svg>\n", f);
}

typedef struct {
    double x, y;
} xy;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Labels along the x axis at pixel PX(value). Linear axes (epochs) get
 * multiples of a 1-2-5 step, at most about six, never a fractional epoch;
 * log axes (training-set sizes) get the sizes that were measured, skipping
 * any label that would touch the previous one. */
static void x_ticks(FILE *f, xy *const *pts, const int *npts, int nseries, int logx, double xmin,
                    double xmax)
{
    double span = xmax - xmin, plot = W - R - L;
    if (!logx) {
        double raw = span / 5, p = pow(10, floor(log10(raw))), r = raw / p;
        double step = (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * p;
        if (step < 1) step = 1;
        for (double v = ceil(xmin / step) * step; v <= xmax + 1e-9 * span; v += step)
            fprintf(f, "<text x='%.1f' y='%d' font-size='11' text-anchor='middle'>%g</text>",
                    L + plot * (v - xmin) / span, H - BOT + 16, v);
        return;
    }
    /* Every measured size once, in increasing order. */
    int n = 0;
    for (int s = 0; s < nseries; s++) n += npts[s];
    double *v = xmalloc(sizeof(double) * (size_t)n);
    n = 0;
    for (int s = 0; s < nseries; s++)
        for (int i = 0; i < npts[s]; i++) v[n++] = pts[s][i].x;
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    double last = -INFINITY;
    for (int i = 0; i < n; i++) {
        double px = L + plot * (log2(v[i]) - xmin) / span;
        if (px - last < 40) continue; /* also drops repeats */
        fprintf(f, "<text x='%.1f' y='%d' font-size='11' text-anchor='middle'>%g</text>", px,
                H - BOT + 16, v[i]);
        last = px;
    }
    free(v);
}

/* Lines over (x, y) series; LOGX for training-set sizes (all x > 0). */
static void lines(FILE *f, const char *id, const char *xlabel, const char *ylabel,
                  char *const *names, xy *const *pts, const int *npts, int nseries, int logx,
                  const char *empty)
{
    double xmin = INFINITY, xmax = -INFINITY, ymax = 0;
    int any = 0;
    for (int s = 0; s < nseries; s++)
        for (int i = 0; i < npts[s]; i++) {
            double x = logx ? log2(pts[s][i].x) : pts[s][i].x;
            if (x < xmin) xmin = x;
            if (x > xmax) xmax = x;
            if (isfinite(pts[s][i].y) && pts[s][i].y > ymax) ymax = pts[s][i].y;
            any = 1;
        }
    if (!any) {
        no_data(f, id, empty);
        return;
    }
    ymax = nice_max(ymax);
    if (xmax <= xmin) xmax = xmin + 1;
    svg_open(f, id);
    axes(f, ymax, ylabel);
    fprintf(f, "<text x='%d' y='%d' font-size='12' text-anchor='middle'>", (L + W - R) / 2, H - 6);
    esc(f, xlabel);
    fputs("</text>", f);
    x_ticks(f, pts, npts, nseries, logx, xmin, xmax);
    for (int s = 0; s < nseries; s++) {
        if (npts[s] == 0) continue;
        fprintf(f, "<polyline class='mark' fill='none' stroke='%s' stroke-width='2' points='",
                COLOUR(s));
        for (int i = 0; i < npts[s]; i++) {
            double x = logx ? log2(pts[s][i].x) : pts[s][i].x;
            double y = isfinite(pts[s][i].y) ? pts[s][i].y : ymax;
            fprintf(f, "%s%.1f,%.1f", i ? " " : "", L + (W - R - L) * (x - xmin) / (xmax - xmin),
                    H - BOT - (H - TOP - BOT) * (y > ymax ? ymax : y) / ymax);
        }
        fputs("'/>", f);
        for (int i = 0; i < npts[s]; i++) {
            double x = logx ? log2(pts[s][i].x) : pts[s][i].x;
            double y = isfinite(pts[s][i].y) ? pts[s][i].y : ymax;
            fprintf(f, "<circle class='mark' cx='%.1f' cy='%.1f' r='3' fill='%s'><title>",
                    L + (W - R - L) * (x - xmin) / (xmax - xmin),
                    H - BOT - (H - TOP - BOT) * (y > ymax ? ymax : y) / ymax, COLOUR(s));
            esc(f, names[s]);
            fprintf(f, " %g: %.2f</title></circle>", pts[s][i].x, pts[s][i].y);
        }
        legend(f, s, names[s]);
    }
    fputs("</svg>\n", f);
}

/* Validation error per epoch from a trainer log.tsv (columns: epoch ... valid_error ...). */
static int read_log(const char *path, xy **out)
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
        *out = xrealloc(*out, sizeof(xy) * (size_t)(n + 1));
        (*out)[n++] = (xy){atof(f[0]), atof(f[col])};
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
    double x = ((const xy *)a)->x, y = ((const xy *)b)->x;
    return x < y ? -1 : x > y;
}

/* One table per split: a row per speaker, a column per model, so a speaker
 * the models fail stands out from the split's mean. */
static void speaker_tables(FILE *f, const eval_model *m, int nm)
{
    const char **names;
    int ns = eval_split_names(m, nm, &names);
    if (ns) fputs("<h2>Word error rate per speaker</h2>\n", f);
    for (int j = 0; j < ns; j++) {
        eval_speaker *rows;
        double *wer;
        int n = eval_speaker_table(m, nm, names[j], &rows, &wer);
        fputs("<h3>", f);
        esc(f, names[j]);
        fprintf(f, "</h3>\n<table><tr><th>speaker</th><th>utts</th><th>words</th>");
        for (int k = 0; k < nm; k++) {
            fputs("<th>", f);
            esc(f, m[k].name);
            fputs("</th>", f);
        }
        fputs("</tr>\n", f);
        for (int r = 0; r < n; r++) {
            fputs("<tr><td>", f);
            esc(f, rows[r].speaker);
            fprintf(f, "</td><td>%d</td><td>%ld</td>", rows[r].utts, rows[r].words);
            for (int k = 0; k < nm; k++) {
                double w = wer[(size_t)r * nm + k];
                if (isnan(w))
                    fputs("<td>–</td>", f);
                else
                    fprintf(f, "<td>%.2f</td>", w);
            }
            fputs("</tr>\n", f);
        }
        fputs("</table>\n", f);
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

/* The verdict, first: the model the report recommends, its WER on the split
 * it is chosen by with the interval, how sure its lead over each other model
 * is, and for one model where its errors come from. */
static void verdict(FILE *f, const eval_model *m, int nm, const eval_thresholds *t, double bayes)
{
    fputs("<h2>Verdict</h2>\n<div id='verdict'>\n<p>", f);
    int best = eval_best_model(m, nm, t), k = best >= 0 ? best : 0, choosable = 0;
    for (int i = 0; i < nm; i++)
        choosable |= eval_find_split(m[i].splits, m[i].n, "dev") ||
                     eval_find_split(m[i].splits, m[i].n, "test");
    if (best >= 0 && nm > 1)
        fputs("Best: <b class='best'>", f);
    else
        fputs("<b>", f);
    esc(f, m[k].name);
    fputs("</b>", f);
    if (best < 0 && nm > 1)
        fputs(choosable ? " (the first: no model meets every threshold)"
                        : " (the first: no dev or test split to choose by)",
              f);
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
    fputs(".</p>\n", f);
    eval_comparison *c;
    int n = eval_comparisons(m, nm, t, &c);
    if (n) fputs("<ul class='comparisons'>\n", f);
    for (int i = 0; i < n; i++) {
        const bootstrap_result *r = &c[i].r;
        int sure = r->lo > 0 || r->hi < 0;
        fputs("<li>", f);
        esc(f, c[i].a);
        fputs(sure ? (r->value < 0 ? " better than " : " worse than ") : " and ", f);
        esc(f, c[i].b);
        fprintf(f, " on %s: %+.2f WER points [%+.2f, %+.2f], p = %.3f%s</li>\n", c[i].split,
                r->value, r->lo, r->hi, r->p,
                sure ? "" : ": <i>not a sure difference</i> (the interval holds 0)");
    }
    if (n) fputs("</ul>\n", f);
    free(c);
    if (bayes >= 0) {
        eval_decomposition d = eval_decompose(m[k].splits, m[k].n, bayes);
        if (d.largest >= 0) {
            fprintf(f, "<p>Its largest gap: <b>%s</b>. Knobs: ", eval_gap_name(d.largest));
            esc(f, eval_knobs(d.largest));
            fputs(".</p>\n", f);
        }
    }
    fputs("</div>\n", f);
}

/* Each model in full: its search, every split with intervals and S/D/I, the
 * decomposition, the thresholds it misses, its frequent confusions. */
static void details(FILE *f, const eval_model *m, int nm, const eval_thresholds *t, double bayes)
{
    fputs("<h2>Details</h2>\n", f);
    for (int k = 0; k < nm; k++) {
        const eval_model *mo = &m[k];
        fputs("<h3>", f);
        esc(f, mo->name);
        fputs("</h3>\n<p>Model <code>", f);
        esc(f, mo->model_path);
        fprintf(f, "</code> (%.2f MB).", mo->size_mb);
        if (mo->has_search)
            fprintf(f, " Search: beam %d, LM weight %g, word penalty %g.", mo->search.beam,
                    (double)mo->search.lm_weight, (double)mo->search.word_penalty);
        fputs("</p>\n<table><tr><th>split</th><th>utts</th><th>WER %</th><th>95% interval: "
              "utterances</th><th>speakers</th><th>S</th><th>D</th><th>I</th><th>CER %</th>"
              "<th>SER %</th><th>RTF</th><th>latency p50 ms</th><th>p95 ms</th></tr>\n",
              f);
        for (int i = 0; i < mo->n; i++) {
            const eval_split *s = &mo->splits[i];
            fputs("<tr><td>", f);
            esc(f, s->name);
            fprintf(f, "</td><td>%d</td><td>%.2f</td><td>", s->n, eval_wer(s));
            interval(f, s, 0);
            fputs("</td><td>", f);
            interval(f, s, 1);
            fprintf(f,
                    "</td><td>%ld</td><td>%ld</td><td>%ld</td><td>%.2f</td><td>%.2f</td>"
                    "<td>%.4f</td><td>%.1f</td><td>%.1f</td></tr>\n",
                    s->words.sub, s->words.del, s->words.ins,
                    metrics_rate(error_counts_errors(&s->chars), s->chars.n_ref),
                    metrics_rate(s->words.sent_err, s->words.sent),
                    s->decode_seconds >= 0 && s->audio_seconds > 0
                        ? s->decode_seconds / s->audio_seconds
                        : 0,
                    s->lat_p50_ms, s->lat_p95_ms);
        }
        fputs("</table>\n", f);
        if (bayes >= 0) {
            eval_decomposition d = eval_decompose(mo->splits, mo->n, bayes);
            fprintf(f,
                    "<p>With a Bayes error of %.2f%%: avoidable bias %.2f, variance %.2f, data "
                    "mismatch %.2f, over-tuning to dev %.2f (WER points).</p>\n",
                    bayes, d.bias, d.variance, d.mismatch, d.overtuning);
        }
        char *miss = eval_misses(mo, t);
        fputs("<p>Satisficing: ", f);
        esc(f, miss ? miss : "meets every threshold");
        fputs(".</p>\n", f);
        free(miss);
        for (int i = 0; i < mo->n; i++) {
            const eval_split *s = &mo->splits[i];
            if (!eval_analysed_split(mo, s)) continue;
            eval_confusion *c;
            int n = eval_confusions(s, &c);
            fputs("<p>Most frequent word confusions on ", f);
            esc(f, s->name);
            fputs(n ? ":</p>\n<ul>\n" : ": none.</p>\n", f);
            for (int j = 0; j < n && j < 10; j++) {
                fputs("<li>", f);
                esc(f, c[j].ref);
                fputs(" → ", f);
                esc(f, c[j].hyp);
                fprintf(f, ": %d</li>\n", c[j].count);
            }
            if (n) fputs("</ul>\n", f);
            eval_confusions_free(c, n);
        }
    }
}

int report_html_write(const char *path, const char *title, const eval_model *m, int nm,
                      const eval_thresholds *t, double bayes, const curve_point *pts, int npts,
                      const char *curve_split)
{
    atomic_file af;
    if (atomic_file_open(&af, path, "w") < 0) return -1;
    FILE *f = af.fp;
    fprintf(f, "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>");
    esc(f, title);
    fprintf(f, "</title><style>body{font-family:sans-serif;max-width:60em;margin:2em auto;"
               "color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid "
               "#ccc;padding:3px 8px;text-align:right;white-space:nowrap}th{background:#f4f4f4}"
               "td:first-child{text-align:left}.miss{color:#b00}.best{font-weight:bold}"
               "pre{overflow-x:auto}.no-data{color:#666;font-style:italic}"
               "</style></head><body>\n<h1>");
    esc(f, title);
    fputs("</h1>\n", f);
    verdict(f, m, nm, t, bayes);
    /* Headline table: every model on every split. */
    fputs("<h2>Word error rate per split</h2>\n<table><tr><th>model</th>", f);
    const char *order[] = {"train", "train_dev", "dev", "test"};
    for (int j = 0; j < 4; j++) fprintf(f, "<th>%s</th>", order[j]);
    fputs("<th>RTF</th><th>p95 latency ms</th><th>size MB</th><th>thresholds</th></tr>\n", f);
    for (int k = 0; k < nm; k++) {
        fputs("<tr><td>", f);
        esc(f, m[k].name);
        fputs("</td>", f);
        for (int j = 0; j < 4; j++) {
            double w = NAN;
            for (int i = 0; i < m[k].n; i++)
                if (!strcmp(m[k].splits[i].name, order[j])) w = eval_wer(&m[k].splits[i]);
            if (isnan(w))
                fputs("<td>–</td>", f);
            else
                fprintf(f, "<td>%.2f</td>", w);
        }
        char *miss = eval_misses(&m[k], t);
        fprintf(f, "<td>%.4f</td><td>%.1f</td><td>%.2f</td><td class='%s'>", eval_model_rtf(&m[k]),
                eval_model_p95(&m[k]), m[k].size_mb, miss ? "miss" : "ok");
        esc(f, miss ? miss : "met");
        fputs("</td></tr>\n", f);
        free(miss);
    }
    fputs("</table>\n", f);
    bars(f, m, nm);
    /* Decomposition. */
    if (bayes >= 0) {
        fprintf(f,
                "<h2>Where the errors come from (Bayes error %.2f%%)</h2>\n<table><tr>"
                "<th>model</th><th>avoidable bias</th><th>variance</th><th>data mismatch</th>"
                "<th>over-tuning to dev</th><th>largest</th><th>knobs</th></tr>\n",
                bayes);
        for (int k = 0; k < nm; k++) {
            eval_decomposition d = eval_decompose(m[k].splits, m[k].n, bayes);
            fputs("<tr><td>", f);
            esc(f, m[k].name);
            fprintf(f,
                    "</td><td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%.2f</td><td>%s</td>"
                    "<td style='text-align:left'>",
                    d.bias, d.variance, d.mismatch, d.overtuning, eval_gap_name(d.largest));
            esc(f, eval_knobs(d.largest));
            fputs("</td></tr>\n", f);
        }
        fputs("</table>\n", f);
    }
    /* Training curves. */
    fputs("<h2>Training curves (validation WER per epoch)</h2>\n", f);
    {
        xy **series = xcalloc((size_t)(nm ? nm : 1), sizeof(xy *));
        int *counts = xcalloc((size_t)(nm ? nm : 1), sizeof(int));
        char **names = xcalloc((size_t)(nm ? nm : 1), sizeof(char *));
        for (int k = 0; k < nm; k++) {
            counts[k] = read_log(m[k].log_tsv, &series[k]);
            names[k] = m[k].name;
        }
        lines(f, "chart-training", "epoch", "validation WER %", names, series, counts, nm, 0,
              "No training curves: no model has a log.tsv next to it.");
        for (int k = 0; k < nm; k++) free(series[k]);
        free(series);
        free(counts);
        free(names);
    }
    /* Learning curve. */
    fputs("<h2>WER on ", f);
    esc(f, curve_split);
    fputs(" against training-set size</h2>\n", f);
    {
        char *names[8] = {0};
        xy *series[8] = {0};
        int counts[8] = {0}, ns = 0;
        for (int i = 0; i < npts; i++) {
            int s = 0;
            while (s < ns && strcmp(names[s], pts[i].series)) s++;
            if (s == ns) {
                if (ns == 8) continue;
                names[ns] = pts[i].series;
                series[ns] = NULL;
                counts[ns++] = 0;
            }
            series[s] = xrealloc(series[s], sizeof(xy) * (size_t)(counts[s] + 1));
            series[s][counts[s]++] = (xy){pts[i].size, pts[i].wer};
        }
        for (int s = 0; s < ns; s++) qsort(series[s], (size_t)counts[s], sizeof(xy), by_x);
        lines(f, "chart-learning", "training utterances (log scale)", "WER %", names, series,
              counts, ns, 1,
              "No learning-curve points: give asr compare --curve TSV "
              "(lines 'SERIES SIZE WER').");
        for (int s = 0; s < ns; s++) free(series[s]);
    }
    speaker_tables(f, m, nm);
    details(f, m, nm, t, bayes);
    fputs("</body></html>\n", f);
    return atomic_file_commit(&af);
}
