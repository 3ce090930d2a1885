/* ranks.c — the fingerprints MPI ranks compare; see ranks.h. */
#include "recognizer/ranks.h"

#include "base/alloc.h"
#include "base/error.h"
#include "base/hash.h"
#include "base/parallel.h"
#include "recognizer/options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ranks_check_init(ranks_check *k)
{
    memset(k, 0, sizeof *k);
}

static void ranks_check_free(ranks_check *k)
{
    for (int i = 0; i < k->n; i++) free(k->what[i]);
    free(k->what);
    free(k->hash);
    memset(k, 0, sizeof *k);
}

static void add(ranks_check *k, uint64_t h, const char *label, const char *path)
{
    if (k->n == k->cap) {
        k->cap = k->cap ? 2 * k->cap : 8;
        k->hash = xrealloc(k->hash, (size_t)k->cap * sizeof *k->hash);
        k->what = xrealloc(k->what, (size_t)k->cap * sizeof *k->what);
    }
    size_t len = strlen(label) + (path ? strlen(path) : 0) + 16;
    char *w = xmalloc(len);
    snprintf(w, len, path ? "the %s (%s)" : "the %s", label, path);
    k->hash[k->n] = h;
    k->what[k->n++] = w;
}

int ranks_check_file(ranks_check *k, const char *label, const char *path)
{
    if (par_size() == 1) return 0;
    uint64_t h = 0; /* none given: 0, which no file's hash is in practice */
    if (path && *path && hash64_file(path, 0, &h) < 0) return -1;
    add(k, h, label, path && *path ? path : "none");
    return 0;
}

void ranks_check_text(ranks_check *k, const char *label, const char *text)
{
    if (par_size() == 1) return;
    add(k, hash64(text, strlen(text), 0), label, NULL);
}

int ranks_check_search(ranks_check *k, const pipeline_options *s)
{
    if (par_size() == 1) return 0;
    char *text = pipeline_options_format(s);
    ranks_check_text(k, "search settings", text);
    free(text);
    return ranks_check_file(k, "lexicon", s->lexicon_path) < 0 ||
                   ranks_check_file(k, "LM", s->lm_path) < 0
               ? -1
               : 0;
}

/* A string, NULL told apart from "" (a directory without transcripts). */
static uint64_t hash_str(const char *s, uint64_t h)
{
    return s ? hash64(s, strlen(s) + 1, h) : hash64("\xff", 1, h);
}

typedef struct {
    const char *wav;
    int i;
} wav_ref;

static int by_wav(const void *a, const void *b)
{
    const wav_ref *x = a, *y = b;
    int c = strcmp(x->wav, y->wav);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

int ranks_check_corpus(ranks_check *k, const char *label, const char *dir, const corpus *c)
{
    if (par_size() == 1) return 0;
    /* Each audio file's bytes once (segments share recordings), then every
     * utterance in corpus order with the hash of its file. */
    int n = c->n, rc = 0;
    wav_ref *ref = xmalloc(sizeof *ref * (size_t)(n ? n : 1));
    uint64_t *audio = xmalloc(sizeof(uint64_t) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) ref[i] = (wav_ref){c->utts[i].wav, i};
    qsort(ref, (size_t)n, sizeof *ref, by_wav);
    for (int j = 0; j < n && rc == 0; j++) {
        int i = ref[j].i;
        if (j && !strcmp(ref[j - 1].wav, ref[j].wav))
            audio[i] = audio[ref[j - 1].i];
        else if ((rc = hash64_file(ref[j].wav, 0, &audio[i])) < 0)
            asr_error("%s: utterance %s: %s", dir, c->utts[i].id, asr_last_error());
    }
    char num[64];
    snprintf(num, sizeof num, "%d", n);
    uint64_t h = hash_str(num, 0);
    for (int i = 0; i < n && rc == 0; i++) {
        const corpus_utt *u = &c->utts[i];
        snprintf(num, sizeof num, "%a %a %016llx", u->start, u->end, (unsigned long long)audio[i]);
        h = hash_str(u->id, h);
        h = hash_str(u->recording, h);
        h = hash_str(u->text, h);
        h = hash_str(u->speaker, h);
        h = hash_str(u->phones, h);
        h = hash_str(num, h);
    }
    free(ref);
    free(audio);
    if (rc == 0) { /* the count in the message: often what differs */
        char *where = xmalloc(strlen(dir) + 32);
        sprintf(where, "%s, %d utterances", dir, n);
        add(k, h, label, where);
        free(where);
    }
    return rc;
}

int ranks_check_done(ranks_check *k, int rc)
{
    if (rc == 0) rc = par_check_same(k->hash, (const char *const *)k->what, k->n);
    ranks_check_free(k);
    return rc;
}
