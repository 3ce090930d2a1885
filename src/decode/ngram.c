/* ngram.c — n-gram estimation (modified Kneser-Ney, Witten-Bell), ARPA I/O and
 * backoff scoring; the math is in ngram.h. */
#include "ngram.h"

#include "alloc.h"
#include "error.h"
#include "fileio.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- a hash table of k-grams (k word ids each) ---- */

typedef struct {
    int k, n, cap;
    int *keys;  /* n * k ids */
    int *slots; /* nslots entries: index or -1 */
    int nslots;
} gtab;

static unsigned hash_key(const int *key, int k)
{
    unsigned h = 2166136261u;
    for (int i = 0; i < k; i++) {
        h ^= (unsigned)key[i] + 0x9e3779b9u;
        h *= 16777619u;
    }
    return h;
}

static void gtab_init(gtab *t, int k)
{
    memset(t, 0, sizeof *t);
    t->k = k;
    t->nslots = 64;
    t->slots = xmalloc(sizeof(int) * (size_t)t->nslots);
    memset(t->slots, -1, sizeof(int) * (size_t)t->nslots);
}

static void gtab_free(gtab *t)
{
    free(t->keys);
    free(t->slots);
}

static int gtab_find(const gtab *t, const int *key)
{
    unsigned m = (unsigned)t->nslots - 1;
    for (unsigned s = hash_key(key, t->k) & m;; s = (s + 1) & m) {
        int i = t->slots[s];
        if (i < 0) return -1;
        if (!memcmp(t->keys + (size_t)i * t->k, key, sizeof(int) * (size_t)t->k)) return i;
    }
}

static void gtab_rehash(gtab *t)
{
    t->nslots *= 2;
    free(t->slots);
    t->slots = xmalloc(sizeof(int) * (size_t)t->nslots);
    memset(t->slots, -1, sizeof(int) * (size_t)t->nslots);
    unsigned m = (unsigned)t->nslots - 1;
    for (int i = 0; i < t->n; i++) {
        unsigned s = hash_key(t->keys + (size_t)i * t->k, t->k) & m;
        while (t->slots[s] >= 0) s = (s + 1) & m;
        t->slots[s] = i;
    }
}

/* Index of KEY, added when absent (*ADDED says which). */
static int gtab_add(gtab *t, const int *key, int *added)
{
    int i = gtab_find(t, key);
    if (added) *added = i < 0;
    if (i >= 0) return i;
    if (2 * (t->n + 1) > t->nslots) gtab_rehash(t);
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->keys = xrealloc(t->keys, sizeof(int) * (size_t)t->cap * (size_t)(t->k ? t->k : 1));
    }
    i = t->n++;
    memcpy(t->keys + (size_t)i * t->k, key, sizeof(int) * (size_t)t->k);
    unsigned m = (unsigned)t->nslots - 1, s = hash_key(key, t->k) & m;
    while (t->slots[s] >= 0) s = (s + 1) & m;
    t->slots[s] = i;
    return i;
}

/* ---- the model ---- */

struct ngram_lm {
    int order;
    char **vocab;
    int nvocab, vcap;
    gtab vhash; /* word ids by string hash: key = {hash}, collisions chained by probing */
    gtab g[NGRAM_MAX_ORDER + 1]; /* g[k]: the k-grams */
    float *logp[NGRAM_MAX_ORDER + 1], *bow[NGRAM_MAX_ORDER + 1];
    int offset[NGRAM_MAX_ORDER + 2]; /* state id = offset[k] + index in g[k] */
    int bos, eos, unk;
};

