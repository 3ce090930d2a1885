/* charts.c — see charts.h. */
#include "report/charts.h"

#include "base/alloc.h"
#include "report/svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void no_data(FILE *f, const char *id, const char *what)
{
    fprintf(f, "<p class='no-data' id='%s'>", id);
    html_esc(f, what);
    fputs("</p>\n", f);
}

/* ---- grouped bars ---- */

/* Bars are 14 to 40 px wide: a chart is as wide as its bars need, within
 * 360 px and what a page of 60 em holds (it shrinks beyond that). */
enum { BAR_MIN = 14, BAR_MAX = 40, CHART_H = 300, CHART_MIN_W = 360, CHART_MAX_W = 920 };
enum { LABEL_CHARS = 28 };

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += (*s & 0xC0) != 0x80;
    return n;
}

void chart_grouped_bars(FILE *f, const char *id, const char *label, const char *ylabel,
                        const char *const *groups, int ng, const char *const *series, int ns,
                        const double *value, const char *empty)
{
    double ymax = 0;
    int any = 0;
    for (int i = 0; i < ng * ns; i++) {
        any |= !isnan(value[i]);
        if (isfinite(value[i]) && value[i] > ymax) ymax = value[i];
    }
    if (!any) {
        no_data(f, id, empty);
        return;
    }
    int l = 56, r = svg_legend_width(series, ns);
    int room = CHART_MAX_W - l - r, bw = room / (ng * ns + ng);
    bw = bw < BAR_MIN ? BAR_MIN : bw > BAR_MAX ? BAR_MAX : bw;
    int w = l + r + bw * (ng * ns + ng); /* a bar's width of space between groups */
    if (w < CHART_MIN_W) w = CHART_MIN_W;
    double gw = (double)(w - l - r) / ng;
    /* Group labels that do not fit under their group (speaker names) are
     * turned 40 degrees, cut at LABEL_CHARS, and the chart grows to hold
     * them: about 6.5 px a character at 12 px. */
    size_t longest = 0;
    for (int g = 0; g < ng; g++) {
        size_t n = utf8_chars(groups[g]);
        if (n > longest) longest = n;
    }
    if (longest > LABEL_CHARS) longest = LABEL_CHARS;
    int turn = 6.5 * longest > gw - 4, bot = turn ? 30 + (int)(0.65 * 7.2 * longest) : 40;
    /* A turned label reaches left of its group by cos 40 of its length
     * (counted at a generous 7.2 px a character): the first one must not
     * leave the chart. */
    int reach = turn ? (int)(0.77 * 7.2 * longest - gw / 2) + 8 : 0;
    if (reach > l) {
        w += reach - l;
        l = reach;
    }
    int h = (CHART_H > 18 * ns + 40 ? CHART_H : 18 * ns + 40) + bot - 40;
    svg_chart c;
    svg_begin(&c, f, id, label, w, h, l, r, 20, bot, 0, ymax);
    svg_value_axis(&c, ylabel);
    for (int g = 0; g < ng; g++) {
        double lx = l + gw * (g + 0.5), ly = h - bot + 16;
        if (turn)
            fprintf(f,
                    "<text x='%.1f' y='%.1f' font-size='12' text-anchor='end' "
                    "transform='rotate(-40 %.1f %.1f)'><title>",
                    lx, ly - 4, lx, ly - 4);
        else
            fprintf(f, "<text x='%.1f' y='%.1f' font-size='12' text-anchor='middle'><title>", lx,
                    ly);
        html_esc(f, groups[g]);
        fputs("</title>", f);
        svg_cut_text(f, groups[g], LABEL_CHARS);
        fputs("</text>", f);
        double x0 = l + gw * g + (gw - bw * ns) / 2;
        for (int s = 0; s < ns; s++) {
            double v = value[g * ns + s];
            if (isnan(v)) continue;
            /* An infinite WER (insertions against no reference words) is
             * drawn full height and labelled as what it is. */
            double top = svg_y(&c, isfinite(v) ? v : c.ymax), x = x0 + bw * s;
            fprintf(f,
                    "<rect class='mark' x='%.1f' y='%.1f' width='%d' height='%.1f' "
                    "fill='%s'><title>",
                    x, top, bw - 1, svg_y(&c, 0) - top, svg_colour(s));
            html_esc(f, series[s]);
            fputc(' ', f);
            html_esc(f, groups[g]);
            fprintf(f, ": %.2f%%</title></rect>", v);
            /* Values over bars only where they fit; the tooltip has them all. */
            if (bw >= 22) {
                char buf[32];
                snprintf(buf, sizeof buf, "%.1f", v);
                svg_text(&c, x + (bw - 1) / 2.0, top - 3, 10, "middle", buf);
            }
        }
    }
    for (int s = 0; s < ns; s++) svg_legend(&c, s, svg_colour(s), series[s]);
    svg_end(&c);
}

