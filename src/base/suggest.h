/* suggest.h — "did you mean ...?": the closest known name to a misspelt one
 * (configuration keys, command-line options). */
#ifndef ASR_SUGGEST_H
#define ASR_SUGGEST_H

/* Of the N names NAMES[i * STRIDE bytes apart], the one closest to WORD by
 * edit distance, when it is close enough to be a typo (at most a third of
 * WORD's length, plus one); else NULL. STRIDE lets NAMES be a field of an
 * array of structs. */
const char *suggest_name(const char *word, const char *const *names, int n, int stride);

#endif
