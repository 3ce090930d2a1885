/* utf8.c — see utf8.h. */
#include "base/utf8.h"

#include <string.h>

int utf8_decode(const char *s, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    /* The lead byte gives the length and its payload bits; MIN is the
     * smallest code point of that length (a smaller one is overlong). */
    int len;
    uint32_t c, min;
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    } else if (p[0] >= 0xc2 && p[0] <= 0xdf) {
        len = 2, c = p[0] & 0x1f, min = 0x80;
    } else if (p[0] >= 0xe0 && p[0] <= 0xef) {
        len = 3, c = p[0] & 0x0f, min = 0x800;
    } else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
        len = 4, c = p[0] & 0x07, min = 0x10000;
    } else {
        return 0; /* a continuation byte, or 0xc0, 0xc1, 0xf5..0xff: never a lead */
    }
    /* A NUL ends the string and is no continuation byte, so this never
     * reads past it. */
    for (int i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80) return 0;
        c = c << 6 | (p[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return 0;
    *cp = c;
    return len;
}

int utf8_char(const char *s, char out[5])
{
    uint32_t cp;
    int len = utf8_decode(s, &cp);
    if (len == 0) len = 1;
    memcpy(out, s, (size_t)len);
    out[len] = 0;
    return len;
}

int utf8_is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}
