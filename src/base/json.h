/* json.h — writing JSON strings, for every writer of JSON (reports, --stats,
 * `asr stream --format json`). */
#ifndef ASR_BASE_JSON_H
#define ASR_BASE_JSON_H

#include <stdio.h>

/* S as a JSON string literal, quotes included: '"' and '\' escaped, control
 * characters as \u00XX; other bytes (UTF-8) as they are. */
void json_write_string(FILE *out, const char *s);

#endif
