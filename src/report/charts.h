/* charts.h — the HTML report's charts, as inline SVG (report/svg.h says
 * how they size and what class 'mark' means). A chart without data is
 * replaced by a sentence of class 'no-data' with the chart's id, saying
 * what is missing: an empty frame with made-up axes would look like a
 * chart of zeros. tests/cli/report_html.sh checks every chart's marks
 * against report.json in a browser; the titles (tooltips) of the marks are
 * the format it reads, given with each function. */
#ifndef ASR_REPORT_CHARTS_H
#define ASR_REPORT_CHARTS_H

#include "recognizer/eval.h"
#include "report/confusion.h"

#include <stdio.h>

/* Grouped bars: for each of NG groups a bar per series (NS), VALUE[g * ns +
 * s] (NAN: no bar; INFINITY: drawn full height). Bar titles "SERIES GROUP:
 * V%" (V with two decimals). */
void chart_grouped_bars(FILE *f, const char *id, const char *label, const char *ylabel,
                        const char *const *groups, int ng, const char *const *series, int ns,
                        const double *value, const char *empty);

typedef struct {
    double x, y;
} chart_xy;

/* Lines over (x, y) series, each sorted by x, with a point per pair (title
 * "SERIES X: Y"); LOGX for training-set sizes (every x > 0). */
void chart_lines(FILE *f, const char *id, const char *xlabel, const char *ylabel,
                 const char *const *names, chart_xy *const *pts, const int *npts, int nseries,
                 int logx, const char *empty);

/* A reliability diagram: for each of NS series (models) the CONF_BINS
 * confidence bins of Q[s] (text/confidence.h) that hold words, as points at
 * (mean confidence, accuracy) joined by a line (when two or more), over the diagonal a
 * perfectly calibrated confidence would follow (both axes 0 to 1). Point
 * titles "SERIES LO-HI: confidence C, accuracy A, N words" ("1 word"; C and A with
 * three decimals). Q[s] NULL: a series without confidences. */
void chart_reliability(FILE *f, const char *id, const char *label, const char *const *series,
                       const conf_quality *const *q, int ns, const char *empty);

/* The error decomposition of each model as a stacked bar: Bayes error,
 * avoidable bias, variance, data mismatch and over-tuning to dev, the
 * positive parts stacked up from 0 in that order (their sum is the test
 * WER when none is negative), the negative ones down from 0. Segment
 * titles "MODEL PART: V" (V in WER points, two decimals); parts of |V| <
 * 0.005 are not drawn. */
void chart_decomposition(FILE *f, const eval_model *m, int nm, double bayes);

/* A word confusion matrix as a heat map: a cell per non-zero count, titled
 * "REF -> HYP: N", shaded by its share of the reference word's row (the
 * diagonal in blue, confusions in red). */
void chart_confusion(FILE *f, const char *id, const char *label, const confusion_matrix *cm);

#endif
