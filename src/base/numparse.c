/* numparse.c — see numparse.h. */
#include "base/numparse.h"

#include "base/error.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

int parse_u64(const char *what, const char *s, uint64_t *out)
{
    int digits = *s != '\0';
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9') digits = 0;
    errno = 0;
    unsigned long long v = digits ? strtoull(s, NULL, 10) : 0;
    if (!digits || errno == ERANGE)
        return asr_error("%s %s: expected an integer from 0 to %llu", what, asr_quote(s),
                         (unsigned long long)UINT64_MAX);
    *out = (uint64_t)v;
    return 0;
}

int parse_int(const char *what, const char *s, long lo, long hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno == ERANGE || v < lo || v > hi)
        return asr_error("%s %s: expected an integer from %ld to %ld", what, asr_quote(s), lo, hi);
    *out = (int)v;
    return 0;
}

int parse_double(const char *what, const char *s, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v) || v < lo || v > hi)
        return asr_error("%s %s: expected a number from %g to %g", what, asr_quote(s), lo, hi);
    *out = v;
    return 0;
}
