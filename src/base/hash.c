/* hash.c — XXH64 and the hash of a file; see hash.h. */
#include "base/hash.h"

#include "base/error.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const uint64_t P1 = 11400714785074694791ULL, P2 = 14029467366897019727ULL,
                      P3 = 1609587929392839161ULL, P4 = 9650029242287828579ULL,
                      P5 = 2870177450012600261ULL;

static uint64_t rotl(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

/* Words read little-endian whatever the machine, so every rank agrees: one
 * load (memcpy: any alignment) and, on a big-endian machine, a byte swap. */
static uint64_t le64(const unsigned char *b)
{
    uint64_t x;
    memcpy(&x, b, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);
#endif
    return x;
}

static uint64_t le32(const unsigned char *b)
{
    uint32_t x;
    memcpy(&x, b, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap32(x);
#endif
    return x;
}

static uint64_t round64(uint64_t acc, uint64_t w)
{
    return rotl(acc + w * P2, 31) * P1;
}

static uint64_t merge(uint64_t h, uint64_t v)
{
    return (h ^ round64(0, v)) * P1 + P4;
}

uint64_t hash64(const void *p, size_t n, uint64_t seed)
{
    const unsigned char *b = p, *end = b + n;
    uint64_t h;
    if (n >= 32) {
        uint64_t v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
        for (; end - b >= 32; b += 32) {
            v1 = round64(v1, le64(b));
            v2 = round64(v2, le64(b + 8));
            v3 = round64(v3, le64(b + 16));
            v4 = round64(v4, le64(b + 24));
        }
        h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
        h = merge(merge(merge(merge(h, v1), v2), v3), v4);
    } else {
        h = seed + P5;
    }
    h += n;
    for (; end - b >= 8; b += 8) h = rotl(h ^ round64(0, le64(b)), 27) * P1 + P4;
    if (end - b >= 4) {
        h = rotl(h ^ le32(b) * P1, 23) * P2 + P3;
        b += 4;
    }
    for (; b < end; b++) h = rotl(h ^ *b * P5, 11) * P1;
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    return h ^ h >> 32;
}

int hash64_file(const char *path, uint64_t seed, uint64_t *h)
{
    enum { BLOCK = 1 << 16 }; /* on the stack: most audio files are smaller */
    FILE *f = fopen(path, "rb");
    if (!f) return asr_error("%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return asr_error("%s: not a regular file", path);
    }
    unsigned char buf[BLOCK];
    uint64_t size = 0;
    size_t got;
    while ((got = fread(buf, 1, BLOCK, f)) > 0) {
        seed = hash64(buf, got, seed);
        size += got;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) return asr_error("%s: read error", path);
    unsigned char le[8]; /* the size, little-endian too */
    for (int i = 0; i < 8; i++) le[i] = (unsigned char)(size >> 8 * i);
    *h = hash64(le, sizeof le, seed);
    return 0;
}
