/* model_file.c — see model_file.h for the layout. */
#include "base/model_file.h"

#include "base/alloc.h"
#include "base/error.h"
#include "base/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static const char MAGIC[8] = {'A', 'S', 'R', 'M', 'O', 'D', 'E', 'L'};
#define BYTE_ORDER_PROBE 0x01020304u

void model_file_init(model_file *m)
{
    memset(m, 0, sizeof *m);
}

/* Position of NAME in the sorted index, or where it would go (*FOUND = 0). */
static int find_pos(const model_file *m, const char *name, int *found)
{
    int lo = 0, hi = m->n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (strcmp(m->sections[m->index[mid]].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < m->n && !strcmp(m->sections[m->index[lo]].name, name);
    return lo;
}

static model_section *find(const model_file *m, const char *name)
{
    int found, pos = find_pos(m, name, &found);
    return found ? &m->sections[m->index[pos]] : NULL;
}

void model_file_put(model_file *m, const char *name, const void *data, size_t size)
{
    int found, pos = find_pos(m, name, &found);
    model_section *s;
    if (found) {
        s = &m->sections[m->index[pos]];
        free(s->data);
    } else {
        if (m->n == m->cap) {
            m->cap = m->cap ? 2 * m->cap : 16;
            m->sections = xrealloc(m->sections, (size_t)m->cap * sizeof *m->sections);
            m->index = xrealloc(m->index, (size_t)m->cap * sizeof *m->index);
        }
        /* Insertion into the index moves ints, not sections: cheap even for
         * an archive of many utterances (and free when they come sorted). */
        memmove(&m->index[pos + 1], &m->index[pos], (size_t)(m->n - pos) * sizeof *m->index);
        m->index[pos] = m->n;
        s = &m->sections[m->n++];
        s->name = xstrdup(name);
    }
    s->data = xmalloc(size ? size : 1);
    if (size) memcpy(s->data, data, size);
    s->size = size;
}

void model_file_put_text(model_file *m, const char *name, const char *text)
{
    model_file_put(m, name, text, strlen(text) + 1);
}

const model_section *model_file_get(const model_file *m, const char *name)
{
    return find(m, name);
}

const char *model_file_text(const model_file *m, const char *name)
{
    const model_section *s = find(m, name);
    if (!s || s->size == 0 || ((const char *)s->data)[s->size - 1] != '\0') return NULL;
    return s->data;
}

/* Writes go through a running CRC so the checksum covers exactly the bytes written. */
typedef struct {
    FILE *fp;
    uLong crc;
} crc_writer;

/* zlib's crc32 takes uInt lengths: feed large buffers in pieces. */
static uLong crc_update(uLong crc, const void *p, size_t n)
{
    const unsigned char *b = p;
    while (n) {
        uInt k = n > (1u << 30) ? (1u << 30) : (uInt)n;
        crc = crc32(crc, b, k);
        b += k;
        n -= k;
    }
    return crc;
}

static void put(crc_writer *w, const void *p, size_t n)
{
    fwrite(p, 1, n, w->fp);
    w->crc = crc_update(w->crc, p, n);
}

static void put_u32(crc_writer *w, uint32_t v)
{
    put(w, &v, 4);
}
static void put_u64(crc_writer *w, uint64_t v)
{
    put(w, &v, 8);
}

int model_file_write(const model_file *m, const io_set *io, const char *path)
{
    atomic_file af;
    if (atomic_file_open(&af, io, path, "wb") != 0) return -1;
    crc_writer w = {af.fp, crc32(0L, Z_NULL, 0)};
    put(&w, MAGIC, sizeof MAGIC);
    put_u32(&w, MODEL_FILE_VERSION);
    put_u32(&w, BYTE_ORDER_PROBE);
    put_u32(&w, (uint32_t)m->n);
    for (int i = 0; i < m->n; i++) {
        const model_section *s = &m->sections[i];
        put_u32(&w, (uint32_t)strlen(s->name));
        put(&w, s->name, strlen(s->name));
        put_u64(&w, (uint64_t)s->size);
        put(&w, s->data, s->size);
    }
    uint32_t crc = (uint32_t)w.crc;
    fwrite(&crc, 4, 1, af.fp);
    return atomic_file_commit(&af);
}

/* Reading parses a buffer holding the whole file, checking every length
 * against what is left, so a damaged length can never read out of bounds. */
typedef struct {
    const unsigned char *p, *end;
} cursor;

static int take(cursor *c, void *dst, size_t n)
{
    if ((size_t)(c->end - c->p) < n) return -1;
    memcpy(dst, c->p, n);
    c->p += n;
    return 0;
}

/* Each section takes at least its u32 name length, a one-byte name and its
 * u64 data length. */
#define MIN_SECTION_BYTES (4 + 1 + 8)

static int by_name(const void *a, const void *b)
{
    const model_section *const *x = a, *const *y = b;
    return strcmp((*x)->name, (*y)->name);
}

/* Build M's index (sorting, O(N log N)); -1 naming a duplicate section. */
static int build_index(model_file *m, const char *name)
{
    model_section **by = xmalloc((size_t)(m->n ? m->n : 1) * sizeof *by);
    for (int i = 0; i < m->n; i++) by[i] = &m->sections[i];
    qsort(by, (size_t)m->n, sizeof *by, by_name);
    int rc = 0;
    for (int i = 0; i < m->n; i++) {
        if (i > 0 && !strcmp(by[i]->name, by[i - 1]->name)) {
            rc = asr_error("%s: damaged model file (section '%s' appears twice)", name,
                           asr_quote(by[i]->name));
            break;
        }
        m->index[i] = (int)(by[i] - m->sections);
    }
    free(by);
    return rc;
}

int model_file_parse(const void *data, size_t size, const char *name, model_file *m)
{
    model_file_init(m);
    /* (Checked before the cursor exists: DATA may be NULL when SIZE is 0.) */
    if (size < sizeof MAGIC || memcmp(data, MAGIC, sizeof MAGIC) != 0)
        return asr_error("%s: not an asr model file (bad magic)", name);
    const unsigned char *buf = data;
    cursor c = {buf + sizeof MAGIC, buf + size};
    uint32_t version, probe, count, crc_stored;
    if (size > MODEL_FILE_MAX_SIZE)
        return asr_error("%s: %zu bytes: larger than the %zu-byte (4 GiB) limit of a model file",
                         name, size, MODEL_FILE_MAX_SIZE);
    if (take(&c, &version, 4) != 0 || take(&c, &probe, 4) != 0 || take(&c, &count, 4) != 0)
        return asr_error("%s: damaged model file (truncated header)", name);
    if (version != MODEL_FILE_VERSION)
        return asr_error("%s: model file format version %u; this asr reads version %d", name,
                         version, MODEL_FILE_VERSION);
    if (probe != BYTE_ORDER_PROBE)
        return asr_error("%s: model file written on a host of the other byte order", name);
    if (size < 4 + (size_t)(c.p - buf))
        return asr_error("%s: damaged model file (truncated)", name);
    memcpy(&crc_stored, buf + size - 4, 4);
    uLong crc = crc_update(crc32(0L, Z_NULL, 0), buf, size - 4);
    if ((uint32_t)crc != crc_stored)
        return asr_error("%s: damaged model file (checksum mismatch)", name);
    c.end = buf + size - 4;
    /* The count is bounded by the bytes there are before anything is sized
     * by it. */
    size_t left = (size_t)(c.end - c.p);
    if (count > left / MIN_SECTION_BYTES)
        return asr_error("%s: damaged model file (%u sections cannot fit in the %zu bytes that "
                         "follow)",
                         name, count, left);
    m->cap = count ? (int)count : 1;
    m->sections = xcalloc((size_t)m->cap, sizeof *m->sections);
    m->index = xcalloc((size_t)m->cap, sizeof *m->index);
    for (uint32_t i = 0; i < count; i++) {
        uint32_t nlen;
        uint64_t dlen;
        if (take(&c, &nlen, 4) != 0 || nlen == 0 || nlen > 256 || (size_t)(c.end - c.p) < nlen) {
            model_file_free(m);
            return asr_error("%s: damaged model file (section %u name)", name, i);
        }
        if (memchr(c.p, '\0', nlen)) {
            model_file_free(m);
            return asr_error("%s: damaged model file (section %u name holds a NUL byte)", name, i);
        }
        char sname[257];
        take(&c, sname, nlen);
        sname[nlen] = '\0';
        if (take(&c, &dlen, 8) != 0 || dlen > (uint64_t)(c.end - c.p)) {
            model_file_free(m);
            return asr_error("%s: damaged model file (section '%s' length)", name,
                             asr_quote(sname));
        }
        model_section *s = &m->sections[m->n++];
        s->name = xstrdup(sname);
        s->size = (size_t)dlen;
        s->data = xmalloc(s->size ? s->size : 1);
        if (s->size) memcpy(s->data, c.p, s->size);
        c.p += dlen;
    }
    if (c.p != c.end) {
        model_file_free(m);
        return asr_error("%s: damaged model file (trailing bytes)", name);
    }
    if (build_index(m, name) < 0) {
        model_file_free(m);
        return -1;
    }
    return 0;
}

int model_file_read(const char *path, model_file *m)
{
    model_file_init(m);
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; only a regular
     * file is read at all, so nothing blocks or streams forever (/dev/zero). */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return asr_error("%s: cannot open model: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return asr_error("%s: cannot stat model: %s", path, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return asr_error("%s: not a regular file (a model is read whole: a directory, device or "
                         "pipe is refused)",
                         path);
    }
    if ((uint64_t)st.st_size > MODEL_FILE_MAX_SIZE) {
        close(fd);
        return asr_error("%s: %lld bytes: larger than the %zu-byte (4 GiB) limit of a model file",
                         path, (long long)st.st_size, MODEL_FILE_MAX_SIZE);
    }
    size_t size = (size_t)st.st_size, n = 0;
    unsigned char *buf = xmalloc(size ? size : 1);
    while (n < size) {
        ssize_t k = read(fd, buf + n, size - n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) {
            int e = k < 0 ? errno : 0;
            close(fd);
            free(buf);
            return e ? asr_error("%s: read error: %s", path, strerror(e))
                     : asr_error("%s: damaged model file (shorter than its size; changed while "
                                 "being read?)",
                                 path);
        }
        n += (size_t)k;
    }
    close(fd);
    int rc = model_file_parse(buf, size, path, m);
    free(buf);
    return rc;
}

void model_file_free(model_file *m)
{
    for (int i = 0; i < m->n; i++) {
        free(m->sections[i].name);
        free(m->sections[i].data);
    }
    free(m->sections);
    free(m->index);
    model_file_init(m);
}
