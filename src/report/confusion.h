/* confusion.h — which words a model takes for which: the frequent
 * confusion pairs (report.md's lists) and the word confusion matrix (the
 * HTML heat map, report.json's "confusion"), from the word alignments of
 * the scored utterances. */
#ifndef ASR_REPORT_CONFUSION_H
#define ASR_REPORT_CONFUSION_H

#include "recognizer/eval.h"

#include <stdio.h>

/* Word confusion pairs of S, most frequent first (deletions as hyp "(del)",
 * insertions as ref "(ins)"): how many, *OUT malloc'd. */
typedef struct {
    char *ref, *hyp;
    int count;
} eval_confusion;
int eval_confusions(const eval_split *s, eval_confusion **out);
void eval_confusions_free(eval_confusion *c, int n);
/* Most frequent first, then by REF and HYP (C may be NULL when N is 0). */
void eval_confusions_sort(eval_confusion *c, int n);
/* The TOP most frequent as Markdown lines. */
void eval_write_confusions(FILE *out, const eval_split *s, int top);

/* The most words a matrix has rows for; the rest are pooled as "(other)". */
#define CONFUSION_MAX_WORDS 16

/* Rows are reference words then "(ins)", columns hypothesis words then
 * "(del)", over the same word list: count[r * (n + 1) + c] is how often
 * reference word r was recognised as word c (r == c: correctly), c == n a
 * deletion of r, r == n an insertion of c. The words are those of the
 * references and hypotheses, the CONFUSION_MAX_WORDS - 1 that occur most
 * in the references (then in the hypotheses, then by spelling) when there
 * are more, the rest pooled as the last word, "(other)"; in vocabulary
 * order (confusion_word_order), so that digits read zero one two ... nine
 * oh in every model's matrix whatever their frequencies. */
typedef struct {
    int n;        /* words */
    char **words; /* n of them */
    long *count;  /* (n + 1) x (n + 1) */
    long errors;  /* S + D + I, as the splits' word counts */
} confusion_matrix;

/* The vocabulary order of words A and B (< 0: A first), the natural one of
 * a small domain's words: numbers by value (numerals and English number
 * words; "oh", the spoken zero, after nine, as TIDIGITS lists its eleven
 * digits), then the other words by spelling (byte order). A model's lexicon
 * is no guide: a direct model has none, and a lexicon file's order is
 * alphabetical anyway. */
int confusion_word_order(const char *a, const char *b);

/* The matrix of model M's analysed splits (eval_analysed_split), pooled. */
void confusion_matrix_make(const eval_model *m, confusion_matrix *cm);
void confusion_matrix_free(confusion_matrix *cm);

#endif
