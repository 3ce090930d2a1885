/* hash.h — a 64-bit hash of bytes, for telling whether two copies of
 * something are the same (the MPI ranks of one job compare what they were
 * given: base/parallel.h, recognizer/ranks.h).
 *
 * XXH64 (Yann Collet's xxHash, 64-bit variant): four independent lanes of
 * multiply-rotate rounds over 8-byte words read little-endian: several GB/s
 * (5 on this machine, 60% of libxxhash's vectorised one), the same value on
 * every machine. Two different
 * inputs collide with probability about 2^-64: good against accidents, not
 * against someone crafting a collision (it is not a cryptographic hash). */
#ifndef ASR_BASE_HASH_H
#define ASR_BASE_HASH_H

#include <stddef.h>
#include <stdint.h>

/* XXH64 of the N bytes at P with SEED; chaining (the previous value as the
 * next SEED) hashes a sequence of pieces. */
uint64_t hash64(const void *p, size_t n, uint64_t seed);

/* The bytes of the regular file PATH, chained block by block with SEED, then
 * its size: *H. -1 with a message naming PATH when it is not a regular file
 * (a device or FIFO could be endless) or cannot be read. */
int hash64_file(const char *path, uint64_t seed, uint64_t *h);

#endif
