/* atomic_file.c — see atomic_file.h. */
#define _GNU_SOURCE /* O_TMPFILE */
#include "base/atomic_file.h"

#include "base/alloc.h"
#include "base/error.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Temporaries of one process differ by a counter: threads write many files. */
static atomic_uint tmp_counter;

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return xstrdup(".");
    if (slash == path) return xstrdup("/");
    char *d = xmalloc((size_t)(slash - path) + 1);
    memcpy(d, path, (size_t)(slash - path));
    d[slash - path] = '\0';
    return d;
}

static char *tmp_name(const char *path)
{
    size_t n = strlen(path) + 48;
    char *t = xmalloc(n);
    snprintf(t, n, "%s.tmp.%ld.%u", path, (long)getpid(), atomic_fetch_add(&tmp_counter, 1));
    return t;
}

/* Where PATH's bytes go: *TARGET (a new string) is PATH or what its symlink
 * points at; *ST its status when *EXISTS. */
static int resolve(const char *path, char **target, struct stat *st, int *exists)
{
    struct stat lst;
    *exists = 0;
    if (lstat(path, &lst) != 0) {
        if (errno != ENOENT) return asr_error("%s: cannot write: %s", path, strerror(errno));
        *target = xstrdup(path);
        return 0;
    }
    if (S_ISLNK(lst.st_mode)) {
        char *real = realpath(path, NULL);
        if (!real)
            return asr_error("%s: a symbolic link to a missing file (%s); refusing to write "
                             "through it",
                             path, strerror(errno));
        *target = xstrdup(real);
        free(real);
        if (stat(*target, st) != 0) {
            int e = errno;
            free(*target);
            return asr_error("%s: cannot write: %s", path, strerror(e));
        }
    } else {
        *target = xstrdup(path);
        *st = lst;
    }
    *exists = 1;
    return 0;
}

int atomic_file_open(atomic_file *af, const io_set *io, const char *path, const char *mode)
{
    memset(af, 0, sizeof *af);
    if (io_set_claim(io, path) < 0) return -1;
    if (!strcmp(path, "-")) {
        af->fp = stdout;
        af->direct = 1;
        af->path = xstrdup("standard output");
        return 0;
    }
    if (!*path) return asr_error("an output file needs a name");
    char *target = NULL;
    struct stat st;
    int exists;
    if (resolve(path, &target, &st, &exists) < 0) return -1;
    if (exists && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))) {
        /* Open without O_CREAT: nothing is made if the node went away. */
        int fd = open(target, O_WRONLY | O_CLOEXEC);
        if (fd < 0 || !(af->fp = fdopen(fd, mode))) {
            int e = errno;
            if (fd >= 0) close(fd);
            free(target);
            return asr_error("%s: cannot write: %s", path, strerror(e));
        }
        af->direct = 1;
        af->path = target;
        return 0;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        free(target);
        return asr_error("%s: is a %s, not a file; refusing to replace it", path,
                         S_ISDIR(st.st_mode)    ? "directory"
                         : S_ISBLK(st.st_mode)  ? "block device"
                         : S_ISSOCK(st.st_mode) ? "socket"
                                                : "special file");
    }
    mode_t keep = exists ? (st.st_mode & 0777) : 0;
    int fd = -1;
#ifdef O_TMPFILE
    /* Linking it into place at the end goes through /proc. */
    if (access("/proc/self/fd", X_OK) == 0) {
        char *dir = dir_of(target);
        fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0666);
        free(dir);
        af->anon = fd >= 0;
    }
#endif
    if (fd < 0) {
        /* No O_TMPFILE here: a named temporary, created exclusively so that
         * nothing planted under that name is followed or truncated. */
        af->tmp = tmp_name(target);
        fd = open(af->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0) {
            int e = errno;
            free(af->tmp);
            free(target);
            memset(af, 0, sizeof *af);
            return asr_error("%s: cannot create: %s", path, strerror(e));
        }
    }
    if (exists) (void)fchmod(fd, keep);
    af->fp = fdopen(fd, mode);
    if (!af->fp) {
        close(fd);
        if (af->tmp) unlink(af->tmp);
        free(af->tmp);
        free(target);
        memset(af, 0, sizeof *af);
        return asr_error("%s: cannot create: %s", path, strerror(errno));
    }
    af->path = target;
    return 0;
}

/* Give the unnamed temporary a name next to the target (linkat needs one
 * that does not exist; rename then replaces the target atomically). */
static int link_anon(atomic_file *af)
{
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(af->fp));
    af->tmp = tmp_name(af->path);
    if (linkat(AT_FDCWD, proc, AT_FDCWD, af->tmp, AT_SYMLINK_FOLLOW) != 0) {
        int e = errno;
        free(af->tmp);
        af->tmp = NULL;
        return asr_error("%s: cannot create: %s", af->path, strerror(e));
    }
    af->anon = 0;
    return 0;
}

int atomic_file_commit(atomic_file *af)
{
    if (af->direct) {
        int bad = ferror(af->fp) || fflush(af->fp) != 0;
        int e = errno;
        if (af->fp != stdout && fclose(af->fp) != 0) bad = 1;
        af->fp = NULL;
        if (bad) asr_error("%s: write failed: %s", af->path, strerror(e));
        atomic_file_abort(af);
        return bad ? -1 : 0;
    }
    int bad = ferror(af->fp) || fflush(af->fp) != 0 || fsync(fileno(af->fp)) != 0;
    int e = errno;
    if (!bad && af->anon && link_anon(af) < 0) {
        atomic_file_abort(af);
        return -1;
    }
    if (fclose(af->fp) != 0) bad = 1;
    af->fp = NULL;
    if (bad) {
        asr_error("%s: write failed: %s", af->path, strerror(e));
        atomic_file_abort(af);
        return -1;
    }
    if (rename(af->tmp, af->path) != 0) {
        asr_error("%s: cannot rename from %s: %s", af->path, af->tmp, strerror(errno));
        atomic_file_abort(af);
        return -1;
    }
    free(af->tmp);
    af->tmp = NULL;
    atomic_file_abort(af);
    return 0;
}

void atomic_file_abort(atomic_file *af)
{
    if (af->fp && af->fp != stdout) fclose(af->fp);
    if (af->tmp) unlink(af->tmp);
    free(af->tmp);
    free(af->path);
    memset(af, 0, sizeof *af);
}
