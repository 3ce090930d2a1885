/* fuzz_lexicon.c — pronunciation lexicons (src/text/lexicon.h): the CMUdict
 * reader on the whole input, what reads a lexicon (lookups, adding
 * pronunciations, printing), the printed text must read back into the same
 * lexicon, and the espeak-ng -> ARPAbet converter on each line of the input
 * (as `asr lexicon` feeds it espeak-ng's output for words CMUdict lacks). */
#include "fuzz_common.h"

#include "text/lexicon.h"

#define MAX_PHONES 64

static void exercise(lexicon *lex)
{
    for (int i = 0; i < lex->n && i < 64; i++) {
        const lexicon_entry *e = &lex->e[i];
        if (lexicon_lookup(lex, e->word) != e) {
            fprintf(stderr, "fuzz_lexicon: lookup of '%s' misses its entry\n", e->word);
            abort();
        }
    }
    (void)lexicon_lookup(lex, "");
    (void)lexicon_lookup(lex, "zzzz-not-a-word");
    /* Print, read back: the same words and pronunciation counts. */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) abort();
    lexicon_print(f, lex);
    fclose(f);
    lexicon back;
    if (lexicon_read_text(buf, "printed", &back) < 0) {
        fprintf(stderr, "fuzz_lexicon: the printed lexicon does not read back: %s\n",
                asr_last_error());
        abort();
    }
    int same = back.n == lex->n;
    for (int i = 0; same && i < lex->n; i++)
        same = !strcmp(back.e[i].word, lex->e[i].word) && back.e[i].npron == lex->e[i].npron;
    if (!same) {
        fprintf(stderr, "fuzz_lexicon: the printed lexicon reads back differently\n");
        abort();
    }
    lexicon_free(&back);
    free(buf);
    /* Another pronunciation for the first word, and a new word. */
    if (lex->n) {
        int pron[2] = {0, LEXICON_NUM_PHONES - 1};
        char *w = strdup(lex->e[0].word);
        lexicon_add(lex, w, pron, 2);
        lexicon_add(lex, w, pron, 2);
        free(w);
    }
    int one = 5;
    lexicon_add(lex, "fuzzword", &one, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    char *text = fuzz_cstr(data, size);
    lexicon lex;
    int rc = lexicon_read_text(text, "fuzz.dict", &lex);
    rc == 0 ? fuzz_note("lexicon loaded") : fuzz_refused("lexicon refused");
    if (rc == 0) {
        exercise(&lex);
        lexicon_free(&lex);
    }
    /* espeak-ng mnemonics, a line at a time (and the whole input once). */
    int out[MAX_PHONES];
    (void)lexicon_espeak_to_arpabet(text, out, MAX_PHONES);
    char *save = NULL;
    int lines = 0;
    for (char *l = strtok_r(text, "\n", &save); l && lines < 256; l = strtok_r(NULL, "\n", &save)) {
        int n = lexicon_espeak_to_arpabet(l, out, MAX_PHONES);
        for (int i = 0; i < n; i++)
            if (out[i] < 0 || out[i] >= LEXICON_NUM_PHONES) {
                fprintf(stderr, "fuzz_lexicon: espeak '%s' gave phone index %d\n", l, out[i]);
                abort();
            }
        (void)lexicon_phone_index(l);
        lines++;
    }
    free(text);
    return 0;
}
