/* testutil.c — see testutil.h. */
#include "testutil.h"

#include "base/alloc.h"
#include "base/fileio.h"
#include "base/error.h"
#include "base/out_dir.h"
#include "signal/features.h"
#include "recognizer/options.h"
#include "text/alphabet.h"
#include "text/lexicon.h"

#include <dirent.h>

#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char tmpdir[256];

static void remove_tmpdir(void)
{
    if (remove_tree(tmpdir) < 0) fprintf(stderr, "testutil: %s\n", asr_last_error());
}

const char *test_tmpdir(void)
{
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/asr-test-XXXXXX");
        if (!mkdtemp(tmpdir)) {
            perror("mkdtemp");
            exit(1);
        }
        atexit(remove_tmpdir);
    }
    return tmpdir;
}

static io_set test_io_set;

static void free_test_io(void)
{
    io_set_free(&test_io_set);
}

io_set *test_io(void)
{
    static int registered;
    if (!registered) atexit(free_test_io);
    registered = 1;
    io_set_free(&test_io_set);
    if (io_set_output_dir(&test_io_set, test_tmpdir(), "the test", 0) < 0) {
        fprintf(stderr, "testutil: %s\n", asr_last_error());
        exit(1);
    }
    return &test_io_set;
}

char *test_path(const char *name)
{
    size_t n = strlen(test_tmpdir()) + strlen(name) + 2;
    char *p = xmalloc(n);
    snprintf(p, n, "%s/%s", test_tmpdir(), name);
    return p;
}

char *test_write_text(const char *name, const char *text)
{
    char *p = test_path(name);
    FILE *f = fopen(p, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        perror(p);
        exit(1);
    }
    return p;
}

char *test_slurp(const char *path)
{
    static char buf[256];
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

char *test_write_wav(const char *name, const float *x, size_t n, int rate)
{
    char *p = test_path(name);
    SF_INFO info = {.samplerate = rate, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
    SNDFILE *sf = sf_open(p, SFM_WRITE, &info);
    if (!sf || sf_writef_float(sf, x, (sf_count_t)n) != (sf_count_t)n) {
        fprintf(stderr, "%s: %s\n", p, sf_strerror(sf));
        exit(1);
    }
    sf_close(sf);
    return p;
}

float *test_sine(double freq, double amp, size_t n, int rate)
{
    float *x = xmalloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++) x[i] = (float)(amp * sin(2 * M_PI * freq * (double)i / rate));
    return x;
}

char *test_toy_corpus(const char *name, int n)
{
    static const char *const texts[] = {"a",   "b",   "c",     "a b",   "b c",   "c a",
                                        "a a", "b a", "a b c", "c b a", "b b c", "a c"};
    static const double freq[] = {300, 700, 1300};
    enum { RATE = 8000, WORD = 2000, GAP = 400 };
    if (n > 12) n = 12;
    char *dir = test_path(name);
    if (make_dirs(dir) < 0) {
        fprintf(stderr, "testutil: %s\n", asr_last_error());
        exit(1);
    }
    char wavscp[4096] = "", text[1024] = "", spk[1024] = "";
    for (int u = 0; u < n; u++) {
        size_t len = (strlen(texts[u]) + 1) / 2 * (WORD + GAP) + GAP, at = GAP;
        float *x = xcalloc(len, sizeof *x);
        for (const char *w = texts[u]; *w; w++) {
            if (*w == ' ') continue;
            float *t = test_sine(freq[*w - 'a'], 0.4, WORD, RATE);
            memcpy(x + at, t, WORD * sizeof *t);
            free(t);
            at += WORD + GAP;
        }
        char wav[256], line[512];
        snprintf(wav, sizeof wav, "%s-u%02d.wav", name, u);
        char *p = test_write_wav(wav, x, len, RATE);
        free(x);
        snprintf(line, sizeof line, "u%02d %s\n", u, p);
        strcat(wavscp, line);
        snprintf(line, sizeof line, "u%02d %s\n", u, texts[u]);
        strcat(text, line);
        snprintf(line, sizeof line, "u%02d s%d\n", u, u % 2);
        strcat(spk, line);
        free(p);
    }
    char *f[3][2] = {{"wav.scp", wavscp}, {"text", text}, {"utt2spk", spk}};
    for (int k = 0; k < 3; k++) {
        char rel[256];
        snprintf(rel, sizeof rel, "%s/%s", name, f[k][0]);
        free(test_write_text(rel, f[k][1]));
    }
    return dir;
}

void test_direct_model(model_file *m, const char *net, const float *w, size_t nw)
{
    model_file_init(m);
    model_file_put_text(m, "pipeline", "direct");
    features_config fc;
    features_config_default(&fc);
    char *f = features_config_format(&fc);
    model_file_put_text(m, "features", f);
    free(f);
    model_file_put_text(m, "network", net);
    char *table = alphabet_table(ALPHABET_CHARS);
    model_file_put_text(m, "symbols", table);
    free(table);
    model_file_put(m, "weights", w, nw * sizeof *w);
}

int test_dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

float *test_phone_frames(const char *spec, int *T)
{
    enum { V = 1 + LEXICON_NUM_PHONES };
    char buf[256], *save = NULL;
    snprintf(buf, sizeof buf, "%s", spec);
    float *lp = xmalloc(sizeof(float) * V * 64);
    int t = 0;
    for (char *tok = strtok_r(buf, " ", &save); tok && t < 64;
         tok = strtok_r(NULL, " ", &save), t++) {
        float *f = lp + t * V;
        double p[V];
        for (int v = 0; v < V; v++) p[v] = 0.02 / (V - 1);
        char *bar = strchr(tok, '|');
        if (bar) {
            *bar = 0;
            p[1 + lexicon_phone_index(tok)] = 0.49;
            p[1 + lexicon_phone_index(bar + 1)] = 0.49;
        } else {
            p[!strcmp(tok, "-") ? 0 : 1 + lexicon_phone_index(tok)] = 0.98;
        }
        for (int v = 0; v < V; v++) f[v] = (float)log(p[v]);
    }
    *T = t;
    return lp;
}
