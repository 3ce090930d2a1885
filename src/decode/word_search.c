/* word_search.c — lexicon-tree x n-gram CTC beam search; see word_search.h. */
#include "decode/word_search.h"

#include "base/alloc.h"
#include "base/error.h"
#include "decode/ctc_times.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LN10 2.302585092994046

typedef struct {
    int parent, phone; /* phone: 1-based id of the edge into this node */
    int first_child, next_sibling;
    int first_word, nwords; /* words ending here: ends[first_word .. +nwords) */
} tree_node;

struct word_search {
    const lexicon *lex;
    const ngram_lm *lm;
    tree_node *nodes;
    int nnodes;
    int *ends;  /* lexicon entry indices */
    int *lm_id; /* per lexicon entry: LM word id or -1 */
};

static int child(const word_search *ws, int node, int phone)
{
    for (int c = ws->nodes[node].first_child; c >= 0; c = ws->nodes[c].next_sibling)
        if (ws->nodes[c].phone == phone) return c;
    return -1;
}

word_search *word_search_create(const lexicon *lex, const ngram_lm *lm)
{
    word_search *ws = xcalloc(1, sizeof *ws);
    ws->lex = lex;
    ws->lm = lm;
    int cap = 64, npron = 0;
    ws->nodes = xmalloc(sizeof(tree_node) * (size_t)cap);
    ws->nodes[0] = (tree_node){-1, 0, -1, -1, 0, 0};
    ws->nnodes = 1;
    for (int i = 0; i < lex->n; i++) npron += lex->e[i].npron;
    /* Build the tree, remembering which node each pronunciation ends at. */
    int *end_node = xmalloc(sizeof(int) * (size_t)(npron ? npron : 1));
    int *end_word = xmalloc(sizeof(int) * (size_t)(npron ? npron : 1));
    int k = 0;
    for (int i = 0; i < lex->n; i++)
        for (int p = 0; p < lex->e[i].npron; p++) {
            int node = 0;
            for (int j = 0; j < lex->e[i].pron_len[p]; j++) {
                int ph = lex->e[i].pron[p][j] + 1, c = child(ws, node, ph);
                if (c < 0) {
                    if (ws->nnodes == cap)
                        ws->nodes = xrealloc(ws->nodes, sizeof(tree_node) * (size_t)(cap *= 2));
                    c = ws->nnodes++;
                    ws->nodes[c] = (tree_node){node, ph, -1, ws->nodes[node].first_child, 0, 0};
                    ws->nodes[node].first_child = c;
                }
                node = c;
            }
            end_node[k] = node;
            end_word[k++] = i;
        }
    /* Group word ends by node: a counting sort, stable in pronunciation
     * order, so O(nodes + pronunciations) even for a CMUdict-sized (or a
     * hostile) lexicon. The root ends no word (an empty pronunciation). */
    int *start = xcalloc((size_t)ws->nnodes + 1, sizeof(int));
    for (int j = 0; j < npron; j++)
        if (end_node[j] != 0) start[end_node[j] + 1]++;
    for (int n = 0; n < ws->nnodes; n++) start[n + 1] += start[n];
    int *bucket = xmalloc(sizeof(int) * (size_t)(npron ? npron : 1));
    int *fill = xcalloc((size_t)ws->nnodes, sizeof(int));
    for (int j = 0; j < npron; j++)
        if (end_node[j] != 0) bucket[start[end_node[j]] + fill[end_node[j]]++] = end_word[j];
    ws->ends = xmalloc(sizeof(int) * (size_t)(npron ? npron : 1));
    int pos = 0;
    for (int n = 0; n < ws->nnodes; n++) {
        ws->nodes[n].first_word = pos;
        /* A word's pronunciations are consecutive, so the same word twice at
         * one node (equal alternates) is two neighbours: kept once. */
        for (int q = start[n]; q < start[n + 1]; q++)
            if (q == start[n] || bucket[q] != bucket[q - 1]) ws->ends[pos++] = bucket[q];
        ws->nodes[n].nwords = pos - ws->nodes[n].first_word;
    }
    free(start);
    free(bucket);
    free(fill);
    free(end_node);
    free(end_word);
    ws->lm_id = xmalloc(sizeof(int) * (size_t)(lex->n ? lex->n : 1));
    for (int i = 0; i < lex->n; i++) ws->lm_id[i] = lm ? ngram_word_id(lm, lex->e[i].word) : -1;
    return ws;
}

void word_search_free(word_search *ws)
{
    if (!ws) return;
    free(ws->nodes);
    free(ws->ends);
    free(ws->lm_id);
    free(ws);
}

/* ---- word histories: a trie of (previous history, word, end node) ---- */

