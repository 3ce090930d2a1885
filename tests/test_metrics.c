/* test_metrics.c — edit-distance alignment, tokenization, accumulation and the
 * printed lines, against hand-worked examples, a brute-force distance and the
 * old full-matrix alignment; the path and token limits. */
#include <check.h>

#include "base/alloc.h"
#include "base/error.h"
#include "text/metrics.h"
#include "base/rng.h"
#include "testutil.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Align two space-separated word strings. */
static void align_words(const char *ref, const char *hyp, edit_alignment *a)
{
    token_list r, h;
    metrics_tokenize(ref, METRICS_WORDS, &r);
    metrics_tokenize(hyp, METRICS_WORDS, &h);
    edit_align_strings(r.tok, r.n, h.tok, h.n, a);
    token_list_free(&r);
    token_list_free(&h);
}

/* The path as a string of C/S/D/I, for exact comparison. */
static const char *path_string(const edit_alignment *a)
{
    static char buf[256];
    int k;
    for (k = 0; k < a->n_ops && k < 255; k++) buf[k] = "CSDI"[a->ops[k].kind];
    buf[k] = '\0';
    return buf;
}

#define ck_counts(a, C, S, D, I, N)                                                                \
    do {                                                                                           \
        ck_assert_int_eq((a)->cor, C);                                                             \
        ck_assert_int_eq((a)->sub, S);                                                             \
        ck_assert_int_eq((a)->del, D);                                                             \
        ck_assert_int_eq((a)->ins, I);                                                             \
        ck_assert_int_eq((a)->n_ref, N);                                                           \
    } while (0)

START_TEST(sub_and_ins)
{
    edit_alignment a;
    align_words("a b c d", "a x c d e", &a);
    ck_counts(&a, 3, 1, 0, 1, 4);
    ck_assert_str_eq(path_string(&a), "CSCCI");
    /* The op indices point at the right tokens. */
    ck_assert_int_eq(a.ops[1].ref, 1);
    ck_assert_int_eq(a.ops[1].hyp, 1);
    ck_assert_int_eq(a.ops[4].ref, -1);
    ck_assert_int_eq(a.ops[4].hyp, 4);
    edit_alignment_free(&a);
}
END_TEST

START_TEST(empty_sides_and_identical)
{
    edit_alignment a;
    align_words("", "a b", &a);
    ck_counts(&a, 0, 0, 0, 2, 0);
    ck_assert_str_eq(path_string(&a), "II");
    edit_alignment_free(&a);

    align_words("a b c", "  ", &a);
    ck_counts(&a, 0, 0, 3, 0, 3);
    ck_assert_str_eq(path_string(&a), "DDD");
    ck_assert_int_eq(a.ops[2].ref, 2);
    ck_assert_int_eq(a.ops[2].hyp, -1);
    edit_alignment_free(&a);

    align_words("one two three", "one  two\tthree", &a);
    ck_counts(&a, 3, 0, 0, 0, 3);
    edit_alignment_free(&a);

    align_words("", "", &a);
    ck_counts(&a, 0, 0, 0, 0, 0);
    ck_assert_int_eq(a.n_ops, 0);
    edit_alignment_free(&a);
}
END_TEST

/* Markers (<noise>, <unk>) are no words to recognise: a reference of
 * markers only has no word, and any word said there is an insertion. */
START_TEST(markers_are_not_scored)
{
    edit_alignment a;
    align_words("<noise>", "one", &a);
    ck_counts(&a, 0, 0, 0, 1, 0);
    edit_alignment_free(&a);
    align_words("one <unk>  two <music>", "one two", &a);
    ck_counts(&a, 2, 0, 0, 0, 2);
    edit_alignment_free(&a);
    align_words("one<x> <>", "one<x> <>", &a); /* not markers: words */
    ck_counts(&a, 2, 0, 0, 0, 2);
    edit_alignment_free(&a);
    token_list t;
    metrics_tokenize("a <noise> b", METRICS_CHARS, &t);
    ck_assert_int_eq(t.n, 2);
    token_list_free(&t);
}
END_TEST

