/* fuzz_common.h — helpers shared by the libFuzzer harnesses (tests/fuzz/).
 *
 * Every harness defines LLVMFuzzerTestOneInput and is built twice: with clang
 * and -fsanitize=fuzzer (tests/fuzz/build.sh, `make fuzz`), and with the
 * normal compiler against tests/fuzz/replay_main.c, which feeds it the seed
 * corpus and the regression inputs under `make check`. Everything here is
 * static so each harness is one translation unit plus this header.
 */
#ifndef ASR_FUZZ_COMMON_H
#define ASR_FUZZ_COMMON_H

#define _DEFAULT_SOURCE 1 /* mkdtemp, setenv, nftw */
#define _XOPEN_SOURCE   700

#include "base/error.h"
#include "base/io_set.h"

#include <cblas.h>
#include <ftw.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#if defined(__GNUC__)
#define FUZZ_UNUSED __attribute__((unused))
#else
#define FUZZ_UNUSED
#endif

/* One thread everywhere: inputs must replay the same way, and libFuzzer
 * measures coverage of the calling thread best. Called first by every
 * harness for every input; cheap after the first call. */
static FUZZ_UNUSED void fuzz_init(void)
{
    static int done;
    asr_clear_error();
    if (done) return;
    done = 1;
    setenv("OMP_NUM_THREADS", "1", 1);
    openblas_set_num_threads(1);
}

/* With FUZZ_VERBOSE set, say how far an input got (to check that the seeds
 * reach what they are meant to): fuzz_note(WHAT) for a step that worked,
 * fuzz_refused(WHAT) for one the library refused, with its message. */
static FUZZ_UNUSED int fuzz_verbose(void)
{
    static int verbose = -1;
    if (verbose < 0) verbose = getenv("FUZZ_VERBOSE") != NULL;
    return verbose;
}

static FUZZ_UNUSED void fuzz_note(const char *what)
{
    if (fuzz_verbose()) fprintf(stderr, "  %s\n", what);
}

static FUZZ_UNUSED void fuzz_refused(const char *what)
{
    if (fuzz_verbose()) fprintf(stderr, "  %s: %s\n", what, asr_last_error());
}

/* A NUL-terminated copy of the input (free it). */
static FUZZ_UNUSED char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s) abort();
    if (size) memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* The first occurrence of NEEDLE[NLEN] in HAY[HLEN], or NULL (memmem is GNU). */
static FUZZ_UNUSED const uint8_t *fuzz_find(const uint8_t *hay, size_t hlen, const char *needle,
                                            size_t nlen)
{
    for (size_t i = 0; nlen <= hlen && i <= hlen - nlen; i++)
        if (!memcmp(hay + i, needle, nlen)) return hay + i;
    return NULL;
}

/* ---- a scratch directory per process, removed at exit ---- */

static char fuzz_dir_path[64];

static int fuzz_rm(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

static void fuzz_dir_cleanup(void)
{
    if (fuzz_dir_path[0]) nftw(fuzz_dir_path, fuzz_rm, 16, FTW_DEPTH | FTW_PHYS);
}

/* The process's scratch directory (/dev/shm when there is one, else $TMPDIR
 * or /tmp); aborts when none can be made, which is no finding of the
 * library but a broken machine. */
static FUZZ_UNUSED const char *fuzz_dir(void)
{
    if (fuzz_dir_path[0]) return fuzz_dir_path;
    const char *tmp = getenv("TMPDIR");
    const char *bases[] = {"/dev/shm", tmp && *tmp && strlen(tmp) < 40 ? tmp : "/tmp", "/tmp"};
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
        snprintf(fuzz_dir_path, sizeof fuzz_dir_path, "%s/asr-fuzz-XXXXXX", bases[i]);
        if (mkdtemp(fuzz_dir_path)) {
            atexit(fuzz_dir_cleanup);
            return fuzz_dir_path;
        }
    }
    fprintf(stderr, "fuzz: cannot make a scratch directory\n");
    abort();
}

/* DIR/NAME into BUF (of 128 bytes). */
static FUZZ_UNUSED const char *fuzz_path(char *buf, const char *name)
{
    snprintf(buf, 128, "%s/%s", fuzz_dir(), name);
    return buf;
}

/* What a harness writes, it writes into the scratch directory: its one
 * output (base/io_set.h), declared once and kept for the process. */
static FUZZ_UNUSED io_set *fuzz_io(void)
{
    static io_set io;
    static int made;
    if (!made && io_set_output_dir(&io, fuzz_dir(), "the harness", 0) < 0) {
        fprintf(stderr, "fuzz: %s\n", asr_last_error());
        abort();
    }
    made = 1;
    return &io;
}

/* Write SIZE bytes to PATH; aborts on failure (a full disk is no finding). */
static FUZZ_UNUSED void fuzz_write(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
        fprintf(stderr, "fuzz: cannot write %s\n", path);
        abort();
    }
}

/* ---- model-file containers (src/base/model_file.h) ----
 *
 * Harnesses of model-file readers take the input as the *sections* part of a
 * container: u32 name length, name, u64 data length, data, again and again.
 * fuzz_container puts the header in front (magic, version, byte-order probe,
 * and as section count the number of whole sections the bytes hold) and the
 * CRC-32 of it all behind, so the fuzzer gets past the checksum and reaches
 * the section parser and what reads the sections. Bytes after the last whole
 * section stay (the reader must refuse them as trailing garbage). */

static FUZZ_UNUSED uint32_t fuzz_get_u32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static FUZZ_UNUSED uint32_t fuzz_count_sections(const uint8_t *data, size_t size)
{
    size_t p = 0;
    uint32_t n = 0;
    while (size - p >= 4) {
        uint32_t nlen = fuzz_get_u32(data + p);
        if (size - p - 4 < (size_t)nlen + 8) break;
        uint64_t dlen;
        memcpy(&dlen, data + p + 4 + nlen, 8);
        size_t after = p + 4 + nlen + 8;
        if (dlen > size - after) break;
        p = after + (size_t)dlen;
        n++;
    }
    return n;
}

/* A new buffer (free it) of *OUT_SIZE bytes: header + DATA + CRC-32. */
static FUZZ_UNUSED uint8_t *fuzz_container(const uint8_t *data, size_t size, size_t *out_size)
{
    const uint32_t version = 1, probe = 0x01020304u, count = fuzz_count_sections(data, size);
    size_t n = 8 + 12 + size + 4;
    uint8_t *b = malloc(n);
    if (!b) abort();
    memcpy(b, "ASRMODEL", 8);
    memcpy(b + 8, &version, 4);
    memcpy(b + 12, &probe, 4);
    memcpy(b + 16, &count, 4);
    if (size) memcpy(b + 20, data, size);
    uLong crc = crc32(crc32(0L, Z_NULL, 0), b, (uInt)(n - 4));
    uint32_t c32 = (uint32_t)crc;
    memcpy(b + n - 4, &c32, 4);
    *out_size = n;
    return b;
}

/* A small deterministic generator (splitmix64) seeded from the input, for
 * harnesses that need "random" numbers: the same input replays the same way. */
static FUZZ_UNUSED uint64_t fuzz_hash(const uint8_t *data, size_t size)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < size; i++) h = (h ^ data[i]) * 1099511628211ull;
    return h;
}

static FUZZ_UNUSED uint64_t fuzz_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform in [-1, 1). */
static FUZZ_UNUSED float fuzz_uniform(uint64_t *s)
{
    return (float)((double)(fuzz_next(s) >> 11) / 9007199254740992.0 * 2.0 - 1.0);
}

#endif
