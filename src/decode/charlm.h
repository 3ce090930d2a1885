/* charlm.h — a character n-gram LM for CTC prefix beam search.
 *
 * The direct pipeline spells; what it lacks against the staged pipeline is
 * knowledge of which spellings are words and which words follow which. A
 * character n-gram gives it that without a lexicon: its tokens are the
 * character alphabet's symbol names (alphabet.h: "a".."z", "'", and
 * "<space>" between words), so an ARPA file of such tokens — estimated by
 * charlm_estimate from training transcripts, or any ARPA over those names —
 * scores a prefix one symbol at a time. In the search (ctc_beam.h) every
 * appended symbol adds
 *   weight * ln P(c | previous n-1 characters) + bonus
 * and the end of the utterance adds weight * ln P(</s> | ...). A symbol the
 * LM's vocabulary lacks scores as <unk> (or -99 in log10 without one).
 */
#ifndef ASR_CHARLM_H
#define ASR_CHARLM_H

#include "text/corpus.h"
#include "decode/ctc_beam.h"
#include "decode/ngram.h"

/* TEXT spelled into character tokens ("one two" -> "o n e <space> t w o"),
 * a new string; NULL with a message naming ID when a character is outside
 * the alphabet. */
char *charlm_tokens(const char *id, const char *text);

/* An ORDER-gram Kneser-Ney LM of TRAIN's transcripts spelled into character
 * tokens; NULL with a message naming the utterance when one cannot be spelled. */
ngram_lm *charlm_estimate(const corpus *train, int order);

/* A scorer of the character alphabet over LM (kept by reference). */
typedef struct {
    const ngram_lm *lm;
    float weight, bonus;
    int wid[32]; /* character symbol id -> LM word id (-1: not in the LM) */
    int eos;
    ctc_scorer scorer;
} charlm_scorer;

/* -1 with a message when LM has none of the alphabet's symbols (not a
 * character LM). */
int charlm_scorer_init(charlm_scorer *s, const ngram_lm *lm, float weight, float bonus);

#endif
