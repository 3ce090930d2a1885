/* out_dir.c — see out_dir.h. */
#define _GNU_SOURCE /* renameat2, nftw */
#include "base/out_dir.h"

#include "base/alloc.h"
#include "base/error.h"
#include "base/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* The file that marks OUT.tmp as a staging directory of ours. */
#define STAGING_MARK ".asr-staging"

/* ---- locks ---- */

/* Lock the directory open at FD; 0, or -1 (errno) when it is taken. */
static int lock_fd(int fd)
{
    return flock(fd, LOCK_EX | LOCK_NB);
}

int dir_lock_acquire(dir_lock *l, const char *dir)
{
    l->fd = -1;
    l->path = NULL;
    if (make_dirs(dir) < 0) return -1;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return asr_error("%s: cannot open directory: %s", dir, strerror(errno));
    if (lock_fd(fd) != 0) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK)
            return asr_error("%s: another process is writing this directory (it is locked); "
                             "wait for it or choose another output",
                             dir);
        return asr_error("%s: cannot lock: %s", dir, strerror(e));
    }
    l->fd = fd;
    l->path = xstrdup(dir);
    return 0;
}

void dir_lock_release(dir_lock *l)
{
    if (l->fd >= 0) close(l->fd); /* closing the last descriptor drops the lock */
    free(l->path);
    l->fd = -1;
    l->path = NULL;
}

/* ---- removal ---- */

static _Thread_local int remove_errno;
static _Thread_local char remove_failed[512];

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    int r = flag == FTW_DP ? rmdir(path) : unlink(path);
    if (r != 0 && errno != ENOENT && !remove_errno) {
        remove_errno = errno;
        snprintf(remove_failed, sizeof remove_failed, "%s", path);
    }
    return 0; /* go on: remove as much as can be removed */
}

int remove_tree(const char *dir)
{
    struct stat st;
    if (lstat(dir, &st) != 0)
        return errno == ENOENT ? 0 : asr_error("%s: %s", dir, strerror(errno));
    if (!S_ISDIR(st.st_mode)) {
        if (unlink(dir) == 0) return 0;
        return asr_error("%s: cannot remove: %s", dir, strerror(errno));
    }
    remove_errno = 0;
    /* FTW_PHYS: a symlink is removed, never followed; FTW_MOUNT: nothing on
     * another file system is visited; FTW_DEPTH: contents before directories. */
    if (nftw(dir, remove_entry, 32, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) != 0)
        return asr_error("%s: cannot remove: %s", dir, strerror(errno));
    if (remove_errno)
        return asr_error("%s: cannot remove %s: %s", dir, remove_failed, strerror(remove_errno));
    return 0;
}

/* ---- staging ---- */

/* What --force may not replace with a directory: a file, a device, ... (a
 * symlink is replaced itself, never what it points at). */
static int not_a_dir(const struct stat *st)
{
    return !S_ISDIR(st->st_mode) && !S_ISLNK(st->st_mode);
}

static int mark(int dirfd)
{
    int fd = openat(dirfd, STAGING_MARK, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) return -1;
    close(fd);
    return 0;
}

