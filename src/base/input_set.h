/* input_set.h — what a command reads, so that no output of it replaces it.
 *
 * `asr data subset D D` would replace the directory it reads, `asr decode
 * --out D/text D` the references it scores against, `asr lm build --out T T`
 * its own training text. A command adds its inputs (files and directories,
 * by whatever name it was given them) and checks every output against them
 * before writing. Identity is the file itself (device and inode, symlinks
 * followed), so another name for the same file, a symlink or a hard link,
 * is caught too.
 */
#ifndef ASR_INPUT_SET_H
#define ASR_INPUT_SET_H

typedef struct input_file input_file;

typedef struct {
    input_file *f;
    int n, cap;
} input_set;

void input_set_init(input_set *s);
/* Note PATH (a file or directory) as an input; a path that does not exist
 * is not an input of anything and is ignored. */
void input_set_add(input_set *s, const char *path);
/* -1 naming both when the file OUT would replace is one of the inputs. */
int input_set_check_file(const input_set *s, const char *out);
/* -1 when directory OUT is an input directory, or (REPLACE: OUT is removed
 * and made anew) when any input lies inside OUT. */
int input_set_check_dir(const input_set *s, const char *out, int replace);
void input_set_free(input_set *s);

#endif
