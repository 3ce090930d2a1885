/* fuzz_arpa.c — the ARPA n-gram reader (src/decode/ngram.h) and what reads
 * the models it returns: scoring (ngram_start / ngram_score / ngram_prob),
 * the ARPA writer (its output must read back: a model file stores an LM as
 * that text), the direct pipeline's character-LM scorer in CTC prefix beam
 * search (src/decode/charlm.h: it has no reader of its own, a character LM
 * is an ARPA file over the alphabet's symbol names) and the staged
 * pipeline's word search (src/decode/word_search.h) over the LM's words.
 * The input is the ARPA text. */
#include "fuzz_common.h"

#include "text/alphabet.h"
#include "decode/charlm.h"
#include "decode/ctc_beam.h"
#include "text/lexicon.h"
#include "decode/ngram.h"
#include "decode/word_search.h"

#include <math.h>

/* LOGP[T][V]: random log-posteriors (each row a log-softmax). */
static float *random_logp(uint64_t *s, int T, int V)
{
    float *x = malloc((size_t)T * V * sizeof(float));
    if (!x) abort();
    for (int t = 0; t < T; t++) {
        float *row = x + (size_t)t * V, mx = -INFINITY, sum = 0;
        for (int v = 0; v < V; v++) {
            row[v] = 4 * fuzz_uniform(s);
            if (row[v] > mx) mx = row[v];
        }
        for (int v = 0; v < V; v++) sum += expf(row[v] - mx);
        for (int v = 0; v < V; v++) row[v] -= mx + logf(sum);
    }
    return x;
}

static void exercise(const ngram_lm *lm, uint64_t *s)
{
    int V = ngram_vocab_size(lm), order = ngram_order(lm);
    /* A sentence of random words (and out-of-vocabulary ones, id -1). */
    int state = ngram_start(lm), next;
    float total = 0;
    for (int i = 0; i < 12; i++) {
        int w = (int)(fuzz_next(s) % (uint64_t)(V + 1)) - 1;
        total += ngram_score(lm, state, w, &next);
        state = next;
    }
    total += ngram_score(lm, state, ngram_eos(lm), &next);
    (void)total;
    /* Explicit histories of every length up to the order (and one longer). */
    int h[NGRAM_MAX_ORDER + 1];
    for (int nh = 0; nh <= order && nh <= NGRAM_MAX_ORDER; nh++) {
        for (int j = 0; j < nh; j++) h[j] = (int)(fuzz_next(s) % (uint64_t)V);
        (void)ngram_prob(lm, nh ? h : NULL, nh, (int)(fuzz_next(s) % (uint64_t)(V + 1)) - 1);
    }
    /* Every word's id is itself. */
    for (int id = 0; id < V && id < 256; id++) {
        const char *w = ngram_word(lm, id);
        if (!w) {
            fprintf(stderr, "fuzz_arpa: word %d of %d has no name\n", id, V);
            abort();
        }
        (void)ngram_word_id(lm, w);
    }
}

/* The character LM in the direct pipeline's beam search. */
static void char_search(const ngram_lm *lm, uint64_t *s)
{
    charlm_scorer cs;
    if (charlm_scorer_init(&cs, lm, 1.5f, 0.5f) < 0) {
        fuzz_refused("not a character LM");
        return;
    }
    int T = 8, V = alphabet_size(ALPHABET_CHARS), out[8];
    float *logp = random_logp(s, T, V), score;
    ctc_beam_options o = {.beam = 4, .prune = 0, .lm = &cs.scorer};
    (void)ctc_beam_search(logp, T, V, &o, out, &score);
    fuzz_note("beam search with the character LM");
    free(logp);
}

/* The word LM in the staged pipeline's search, over a lexicon of (up to 8 of)
 * its words with made-up pronunciations. */
static void word_search_run(const ngram_lm *lm, uint64_t *s)
{
    lexicon lex = {0};
    int V = ngram_vocab_size(lm);
    for (int id = 0; id < V && lex.n < 8; id++) {
        const char *w = ngram_word(lm, id);
        if (!w || w[0] == '<') continue;
        int pron[3], len = 1 + (int)(fuzz_next(s) % 3);
        for (int k = 0; k < len; k++) pron[k] = (int)(fuzz_next(s) % LEXICON_NUM_PHONES);
        lexicon_add(&lex, w, pron, len);
    }
    if (lex.n) {
        word_search *ws = word_search_create(&lex, lm);
        if (ws) {
            int T = 10, PV = 1 + LEXICON_NUM_PHONES;
            float *logp = random_logp(s, T, PV);
            word_search_options o = {.beam = 4, .lm_weight = 1.0f, .word_penalty = 0, .prune = 0};
            char *words = NULL, *phones = NULL;
            (void)word_search_decode(ws, &o, logp, T, &words, &phones, NULL, NULL);
            fuzz_note("word search");
            free(words);
            free(phones);
            free(logp);
            word_search_free(ws);
        }
    }
    lexicon_free(&lex);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    char *text = fuzz_cstr(data, size);
    ngram_lm *lm = ngram_read_arpa_text(text, "fuzz.arpa");
    free(text);
    if (!lm) {
        fuzz_refused("ARPA refused");
        return 0;
    }
    fuzz_note("ARPA loaded");
    uint64_t s = fuzz_hash(data, size);
    exercise(lm, &s);
    /* What the writer makes, the reader takes (model files rely on it). */
    char *again = ngram_arpa_text(lm);
    ngram_lm *lm2 = ngram_read_arpa_text(again, "written.arpa");
    if (!lm2 || ngram_vocab_size(lm2) != ngram_vocab_size(lm) ||
        ngram_order(lm2) != ngram_order(lm)) {
        fprintf(stderr, "fuzz_arpa: the written ARPA text does not read back: %s\n",
                lm2 ? "different vocabulary or order" : asr_last_error());
        abort();
    }
    free(again);
    ngram_free(lm2);
    char_search(lm, &s);
    word_search_run(lm, &s);
    ngram_free(lm);
    return 0;
}
