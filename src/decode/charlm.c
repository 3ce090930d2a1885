/* charlm.c — character n-gram estimation and CTC scoring; see charlm.h. */
#include "decode/charlm.h"

#include "base/alloc.h"
#include "text/alphabet.h"
#include "base/error.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *charlm_tokens(const char *id, const char *text)
{
    corpus_utt u = {.id = (char *)id, .text = (char *)text};
    int cap = (int)strlen(text) + 1;
    int *sym = xmalloc((size_t)cap * sizeof(int));
    int n = alphabet_spell(&u, sym, cap, "direct");
    char *s = NULL;
    if (n >= 0) {
        /* Token names: at most 7 bytes ("<space>") plus a separator each. */
        s = xmalloc((size_t)n * 8 + 1);
        char *w = s;
        *w = 0;
        for (int k = 0; k < n; k++)
            w += sprintf(w, "%s%s", k ? " " : "", alphabet_symbol(ALPHABET_CHARS, sym[k]));
    }
    free(sym);
    return s;
}

ngram_lm *charlm_estimate(const corpus *train, int order)
{
    char **text = xcalloc((size_t)(train->n ? train->n : 1), sizeof(char *));
    ngram_lm *lm = NULL;
    int i;
    for (i = 0; i < train->n; i++)
        if (!(text[i] = charlm_tokens(train->utts[i].id, train->utts[i].text))) goto done;
    lm = ngram_estimate(text, train->n, order, NGRAM_KNESER_NEY);
done:
    for (int k = 0; k < i; k++) free(text[k]);
    free(text);
    return lm;
}

/* ln 10: the LM speaks log10, the search natural log. */
#define LN10 2.302585093f

static float extend(void *ctx, int state, int sym, int *next)
{
    const charlm_scorer *s = ctx;
    return s->weight * LN10 * ngram_score(s->lm, state, s->wid[sym], next) + s->bonus;
}

static float finish(void *ctx, int state)
{
    const charlm_scorer *s = ctx;
    int next;
    return s->weight * LN10 * ngram_score(s->lm, state, s->eos, &next);
}

int charlm_scorer_init(charlm_scorer *s, const ngram_lm *lm, float weight, float bonus)
{
    memset(s, 0, sizeof *s);
    s->lm = lm;
    s->weight = weight;
    s->bonus = bonus;
    int known = 0;
    for (int id = 0; id < ALPHABET_NUM_CHARS; id++) {
        s->wid[id] = id ? ngram_word_id(lm, alphabet_symbol(ALPHABET_CHARS, id)) : -1;
        known += s->wid[id] >= 0;
    }
    if (!known)
        return asr_error("the LM has none of the character symbols (a-z, ', <space>): "
                         "not a character LM");
    s->eos = ngram_eos(lm);
    s->scorer = (ctc_scorer){extend, finish, ngram_start(lm), s};
    return 0;
}