START_TEST(ties_prefer_substitution_then_late_matches)
{
    edit_alignment a;
    /* "b a" vs "a b": two substitutions or del+match+ins, both 2 errors;
     * the documented rule takes the substitutions. */
    align_words("a b", "b a", &a);
    ck_counts(&a, 0, 2, 0, 0, 2);
    ck_assert_str_eq(path_string(&a), "SS");
    edit_alignment_free(&a);

    /* "a b a" vs "b c a b": "I I C C D" and "S S C I" both have 3 errors;
     * the rule takes the one with substitutions. (A plain unit-cost DP whose
     * backtrace merely tries the diagonal first returns "IICCD" here.) */
    align_words("a b a", "b c a b", &a);
    ck_counts(&a, 1, 2, 0, 1, 3);
    ck_assert_str_eq(path_string(&a), "SSCI");
    edit_alignment_free(&a);

    /* "a a" vs "a": which "a" is deleted is a pure position tie; matches
     * go last, so the first one is deleted. */
    align_words("a a", "a", &a);
    ck_assert_str_eq(path_string(&a), "DC");
    ck_assert_int_eq(a.ops[1].ref, 1);
    ck_assert_int_eq(a.ops[1].hyp, 0);
    edit_alignment_free(&a);

    /* Same for an insertion. */
    align_words("a", "a a", &a);
    ck_assert_str_eq(path_string(&a), "IC");
    edit_alignment_free(&a);

    /* "a b c" vs "x a b": 1 del + 1 ins (2 errors) beats 3 substitutions. */
    align_words("a b c", "x a b", &a);
    ck_counts(&a, 2, 0, 1, 1, 3);
    ck_assert_str_eq(path_string(&a), "ICCD");
    edit_alignment_free(&a);

    /* "a b" vs "c": one sub + one del; the substitution lands on the last
     * reference word (diagonal first in the backtrace). */
    align_words("a b", "c", &a);
    ck_assert_str_eq(path_string(&a), "DS");
    edit_alignment_free(&a);
}
END_TEST

START_TEST(ints_and_chars)
{
    int r[] = {1, 2, 3, 4, 5}, h[] = {1, 3, 4, 9, 5, 6};
    edit_alignment a;
    edit_align_ints(r, 5, h, 6, &a);
    ck_counts(&a, 4, 0, 1, 2, 5);
    ck_assert_str_eq(path_string(&a), "CDCCICI");
    edit_alignment_free(&a);

    /* CER: characters of the words, spaces not counted. "ab c" vs "a bc"
     * is CER 0 though WER is 100 %. */
    token_list t;
    metrics_tokenize(" ab  c ", METRICS_CHARS, &t);
    ck_assert_int_eq(t.n, 3);
    ck_assert_str_eq(t.tok[0], "a");
    ck_assert_str_eq(t.tok[2], "c");
    token_list_free(&t);

    token_list rc, hc;
    metrics_tokenize("ab c", METRICS_CHARS, &rc);
    metrics_tokenize("a bc", METRICS_CHARS, &hc);
    edit_align_strings(rc.tok, rc.n, hc.tok, hc.n, &a);
    ck_counts(&a, 3, 0, 0, 0, 3);
    edit_alignment_free(&a);
    token_list_free(&rc);
    token_list_free(&hc);

    /* kitten -> sitting: k->s (S), i t t, e->i (S), n, +g (I): 3 errors, N 6. */
    metrics_tokenize("kitten", METRICS_CHARS, &rc);
    metrics_tokenize("sitting", METRICS_CHARS, &hc);
    edit_align_strings(rc.tok, rc.n, hc.tok, hc.n, &a);
    ck_counts(&a, 4, 2, 0, 1, 6);
    ck_assert_str_eq(path_string(&a), "SCCCSCI");
    edit_alignment_free(&a);
    token_list_free(&rc);
    token_list_free(&hc);

    /* UTF-8: one code point is one character. */
    metrics_tokenize("caf\xc3\xa9 \xe2\x82\xac", METRICS_CHARS, &t);
    ck_assert_int_eq(t.n, 5);
    ck_assert_str_eq(t.tok[3], "\xc3\xa9");
    ck_assert_str_eq(t.tok[4], "\xe2\x82\xac");
    token_list_free(&t);

    /* Phones are whitespace tokens. */
    metrics_tokenize("HH AH0 L OW1", METRICS_PHONES, &t);
    ck_assert_int_eq(t.n, 4);
    ck_assert_str_eq(t.tok[1], "AH0");
    token_list_free(&t);
}
END_TEST

