/* svg.h — the pieces every chart of the HTML report is drawn with: HTML
 * escaping, a chart frame sized to its data and shrinking with the page,
 * a value axis with a "nice" range, the palette and a legend.
 *
 * A chart is an inline <svg> whose natural size is what its data needs
 * (so many bars, so many cells) and whose CSS max-width is 100%: on a
 * narrow page it scales down as a whole, keeping its proportions. What a
 * chart draws from its data (bars, lines, points, cells) has class 'mark';
 * axes, grid and legend do not (tests/cli/report_html.sh counts marks).
 */
#ifndef ASR_REPORT_SVG_H
#define ASR_REPORT_SVG_H

#include <stddef.h>
#include <stdio.h>

/* S with < > & " ' as entities: for text and for attribute values. */
void html_esc(FILE *f, const char *s);

/* Colour I of a palette of ten that stay apart for colour-blind readers
 * too (Tableau 10); past ten, colours repeat. */
const char *svg_colour(int i);

typedef struct {
    FILE *f;
    int w, h;           /* natural size in pixels */
    int l, r, top, bot; /* margins around the plot area */
    double ymin, ymax;  /* the value axis, bottom to top */
    double step;        /* between its grid lines */
} svg_chart;

/* Open chart ID of W x H with the given margins, for values from LO to HI:
 * the axis runs from a multiple of a step of 1, 2, 2.5 or 5 times a power
 * of ten at or below min(LO, 0) to one at or above HI, in at most six
 * steps (so a WER of 33 gets an axis to 40, not to 100). LABEL (may be
 * NULL) is its accessible name (aria-label). */
void svg_begin(svg_chart *c, FILE *f, const char *id, const char *label, int w, int h, int l, int r,
               int top, int bot, double ymin, double ymax);
void svg_end(svg_chart *c);
/* The pixel row of value V (clamped to the axis). */
double svg_y(const svg_chart *c, double v);
/* Horizontal grid lines with their values at the left, a line at 0, and
 * the axis label YLABEL turned along the left edge. */
void svg_value_axis(const svg_chart *c, const char *ylabel);
/* Text at (X, Y), escaped; ANCHOR "start", "middle" or "end". */
void svg_text(const svg_chart *c, double x, double y, int size, const char *anchor,
              const char *text);
/* S escaped, cut to LIMIT characters (UTF-8) with an ellipsis. */
void svg_cut_text(FILE *f, const char *s, size_t limit);
/* Legend entry I (a swatch of COLOUR and NAME, cut to SVG_LEGEND_CHARS
 * characters with the whole name as its tooltip) in the right margin. */
#define SVG_LEGEND_CHARS 22
void svg_legend(const svg_chart *c, int i, const char *colour, const char *name);
/* The right margin a legend of NAMES[0..n) needs. */
int svg_legend_width(const char *const *names, int n);

#endif