/* ---- lines ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Labels along the x axis at pixel PX(value). Linear axes (epochs) get
 * multiples of a 1-2-5 step, at most about six, never a fractional epoch;
 * log axes (training-set sizes) get the sizes that were measured, skipping
 * any label that would touch the previous one. */
static void x_ticks(const svg_chart *c, chart_xy *const *pts, const int *npts, int nseries,
                    int logx, double xmin, double xmax)
{
    double span = xmax - xmin, plot = c->w - c->r - c->l;
    char buf[32];
    if (!logx) {
        double raw = span / 5, p = pow(10, floor(log10(raw))), r = raw / p;
        double step = (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * p;
        if (step < 1) step = 1;
        for (double v = ceil(xmin / step) * step; v <= xmax + 1e-9 * span; v += step) {
            snprintf(buf, sizeof buf, "%g", v);
            svg_text(c, c->l + plot * (v - xmin) / span, c->h - c->bot + 16, 11, "middle", buf);
        }
        return;
    }
    int n = 0;
    for (int s = 0; s < nseries; s++) n += npts[s];
    double *v = xmalloc(sizeof(double) * (size_t)n);
    n = 0;
    for (int s = 0; s < nseries; s++)
        for (int i = 0; i < npts[s]; i++) v[n++] = pts[s][i].x;
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    double last = -INFINITY;
    for (int i = 0; i < n; i++) {
        double px = c->l + plot * (log2(v[i]) - xmin) / span;
        if (px - last < 40) continue; /* also drops repeats */
        snprintf(buf, sizeof buf, "%g", v[i]);
        svg_text(c, px, c->h - c->bot + 16, 11, "middle", buf);
        last = px;
    }
    free(v);
}

void chart_lines(FILE *f, const char *id, const char *xlabel, const char *ylabel,
                 const char *const *names, chart_xy *const *pts, const int *npts, int nseries,
                 int logx, const char *empty)
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
    if (xmax <= xmin) xmax = xmin + 1;
    int r = svg_legend_width(names, nseries), w = 640 - 150 + r;
    svg_chart c;
    svg_begin(&c, f, id, ylabel, w, CHART_H, 56, r, 20, 40, 0, ymax);
    svg_value_axis(&c, ylabel);
    svg_text(&c, (c.l + w - r) / 2.0, CHART_H - 6, 12, "middle", xlabel);
    x_ticks(&c, pts, npts, nseries, logx, xmin, xmax);
    double plot = w - r - c.l;
    for (int s = 0; s < nseries; s++) {
        if (npts[s] == 0) continue;
        fprintf(f, "<polyline class='mark' fill='none' stroke='%s' stroke-width='2'%s points='",
                svg_colour(s), s >= 10 ? " stroke-dasharray='6 3'" : "");
        for (int i = 0; i < npts[s]; i++) {
            double x = logx ? log2(pts[s][i].x) : pts[s][i].x;
            double y = isfinite(pts[s][i].y) ? pts[s][i].y : c.ymax;
            fprintf(f, "%s%.1f,%.1f", i ? " " : "", c.l + plot * (x - xmin) / (xmax - xmin),
                    svg_y(&c, y));
        }
        fputs("'/>", f);
        for (int i = 0; i < npts[s]; i++) {
            double x = logx ? log2(pts[s][i].x) : pts[s][i].x;
            double y = isfinite(pts[s][i].y) ? pts[s][i].y : c.ymax;
            fprintf(f, "<circle class='mark' cx='%.1f' cy='%.1f' r='3' fill='%s'><title>",
                    c.l + plot * (x - xmin) / (xmax - xmin), svg_y(&c, y), svg_colour(s));
            html_esc(f, names[s]);
            fprintf(f, " %g: %.2f</title></circle>", pts[s][i].x, pts[s][i].y);
        }
        svg_legend(&c, s, svg_colour(s), names[s]);
    }
    svg_end(&c);
}

/* ---- the reliability diagram ---- */

