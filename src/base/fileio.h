/* fileio.h — reading untrusted text inputs line by line, and small path helpers.
 *
 * Line reader: Kaldi-style text files (wav.scp, text, utt2spk, lexicons, ARPA,
 * configurations) are read line by line with the line number kept, so every
 * error can say "FILE:LINE: what is wrong". Every input is untrusted, so the
 * reader refuses what would otherwise pass silently or exhaust memory:
 *   - a line longer than LINE_READER_MAX_LINE bytes (no transcript, lexicon
 *     entry or n-gram is that long; a file with one is damaged or hostile);
 *   - a NUL byte inside a line (C strings would silently cut the line there);
 *   - a read error (a directory, an I/O error), which stdio would report as
 *     an ordinary end of file.
 * line_reader_next returns NULL both at the end and on such an error; the
 * caller tells them apart with line_reader_error() after its loop.
 *
 * Outputs are written through atomic_file.h; output directories are locked,
 * staged and removed through out_dir.h.
 */
#ifndef ASR_FILEIO_H
#define ASR_FILEIO_H

#include "base/atomic_file.h"

#include <stdio.h>

/* The longest line any text input may have (bytes, without the newline). */
#define LINE_READER_MAX_LINE (1 << 20)

typedef struct {
    FILE *fp;
    const char *path;
    char *buf;
    size_t cap;
    long lineno; /* 1-based number of the line last returned */
    int failed;  /* the last line_reader_next stopped on an error */
} line_reader;

/* Open PATH: a regular file, or a FIFO or character device the user named
 * (process substitution); "-" is standard input; a directory is an error
 * naming PATH. */
int line_reader_open(line_reader *lr, const char *path);
/* Read lines of TEXT (not copied; it must outlive the reader); NAME is used
 * in messages in place of a path. */
int line_reader_open_text(line_reader *lr, const char *text, const char *name);
/* Next line without its newline (and without a trailing '\r'), or NULL at end
 * of file or on an error (see above). The buffer is reused by the next call. */
char *line_reader_next(line_reader *lr);
/* -1 when the last line_reader_next returned NULL because of an error (the
 * message, naming FILE:LINE, is asr_last_error()); 0 at a clean end. */
int line_reader_error(const line_reader *lr);
void line_reader_close(line_reader *lr);

/* Read stream FP (standard input, a pipe) on into *DATA, which holds *LEN
 * of its *CAP bytes (NULL, 0, 0 at first; free it in the end), until the
 * stream ends (1) or *LEN reaches UNTIL (0): the buffer never grows past
 * UNTIL bytes, so a caller checks a limit as the bytes arrive. -1 naming
 * NAME on a read error or when memory runs out. */
int read_stream_until(FILE *fp, const char *name, size_t until, unsigned char **data, size_t *len,
                      size_t *cap);

/* Split LINE in place at runs of spaces/tabs into at most MAX fields; returns
 * the number of fields. */
int split_fields(char *line, char **fields, int max);

/* Does PATH exist (as anything, after following symlinks)? */
int path_exists(const char *path);

/* "DIR/NAME", malloc'd. */
char *path_join(const char *dir, const char *name);
/* Is PATH a regular file (after following symlinks)? */
int path_is_regular(const char *path);
/* Is PATH a directory (after following symlinks)? */
int path_is_dir(const char *path);
/* mkdir -p; 0 on success. */
int make_dirs(const char *path);

#endif
