/* ngram.c — n-gram estimation (modified Kneser-Ney, Witten-Bell), ARPA I/O and
 * backoff scoring; the math is in ngram.h. */
#include "decode/ngram.h"

#include "base/alloc.h"
#include "base/error.h"
#include "base/fileio.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- a hash table of k-grams (k word ids each) ---- */

typedef struct {
    int k, n, cap;
    int *keys;  /* n * k ids */
    int *slots; /* nslots entries: index or -1 */
    int nslots;
} gtab;

/* The tables index by the low bits of a hash. FNV's low bits depend only on
 * the low bits of its input, so words chosen by a hostile ARPA file could
 * all land in one probe chain (quadratic loading); murmur3's finaliser makes
 * every output bit depend on every input bit. */
static unsigned mix(unsigned h)
{
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

static unsigned hash_key(const int *key, int k)
{
    unsigned h = 2166136261u;
    for (int i = 0; i < k; i++) {
        h ^= (unsigned)key[i] + 0x9e3779b9u;
        h *= 16777619u;
    }
    return mix(h);
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
    return mix(h);
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

/* What estimation works with, per order k: raw counts, adjusted (KN
 * continuation) counts, three discounts, and each history's statistics. */
typedef struct {
    ngram_lm *lm;
    int order;
    ngram_method method;
    double *count[NGRAM_MAX_ORDER + 1], *adj[NGRAM_MAX_ORDER + 1];
    int cap[NGRAM_MAX_ORDER + 1];
    double D[NGRAM_MAX_ORDER + 1][4];
    hist_stats *hist[NGRAM_MAX_ORDER + 1];
} estimate;

/* 1. Raw counts of every k-gram of every <s> w1 .. wn </s>. */
static void count_ngrams(estimate *e, char *const *sentences, int n)
{
    ngram_lm *lm = e->lm;
    int *ids = xmalloc(sizeof(int) * 64), idcap = 64;
    for (int s = 0; s < n; s++) {
        char *copy = xstrdup(sentences[s]), *save = NULL;
        int len = 0;
        ids[len++] = lm->bos;
        for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
            if (len + 2 > idcap) ids = xrealloc(ids, sizeof(int) * (size_t)(idcap *= 2));
            ids[len++] = add_word(lm, w);
        }
        ids[len++] = lm->eos;
        free(copy);
        for (int k = 1; k <= e->order; k++)
            for (int i = 0; i + k <= len; i++) {
                /* <s> alone is counted once per sentence as a unigram. */
                int idx = gtab_add(&lm->g[k], ids + i, NULL);
                if (idx >= e->cap[k]) {
                    int nc = e->cap[k] ? 2 * e->cap[k] : 256;
                    while (nc <= idx) nc *= 2;
                    e->count[k] = xrealloc(e->count[k], sizeof(double) * (size_t)nc);
                    memset(e->count[k] + e->cap[k], 0, sizeof(double) * (size_t)(nc - e->cap[k]));
                    e->cap[k] = nc;
                }
                e->count[k][idx] += 1;
            }
    }
    free(ids);
}

/* 2. Adjusted counts: continuation counts below the top order (KN); n-grams
 * starting with <s> keep raw counts (they have no left context). */
static void adjust_counts(estimate *e)
{
    ngram_lm *lm = e->lm;
    for (int k = 1; k <= e->order; k++) {
        e->adj[k] = xcalloc((size_t)(lm->g[k].n ? lm->g[k].n : 1), sizeof(double));
        if (e->method == NGRAM_WITTEN_BELL || k == e->order) {
            memcpy(e->adj[k], e->count[k], sizeof(double) * (size_t)lm->g[k].n);
            continue;
        }
        for (int i = 0; i < lm->g[k + 1].n; i++) {
            int j = gtab_find(&lm->g[k], lm->g[k + 1].keys + (size_t)i * (k + 1) + 1);
            e->adj[k][j] += 1;
        }
        for (int i = 0; i < lm->g[k].n; i++)
            if (lm->g[k].keys[(size_t)i * k] == lm->bos) e->adj[k][i] = e->count[k][i];
    }
}

/* 3. Discounts per order from count-of-counts (ngram.h). */
static void discounts(estimate *e)
{
    for (int k = 1; k <= e->order; k++) {
        double nn[5] = {0};
        for (int i = 0; i < e->lm->g[k].n; i++) {
            double a = e->adj[k][i];
            if (a >= 1 && a <= 4 && a == floor(a)) nn[(int)a] += 1;
        }
        double Y = nn[1] + 2 * nn[2] > 0 ? nn[1] / (nn[1] + 2 * nn[2]) : 0;
        double d1 = nn[1] > 0 ? 1 - 2 * Y * nn[2] / nn[1] : -1;
        double d2 = nn[2] > 0 ? 2 - 3 * Y * nn[3] / nn[2] : -1;
        double d3 = nn[3] > 0 ? 3 - 4 * Y * nn[4] / nn[3] : -1;
        e->D[k][1] = d1 > 0 && d1 < 1 ? d1 : 0.5;
        e->D[k][2] = d2 > 0 && d2 < 2 ? d2 : 1.0;
        e->D[k][3] = d3 > 0 && d3 < 3 ? d3 : 1.5;
    }
}

/* 4. History statistics: hist[k][j] for the (k-1)-gram j as history of
 * order k (k = 1: the empty history, one entry). */
static void history_stats(estimate *e)
{
    ngram_lm *lm = e->lm;
    for (int k = 1; k <= e->order; k++) {
        int nh = k == 1 ? 1 : lm->g[k - 1].n;
        e->hist[k] = xcalloc((size_t)nh, sizeof(hist_stats));
        for (int i = 0; i < lm->g[k].n; i++) {
            const int *key = lm->g[k].keys + (size_t)i * k;
            if (k == 1 && key[0] == lm->bos) continue; /* <s> is never predicted */
            int j = k == 1 ? 0 : gtab_find(&lm->g[k - 1], key);
            hist_stats *h = &e->hist[k][j];
            double a = e->adj[k][i];
            h->sum += a;
            if (e->method == NGRAM_WITTEN_BELL || a >= 3)
                h->n3 += 1;
            else if (a >= 2)
                h->n2 += 1;
            else
                h->n1 += 1;
        }
    }
}

/* The interpolated probability of k-gram I given its history's H. */
static double interpolated(const estimate *e, int k, int i, const hist_stats *h, double lower)
{
    const double *D = e->D[k];
    double a = e->adj[k][i];
    if (e->method == NGRAM_WITTEN_BELL) return (a + h->n3 * lower) / (h->sum + h->n3);
    double d = a >= 3 ? D[3] : D[a >= 2 ? 2 : 1];
    double g = (D[1] * h->n1 + D[2] * h->n2 + D[3] * h->n3) / h->sum;
    return (a - d) / h->sum + g * lower;
}

/* 5. Probabilities, lowest order first (a k-gram interpolates with its
 * (k-1)-gram's, already computed); backoff weights of histories. */
static void probabilities(estimate *e)
{
    ngram_lm *lm = e->lm;
    double uniform = 1.0 / (lm->nvocab - 1); /* every word but <s> */
    for (int k = 1; k <= e->order; k++) {
        for (int i = 0; i < lm->g[k].n; i++) {
            const int *key = lm->g[k].keys + (size_t)i * k;
            if (k == 1 && key[0] == lm->bos) {
                lm->logp[1][i] = -99;
                continue;
            }
            int j = k == 1 ? 0 : gtab_find(&lm->g[k - 1], key);
            double lower = k == 1 ? uniform : pow(10.0, ngram_prob(lm, key + 1, k - 2, key[k - 1]));
            double p = interpolated(e, k, i, &e->hist[k][j], lower);
            /* p is at most 1 in exact arithmetic; rounding can put it a hair
             * above (a history with one continuation), and the ARPA reader
             * refuses a log-probability above 0. */
            lm->logp[k][i] = p < 1 ? (float)log10(p) : 0.0f;
        }
        /* Backoff weight of each history of order k (a (k-1)-gram), stored on
         * that (k-1)-gram; the empty history's weight is folded into the
         * unigrams (their probabilities already include it). */
        for (int j = 0; k > 1 && j < lm->g[k - 1].n; j++) {
            const hist_stats *h = &e->hist[k][j];
            const double *D = e->D[k];
            if (h->sum <= 0) continue;
            double g = e->method == NGRAM_WITTEN_BELL
                           ? h->n3 / (h->sum + h->n3)
                           : (D[1] * h->n1 + D[2] * h->n2 + D[3] * h->n3) / h->sum;
            lm->bow[k - 1][j] = (float)log10(g);
        }
    }
}

ngram_lm *ngram_estimate(char *const *sentences, int n, int order, ngram_method method)
{
    if (order < 1 || order > NGRAM_MAX_ORDER) {
        asr_error("n-gram order %d: expected 1..%d", order, NGRAM_MAX_ORDER);
        return NULL;
    }
    estimate e;
    memset(&e, 0, sizeof e);
    e.lm = lm_new(order);
    e.order = order;
    e.method = method;
    count_ngrams(&e, sentences, n);
    lm_finish(e.lm);
    adjust_counts(&e);
    discounts(&e);
    history_stats(&e);
    probabilities(&e);
    for (int k = 1; k <= order; k++) {
        free(e.count[k]);
        free(e.adj[k]);
        free(e.hist[k]);
    }
    return e.lm;
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

/* ---- ARPA reading ----
 *
 * The format:
 *     (anything: a comment)
 *     \data\
 *     ngram 1=C1 ... ngram N=CN
 *     \1-grams:   LOG10PROB w1 [BACKOFF]          C1 lines
 *     ...
 *     \N-grams:   LOG10PROB w1 .. wN [BACKOFF]    CN lines
 *     \end\
 * An ARPA file comes from outside (--lm, a model file's "lm" section), so
 * everything in it is checked as it is read, and every fault names
 * FILE:LINE: exactly one \data\ block, before any section; each order
 * 1..N announced once; sections 1..N each once and in that order, each with
 * exactly its announced count of lines; words of higher orders among the
 * unigrams; log-probabilities finite and <= 0 (probabilities), backoff
 * weights finite. No memory is sized by an announced count: the arrays grow
 * with the lines actually read, so a file can only cost memory in
 * proportion to its own length, and a count above ARPA_MAX_COUNT is refused
 * outright (it also keeps the state ids, offset[k] + index, inside an int). */

#define ARPA_MAX_COUNT (1 << 27)

typedef struct {
    line_reader lr;
    const char *path;
    ngram_lm *lm;
    long counts[NGRAM_MAX_ORDER + 1]; /* announced; -1: not announced */
    int got[NGRAM_MAX_ORDER + 1];     /* read so far */
    int cap[NGRAM_MAX_ORDER + 1];     /* allocated entries of logp[k], bow[k] */
    int order;                        /* the highest order announced */
    int section;                      /* the section being read, 0 before the first */
} arpa_reader;

/* Record "PATH:LINE: message" and return -1. */
static int arpa_fail(const arpa_reader *r, const char *fmt, ...) ASR_PRINTF(2, 3);
static int arpa_fail(const arpa_reader *r, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return asr_error("%s:%ld: %s", r->path, r->lr.lineno, msg);
}

/* A decimal count of digits only at *P (no sign, no space), advancing *P;
 * -1 when there are no digits, -2 when it exceeds LIMIT (strtol's ERANGE
 * included, so no value ever wraps). */
static int parse_count(const char **p, long limit, long *out)
{
    if (!isdigit((unsigned char)**p)) return -1;
    char *end;
    errno = 0;
    long v = strtol(*p, &end, 10);
    *p = end;
    if (errno == ERANGE || v > limit) return -2;
    *out = v;
    return 0;
}

/* "K-grams:" after the backslash of a section header: K, or -1. */
static int section_order(const char *s)
{
    long k;
    if (parse_count(&s, 1000, &k) < 0 || strcmp(s, "-grams:") != 0) return -1;
    return (int)k;
}

/* A number of an n-gram line: finite, and representable as a float (strtof
 * would turn 1e400 into inf, and a double beyond FLT_MAX does not convert). */
static int parse_weight(const char *s, float *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v) || fabs(v) > FLT_MAX) return -1;
    *out = (float)v;
    return 0;
}