static unsigned str_hash(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

int ngram_word_id(const ngram_lm *lm, const char *word)
{
    /* Open addressing over the vocabulary by string hash. */
    unsigned m = (unsigned)lm->vhash.nslots - 1;
    for (unsigned s = str_hash(word) & m;; s = (s + 1) & m) {
        int i = lm->vhash.slots[s];
        if (i < 0) return -1;
        if (!strcmp(lm->vocab[i], word)) return i;
    }
}

static int add_word(ngram_lm *lm, const char *word)
{
    int id = ngram_word_id(lm, word);
    if (id >= 0) return id;
    if (lm->nvocab == lm->vcap) {
        lm->vcap = lm->vcap ? 2 * lm->vcap : 64;
        lm->vocab = xrealloc(lm->vocab, sizeof(char *) * (size_t)lm->vcap);
    }
    id = lm->nvocab++;
    lm->vocab[id] = xstrdup(word);
    gtab *t = &lm->vhash;
    if (2 * lm->nvocab > t->nslots) {
        t->nslots *= 2;
        free(t->slots);
        t->slots = xmalloc(sizeof(int) * (size_t)t->nslots);
        memset(t->slots, -1, sizeof(int) * (size_t)t->nslots);
        for (int i = 0; i < lm->nvocab - 1; i++) {
            unsigned m = (unsigned)t->nslots - 1, s = str_hash(lm->vocab[i]) & m;
            while (t->slots[s] >= 0) s = (s + 1) & m;
            t->slots[s] = i;
        }
    }
    unsigned m = (unsigned)t->nslots - 1, s = str_hash(word) & m;
    while (t->slots[s] >= 0) s = (s + 1) & m;
    t->slots[s] = id;
    return id;
}

static ngram_lm *lm_new(int order)
{
    ngram_lm *lm = xcalloc(1, sizeof *lm);
    lm->order = order;
    gtab_init(&lm->vhash, 0);
    for (int k = 1; k <= order; k++) gtab_init(&lm->g[k], k);
    lm->bos = add_word(lm, "<s>");
    lm->eos = add_word(lm, "</s>");
    lm->unk = -1;
    return lm;
}

/* Allocate the probability arrays and state offsets once the grams are in. */
static void lm_finish(ngram_lm *lm)
{
    lm->offset[1] = 0;
    for (int k = 1; k <= lm->order; k++) {
        lm->logp[k] = xcalloc((size_t)(lm->g[k].n ? lm->g[k].n : 1), sizeof(float));
        lm->bow[k] = xcalloc((size_t)(lm->g[k].n ? lm->g[k].n : 1), sizeof(float));
        lm->offset[k + 1] = lm->offset[k] + lm->g[k].n;
    }
    lm->unk = ngram_word_id(lm, "<unk>");
}

void ngram_free(ngram_lm *lm)
{
    if (!lm) return;
    for (int i = 0; i < lm->nvocab; i++) free(lm->vocab[i]);
    free(lm->vocab);
    gtab_free(&lm->vhash);
    for (int k = 1; k <= lm->order; k++) {
        gtab_free(&lm->g[k]);
        free(lm->logp[k]);
        free(lm->bow[k]);
    }
    free(lm);
}

int ngram_order(const ngram_lm *lm)
{
    return lm->order;
}
int ngram_vocab_size(const ngram_lm *lm)
{
    return lm->nvocab;
}
const char *ngram_word(const ngram_lm *lm, int id)
{
    return id >= 0 && id < lm->nvocab ? lm->vocab[id] : NULL;
}
int ngram_bos(const ngram_lm *lm)
{
    return lm->bos;
}
int ngram_eos(const ngram_lm *lm)
{
    return lm->eos;
}

/* ---- estimation ---- */

typedef struct {
    double sum;        /* a(h): total (adjusted) count of h's continuations */
    double n1, n2, n3; /* continuations with count 1, 2, >= 3 (distinct words) */
} hist_stats;

ngram_lm *ngram_estimate(char *const *sentences, int n, int order, ngram_method method)
{
    if (order < 1 || order > NGRAM_MAX_ORDER) {
        asr_error("n-gram order %d: expected 1..%d", order, NGRAM_MAX_ORDER);
        return NULL;
    }
    ngram_lm *lm = lm_new(order);
    double *count[NGRAM_MAX_ORDER + 1] = {0};
    int cap[NGRAM_MAX_ORDER + 1] = {0};
    int *ids = NULL, idcap = 0;
    /* 1. raw counts of every k-gram of every <s> w1 .. wn </s>. */
    for (int s = 0; s < n; s++) {
        char *copy = xstrdup(sentences[s]);
        int len = 0;
        char *save = NULL;
        if (idcap < 2) ids = xrealloc(ids, sizeof(int) * (size_t)(idcap = 64));
        ids[len++] = lm->bos;
        for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
            if (len + 2 > idcap) ids = xrealloc(ids, sizeof(int) * (size_t)(idcap *= 2));
            ids[len++] = add_word(lm, w);
        }
        ids[len++] = lm->eos;
        free(copy);
        for (int k = 1; k <= order; k++)
            for (int i = 0; i + k <= len; i++) {
                /* <s> alone is counted once per sentence as a unigram. */
                int idx = gtab_add(&lm->g[k], ids + i, NULL);
                if (idx >= cap[k]) {
                    int nc = cap[k] ? 2 * cap[k] : 256;
                    while (nc <= idx) nc *= 2;
                    count[k] = xrealloc(count[k], sizeof(double) * (size_t)nc);
                    memset(count[k] + cap[k], 0, sizeof(double) * (size_t)(nc - cap[k]));
                    cap[k] = nc;
                }
                count[k][idx] += 1;
            }
    }
    free(ids);
    lm_finish(lm);
    /* 2. adjusted counts: continuation counts below the top order (KN). */
    double *adj[NGRAM_MAX_ORDER + 1] = {0};
    for (int k = 1; k <= order; k++) {
        adj[k] = xcalloc((size_t)(lm->g[k].n ? lm->g[k].n : 1), sizeof(double));
        if (method == NGRAM_WITTEN_BELL || k == order) {
            memcpy(adj[k], count[k], sizeof(double) * (size_t)lm->g[k].n);
            continue;
        }
        for (int i = 0; i < lm->g[k + 1].n; i++) {
            int j = gtab_find(&lm->g[k], lm->g[k + 1].keys + (size_t)i * (k + 1) + 1);
            adj[k][j] += 1;
        }
        for (int i = 0; i < lm->g[k].n; i++)
            if (lm->g[k].keys[(size_t)i * k] == lm->bos) adj[k][i] = count[k][i];
    }
    /* 3. discounts per order from count-of-counts. */
    double D[NGRAM_MAX_ORDER + 1][4] = {{0}};
    for (int k = 1; k <= order; k++) {
        double nn[5] = {0};
        for (int i = 0; i < lm->g[k].n; i++) {
            double a = adj[k][i];
            if (a >= 1 && a <= 4 && a == floor(a)) nn[(int)a] += 1;
        }
        double Y = nn[1] + 2 * nn[2] > 0 ? nn[1] / (nn[1] + 2 * nn[2]) : 0;
        double d1 = nn[1] > 0 ? 1 - 2 * Y * nn[2] / nn[1] : -1;
        double d2 = nn[2] > 0 ? 2 - 3 * Y * nn[3] / nn[2] : -1;
        double d3 = nn[3] > 0 ? 3 - 4 * Y * nn[4] / nn[3] : -1;
        D[k][1] = d1 > 0 && d1 < 1 ? d1 : 0.5;
        D[k][2] = d2 > 0 && d2 < 2 ? d2 : 1.0;
        D[k][3] = d3 > 0 && d3 < 3 ? d3 : 1.5;
    }
    /* 4. history statistics: hist[k][j] for the (k-1)-gram j as history of
     * order k (k = 1: the empty history, one entry). */
    hist_stats *hist[NGRAM_MAX_ORDER + 1] = {0};
    for (int k = 1; k <= order; k++) {
        int nh = k == 1 ? 1 : lm->g[k - 1].n;
        hist[k] = xcalloc((size_t)nh, sizeof(hist_stats));
        for (int i = 0; i < lm->g[k].n; i++) {
            const int *key = lm->g[k].keys + (size_t)i * k;
            if (k == 1 && key[0] == lm->bos) continue; /* <s> is never predicted */
            int j = k == 1 ? 0 : gtab_find(&lm->g[k - 1], key);
            hist_stats *h = &hist[k][j];
            double a = adj[k][i];
            h->sum += a;
            if (method == NGRAM_WITTEN_BELL || a >= 3)
                h->n3 += 1;
            else if (a >= 2)
                h->n2 += 1;
            else
                h->n1 += 1;
        }
    }
    /* 5. probabilities, lowest order first; backoff weights of histories. */
    double uniform = 1.0 / (lm->nvocab - 1); /* every word but <s> */
    int hkey[NGRAM_MAX_ORDER];
    for (int k = 1; k <= order; k++) {
        for (int i = 0; i < lm->g[k].n; i++) {
            const int *key = lm->g[k].keys + (size_t)i * k;
            if (k == 1 && key[0] == lm->bos) {
                lm->logp[1][i] = -99;
                continue;
            }
            int j = k == 1 ? 0 : gtab_find(&lm->g[k - 1], key);
            const hist_stats *h = &hist[k][j];
            double lower = k == 1 ? uniform : pow(10.0, ngram_prob(lm, key + 1, k - 2, key[k - 1]));
            double a = adj[k][i], p;
            if (method == NGRAM_WITTEN_BELL) {
                double T = h->n3;
                p = (a + T * lower) / (h->sum + T);
            } else {
                double d = a >= 3 ? D[k][3] : D[k][a >= 2 ? 2 : 1];
                double g = (D[k][1] * h->n1 + D[k][2] * h->n2 + D[k][3] * h->n3) / h->sum;
                p = (a - d) / h->sum + g * lower;
            }
            lm->logp[k][i] = (float)log10(p);
        }
        /* Backoff weight of each history of order k (a (k-1)-gram), stored on
         * that (k-1)-gram; the empty history's weight is folded into the
         * unigrams (their probabilities already include it). */
        if (k == 1) continue;
        for (int j = 0; j < lm->g[k - 1].n; j++) {
            const hist_stats *h = &hist[k][j];
            if (h->sum <= 0) continue;
            double g = method == NGRAM_WITTEN_BELL
                           ? h->n3 / (h->sum + h->n3)
                           : (D[k][1] * h->n1 + D[k][2] * h->n2 + D[k][3] * h->n3) / h->sum;
            lm->bow[k - 1][j] = (float)log10(g);
        }
    }
    (void)hkey;
    for (int k = 1; k <= order; k++) {
        free(count[k]);
        free(adj[k]);
        free(hist[k]);
    }
    return lm;
}

