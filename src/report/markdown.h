/* markdown.h — text from outside (transcripts, speakers, ids, names, paths)
 * in report.md, so that it reads as itself: as text, never as HTML a viewer
 * would run (a transcript "<script>"), a link, emphasis or a table's column
 * separator (a '|' in a transcript cut its row into more cells).
 *
 * CommonMark and GitHub's tables are the target: any ASCII punctuation may
 * be backslash-escaped, entities stand for < and &, and inside a table a '\|'
 * is a '|' of the cell, never a separator. Control characters (none pass a
 * data directory, but a title, a name or a hypothesis file may hold them)
 * become spaces, so a newline cannot end a heading or a row.
 */
#ifndef ASR_REPORT_MARKDOWN_H
#define ASR_REPORT_MARKDOWN_H

#include <stdio.h>

/* S as text of a paragraph, heading, list item or table cell: < and & as
 * entities; \ ` * [ ] | backslash-escaped. Without a '<' no tag or
 * autolink can begin, so '>' stays (an alignment's "a->b" reads as it is),
 * and so does '_': the ids it joins, fsdd_0_jackson, cannot turn into
 * emphasis inside a word. */
void md_text(FILE *f, const char *s);

/* " S |": S as the cell of a table row that the caller began with '|'. */
void md_cell(FILE *f, const char *s);

/* S as a code span (a path, a command line) outside tables: its backticks
 * inside a fence of more backticks than its longest run of them, so it
 * cannot end the span early; nothing in it is interpreted. */
void md_code(FILE *f, const char *s);

#endif
