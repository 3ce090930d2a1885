/* report_html.c — the HTML/SVG report; see report_html.h. */
#include "report_html.h"

#include "alloc.h"
#include "error.h"
#include "fileio.h"

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

static void legend(FILE *f, int i, const char *name)
{
    int y = TOP + 10 + 18 * i;
    fprintf(f, "<rect x='%d' y='%d' width='12' height='12' fill='%s'/>", W - R + 10, y - 10,
            COLOUR(i));
    fprintf(f, "<text x='%d' y='%d' font-size='12'>", W - R + 28, y);
    esc(f, name);
    fputs("</text>", f);
}

static void no_data(FILE *f, const char *what)
{
    fprintf(f, "<text x='%d' y='%d' font-size='14' text-anchor='middle' fill='#666'>", W / 2,
            H / 2);
    esc(f, what);
    fputs("</text>", f);
}

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
    ymax = nice_max(ymax);
    fprintf(f,
            "<svg class='chart' id='chart-splits' xmlns='http://www.w3.org/2000/svg' width='%d' "
            "height='%d' viewBox='0 0 %d %d'>",
            W, H, W, H);
    axes(f, ymax, "WER %");
    if (ns == 0) no_data(f, "no evaluated splits");
    double gw = (double)(W - R - L) / (ns ? ns : 1), bw = gw * 0.8 / (nm ? nm : 1);
    for (int j = 0; j < ns; j++) {
        fprintf(f, "<text x='%.1f' y='%d' font-size='12' text-anchor='middle'>%s</text>",
                L + gw * (j + 0.5), H - BOT + 16, names[j]);
        for (int k = 0; k < nm; k++)
            for (int i = 0; i < m[k].n; i++) {
                if (strcmp(m[k].splits[i].name, names[j])) continue;
                double w = eval_wer(&m[k].splits[i]);
                if (!isfinite(w)) w = ymax;
                double h = (H - TOP - BOT) * w / ymax, x = L + gw * j + gw * 0.1 + bw * k;
                fprintf(f,
                        "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'>"
                        "<title>%s %s: %.2f%%</title></rect>",
                        x, H - BOT - h, bw, h, COLOUR(k), m[k].name, names[j], w);
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

/* Lines over (x, y) series; LOGX for training-set sizes. */
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
    ymax = nice_max(ymax);
    if (xmax <= xmin) xmax = xmin + 1;
    fprintf(f,
            "<svg class='chart' id='%s' xmlns='http://www.w3.org/2000/svg' width='%d' "
            "height='%d' viewBox='0 0 %d %d'>",
            id, W, H, W, H);
    axes(f, ymax, ylabel);
    fprintf(f, "<text x='%d' y='%d' font-size='12' text-anchor='middle'>", (L + W - R) / 2, H - 6);
    esc(f, xlabel);
    fputs("</text>", f);
    if (!any) no_data(f, empty);
    for (int k = 0; k <= 4 && any; k++) {
        double xv = xmin + (xmax - xmin) * k / 4, px = L + (W - R - L) * k / 4.0;
        fprintf(f, "<text x='%.1f' y='%d' font-size='11' text-anchor='middle'>%.0f</text>", px,
                H - BOT + 16, logx ? pow(2, xv) : xv);
    }
    for (int s = 0; s < nseries; s++) {
        if (npts[s] == 0) continue;
        fprintf(f, "<polyline fill='none' stroke='%s' stroke-width='2' points='", COLOUR(s));
        for (int i = 0; i < npts[s]; i++) {
            double x = logx ? log2(pts[s][i].x) : pts[s][i].x;
            double y = isfinite(pts[s][i].y) ? pts[s][i].y : ymax;
            fprintf(f, "%.1f,%.1f ", L + (W - R - L) * (x - xmin) / (xmax - xmin),
                    H - BOT - (H - TOP - BOT) * (y > ymax ? ymax : y) / ymax);
        }
        fputs("'/>", f);
        for (int i = 0; i < npts[s]; i++) {
            double x = logx ? log2(pts[s][i].x) : pts[s][i].x;
            double y = isfinite(pts[s][i].y) ? pts[s][i].y : ymax;
            fprintf(f,
                    "<circle cx='%.1f' cy='%.1f' r='3' fill='%s'><title>%g: %.2f</title></circle>",
                    L + (W - R - L) * (x - xmin) / (xmax - xmin),
                    H - BOT - (H - TOP - BOT) * (y > ymax ? ymax : y) / ymax, COLOUR(s),
                    pts[s][i].x, pts[s][i].y);
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
        if (split_fields(line, f, 4) != 3) continue;
        char *e1, *e2;
        double size = strtod(f[1], &e1), wer = strtod(f[2], &e2);
        if (*e1 || *e2) {
            if (lr.lineno == 1) continue; /* a header */
            line_reader_close(&lr);
            return asr_error("%s:%ld: expected 'SERIES SIZE WER'", path, lr.lineno);
        }
        *pts = xrealloc(*pts, sizeof(curve_point) * (size_t)(*n + 1));
        (*pts)[(*n)++] = (curve_point){xstrdup(f[0]), size, wer};
    }
    line_reader_close(&lr);
    return 0;
}

static int by_x(const void *a, const void *b)
{
    double x = ((const xy *)a)->x, y = ((const xy *)b)->x;
    return x < y ? -1 : x > y;
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
               "#ccc;padding:3px 8px;text-align:right}th{background:#f4f4f4}"
               "td:first-child{text-align:left}.miss{color:#b00}.best{font-weight:bold}"
               "</style></head><body>\n<h1>");
    esc(f, title);
    fputs("</h1>\n", f);
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
              "no training logs found next to the models");
        for (int k = 0; k < nm; k++) free(series[k]);
        free(series);
        free(counts);
        free(names);
    }
    /* Learning curve. */
    fprintf(f, "<h2>WER on %s against training-set size</h2>\n", curve_split);
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
              counts, ns, 1, "no learning-curve points (asr compare --curve)");
        for (int s = 0; s < ns; s++) free(series[s]);
    }
    fputs("<h2>Details</h2>\n<pre>", f);
    /* The Markdown report, escaped, for the per-split S/D/I and confusions. */
    char *md = NULL;
    size_t mdlen = 0;
    FILE *mf = open_memstream(&md, &mdlen);
    eval_write_markdown(mf, m, nm, t, bayes);
    fclose(mf);
    esc(f, md);
    free(md);
    fputs("</pre>\n</body></html>\n", f);
    return atomic_file_commit(&af);
}