/* ---- scoring ---- */

float ngram_prob(const ngram_lm *lm, const int *h, int nh, int w)
{
    if (w < 0) {
        if (lm->unk < 0) return -99.0f;
        w = lm->unk;
    }
    if (nh > lm->order - 1) {
        h += nh - (lm->order - 1);
        nh = lm->order - 1;
    }
    /* Longest first: p(w | h) = p(h w) if present, else bow(h) p(w | h'). */
    float back = 0;
    int key[NGRAM_MAX_ORDER];
    for (int start = 0; start <= nh; start++) {
        int k = nh - start + 1;
        if (k > 1) memcpy(key, h + start, sizeof(int) * (size_t)(k - 1)); /* h may be NULL */
        key[k - 1] = w;
        int i = gtab_find(&lm->g[k], key);
        if (i >= 0) return back + lm->logp[k][i];
        if (k > 1) {
            int j = gtab_find(&lm->g[k - 1], h + start);
            if (j >= 0) back += lm->bow[k - 1][j];
        }
    }
    return back - 99.0f; /* a word outside the vocabulary and no <unk> */
}

/* Key of state S: its order and ids. */
static const int *state_key(const ngram_lm *lm, int s, int *k)
{
    int o = 1;
    while (o < lm->order && s >= lm->offset[o + 1]) o++;
    *k = o;
    return lm->g[o].keys + (size_t)(s - lm->offset[o]) * o;
}

