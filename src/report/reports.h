/* reports.h — an evaluation (recognizer/eval.h) as reports people read and
 * scripts parse: Markdown (report.md), JSON (report.json: what scripts read,
 * with jq), the worst utterances as a TSV to tag (errors.tsv), and the tally
 * of those tags. report_html.h draws the HTML report. */
#ifndef ASR_REPORT_REPORTS_H
#define ASR_REPORT_REPORTS_H

#include "recognizer/eval.h"

#include <stdio.h>

void eval_write_markdown(FILE *out, const eval_model *m, int nm, const eval_thresholds *t,
                         double bayes);
void eval_write_json(FILE *out, const eval_model *m, int nm, const eval_thresholds *t,
                     double bayes);
/* "WER per speaker": one table per split, a row per speaker (utterances,
 * reference words) and a column per model. eval_write_markdown includes it. */
void eval_write_speakers_markdown(FILE *out, const eval_model *m, int nm);
/* Word confusion pairs of S, most frequent first (deletions as hyp "(del)",
 * insertions as ref "(ins)"): how many, *OUT malloc'd. */
typedef struct {
    char *ref, *hyp;
    int count;
} eval_confusion;
int eval_confusions(const eval_split *s, eval_confusion **out);
void eval_confusions_free(eval_confusion *c, int n);
/* The TOP most frequent as Markdown lines. */
void eval_write_confusions(FILE *out, const eval_split *s, int top);
/* The WORST utterances of every split by word errors, as a TSV with an
 * empty category column for a person to tag. */
int eval_write_errors_tsv(const char *path, const eval_model *m, int worst);
/* Count the tagged categories of a TSV written by eval_write_errors_tsv. */
int eval_tally(const char *path, FILE *out);

/* report.md, report.json and errors.tsv (errors-NAME.tsv per model when
 * there are several) into DIR, created if needed. */
int eval_write_reports(const char *dir, const eval_model *m, int nm, const eval_thresholds *t,
                       double bayes, int worst);

#endif
