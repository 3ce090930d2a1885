/* alloc.h — allocation that never returns NULL.
 *
 * Running out of memory is not an input error a caller can recover from in a
 * command-line tool, so these print what was asked for and exit(1).
 */
#ifndef ASR_ALLOC_H
#define ASR_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);

#endif
