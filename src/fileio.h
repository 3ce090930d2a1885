/* fileio.h — atomic output files and a line reader for text inputs.
 *
 * Atomic writes: every output of the workbench (audio, feature archives, data
 * directories, models, reports) is written to "PATH.tmp.PID" and renamed over
 * PATH only when complete, so a crash or an error never leaves half a file and
 * never destroys a good file that was already there.
 *
 * Line reader: Kaldi-style text files (wav.scp, text, utt2spk, lexicons, ARPA)
 * are read line by line with the line number kept, so every error can say
 * "FILE:LINE: what is wrong".
 */
#ifndef ASR_FILEIO_H
#define ASR_FILEIO_H

#include <stdio.h>

typedef struct {
    FILE *fp;   /* write here */
    char *path; /* final name */
    char *tmp;  /* temporary name, renamed to path on commit */
} atomic_file;

/* Open a temporary file next to PATH for writing ("w" or "wb"). */
int atomic_file_open(atomic_file *af, const char *path, const char *mode);
/* Flush, fsync, close and rename over the final path. Fails (and removes the
 * temporary) if any write failed. */
int atomic_file_commit(atomic_file *af);
/* Close and remove the temporary; the final path is untouched. Safe to call
 * after a failed commit or on a zeroed struct. */
void atomic_file_abort(atomic_file *af);

typedef struct {
    FILE *fp;
    const char *path;
    char *buf;
    size_t cap;
    long lineno; /* 1-based number of the line last returned */
} line_reader;

int line_reader_open(line_reader *lr, const char *path);
/* Read lines of TEXT (not copied; it must outlive the reader); NAME is used
 * in messages in place of a path. */
int line_reader_open_text(line_reader *lr, const char *text, const char *name);
/* Next line without its newline (and without a trailing '\r'), or NULL at end
 * of file. The buffer is reused by the next call. */
char *line_reader_next(line_reader *lr);
void line_reader_close(line_reader *lr);

/* Split LINE in place at runs of spaces/tabs into at most MAX fields; returns
 * the number of fields. */
int split_fields(char *line, char **fields, int max);

/* Does PATH exist (as anything)? */
int path_exists(const char *path);
/* mkdir -p; 0 on success. */
int make_dirs(const char *path);

#endif
