/* report_html.h — a self-contained HTML report with inline SVG charts.
 *
 * No scripts, no external files: the page is tables plus three charts drawn
 * as SVG — per-split WER bars for every model (id chart-splits); training
 * curves (validation error per epoch) from each model's log.tsv
 * (chart-training); and WER against training-set size from learning-curve
 * points, one line per pipeline (chart-learning). What a chart draws from
 * its data (bars, lines, points) has class 'mark'; a chart without data is
 * replaced by a sentence of class 'no-data' with the chart's id saying what
 * is missing. tests/cli/report_html.sh checks all this in a browser.
 */
#ifndef ASR_REPORT_HTML_H
#define ASR_REPORT_HTML_H

#include "recognizer/eval.h"

typedef struct {
    char *series; /* e.g. the pipeline */
    double size;  /* training utterances */
    double wer;   /* on the curve's split */
} curve_point;

/* Points from a TSV "series size wer" (header line optional, blank lines
 * skipped); sizes must be positive (they go on a log axis). */
int report_read_curve(const char *path, curve_point **pts, int *n);

int report_html_write(const char *path, const char *title, const eval_model *m, int nm,
                      const eval_thresholds *t, double bayes, const curve_point *pts, int npts,
                      const char *curve_split);

#endif