typedef struct {
    int parent, word, node, lm_state;
} hist_entry;

typedef struct {
    hist_entry *e;
    int n, cap;
    int *slots, nslots;
} hist_trie;

static unsigned hist_hash(int parent, int word, int node)
{
    return ((unsigned)parent * 2654435761u) ^ ((unsigned)word * 40503u) ^ ((unsigned)node * 97u);
}

static int hist_get(hist_trie *h, int parent, int word, int node, int lm_state)
{
    unsigned m = (unsigned)h->nslots - 1;
    unsigned s = hist_hash(parent, word, node) & m;
    for (; h->slots[s] >= 0; s = (s + 1) & m) {
        const hist_entry *e = &h->e[h->slots[s]];
        if (e->parent == parent && e->word == word && e->node == node) return h->slots[s];
    }
    if (h->n == h->cap) h->e = xrealloc(h->e, sizeof(hist_entry) * (size_t)(h->cap *= 2));
    h->e[h->n] = (hist_entry){parent, word, node, lm_state};
    h->slots[s] = h->n;
    if (2 * (h->n + 1) > h->nslots) {
        int ns = h->nslots * 2;
        int *slots = xmalloc(sizeof(int) * (size_t)ns);
        memset(slots, -1, sizeof(int) * (size_t)ns);
        for (int i = 0; i <= h->n; i++) {
            unsigned q = hist_hash(h->e[i].parent, h->e[i].word, h->e[i].node) & (unsigned)(ns - 1);
            while (slots[q] >= 0) q = (q + 1) & (unsigned)(ns - 1);
            slots[q] = i;
        }
        free(h->slots);
        h->slots = slots;
        h->nslots = ns;
    }
    return h->n++;
}

/* ---- hypotheses ---- */

typedef struct {
    int node, last, hist;
    double pb, pnb; /* log P(ends in blank), log P(ends in a phone) */
    double lm;      /* LM and penalty score so far */
    /* Back-pointer (ctc_times.h): the path record of the last phone, or with
     * FRESH its parent's, phone LAST emitted this frame (recorded when the
     * hypothesis survives); IN: the largest term summed in this frame. */
    int tok, fresh;
    double in;
} hyp;

/* Term S, from record TOK (FRESH: this frame's phone after it), summed into
 * H: the back-pointer follows the largest term. */
static inline void take(hyp *h, double s, int tok, int fresh)
{
    if (s > h->in) {
        h->in = s;
        h->tok = tok;
        h->fresh = fresh;
    }
}

static double lse(double a, double b)
{
    if (a == -INFINITY) return b;
    if (b == -INFINITY) return a;
    return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b));
}

/* Hypotheses of one frame, merged by (node, last, hist). */
typedef struct {
    hyp *h;
    int n, cap;
    int *slots, nslots;
} hyp_set;

static void set_clear(hyp_set *s, int expect)
{
    int need = 64;
    while (need < 4 * expect) need *= 2;
    if (need > s->nslots) {
        free(s->slots);
        s->slots = xmalloc(sizeof(int) * (size_t)need);
        s->nslots = need;
    }
    memset(s->slots, -1, sizeof(int) * (size_t)s->nslots);
    s->n = 0;
}

static hyp *set_get(hyp_set *s, int node, int last, int hist, double lm)
{
    unsigned m = (unsigned)s->nslots - 1;
    unsigned q =
        (((unsigned)node * 2654435761u) ^ ((unsigned)last * 97u) ^ ((unsigned)hist * 40503u)) & m;
    for (; s->slots[q] >= 0; q = (q + 1) & m) {
        hyp *h = &s->h[s->slots[q]];
        if (h->node == node && h->last == last && h->hist == hist) return h;
    }
    if (2 * (s->n + 1) > s->nslots) {
        /* Grow and rehash, then look again. */
        int ns = s->nslots * 2;
        free(s->slots);
        s->slots = xmalloc(sizeof(int) * (size_t)ns);
        memset(s->slots, -1, sizeof(int) * (size_t)ns);
        s->nslots = ns;
        for (int i = 0; i < s->n; i++) {
            hyp *h = &s->h[i];
            unsigned r = (((unsigned)h->node * 2654435761u) ^ ((unsigned)h->last * 97u) ^
                          ((unsigned)h->hist * 40503u)) &
                         (unsigned)(ns - 1);
            while (s->slots[r] >= 0) r = (r + 1) & (unsigned)(ns - 1);
            s->slots[r] = i;
        }
        return set_get(s, node, last, hist, lm);
    }
    if (s->n == s->cap)
        s->h = xrealloc(s->h, sizeof(hyp) * (size_t)(s->cap = s->cap ? 2 * s->cap : 256));
    hyp *h = &s->h[s->n];
    *h = (hyp){node, last, hist, -INFINITY, -INFINITY, lm, -1, 0, -INFINITY};
    s->slots[q] = s->n++;
    return h;
}

