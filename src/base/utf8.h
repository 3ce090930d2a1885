/* utf8.h — telling valid UTF-8 and control characters apart, for every
 * check of outside text (data directories at the door, error messages that
 * quote input, the JSON writer).
 *
 * Valid UTF-8 is RFC 3629's: the shortest form of a code point up to
 * U+10FFFF that is not a surrogate (U+D800..U+DFFF). A control character is
 * C0 (U+0000..U+001F), DEL (U+007F) or C1 (U+0080..U+009F): what a terminal
 * may act on (ESC starts its escape sequences, C1's CSI is one byte of it).
 */
#ifndef ASR_BASE_UTF8_H
#define ASR_BASE_UTF8_H

#include <stdint.h>

/* The length (1 to 4) of the valid UTF-8 sequence that starts at S, with
 * its code point in *CP; 0 when the bytes there are not one (a stray
 * continuation byte, an overlong form, a surrogate, beyond U+10FFFF, cut
 * short by the end of the string). S points at a byte other than NUL. */
int utf8_decode(const char *s, uint32_t *cp);

/* The character at S (its one byte when not valid UTF-8) into OUT as a
 * string, for a message about it; returns its length in bytes. */
int utf8_char(const char *s, char out[5]);

/* Whether code point CP is a control character (C0, DEL, C1). */
int utf8_is_control(uint32_t cp);

#endif
