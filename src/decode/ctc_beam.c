/* ctc_beam.c — CTC prefix beam search; see ctc_beam.h.
 *
 * Prefixes live in a trie (node = parent + last symbol + scorer state), so a
 * prefix is one int and extending it is a hash lookup, never a copy. Each frame
 * turns the current beam into candidate entries keyed by trie node:
 *
 *   blank:            cand[n].b  += P(n) · p_t(blank)            P(n) = b + nb
 *   repeat last s:    cand[n].nb += nb(n) · p_t(s)               (collapses)
 *                     cand[n+s].nb += b(n) · p_t(s)              (needs a blank between)
 *   other symbol c:   cand[n+c].nb += P(n) · p_t(c)
 *
 * all in log space, then the best `beam` candidates by log P + scorer survive.
 */
#include "decode/ctc_beam.h"

#include "base/alloc.h"
#include "decode/ctc_times.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NEG_INF (-INFINITY)

static float log_add(float a, float b)
{
    if (a == NEG_INF) return b;
    if (b == NEG_INF) return a;
    float m = a > b ? a : b;
    return m + log1pf(expf(-fabsf(a - b)));
}

typedef struct {
    int parent, sym, state, len;
    float lm; /* accumulated scorer score of the whole prefix */
} trie_node;

typedef struct {
    trie_node *nodes;
    int n, cap;
    /* open-addressing map (parent, sym) -> node, for finding children */
    int *slots;
    int nslots;
} trie;

static unsigned hash2(int a, int b)
{
    return (unsigned)a * 2654435761u ^ (unsigned)b * 40503u;
}

