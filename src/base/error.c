/* error.c — thread-local last-error message; see error.h. */
#include "base/error.h"

#include "base/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char last_error[1024];

int asr_error(const char *fmt, ...)
{
    /* Format into a scratch buffer first: callers often wrap the previous
     * message, asr_error("%s: %s", path, asr_last_error()), and formatting
     * straight into last_error would overwrite the argument being read. */
    char msg[sizeof last_error];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    memcpy(last_error, msg, sizeof msg);
    return -1;
}

const char *asr_last_error(void)
{
    return last_error;
}

void asr_clear_error(void)
{
    last_error[0] = '\0';
}

const char *asr_quote_into(char *buf, size_t size, const char *s)
{
    size_t n = 0, room = size - 4; /* "..." and the NUL always fit after */
    while (*s) {
        uint32_t cp;
        int len = utf8_decode(s, &cp);
        char piece[17]; /* one character of up to 4 bytes, each as \xNN */
        size_t k = 0;
        if (*s == '\\')
            k = (size_t)sprintf(piece, "\\\\");
        else if (len && !utf8_is_control(cp))
            memcpy(piece, s, k = (size_t)len);
        else /* every byte of it: a C1 control is two */
            for (int i = 0; i < (len ? len : 1); i++)
                k += (size_t)sprintf(piece + k, "\\x%02x", (unsigned char)s[i]);
        if (k > room - n) break;
        memcpy(buf + n, piece, k);
        n += k;
        s += len ? len : 1;
    }
    strcpy(buf + n, *s ? "..." : "");
    return buf;
}