static double hyp_score(const hyp *h)
{
    return lse(h->pb, h->pnb) + h->lm;
}

/* Best first; on a tie a hypothesis between words first (it has completed
 * what the other is still in), then by history and node for determinism. */
static int by_score(const void *a, const void *b)
{
    const hyp *p = a, *q = b;
    double x = hyp_score(p), y = hyp_score(q);
    if (x != y) return x > y ? -1 : 1;
    if ((p->node == 0) != (q->node == 0)) return p->node == 0 ? -1 : 1;
    if (p->hist != q->hist) return p->hist < q->hist ? -1 : 1;
    return p->node - q->node;
}

static float lm_score(const word_search *ws, const word_search_options *o, int state, int word,
                      int *next)
{
    if (!ws->lm) {
        *next = 0;
        return o->word_penalty;
    }
    return (float)(o->lm_weight * LN10 * ngram_score(ws->lm, state, word, next)) + o->word_penalty;
}

/* The times of the NWORDS words of history entries SEQ (ctc_times.h) from the
 * path ending in record TOK: the first phones of the path are those of the
 * words' pronunciations, in order (a hypothesis still inside a word has more). */
static ctc_word *word_times(const word_search *ws, const hist_entry *he, const int *seq, int nwords,
                            const ctc_path *path, int tok, const float *logp, int T, float *gap)
{
    int n = ctc_path_len(path, tok);
    int *sym = xmalloc(sizeof(int) * (size_t)(n + 1)),
        *frame = xmalloc(sizeof(int) * (size_t)(n + 1));
    int *first = xmalloc(sizeof(int) * (size_t)(nwords + 1)),
        *end = xmalloc(sizeof(int) * (size_t)(nwords + 1));
    ctc_path_read(path, tok, sym, frame);
    int k = 0;
    for (int i = 0; i < nwords; i++) {
        first[i] = k;
        for (int nd = he[seq[i]].node; nd > 0; nd = ws->nodes[nd].parent) k++;
        end[i] = k;
    }
    ctc_word *w = xcalloc((size_t)(nwords ? nwords : 1), sizeof *w);
    if (k <= n) /* always: every phone of a word was a step of its path */
        ctc_word_times(logp, T, 1 + LEXICON_NUM_PHONES, sym, frame, n, first, end, nwords, w);
    if (gap) *gap = ctc_free_gap(logp, T, 1 + LEXICON_NUM_PHONES, sym, k <= n ? k : n);
    free(sym);
    free(frame);
    free(first);
    free(end);
    return w;
}

