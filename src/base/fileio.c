/* fileio.c — see fileio.h. */
#include "base/fileio.h"

#include "base/alloc.h"
#include "base/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int line_reader_open(line_reader *lr, const char *path)
{
    memset(lr, 0, sizeof *lr);
    if (!strcmp(path, "-")) {
        lr->fp = stdin;
        lr->path = "standard input";
        return 0;
    }
    /* "e": the descriptor is not inherited by programs we start (espeak-ng). */
    lr->fp = fopen(path, "re");
    if (!lr->fp) return asr_error("%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(lr->fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(lr->fp);
        lr->fp = NULL;
        return asr_error("%s: is a directory, not a text file", path);
    }
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

static char *stop(line_reader *lr, const char *why)
{
    lr->failed = 1;
    asr_error("%s:%ld: %s", lr->path, lr->lineno, why);
    return NULL;
}

char *line_reader_next(line_reader *lr)
{
    lr->failed = 0;
    /* Byte by byte (getc_unlocked is a macro over the stdio buffer): getline
     * would first grow its buffer to whatever length the file holds, and
     * cannot tell a NUL inside a line from the end of the string. */
    int c = getc_unlocked(lr->fp);
    if (c == EOF && !ferror(lr->fp)) return NULL;
    lr->lineno++;
    size_t n = 0;
    for (; c != EOF && c != '\n'; c = getc_unlocked(lr->fp)) {
        if (c == '\0') return stop(lr, "NUL byte inside a line (not a text file?)");
        if (n >= LINE_READER_MAX_LINE) {
            char why[96];
            snprintf(why, sizeof why, "line longer than the %d-byte limit", LINE_READER_MAX_LINE);
            return stop(lr, why);
        }
        if (n + 2 > lr->cap) {
            lr->cap = lr->cap ? 2 * lr->cap : 256;
            lr->buf = xrealloc(lr->buf, lr->cap);
        }
        lr->buf[n++] = (char)c;
    }
    if (c == EOF && ferror(lr->fp)) {
        char why[160];
        snprintf(why, sizeof why, "read error: %s", strerror(errno));
        return stop(lr, why);
    }
    if (!lr->buf) lr->buf = xmalloc(lr->cap = 256);
    while (n > 0 && lr->buf[n - 1] == '\r') n--;
    lr->buf[n] = '\0';
    return lr->buf;
}

int line_reader_error(const line_reader *lr)
{
    return lr->failed ? -1 : 0;
}

void line_reader_close(line_reader *lr)
{
    if (lr->fp && lr->fp != stdin) fclose(lr->fp);
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

int path_is_regular(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int path_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int make_dirs(const char *path)
{
    if (!*path) return asr_error("cannot create a directory with an empty name");
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
    /* EEXIST also covers a regular file of that name. */
    struct stat st;
    int ok = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
    free(buf);
    return ok ? 0 : asr_error("%s: exists and is not a directory", path);
}

int read_stream_until(FILE *fp, const char *name, size_t until, unsigned char **data, size_t *len,
                      size_t *cap)
{
    while (*len < until) {
        if (*len == *cap) {
            /* Doubling, but never past UNTIL: an endless stream costs UNTIL
             * bytes, not the next power of two above it. */
            size_t want = *cap < (1 << 16) ? 1 << 16 : *cap;
            want = want > until - *cap ? until : *cap + want;
            unsigned char *p = realloc(*data, want);
            if (!p)
                return asr_error("%s: out of memory after %zu bytes (asked for %zu)", name, *len,
                                 want);
            *data = p;
            *cap = want;
        }
        size_t got = fread(*data + *len, 1, *cap - *len, fp);
        *len += got;
        if (got > 0) continue;
        if (ferror(fp)) return asr_error("%s: read error: %s", name, strerror(errno));
        return 1;
    }
    return 0;
}

char *path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = xmalloc(n);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}
