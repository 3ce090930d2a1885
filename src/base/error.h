/* error.h — how every libasr module reports failure.
 *
 * In the style of libsndfile: a function that can fail returns 0 on success and
 * -1 on failure (or NULL for constructors), after recording one message that
 * names the culprit (file, line, utterance). The caller prints it with
 * asr_last_error(). The message is thread-local, so worker threads do not
 * overwrite each other's errors.
 */
#ifndef ASR_ERROR_H
#define ASR_ERROR_H

#include <stddef.h>

#if defined(__GNUC__)
#define ASR_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define ASR_PRINTF(a, b)
#endif

/* Record a formatted message as the current error; always returns -1 so that
 * `return asr_error("%s: no such file", path);` reads naturally. */
int asr_error(const char *fmt, ...) ASR_PRINTF(1, 2);

/* The most recent message recorded on this thread ("" if none). */
const char *asr_last_error(void);

/* Forget the current error. */
void asr_clear_error(void);

/* Text from input (a word of a lexicon, a section of a model file, a line
 * of a configuration) as it may appear in a message: printable ASCII and
 * valid UTF-8 as they are, '\' as "\\", every control byte (a newline,
 * ESC, which a terminal would act on, C1: base/utf8.h) and every byte that
 * is not valid UTF-8 as "\xNN"; at most SIZE - 1 bytes in all, ending in
 * "..." when S was cut. Into BUF (SIZE >= 8 bytes); returns BUF.
 *   asr_error("%s:%ld: unknown key '%s'", path, line, asr_quote(key));
 * asr_quote gives each use a buffer of its own (a compound literal, alive
 * to the end of the enclosing block), so one message may quote several. */
#define ASR_QUOTE_SIZE 160
const char *asr_quote_into(char *buf, size_t size, const char *s);
#define asr_quote(s) asr_quote_into((char[ASR_QUOTE_SIZE]){0}, ASR_QUOTE_SIZE, (s))

#endif
