/* html_table.h — the HTML report's tables, readable at any width.
 *
 * Every cell carries its column's header as data-label: on a narrow page
 * (a phone) the page's CSS shows each row of a 'stack' table as a block of
 * "header value" lines, since its columns cannot stand side by side there
 * without the table scrolling sideways or running off the page. Headers
 * may wrap between words; cells do not, but for those opened with
 * html_td_wrap.
 */
#ifndef ASR_REPORT_HTML_TABLE_H
#define ASR_REPORT_HTML_TABLE_H

#include "base/error.h"

#include <stdio.h>

typedef struct {
    FILE *f;
    char **head; /* each column's header, as text */
    int n, cap;
    int col;    /* the column of the next cell of the row */
    int in_row; /* a row is open */
} html_table;

/* "<table class='stack CLS' id='ID'>" (CLS and ID may be NULL) and its
 * header row: add the headers with html_th, then html_tr opens the first
 * row. */
void html_table_open(html_table *t, FILE *f, const char *id, const char *cls);
/* A header cell: TEXT, escaped; html_ths, one for each of TEXT[0..n). */
void html_th(html_table *t, const char *text);
void html_ths(html_table *t, const char *const *text, int n);
/* A new row (closing the one before): each row is a line of the file. */
void html_tr(html_table *t);
/* Open the row's next cell (class CLS, may be NULL) and leave it for the
 * caller to fill and close with "</td>"; html_td_wrap lets its text wrap
 * between words. */
void html_td(html_table *t, const char *cls);
void html_td_wrap(html_table *t, const char *cls);
/* A whole cell of TEXT, escaped; of printf FMT, as it is (no escaping). */
void html_td_text(html_table *t, const char *cls, const char *text);
void html_td_printf(html_table *t, const char *cls, const char *fmt, ...) ASR_PRINTF(3, 4);
/* Close the table and free T. */
void html_table_close(html_table *t);

#endif
