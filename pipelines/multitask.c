/* multitask.c — one shared encoder, two CTC heads: phones and characters.
 *
 * The network's output row is the phone head (src/text/alphabet.h's phone
 * alphabet, 40 columns, as the staged pipeline) followed by the character
 * head (29 columns, as the direct pipeline); each has its own softmax and
 * CTC loss and the trainer adds them with the weights of the configuration
 * (multitask.phone_weight, multitask.char_weight). The character task
 * shapes the shared encoder with the spelling, which the phone task cannot
 * see, and costs nothing at decode time.
 *
 * Targets: phones from the data directory's phones file, else the lexicon
 * (as staged); characters by spelling (as direct). An utterance with a word
 * missing from the lexicon and no phones line has no phone label: its phone
 * head is masked and it trains the character head only (a count is
 * reported, it is not an error). Decoding reads the phone head alone:
 * words through the lexicon and the word LM (src/decode/lexsearch.h, the
 * staged search and its options); units are the phones. The model file holds
 * "symbols" (the phone head's table), "symbols.char", "lexicon" and "lm".
 */
#include "pipelines/pipeline.h"

#include "base/alloc.h"
#include "text/alphabet.h"
#include "base/error.h"
#include "decode/lexsearch.h"

#include <stdlib.h>

enum { HEAD_PHONE, HEAD_CHAR };

struct pipeline {
    pipeline_options opt;
    lexsearch ls;
};

static const pipeline_head heads[] = {
    [HEAD_PHONE] = {"phone", ALPHABET_NUM_PHONES, MT_CTC, 1},
    [HEAD_CHAR] = {"char", ALPHABET_NUM_CHARS, MT_CTC, 0},
};

static const alphabet_kind head_alphabet[] = {
    [HEAD_PHONE] = ALPHABET_PHONES, [HEAD_CHAR] = ALPHABET_CHARS};

static void multitask_free(pipeline *p)
{
    if (!p) return;
    lexsearch_free(&p->ls);
    free(p);
}

static pipeline *multitask_create(const pipeline_options *opt)
{
    pipeline *p = xcalloc(1, sizeof *p);
    p->opt = *opt;
    if (lexsearch_open(&p->ls, opt->lexicon_path, opt->lm_path, "multitask") < 0) {
        free(p);
        return NULL;
    }
    return p;
}

static int multitask_prepare(pipeline *p, const corpus *train)
{
    return lexsearch_prepare(&p->ls, train, "multitask");
}

static pipeline *multitask_load(const model_file *m, const pipeline_options *opt)
{
    if (alphabet_check(ALPHABET_PHONES, model_file_text(m, "symbols"), "multitask") < 0 ||
        alphabet_check(ALPHABET_CHARS, model_file_text(m, "symbols.char"), "multitask") < 0)
        return NULL;
    pipeline *p = xcalloc(1, sizeof *p);
    p->opt = *opt;
    if (lexsearch_load(&p->ls, m, opt->lexicon_path, opt->lm_path, "multitask") < 0) {
        free(p);
        return NULL;
    }
    return p;
}

static int multitask_save(const pipeline *p, model_file *m)
{
    char *phones = alphabet_table(ALPHABET_PHONES), *chars = alphabet_table(ALPHABET_CHARS);
    model_file_put_text(m, "symbols", phones);
    model_file_put_text(m, "symbols.char", chars);
    free(phones);
    free(chars);
    lexsearch_save(&p->ls, m);
    return 0;
}

static int multitask_heads(const pipeline *p, const pipeline_head **out)
{
    (void)p;
    *out = heads;
    return 2;
}

static const char *multitask_symbol(const pipeline *p, int head, int id)
{
    (void)p;
    return head == HEAD_PHONE || head == HEAD_CHAR ? alphabet_symbol(head_alphabet[head], id)
                                                   : NULL;
}

static int multitask_targets(const pipeline *p, int head, const corpus_utt *u, int *out, int cap)
{
    if (head == HEAD_CHAR) return alphabet_spell(u, out, cap, "multitask");
    int n = alphabet_phones(&p->ls.lex, u, out, cap);
    return n == ALPHABET_OOV ? PIPELINE_NO_LABEL : n;
}

static int multitask_decode(const pipeline *p, const float *const *logp, int T,
                            pipeline_result *res)
{
    int rc = lexsearch_decode(&p->ls, p->opt.beam, p->opt.lm_weight, p->opt.word_penalty,
                              logp[HEAD_PHONE], T, &res->words, &res->units, &res->w, &res->gap);
    pipeline_result_name_words(res);
    return rc;
}

const pipeline_ops pipeline_multitask = {
    .name = "multitask",
    .summary = "one network, a phone head (decoded as staged) and a character head",
    .phone_units = 1,
    .needs_lexicon = 1,
    .create = multitask_create,
    .prepare = multitask_prepare,
    .load = multitask_load,
    .save = multitask_save,
    .heads = multitask_heads,
    .symbol = multitask_symbol,
    .targets = multitask_targets,
    .decode = multitask_decode,
    .free = multitask_free,
};