/* "ngram K=COUNT" of the \data\ block. */
static int read_count_line(arpa_reader *r, const char *line)
{
    const char *p = line;
    if (strncmp(p, "ngram", 5) != 0 || (p[5] != ' ' && p[5] != '\t'))
        return arpa_fail(r, "expected 'ngram N=COUNT' in the \\data\\ block, got '%s'",
                         asr_quote(line));
    p += 5;
    while (*p == ' ' || *p == '\t') p++;
    long k, c;
    const char *num = p;
    int e = parse_count(&p, NGRAM_MAX_ORDER, &k);
    if (e == -1 || *p != '=')
        return arpa_fail(r, "expected 'ngram N=COUNT' in the \\data\\ block, got '%s'",
                         asr_quote(line));
    if (e == -2 || k < 1)
        return arpa_fail(r, "n-gram order %.*s: this reader supports orders 1 to %d",
                         (int)(p - num), num, NGRAM_MAX_ORDER);
    p++;
    num = p;
    e = parse_count(&p, ARPA_MAX_COUNT, &c);
    if (e == -1 || *p)
        return arpa_fail(r, "'%s': the count must be a non-negative decimal integer",
                         asr_quote(line));
    if (e == -2)
        return arpa_fail(r, "ngram %ld=%.*s: more than the limit of %d (2^27) n-grams per order", k,
                         (int)(p - num), num, ARPA_MAX_COUNT);
    if (r->counts[k] >= 0) return arpa_fail(r, "ngram %ld= announced twice", k);
    if (k == 1 && c == 0) return arpa_fail(r, "ngram 1=0: a model needs unigrams");
    r->counts[k] = c;
    if (k > r->order) r->order = (int)k;
    return 0;
}

