/* progress.h — how far a long job is, said through the log (base/log.h).
 *
 * A job over N items (utterances) starts a tracker and steps it after each
 * item, from any thread; the tracker hands ASR_LOG_PROGRESS messages such as
 *
 *   features: 1200/10533 utterances (11%)  310 utt/s  48x real time  ETA 31s
 *
 * to the log: at most one every PROGRESS_TICK seconds, and always one when
 * the last item is done, so that a job of any length says something. What
 * is shown is the program's choice (the asr command rewrites one line on a
 * terminal and writes a plain line now and then to a file, cli/messages.h).
 */
#ifndef ASR_BASE_PROGRESS_H
#define ASR_BASE_PROGRESS_H

/* Seconds between two messages of one job at most as often. */
#define PROGRESS_TICK 0.5

typedef struct {
    char what[96];    /* "features", "decode: search", "eval dev" */
    const char *unit; /* what an item is, plural: "utterances" */
    long done, total;
    double audio;    /* seconds of audio in the done items (0: not counted) */
    double t0, last; /* clock_seconds() at the start and at the last message */
} progress;

/* A job called WHAT over TOTAL items named UNIT (plural). */
void progress_start(progress *p, const char *what, const char *unit, long total);

/* N more items done, holding AUDIO_SECONDS of audio (0 if not counted); a
 * message when one is due. P may be NULL (nothing happens). Thread-safe. */
void progress_step(progress *p, long n, double audio_seconds);

/* S seconds for people: "42s", "3m07s", "2h05m". */
void progress_format_eta(double s, char *buf, int n);

#endif