/* The textbook two-row Levenshtein distance, for comparison. */
static int brute_distance(const int *r, int n, const int *h, int m)
{
    int *prev = xmalloc((size_t)(m + 1) * sizeof *prev),
        *cur = xmalloc((size_t)(m + 1) * sizeof *cur);
    for (int j = 0; j <= m; j++) prev[j] = j;
    for (int i = 1; i <= n; i++) {
        cur[0] = i;
        for (int j = 1; j <= m; j++) {
            int d = prev[j - 1] + (r[i - 1] != h[j - 1]);
            if (prev[j] + 1 < d) d = prev[j] + 1;
            if (cur[j - 1] + 1 < d) d = cur[j - 1] + 1;
            cur[j] = d;
        }
        int *t = prev;
        prev = cur;
        cur = t;
    }
    int d = prev[m];
    free(prev);
    free(cur);
    return d;
}

/* Random sequences over a 3-symbol alphabet: the errors equal the true edit
 * distance, the path is consistent with the counts and consumes both
 * sequences in order, and correct/sub ops compare as they claim. */
START_TEST(random_against_brute_force)
{
    rng_state g;
    rng_seed(&g, 7);
    for (int trial = 0; trial < 300; trial++) {
        int n = (int)rng_below(&g, 9), m = (int)rng_below(&g, 9);
        int r[8], h[8];
        for (int i = 0; i < n; i++) r[i] = (int)rng_below(&g, 3);
        for (int j = 0; j < m; j++) h[j] = (int)rng_below(&g, 3);
        edit_alignment a;
        edit_align_ints(r, n, h, m, &a);
        ck_assert_int_eq(a.sub + a.del + a.ins, brute_distance(r, n, h, m));
        ck_assert_int_eq(a.cor + a.sub + a.del, n);
        ck_assert_int_eq(a.cor + a.sub + a.ins, m);
        int ri = 0, hj = 0;
        for (int k = 0; k < a.n_ops; k++) {
            edit_op op = a.ops[k];
            if (op.kind != EDIT_INS)
                ck_assert_int_eq(op.ref, ri++);
            else
                ck_assert_int_eq(op.ref, -1);
            if (op.kind != EDIT_DEL)
                ck_assert_int_eq(op.hyp, hj++);
            else
                ck_assert_int_eq(op.hyp, -1);
            if (op.kind == EDIT_CORRECT) ck_assert_int_eq(r[op.ref], h[op.hyp]);
            if (op.kind == EDIT_SUB) ck_assert_int_ne(r[op.ref], h[op.hyp]);
        }
        ck_assert_int_eq(ri, n);
        ck_assert_int_eq(hj, m);
        edit_alignment_free(&a);
    }
}
END_TEST

/* The full-matrix alignment as it was before the O(M)-memory rewrite, kept
 * verbatim as the oracle: an int64 cost (errors * K + indels, K = N + M + 1)
 * for each of the (N + 1)(M + 1) cells, then the backtrace from (N, M) that
 * tries the diagonal, then the deletion, then the insertion. Returns the path
 * as a "CSDI" string in BUF (the counts follow from it). */
static void full_matrix_path(const int *r, int n, const int *h, int m, char *buf)
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
            int64_t best = COST(i - 1, j - 1) + (r[i - 1] == h[j - 1] ? 0 : sub_cost);
            int64_t del = COST(i - 1, j) + indel_cost;
            int64_t ins = COST(i, j - 1) + indel_cost;
            if (del < best) best = del;
            if (ins < best) best = ins;
            COST(i, j) = best;
        }
    }
    int k = n + m;
    buf[k] = '\0';
    int i = n, j = m;
    while (i > 0 || j > 0) {
        int same = i > 0 && j > 0 && r[i - 1] == h[j - 1];
        if (i > 0 && j > 0 && COST(i, j) == COST(i - 1, j - 1) + (same ? 0 : sub_cost)) {
            buf[--k] = same ? 'C' : 'S';
            i--, j--;
        } else if (i > 0 && COST(i, j) == COST(i - 1, j) + indel_cost) {
            buf[--k] = 'D';
            i--;
        } else {
            buf[--k] = 'I';
            j--;
        }
    }
#undef COST
    memmove(buf, buf + k, strlen(buf + k) + 1);
    free(cost);
}

static int count_char(const char *s, char c)
{
    int n = 0;
    for (; *s; s++) n += *s == c;
    return n;
}

static int ints_eq_cb(const void *ctx, int i, int j)
{
    const int *const *p = ctx;
    return p[0][i] == p[1][j];
}

/* Many random pairs over alphabets of 1 to 5 symbols (small alphabets make
 * ties of every kind common): the O(M)-memory counts (edit_count, from the
 * final cost alone) equal the counts of the old full-matrix backtrace, and the
 * 2-bit back-pointer path (edit_align) is that backtrace's path op for op,
 * through the integer, callback and string entry points. */
