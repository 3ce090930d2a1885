/* worst.h — the worst utterances of a split, as every report lists them
 * (errors.tsv to tag, report.md, report.json, and report.html with their
 * audio to listen to). */
#ifndef ASR_REPORT_WORST_H
#define ASR_REPORT_WORST_H

#include "recognizer/eval.h"

#include <stdio.h>

/* How many of each analysed split's worst utterances report.md, report.json
 * and report.html show per model (errors.tsv lists --worst of every split). */
#define REPORT_WORST 6

/* The WORST utterances of S by word errors, most first, then by id; only
 * utterances with errors. Their indices into S->utts in *IDX (malloc'd,
 * NULL when none); returns how many. */
int eval_worst(const eval_split *s, int worst, int **idx);

/* U's word alignment on one line (metrics_alignment_line: "oh oh->four
 * eight->*"). A new string. */
char *eval_utt_alignment(const eval_utt *u);

/* The longest stretch of an utterance the HTML report embeds. */
#define REPORT_AUDIO_MAX_SECONDS 30.0

/* Write U's audio (its file, or its segment of a recording) to F as a
 * data: URI of a 16-bit WAV at the file's own rate, at most
 * REPORT_AUDIO_MAX_SECONDS of it, scaled down when a float file's peak is
 * over 1; *SECONDS is how long the written audio is. -1 with a message
 * naming the file, writing nothing, when it cannot be read. */
int report_audio_uri(FILE *f, const eval_utt *u, double *seconds);

#endif
