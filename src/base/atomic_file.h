/* atomic_file.h — writing an output file so that nothing is lost on failure
 * and nothing but the file itself is ever replaced.
 *
 * A regular file (new or existing) is written to a temporary file in the
 * same directory and renamed over the target only when complete, so a crash,
 * a full disk or an error never leaves half a file and never destroys a good
 * one that was there. The temporary is an unnamed O_TMPFILE where the file
 * system has them (a killed process leaves nothing behind), else
 * "PATH.tmp.PID.N" created exclusively. An existing file keeps its mode.
 *
 * What a rename would destroy is never renamed over:
 *   "-"                         standard output, written in place;
 *   a character device or FIFO  (/dev/null, a pipe) written in place: a rename
 *                               would replace the device node with a file;
 *   a symlink                   followed: its target is the file written, the
 *                               link stays (a dangling link is refused);
 *   a block device, directory,  refused.
 *   socket
 * In-place outputs are not atomic (they cannot be), but they never replace
 * anything.
 *
 * Every path is claimed from the command's io_set first (base/io_set.h): a
 * path the command did not declare as an output, or one of its inputs, is
 * refused before anything is written.
 */
#ifndef ASR_ATOMIC_FILE_H
#define ASR_ATOMIC_FILE_H

#include "base/io_set.h"

#include <stdio.h>

typedef struct {
    FILE *fp;   /* write here */
    char *path; /* the file written: PATH, or a symlink's target */
    char *tmp;  /* named temporary, renamed to path on commit (NULL otherwise) */
    int anon;   /* an unnamed O_TMPFILE, linked into place on commit */
    int direct; /* standard output, a character device or a FIFO: written in place */
} atomic_file;

/* Open PATH, an output of IO, for writing ("w" or "wb"); -1 with a message
 * naming PATH. */
int atomic_file_open(atomic_file *af, const io_set *io, const char *path, const char *mode);
/* Flush, fsync, close and rename over the final path. Fails (and removes the
 * temporary) if any write failed. */
int atomic_file_commit(atomic_file *af);
/* Close and remove the temporary; the final path is untouched. Safe to call
 * after a failed commit or on a zeroed struct. */
void atomic_file_abort(atomic_file *af);

#endif
