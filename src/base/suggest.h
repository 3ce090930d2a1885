/* suggest.h — "did you mean ...?": the closest known name to a misspelt one
 * (subcommands, configuration keys, command-line options, their values). */
#ifndef ASR_SUGGEST_H
#define ASR_SUGGEST_H

#include <stddef.h>

/* Of the N names NAMES[i * STRIDE bytes apart], the one closest to WORD by
 * edit distance, when it is close enough to be a typo (at most a third of
 * WORD's length, plus one); else NULL. STRIDE lets NAMES be a field of an
 * array of structs. */
const char *suggest_name(const char *word, const char *const *names, int n, int stride);

/* "a, b or c" of the N names NAMES (STRIDE as for suggest_name), into
 * BUF[SIZE] (cut if it is too short); returns BUF. */
const char *suggest_list(char *buf, size_t size, const char *const *names, int n, int stride);

/* S as one of the N names NAMES (STRIDE as for suggest_name): its index
 * into *OUT, or -1 with an error naming WHAT (the option or key), the names
 * and the closest of them:
 *   "--stage phone: expected words or phones (did you mean 'phones'?)". */
int parse_name(const char *what, const char *s, const char *const *names, int n, int stride,
               int *out);

/* S as one of CHOICES ("a|b|c", at most 16 of at most 31 bytes): as
 * parse_name. */
int parse_choice(const char *what, const char *s, const char *choices, int *out);

/* The error for NAME, which is none of the N names NAMES (STRIDE as for
 * suggest_name), of KIND ("pipeline"): "unknown KIND 'NAME' (did you mean
 * 'X'?)" or "unknown KIND 'NAME' (expected a, b or c)"; returns -1. */
int suggest_error(const char *kind, const char *name, const char *const *names, int n, int stride);

#endif
