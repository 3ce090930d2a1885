/* svg.c — see svg.h. */
#include "report/svg.h"

#include "base/alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void html_esc(FILE *f, const char *s)
{
    for (; *s; s++) switch (*s) {
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '&':
            fputs("&amp;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
        }
}

static const char *const palette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                      "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

const char *svg_colour(int i)
{
    return palette[(unsigned)i % 10];
}

/* The smallest of 1, 2, 2.5, 5 times a power of ten that is >= V > 0. */
static double nice_step(double v)
{
    double p = pow(10, floor(log10(v)));
    static const double steps[] = {1, 2, 2.5, 5, 10};
    for (int i = 0; i < 5; i++)
        if (v <= steps[i] * p * (1 + 1e-12)) return steps[i] * p;
    return 10 * p;
}

void svg_begin(svg_chart *c, FILE *f, const char *id, const char *label, int w, int h, int l, int r,
               int top, int bot, double ymin, double ymax)
{
    if (!isfinite(ymin) || ymin > 0) ymin = 0;
    if (!isfinite(ymax) || ymax < 0) ymax = 0;
    double step = ymax > ymin ? nice_step((ymax - ymin) / 6) : 0.25;
    ymin = floor(ymin / step + 1e-9) * step;
    ymax = ceil(ymax / step - 1e-9) * step;
    if (ymax <= ymin) ymax = ymin + 4 * step;
    *c = (svg_chart){f, w, h, l, r, top, bot, ymin, ymax, step};
    fprintf(f,
            "<svg class='chart' id='%s' xmlns='http://www.w3.org/2000/svg' width='%d' "
            "height='%d' viewBox='0 0 %d %d' style='max-width:100%%;height:auto' role='img'",
            id, w, h, w, h);
    if (label) {
        fputs(" aria-label='", f);
        html_esc(f, label);
        fputc('\'', f);
    }
    fputc('>', f);
}

void svg_end(svg_chart *c)
{
    fputs("</svg>\n", c->f);
}

double svg_y(const svg_chart *c, double v)
{
    if (v < c->ymin) v = c->ymin;
    if (v > c->ymax) v = c->ymax;
    return c->h - c->bot - (c->h - c->top - c->bot) * (v - c->ymin) / (c->ymax - c->ymin);
}

void svg_text(const svg_chart *c, double x, double y, int size, const char *anchor,
              const char *text)
{
    fprintf(c->f, "<text x='%.1f' y='%.1f' font-size='%d' text-anchor='%s'>", x, y, size, anchor);
    html_esc(c->f, text);
    fputs("</text>", c->f);
}

void svg_value_axis(const svg_chart *c, const char *ylabel)
{
    FILE *f = c->f;
    int x0 = c->l, x1 = c->w - c->r;
    /* A grid line every step; 0 gets a dark line when it is inside. */
    int steps = (int)lround((c->ymax - c->ymin) / c->step);
    for (int k = 0; k <= steps; k++) {
        double v = c->ymin + c->step * k, y = svg_y(c, v);
        fprintf(f, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#ddd'/>", x0, y, x1, y);
        char buf[32];
        snprintf(buf, sizeof buf, "%g", fabs(v) < 1e-9 ? 0 : v);
        svg_text(c, x0 - 4, y + 4, 11, "end", buf);
    }
    double y0 = svg_y(c, c->ymin < 0 && c->ymax > 0 ? 0 : c->ymin);
    fprintf(f, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#333'/>", x0, y0, x1, y0);
    fprintf(f, "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#333'/>", x0, c->top, x0,
            c->h - c->bot);
    int ym = (c->h - c->bot + c->top) / 2;
    fprintf(f,
            "<text x='14' y='%d' font-size='12' transform='rotate(-90 14 %d)' "
            "text-anchor='middle'>",
            ym, ym);
    html_esc(f, ylabel);
    fputs("</text>", f);
}

/* Where character LIMIT - 1 of NAME starts when NAME has more than LIMIT
 * characters (UTF-8: a character starts at every byte that is not
 * 10xxxxxx), else 0. */
static size_t cut_at(const char *name, size_t limit)
{
    size_t chars = 0, cut = 0;
    for (size_t b = 0; name[b]; b++)
        if ((name[b] & 0xC0) != 0x80 && chars++ == limit - 1) cut = b;
    return chars > limit ? cut : 0;
}

void svg_legend(const svg_chart *c, int i, const char *colour, const char *name)
{
    FILE *f = c->f;
    int x = c->w - c->r + 10, y = c->top + 10 + 18 * i;
    fprintf(f, "<rect x='%d' y='%d' width='12' height='12' fill='%s'/>", x, y - 10, colour);
    fprintf(f, "<text x='%d' y='%d' font-size='12'><title>", x + 18, y);
    html_esc(f, name);
    fputs("</title>", f);
    svg_cut_text(f, name, SVG_LEGEND_CHARS);
    fputs("</text>", f);
}

void svg_cut_text(FILE *f, const char *s, size_t limit)
{
    size_t cut = cut_at(s, limit);
    if (!cut) {
        html_esc(f, s);
        return;
    }
    char *head = xstrdup(s);
    head[cut] = 0;
    html_esc(f, head);
    fputs("\u2026", f);
    free(head);
}

int svg_legend_width(const char *const *names, int n)
{
    size_t most = 4;
    for (int i = 0; i < n; i++) {
        size_t chars = 0;
        for (const char *p = names[i]; *p; p++) chars += (*p & 0xC0) != 0x80;
        if (chars > most) most = chars;
    }
    if (most > SVG_LEGEND_CHARS) most = SVG_LEGEND_CHARS;
    return 36 + 7 * (int)most; /* swatch, gap, about 7 px a character at 12 px */
}
