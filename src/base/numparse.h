/* numparse.h — numbers from untrusted text (options, configuration values).
 *
 * strtoull accepts "-1" (and wraps it to 2^64 - 1), saturates 1e23-sized
 * integers with only errno to tell, and strtod takes "nan", "inf" and
 * "1e400" (= inf). These parse the whole string or fail, never wrap or
 * saturate, and say what was expected with the name of the setting:
 *   "--seed -1: expected an integer from 0 to 18446744073709551615".
 */
#ifndef ASR_NUMPARSE_H
#define ASR_NUMPARSE_H

#include <stdint.h>

/* Digits only (no sign, blanks or exponent), at most 2^64 - 1. */
int parse_u64(const char *what, const char *s, uint64_t *out);
/* A decimal integer in [LO, HI]. */
int parse_int(const char *what, const char *s, long lo, long hi, int *out);
/* A finite decimal number in [LO, HI] ("2.5", "-1", "1e-3"; not "0x1",
 * " 1" or "inf"). */
int parse_double(const char *what, const char *s, double lo, double hi, double *out);

#endif
