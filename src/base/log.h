/* log.h — how the library says what it is doing: through a callback.
 *
 * The library never writes to stderr (or anywhere) itself: a training run's
 * progress, a warning about a skipped utterance or the note that an LM was
 * estimated go to the handler the program installed, or nowhere. The `asr`
 * command prints them to stderr; a program embedding the library may show
 * them, log them or drop them. Messages have no trailing newline.
 *
 * Errors are not logged: a function that fails returns -1 and leaves its
 * message in asr_last_error() (error.h).
 */
#ifndef ASR_LOG_H
#define ASR_LOG_H

#include "base/error.h"

typedef enum {
    ASR_LOG_PROGRESS, /* a transient status line (overwritten by the next one) */
    ASR_LOG_INFO,     /* what was done */
    ASR_LOG_WARNING,  /* something the user should look at; the work went on */
} asr_log_level;

typedef void (*asr_log_fn)(void *ctx, asr_log_level level, const char *msg);

/* Install FN (with CTX) for every later message; NULL drops them (the
 * default). Set it before starting work, not from several threads. */
void asr_log_set(asr_log_fn fn, void *ctx);

/* Format a message and hand it to the handler (none: nothing happens). */
void asr_log(asr_log_level level, const char *fmt, ...) ASR_PRINTF(2, 3);

#endif