START_TEST(counts_and_path_match_full_matrix)
{
    enum { MAXLEN = 60 };
    rng_state g;
    rng_seed(&g, 2024);
    char want[2 * MAXLEN + 1];
    int r[MAXLEN], h[MAXLEN];
    char words[5][2] = {"a", "b", "c", "d", "e"};
    char *rs[MAXLEN], *hs[MAXLEN];
    for (int trial = 0; trial < 4000; trial++) {
        int n = (int)rng_below(&g, trial < 2000 ? 12 : MAXLEN + 1);
        int m = (int)rng_below(&g, trial < 2000 ? 12 : MAXLEN + 1);
        int sigma = 1 + (int)rng_below(&g, 5);
        for (int i = 0; i < n; i++) rs[i] = words[r[i] = (int)rng_below(&g, (uint64_t)sigma)];
        for (int j = 0; j < m; j++) hs[j] = words[h[j] = (int)rng_below(&g, (uint64_t)sigma)];
        /* Half the trials: the hypothesis is the reference with a few edits,
         * the realistic case (long runs of matches between errors). */
        if (trial % 2 && n > 0) {
            m = 0;
            for (int i = 0; i < n && m < MAXLEN; i++) {
                uint64_t x = rng_below(&g, 10);
                if (x == 0) continue;                         /* deletion */
                h[m] = x == 1 ? (int)rng_below(&g, 5) : r[i]; /* substitution */
                hs[m] = words[h[m]], m++;
                if (x == 2 && m < MAXLEN) hs[m] = words[h[m] = 4], m++; /* insertion */
            }
        }
        full_matrix_path(r, n, h, m, want);
        int C = count_char(want, 'C'), S = count_char(want, 'S'), D = count_char(want, 'D'),
            I = count_char(want, 'I');

        edit_alignment a;
        edit_count_ints(r, n, h, m, &a);
        ck_counts(&a, C, S, D, I, n);
        ck_assert_ptr_null(a.ops);
        ck_assert_int_eq(a.too_long, 0);
        edit_alignment_free(&a);

        const int *p[2] = {r, h};
        edit_count(n, m, ints_eq_cb, p, &a);
        ck_counts(&a, C, S, D, I, n);
        edit_alignment_free(&a);

        edit_count_strings(rs, n, hs, m, &a);
        ck_counts(&a, C, S, D, I, n);
        edit_alignment_free(&a);

        edit_align_ints(r, n, h, m, &a);
        ck_counts(&a, C, S, D, I, n);
        ck_assert_str_eq(path_string(&a), want);
        edit_alignment_free(&a);

        edit_align(n, m, ints_eq_cb, p, &a);
        ck_assert_str_eq(path_string(&a), want);
        edit_alignment_free(&a);

        edit_align_strings(rs, n, hs, m, &a);
        ck_assert_str_eq(path_string(&a), want);
        edit_alignment_free(&a);
    }
}
END_TEST

/* The path is built up to EDIT_ALIGN_MAX_CELLS cells and not one more; past
 * it the counts are still exact and both printers say why there is no path. */
START_TEST(path_cell_limit)
{
    /* 8192 x 16384 = 2^27 cells exactly. The hypothesis is the reference with
     * every 8th token replaced and 8192 tokens appended: 1024 S, 8192 I. */
    const int n = 8192, m = 16384;
    int *r = xmalloc((size_t)n * sizeof *r), *h = xmalloc(((size_t)m + 1) * sizeof *h);
    for (int i = 0; i < n; i++) r[i] = i;
    for (int j = 0; j <= m; j++) h[j] = j < n ? (j % 8 == 7 ? -1 : j) : -2;
    ck_assert_int_eq((long)n * m, EDIT_ALIGN_MAX_CELLS);
    edit_alignment a;
    edit_align_ints(r, n, h, m, &a);
    ck_assert_int_eq(a.too_long, 0);
    ck_counts(&a, n - 1024, 1024, 0, m - n, n);
    ck_assert_int_eq(a.n_ops, m);
    edit_alignment_free(&a);

    /* One hypothesis token more: too long for the path, counts exact. */
    edit_align_ints(r, n, h, m + 1, &a);
    ck_assert_int_eq(a.too_long, 1);
    ck_assert_ptr_null(a.ops);
    ck_assert_int_eq(a.n_ops, 0);
    ck_counts(&a, n - 1024, 1024, 0, m + 1 - n, n);
    ck_assert_int_eq(a.n_hyp, m + 1);

    char *tok[1] = {NULL};
    char buf[512];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    metrics_print_alignment(f, "long1", tok, tok, &a);
    fclose(f);
    ck_assert_str_eq(buf, "id: (long1)\n"
                          "Scores: (#C #S #D #I) 7168 1024 0 8193\n"
                          "Alignment: not shown, 8192 x 16385 tokens are more than the "
                          "134217728-cell limit\n"
                          "\n");
    char *line = metrics_alignment_line(tok, tok, &a);
    ck_assert_str_eq(line, "(alignment not shown: 8192 x 16385 tokens)");
    free(line);
    edit_alignment_free(&a);
    free(r);
    free(h);
}
END_TEST

