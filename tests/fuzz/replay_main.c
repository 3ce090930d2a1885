/* replay_main.c — main() for a fuzz harness built without libFuzzer.
 *
 * Links with one harness (tests/fuzz/fuzz_*.c) and feeds it inputs, one
 * call of LLVMFuzzerTestOneInput per file, so `make check` replays the seed
 * corpus and every input that once crashed with the ordinary compiler:
 *
 *   replay_NAME [FILE|DIR]...   each FILE, and every regular file of each
 *                               DIR (sorted by name, not recursive)
 *   replay_NAME                 $srcdir/tests/fuzz/corpus/NAME and
 *                               $srcdir/tests/fuzz/regress/NAME (srcdir from
 *                               the environment, else "."), where NAME is
 *                               this program's name without "replay_"
 *
 * A crash is the test's failure (the name of the input is printed before
 * it runs); a missing directory in the default set is skipped, but at
 * least one input must be found.
 */
#define _DEFAULT_SOURCE 1

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t cap = 4096, n = 0, k;
    uint8_t *buf = malloc(cap);
    while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) buf = realloc(buf, cap *= 2);
    }
    int bad = !buf || ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "replay: %s: read error\n", path);
        free(buf);
        return -1;
    }
    fprintf(stderr, "replay: %s (%zu bytes)\n", path, n);
    /* An exact-size copy, so ASan (when built with it) sees reads past the end. */
    uint8_t *exact = malloc(n ? n : 1);
    if (n) memcpy(exact, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(exact, n);
    free(exact);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run PATH (a file, or every regular file of a directory). Returns the number
 * of inputs run, -1 on an error; MISSING_OK: a missing PATH runs nothing. */
static int run_path(const char *path, int missing_ok)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (missing_ok && errno == ENOENT) return 0;
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) return run_file(path) < 0 ? -1 : 1;
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) names = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof *names);
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        names[n] = malloc(len);
        snprintf(names[n], len, "%s/%s", path, e->d_name);
        n++;
    }
    closedir(d);
    if (n) qsort(names, n, sizeof *names, by_name);
    int count = 0, rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
            if (run_file(names[i]) < 0)
                rc = -1;
            else
                count++;
        }
        free(names[i]);
    }
    free(names);
    return rc < 0 ? -1 : count;
}

int main(int argc, char **argv)
{
    int total = 0;
    if (argc > 1) {
        for (int i = 1; i < argc; i++) {
            int k = run_path(argv[i], 0);
            if (k < 0) return 1;
            total += k;
        }
    } else {
        const char *base = strrchr(argv[0], '/');
        base = base ? base + 1 : argv[0];
        if (!strncmp(base, "replay_", 7)) base += 7;
        char name[64];
        snprintf(name, sizeof name, "%s", base);
        char *dot = strchr(name, '.'); /* an .exe suffix */
        if (dot) *dot = '\0';
        const char *src = getenv("srcdir");
        if (!src || !*src) src = ".";
        const char *sub[] = {"corpus", "regress"};
        for (int i = 0; i < 2; i++) {
            char dir[4096];
            snprintf(dir, sizeof dir, "%s/tests/fuzz/%s/%s", src, sub[i], name);
            int k = run_path(dir, 1);
            if (k < 0) return 1;
            total += k;
        }
        if (total == 0) {
            fprintf(stderr, "replay: no inputs for '%s' under %s/tests/fuzz\n", name, src);
            return 1;
        }
    }
    printf("replay: %d inputs ran without a crash\n", total);
    return 0;
}
