/* direct.c — the end-to-end pipeline: audio → characters.
 *
 * One CTC head over the character alphabet (src/alphabet.h: 0 blank, 1–26
 * 'a'–'z', 27 apostrophe, 28 space). Targets are the transcript spelled out
 * (one space between words); a character outside the alphabet is an error
 * naming the utterance — recipes normalise text with `asr text normalize`,
 * so one here means the data directory was not. Decoding is greedy or
 * prefix beam search over characters.
 */
#include "pipeline.h"

#include "alloc.h"
#include "alphabet.h"
#include "ctc_beam.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

struct pipeline {
    pipeline_options opt;
};

static const pipeline_head heads[] = {{"char", ALPHABET_NUM_CHARS, MT_CTC, 1}};

static pipeline *direct_create(const pipeline_options *opt)
{
    if (opt->lm_path) {
        asr_error("direct pipeline: a character LM (%s) is not supported yet", opt->lm_path);
        return NULL;
    }
    pipeline *p = xcalloc(1, sizeof *p);
    p->opt = *opt;
    p->opt.lexicon_path = NULL; /* a lexicon is the staged pipeline's business */
    return p;
}

static pipeline *direct_load(const model_file *m, const pipeline_options *opt)
{
    /* The symbol table in the file must be the one this code spells with. */
    if (alphabet_check(ALPHABET_CHARS, model_file_text(m, "symbols"), "direct") < 0) return NULL;
    return direct_create(opt);
}

static int direct_save(const pipeline *p, model_file *m)
{
    (void)p;
    char *table = alphabet_table(ALPHABET_CHARS);
    model_file_put_text(m, "symbols", table);
    free(table);
    return 0;
}

static int direct_heads(const pipeline *p, const pipeline_head **out)
{
    (void)p;
    *out = heads;
    return 1;
}

static const char *direct_symbol(const pipeline *p, int head, int id)
{
    (void)p;
    return head == 0 ? alphabet_symbol(ALPHABET_CHARS, id) : NULL;
}

static int direct_targets(const pipeline *p, int head, const corpus_utt *u, int *out, int cap)
{
    (void)p;
    (void)head;
    return alphabet_spell(u, out, cap, "direct");
}

static int direct_decode(const pipeline *p, const float *const *logp, int T, pipeline_result *res)
{
    int *sym = xmalloc(((size_t)T + 1) * sizeof *sym);
    int n;
    if (p->opt.beam <= 1) {
        n = ctc_greedy(logp[0], T, ALPHABET_NUM_CHARS, sym);
    } else {
        ctc_beam_options bo = {.beam = p->opt.beam, .prune = 10.0f};
        n = ctc_beam_search(logp[0], T, ALPHABET_NUM_CHARS, &bo, sym, NULL);
    }
    alphabet_unspell(sym, n, &res->words, &res->units);
    free(sym);
    return 0;
}

static void direct_free(pipeline *p)
{
    free(p);
}

const pipeline_ops pipeline_direct = {
    .name = "direct",
    .create = direct_create,
    .load = direct_load,
    .save = direct_save,
    .heads = direct_heads,
    .symbol = direct_symbol,
    .targets = direct_targets,
    .decode = direct_decode,
    .free = direct_free,
};
