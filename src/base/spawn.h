/* spawn.h — running a helper program without a shell.
 *
 * The workbench calls out to one program (espeak-ng, for pronunciations
 * CMUdict lacks). Its arguments come from the user (a voice name, words of a
 * corpus), so they are passed as an argument vector to posix_spawnp: no
 * shell ever parses them, and no quoting can be escaped.
 */
#ifndef ASR_SPAWN_H
#define ASR_SPAWN_H

#include <stddef.h>

/* Run ARGV[0] (looked up in PATH) with ARGV (NULL-terminated), standard
 * input and error on /dev/null, and collect its standard output into *OUT (a
 * new NUL-terminated string; *LEN bytes). More than MAX bytes of output is an
 * error (the program is stopped). Returns the program's exit status (0..255),
 * or -1 with a message when it could not be run or was killed. Exit status
 * 127 with no output is taken as "could not be run": that is how the child
 * reports a failed exec where posix_spawnp forks instead of reporting it
 * (older C libraries, and under valgrind). */
int spawn_read(const char *const *argv, size_t max, char **out, size_t *len);

#endif
