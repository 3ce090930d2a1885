/* base64.c — see base64.h. Every 3 bytes (24 bits) become 4 characters of
 * 6 bits each; a last group of 1 or 2 bytes is padded with zero bits and
 * its missing characters written as '='. */
#include "base/base64.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void base64_write(FILE *out, const void *data, size_t n)
{
    const unsigned char *p = data;
    char buf[4096];
    size_t used = 0;
    for (size_t i = 0; i < n; i += 3) {
        size_t left = n - i;
        unsigned v = (unsigned)p[i] << 16 | (left > 1 ? (unsigned)p[i + 1] << 8 : 0) |
                     (left > 2 ? p[i + 2] : 0);
        buf[used++] = alphabet[v >> 18 & 63];
        buf[used++] = alphabet[v >> 12 & 63];
        buf[used++] = left > 1 ? alphabet[v >> 6 & 63] : '=';
        buf[used++] = left > 2 ? alphabet[v & 63] : '=';
        if (used == sizeof buf) {
            fwrite(buf, 1, used, out);
            used = 0;
        }
    }
    fwrite(buf, 1, used, out);
}
