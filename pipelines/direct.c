/* direct.c — the end-to-end pipeline: audio → characters.
 *
 * One CTC head over the character alphabet (src/text/alphabet.h: 0 blank, 1–26
 * 'a'–'z', 27 apostrophe, 28 space). Targets are the transcript spelled out
 * (one space between words); a character outside the alphabet is an error
 * naming the utterance — recipes normalise text with `asr text normalize`,
 * so one here means the data directory was not. Decoding is greedy, or
 * prefix beam search (--beam N) over characters scored by a character n-gram
 * LM (src/decode/charlm.h): --lm ARPA, else a 5-gram Kneser-Ney estimated
 * from the training transcripts when the model is trained (stored in the
 * model file, like the staged pipeline's word LM). --lm-weight scales it,
 * --word-penalty is added per character.
 */
#include "pipelines/pipeline.h"

#include "base/alloc.h"
#include "text/alphabet.h"
#include "decode/charlm.h"
#include "decode/ctc_beam.h"
#include "base/error.h"
#include "base/log.h"

#include <stdlib.h>
#include <string.h>

enum { CHARLM_ORDER = 5 };

struct pipeline {
    pipeline_options opt;
    ngram_lm *lm; /* NULL: no LM (beam search on acoustics alone) */
};

static const pipeline_head heads[] = {{"char", ALPHABET_NUM_CHARS, MT_CTC, 1}};

static void direct_free(pipeline *p)
{
    if (p->lm) ngram_free(p->lm);
    free(p);
}

/* OPT plus an LM: OPT's file when given, else STORED (ARPA text, may be NULL). */
static pipeline *make(const pipeline_options *opt, const char *stored)
{
    pipeline *p = xcalloc(1, sizeof *p);
    p->opt = *opt;
    p->opt.lexicon_path = NULL; /* a lexicon is the staged pipeline's business */
    if (opt->lm_path)
        p->lm = ngram_read_arpa(opt->lm_path);
    else if (stored)
        p->lm = ngram_read_arpa_text(stored, "model LM");
    /* The reader names the file; a character-LM check failing does not. */
    charlm_scorer check;
    if ((opt->lm_path || stored) && !p->lm) {
        direct_free(p);
        return NULL;
    }
    if (p->lm && charlm_scorer_init(&check, p->lm, 1, 0) < 0) {
        asr_error("%s: %s", opt->lm_path ? opt->lm_path : "model LM", asr_last_error());
        direct_free(p);
        return NULL;
    }
    return p;
}

static pipeline *direct_create(const pipeline_options *opt)
{
    return make(opt, NULL);
}

static int direct_prepare(pipeline *p, const corpus *train)
{
    if (p->lm) return 0;
    p->lm = charlm_estimate(train, CHARLM_ORDER);
    if (!p->lm) return -1;
    asr_log(ASR_LOG_INFO,
            "direct: no --lm given: a %d-gram Kneser-Ney character LM from the %d training "
            "transcripts (used by beam search)",
            CHARLM_ORDER, train->n);
    return 0;
}

static pipeline *direct_load(const model_file *m, const pipeline_options *opt)
{
    /* The symbol table in the file must be the one this code spells with. */
    if (alphabet_check(ALPHABET_CHARS, model_file_text(m, "symbols"), "direct") < 0) return NULL;
    return make(opt, model_file_text(m, "lm"));
}

static int direct_save(const pipeline *p, model_file *m)
{
    char *table = alphabet_table(ALPHABET_CHARS);
    model_file_put_text(m, "symbols", table);
    free(table);
    if (p->lm) {
        char *arpa = ngram_arpa_text(p->lm);
        model_file_put_text(m, "lm", arpa);
        free(arpa);
    }
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
    int *sym = xmalloc(((size_t)T + 1) * sizeof *sym),
        *frame = xmalloc(((size_t)T + 1) * sizeof *frame);
    int n;
    if (p->opt.beam <= 1) {
        n = ctc_greedy_frames(logp[0], T, ALPHABET_NUM_CHARS, sym, frame);
    } else {
        ctc_beam_options bo = {.beam = p->opt.beam, .prune = 10.0f, .frames = frame};
        charlm_scorer cs;
        if (p->lm && charlm_scorer_init(&cs, p->lm, p->opt.lm_weight, p->opt.word_penalty) == 0)
            bo.lm = &cs.scorer;
        n = ctc_beam_search(logp[0], T, ALPHABET_NUM_CHARS, &bo, sym, NULL);
    }
    alphabet_unspell(sym, n, &res->words, &res->units);
    /* Words are the runs of characters between spaces, as unspelt. */
    int *first = xmalloc(((size_t)n + 1) * sizeof *first),
        *end = xmalloc(((size_t)n + 1) * sizeof *end);
    int nw = ctc_split_words(sym, n, ALPHABET_SPACE, first, end);
    res->w = xcalloc((size_t)nw + 1, sizeof *res->w);
    ctc_word_times(logp[0], T, ALPHABET_NUM_CHARS, sym, frame, n, first, end, nw, res->w);
    res->gap = ctc_free_gap(logp[0], T, ALPHABET_NUM_CHARS, sym, n);
    pipeline_result_name_words(res);
    free(first);
    free(end);
    free(sym);
    free(frame);
    return 0;
}

const pipeline_ops pipeline_direct = {
    .name = "direct",
    .summary = "audio -> characters (CTC): one network spells the words",
    .create = direct_create,
    .prepare = direct_prepare,
    .load = direct_load,
    .save = direct_save,
    .heads = direct_heads,
    .symbol = direct_symbol,
    .targets = direct_targets,
    .decode = direct_decode,
    .free = direct_free,
};
