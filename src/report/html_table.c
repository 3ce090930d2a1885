/* html_table.c — see html_table.h. */
#include "report/html_table.h"

#include "base/alloc.h"
#include "report/svg.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void html_table_open(html_table *t, FILE *f, const char *id, const char *cls)
{
    memset(t, 0, sizeof *t);
    t->f = f;
    fprintf(f, "<table class='stack%s%s'", cls ? " " : "", cls ? cls : "");
    if (id) fprintf(f, " id='%s'", id);
    fputs("><thead><tr>", f);
}

void html_th(html_table *t, const char *text)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 16;
        t->head = xrealloc(t->head, sizeof *t->head * (size_t)t->cap);
    }
    t->head[t->n++] = xstrdup(text);
    fputs("<th>", t->f);
    html_esc(t->f, text);
    fputs("</th>", t->f);
}

void html_ths(html_table *t, const char *const *text, int n)
{
    for (int i = 0; i < n; i++) html_th(t, text[i]);
}

void html_tr(html_table *t)
{
    fputs(t->in_row ? "</tr>\n<tr>" : "</tr></thead>\n<tbody>\n<tr>", t->f);
    t->in_row = 1;
    t->col = 0;
}

/* The cell's opening tag with its header and classes. */
static void open_cell(html_table *t, const char *cls, int wrap)
{
    fputs("<td data-label='", t->f);
    html_esc(t->f, t->col < t->n ? t->head[t->col] : "");
    fputc('\'', t->f);
    t->col++;
    if (cls || wrap)
        fprintf(t->f, " class='%s%s%s'", cls ? cls : "", cls && wrap ? " " : "",
                wrap ? "wrap" : "");
    fputc('>', t->f);
}

void html_td(html_table *t, const char *cls)
{
    open_cell(t, cls, 0);
}

void html_td_wrap(html_table *t, const char *cls)
{
    open_cell(t, cls, 1);
}

void html_td_text(html_table *t, const char *cls, const char *text)
{
    open_cell(t, cls, 0);
    html_esc(t->f, text);
    fputs("</td>", t->f);
}

void html_td_printf(html_table *t, const char *cls, const char *fmt, ...)
{
    open_cell(t, cls, 0);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(t->f, fmt, ap);
    va_end(ap);
    fputs("</td>", t->f);
}

void html_table_close(html_table *t)
{
    fputs(t->in_row ? "</tr>\n</tbody></table>\n" : "</tr></thead></table>\n", t->f);
    for (int i = 0; i < t->n; i++) free(t->head[i]);
    free(t->head);
    memset(t, 0, sizeof *t);
}
