/* suggest.c — see suggest.h. */
#include "base/suggest.h"

#include "base/error.h"

#include <stdio.h>
#include <string.h>

/* Levenshtein distance of A and B; names are short (longer ones: far). */
static int distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 63 || m > 63) return 99;
    int d[64][64];
    for (size_t i = 0; i <= n; i++) d[i][0] = (int)i;
    for (size_t j = 0; j <= m; j++) d[0][j] = (int)j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
            d[i][j] = best;
        }
    return d[n][m];
}

static const char *name_at(const char *const *names, int i, int stride)
{
    return *(const char *const *)((const char *)names + (long)i * stride);
}

const char *suggest_name(const char *word, const char *const *names, int n, int stride)
{
    const char *best = NULL;
    int bd = 99;
    for (int i = 0; i < n; i++) {
        const char *name = name_at(names, i, stride);
        int d = distance(word, name);
        if (d < bd) bd = d, best = name;
    }
    return best && bd <= 1 + (int)strlen(word) / 3 ? best : NULL;
}

const char *suggest_list(char *buf, size_t size, const char *const *names, int n, int stride)
{
    size_t at = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && at < size; i++)
        at += (size_t)snprintf(buf + at, size - at, "%s%s",
                               i == 0       ? ""
                               : i == n - 1 ? " or "
                                            : ", ",
                               name_at(names, i, stride));
    return buf;
}

int suggest_error(const char *kind, const char *name, const char *const *names, int n, int stride)
{
    const char *best = suggest_name(name, names, n, stride);
    if (best) return asr_error("unknown %s '%s' (did you mean '%s'?)", kind, asr_quote(name), best);
    char list[256];
    return asr_error("unknown %s '%s' (expected %s)", kind, asr_quote(name),
                     suggest_list(list, sizeof list, names, n, stride));
}

int parse_name(const char *what, const char *s, const char *const *names, int n, int stride,
               int *out)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(s, name_at(names, i, stride))) {
            *out = i;
            return 0;
        }
    char list[256];
    suggest_list(list, sizeof list, names, n, stride);
    const char *best = suggest_name(s, names, n, stride);
    if (best)
        return asr_error("%s %s: expected %s (did you mean '%s'?)", what, asr_quote(s), list, best);
    return asr_error("%s %s: expected %s", what, asr_quote(s), list);
}

/* The most choices parse_choice splits, and their longest. */
enum { MAX_CHOICES = 16, MAX_CHOICE = 32 };

int parse_choice(const char *what, const char *s, const char *choices, int *out)
{
    char name[MAX_CHOICES][MAX_CHOICE];
    const char *ptr[MAX_CHOICES];
    int n = 0;
    for (const char *c = choices; *c && n < MAX_CHOICES; n++) {
        size_t len = strcspn(c, "|");
        snprintf(name[n], sizeof name[n], "%.*s", (int)len, c);
        ptr[n] = name[n];
        c += len + (c[len] == '|');
    }
    return parse_name(what, s, ptr, n, (int)sizeof ptr[0], out);
}
