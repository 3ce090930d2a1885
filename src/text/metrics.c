/* metrics.c — Levenshtein alignment, tokenization and error-rate printing.
 * See metrics.h for the cost model and the tie-breaking rules. */
#include "text/metrics.h"

#include "base/alloc.h"
#include "base/error.h"
#include "text/alphabet.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- alignment ---- */

/* The cost of a path is the pair (errors, deletions + insertions), compared
 * lexicographically (rules 1 and 2 of metrics.h). It is packed into one
 * unsigned integer as errors * 2^32 + indels, so the DP is a plain minimum:
 * indels <= N + M < 2^32 never carries into the errors, and errors < 2^32
 * keeps the sum below 2^64. */
#define COST_SUB   ((uint64_t)1 << 32)
#define COST_INDEL (((uint64_t)1 << 32) + 1)

/* How tokens are compared: interned ids when there are any (the fast path of
 * every string and integer alignment), else the caller's function. */
typedef struct {
    const int *ref_id, *hyp_id;
    edit_equal_fn eq;
    const void *ctx;
} token_eq;

/* SAME[j] = (reference token I equals hypothesis token j) for j < M: one pass
 * per row, so the DP loop itself makes no calls. */
static void row_equal(const token_eq *e, int i, int m, unsigned char *same)
{
    if (e->ref_id) {
        /* Locals, so the stores to SAME (a char type, which may alias
         * anything) do not force a reload of E->hyp_id in every iteration. */
        const int r = e->ref_id[i], *hyp = e->hyp_id;
        for (int j = 0; j < m; j++) same[j] = hyp[j] == r;
    } else {
        for (int j = 0; j < m; j++) same[j] = e->eq(e->ctx, i, j) != 0;
    }
}

/* The path's counts from its cost alone (see metrics.h): E = cost / 2^32 and
 * X = D + I = cost mod 2^32; D - I = N - M on every path. */
static void counts_from_cost(uint64_t cost, int n, int m, edit_alignment *out)
{
    const long errors = (long)(cost >> 32), indels = (long)(cost & 0xFFFFFFFFu);
    out->del = (int)((indels + n - m) / 2);
    out->ins = (int)((indels - n + m) / 2);
    out->sub = (int)(errors - indels);
    out->cor = n - out->sub - out->del;
}

/* Back-pointers: the edit_op_kind of the last step of the chosen path into
 * cell (i, j), i, j >= 1, 2 bits each, at index (i - 1) * M + (j - 1). */
static void bp_set(unsigned char *bp, size_t k, edit_op_kind kind)
{
    bp[k >> 2] |= (unsigned char)(kind << (2 * (k & 3)));
}
static edit_op_kind bp_get(const unsigned char *bp, size_t k)
{
    return (edit_op_kind)((bp[k >> 2] >> (2 * (k & 3))) & 3);
}

/* The DP over rows i = 0..N with two rolling rows of M + 1 costs; returns the
 * cost of cell (N, M). When BP is not NULL (zeroed, N * M / 4 bytes rounded
 * up) it records each cell's step in the order the old full-matrix backtrace
 * tried them: the diagonal when it is a minimum, else the deletion when it is,
 * else the insertion. Following these pointers from (N, M) is exactly that
 * backtrace (each cell's choice depends only on its three neighbours' costs),
 * so the path and its counts are unchanged from the O(N * M)-memory version. */
static uint64_t edit_dp(int n, int m, const token_eq *e, unsigned char *bp)
{
    uint64_t *prev = xmalloc(((size_t)m + 1) * sizeof *prev);
    uint64_t *cur = xmalloc(((size_t)m + 1) * sizeof *cur);
    unsigned char *same = xmalloc((size_t)m + 1);
    for (int j = 0; j <= m; j++) prev[j] = (uint64_t)j * COST_INDEL;
    for (int i = 1; i <= n; i++) {
        row_equal(e, i - 1, m, same);
        cur[0] = (uint64_t)i * COST_INDEL;
        if (bp) {
            size_t k = (size_t)(i - 1) * (size_t)m;
            for (int j = 1; j <= m; j++, k++) {
                uint64_t best = prev[j - 1] + (same[j - 1] ? 0 : COST_SUB);
                uint64_t del = prev[j] + COST_INDEL, ins = cur[j - 1] + COST_INDEL;
                edit_op_kind kind = same[j - 1] ? EDIT_CORRECT : EDIT_SUB;
                if (del < best) best = del, kind = EDIT_DEL;
                if (ins < best) best = ins, kind = EDIT_INS;
                cur[j] = best;
                bp_set(bp, k, kind);
            }
        } else {
            for (int j = 1; j <= m; j++) {
                uint64_t best = prev[j - 1] + (same[j - 1] ? 0 : COST_SUB);
                uint64_t del = prev[j] + COST_INDEL, ins = cur[j - 1] + COST_INDEL;
                if (del < best) best = del;
                if (ins < best) best = ins;
                cur[j] = best;
            }
        }
        uint64_t *t = prev;
        prev = cur;
        cur = t;
    }
    uint64_t cost = prev[m];
    free(prev);
    free(cur);
    free(same);
    return cost;
}