/* A text of N copies of WORD separated by spaces. */
static char *repeat_words(const char *word, int n)
{
    size_t len = strlen(word) + 1;
    char *s = xmalloc((size_t)n * len + 1), *w = s;
    for (int i = 0; i < n; i++, w += len) sprintf(w, "%s ", word);
    *w = '\0';
    return s;
}

/* metrics_score aligns up to METRICS_MAX_TOKENS tokens a side and refuses
 * more with a message naming the utterance, the side and the limit, leaving
 * the totals alone. */
START_TEST(token_limit)
{
    char *at = repeat_words("a", METRICS_MAX_TOKENS);
    char *over = repeat_words("a", METRICS_MAX_TOKENS + 1);
    error_counts acc = {0};
    ck_assert_int_eq(metrics_score(&acc, "ok", at, "a b", METRICS_WORDS, NULL), 0);
    ck_assert_int_eq(acc.n_ref, METRICS_MAX_TOKENS);
    ck_assert_int_eq(acc.del, METRICS_MAX_TOKENS - 2);
    ck_assert_int_eq(acc.sub, 1);

    error_counts before = acc;
    ck_assert_int_eq(metrics_score(&acc, "utt7", over, "a", METRICS_WORDS, NULL), -1);
    ck_assert_str_eq(asr_last_error(),
                     "utterance 'utt7': the reference has 65537 words, more than the limit of "
                     "65536 per utterance (alignment time grows as the product of the lengths)");
    ck_assert_mem_eq(&acc, &before, sizeof acc);
    ck_assert_int_eq(metrics_score(&acc, "utt8", "a", over, METRICS_WORDS, stdout), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "'utt8': the hypothesis has 65537 words"));
    ck_assert_mem_eq(&acc, &before, sizeof acc);

    /* Characters count at the character level: 65537 letters in one word. */
    char *chars = xmalloc(METRICS_MAX_TOKENS + 2);
    memset(chars, 'x', METRICS_MAX_TOKENS + 1);
    chars[METRICS_MAX_TOKENS + 1] = '\0';
    ck_assert_int_eq(metrics_score(&acc, "c1", "x", chars, METRICS_WORDS, NULL), 0);
    ck_assert_int_eq(metrics_score(&acc, "c1", "x", chars, METRICS_CHARS, NULL), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "has 65537 characters"));
    free(chars);
    free(at);
    free(over);
}
END_TEST

/* metrics_count_tokens cuts exactly where metrics_tokenize does. */
START_TEST(count_tokens_matches_tokenize)
{
    static const char *const pieces[] = {
        "a",          "bc", " ",       "  ", "\t", "\n", "\xc3\xa9", "\xe2\x82\xac",
        "x\xc3\xa9y", "\r", "<noise>", "<u", "x>"};
    rng_state g;
    rng_seed(&g, 5);
    for (int trial = 0; trial < 500; trial++) {
        char text[256] = "";
        int parts = (int)rng_below(&g, 20);
        for (int k = 0; k < parts; k++) strcat(text, pieces[rng_below(&g, 13)]);
        for (metrics_level level = METRICS_WORDS; level <= METRICS_PHONES; level++) {
            token_list t;
            metrics_tokenize(text, level, &t);
            ck_assert_int_eq(metrics_count_tokens(text, level), t.n);
            token_list_free(&t);
        }
    }
}
END_TEST

