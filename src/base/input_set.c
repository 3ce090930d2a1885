/* input_set.c — see input_set.h. */
#include "base/input_set.h"

#include "base/alloc.h"
#include "base/error.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct input_file {
    dev_t dev;
    ino_t ino;
    char *name; /* as the command was given it */
    char *real; /* canonical path, for "inside OUT" */
};

void input_set_init(input_set *s)
{
    s->f = NULL;
    s->n = s->cap = 0;
}

void input_set_add(input_set *s, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) return;
    char *real = realpath(path, NULL);
    if (!real) return;
    if (s->n == s->cap)
        s->f = xrealloc(s->f, (size_t)(s->cap = s->cap ? 2 * s->cap : 16) * sizeof *s->f);
    s->f[s->n++] = (input_file){st.st_dev, st.st_ino, xstrdup(path), real};
}

static const input_file *same(const input_set *s, const struct stat *st)
{
    for (int i = 0; i < s->n; i++)
        if (s->f[i].dev == st->st_dev && s->f[i].ino == st->st_ino) return &s->f[i];
    return NULL;
}

int input_set_check_file(const input_set *s, const char *out)
{
    struct stat st;
    if (stat(out, &st) != 0) return 0; /* a new file replaces nothing */
    const input_file *f = same(s, &st);
    if (f)
        return asr_error("%s: this output would replace %s, an input of this command; "
                         "write it elsewhere",
                         out, f->name);
    return 0;
}

int input_set_check_dir(const input_set *s, const char *out, int replace)
{
    struct stat st;
    if (stat(out, &st) != 0) return 0;
    const input_file *f = same(s, &st);
    if (f)
        return asr_error("%s: this output directory is %s, an input of this command; "
                         "write it elsewhere",
                         out, f->name);
    if (!replace) return 0;
    char *real = realpath(out, NULL);
    if (!real) return 0;
    size_t n = strlen(real);
    int rc = 0;
    for (int i = 0; i < s->n && rc == 0; i++)
        if (!strncmp(s->f[i].real, real, n) && (s->f[i].real[n] == '/' || n == 1))
            rc = asr_error("%s: replacing this directory would remove %s, an input of this "
                           "command; write it elsewhere",
                           out, s->f[i].name);
    free(real);
    return rc;
}

void input_set_free(input_set *s)
{
    for (int i = 0; i < s->n; i++) {
        free(s->f[i].name);
        free(s->f[i].real);
    }
    free(s->f);
    input_set_init(s);
}