static void count_only(int n, int m, const token_eq *e, edit_alignment *out)
{
    memset(out, 0, sizeof *out);
    out->n_ref = n;
    out->n_hyp = m;
    counts_from_cost(edit_dp(n, m, e, NULL), n, m, out);
}

static void align(int n, int m, const token_eq *e, edit_alignment *out)
{
    if ((uint64_t)n * (uint64_t)m > (uint64_t)EDIT_ALIGN_MAX_CELLS) {
        count_only(n, m, e, out);
        out->too_long = 1;
        return;
    }
    unsigned char *bp = xcalloc((size_t)n * (size_t)m / 4 + 1, 1);
    edit_dp(n, m, e, bp);

    /* Backtrace from (N, M); on the borders only one step is possible. */
    memset(out, 0, sizeof *out);
    out->n_ref = n;
    out->n_hyp = m;
    out->ops = xmalloc(((size_t)n + m + 1) * sizeof *out->ops);
    int k = n + m; /* fill from the end, then move to the front */
    int i = n, j = m;
    while (i > 0 || j > 0) {
        edit_op_kind kind = i == 0   ? EDIT_INS
                            : j == 0 ? EDIT_DEL
                                     : bp_get(bp, (size_t)(i - 1) * (size_t)m + (size_t)(j - 1));
        edit_op op;
        switch (kind) {
        case EDIT_CORRECT:
            out->cor++;
            op = (edit_op){kind, --i, --j};
            break;
        case EDIT_SUB:
            out->sub++;
            op = (edit_op){kind, --i, --j};
            break;
        case EDIT_DEL:
            out->del++;
            op = (edit_op){kind, --i, -1};
            break;
        default:
            out->ins++;
            op = (edit_op){EDIT_INS, -1, --j};
            break;
        }
        out->ops[--k] = op;
    }
    out->n_ops = n + m - k;
    memmove(out->ops, out->ops + k, (size_t)out->n_ops * sizeof *out->ops);
    free(bp);
}

void edit_align(int n, int m, edit_equal_fn eq, const void *ctx, edit_alignment *out)
{
    token_eq e = {NULL, NULL, eq, ctx};
    align(n, m, &e, out);
}

void edit_count(int n, int m, edit_equal_fn eq, const void *ctx, edit_alignment *out)
{
    token_eq e = {NULL, NULL, eq, ctx};
    count_only(n, m, &e, out);
}

void edit_align_ints(const int *ref, int n, const int *hyp, int m, edit_alignment *out)
{
    token_eq e = {ref, hyp, NULL, NULL};
    align(n, m, &e, out);
}

void edit_count_ints(const int *ref, int n, const int *hyp, int m, edit_alignment *out)
{
    token_eq e = {ref, hyp, NULL, NULL};
    count_only(n, m, &e, out);
}

/* Interning: give the N + M strings ids that are equal exactly when the
 * strings are, so the DP compares integers instead of calling strcmp for each
 * of its N * M cells. The ids are ranks after sorting the strings: O(T log T)
 * comparisons whatever the input, where a hash table could be driven to
 * O(T^2) by a file of colliding tokens. */
typedef struct {
    const char *s;
    int k; /* position: reference tokens first, then the hypothesis's */
} keyed_token;

static int by_token(const void *a, const void *b)
{
    const keyed_token *x = a, *y = b;
    int c = strcmp(x->s, y->s);
    return c ? c : (x->k > y->k) - (x->k < y->k);
}

/* Returns N + M ids: the reference's, then the hypothesis's. */
static int *intern_strings(char *const *ref, int n, char *const *hyp, int m)
{
    const size_t t = (size_t)n + (size_t)m;
    keyed_token *order = xmalloc((t + 1) * sizeof *order);
    int *id = xmalloc((t + 1) * sizeof *id);
    for (int k = 0; k < n; k++) order[k] = (keyed_token){ref[k], k};
    for (int k = 0; k < m; k++) order[n + k] = (keyed_token){hyp[k], n + k};
    qsort(order, t, sizeof *order, by_token);
    int next = 0;
    for (size_t k = 0; k < t; k++) {
        if (k > 0 && strcmp(order[k].s, order[k - 1].s)) next++;
        id[order[k].k] = next;
    }
    free(order);
    return id;
}

void edit_align_strings(char *const *ref, int n, char *const *hyp, int m, edit_alignment *out)
{
    int *id = intern_strings(ref, n, hyp, m);
    edit_align_ints(id, n, id + n, m, out);
    free(id);
}

