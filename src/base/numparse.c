/* numparse.c — see numparse.h. */
#include "base/numparse.h"

#include "base/error.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* Whether S is a decimal number as people write one: [+-] digits [. digits]
 * [e [+-] digits], with a digit on at least one side of the point. strtod
 * takes more: hexadecimal ("0x1" is 1), "inf", "nan", leading blanks. */
static int is_decimal(const char *s)
{
    static const char digits[] = "0123456789";
    if (*s == '+' || *s == '-') s++;
    size_t n = strspn(s, digits);
    s += n;
    if (*s == '.') {
        size_t f = strspn(++s, digits);
        s += f;
        n += f;
    }
    if (n == 0) return 0;
    if (*s == 'e' || *s == 'E') {
        if (*++s == '+' || *s == '-') s++;
        size_t e = strspn(s, digits);
        if (e == 0) return 0;
        s += e;
    }
    return *s == '\0';
}

int parse_double(const char *what, const char *s, double lo, double hi, double *out)
{
    double v = is_decimal(s) ? strtod(s, NULL) : NAN;
    if (!isfinite(v) || v < lo || v > hi)
        return asr_error("%s %s: expected a number from %g to %g", what, asr_quote(s), lo, hi);
    *out = v;
    return 0;
}
