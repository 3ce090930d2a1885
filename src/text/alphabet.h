/* alphabet.h — the output alphabets the pipelines share, and how a
 * transcript becomes symbols of each.
 *
 *   ALPHABET_CHARS   0 blank, 1–26 'a'–'z', 27 apostrophe, 28 space. A
 *                    transcript is spelled out with one space between words.
 *   ALPHABET_PHONES  0 blank, then the 39 ARPAbet phones in lexicon.h order
 *                    (phone id = lexicon index + 1). An utterance's phones
 *                    come from its phones line (data directory's `phones`
 *                    file) when it has one, else from looking each word up in
 *                    a lexicon (first pronunciation).
 * A model file stores a table as text, one symbol per line, blank first;
 * loading checks it against this build's, since the network's outputs mean
 * nothing under another order.
 */
#ifndef ASR_ALPHABET_H
#define ASR_ALPHABET_H

#include "text/corpus.h"
#include "text/lexicon.h"

typedef enum { ALPHABET_CHARS, ALPHABET_PHONES } alphabet_kind;

enum {
    ALPHABET_APOS = 27,
    ALPHABET_SPACE = 28,
    ALPHABET_NUM_CHARS = 29,
    ALPHABET_NUM_PHONES = 1 + LEXICON_NUM_PHONES,
};

/* What alphabet_phones returns when a word is missing from the lexicon and
 * the utterance has no phones line (the message is recorded as for -1). */
#define ALPHABET_OOV (-2)

/* Number of symbols including the blank. */
int alphabet_size(alphabet_kind k);

/* Name of symbol ID ("<blk>", "a", "<space>", "AA"...), or NULL outside. */
const char *alphabet_symbol(alphabet_kind k, int id);

/* The table as stored in a model file (a new string). */
char *alphabet_table(alphabet_kind k);

/* -1 with "model's symbol table does not match the WHO pipeline's (symbol
 * N)" unless TABLE is exactly this build's table of K. */
int alphabet_check(alphabet_kind k, const char *table, const char *who);

/* Whether the word W[0..LEN) is a marker: "<...>" such as <noise>, <music>
 * or <unk>, audio that holds no word of the model's vocabulary (Kaldi's
 * <NOISE>, <SPOKEN_NOISE>). A marker has no symbols: alphabet_spell and
 * alphabet_phones skip it, so an utterance of markers only is trained as
 * blank on every frame — the network learns to say nothing there. */
int alphabet_is_marker(const char *w, size_t len);

/* TEXT's words without its markers, one space apart (a new string; "" when
 * only markers): the sentences a word LM learns from. */
char *alphabet_strip_markers(const char *text);

/* U's transcript spelled into out[cap] (ids 1..28); the count, or -1 naming
 * the utterance and the character outside the WHO pipeline's alphabet, or
 * when it needs more than CAP symbols. */
int alphabet_spell(const corpus_utt *u, int *out, int cap, const char *who);

/* Character symbols back to text: *WORDS splits at spaces (leading, trailing
 * and repeated spaces dropped), *UNITS lists the symbols ("<space>" kept).
 * Both are new strings. */
void alphabet_unspell(const int *sym, int n, char **words, char **units);

/* U's phones into out[cap] (ids 1..39): its phones line if it has one, else
 * its words through LEX. The count; ALPHABET_OOV when a word is not in LEX;
 * -1 for a phone outside the set or more than CAP phones. Every failure
 * records a message naming the utterance. */
int alphabet_phones(const lexicon *lex, const corpus_utt *u, int *out, int cap);

#endif
