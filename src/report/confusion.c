/* confusion.c — see confusion.h. */
#include "report/confusion.h"

#include "report/markdown.h"
#include "report/worst.h"

#include "base/alloc.h"
#include "text/metrics.h"

#include <stdlib.h>
#include <string.h>

/* The word alignment of one scored utterance: what both views count. */
typedef struct {
    token_list r, h;
    edit_alignment a;
} utt_alignment;

static void align_utt(const eval_utt *u, utt_alignment *x)
{
    metrics_tokenize(u->ref, METRICS_WORDS, &x->r);
    metrics_tokenize(u->hyp ? u->hyp : "", METRICS_WORDS, &x->h);
    edit_align_strings(x->r.tok, x->r.n, x->h.tok, x->h.n, &x->a);
}

static void utt_alignment_free(utt_alignment *x)
{
    edit_alignment_free(&x->a);
    token_list_free(&x->r);
    token_list_free(&x->h);
}

static int by_count(const void *a, const void *b)
{
    const eval_confusion *p = a, *q = b;
    if (p->count != q->count) return q->count - p->count;
    int c = strcmp(p->ref, q->ref);
    return c ? c : strcmp(p->hyp, q->hyp);
}

void eval_confusions_sort(eval_confusion *c, int n)
{
    if (n > 1) qsort(c, (size_t)n, sizeof *c, by_count);
}

int eval_confusions(const eval_split *s, eval_confusion **out)
{
    eval_confusion *pairs = NULL;
    int np = 0;
    for (int i = 0; i < s->n; i++) {
        utt_alignment x;
        align_utt(&s->utts[i], &x);
        for (int k = 0; k < x.a.n_ops; k++) {
            const edit_op *op = &x.a.ops[k];
            if (op->kind == EDIT_CORRECT) continue;
            const char *rw = op->ref >= 0 ? x.r.tok[op->ref] : "(ins)";
            const char *hw = op->hyp >= 0 ? x.h.tok[op->hyp] : "(del)";
            int j = 0;
            while (j < np && (strcmp(pairs[j].ref, rw) || strcmp(pairs[j].hyp, hw))) j++;
            if (j == np) {
                pairs = xrealloc(pairs, sizeof *pairs * (size_t)(np + 1));
                pairs[np++] = (eval_confusion){xstrdup(rw), xstrdup(hw), 0};
            }
            pairs[j].count++;
        }
        utt_alignment_free(&x);
    }
    eval_confusions_sort(pairs, np);
    *out = pairs;
    return np;
}

void eval_confusions_free(eval_confusion *c, int n)
{
    for (int j = 0; j < n; j++) {
        free(c[j].ref);
        free(c[j].hyp);
    }
    free(c);
}

void eval_write_confusions(FILE *out, const eval_split *s, int top)
{
    eval_confusion *c;
    int n = eval_confusions(s, &c);
    if (n == 0) fprintf(out, "(none)\n");
    for (int j = 0; j < n && j < top; j++) {
        fputs("- ", out);
        md_text(out, c[j].ref);
        fputs(" -> ", out);
        md_text(out, c[j].hyp);
        fprintf(out, ": %d\n", c[j].count);
    }
    eval_confusions_free(c, n);
}

char *eval_utt_alignment(const eval_utt *u)
{
    utt_alignment x;
    align_utt(u, &x);
    char *line = metrics_alignment_line(x.r.tok, x.h.tok, &x.a);
    utt_alignment_free(&x);
    return line;
}

/* ---- the matrix ---- */

typedef struct {
    char *word;
    long in_ref, in_hyp;
} word_freq;

static int by_frequency(const void *a, const void *b)
{
    const word_freq *p = a, *q = b;
    if (p->in_ref != q->in_ref) return p->in_ref > q->in_ref ? -1 : 1;
    if (p->in_hyp != q->in_hyp) return p->in_hyp > q->in_hyp ? -1 : 1;
    return strcmp(p->word, q->word);
}

static int word_index(word_freq **w, int *n, const char *word)
{
    for (int i = 0; i < *n; i++)
        if (!strcmp((*w)[i].word, word)) return i;
    *w = xrealloc(*w, sizeof **w * (size_t)(*n + 1));
    (*w)[*n] = (word_freq){xstrdup(word), 0, 0};
    return (*n)++;
}

/* A word's place in the vocabulary order: numbers by value (numerals, and
 * the English number words; "oh", the spoken zero, after nine as TIDIGITS
 * lists its eleven digits), then every other word alphabetically. *VALUE
 * is the number's value; 0 when WORD is no number. */
