/* suggest.c — see suggest.h. */
#include "base/suggest.h"

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

const char *suggest_name(const char *word, const char *const *names, int n, int stride)
{
    const char *best = NULL;
    int bd = 99;
    for (int i = 0; i < n; i++) {
        const char *name = *(const char *const *)((const char *)names + (long)i * stride);
        int d = distance(word, name);
        if (d < bd) bd = d, best = name;
    }
    return best && bd <= 1 + (int)strlen(word) / 3 ? best : NULL;
}