void edit_count_strings(char *const *ref, int n, char *const *hyp, int m, edit_alignment *out)
{
    int *id = intern_strings(ref, n, hyp, m);
    edit_count_ints(id, n, id + n, m, out);
    free(id);
}

void edit_alignment_free(edit_alignment *a)
{
    free(a->ops);
    memset(a, 0, sizeof *a);
}

/* ---- tokenization ---- */

static int is_blank(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}
/* A UTF-8 continuation byte 10xxxxxx belongs to the code point before it. */
static int is_continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* The length of a marker word (<noise>, see alphabet.h) starting at S, else
 * 0: markers are no words to recognise, so no level scores them. */
static size_t marker_at(const unsigned char *text, const unsigned char *s)
{
    if (s != text && !is_blank(s[-1])) return 0;
    size_t n = 0;
    while (s[n] && !is_blank(s[n])) n++;
    return alphabet_is_marker((const char *)s, n) ? n : 0;
}

void metrics_tokenize(const char *text, metrics_level level, token_list *out)
{
    size_t len = strlen(text);
    /* Worst case one token per byte, each with its NUL. */
    out->buf = xmalloc(2 * len + 1);
    out->tok = xmalloc((len + 1) * sizeof *out->tok);
    out->n = 0;
    char *w = out->buf;
    const unsigned char *s = (const unsigned char *)text;
    while (*s) {
        if (is_blank(*s)) {
            s++;
            continue;
        }
        size_t m = marker_at((const unsigned char *)text, s);
        if (m) {
            s += m;
            continue;
        }
        out->tok[out->n++] = w;
        if (level == METRICS_CHARS) {
            *w++ = (char)*s++;
            while (*s && is_continuation(*s)) *w++ = (char)*s++;
        } else {
            while (*s && !is_blank(*s)) *w++ = (char)*s++;
        }
        *w++ = '\0';
    }
}

void token_list_free(token_list *t)
{
    free(t->tok);
    free(t->buf);
    memset(t, 0, sizeof *t);
}

int metrics_count_tokens(const char *text, metrics_level level)
{
    int n = 0;
    const unsigned char *s = (const unsigned char *)text;
    for (; *s; s++) {
        if (is_blank(*s)) continue;
        size_t m = marker_at((const unsigned char *)text, s);
        if (m) {
            s += m - 1;
            continue;
        }
        /* A token starts at a non-blank after a blank (or the start), or, for
         * characters, at any non-blank that is not a continuation byte: the
         * same cuts as metrics_tokenize. */
        if (level == METRICS_CHARS ? !is_continuation(*s)
                                   : s == (const unsigned char *)text || is_blank(s[-1]))
            n++;
    }
    return n;
}

const char *metrics_level_tokens(metrics_level level)
{
    return level == METRICS_CHARS ? "characters" : level == METRICS_PHONES ? "phones" : "words";
}

/* ---- accumulation and printing ---- */

void error_counts_add(error_counts *acc, const edit_alignment *a)
{
    acc->cor += a->cor;
    acc->sub += a->sub;
    acc->del += a->del;
    acc->ins += a->ins;
    acc->n_ref += a->n_ref;
    acc->sent++;
    if (a->sub + a->del + a->ins) acc->sent_err++;
}

double metrics_rate(long errors, long n)
{
    if (n > 0) return 100.0 * (double)errors / (double)n;
    return errors ? INFINITY : 0.0;
}

int metrics_score(error_counts *acc, const char *id, const char *ref, const char *hyp,
                  metrics_level level, FILE *details)
{
    token_list r, h;
    metrics_tokenize(ref, level, &r);
    metrics_tokenize(hyp, level, &h);
    int status = 0;
    if (r.n > METRICS_MAX_TOKENS || h.n > METRICS_MAX_TOKENS) {
        status = asr_error("utterance '%s': the %s has %d %s, more than the limit of %d per "
                           "utterance (alignment time grows as the product of the lengths)",
                           asr_quote(id), r.n > METRICS_MAX_TOKENS ? "reference" : "hypothesis",
                           r.n > METRICS_MAX_TOKENS ? r.n : h.n, metrics_level_tokens(level),
                           METRICS_MAX_TOKENS);
    } else {
        edit_alignment a;
        if (details)
            edit_align_strings(r.tok, r.n, h.tok, h.n, &a);
        else
            edit_count_strings(r.tok, r.n, h.tok, h.n, &a);
        error_counts_add(acc, &a);
        if (details) metrics_print_alignment(details, id, r.tok, h.tok, &a);
        edit_alignment_free(&a);
    }
    token_list_free(&r);
    token_list_free(&h);
    return status;
}