/* The section header "\K-grams:": sections come in order 1..N, each after
 * the previous one's announced lines. */
static int start_section(arpa_reader *r, int k)
{
    if (r->section > 0 && r->got[r->section] != r->counts[r->section])
        return arpa_fail(r, "\\data\\ announces %ld %d-grams, the file has %d",
                         r->counts[r->section], r->section, r->got[r->section]);
    if (r->section == 0) {
        /* The end of \data\: every order up to the highest announced once. */
        if (r->order == 0) return arpa_fail(r, "the \\data\\ block announces no n-gram counts");
        for (int o = 1; o <= r->order; o++)
            if (r->counts[o] < 0)
                return arpa_fail(r, "the \\data\\ block announces %d-grams but no 'ngram %d='",
                                 r->order, o);
        r->lm = lm_new(r->order);
    }
    if (k > r->order)
        return arpa_fail(r, "section \\%d-grams: not announced in \\data\\ (it goes up to %d)", k,
                         r->order);
    if (k != r->section + 1)
        return arpa_fail(r,
                         "section \\%d-grams: where \\%d-grams: was expected (sections go "
                         "1..N, each once)",
                         k, r->section + 1);
    r->section = k;
    return 0;
}

/* One line "LOG10PROB w1 .. wK [BACKOFF]" of section K. */
static int read_ngram(arpa_reader *r, char *line)
{
    int k = r->section;
    ngram_lm *lm = r->lm;
    /* One field more than a valid line can have, so an extra one is seen. */
    char *f[NGRAM_MAX_ORDER + 3];
    int nf = split_fields(line, f, NGRAM_MAX_ORDER + 3);
    if (nf != k + 1 && nf != k + 2)
        return arpa_fail(r, "expected 'LOG10PROB %d word%s [BACKOFF]', got %d fields", k,
                         k > 1 ? "s" : "", nf);
    float lp, bow = 0;
    if (parse_weight(f[0], &lp) < 0 || lp > 0)
        return arpa_fail(r, "log10 probability '%s': expected a finite number <= 0",
                         asr_quote(f[0]));
    if (nf == k + 2 && parse_weight(f[nf - 1], &bow) < 0)
        return arpa_fail(r, "backoff weight '%s': expected a finite number", asr_quote(f[nf - 1]));
    if (r->got[k] >= r->counts[k])
        return arpa_fail(r, "more %d-grams than the %ld \\data\\ announces", k, r->counts[k]);
    int key[NGRAM_MAX_ORDER];
    for (int j = 0; j < k; j++) {
        int id = k == 1 ? add_word(lm, f[1 + j]) : ngram_word_id(lm, f[1 + j]);
        /* <s> and </s> are in the vocabulary from the start: a unigram of
         * its own is what makes a word usable in a longer n-gram. */
        if (id < 0 || (k > 1 && gtab_find(&lm->g[1], &id) < 0))
            return arpa_fail(r, "word '%s' is not among the unigrams", asr_quote(f[1 + j]));
        key[j] = id;
    }
    int added, i = gtab_add(&lm->g[k], key, &added);
    if (!added) return arpa_fail(r, "duplicate %d-gram", k);
    if (i >= r->cap[k]) {
        r->cap[k] = r->cap[k] ? 2 * r->cap[k] : 64;
        lm->logp[k] = xrealloc(lm->logp[k], sizeof(float) * (size_t)r->cap[k]);
        lm->bow[k] = xrealloc(lm->bow[k], sizeof(float) * (size_t)r->cap[k]);
    }
    lm->logp[k][i] = lp;
    lm->bow[k][i] = bow;
    r->got[k]++;
    return 0;
}