void chart_reliability(FILE *f, const char *id, const char *label, const char *const *series,
                       const conf_quality *const *q, int ns, const char *empty)
{
    int any = 0;
    for (int s = 0; s < ns; s++)
        for (int b = 0; q[s] && b < CONF_BINS; b++) any |= q[s]->bins[b].n > 0;
    if (!any) {
        no_data(f, id, empty);
        return;
    }
    /* A square plot: 240 x 240 px between the margins. */
    int r = svg_legend_width(series, ns), plot = CHART_H - 20 - 40, w = 56 + plot + r;
    svg_chart c;
    svg_begin(&c, f, id, label, w, CHART_H, 56, r, 20, 40, 0, 1);
    svg_value_axis(&c, "accuracy");
    svg_text(&c, c.l + plot / 2.0, CHART_H - 6, 12, "middle", "mean confidence");
    char buf[16];
    for (int t = 0; t <= 5; t++) {
        snprintf(buf, sizeof buf, "%g", t / 5.0);
        svg_text(&c, c.l + plot * t / 5.0, c.h - c.bot + 16, 11, "middle", buf);
    }
    fprintf(f, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#999' stroke-dasharray='4 3'/>",
            c.l, svg_y(&c, 0), c.l + plot, svg_y(&c, 1));
    for (int s = 0; s < ns; s++) {
        if (!q[s]) continue;
        int nb = 0; /* a line joins two bins or more */
        for (int b = 0; b < CONF_BINS; b++) nb += q[s]->bins[b].n > 0;
        if (nb > 1) {
            fprintf(f, "<polyline class='mark' fill='none' stroke='%s' stroke-width='2' points='",
                    svg_colour(s));
            for (int b = 0, k = 0; b < CONF_BINS; b++) {
                const conf_bin *x = &q[s]->bins[b];
                if (x->n)
                    fprintf(f, "%s%.1f,%.1f", k++ ? " " : "", c.l + plot * x->mean_confidence,
                            svg_y(&c, x->accuracy));
            }
            fputs("'/>", f);
        }
        for (int b = 0; b < CONF_BINS; b++) {
            const conf_bin *x = &q[s]->bins[b];
            if (!x->n) continue;
            fprintf(f, "<circle class='mark' cx='%.1f' cy='%.1f' r='3' fill='%s'><title>",
                    c.l + plot * x->mean_confidence, svg_y(&c, x->accuracy), svg_colour(s));
            html_esc(f, series[s]);
            fprintf(f, " %g-%g: confidence %.3f, accuracy %.3f, %d word%s</title></circle>", x->lo,
                    x->hi, x->mean_confidence, x->accuracy, x->n, x->n == 1 ? "" : "s");
        }
        svg_legend(&c, s, svg_colour(s), series[s]);
    }
    svg_end(&c);
}

/* ---- the decomposition ---- */

static const char *const parts[] = {"Bayes error", "avoidable bias", "variance", "data mismatch",
                                    "over-tuning to dev"};
static const char *const part_colours[] = {"#bab0ac", "#e15759", "#f28e2b", "#4e79a7", "#b07aa1"};

void chart_decomposition(FILE *f, const eval_model *m, int nm, double bayes)
{
    const char *id = "chart-decomposition";
    if (bayes < 0) {
        no_data(f, id, "No error decomposition: give --bayes (the human-level WER).");
        return;
    }
    /* Each model's five parts; the axis spans the positive and the negative stacks. */
    double *v = xmalloc(sizeof(double) * 5 * (size_t)(nm ? nm : 1));
    double lo = 0, hi = 0;
    int any = 0, visible = 0; /* parts computed; parts large enough to draw */
    for (int k = 0; k < nm; k++) {
        eval_decomposition d = eval_decompose(m[k].splits, m[k].n, bayes);
        double p[5] = {bayes, d.bias, d.variance, d.mismatch, d.overtuning}, up = 0, down = 0;
        for (int j = 0; j < 5; j++) {
            v[k * 5 + j] = p[j];
            if (isnan(p[j])) continue;
            any |= j > 0;
            visible |= fabs(p[j]) >= 0.005;
            if (p[j] > 0)
                up += p[j];
            else
                down += p[j];
        }
        if (up > hi) hi = up;
        if (down < lo) lo = down;
    }
    if (!any) {
        free(v);
        no_data(f, id,
                "No error decomposition: no model has the train, train_dev, dev and test splits "
                "it is computed from.");
        return;
    }
    if (!visible) {
        /* Axes without a bar would read as a broken chart. */
        free(v);
        no_data(f, id,
                "No error to decompose: the Bayes error and every gap round to 0.00 WER points.");
        return;
    }
    int l = 56, r = svg_legend_width(parts, 5), bw = nm > 12 ? 24 : 44;
    int w = l + r + (bw * 2) * nm;
    if (w < CHART_MIN_W) w = CHART_MIN_W;
    svg_chart c;
    svg_begin(&c, f, id, "error decomposition per model", w, CHART_H, l, r, 20, 40, lo, hi);
    svg_value_axis(&c, "WER points");
    double gw = (double)(w - l - r) / nm;
    for (int k = 0; k < nm; k++) {
        double x = l + gw * k + (gw - bw) / 2, up = 0, down = 0;
        svg_text(&c, l + gw * (k + 0.5), CHART_H - 40 + 16, 11, "middle", m[k].name);
        for (int j = 0; j < 5; j++) {
            double p = v[k * 5 + j];
            if (isnan(p) || fabs(p) < 0.005) continue;
            /* Positive parts stack up from 0, negative ones down from it. */
            double *base = p > 0 ? &up : &down, y0 = svg_y(&c, *base), y1 = svg_y(&c, *base + p);
            *base += p;
            fprintf(f,
                    "<rect class='mark' x='%.1f' y='%.1f' width='%d' height='%.1f' fill='%s' "
                    "stroke='#fff' stroke-width='0.5'><title>",
                    x, fmin(y0, y1), bw, fabs(y1 - y0), part_colours[j]);
            html_esc(f, m[k].name);
            fprintf(f, " %s: %.2f</title></rect>", parts[j], p);
        }
    }
    for (int j = 0; j < 5; j++) svg_legend(&c, j, part_colours[j], parts[j]);
    svg_end(&c);
    free(v);
}

