/* io_set.c — see io_set.h. */
#include "base/io_set.h"

#include "base/alloc.h"
#include "base/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct io_file {
    int exists; /* when it was added: then dev and ino say which file it is */
    dev_t dev;
    ino_t ino;
    int in_place; /* a character device or FIFO: written in place, replaces nothing */
    int dir;      /* an output directory */
    int replace;  /* ... removed and made anew */
    char *name;   /* as the command was given it */
    char *real;   /* canonical path: for "inside" and for files not there yet */
    char *what;   /* an output's writer, for messages */
};

void io_set_init(io_set *s)
{
    memset(s, 0, sizeof *s);
}

static void file_free(io_file *f)
{
    free(f->name);
    free(f->real);
    free(f->what);
}

void io_set_free(io_set *s)
{
    for (int i = 0; i < s->nin; i++) file_free(&s->in[i]);
    for (int i = 0; i < s->nout; i++) file_free(&s->out[i]);
    free(s->in);
    free(s->out);
    io_set_init(s);
}

static char *canonical(const char *path);

/* Where the name PATH is: its parent's canonical path and its own last
 * component (a symlink there is not followed). */
static char *located(const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/') n--; /* "OUT/" names OUT */
    size_t b = n;
    while (b > 0 && path[b - 1] != '/') b--;
    if (b == n) return xstrdup(path); /* "/" or "" */
    char *parent;
    if (b == 0) {
        parent = xstrdup(".");
    } else {
        size_t p = b;
        while (p > 1 && path[p - 1] == '/') p--;
        parent = xmalloc(p + 1);
        memcpy(parent, path, p);
        parent[p] = '\0';
    }
    char *up = canonical(parent);
    free(parent);
    const char *base = path + b;
    size_t bl = n - b;
    if (bl == 1 && base[0] == '.') return up;
    if (bl == 2 && !strncmp(base, "..", 2)) {
        char *slash = strrchr(up, '/');
        if (slash) slash[slash == up] = '\0';
        return up;
    }
    size_t ul = strlen(up);
    char *out = xmalloc(ul + bl + 2);
    snprintf(out, ul + bl + 2, "%s%s%.*s", up, ul && up[ul - 1] == '/' ? "" : "/", (int)bl, base);
    free(up);
    return out;
}

/* The real path of PATH (symlinks followed), or for a path that is not there
 * (yet) where it will be. */
static char *canonical(const char *path)
{
    char *r = realpath(path, NULL);
    return r ? r : located(path);
}

/* PATH as it is now (not recorded anywhere yet). */
static io_file describe(const char *path)
{
    io_file f;
    memset(&f, 0, sizeof f);
    struct stat st;
    if (stat(path, &st) == 0) {
        f.exists = 1;
        f.dev = st.st_dev;
        f.ino = st.st_ino;
        f.in_place = S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode);
    }
    f.name = (char *)path;
    f.real = canonical(path);
    return f;
}

/* One file: the same inode (a hard link), or the same canonical path (the
 * same name, a symlink, or a file not there yet). */
static int same(const io_file *a, const io_file *b)
{
    return (a->exists && b->exists && a->dev == b->dev && a->ino == b->ino) ||
           !strcmp(a->real, b->real);
}

/* Does PATH (canonical) lie inside directory DIR (canonical)? */
static int inside(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    if (n == 1 && dir[0] == '/') return path[0] == '/' && path[1];
    return !strncmp(path, dir, n) && path[n] == '/';
}

/* Output O against input I: -1 naming both when writing O loses I. */
static int clash_in(const io_file *o, const io_file *i)
{
    if (o->in_place || i->in_place) return 0;
    if (same(o, i))
        return o->dir ? asr_error("%s: the output directory (%s) is %s, an input of this "
                                  "command; write it elsewhere",
                                  o->name, o->what, i->name)
                      : asr_error("%s: this output (%s) would replace %s, an input of this "
                                  "command; write it elsewhere",
                                  o->name, o->what, i->name);
    if (o->dir && o->replace && inside(i->real, o->real))
        return asr_error("%s: replacing this directory (%s) would remove %s, an input of this "
                         "command; write it elsewhere",
                         o->name, o->what, i->name);
    return 0;
}

