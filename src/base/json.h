/* json.h — writing JSON strings, for every writer of JSON (reports, --stats,
 * `asr stream --format json`). */
#ifndef ASR_BASE_JSON_H
#define ASR_BASE_JSON_H

#include <stdio.h>

/* S as a JSON string literal, quotes included: '"' and '\' escaped, control
 * characters (C0, DEL, C1: base/utf8.h) as \u00XX, valid UTF-8 as it is.
 * JSON is UTF-8 (RFC 8259), so a byte that is not part of valid UTF-8 (a
 * Latin-1 file name, say) becomes U+FFFD, the replacement character, and
 * the output is always valid JSON whatever S holds. */
void json_write_string(FILE *out, const char *s);

#endif