void metrics_print_rate(FILE *out, const char *label, const error_counts *c)
{
    long e = error_counts_errors(c);
    fprintf(out, "%%%s %.2f [ %ld / %ld, %ld ins, %ld del, %ld sub ]\n", label,
            metrics_rate(e, c->n_ref), e, c->n_ref, c->ins, c->del, c->sub);
}

void metrics_print_ser(FILE *out, const error_counts *c)
{
    fprintf(out, "%%SER %.2f [ %ld / %ld ]\n", metrics_rate(c->sent_err, c->sent), c->sent_err,
            c->sent);
}

static size_t utf8_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += !is_continuation((unsigned char)*s);
    return n;
}

/* Append one column (TEXT uppercased if UPPER, or asterisks if TEXT is NULL)
 * padded to WIDTH to the line being built in *LINE. */
static void put_cell(char **line, const char *text, int upper, size_t width)
{
    size_t shown = 0;
    if (!text) {
        for (; shown < width; shown++) *(*line)++ = '*';
    } else {
        for (const char *p = text; *p; p++) {
            unsigned char c = (unsigned char)*p;
            *(*line)++ = (char)(upper ? toupper(c) : c);
        }
        shown = utf8_width(text);
    }
    for (; shown < width; shown++) *(*line)++ = ' ';
    *(*line)++ = ' ';
}

static void put_line(FILE *out, char *start, char *end)
{
    while (end > start && end[-1] == ' ') end--;
    *end = '\0';
    fprintf(out, "%s\n", start);
}

void metrics_print_alignment(FILE *out, const char *id, char *const *ref, char *const *hyp,
                             const edit_alignment *a)
{
    fprintf(out, "id: (%s)\n", id);
    fprintf(out, "Scores: (#C #S #D #I) %d %d %d %d\n", a->cor, a->sub, a->del, a->ins);
    if (a->too_long) {
        fprintf(out, "Alignment: not shown, %d x %d tokens are more than the %ld-cell limit\n\n",
                a->n_ref, a->n_hyp, EDIT_ALIGN_MAX_CELLS);
        return;
    }
    size_t cap = 8;
    for (int k = 0; k < a->n_ops; k++) {
        const edit_op *op = &a->ops[k];
        size_t r = op->ref >= 0 ? strlen(ref[op->ref]) : 0;
        size_t h = op->hyp >= 0 ? strlen(hyp[op->hyp]) : 0;
        cap += (r > h ? r : h) + 4; /* bytes >= code points; >= 3 asterisks */
    }
    char *rl = xmalloc(cap), *hl = xmalloc(cap), *el = xmalloc(cap);
    char *rp = rl, *hp = hl, *ep = el;
    static const char *const mark[] = {" ", "S", "D", "I"};
    for (int k = 0; k < a->n_ops; k++) {
        const edit_op *op = &a->ops[k];
        const char *r = op->ref >= 0 ? ref[op->ref] : NULL;
        const char *h = op->hyp >= 0 ? hyp[op->hyp] : NULL;
        size_t width = r && h ? 0 : 3; /* room for *** opposite a lone token */
        if (r && utf8_width(r) > width) width = utf8_width(r);
        if (h && utf8_width(h) > width) width = utf8_width(h);
        int err = op->kind != EDIT_CORRECT;
        put_cell(&rp, r, err, width);
        put_cell(&hp, h, err, width);
        put_cell(&ep, mark[op->kind], 0, width);
    }
    fputs("REF:  ", out);
    put_line(out, rl, rp);
    fputs("HYP:  ", out);
    put_line(out, hl, hp);
    fputs("Eval: ", out);
    put_line(out, el, ep);
    fputc('\n', out);
    free(rl);
    free(hl);
    free(el);
}

char *metrics_alignment_line(char *const *ref, char *const *hyp, const edit_alignment *a)
{
    if (a->too_long) {
        char note[96];
        snprintf(note, sizeof note, "(alignment not shown: %d x %d tokens)", a->n_ref, a->n_hyp);
        return xstrdup(note);
    }
    size_t cap = 1;
    for (int k = 0; k < a->n_ops; k++) {
        const edit_op *op = &a->ops[k];
        cap += (op->ref >= 0 ? strlen(ref[op->ref]) : 1) +
               (op->hyp >= 0 ? strlen(hyp[op->hyp]) : 1) + 4;
    }
    char *line = xmalloc(cap), *w = line;
    *w = 0;
    for (int k = 0; k < a->n_ops; k++) {
        const edit_op *op = &a->ops[k];
        const char *r = op->ref >= 0 ? ref[op->ref] : "*", *h = op->hyp >= 0 ? hyp[op->hyp] : "*";
        if (k) *w++ = ' ';
        w += op->kind == EDIT_CORRECT ? sprintf(w, "%s", r) : sprintf(w, "%s->%s", r, h);
    }
    return line;
}
