/* json.c — see json.h. */
#include "base/json.h"

#include "base/utf8.h"

void json_write_string(FILE *out, const char *s)
{
    fputc('"', out);
    while (*s) {
        uint32_t cp;
        int len = utf8_decode(s, &cp);
        if (len == 0) {
            fputs("\\ufffd", out); /* one replacement character per stray byte */
            s++;
            continue;
        }
        if (cp == '"' || cp == '\\')
            fprintf(out, "\\%c", (char)cp);
        else if (utf8_is_control(cp))
            fprintf(out, "\\u%04x", (unsigned)cp);
        else
            fwrite(s, 1, (size_t)len, out);
        s += len;
    }
    fputc('"', out);
}