static void trie_grow_map(trie *t)
{
    int ns = t->nslots ? t->nslots * 2 : 1024;
    int *slots = xmalloc((size_t)ns * sizeof *slots);
    for (int i = 0; i < ns; i++) slots[i] = -1;
    for (int i = 1; i < t->n; i++) {
        unsigned h = hash2(t->nodes[i].parent, t->nodes[i].sym) & (unsigned)(ns - 1);
        while (slots[h] >= 0) h = (h + 1) & (unsigned)(ns - 1);
        slots[h] = i;
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = ns;
}

/* The child of PARENT by SYM, created (and scored) on first use. */
static int trie_child(trie *t, int parent, int sym, const ctc_scorer *lm)
{
    if (2 * (t->n + 1) > t->nslots) trie_grow_map(t);
    unsigned mask = (unsigned)(t->nslots - 1);
    unsigned h = hash2(parent, sym) & mask;
    for (; t->slots[h] >= 0; h = (h + 1) & mask) {
        const trie_node *c = &t->nodes[t->slots[h]];
        if (c->parent == parent && c->sym == sym) return t->slots[h];
    }
    if (t->n == t->cap) {
        t->cap *= 2;
        t->nodes = xrealloc(t->nodes, (size_t)t->cap * sizeof *t->nodes);
    }
    trie_node *p = &t->nodes[parent], *c = &t->nodes[t->n];
    c->parent = parent;
    c->sym = sym;
    c->len = p->len + 1;
    c->state = p->state;
    c->lm = p->lm;
    if (lm) c->lm += lm->extend(lm->ctx, p->state, sym, &c->state);
    t->slots[h] = t->n;
    return t->n++;
}

typedef struct {
    int node;
    float b, nb; /* log P(prefix, ends in blank / ends in its last symbol) */
    float score; /* log(P_b + P_nb) + scorer score: the ranking key */
    /* Back-pointer (ctc_times.h): the path record of the last symbol, or
     * with FRESH its parent's, the symbol emitted this frame (recorded when
     * the entry survives); IN: the largest term summed in this frame. */
    int tok, fresh;
    float in;
} beam_entry;

/* Term S, coming from record TOK (FRESH: this frame's symbol after it), is
 * summed into E: the back-pointer follows the largest term. */
static inline void take(beam_entry *e, float s, int tok, int fresh)
{
    if (s > e->in) {
        e->in = s;
        e->tok = tok;
        e->fresh = fresh;
    }
}

/* Candidates of one frame: entries keyed by node through a small hash map that
 * is cleared between frames by walking the entries (not the whole table). */
typedef struct {
    beam_entry *e;
    int n, cap;
    int *slots;
    int nslots;
} cand_set;

static beam_entry *cand_get(cand_set *c, int node)
{
    unsigned mask = (unsigned)(c->nslots - 1);
    unsigned h = ((unsigned)node * 2654435761u) & mask;
    for (; c->slots[h] >= 0; h = (h + 1) & mask)
        if (c->e[c->slots[h]].node == node) return &c->e[c->slots[h]];
    if (c->n == c->cap || 2 * (c->n + 1) > c->nslots) {
        /* Grow both and rehash. */
        c->cap = c->cap ? c->cap * 2 : 256;
        c->e = xrealloc(c->e, (size_t)c->cap * sizeof *c->e);
        int ns = c->nslots;
        while (ns < 2 * c->cap) ns *= 2;
        free(c->slots);
        c->slots = xmalloc((size_t)ns * sizeof *c->slots);
        c->nslots = ns;
        mask = (unsigned)(ns - 1);
        for (int i = 0; i < ns; i++) c->slots[i] = -1;
        for (int i = 0; i < c->n; i++) {
            unsigned g = ((unsigned)c->e[i].node * 2654435761u) & mask;
            while (c->slots[g] >= 0) g = (g + 1) & mask;
            c->slots[g] = i;
        }
        h = ((unsigned)node * 2654435761u) & mask;
        while (c->slots[h] >= 0) h = (h + 1) & mask;
    }
    c->slots[h] = c->n;
    beam_entry *e = &c->e[c->n++];
    e->node = node;
    e->b = e->nb = NEG_INF;
    e->in = NEG_INF;
    e->tok = -1;
    e->fresh = 0;
    return e;
}

static void cand_clear(cand_set *c)
{
    unsigned mask = (unsigned)(c->nslots - 1);
    for (int i = 0; i < c->n; i++) {
        unsigned h = ((unsigned)c->e[i].node * 2654435761u) & mask;
        while (c->slots[h] != i) h = (h + 1) & mask;
        c->slots[h] = -1;
    }
    /* Linear probing needs no tombstones only if we clear everything: we did. */
    c->n = 0;
}

static int by_score_desc(const void *a, const void *b)
{
    const beam_entry *x = a, *y = b;
    if (x->score != y->score) return x->score < y->score ? 1 : -1;
    return x->node - y->node; /* ties: older trie node first, so results are deterministic */
}

int ctc_beam_search(const float *logp, int T, int V, const ctc_beam_options *opt, int *out,
                    float *score)
{
    const ctc_scorer *lm = opt->lm;
    int beam = opt->beam > 0 ? opt->beam : 1;
    trie t = {0};
    t.cap = 1024;
    t.nodes = xmalloc((size_t)t.cap * sizeof *t.nodes);
    t.nodes[0] = (trie_node){.parent = -1, .sym = -1, .state = lm ? lm->initial_state : 0};
    t.n = 1;
    trie_grow_map(&t);

    cand_set cur = {0}, next = {0};
    cur.nslots = next.nslots = 512;
    cur.slots = xmalloc(512 * sizeof(int));
    next.slots = xmalloc(512 * sizeof(int));
    for (int i = 0; i < 512; i++) cur.slots[i] = next.slots[i] = -1;
    beam_entry *root = cand_get(&cur, 0);
    root->b = 0.0f;
    ctc_path path;
    ctc_path_init(&path);

    for (int ti = 0; ti < T; ti++) {
        const float *lp = logp + (size_t)ti * V;
        float maxlp = lp[0];
        for (int v = 1; v < V; v++)
            if (lp[v] > maxlp) maxlp = lp[v];
        float floor_lp = opt->prune > 0 ? maxlp - opt->prune : NEG_INF;
        cand_clear(&next);
        for (int i = 0; i < cur.n; i++) {
            beam_entry e = cur.e[i];
            float p = log_add(e.b, e.nb);
            int last = t.nodes[e.node].sym;
            beam_entry *stay = cand_get(&next, e.node);
            stay->b = log_add(stay->b, p + lp[0]);
            take(stay, p + lp[0], e.tok, 0);
            for (int c = 1; c < V; c++) {
                if (lp[c] < floor_lp) continue;
                if (c == last) {
                    stay = cand_get(&next, e.node);
                    stay->nb = log_add(stay->nb, e.nb + lp[c]);
                    take(stay, e.nb + lp[c], e.tok, 0);
                    int child = trie_child(&t, e.node, c, lm);
                    beam_entry *ce = cand_get(&next, child);
                    ce->nb = log_add(ce->nb, e.b + lp[c]);
                    take(ce, e.b + lp[c], e.tok, 1);
                } else {
                    int child = trie_child(&t, e.node, c, lm);
                    beam_entry *ce = cand_get(&next, child);
                    ce->nb = log_add(ce->nb, p + lp[c]);
                    take(ce, p + lp[c], e.tok, 1);
                }
            }
        }
        for (int i = 0; i < next.n; i++)
            next.e[i].score = log_add(next.e[i].b, next.e[i].nb) + t.nodes[next.e[i].node].lm;
        qsort(next.e, (size_t)next.n, sizeof *next.e, by_score_desc);
        /* Keep the best `beam`, rebuilding cur's map from them. */
        cand_clear(&cur);
        int keep = next.n < beam ? next.n : beam;
        for (int i = 0; i < keep; i++) {
            if (log_add(next.e[i].b, next.e[i].nb) == NEG_INF) break;
            beam_entry *k = cand_get(&cur, next.e[i].node);
            k->b = next.e[i].b;
            k->nb = next.e[i].nb;
            k->tok = next.e[i].tok;
            if (next.e[i].fresh) k->tok = ctc_path_add(&path, k->tok, t.nodes[k->node].sym, ti);
        }
        /* next's map no longer matches its sorted entries: reset it fully. */
        for (int i = 0; i < next.nslots; i++) next.slots[i] = -1;
        next.n = 0;
    }

    int best = 0, best_tok = -1;
    float best_score = NEG_INF;
    for (int i = 0; i < cur.n; i++) {
        const trie_node *nd = &t.nodes[cur.e[i].node];
        float s = log_add(cur.e[i].b, cur.e[i].nb) + nd->lm;
        if (lm && lm->finish) s += lm->finish(lm->ctx, nd->state);
        if (s > best_score || (s == best_score && cur.e[i].node < best)) {
            best_score = s;
            best = cur.e[i].node;
            best_tok = cur.e[i].tok;
        }
    }
    int len = t.nodes[best].len;
    for (int n = best, k = len - 1; n > 0; n = t.nodes[n].parent, k--) out[k] = t.nodes[n].sym;
    /* The path of records spells the same symbols as the trie node. */
    if (opt->frames) ctc_path_read(&path, best_tok, NULL, opt->frames);
    ctc_path_free(&path);
    if (score) *score = best_score;
    free(t.nodes);
    free(t.slots);
    free(cur.e);
    free(cur.slots);
    free(next.e);
    free(next.slots);
    return len;
}

int ctc_greedy(const float *logp, int T, int V, int *out)
{
    return ctc_greedy_frames(logp, T, V, out, NULL);
}

int ctc_greedy_frames(const float *logp, int T, int V, int *out, int *frames)
{
    int len = 0, prev = 0;
    for (int ti = 0; ti < T; ti++) {
        const float *lp = logp + (size_t)ti * V;
        int best = 0;
        for (int v = 1; v < V; v++)
            if (lp[v] > lp[best]) best = v;
        if (best != 0 && best != prev) {
            if (frames) frames[len] = ti;
            out[len++] = best;
        }
        prev = best;
    }
    return len;
}
