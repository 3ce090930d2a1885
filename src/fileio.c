/* fileio.c — see fileio.h. */
#include "fileio.h"

#include "alloc.h"
#include "error.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int atomic_file_open(atomic_file *af, const char *path, const char *mode)
{
    memset(af, 0, sizeof *af);
    size_t n = strlen(path) + 32;
    af->tmp = xmalloc(n);
    snprintf(af->tmp, n, "%s.tmp.%ld", path, (long)getpid());
    af->fp = fopen(af->tmp, mode);
    if (!af->fp) {
        int e = errno;
        free(af->tmp);
        af->tmp = NULL;
        return asr_error("%s: cannot create: %s", path, strerror(e));
    }
    af->path = xstrdup(path);
    return 0;
}

int atomic_file_commit(atomic_file *af)
{
    int bad = ferror(af->fp) || fflush(af->fp) != 0 || fsync(fileno(af->fp)) != 0;
    int e = errno;
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
    free(af->path);
    af->tmp = af->path = NULL;
    return 0;
}

void atomic_file_abort(atomic_file *af)
{
    if (af->fp) fclose(af->fp);
    if (af->tmp) unlink(af->tmp);
    free(af->tmp);
    free(af->path);
    memset(af, 0, sizeof *af);
}

int line_reader_open(line_reader *lr, const char *path)
{
    memset(lr, 0, sizeof *lr);
    lr->fp = fopen(path, "r");
    if (!lr->fp) return asr_error("%s: cannot open: %s", path, strerror(errno));
    lr->path = path;
    return 0;
}

int line_reader_open_text(line_reader *lr, const char *text, const char *name)
{
    memset(lr, 0, sizeof *lr);
    /* fmemopen of an empty buffer is an error in older glibc: read "\n". */
    size_t n = strlen(text);
    lr->fp = n ? fmemopen((void *)text, n, "r") : fmemopen("\n", 1, "r");
    if (!lr->fp) return asr_error("%s: cannot read: %s", name, strerror(errno));
    lr->path = name;
    return 0;
}

char *line_reader_next(line_reader *lr)
{
    ssize_t n = getline(&lr->buf, &lr->cap, lr->fp);
    if (n < 0) return NULL;
    lr->lineno++;
    while (n > 0 && (lr->buf[n - 1] == '\n' || lr->buf[n - 1] == '\r')) lr->buf[--n] = '\0';
    return lr->buf;
}

void line_reader_close(line_reader *lr)
{
    if (lr->fp) fclose(lr->fp);
    free(lr->buf);
    memset(lr, 0, sizeof *lr);
}

int split_fields(char *line, char **fields, int max)
{
    int n = 0;
    char *p = line;
    while (*p && n < max) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) break;
        fields[n++] = p;
        while (*p && *p != ' ' && *p != '\t') p++;
        if (*p) *p++ = '\0';
    }
    return n;
}

int path_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

int make_dirs(const char *path)
{
    char *buf = xstrdup(path);
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
                asr_error("%s: cannot create directory: %s", buf, strerror(errno));
                free(buf);
                return -1;
            }
            if (!c) break;
            *p = c;
        }
    }
    free(buf);
    return 0;
}
