/* datadir.h — what `asr data` does to data directories, as library calls:
 * validate (with every audio file decoded), split into parts by speaker or
 * utterance, keep a subset, combine several.
 *
 * Every directory written is an output of the caller's io_set, locked while
 * it is written, and its files are declared before any is written, so none
 * replaces an input (the data directories read, their audio, the list of a
 * subset) or another output (base/out_dir.h, base/io_set.h).
 */
#ifndef ASR_RECOGNIZER_DATADIR_H
#define ASR_RECOGNIZER_DATADIR_H

#include "text/corpus.h"

#include <stdint.h>
#include <stdio.h>

typedef struct {
    int utterances, speakers, has_phones;
    double seconds; /* of audio, when it was decoded */
} datadir_summary;

/* Check DIR, printing every problem to REPORT as FILE:LINE; with CHECK_AUDIO
 * decode every audio file too. Returns the number of problems (0: valid;
 * then *S is filled). */
int datadir_validate(const char *dir, int check_audio, FILE *report, datadir_summary *s);

typedef struct {
    const char *in, *outdir;
    char *const *names;      /* K part names: plain, distinct directory names */
    const double *fractions; /* K relative sizes, finite and >= 0, not all 0 */
    int k;
    int by_speaker; /* deal out whole speakers, else utterances */
    uint64_t seed;
    io_set *io; /* OUTDIR is (in) one of its output directories */
} datadir_split_job;

/* OUTDIR/NAME[i] for every part; PARTS[i] receives each one's counts. */
int datadir_split(const datadir_split_job *j, datadir_summary *parts);

typedef enum { SUBSET_SPEAKERS, SUBSET_UTTERANCES, SUBSET_FIRST } subset_kind;

/* OUT = the utterances of IN whose speaker / id is listed (one per line) in
 * LIST, or the FIRST ones. A listed name IN does not have is an error (a
 * typo, almost always). *KEPT and *TOTAL receive the counts. */
int datadir_subset(io_set *io, const char *in, const char *out, subset_kind kind, const char *list,
                   int first, int *kept, int *total);

/* OUT = the union of INS[0..N); an utterance id in two of them is an error.
 * It has a phones file only when every input has one (*S says). */
int datadir_combine(io_set *io, const char *out, char *const *ins, int n, datadir_summary *s);

#endif
