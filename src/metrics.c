/* metrics.c — Levenshtein alignment, tokenization and error-rate printing.
 * See metrics.h for the cost model and the tie-breaking rules. */
#include "metrics.h"

#include "alloc.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- alignment ---- */

/* The cost of a path is the pair (errors, deletions + insertions), compared
 * lexicographically. It is packed into one integer as errors * K + indels with
 * K = N + M + 1 > any number of indels, so the DP is a plain minimum. */
void edit_align(int n, int m, edit_equal_fn eq, const void *ctx, edit_alignment *out)
{
    const int64_t K = (int64_t)n + m + 1;
    const int64_t sub_cost = K, indel_cost = K + 1;
    const size_t w = (size_t)m + 1;
    int64_t *cost = xmalloc(((size_t)n + 1) * w * sizeof *cost);
#define COST(i, j) cost[(size_t)(i)*w + (size_t)(j)]
    for (int j = 0; j <= m; j++) COST(0, j) = j * indel_cost;
    for (int i = 1; i <= n; i++) {
        COST(i, 0) = i * indel_cost;
        for (int j = 1; j <= m; j++) {
            int64_t best = COST(i - 1, j - 1) + (eq(ctx, i - 1, j - 1) ? 0 : sub_cost);
            int64_t del = COST(i - 1, j) + indel_cost;
            int64_t ins = COST(i, j - 1) + indel_cost;
            if (del < best) best = del;
            if (ins < best) best = ins;
            COST(i, j) = best;
        }
    }

    /* Backtrace from (n, m): diagonal first, then deletion, then insertion. */
    memset(out, 0, sizeof *out);
    out->n_ref = n;
    out->n_hyp = m;
    out->ops = xmalloc(((size_t)n + m + 1) * sizeof *out->ops);
    int k = n + m; /* fill from the end, then move to the front */
    int i = n, j = m;
    while (i > 0 || j > 0) {
        edit_op op;
        int same = i > 0 && j > 0 && eq(ctx, i - 1, j - 1);
        if (i > 0 && j > 0 && COST(i, j) == COST(i - 1, j - 1) + (same ? 0 : sub_cost)) {
            op = (edit_op){same ? EDIT_CORRECT : EDIT_SUB, i - 1, j - 1};
            i--, j--;
        } else if (i > 0 && COST(i, j) == COST(i - 1, j) + indel_cost) {
            op = (edit_op){EDIT_DEL, i - 1, -1};
            i--;
        } else {
            op = (edit_op){EDIT_INS, -1, j - 1};
            j--;
        }
        switch (op.kind) {
        case EDIT_CORRECT:
            out->cor++;
            break;
        case EDIT_SUB:
            out->sub++;
            break;
        case EDIT_DEL:
            out->del++;
            break;
        case EDIT_INS:
            out->ins++;
            break;
        }
        out->ops[--k] = op;
    }
#undef COST
    out->n_ops = n + m - k;
    memmove(out->ops, out->ops + k, (size_t)out->n_ops * sizeof *out->ops);
    free(cost);
}

typedef struct {
    const void *ref, *hyp;
} token_pair;

static int ints_equal(const void *ctx, int i, int j)
{
    const token_pair *p = ctx;
    return ((const int *)p->ref)[i] == ((const int *)p->hyp)[j];
}

static int strings_equal(const void *ctx, int i, int j)
{
    const token_pair *p = ctx;
    return !strcmp(((char *const *)p->ref)[i], ((char *const *)p->hyp)[j]);
}

void edit_align_ints(const int *ref, int n, const int *hyp, int m, edit_alignment *out)
{
    token_pair p = {ref, hyp};
    edit_align(n, m, ints_equal, &p, out);
}

void edit_align_strings(char *const *ref, int n, char *const *hyp, int m, edit_alignment *out)
{
    token_pair p = {ref, hyp};
    edit_align(n, m, strings_equal, &p, out);
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

void metrics_score(error_counts *acc, const char *id, const char *ref, const char *hyp,
                   metrics_level level, FILE *details)
{
    token_list r, h;
    metrics_tokenize(ref, level, &r);
    metrics_tokenize(hyp, level, &h);
    edit_alignment a;
    edit_align_strings(r.tok, r.n, h.tok, h.n, &a);
    error_counts_add(acc, &a);
    if (details) metrics_print_alignment(details, id, r.tok, h.tok, &a);
    edit_alignment_free(&a);
    token_list_free(&r);
    token_list_free(&h);
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
