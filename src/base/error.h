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

#endif