/* ---- the confusion heat map ---- */

enum { CELL = 26 };

void chart_confusion(FILE *f, const char *id, const char *label, const confusion_matrix *cm)
{
    int n = cm->n, d = n + 1;
    long total = 0;
    for (int i = 0; i < d * d; i++) total += cm->count[i];
    if (n == 0 || total == 0) {
        no_data(f, id, "No words to confuse: the split has no reference or hypothesis words.");
        return;
    }
    /* Room for the longest word as a row label (left) and a column label
     * (turned, on top). */
    size_t longest = 5;
    for (int i = 0; i < n; i++)
        if (strlen(cm->words[i]) > longest) longest = strlen(cm->words[i]);
    if (longest > 16) longest = 16;
    int l = 20 + 7 * (int)longest, top = 20 + 7 * (int)longest;
    int w = l + CELL * d + 10, h = top + CELL * d + 10;
    svg_chart c;
    svg_begin(&c, f, id, label, w, h, l, 10, top, 10, 0, 1); /* no value axis */
    for (int j = 0; j <= n; j++) {
        const char *word = j < n ? cm->words[j] : NULL;
        /* Rows: reference words, then insertions; columns: hypothesis
         * words, then deletions. */
        svg_text(&c, l - 4, top + CELL * j + CELL / 2.0 + 4, 11, "end", word ? word : "(ins)");
        double x = l + CELL * j + CELL / 2.0 + 4, y = top - 4;
        fprintf(f,
                "<text x='%.1f' y='%.1f' font-size='11' text-anchor='start' "
                "transform='rotate(-90 %.1f %.1f)'>",
                x, y, x, y);
        html_esc(f, word ? word : "(del)");
        fputs("</text>", f);
    }
    svg_text(&c, 4, 12, 11, "start", "reference \u2193  hypothesis \u2192");
    for (int r = 0; r < d; r++) {
        long row = 0;
        for (int k = 0; k < d; k++) row += cm->count[r * d + k];
        for (int k = 0; k < d; k++) {
            long v = cm->count[r * d + k];
            if (v == 0) continue;
            double share = (double)v / row;
            /* A light floor keeps a single confusion visible next to
             * hundreds of correct words. */
            double a = 0.12 + 0.88 * share;
            fprintf(f,
                    "<rect class='mark' x='%d' y='%d' width='%d' height='%d' fill='%s' "
                    "fill-opacity='%.3f'><title>",
                    l + CELL * k, top + CELL * r, CELL - 1, CELL - 1,
                    r == k && r < n ? "#2b6cb0" : "#c53030", a);
            html_esc(f, r < n ? cm->words[r] : "(ins)");
            fputs(" -> ", f);
            html_esc(f, k < n ? cm->words[k] : "(del)");
            fprintf(f, ": %ld</title></rect>", v);
            char buf[24];
            snprintf(buf, sizeof buf, "%ld", v);
            fprintf(f,
                    "<text x='%.1f' y='%.1f' font-size='%d' text-anchor='middle' fill='%s' "
                    "pointer-events='none'>%s</text>",
                    l + CELL * k + (CELL - 1) / 2.0, top + CELL * r + CELL / 2.0 + 3.5,
                    v >= 1000 ? 8 : 10, a > 0.55 ? "#fff" : "#222", buf);
        }
    }
    svg_end(&c);
}
