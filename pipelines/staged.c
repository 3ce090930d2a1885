/* staged.c — audio → phones → words.
 *
 * One CTC head over the phone alphabet (src/text/alphabet.h: 0 blank, then the 39
 * ARPAbet phones in lexicon.h order). Targets are the data directory's
 * phones file when it has one (written by `asr lexicon phones`), else the
 * transcript looked up in the lexicon (first pronunciation); an unknown word
 * is an error naming the utterance. Decoding is the lexicon-tree x word
 * n-gram search of src/decode/lexsearch.h; the lexicon and the LM travel
 * inside the model file ("lexicon" and "lm" sections), so `asr decode` needs
 * nothing else. Without --lm, a trigram Kneser-Ney LM is estimated from the
 * training transcripts (prepare).
 */
#include "pipelines/pipeline.h"

#include "base/alloc.h"
#include "text/alphabet.h"
#include "base/error.h"
#include "decode/lexsearch.h"

#include <stdlib.h>

struct pipeline {
    pipeline_options opt;
    lexsearch ls;
};

static const pipeline_head heads[] = {{"phone", ALPHABET_NUM_PHONES, MT_CTC, 1}};

static void staged_free(pipeline *p)
{
    if (!p) return;
    lexsearch_free(&p->ls);
    free(p);
}

static pipeline *staged_create(const pipeline_options *opt)
{
    pipeline *p = xcalloc(1, sizeof *p);
    p->opt = *opt;
    if (lexsearch_open(&p->ls, opt->lexicon_path, opt->lm_path, "staged") < 0) {
        free(p);
        return NULL;
    }
    return p;
}

static int staged_prepare(pipeline *p, const corpus *train)
{
    return lexsearch_prepare(&p->ls, train, "staged");
}

static pipeline *staged_load(const model_file *m, const pipeline_options *opt)
{
    /* The symbol table must be this build's phone set in this order. */
    if (alphabet_check(ALPHABET_PHONES, model_file_text(m, "symbols"), "staged") < 0) return NULL;
    pipeline *p = xcalloc(1, sizeof *p);
    p->opt = *opt;
    if (lexsearch_load(&p->ls, m, opt->lexicon_path, opt->lm_path, "staged") < 0) {
        free(p);
        return NULL;
    }
    return p;
}

static int staged_save(const pipeline *p, model_file *m)
{
    char *table = alphabet_table(ALPHABET_PHONES);
    model_file_put_text(m, "symbols", table);
    free(table);
    lexsearch_save(&p->ls, m);
    return 0;
}

static int staged_heads(const pipeline *p, const pipeline_head **out)
{
    (void)p;
    *out = heads;
    return 1;
}

static const char *staged_symbol(const pipeline *p, int head, int id)
{
    (void)p;
    return head == 0 ? alphabet_symbol(ALPHABET_PHONES, id) : NULL;
}

static int staged_targets(const pipeline *p, int head, const corpus_utt *u, int *out, int cap)
{
    (void)head;
    int n = alphabet_phones(&p->ls.lex, u, out, cap);
    return n == ALPHABET_OOV ? -1 : n; /* an unknown word is an error here */
}

static int staged_decode(const pipeline *p, const float *const *logp, int T, pipeline_result *res)
{
    int rc = lexsearch_decode(&p->ls, p->opt.beam, p->opt.lm_weight, p->opt.word_penalty, logp[0],
                              T, &res->words, &res->units, &res->w, &res->gap);
    pipeline_result_name_words(res);
    return rc;
}

const pipeline_ops pipeline_staged = {
    .name = "staged",
    .summary = "audio -> phones (CTC) -> words through a lexicon and a word LM",
    .phone_units = 1,
    .needs_lexicon = 1,
    .create = staged_create,
    .prepare = staged_prepare,
    .load = staged_load,
    .save = staged_save,
    .heads = staged_heads,
    .symbol = staged_symbol,
    .targets = staged_targets,
    .decode = staged_decode,
    .free = staged_free,
};
