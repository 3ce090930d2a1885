/* base64.h — RFC 4648 base64, for data: URIs (the HTML report embeds the
 * audio of its worst utterances so that the page stays one file). */
#ifndef ASR_BASE_BASE64_H
#define ASR_BASE_BASE64_H

#include <stddef.h>
#include <stdio.h>

/* The N bytes at DATA as base64 with '=' padding, no line breaks: 4 * ceil(N / 3)
 * characters. */
void base64_write(FILE *out, const void *data, size_t n);

#endif
