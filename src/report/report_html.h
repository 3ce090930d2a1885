/* report_html.h — the HTML report: one self-contained page (no scripts, no
 * external files; the worst utterances' audio is embedded as data: URIs).
 *
 * In order: the verdict (the model recommended, eval_choose, its WER with
 * 95% intervals, on what grounds and what it misses, and how sure its lead
 * over each other model is); WER per split (table and chart-splits); the
 * satisficing thresholds with each model's margin (or that none is set);
 * the error decomposition (table and chart-decomposition, stacked bars);
 * WER per speaker (chart-speakers-N per analysed split, and tables); a
 * word confusion heat map per model (chart-confusion-K); the worst
 * utterances with an audio player, reference, hypothesis and alignment;
 * training curves (chart-training, from each model's log.tsv); WER against
 * training-set size (chart-learning); each model in detail; provenance.
 * The charts are report/charts.h's, the tables report/html_table.h's.
 * tests/cli/report_html.sh checks the page in a browser against report.json,
 * tests/cli/report_layout.sh its layout at a desktop's and a phone's width.
 */
#ifndef ASR_REPORT_HTML_H
#define ASR_REPORT_HTML_H

#include "report/reports.h"

/* Points from a TSV "series size wer" (header line optional, blank lines
 * skipped); sizes must be positive (they go on a log axis). */
int report_read_curve(const char *path, curve_point **pts, int *n);

/* The report to PATH, an output of IO. */
int report_html_write(const io_set *io, const char *path, const eval_model *m, int nm,
                      const report_spec *r);

#endif
