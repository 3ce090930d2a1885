/* lexicon.h — pronunciation lexicons in CMUdict format, the 39-phone ARPAbet
 * set, and the espeak-ng -> ARPAbet fallback for words CMUdict lacks.
 *
 * File format (CMUdict, as Debian pocketsphinx-en-us ships it):
 *     word  PH PH PH
 *     word(2)  PH PH        an alternate pronunciation
 * Lines starting with ";;;" are comments. Words are stored lowercase; stress
 * digits on vowels (AH0, EY1) are removed, so every phone is one of the 39
 * ARPAbet phones below. A lexicon keeps its words sorted for binary search
 * and its pronunciations in file order (the first is the primary one).
 */
#ifndef ASR_LEXICON_H
#define ASR_LEXICON_H

#include "base/io_set.h"

#include <stdio.h>

#define LEXICON_NUM_PHONES 39

/* The phones, in a fixed order: phone id = index + 1 (0 is CTC's blank). */
extern const char *const lexicon_phones[LEXICON_NUM_PHONES];

/* Index of PHONE in lexicon_phones (stress digit allowed), or -1. */
int lexicon_phone_index(const char *phone);

typedef struct {
    char *word;
    int npron;
    int *pron_len; /* npron lengths */
    int **pron;    /* npron arrays of phone indices (0-based into lexicon_phones) */
} lexicon_entry;

typedef struct {
    lexicon_entry *e; /* sorted by word (strcmp) */
    int n;
} lexicon;

/* Read PATH. A phone outside the set or a malformed line is an error naming
 * FILE:LINE. With WANTED (sorted, NWANTED words) only those words are kept,
 * which makes reading the 135k-word CMUdict for a small corpus cheap. */
int lexicon_read(const char *path, const char *const *wanted, int nwanted, lexicon *lex);

/* The same from TEXT in memory (NAME stands for the path in messages). */
int lexicon_read_text(const char *text, const char *name, lexicon *lex);

/* LEX in CMUdict format to OUT. */
void lexicon_print(FILE *out, const lexicon *lex);

/* Write LEX atomically to PATH, an output of IO, in CMUdict format
 * ("word PH PH", alternates "word(2)"). */
int lexicon_write(const io_set *io, const char *path, const lexicon *lex);

/* The entry of WORD, or NULL. */
const lexicon_entry *lexicon_lookup(const lexicon *lex, const char *word);

/* Add a pronunciation (phone indices) to WORD, creating the entry; keeps the
 * lexicon sorted. A pronunciation equal to one already there is ignored. */
void lexicon_add(lexicon *lex, const char *word, const int *pron, int len);

void lexicon_free(lexicon *lex);

/* Convert espeak-ng's phoneme mnemonics for one word (the output of
 * `espeak-ng -q -x -v en-us WORD`, e.g. "h@l'oU") to ARPAbet indices (at most
 * MAX). Stress and syllable marks are ignored; the mapping table in
 * lexicon.c documents every symbol. Returns the count, or -1 (asr_error naming
 * the symbol) when a symbol has no mapping. */
int lexicon_espeak_to_arpabet(const char *espeak, int *out, int max);

#endif
