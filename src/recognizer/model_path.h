/* model_path.h — models by name: `--model digits` as PocketSphinx and Vosk
 * users expect, and the shipped models found without a path.
 *
 * What names a model (every command's --model, asr compare's NAME=MODEL, the
 * API's asr_recognizer_open, asr train --init):
 *   - a file that exists: that file;
 *   - a NAME (letters, digits, '.', '_', '-'; no '/', not starting with '.';
 *     at most MODEL_NAME_MAX bytes): the first NAME.mdl (NAME itself when it
 *     ends in .mdl) in the directories of the search path below;
 *   - without --model, MODEL_DEFAULT_NAME ("digits"): the shipped
 *     digits.mdl is the three shipped models combined (recognizer/system.h),
 *     and a digits.mdl in $ASR_MODEL_PATH comes first, so it replaces the
 *     default.
 * Anything else (a path with '/' that does not exist, a name that is not on
 * the path) is one error listing where it looked and the names found there.
 *
 * The search path, in order:
 *   1. each directory of $ASR_MODEL_PATH (colon-separated; empty entries
 *      skipped; at most MODEL_PATH_DIRS of at most MODEL_PATH_MAX bytes);
 *   2. the source tree's models/, only when the running program is the
 *      uninstalled asr of the build tree it was compiled in (the same file as
 *      BUILD_DIR/asr, by device and inode: a copy or an installed asr never
 *      reads a source tree, which may have moved on);
 *   3. the installed models beside the running program: when it is
 *      ROOT/BINDIR/asr (BINDIR as configured; ROOT empty when installed where
 *      configured, the DESTDIR of a staged install, or wherever the tree was
 *      moved whole), ROOT/PKGDATADIR/models;
 *   4. PKGDATADIR/models as configured (`make install` puts the shipped
 *      models there).
 * Directories that do not exist are skipped. */
#ifndef ASR_RECOGNIZER_MODEL_PATH_H
#define ASR_RECOGNIZER_MODEL_PATH_H

#include <stddef.h>

#define MODEL_DEFAULT_NAME "digits"
/* The longest model name, path, and the most directories searched. */
#define MODEL_NAME_MAX  64
#define MODEL_PATH_MAX  4096
#define MODEL_PATH_DIRS 32
/* The most models one directory lists (asr models). */
#define MODEL_LIST_MAX 1024

typedef enum {
    MODEL_DIR_ENV,
    MODEL_DIR_SOURCE,
    MODEL_DIR_BESIDE,
    MODEL_DIR_INSTALLED
} model_dir_kind;

typedef struct {
    char *path;
    model_dir_kind kind;
    int exists; /* a directory there */
} model_dir;

typedef struct {
    model_dir dirs[MODEL_PATH_DIRS + 3];
    int n;
} model_search;

/* The search path of this process (the environment and where the program
 * runs from). -1 with a message when $ASR_MODEL_PATH is too long or has too
 * many entries. */
int model_search_init(model_search *s);
void model_search_free(model_search *s);
/* "$ASR_MODEL_PATH", "the source tree", "installed" for KIND. */
const char *model_dir_kind_name(model_dir_kind kind);

/* SPEC (a file or a NAME, above) as the path of a model file: *PATH, to
 * free; -1 with one message that lists the places searched and the names
 * found there. */
int model_path_resolve(const char *spec, char **path);

/* One model file found on the search path. */
typedef struct {
    char *name;      /* NAME of NAME.mdl */
    char *path;      /* the file */
    char *pipeline;  /* READ: from the file's "pipeline" section ("combined": a stored
                        system, recognizer/system.h); NULL when unreadable */
    char *error;     /* READ: why it is unreadable, or NULL */
    long long bytes; /* READ: the file's size */
    int dir;         /* index into the search's dirs */
    int hidden;      /* a directory before it has the same name */
} model_entry;

/* Every NAME.mdl of every existing directory of S, in search order and by
 * name within a directory; with READ, each file read and checked
 * (model_file.h) for its pipeline: *OUT (free with model_entries_free), *N
 * of them. -1 with a message when a directory cannot be read or holds more
 * than MODEL_LIST_MAX models. */
int model_path_list(const model_search *s, int read, model_entry **out, int *n);
void model_entries_free(model_entry *e, int n);

#endif
