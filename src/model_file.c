/* model_file.c — see model_file.h for the layout. */
#include "model_file.h"

#include "alloc.h"
#include "error.h"
#include "fileio.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static const char MAGIC[8] = {'A', 'S', 'R', 'M', 'O', 'D', 'E', 'L'};
#define BYTE_ORDER_PROBE 0x01020304u

void model_file_init(model_file *m)
{
    memset(m, 0, sizeof *m);
}

static model_section *find(const model_file *m, const char *name)
{
    for (int i = 0; i < m->n; i++)
        if (!strcmp(m->sections[i].name, name)) return &m->sections[i];
    return NULL;
}

void model_file_put(model_file *m, const char *name, const void *data, size_t size)
{
    model_section *s = find(m, name);
    if (!s) {
        m->sections = xrealloc(m->sections, (size_t)(m->n + 1) * sizeof *m->sections);
        s = &m->sections[m->n++];
        s->name = xstrdup(name);
    } else {
        free(s->data);
    }
    s->data = xmalloc(size);
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

int model_file_write(const model_file *m, const char *path)
{
    atomic_file af;
    if (atomic_file_open(&af, path, "wb") != 0) return -1;
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

static unsigned char *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        asr_error("%s: cannot open model: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = xmalloc(cap);
    size_t k;
    while ((k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) buf = xrealloc(buf, cap *= 2);
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        asr_error("%s: read error", path);
        return NULL;
    }
    *size = n;
    return buf;
}

int model_file_read(const char *path, model_file *m)
{
    model_file_init(m);
    size_t size;
    unsigned char *buf = slurp(path, &size);
    if (!buf) return -1;
    cursor c = {buf, buf + size};
    char magic[8];
    uint32_t version, probe, count, crc_stored;
    if (take(&c, magic, 8) != 0 || memcmp(magic, MAGIC, 8) != 0) {
        free(buf);
        return asr_error("%s: not an asr model file (bad magic)", path);
    }
    if (take(&c, &version, 4) != 0 || take(&c, &probe, 4) != 0 || take(&c, &count, 4) != 0) {
        free(buf);
        return asr_error("%s: damaged model file (truncated header)", path);
    }
    if (version != MODEL_FILE_VERSION) {
        free(buf);
        return asr_error("%s: model file format version %u; this asr reads version %d", path,
                         version, MODEL_FILE_VERSION);
    }
    if (probe != BYTE_ORDER_PROBE) {
        free(buf);
        return asr_error("%s: model file written on a host of the other byte order", path);
    }
    if (size < 4 + (size_t)(c.p - buf)) {
        free(buf);
        return asr_error("%s: damaged model file (truncated)", path);
    }
    memcpy(&crc_stored, buf + size - 4, 4);
    uLong crc = crc_update(crc32(0L, Z_NULL, 0), buf, size - 4);
    if ((uint32_t)crc != crc_stored) {
        free(buf);
        return asr_error("%s: damaged model file (checksum mismatch)", path);
    }
    c.end = buf + size - 4;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t nlen;
        uint64_t dlen;
        if (take(&c, &nlen, 4) != 0 || nlen == 0 || nlen > 256 || (size_t)(c.end - c.p) < nlen) {
            model_file_free(m);
            free(buf);
            return asr_error("%s: damaged model file (section %u name)", path, i);
        }
        char name[257];
        take(&c, name, nlen);
        name[nlen] = '\0';
        if (take(&c, &dlen, 8) != 0 || dlen > (uint64_t)(c.end - c.p)) {
            model_file_free(m);
            free(buf);
            return asr_error("%s: damaged model file (section '%s' length)", path, name);
        }
        model_file_put(m, name, c.p, (size_t)dlen);
        c.p += dlen;
    }
    int trailing = c.p != c.end;
    free(buf);
    if (trailing) {
        model_file_free(m);
        return asr_error("%s: damaged model file (trailing bytes)", path);
    }
    return 0;
}

void model_file_free(model_file *m)
{
    for (int i = 0; i < m->n; i++) {
        free(m->sections[i].name);
        free(m->sections[i].data);
    }
    free(m->sections);
    model_file_init(m);
}
