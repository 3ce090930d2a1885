/* corpus.h — Kaldi-style data directories.
 *
 * A data directory holds, sorted by utterance id (byte order, as `LC_ALL=C sort`):
 *   wav.scp  "uttid path"            path to an audio file libsndfile reads
 *   text     "uttid word word …"     the transcript
 *   utt2spk  "uttid speaker"
 *   phones   "uttid ph ph …"         optional: phone transcript (ARPAbet)
 *   segments "uttid recid start end" optional: utterances are spans of
 *                                    recordings (seconds; end -1: to the end),
 *                                    and wav.scp then maps recording ids to paths
 *   spk2utt  "speaker uttid uttid …" optional: utt2spk inverted (Kaldi's),
 *                                    which must then agree with utt2spk
 * Paths in wav.scp are used as written (absolute, or relative to the current
 * directory, as in Kaldi); piped commands ("… |") are not supported.
 * Every line is UTF-8 text without control characters (C0 but the blanks
 * that separate fields, DEL, C1: ESC would reach a terminal, an invalid
 * byte make report.json invalid); a path may hold any bytes but those.
 *
 * corpus_read loads a directory and refuses it if anything is wrong, naming the
 * first FILE:LINE at fault. corpus_validate checks the same things (and that
 * every audio file exists) and reports every problem, one line each.
 */
#ifndef ASR_CORPUS_H
#define ASR_CORPUS_H

#include "base/io_set.h"

#include <stdint.h>
#include <stdio.h>

/* Most parts corpus_split makes at once (train/train_dev/dev/test and more). */
#define CORPUS_MAX_PARTS 8

typedef struct {
    char *id;
    char *wav;         /* audio path from wav.scp */
    char *text;        /* transcript (words separated by single spaces), may be "";
                          NULL only from corpus_read_untranscribed without a text file */
    char *speaker;     /* from utt2spk */
    char *phones;      /* from phones, or NULL when the directory has none */
    char *recording;   /* from segments: the recording id, or NULL (wav is the utterance) */
    double start, end; /* its span in seconds (end -1: to the end of the recording) */
    long line;         /* its line in segments (when a segment) or wav.scp, as read;
                          0 for one made in memory */
} corpus_utt;

typedef struct {
    corpus_utt *utts; /* sorted by id */
    int n;
    int has_phones;
} corpus;

/* Load DIR. Fails (-1, message naming file:line) on a missing file, unsorted or
 * duplicate ids, ids missing from one of the files, malformed lines. */
int corpus_read(const char *dir, corpus *c);

/* The same for audio to recognise: text and utt2spk may be missing (text
 * then NULL in every utterance, speaker = id), and an empty text file means
 * no transcripts. */
int corpus_read_untranscribed(const char *dir, corpus *c);

/* Check DIR and print every problem to REPORT as "FILE:LINE: message".
 * Returns the number of problems (0 = valid). */
int corpus_validate(const char *dir, FILE *report);

/* Write C to DIR (created if needed; its files outputs of IO, see
 * corpus_declare_output), every file atomically, sorted by id; with segments
 * when any utterance is a segment (then every other one is a whole recording
 * of its own, "id id 0 -1"). -1 when one recording id stands for two paths. */
int corpus_write(const io_set *io, const char *dir, const corpus *c);

/* Index of the utterance with id ID, or -1 (binary search). */
int corpus_find(const corpus *c, const char *id);

/* Append a copy of one utterance (PHONES may be NULL). Call corpus_sort
 * before corpus_write or corpus_find. */
void corpus_add(corpus *c, const char *id, const char *wav, const char *text, const char *speaker,
                const char *phones);

/* Append a copy of U, its segment included. */
void corpus_add_utt(corpus *c, const corpus_utt *u);

/* Sort by id; fails naming the first duplicate id. */
int corpus_sort(corpus *c);

/* OUT = the utterances of IN with KEEP[i] set (deep copy, order kept). */
void corpus_select(const corpus *in, const unsigned char *keep, corpus *out);

/* The distinct speakers of C, sorted (caller frees each and the array). */
int corpus_speakers(const corpus *c, char ***names);

/* Split IN into K parts with sizes proportional to FRAC (largest-remainder
 * rounding, so every utterance lands in exactly one part). BY_SPEAKER deals
 * out whole speakers, so no speaker is in two parts; otherwise utterances.
 * The units are shuffled with SEED first: same seed, same split. A part
 * whose fraction is not 0 but that would get no unit (4 speakers into 4
 * parts of 0.8, 0.05, 0.1, 0.05) is an error naming it (NAMES[j], or "part
 * J" when NAMES is NULL) and every part's share: it would be an empty data
 * directory. */
int corpus_split(const corpus *in, int by_speaker, const double *frac, int k, uint64_t seed,
                 char *const *names, corpus *parts);

/* Add data directory DIR, its files (wav.scp, text, utt2spk, phones, ...)
 * and, with C, every audio file C lists to the inputs of IO; -1 when one is
 * an output (base/io_set.h). */
int corpus_add_inputs(io_set *io, const char *dir, const corpus *c)
    __attribute__((warn_unused_result));

/* Declare the files corpus_write writes in DIR as outputs of IO; -1 when one
 * is an input or another output. */
int corpus_declare_output(io_set *io, const char *dir) __attribute__((warn_unused_result));

void corpus_free(corpus *c);

#endif
