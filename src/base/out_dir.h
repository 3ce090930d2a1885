/* out_dir.h — output directories: locked while written, staged and swapped in
 * whole, removed without a shell.
 *
 * Lock: a command that writes into a directory holds an exclusive flock(2)
 * on it (on the directory itself: no lock file to leave behind), so a second
 * command writing the same directory at the same time fails at once, naming
 * it, instead of both succeeding with their files interleaved. The lock goes
 * with the process, however it ends.
 *
 * Staging (asr noise, asr train --force): the new directory is built as
 * OUT.tmp, locked and marked as ours, and renamed into place only when
 * complete; an existing OUT is replaced (with force) by an atomic exchange, and
 * removed only after the new one is in. A run that is killed leaves OUT.tmp
 * behind; the next run finds it unlocked and marked, and removes it. A
 * directory called OUT.tmp without the mark is never touched.
 *
 * Removal walks the tree with nftw(3), never following symlinks or crossing
 * into other file systems, and never builds a shell command.
 */
#ifndef ASR_OUT_DIR_H
#define ASR_OUT_DIR_H

#include "base/io_set.h"

typedef struct {
    int fd; /* the locked directory, or -1 */
    char *path;
} dir_lock;

/* Create DIR if missing and lock it; -1 naming DIR when another process
 * holds the lock (or it cannot be made). */
int dir_lock_acquire(dir_lock *l, const char *dir);
void dir_lock_release(dir_lock *l);

typedef struct {
    char *out; /* the final name */
    char *tmp; /* OUT.tmp, where everything is written */
    dir_lock lock;
    int force;
} staged_dir;

/* Begin writing OUT, an output directory of IO (base/io_set.h), replaced
 * whole: -1 when OUT exists and FORCE is not set, or another process is
 * writing OUT. S->tmp is then an empty, locked directory, declared in IO as
 * OUT's stand-in. */
int staged_dir_begin(staged_dir *s, io_set *io, const char *out, int force);
/* Put S->tmp in place as OUT (with force, exchanging it with an existing OUT,
 * whose tree is then removed). -1 and nothing changed when OUT appeared in
 * the meantime without force, or is locked by another process. */
int staged_dir_commit(staged_dir *s);
/* Remove S->tmp and forget S (safe after commit or on a zeroed struct). */
void staged_dir_abort(staged_dir *s);

/* rm -rf DIR without a shell: depth first, symlinks removed (not followed),
 * other file systems left alone. 0 when DIR is gone (or was never there). */
int remove_tree(const char *dir);

#endif