int word_search_decode(const word_search *ws, const word_search_options *o, const float *logp,
                       int T, char **words, char **phones, ctc_word **times, float *gap)
{
    const int V = 1 + LEXICON_NUM_PHONES;
    int beam = o->beam > 0 ? o->beam : 1;
    hist_trie ht = {xmalloc(sizeof(hist_entry) * 64), 0, 64, xmalloc(sizeof(int) * 128), 128};
    memset(ht.slots, -1, sizeof(int) * 128);
    int root_hist = hist_get(&ht, -1, -1, 0, ws->lm ? ngram_start(ws->lm) : 0);
    hyp_set cur = {0}, nxt = {0};
    set_clear(&cur, 1);
    hyp *h0 = set_get(&cur, 0, -1, root_hist, 0);
    h0->pb = 0;
    ctc_path path;
    ctc_path_init(&path);
    for (int t = 0; t < T; t++) {
        const float *lp = logp + (size_t)t * V;
        float best = lp[0];
        for (int v = 1; v < V; v++)
            if (lp[v] > best) best = lp[v];
        float floor_lp = o->prune > 0 ? best - o->prune : -INFINITY;
        set_clear(&nxt, cur.n * 4);
        for (int i = 0; i < cur.n; i++) {
            hyp h = cur.h[i]; /* copied: nxt may move while we add */
            double total = lse(h.pb, h.pnb);
            hyp *n = set_get(&nxt, h.node, h.last, h.hist, h.lm);
            n->pb = lse(n->pb, total + lp[0]);
            take(n, total + lp[0], h.tok, 0);
            if (h.last > 0) {
                n->pnb = lse(n->pnb, h.pnb + lp[h.last]);
                take(n, h.pnb + lp[h.last], h.tok, 0);
            }
            for (int c = ws->nodes[h.node].first_child; c >= 0; c = ws->nodes[c].next_sibling) {
                int ph = ws->nodes[c].phone;
                if (lp[ph] < floor_lp) continue;
                double src = ph == h.last ? h.pb : total;
                if (src == -INFINITY) continue;
                double s = src + lp[ph];
                const tree_node *tn = &ws->nodes[c];
                /* A leaf is only ever a word's end: its word-end copy at the
                 * root can do everything it can, so it is not kept. */
                if (tn->first_child >= 0) {
                    hyp *m = set_get(&nxt, c, ph, h.hist, h.lm);
                    m->pnb = lse(m->pnb, s);
                    take(m, s, h.tok, 1);
                }
                for (int k = 0; k < tn->nwords; k++) {
                    int w = ws->ends[tn->first_word + k], state;
                    float ls = lm_score(ws, o, ht.e[h.hist].lm_state, ws->lm_id[w], &state);
                    int nh = hist_get(&ht, h.hist, w, c, state);
                    hyp *e = set_get(&nxt, 0, ph, nh, h.lm + ls);
                    e->pnb = lse(e->pnb, s);
                    take(e, s, h.tok, 1);
                }
            }
        }
        qsort(nxt.h, (size_t)nxt.n, sizeof(hyp), by_score);
        if (nxt.n > beam) nxt.n = beam;
        /* Rebuild the index of the survivors. */
        hyp_set tmp = cur;
        cur = nxt;
        nxt = tmp;
        int keep = cur.n;
        hyp *arr = cur.h;
        cur.h = NULL;
        cur.cap = 0;
        set_clear(&cur, keep);
        for (int i = 0; i < keep; i++) {
            hyp *d = set_get(&cur, arr[i].node, arr[i].last, arr[i].hist, arr[i].lm);
            *d = arr[i];
            if (d->fresh) d->tok = ctc_path_add(&path, d->tok, d->last, t);
            d->fresh = 0;
            d->in = -INFINITY;
        }
        free(arr);
    }
    /* The best hypothesis between words, with the end-of-sentence score;
     * when none is, the best one's completed words. */
    int best = -1;
    double bs = -INFINITY;
    for (int pass = 0; pass < 2 && best < 0; pass++)
        for (int i = 0; i < cur.n; i++) {
            if (pass == 0 && cur.h[i].node != 0) continue;
            double s = hyp_score(&cur.h[i]);
            if (ws->lm && cur.h[i].node == 0) {
                int dummy;
                s += o->lm_weight * LN10 *
                     ngram_score(ws->lm, ht.e[cur.h[i].hist].lm_state, ngram_eos(ws->lm), &dummy);
            }
            if (s > bs) bs = s, best = i;
        }
    /* Walk the history back to the start, then print forwards. */
    int nwords = 0, nph = 0;
    for (int x = best >= 0 ? cur.h[best].hist : root_hist; ht.e[x].parent >= 0;
         x = ht.e[x].parent) {
        nwords++;
        for (int nd = ht.e[x].node; nd > 0; nd = ws->nodes[nd].parent) nph++;
    }
    int *seq = xmalloc(sizeof(int) * (size_t)(nwords + 1));
    int k = nwords;
    for (int x = best >= 0 ? cur.h[best].hist : root_hist; ht.e[x].parent >= 0; x = ht.e[x].parent)
        seq[--k] = x;
    size_t wl = 1, pl = 1;
    for (int i = 0; i < nwords; i++) wl += strlen(ws->lex->e[ht.e[seq[i]].word].word) + 1;
    pl += (size_t)nph * 4;
    char *wb = xmalloc(wl), *pb = xmalloc(pl), *wp = wb, *pp = pb;
    *wp = *pp = 0;
    int phbuf[256];
    for (int i = 0; i < nwords; i++) {
        const hist_entry *e = &ht.e[seq[i]];
        wp += sprintf(wp, "%s%s", i ? " " : "", ws->lex->e[e->word].word);
        int n = 0;
        for (int nd = e->node; nd > 0 && n < 256; nd = ws->nodes[nd].parent)
            phbuf[n++] = ws->nodes[nd].phone;
        while (n > 0) pp += sprintf(pp, "%s%s", pp > pb ? " " : "", lexicon_phones[phbuf[--n] - 1]);
    }
    if (times)
        *times = word_times(ws, ht.e, seq, nwords, &path, best >= 0 ? cur.h[best].tok : -1, logp, T,
                            gap);
    ctc_path_free(&path);
    free(seq);
    free(cur.h);
    free(cur.slots);
    free(nxt.h);
    free(nxt.slots);
    free(ht.e);
    free(ht.slots);
    *words = wb;
    *phones = pb;
    return 0;
}