/* After \end\: every section read, with all its lines, and a <s> unigram
 * (the start state every search begins from). */
static int arpa_finish(arpa_reader *r)
{
    if (r->section == 0) return arpa_fail(r, "\\end\\ before any n-gram section");
    if (r->got[r->section] != r->counts[r->section])
        return arpa_fail(r, "\\data\\ announces %ld %d-grams, the file has %d",
                         r->counts[r->section], r->section, r->got[r->section]);
    if (r->section != r->order)
        return arpa_fail(r, "\\end\\ after \\%d-grams:, but \\data\\ announces %d-grams",
                         r->section, r->order);
    ngram_lm *lm = r->lm;
    if (gtab_find(&lm->g[1], &lm->bos) < 0)
        return arpa_fail(r, "no <s> unigram (every sentence starts from it)");
    lm->offset[1] = 0;
    for (int k = 1; k <= lm->order; k++) lm->offset[k + 1] = lm->offset[k] + lm->g[k].n;
    lm->unk = ngram_word_id(lm, "<unk>");
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) s[--n] = '\0';
    return s;
}

static ngram_lm *read_arpa(arpa_reader *r)
{
    for (int k = 0; k <= NGRAM_MAX_ORDER; k++) r->counts[k] = -1;
    enum { BEFORE_DATA, IN_DATA, IN_SECTIONS } where = BEFORE_DATA;
    int rc = -1, ended = 0;
    char *line;
    while ((line = line_reader_next(&r->lr))) {
        line = trim(line);
        if (!*line) continue;
        if (where == BEFORE_DATA) {
            /* Text before \data\ is a comment. */
            if (!strcmp(line, "\\data\\")) where = IN_DATA;
            continue;
        }
        if (line[0] == '\\') {
            int k = section_order(line + 1);
            if (!strcmp(line, "\\data\\")) {
                arpa_fail(r, "a second \\data\\ block (an ARPA file has one, before its "
                             "sections)");
                goto done;
            }
            if (!strcmp(line, "\\end\\")) {
                if (where == IN_DATA) {
                    arpa_fail(r, "\\end\\ before any n-gram section");
                    goto done;
                }
                if (arpa_finish(r) < 0) goto done;
                ended = 1;
                break;
            }
            if (k < 0) {
                arpa_fail(r, "unknown section header '%s'", asr_quote(line));
                goto done;
            }
            if (start_section(r, k) < 0) goto done;
            where = IN_SECTIONS;
            continue;
        }
        if ((where == IN_DATA ? read_count_line(r, line) : read_ngram(r, line)) < 0) goto done;
    }
    if (line_reader_error(&r->lr) < 0) goto done; /* the message names FILE:LINE */
    if (!ended) {
        arpa_fail(r, "not a complete ARPA file (%s)",
                  where == BEFORE_DATA ? "no \\data\\ block" : "no \\end\\ line");
        goto done;
    }
    rc = 0;
done:
    line_reader_close(&r->lr);
    if (rc < 0) {
        ngram_free(r->lm);
        return NULL;
    }
    return r->lm;
}

ngram_lm *ngram_read_arpa(const char *path)
{
    arpa_reader r = {.path = path};
    if (line_reader_open(&r.lr, path) < 0) return NULL;
    return read_arpa(&r);
}

ngram_lm *ngram_read_arpa_text(const char *text, const char *name)
{
    arpa_reader r = {.path = name};
    if (line_reader_open_text(&r.lr, text, name) < 0) return NULL;
    return read_arpa(&r);
}
