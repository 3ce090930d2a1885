/* textnorm.c — see textnorm.h for the rules. A single left-to-right scan:
 * each token (a run of letters/apostrophes, a number, or a symbol) appends
 * its words to a growing output buffer. */
#include "text/textnorm.h"

#include "base/alloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    char *s;
    size_t n, cap;
} strbuf;

static void put_word(strbuf *b, const char *w, size_t len)
{
    if (!len) return;
    if (b->n + len + 2 > b->cap) {
        b->cap = 2 * (b->n + len + 2);
        b->s = xrealloc(b->s, b->cap);
    }
    if (b->n) b->s[b->n++] = ' ';
    memcpy(b->s + b->n, w, len);
    b->n += len;
    b->s[b->n] = 0;
}

static void put(strbuf *b, const char *w)
{
    put_word(b, w, strlen(w));
}

static const char *const ones[] = {"zero",    "one",     "two",       "three",    "four",
                                   "five",    "six",     "seven",     "eight",    "nine",
                                   "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
                                   "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
static const char *const tens[] = {"",      "",      "twenty",  "thirty", "forty",
                                   "fifty", "sixty", "seventy", "eighty", "ninety"};
static const char *const ord_ones[] = {
    "zeroth",     "first",     "second",    "third",       "fourth",     "fifth",     "sixth",
    "seventh",    "eighth",    "ninth",     "tenth",       "eleventh",   "twelfth",   "thirteenth",
    "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"};
static const char *const ord_tens[] = {"",          "",         "twentieth", "thirtieth",
                                       "fortieth",  "fiftieth", "sixtieth",  "seventieth",
                                       "eightieth", "ninetieth"};

/* Words of 0 < N < 1000; with ORDINAL the last word is made ordinal. */
static void say_hundreds(strbuf *b, long n, int ordinal)
{
    if (n >= 100) {
        put(b, ones[n / 100]);
        put(b, ordinal && n % 100 == 0 ? "hundredth" : "hundred");
        n %= 100;
    }
    if (n >= 20) {
        if (n % 10) {
            put(b, tens[n / 10]);
            put(b, (ordinal ? ord_ones : ones)[n % 10]);
        } else {
            put(b, (ordinal ? ord_tens : tens)[n / 10]);
        }
    } else if (n > 0) {
        put(b, (ordinal ? ord_ones : ones)[n]);
    }
}

/* Cardinal or ordinal words of 0 <= N < 10^9. */
static void say_number(strbuf *b, long n, int ordinal)
{
    if (n == 0) {
        put(b, ordinal ? "zeroth" : "zero");
        return;
    }
    static const char *const scale[] = {"million", "thousand", ""};
    static const char *const ord_scale[] = {"millionth", "thousandth", ""};
    static const long unit[] = {1000000, 1000, 1};
    for (int k = 0; k < 3; k++) {
        long part = n / unit[k] % 1000;
        if (!part) continue;
        int last = n % unit[k] == 0; /* nothing follows this group */
        say_hundreds(b, part, ordinal && last && k == 2);
        if (k < 2) put(b, ordinal && last ? ord_scale[k] : scale[k]);
    }
}

static void say_digits(strbuf *b, const char *d, size_t len)
{
    for (size_t i = 0; i < len; i++) put(b, ones[d[i] - '0']);
}

/* A number starting at P: digits with optional thousands commas, an optional
 * decimal part, an optional ordinal suffix. Returns the bytes consumed. */
static size_t number(strbuf *b, const char *p)
{
    char digits[64];
    size_t nd = 0, i = 0;
    while (nd < sizeof digits - 1) {
        if (isdigit((unsigned char)p[i]))
            digits[nd++] = p[i++];
        else if (p[i] == ',' && nd > 0 && isdigit((unsigned char)p[i + 1]) &&
                 isdigit((unsigned char)p[i + 2]) && isdigit((unsigned char)p[i + 3]) &&
                 !isdigit((unsigned char)p[i + 4]))
            i++; /* thousands separator: exactly three digits follow */
        else
            break;
    }
    digits[nd] = 0;
    int ordinal = 0;
    const char *suf[] = {"st", "nd", "rd", "th"};
    for (int k = 0; k < 4; k++)
        if (!strncasecmp(p + i, suf[k], 2) && !isalpha((unsigned char)p[i + 2])) {
            ordinal = 1;
            i += 2;
            break;
        }
    if ((digits[0] == '0' && nd > 1) || nd > 9)
        say_digits(b, digits, nd);
    else
        say_number(b, strtol(digits, NULL, 10), ordinal);
    if (!ordinal && p[i] == '.' && isdigit((unsigned char)p[i + 1])) {
        put(b, "point");
        i++;
        size_t start = i;
        while (isdigit((unsigned char)p[i])) i++;
        say_digits(b, p + start, i - start);
    }
    return i;
}

static int digit(const char *p, size_t i)
{
    return isdigit((unsigned char)p[i]);
}

/* The length of the number to dial at P, or 0 when P starts none: digit
 * groups joined by hyphens (two groups or more) or by dots (three or more:
 * two are a decimal), or any digits after a parenthesised group ("(555)
 * 123-4567"; one blank may follow the parenthesis). */
static size_t dial_string(const char *p)
{
    size_t i = 0, end = 0;
    int paren = p[0] == '(', groups = 0;
    if (paren) {
        i = 1;
        while (digit(p, i)) i++;
        if (i == 1 || p[i] != ')') return 0;
        i += 1 + (p[i + 1] == ' ');
    }
    char sep = 0;
    while (digit(p, i)) {
        while (digit(p, i)) i++;
        groups++;
        end = i;
        if ((p[i] != '-' && p[i] != '.') || (sep && p[i] != sep) || !digit(p, i + 1)) break;
        sep = p[i++];
    }
    if (!groups) return 0;
    return paren || (sep == '-' && groups >= 2) || (sep == '.' && groups >= 3) ? end : 0;
}

char *textnorm_normalize(const char *in)
{
    strbuf b = {xmalloc(64), 0, 64};
    b.s[0] = 0;
    const char *p = in;
    while (*p) {
        unsigned char c = (unsigned char)*p;
        size_t dial;
        if (isalpha(c)) {
            char w[256];
            size_t n = 0;
            while (*p && (isalpha((unsigned char)*p) ||
                          (*p == '\'' && isalpha((unsigned char)p[1]) && n > 0))) {
                if (n < sizeof w - 1) w[n++] = (char)tolower((unsigned char)*p);
                p++;
            }
            put_word(&b, w, n);
        } else if ((dial = dial_string(p)) > 0) {
            for (size_t i = 0; i < dial; i++)
                if (digit(p, i)) put(&b, ones[p[i] - '0']);
            p += dial;
        } else if (isdigit(c)) {
            p += number(&b, p);
        } else if (c == '$' && isdigit((unsigned char)p[1])) {
            p++;
            strbuf tmp = {xmalloc(64), 0, 64};
            p += number(&tmp, p);
            put(&b, tmp.s);
            /* "one dollar", else "dollars" */
            put(&b, strcmp(tmp.s, "one") ? "dollars" : "dollar");
            free(tmp.s);
        } else {
            static const char sym[] = "%&+#*@";
            static const char *const word[] = {"percent", "and", "plus", "pound", "star", "at"};
            const char *k = c ? strchr(sym, c) : NULL;
            if (k) put(&b, word[k - sym]);
            p++;
        }
    }
    return b.s;
}
