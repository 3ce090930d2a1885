/* pronounce.h — lexicons for word lists and phone transcripts of data
 * directories: what `asr lexicon build` and `asr lexicon phones` do.
 *
 * build: the words listed in a file, pronounced by CMUdict (stress removed,
 * the 39 ARPAbet phones); the words it lacks by espeak-ng (run without a
 * shell, text/lexicon.h's espeak -> ARPAbet table), each said through the
 * log callback as "fallback: WORD PHONES".
 * phones: a Kaldi text file as "uttid PH PH ...", each word's first
 * pronunciation; every unknown word is said (FILE:LINE) and nothing is
 * written.
 */
#ifndef ASR_TEXT_PRONOUNCE_H
#define ASR_TEXT_PRONOUNCE_H

#include "text/lexicon.h"

#define LEXICON_DEFAULT_CMUDICT "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict"

typedef struct {
    const char *words;   /* one word per line (the first field) */
    const char *cmudict; /* CMUdict-format dictionary */
    const char *voice;   /* espeak-ng voice for the fallback */
    int fallback;        /* 0: a word CMUdict lacks is an error */
    const char *out;     /* an output of IO */
    io_set *io;          /* the command's (base/io_set.h): WORDS and CMUDICT join its inputs */
} lexicon_build_job;

typedef struct {
    int words, from_fallback;
} lexicon_build_stats;

int lexicon_build_file(const lexicon_build_job *j, lexicon_build_stats *st);

/* OUT, an output of IO (LEXICON and TEXT join its inputs). */
int lexicon_phones_file(io_set *io, const char *lexicon, const char *text, const char *out);

#endif