/* S->tmp exists: take it over when a killed run of ours left it, else fail. */
static int reclaim(staged_dir *s)
{
    int fd = open(s->tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return asr_error("%s: exists and is not a directory asr made; remove it to write %s",
                         s->tmp, s->out);
    if (lock_fd(fd) != 0) {
        close(fd);
        return asr_error("%s: another process is writing it (%s is locked)", s->out, s->tmp);
    }
    if (faccessat(fd, STAGING_MARK, F_OK, AT_SYMLINK_NOFOLLOW) != 0) {
        close(fd);
        return asr_error("%s: exists but was not made by asr; remove it to write %s", s->tmp,
                         s->out);
    }
    /* Left by a run that was killed: holding its lock, remove it. */
    int r = remove_tree(s->tmp);
    close(fd);
    return r;
}

int staged_dir_begin(staged_dir *s, io_set *io, const char *out, int force)
{
    memset(s, 0, sizeof *s);
    s->lock.fd = -1;
    size_t len = strlen(out);
    while (len > 1 && out[len - 1] == '/') len--; /* "OUT/" names OUT */
    if (len == 0) return asr_error("an output directory needs a name");
    if (io_set_claim(io, out) < 0) return -1;
    struct stat st;
    s->out = xmalloc(len + 1);
    memcpy(s->out, out, len);
    s->out[len] = '\0';
    if (lstat(s->out, &st) == 0 && (!force || not_a_dir(&st))) {
        if (!force)
            asr_error("%s exists; use --force to replace it", s->out);
        else
            asr_error("%s: exists and is not a directory; refusing to replace it", s->out);
        free(s->out);
        s->out = NULL;
        return -1;
    }
    s->force = force;
    /* The parent, as mkdir -p would (OUT may be several levels down). */
    const char *slash = strrchr(s->out, '/');
    if (slash && slash != s->out) {
        char *parent = xmalloc((size_t)(slash - s->out) + 1);
        memcpy(parent, s->out, (size_t)(slash - s->out));
        parent[slash - s->out] = '\0';
        int r = make_dirs(parent);
        free(parent);
        if (r < 0) {
            free(s->out);
            memset(s, 0, sizeof *s);
            s->lock.fd = -1;
            return -1;
        }
    }
    s->tmp = xmalloc(len + 8);
    snprintf(s->tmp, len + 8, "%s.tmp", s->out);
    /* OUT.tmp appears only whole: made under a name of this process's own,
     * locked and marked there, then renamed (RENAME_NOREPLACE) to OUT.tmp.
     * Of several runs starting at once exactly one gets OUT.tmp; the
     * others find it locked. */
    char *mine = xmalloc(len + 48);
    snprintf(mine, len + 48, "%s.tmp.%ld", s->out, (long)getpid());
    int fd = -1, rc = -1;
    if (mkdir(mine, 0777) != 0 && errno != EEXIST) {
        asr_error("%s: cannot create: %s", mine, strerror(errno));
        goto out;
    }
    fd = open(mine, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 || lock_fd(fd) != 0 || mark(fd) != 0) {
        asr_error("%s: cannot prepare %s: %s", s->out, mine, strerror(errno));
        goto out;
    }
    for (int attempt = 0; rc < 0; attempt++) {
        if (renameat2(AT_FDCWD, mine, AT_FDCWD, s->tmp, RENAME_NOREPLACE) == 0) {
            rc = 0;
            break;
        }
        int e = errno;
        if (e == EINVAL && !path_exists(s->tmp) && rename(mine, s->tmp) == 0) {
            rc = 0; /* a file system without RENAME_NOREPLACE */
            break;
        }
        if (e != EEXIST && e != ENOTEMPTY && e != EINVAL) {
            asr_error("%s: cannot create: %s", s->tmp, strerror(e));
            break;
        }
        if (attempt == 2) {
            asr_error("%s: keeps reappearing (another process?)", s->tmp);
            break;
        }
        if (reclaim(s) < 0) break;
    }
out:
    if (rc < 0) {
        if (fd >= 0) close(fd);
        remove_tree(mine);
        free(mine);
        free(s->out);
        free(s->tmp);
        memset(s, 0, sizeof *s);
        s->lock.fd = -1;
        return -1;
    }
    free(mine);
    s->lock.fd = fd;
    s->lock.path = xstrdup(s->tmp);
    /* What is written into OUT.tmp is written into OUT. */
    if (io_set_output_dir(io, s->tmp, s->out, 0) < 0) {
        staged_dir_abort(s);
        return -1;
    }
    return 0;
}

int staged_dir_commit(staged_dir *s)
{
    int lockfd = s->lock.fd;
    if (unlinkat(lockfd, STAGING_MARK, 0) != 0)
        return asr_error("%s: cannot finish: %s", s->tmp, strerror(errno));
    struct stat st;
    int exists = lstat(s->out, &st) == 0, rc = -1, oldfd = -1;
    if (exists && (!s->force || not_a_dir(&st))) {
        asr_error("%s appeared while this run was writing it (another process?); nothing "
                  "replaced",
                  s->out);
        goto out;
    }
    if (!exists) {
        if (renameat2(AT_FDCWD, s->tmp, AT_FDCWD, s->out, RENAME_NOREPLACE) == 0)
            rc = 0;
        else if (errno == EEXIST)
            asr_error("%s appeared while this run was writing it (another process?); nothing "
                      "replaced",
                      s->out);
        else if (errno == EINVAL && rename(s->tmp, s->out) == 0) /* no RENAME_NOREPLACE here */
            rc = 0;
        else
            asr_error("%s: cannot rename %s into place: %s", s->out, s->tmp, strerror(errno));
        goto out;
    }
    /* Replace: a directory being written by someone else is left alone. */
    if (S_ISDIR(st.st_mode)) {
        oldfd = open(s->out, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (oldfd >= 0 && lock_fd(oldfd) != 0) {
            asr_error("%s: another process is writing it (it is locked); nothing replaced", s->out);
            goto out;
        }
    }
    if (renameat2(AT_FDCWD, s->tmp, AT_FDCWD, s->out, RENAME_EXCHANGE) == 0) {
        rc = 0; /* the old OUT is now at s->tmp */
    } else if (errno == EINVAL) {
        /* No atomic exchange on this file system: move the old one aside first. */
        char *old = xmalloc(strlen(s->out) + 32);
        sprintf(old, "%s.old.%ld", s->out, (long)getpid());
        if (rename(s->out, old) != 0) {
            asr_error("%s: cannot move aside: %s", s->out, strerror(errno));
        } else if (rename(s->tmp, s->out) != 0) {
            asr_error("%s: cannot rename %s into place: %s", s->out, s->tmp, strerror(errno));
            if (rename(old, s->out) != 0)
                asr_error("%s: cannot rename into place, and the previous one is at %s", s->out,
                          old);
        } else {
            rc = 0;
            remove_tree(old);
        }
        free(old);
    } else {
        asr_error("%s: cannot rename %s into place: %s", s->out, s->tmp, strerror(errno));
    }
    /* The old tree (now at s->tmp, unmarked): what cannot be removed stays
     * there, and a later run asks for it to be removed by hand. */
    if (rc == 0) remove_tree(s->tmp);
out:
    if (oldfd >= 0) close(oldfd);
    if (rc < 0) {
        mark(lockfd); /* still ours: a later run may clean it up */
        return -1;
    }
    dir_lock_release(&s->lock);
    free(s->out);
    free(s->tmp);
    memset(s, 0, sizeof *s);
    s->lock.fd = -1;
    return 0;
}

void staged_dir_abort(staged_dir *s)
{
    if (s->tmp) remove_tree(s->tmp);
    dir_lock_release(&s->lock);
    free(s->out);
    free(s->tmp);
    memset(s, 0, sizeof *s);
    s->lock.fd = -1;
}
