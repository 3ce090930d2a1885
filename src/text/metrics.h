/* metrics.h — edit-distance alignment and error rates (WER, CER, PER, SER).
 *
 * An error rate compares a reference token sequence (length N) with a
 * hypothesis by the cheapest alignment of the two: every reference token is
 * matched to a hypothesis token (correct C or substitution S) or deleted (D),
 * and every hypothesis token not matched is an insertion (I). Then
 *
 *     error rate = 100 * (S + D + I) / N      (so it can exceed 100 %)
 *
 * summed over utterances before dividing (a corpus WER is not the mean of the
 * utterance WERs). Words, characters and phones differ only in how a transcript
 * is cut into tokens (metrics_tokenize).
 *
 * Alignment (Levenshtein, dynamic programming over the (N+1) x (M+1) grid):
 * substitution, deletion and insertion each cost one error, so S + D + I is the
 * minimum edit distance, as in Kaldi's compute-wer and sclite with unit
 * weights. Alignments are often not unique; ties are broken deterministically:
 *   1. fewest errors S + D + I;
 *   2. among those, fewest deletions + insertions, i.e. a substitution is
 *      preferred over a deletion/insertion pair (ref "a b", hyp "b a" aligns
 *      as two substitutions, not "delete a, match b, insert a");
 *   3. any tie left (equal S, D, I; only the positions differ) is resolved by
 *      the backtrace from the end of both sequences, which takes the diagonal
 *      step (correct/substitution) first, then a deletion, then an insertion:
 *      matches are placed as late as possible, deletions and insertions as
 *      early as possible (ref "a a", hyp "a" deletes the first "a").
 * Since C + S + D = N and C + S + I = M, D - I = N - M on every path, so rule 2
 * is the same as "most substitutions" among the minimum-error alignments.
 * Rules 1 and 2 fix the counts: from E = S + D + I and X = D + I of the best
 * path, D = (X + N - M) / 2, I = (X - N + M) / 2, S = E - X, C = N - S - D, so
 * rule 3 moves errors around but never changes C, S, D or I.
 *
 * Cost of the alignment (time O(N * M) always):
 *   - counts only (edit_count*, metrics_score without details): two rows of
 *     M + 1 costs, O(M) memory; 20000 x 20000 words need 340 kB (they needed
 *     3.2 GB when the whole cost matrix was kept);
 *   - the path (edit_align*, --details, metrics_alignment_line): 2 bits of
 *     back-pointer per cell besides the two rows, and only while N * M is at
 *     most EDIT_ALIGN_MAX_CELLS (2^27 cells, 32 MiB). Beyond that the counts are
 *     still exact but no path is built (too_long is set, ops is NULL), and the
 *     printers say so in place of the path: an alignment of more than ~11000 x
 *     11000 tokens is no use to a person reading it, and sclite users still
 *     want the utterance counted, not the whole run failed.
 *   - metrics_score refuses an utterance with more than METRICS_MAX_TOKENS
 *     tokens on either side (an error naming the utterance): the time grows as
 *     N * M, about 2.5 ns a cell, so 2^16 x 2^16 tokens take some 10 s, more
 *     than any real utterance needs (2^16 characters is over an hour of
 *     speech), while two 1 MiB lines of one-letter words, 500000 tokens each,
 *     would take ten minutes, and a million characters a side forty.
 *
 * Tokenization choices:
 *   - words and phones: whitespace-separated tokens;
 *   - characters: the characters of the words, the spaces between words NOT
 *     counted (what Kaldi's steps/score_kaldi_cer.sh and most CER scripts do),
 *     so "ab c" vs "a bc" has CER 0 but WER 100. A character is a UTF-8 code
 *     point, not a byte.
 *
 * Rates with N = 0 (empty references only): 0 errors over 0 tokens is 0 %;
 * any insertion over 0 tokens has no finite rate and metrics_rate returns
 * INFINITY (printed "inf"), never a division by zero.
 */
#ifndef ASR_METRICS_H
#define ASR_METRICS_H

#include <stdio.h>

/* ---- alignment ---- */

typedef enum {
    EDIT_CORRECT, /* ref[ref] == hyp[hyp] */
    EDIT_SUB,     /* ref[ref] != hyp[hyp] */
    EDIT_DEL,     /* ref[ref] missing from the hypothesis; hyp = -1 */
    EDIT_INS,     /* hyp[hyp] not in the reference; ref = -1 */
} edit_op_kind;

typedef struct {
    edit_op_kind kind;
    int ref; /* index into the reference, -1 for an insertion */
    int hyp; /* index into the hypothesis, -1 for a deletion */
} edit_op;

typedef struct {
    int n_ref; /* N, the reference length */
    int n_hyp; /* M, the hypothesis length */
    int cor, sub, del, ins;
    edit_op *ops; /* the path in order, n_ops = C + S + D + I entries; NULL
                     (n_ops 0) from edit_count* or when too_long */
    int n_ops;
    int too_long; /* edit_align*: N * M > EDIT_ALIGN_MAX_CELLS, so only the
                     counts were computed */
} edit_alignment;

