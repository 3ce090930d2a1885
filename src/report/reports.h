/* reports.h — an evaluation (recognizer/eval.h) as reports people read and
 * scripts parse: Markdown (report.md), JSON (report.json: what scripts read,
 * with jq), the worst utterances as a TSV to tag (errors.tsv), and the tally
 * of those tags. report_html.h draws the HTML report. */
#ifndef ASR_REPORT_REPORTS_H
#define ASR_REPORT_REPORTS_H

#include "base/io_set.h"
#include "recognizer/eval.h"
#include "report/confusion.h"

#include <stdio.h>
#include <time.h>

typedef struct {
    char *series; /* e.g. the pipeline */
    double size;  /* training utterances */
    double wer;   /* on the curve's split */
} curve_point;

/* What a report is of besides its models, and how it was made. */
typedef struct {
    const char *title; /* the HTML page's; NULL: "asr evaluation" */
    eval_thresholds t;
    double bayes;           /* human-level WER in percent; < 0: not given */
    int worst;              /* worst utterances of each split in errors.tsv */
    const curve_point *pts; /* learning-curve points (asr compare --curve) */
    int npts;
    const char *curve_split; /* the split their WERs are on */
    /* Provenance: the command line (NULL: not known), the data directory
     * and when the report was made; the build is build_info.h's. */
    const char *command, *data;
    time_t when;
} report_spec;

/* The defaults: no thresholds, no Bayes error, 20 worst, no curve, no provenance. */
void report_spec_init(report_spec *r);
/* When R was made as FORMAT (strftime, UTC) into BUF; 0, or -1 with BUF
 * empty when it is not known. */
int report_date(const report_spec *r, const char *format, char *buf, size_t n);
/* ARGV[0..argc) as one shell-quoted line: a new string. */
char *report_command_line(int argc, char *const *argv);

void eval_write_markdown(FILE *out, const eval_model *m, int nm, const report_spec *r);
void eval_write_json(FILE *out, const eval_model *m, int nm, const report_spec *r);
/* "WER per speaker": one table per split, a row per speaker (utterances,
 * reference words) and a column per model. eval_write_markdown includes it. */
void eval_write_speakers_markdown(FILE *out, const eval_model *m, int nm);
/* The WORST utterances of every split by word errors, as a TSV with an
 * empty category column for a person to tag: split, id, errors, reference
 * words, audio (the file, and the utterance's start and end in it in
 * seconds, end empty for "to the end"), ref, hyp, alignment, category. */
int eval_write_errors_tsv(const io_set *io, const char *path, const eval_model *m, int worst);
/* Count the tagged categories of a TSV written by eval_write_errors_tsv. */
int eval_tally(const char *path, FILE *out);

/* Declare DIR, an output directory, and the files eval_write_reports writes
 * there for the models NAMES[0..NM) in IO (base/io_set.h): -1 when one is an
 * input (a model, a hypotheses file, a data directory's file) or another
 * output. Before the evaluation, so that a clash stops it before it starts. */
int eval_reports_declare(io_set *io, const char *dir, char *const *names, int nm);

/* report.md, report.json, report.html (report_html.h) and errors.tsv
 * (errors-NAME.tsv per model when there are several) into DIR, created if
 * needed; every file an output of IO (eval_reports_declare). */
int eval_write_reports(const io_set *io, const char *dir, const eval_model *m, int nm,
                       const report_spec *r);

#endif
