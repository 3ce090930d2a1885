/* lm_build.h — a word (or character) n-gram LM from a text file, in ARPA
 * format: what `asr lm build` does.
 *
 * One sentence per line; with kaldi, a data directory's text file (the first
 * field of each line, the utterance id, is left out); with chars, the
 * tokens are characters (decode/charlm.h: a-z, ', <space> between words). */
#ifndef ASR_DECODE_LM_BUILD_H
#define ASR_DECODE_LM_BUILD_H

#include "base/io_set.h"
#include "decode/ngram.h"

typedef struct {
    const char *text;
    const char *out; /* an output of IO ("-": standard output) */
    int order;
    ngram_method method;
    int kaldi, chars;
    io_set *io; /* the command's (base/io_set.h): TEXT joins its inputs */
} lm_build_job;

typedef struct {
    int sentences, vocabulary;
} lm_build_stats;

/* -1 with a message naming the file (and line) at fault. */
int lm_build_file(const lm_build_job *j, lm_build_stats *st);

#endif
