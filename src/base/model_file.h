/* model_file.h — the one binary file a trained model (or checkpoint) lives in.
 *
 * Layout (all integers little-endian; floats IEEE-754 binary32):
 *
 *   "ASRMODEL"                  8 bytes magic
 *   u32 version                 MODEL_FILE_VERSION
 *   u32 byte-order probe        0x01020304 as written by the host; a reader on a
 *                               host of the other byte order refuses the file
 *   u32 section count
 *   per section:
 *     u32 name length, name bytes (no NUL)
 *     u64 data length, data bytes
 *   u32 CRC-32 (zlib's) of every byte above
 *
 * A model is a set of named sections; by convention (see pipelines/ and nn/):
 *   "pipeline"  text: the pipeline's name ("direct", "staged", "multitask")
 *   "features"  text: the feature configuration (features_config_format)
 *   "network"   text: the network description
 *   "symbols"   text: the output symbol table, one symbol per line, blank first
 *               (of the first output head; "symbols.HEAD" holds each further
 *               head's, e.g. "symbols.char" of a multitask model)
 *   "weights"   float32 array: the parameter arena
 * and a checkpoint adds the optimizer state and the trainer's position.
 * Text sections are stored with a terminating NUL so they can be used in place.
 *
 * Writing goes to a temporary file renamed over the target, so a crash never
 * leaves half a model. Reading checks magic, version, bounds of every length,
 * and the checksum, and names the file and the fault when any of them fails.
 * A file is untrusted input: only a regular file is read (a FIFO or a device
 * such as /dev/zero would block or never end), at most MODEL_FILE_MAX_SIZE
 * bytes; the section count must fit in the bytes that follow it (each
 * section takes at least 13), names are unique and hold no NUL byte, and
 * reading N sections costs O(N log N) (a sorted index, not a linear search
 * per section).
 */
#ifndef ASR_MODEL_FILE_H
#define ASR_MODEL_FILE_H

#include "base/io_set.h"

#include <stddef.h>

#define MODEL_FILE_VERSION 1

/* The largest model file read: 4 GiB (a billion float32 weights). */
#define MODEL_FILE_MAX_SIZE ((size_t)4 << 30)

typedef struct {
    char *name;
    void *data;
    size_t size;
} model_section;

typedef struct {
    model_section *sections; /* in file (or insertion) order */
    int n, cap;
    int *index; /* the n section indices sorted by name (strcmp), for lookups */
} model_file;

void model_file_init(model_file *m);
/* Add (or replace) section NAME with a copy of SIZE bytes of DATA. */
void model_file_put(model_file *m, const char *name, const void *data, size_t size);
/* Add (or replace) a text section (stored with its NUL). */
void model_file_put_text(model_file *m, const char *name, const char *text);
/* The section called NAME, or NULL. */
const model_section *model_file_get(const model_file *m, const char *name);
/* The text of section NAME, or NULL (also NULL when it is not NUL-terminated). */
const char *model_file_text(const model_file *m, const char *name);

/* Write M to PATH, an output of IO (base/atomic_file.h). */
int model_file_write(const model_file *m, const io_set *io, const char *path);
/* Read the regular file PATH; -1 with a message naming PATH and the fault. */
int model_file_read(const char *path, model_file *m);
/* The same from SIZE bytes of DATA in memory (a whole file's bytes; NAME
 * stands for the path in messages). */
int model_file_parse(const void *data, size_t size, const char *name, model_file *m);
void model_file_free(model_file *m);

#endif