int ngram_start(const ngram_lm *lm)
{
    return lm->offset[1] + gtab_find(&lm->g[1], &lm->bos);
}

float ngram_score(const ngram_lm *lm, int state, int word, int *next)
{
    int k;
    const int *h = state_key(lm, state, &k);
    int w = word >= 0 ? word : lm->unk;
    float lp = ngram_prob(lm, h, k, word);
    /* Next state: the longest suffix of (h w), at most order-1 long, that is
     * an n-gram of the model. */
    int seq[NGRAM_MAX_ORDER + 1];
    memcpy(seq, h, sizeof(int) * (size_t)k);
    seq[k] = w;
    int len = k + 1, maxk = lm->order - 1 < 1 ? 1 : lm->order - 1;
    *next = ngram_start(lm);
    for (int kk = len < maxk ? len : maxk; kk >= 1; kk--) {
        if (w < 0) break;
        int i = gtab_find(&lm->g[kk], seq + len - kk);
        if (i >= 0) {
            *next = lm->offset[kk] + i;
            break;
        }
    }
    return lp;
}

/* ---- ARPA ---- */

int ngram_write_arpa(const ngram_lm *lm, FILE *out)
{
    fprintf(out, "\n\\data\\\n");
    for (int k = 1; k <= lm->order; k++) fprintf(out, "ngram %d=%d\n", k, lm->g[k].n);
    for (int k = 1; k <= lm->order; k++) {
        fprintf(out, "\n\\%d-grams:\n", k);
        for (int i = 0; i < lm->g[k].n; i++) {
            const int *key = lm->g[k].keys + (size_t)i * k;
            fprintf(out, "%.7g\t", lm->logp[k][i]);
            for (int j = 0; j < k; j++) fprintf(out, "%s%s", j ? " " : "", lm->vocab[key[j]]);
            if (k < lm->order) fprintf(out, "\t%.7g", lm->bow[k][i]);
            fputc('\n', out);
        }
    }
    fprintf(out, "\n\\end\\\n");
    return ferror(out) ? asr_error("write error") : 0;
}

char *ngram_arpa_text(const ngram_lm *lm)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return xstrdup("");
    ngram_write_arpa(lm, f);
    fclose(f);
    return buf;
}

static ngram_lm *read_arpa(line_reader lr, const char *path);

ngram_lm *ngram_read_arpa(const char *path)
{
    line_reader lr;
    if (line_reader_open(&lr, path) < 0) return NULL;
    return read_arpa(lr, path);
}

