/* word_search.h — words from phone posteriors: lexicon prefix tree x word
 * n-gram LM, CTC prefix beam search (EESEN's TLG decoding done on the fly).
 *
 * The lexicon's pronunciations (every alternate) form a prefix tree over
 * phones. A hypothesis is a position in that tree (the root between words),
 * the last phone emitted (CTC's repeat rule: the same phone twice needs a
 * blank between), and the word history (which fixes the LM state). Per frame
 * each hypothesis may
 *   - emit blank                            (stays),
 *   - repeat its last phone                 (stays; only from a non-blank end),
 *   - emit phone c that continues the tree  (moves to the child; when c equals
 *                                            the last phone only from a blank end),
 * and when the child ends words, also completes each of them: back to the
 * root with lm_weight * ln P_LM(word | history) + word_penalty added. Like the
 * character beam search (ctc_beam.h) it keeps log P(ends in blank) and
 * log P(ends in a phone) per hypothesis so alignments are summed, merges
 * hypotheses with equal (tree node, last phone, word history), and keeps the
 * BEAM best by acoustic + LM score. At the end only hypotheses between words
 * count, with the LM's end-of-sentence score; the best one's words and its
 * phones (the pronunciations actually chosen) are returned.
 */
#ifndef ASR_WORD_SEARCH_H
#define ASR_WORD_SEARCH_H

#include "text/lexicon.h"
#include "decode/ctc_times.h"
#include "decode/ngram.h"

typedef struct word_search word_search;

typedef struct {
    int beam;           /* hypotheses kept per frame (>= 1) */
    float lm_weight;    /* scale of the LM's natural-log probabilities */
    float word_penalty; /* added per word (negative discourages insertions) */
    float prune;        /* phones below the frame's best minus this are not tried (0 = off) */
} word_search_options;

/* LM may be NULL (every word sequence equally likely). Words of LEX that the
 * LM lacks get its <unk> probability, or 10^-99 when it has none. Keeps
 * pointers to LEX and LM: they must outlive the search. */
word_search *word_search_create(const lexicon *lex, const ngram_lm *lm);
void word_search_free(word_search *ws);

/* Decode T frames of V = 1 + LEXICON_NUM_PHONES log-posteriors (0 blank,
 * phone p = lexicon_phones[p - 1]). *WORDS and *PHONES receive new strings
 * (space-separated; empty when nothing was recognised). TIMES: NULL, or
 * *TIMES receives a new array of the words' times and confidences, one per
 * word of *WORDS (ctc_times.h; names NULL), from the best path's phones, and
 * *GAP (when not NULL) the utterance's free-path gap (ctc_times.h). */
int word_search_decode(const word_search *ws, const word_search_options *o, const float *logp,
                       int T, char **words, char **phones, ctc_word **times, float *gap);

#endif