/* Two outputs: -1 naming both when they are one file. */
static int clash_out(const io_file *a, const io_file *b)
{
    if (a->in_place || b->in_place || !same(a, b)) return 0;
    return asr_error("%s: both %s and %s (%s) would write this file; give them different names",
                     a->name, a->what, b->what, b->name);
}

static void append(io_file **v, int *n, int *cap, const io_file *f)
{
    if (*n == *cap) *v = xrealloc(*v, (size_t)(*cap = *cap ? 2 * *cap : 16) * sizeof **v);
    (*v)[*n] = *f;
    (*v)[*n].name = xstrdup(f->name);
    (*n)++;
}

int io_set_input(io_set *s, const char *path)
{
    io_file f = describe(path);
    int rc = 0;
    for (int k = 0; f.exists && k < s->nout && rc == 0; k++) rc = clash_in(&s->out[k], &f);
    if (f.exists && rc == 0)
        append(&s->in, &s->nin, &s->capin, &f);
    else
        free(f.real);
    return rc;
}

/* Record output F (a file or, with DIR, a directory) after checking it. */
static int add_output(io_set *s, io_file *f, const char *what)
{
    for (int k = 0; k < s->nout; k++)
        if (!s->out[k].dir && !f->dir && same(&s->out[k], f) && !strcmp(s->out[k].what, what)) {
            free(f->real); /* the same writer again (--out F --out F): one output */
            return 0;
        }
    f->what = (char *)what;
    int rc = 0;
    for (int k = 0; k < s->nin && rc == 0; k++) rc = clash_in(f, &s->in[k]);
    for (int k = 0; k < s->nout && rc == 0; k++) rc = clash_out(f, &s->out[k]);
    if (rc < 0) {
        free(f->real);
        return -1;
    }
    f->what = xstrdup(what);
    append(&s->out, &s->nout, &s->capout, f);
    return 0;
}

int io_set_output(io_set *s, const char *path, const char *what)
{
    if (!strcmp(path, "-")) return 0; /* standard output */
    io_file f = describe(path);
    return add_output(s, &f, what);
}

int io_set_output_dir(io_set *s, const char *dir, const char *what, int replace)
{
    io_file f = describe(dir);
    f.dir = 1;
    f.replace = replace;
    for (int k = 0; k < s->nout; k++) {
        io_file *o = &s->out[k];
        if (!o->dir || !same(o, &f)) continue;
        free(f.real);
        if (!replace || o->replace) return 0;
        o->replace = 1;
        for (int i = 0; i < s->nin; i++)
            if (clash_in(o, &s->in[i]) < 0) {
                o->replace = 0;
                return -1;
            }
        return 0;
    }
    return add_output(s, &f, what);
}

int io_set_claim(const io_set *s, const char *path)
{
    if (!strcmp(path, "-")) return 0;
    if (!s) return asr_error("%s: no outputs were declared; refusing to write it", path);
    io_file f = describe(path);
    /* Inside an output directory by name: a symlink there is followed to
     * wherever it points (base/atomic_file.h), so long as that is no input. */
    char *at = located(path);
    const io_file *by = NULL;
    for (int k = 0; k < s->nout && !by; k++)
        if (same(&s->out[k], &f) || (s->out[k].dir && inside(at, s->out[k].real))) by = &s->out[k];
    free(at);
    int rc = by ? 0
                : asr_error("%s: not an output this command declared; refusing to write it "
                            "(every output is declared: base/io_set.h)",
                            path);
    f.what = by ? by->what : NULL;
    for (int k = 0; f.exists && k < s->nin && rc == 0; k++) rc = clash_in(&f, &s->in[k]);
    free(f.real);
    return rc;
}