ngram_lm *ngram_read_arpa_text(const char *text, const char *name)
{
    line_reader lr;
    if (line_reader_open_text(&lr, text, name) < 0) return NULL;
    return read_arpa(lr, name);
}

static ngram_lm *read_arpa(line_reader lr, const char *path)
{
    int counts[NGRAM_MAX_ORDER + 1] = {0}, order = 0, section = -1;
    ngram_lm *lm = NULL;
    char *line;
    int got[NGRAM_MAX_ORDER + 1] = {0};
    while ((line = line_reader_next(&lr))) {
        while (isspace((unsigned char)*line)) line++;
        if (!*line) continue;
        if (!strcmp(line, "\\data\\")) {
            section = 0;
            continue;
        }
        if (!strcmp(line, "\\end\\")) {
            section = -2;
            break;
        }
        int k;
        if (sscanf(line, "\\%d-grams:", &k) == 1) {
            if (k < 1 || k > order) {
                asr_error("%s:%ld: section \\%d-grams: not announced in \\data\\", path, lr.lineno,
                          k);
                goto fail;
            }
            if (!lm) {
                lm = lm_new(order);
                for (int o = 1; o <= order; o++) {
                    lm->logp[o] = xcalloc((size_t)(counts[o] ? counts[o] : 1), sizeof(float));
                    lm->bow[o] = xcalloc((size_t)(counts[o] ? counts[o] : 1), sizeof(float));
                }
            }
            section = k;
            continue;
        }
        if (section == 0) {
            int c;
            if (sscanf(line, "ngram %d=%d", &k, &c) != 2 || k < 1 || k > NGRAM_MAX_ORDER || c < 0) {
                asr_error("%s:%ld: expected 'ngram N=COUNT' (N <= %d)", path, lr.lineno,
                          NGRAM_MAX_ORDER);
                goto fail;
            }
            counts[k] = c;
            if (k > order) order = k;
            continue;
        }
        if (section < 1) {
            if (section == -1) continue; /* text before \data\ is a comment */
            asr_error("%s:%ld: unexpected line", path, lr.lineno);
            goto fail;
        }
        /* logp w1 .. wk [bow] */
        char *f[NGRAM_MAX_ORDER + 2];
        int nf = split_fields(line, f, NGRAM_MAX_ORDER + 2);
        char *end;
        float lp = strtof(f[0], &end);
        if (*end || (nf != section + 1 && nf != section + 2)) {
            asr_error("%s:%ld: expected 'LOG10PROB %d words [BACKOFF]'", path, lr.lineno, section);
            goto fail;
        }
        int key[NGRAM_MAX_ORDER];
        for (int j = 0; j < section; j++) {
            key[j] = section == 1 ? add_word(lm, f[1 + j]) : ngram_word_id(lm, f[1 + j]);
            if (key[j] < 0) {
                asr_error("%s:%ld: word '%s' is not among the unigrams", path, lr.lineno, f[1 + j]);
                goto fail;
            }
        }
        int added, i = gtab_add(&lm->g[section], key, &added);
        if (!added || i >= counts[section]) {
            asr_error("%s:%ld: %s", path, lr.lineno,
                      added ? "more n-grams than \\data\\ announced" : "duplicate n-gram");
            goto fail;
        }
        lm->logp[section][i] = lp;
        if (nf == section + 2) {
            lm->bow[section][i] = strtof(f[nf - 1], &end);
            if (*end) {
                asr_error("%s:%ld: bad backoff weight '%s'", path, lr.lineno, f[nf - 1]);
                goto fail;
            }
        }
        got[section]++;
    }
    if (section != -2 || !lm) {
        asr_error("%s: not a complete ARPA file (no \\end\\ or no n-gram sections)", path);
        goto fail;
    }
    for (int k = 1; k <= order; k++)
        if (got[k] != counts[k]) {
            asr_error("%s: \\data\\ announces %d %d-grams, the file has %d", path, counts[k], k,
                      got[k]);
            goto fail;
        }
    line_reader_close(&lr);
    lm->offset[1] = 0;
    for (int k = 1; k <= order; k++) lm->offset[k + 1] = lm->offset[k] + lm->g[k].n;
    lm->unk = ngram_word_id(lm, "<unk>");
    if (gtab_find(&lm->g[1], &lm->bos) < 0) {
        asr_error("%s: no <s> unigram", path);
        ngram_free(lm);
        return NULL;
    }
    return lm;
fail:
    line_reader_close(&lr);
    ngram_free(lm);
    return NULL;
}
