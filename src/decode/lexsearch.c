/* lexsearch.c — lexicon + word LM + word search, with model-file sections;
 * see lexsearch.h. */
#include "decode/lexsearch.h"

#include "base/alloc.h"
#include "base/error.h"
#include "base/log.h"
#include "text/alphabet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void rebuild_search(lexsearch *s)
{
    word_search_free(s->ws);
    s->ws = word_search_create(&s->lex, s->lm);
}

void lexsearch_free(lexsearch *s)
{
    word_search_free(s->ws);
    ngram_free(s->lm);
    lexicon_free(&s->lex);
    memset(s, 0, sizeof *s);
}

/* A lexicon without words can only ever decode to nothing. */
static int check_words(lexsearch *s, const char *name)
{
    if (s->lex.n > 0) return 0;
    lexicon_free(&s->lex);
    return asr_error("%s: the lexicon has no words: every utterance would decode to nothing", name);
}

int lexsearch_open(lexsearch *s, const char *lexicon_path, const char *lm_path, const char *who)
{
    memset(s, 0, sizeof *s);
    if (!lexicon_path)
        return asr_error("the %s pipeline needs a lexicon (--lexicon, e.g. DATA/lexicon.txt from "
                         "data/recipes/digits.sh or `asr lexicon build`)",
                         who);
    if (lexicon_read(lexicon_path, NULL, 0, &s->lex) < 0 || check_words(s, lexicon_path) < 0)
        return -1;
    if (lm_path && !(s->lm = ngram_read_arpa(lm_path))) {
        lexsearch_free(s);
        return -1;
    }
    rebuild_search(s);
    return 0;
}

int lexsearch_prepare(lexsearch *s, const corpus *train, const char *who)
{
    if (s->lm) return 0;
    char **text = xmalloc(sizeof(char *) * (size_t)(train->n ? train->n : 1));
    /* Markers (<noise>) are no words: their utterances are empty sentences,
     * as the direct pipeline's character LM sees them. */
    for (int i = 0; i < train->n; i++) text[i] = alphabet_strip_markers(train->utts[i].text);
    s->lm = ngram_estimate(text, train->n, 3, NGRAM_KNESER_NEY);
    for (int i = 0; i < train->n; i++) free(text[i]);
    free(text);
    if (!s->lm) return -1;
    asr_log(ASR_LOG_INFO,
            "%s: no --lm given: a trigram Kneser-Ney LM from the %d training "
            "transcripts (%d words)",
            who, train->n, ngram_vocab_size(s->lm) - 2);
    rebuild_search(s);
    return 0;
}

int lexsearch_load(lexsearch *s, const model_file *m, const char *lexicon_path, const char *lm_path,
                   const char *who)
{
    memset(s, 0, sizeof *s);
    const char *lex = model_file_text(m, "lexicon");
    const char *lm = model_file_text(m, "lm");
    if (!lex) return asr_error("%s model without its lexicon", who);
    int rc = lexicon_path ? lexicon_read(lexicon_path, NULL, 0, &s->lex)
                          : lexicon_read_text(lex, "model lexicon", &s->lex);
    if (rc < 0 || check_words(s, lexicon_path ? lexicon_path : "the model's lexicon") < 0)
        return -1;
    if (lm_path)
        s->lm = ngram_read_arpa(lm_path);
    else if (lm)
        s->lm = ngram_read_arpa_text(lm, "model LM");
    if ((lm_path || lm) && !s->lm) {
        lexsearch_free(s);
        return -1;
    }
    rebuild_search(s);
    return 0;
}

void lexsearch_save(const lexsearch *s, model_file *m)
{
    size_t len = 0;
    char *buf = NULL;
    FILE *f = open_memstream(&buf, &len);
    lexicon_print(f, &s->lex);
    fclose(f);
    model_file_put_text(m, "lexicon", buf);
    free(buf);
    if (s->lm) {
        buf = ngram_arpa_text(s->lm);
        model_file_put_text(m, "lm", buf);
        free(buf);
    }
}

int lexsearch_decode(const lexsearch *s, int beam, float lm_weight, float word_penalty,
                     const float *logp, int T, char **words, char **phones, ctc_word **times,
                     float *gap)
{
    word_search_options o = {.beam = beam > 1 ? beam : 16,
                             .lm_weight = lm_weight,
                             .word_penalty = word_penalty,
                             .prune = 12.0f};
    return word_search_decode(s->ws, &o, logp, T, words, phones, times, gap);
}
