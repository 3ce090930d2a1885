/* lexsearch.h — words from phone posteriors with everything that takes:
 * a lexicon, a word n-gram LM and the lexicon-tree x LM beam search of
 * word_search.h, with their model-file sections ("lexicon": CMUdict text,
 * "lm": ARPA text) so a model decodes with nothing else at hand.
 *
 * What the staged pipeline and the multitask pipeline's phone head share:
 * without an LM file, a trigram Kneser-Ney LM is estimated from the training
 * transcripts (lexsearch_prepare); a lexicon or LM given at decode time
 * replaces the stored one.
 */
#ifndef ASR_LEXSEARCH_H
#define ASR_LEXSEARCH_H

#include "text/corpus.h"
#include "text/lexicon.h"
#include "base/model_file.h"
#include "decode/ngram.h"
#include "decode/word_search.h"

typedef struct {
    lexicon lex;
    ngram_lm *lm; /* NULL: every word sequence equally likely */
    word_search *ws;
} lexsearch;

/* Read LEXICON_PATH (required; WHO names the pipeline asking when it is
 * missing) and LM_PATH (ARPA, may be NULL). -1 with a message on failure
 * (nothing to free then). */
int lexsearch_open(lexsearch *s, const char *lexicon_path, const char *lm_path, const char *who);

/* Without an LM: estimate a trigram Kneser-Ney LM from TRAIN's transcripts
 * and say so on stderr ("WHO: no --lm given: ..."). */
int lexsearch_prepare(lexsearch *s, const corpus *train, const char *who);

/* Restore from M's sections; LEXICON_PATH / LM_PATH (may be NULL) replace
 * the stored lexicon / LM. -1 with a message on failure. */
int lexsearch_load(lexsearch *s, const model_file *m, const char *lexicon_path, const char *lm_path,
                   const char *who);

/* Store the lexicon and (when there is one) the LM into M. */
void lexsearch_save(const lexsearch *s, model_file *m);

/* Search T frames of ALPHABET_PHONES log-posteriors ([T][40], alphabet.h):
 * beam BEAM (<= 1: 16), LM weight and word penalty as word_search.h.
 * *WORDS and *PHONES receive new strings, *TIMES (when not NULL) the words'
 * times and confidences and *GAP the free-path gap (word_search.h). */
int lexsearch_decode(const lexsearch *s, int beam, float lm_weight, float word_penalty,
                     const float *logp, int T, char **words, char **phones, ctc_word **times,
                     float *gap);

void lexsearch_free(lexsearch *s);

#endif