/* metrics_score counts the same with and without the details block. */
START_TEST(score_with_and_without_details)
{
    error_counts plain = {0}, detailed = {0};
    char buf[4096];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    const char *pairs[][2] = {{"a b a", "b c a b"},
                              {"the cat sat on a mat", "the bat sat a mat"},
                              {"", "uh"},
                              {"one two", ""}};
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(metrics_score(&plain, "u", pairs[i][0], pairs[i][1], METRICS_CHARS, NULL),
                         0);
        ck_assert_int_eq(metrics_score(&detailed, "u", pairs[i][0], pairs[i][1], METRICS_CHARS, f),
                         0);
    }
    fclose(f);
    ck_assert_mem_eq(&plain, &detailed, sizeof plain);
}
END_TEST

static char *print_to_string(void (*print)(FILE *, const char *, const error_counts *),
                             const char *label, const error_counts *c)
{
    static char buf[512];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    print(f, label, c);
    fclose(f);
    return buf;
}

static void print_ser(FILE *f, const char *label, const error_counts *c)
{
    (void)label;
    metrics_print_ser(f, c);
}

START_TEST(accumulator_and_lines)
{
    error_counts acc = {0};
    edit_alignment a;
    const char *pairs[][2] = {
        {"a b c d", "a x c d e"}, /* S1 I1, N4 */
        {"a b c d", "a b c d"},   /* correct */
        {"one two", ""},          /* D2, N2 */
        {"", "uh"},               /* I1, N0 */
    };
    for (int i = 0; i < 4; i++) {
        align_words(pairs[i][0], pairs[i][1], &a);
        error_counts_add(&acc, &a);
        edit_alignment_free(&a);
    }
    ck_assert_int_eq(acc.n_ref, 10);
    ck_assert_int_eq(acc.sub, 1);
    ck_assert_int_eq(acc.del, 2);
    ck_assert_int_eq(acc.ins, 2);
    ck_assert_int_eq(acc.cor, 7);
    ck_assert_int_eq(acc.sent, 4);
    ck_assert_int_eq(acc.sent_err, 3);
    ck_assert_str_eq(print_to_string(metrics_print_rate, "WER", &acc),
                     "%WER 50.00 [ 5 / 10, 2 ins, 2 del, 1 sub ]\n");
    ck_assert_str_eq(print_to_string(print_ser, "", &acc), "%SER 75.00 [ 3 / 4 ]\n");

    /* N = 0: no division by zero. */
    ck_assert(metrics_rate(0, 0) == 0.0);
    ck_assert(isinf(metrics_rate(2, 0)));
    error_counts none = {0};
    ck_assert_str_eq(print_to_string(metrics_print_rate, "CER", &none),
                     "%CER 0.00 [ 0 / 0, 0 ins, 0 del, 0 sub ]\n");
    ck_assert_str_eq(print_to_string(print_ser, "", &none), "%SER 0.00 [ 0 / 0 ]\n");
}
END_TEST

START_TEST(alignment_block)
{
    token_list r, h;
    metrics_tokenize("the cat sat on a mat", METRICS_WORDS, &r);
    metrics_tokenize("the bat sat a mat today", METRICS_WORDS, &h);
    edit_alignment a;
    edit_align_strings(r.tok, r.n, h.tok, h.n, &a);
    char buf[1024];
    FILE *f = fmemopen(buf, sizeof buf, "w");
    metrics_print_alignment(f, "utt1", r.tok, h.tok, &a);
    fclose(f);
    ck_assert_str_eq(buf, "id: (utt1)\n"
                          "Scores: (#C #S #D #I) 4 1 1 1\n"
                          "REF:  the CAT sat ON  a mat *****\n"
                          "HYP:  the BAT sat *** a mat TODAY\n"
                          "Eval:     S       D         I\n"
                          "\n");
    edit_alignment_free(&a);
    token_list_free(&r);
    token_list_free(&h);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("metrics");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, sub_and_ins);
    tcase_add_test(tc, empty_sides_and_identical);
    tcase_add_test(tc, ties_prefer_substitution_then_late_matches);
    tcase_add_test(tc, ints_and_chars);
    tcase_add_test(tc, random_against_brute_force);
    tcase_add_test(tc, accumulator_and_lines);
    tcase_add_test(tc, alignment_block);
    tcase_add_test(tc, counts_and_path_match_full_matrix);
    tcase_add_test(tc, path_cell_limit);
    tcase_add_test(tc, token_limit);
    tcase_add_test(tc, count_tokens_matches_tokenize);
    tcase_add_test(tc, markers_are_not_scored);
    tcase_add_test(tc, score_with_and_without_details);
    suite_add_tcase(s, tc);
    return s;
}
