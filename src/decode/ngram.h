/* ngram.h — word n-gram language models: estimation, ARPA I/O, scoring.
 *
 * Estimation (ngram_estimate) from sentences, each wrapped in <s> ... </s>:
 *   - interpolated modified Kneser-Ney (Chen & Goodman 1998, as SRILM's
 *     -kndiscount -interpolate and KenLM's lmplz): the highest order uses raw
 *     counts, lower orders continuation counts N1+(. h w) (n-grams that start
 *     with <s> keep raw counts, they have no left context); three discounts
 *     per order, D1, D2, D3+ = i - (i+1) Y n_{i+1}/n_i with Y = n1/(n1+2 n2),
 *     from that order's count-of-counts (0.5, 1.0, 1.5 when they are
 *     degenerate, as on tiny corpora);
 *       p(w|h) = (a(h w) - D(a)) / a(h) + g(h) p(w|h'),
 *       g(h)   = (D1 N1(h .) + D2 N2(h .) + D3 N3+(h .)) / a(h),
 *     the unigram level interpolating with the uniform distribution over the
 *     vocabulary (every word and </s>; <s> is never predicted);
 *   - or Witten-Bell: p(w|h) = (c(h w) + T(h) p(w|h')) / (c(h) + T(h)), with
 *     T(h) the number of distinct words seen after h.
 * Either way each history's distribution sums to one, and the backed-off
 * form an ARPA file stores (log10 p for seen n-grams, log10 g as the
 * history's backoff weight) gives exactly the interpolated probabilities.
 *
 * Scoring walks the usual backoff: p(w | h) = p(h w) if that n-gram is in the
 * model, else bow(h) * p(w | h minus its oldest word). A decoder carries an
 * integer state per hypothesis: the longest suffix of the words so far that
 * is a context in the model (the id of that n-gram), so equal states mean
 * equal futures.
 */
#ifndef ASR_NGRAM_H
#define ASR_NGRAM_H

#include <stdio.h>

#define NGRAM_MAX_ORDER 6

typedef struct ngram_lm ngram_lm;

typedef enum { NGRAM_KNESER_NEY, NGRAM_WITTEN_BELL } ngram_method;

/* Estimate an ORDER-gram model from SENTENCES (words separated by spaces). */
ngram_lm *ngram_estimate(char *const *sentences, int n, int order, ngram_method method);

int ngram_write_arpa(const ngram_lm *lm, FILE *out);
/* The ARPA text as a new string (what a model file stores). */
char *ngram_arpa_text(const ngram_lm *lm);
/* Read an ARPA file; NULL with a message naming PATH:LINE when malformed. */
ngram_lm *ngram_read_arpa(const char *path);
/* The same from TEXT in memory (NAME stands for the path in messages). */
ngram_lm *ngram_read_arpa_text(const char *text, const char *name);
void ngram_free(ngram_lm *lm);

int ngram_order(const ngram_lm *lm);
/* Word id of WORD, or -1 when it is not in the vocabulary. */
int ngram_word_id(const ngram_lm *lm, const char *word);
int ngram_vocab_size(const ngram_lm *lm);
const char *ngram_word(const ngram_lm *lm, int id);
int ngram_bos(const ngram_lm *lm); /* <s> */
int ngram_eos(const ngram_lm *lm); /* </s> */

/* The state of a sentence start (the context "<s>"). */
int ngram_start(const ngram_lm *lm);
/* log10 P(WORD | STATE); *NEXT receives the state after WORD. WORD -1 (out of
 * vocabulary) scores <unk> when the model has it, else -99. */
float ngram_score(const ngram_lm *lm, int state, int word, int *next);

/* log10 P(W | H) for an explicit history H[0..nh) (oldest first). */
float ngram_prob(const ngram_lm *lm, const int *h, int nh, int w);

#endif
