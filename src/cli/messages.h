/* messages.h — what the asr command says on stderr besides its errors: the
 * library's messages (base/log.h) and the commands' own notes.
 *
 * Progress (base/progress.h): on a terminal one line rewritten in place; on
 * a file or a pipe a plain line at most every ASR_PROGRESS_INTERVAL seconds
 * (default 10; the variable is for tests: 0 prints every one), never a
 * carriage return. Notes (ASR_LOG_INFO: summaries, what was written) and
 * progress are dropped under --quiet; warnings and errors never are. Under
 * MPI only rank 0 speaks (the ranks run the same steps).
 */
#ifndef ASR_CLI_MESSAGES_H
#define ASR_CLI_MESSAGES_H

/* Route the library's messages to stderr. -1 (said on stderr) when
 * ASR_PROGRESS_INTERVAL is set and not a number of seconds. */
int cli_messages_init(void);

/* --quiet: from now on no progress or notes. */
void cli_set_quiet(void);
int cli_quiet(void);

#endif