/* The largest N * M for which edit_align builds the path (2 bits a cell). */
#define EDIT_ALIGN_MAX_CELLS (1L << 27)

/* Are reference token I and hypothesis token J equal? CTX is the caller's. */
typedef int (*edit_equal_fn)(const void *ctx, int i, int j);

/* Align N reference tokens with M hypothesis tokens compared by EQ; fills OUT
 * (free with edit_alignment_free): the counts, and the path when N * M <=
 * EDIT_ALIGN_MAX_CELLS (else too_long = 1, ops NULL). Time O(N * M), memory
 * O(M) plus N * M / 4 bytes for the path. */
void edit_align(int n, int m, edit_equal_fn eq, const void *ctx, edit_alignment *out);
/* The same over integer token ids and over strings (strcmp). */
void edit_align_ints(const int *ref, int n, const int *hyp, int m, edit_alignment *out);
void edit_align_strings(char *const *ref, int n, char *const *hyp, int m, edit_alignment *out);
/* Only the counts (exactly those of edit_align), never the path: time
 * O(N * M), memory O(M) for any N and M. */
void edit_count(int n, int m, edit_equal_fn eq, const void *ctx, edit_alignment *out);
void edit_count_ints(const int *ref, int n, const int *hyp, int m, edit_alignment *out);
void edit_count_strings(char *const *ref, int n, char *const *hyp, int m, edit_alignment *out);
void edit_alignment_free(edit_alignment *a);

/* ---- tokenization ---- */

typedef enum { METRICS_WORDS, METRICS_CHARS, METRICS_PHONES } metrics_level;

typedef struct {
    char **tok; /* n pointers into buf */
    int n;
    char *buf;
} token_list;

/* Cut TEXT into tokens at LEVEL (see the choices above); free with
 * token_list_free. */
void metrics_tokenize(const char *text, metrics_level level, token_list *out);
void token_list_free(token_list *t);
/* How many tokens metrics_tokenize would cut TEXT into, without copying. */
int metrics_count_tokens(const char *text, metrics_level level);
/* "words", "characters" or "phones", for messages. */
const char *metrics_level_tokens(metrics_level level);

/* ---- accumulation over utterances ---- */

typedef struct {
    long cor, sub, del, ins;
    long n_ref;    /* N summed over utterances */
    long sent;     /* utterances scored */
    long sent_err; /* utterances with at least one error */
} error_counts;

/* Add one utterance's alignment to ACC. */
void error_counts_add(error_counts *acc, const edit_alignment *a);
static inline long error_counts_errors(const error_counts *c)
{
    return c->sub + c->del + c->ins;
}

/* The most tokens metrics_score aligns on either side of one utterance. */
#define METRICS_MAX_TOKENS 65536

/* Tokenize REF and HYP at LEVEL, align them and add the counts to ACC; when
 * DETAILS is not NULL print the sclite-style block of utterance ID there
 * (counts only, in O(M) memory, when DETAILS is NULL). Returns 0, or -1 with
 * ACC unchanged and an error naming utterance ID and the limit when either
 * side has more than METRICS_MAX_TOKENS tokens; a caller with a file at hand
 * prefixes FILE:LINE to asr_last_error(). */
int metrics_score(error_counts *acc, const char *id, const char *ref, const char *hyp,
                  metrics_level level, FILE *details);

/* 100 * ERRORS / N; 0 when both are 0; INFINITY when N = 0 < ERRORS. */
double metrics_rate(long errors, long n);

/* Kaldi compute-wer lines, LABEL being "WER", "CER" or "PER":
 *   %WER 12.50 [ 5 / 40, 1 ins, 2 del, 2 sub ]
 * and the sentence error rate line
 *   %SER 20.00 [ 2 / 10 ]                                                   */
void metrics_print_rate(FILE *out, const char *label, const error_counts *c);
void metrics_print_ser(FILE *out, const error_counts *c);

/* An sclite-style alignment block of one utterance:
 *   id: (ID)
 *   Scores: (#C #S #D #I) 3 1 0 1
 *   REF:  a B c d ***
 *   HYP:  a X c d E
 *   Eval:   S       I
 * Columns are padded to the wider token (counted in UTF-8 code points); errors
 * are uppercased (ASCII letters), a deleted token shows as asterisks filling
 * its column in HYP (at least ***), an inserted one likewise in REF; the Eval
 * line marks each error column S, D or I. No line has trailing blanks. When
 * A is too_long the three aligned lines are replaced by one
 *   Alignment: not shown, 20000 x 20000 tokens are more than the 134217728-cell limit
 * (the Scores line is exact all the same). */
void metrics_print_alignment(FILE *out, const char *id, char *const *ref, char *const *hyp,
                             const edit_alignment *a);

/* The same alignment on one line, for a table a person reads and tags:
 * correct tokens as they are, errors as REF->HYP with * for the missing
 * side, e.g. "oh oh->four eight->* *->six"; for a too_long A the note
 * "(alignment not shown: N x M tokens)". A new string. */
char *metrics_alignment_line(char *const *ref, char *const *hyp, const edit_alignment *a);

#endif
