/* markdown.c — see markdown.h. */
#include "report/markdown.h"

#include <string.h>

static int is_control(unsigned char c)
{
    return c < 0x20 || c == 0x7f;
}

void md_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '<')
            fputs("&lt;", f);
        else if (c == '&')
            fputs("&amp;", f);
        else if (strchr("\\`*[]|", c))
            fprintf(f, "\\%c", c);
        else
            fputc(is_control(c) ? ' ' : c, f);
    }
}

void md_cell(FILE *f, const char *s)
{
    fputc(' ', f);
    md_text(f, s);
    fputs(" |", f);
}

void md_code(FILE *f, const char *s)
{
    int run = 0, longest = 0;
    for (const char *p = s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        if (run > longest) longest = run;
    }
    /* A space inside the fence when S begins or ends with a backtick (it
     * would join the fence) or with a space (CommonMark strips one space
     * from each end when both are there). */
    size_t n = strlen(s);
    int pad = n && (s[0] == '`' || s[n - 1] == '`' || s[0] == ' ' || s[n - 1] == ' ');
    for (int i = 0; i <= longest; i++) fputc('`', f);
    if (pad) fputc(' ', f);
    for (; *s; s++) fputc(is_control((unsigned char)*s) ? ' ' : *s, f);
    if (pad) fputc(' ', f);
    for (int i = 0; i <= longest; i++) fputc('`', f);
}