static int number_value(const char *word, double *value)
{
    static const char *const names[] = {"zero",    "one",     "two",       "three",    "four",
                                        "five",    "six",     "seven",     "eight",    "nine",
                                        "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
                                        "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
    static const char *const tens[] = {"twenty", "thirty",  "forty",  "fifty",
                                       "sixty",  "seventy", "eighty", "ninety"};
    static const struct {
        const char *name;
        double value;
    } other[] = {
        {"oh", 9.5}, {"hundred", 1e2}, {"thousand", 1e3}, {"million", 1e6}, {"billion", 1e9}};
    if (*word && strspn(word, "0123456789") == strlen(word) && strlen(word) < 16) {
        *value = strtod(word, NULL);
        return 1;
    }
    for (int i = 0; i < 20; i++)
        if (!strcmp(word, names[i])) return *value = i, 1;
    for (int i = 0; i < 8; i++)
        if (!strcmp(word, tens[i])) return *value = 20 + 10 * i, 1;
    for (size_t i = 0; i < sizeof other / sizeof *other; i++)
        if (!strcmp(word, other[i].name)) return *value = other[i].value, 1;
    return 0;
}

int confusion_word_order(const char *a, const char *b)
{
    double va, vb;
    int na = number_value(a, &va), nb = number_value(b, &vb);
    if (na != nb) return na ? -1 : 1;
    if (na && va != vb) return va < vb ? -1 : 1;
    return strcmp(a, b);
}

static int by_vocabulary(const void *a, const void *b)
{
    return confusion_word_order(*(const char *const *)a, *(const char *const *)b);
}

/* Row or column of WORD in the matrix: its place, or "(other)"'s. */
static int cell_of(const confusion_matrix *cm, const char *word)
{
    for (int i = 0; i < cm->n; i++)
        if (!strcmp(cm->words[i], word)) return i;
    return cm->n - 1;
}

void confusion_matrix_make(const eval_model *m, confusion_matrix *cm)
{
    memset(cm, 0, sizeof *cm);
    /* Pass 1: the words and how often each occurs on either side. */
    word_freq *w = NULL;
    int nw = 0;
    for (int i = 0; i < m->n; i++) {
        const eval_split *s = &m->splits[i];
        if (!eval_analysed_split(m, s)) continue;
        for (int u = 0; u < s->n; u++) {
            token_list r, h;
            metrics_tokenize(s->utts[u].ref, METRICS_WORDS, &r);
            metrics_tokenize(s->utts[u].hyp ? s->utts[u].hyp : "", METRICS_WORDS, &h);
            /* word_index may move W: index after it returns. */
            for (int k = 0; k < r.n; k++) {
                int j = word_index(&w, &nw, r.tok[k]);
                w[j].in_ref++;
            }
            for (int k = 0; k < h.n; k++) {
                int j = word_index(&w, &nw, h.tok[k]);
                w[j].in_hyp++;
            }
            token_list_free(&r);
            token_list_free(&h);
        }
    }
    if (nw > 1) qsort(w, (size_t)nw, sizeof *w, by_frequency);
    cm->n = nw <= CONFUSION_MAX_WORDS ? nw : CONFUSION_MAX_WORDS;
    cm->words = xcalloc((size_t)(cm->n ? cm->n : 1), sizeof(char *));
    for (int i = 0; i < cm->n; i++) cm->words[i] = xstrdup(w[i].word);
    /* The most frequent are kept; shown in vocabulary order, "(other)" last. */
    int shown = nw > CONFUSION_MAX_WORDS ? cm->n - 1 : cm->n;
    if (shown > 1) qsort(cm->words, (size_t)shown, sizeof *cm->words, by_vocabulary);
    if (nw > CONFUSION_MAX_WORDS) {
        free(cm->words[cm->n - 1]);
        cm->words[cm->n - 1] = xstrdup("(other)");
    }
    for (int i = 0; i < nw; i++) free(w[i].word);
    free(w);
    /* Pass 2: every aligned pair into its cell. */
    int d = cm->n + 1;
    cm->count = xcalloc((size_t)d * (size_t)d, sizeof(long));
    for (int i = 0; i < m->n; i++) {
        const eval_split *s = &m->splits[i];
        if (!eval_analysed_split(m, s)) continue;
        for (int u = 0; u < s->n; u++) {
            utt_alignment x;
            align_utt(&s->utts[u], &x);
            for (int k = 0; k < x.a.n_ops; k++) {
                const edit_op *op = &x.a.ops[k];
                int r = op->ref >= 0 ? cell_of(cm, x.r.tok[op->ref]) : cm->n;
                int c = op->hyp >= 0 ? cell_of(cm, x.h.tok[op->hyp]) : cm->n;
                cm->count[(size_t)r * d + c]++;
                cm->errors += op->kind != EDIT_CORRECT;
            }
            utt_alignment_free(&x);
        }
    }
}

void confusion_matrix_free(confusion_matrix *cm)
{
    for (int i = 0; i < cm->n; i++) free(cm->words[i]);
    free(cm->words);
    free(cm->count);
    memset(cm, 0, sizeof *cm);
}
