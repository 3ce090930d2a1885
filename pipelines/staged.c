/* staged.c — audio → phones → words.
 *
 * Output symbols: 0 blank, then the 39 ARPAbet phones (lexicon.h order).
 * Targets are the data directory's phones file when it has one (written by
 * `asr lexicon phones`), else the transcript looked up in the lexicon (first
 * pronunciation); an unknown word is an error naming the utterance. Decoding
 * is the lexicon-tree x word n-gram search of src/decode/word_search.h; the
 * lexicon and the LM travel inside the model file ("lexicon" and "lm"
 * sections), so `asr decode` needs nothing else. Without --lm, a trigram
 * Kneser-Ney LM is estimated from the training transcripts (prepare).
 */
#include "pipeline.h"

#include "alloc.h"
#include "error.h"
#include "lexicon.h"
#include "ngram.h"
#include "word_search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NUM_SYMBOLS = 1 + LEXICON_NUM_PHONES };

struct pipeline {
    pipeline_options opt;
    lexicon lex;
    ngram_lm *lm;
    word_search *ws;
};

static void rebuild_search(pipeline *p)
{
    word_search_free(p->ws);
    p->ws = word_search_create(&p->lex, p->lm);
}

static pipeline *finish(pipeline *p)
{
    rebuild_search(p);
    return p;
}

static void staged_free(pipeline *p)
{
    if (!p) return;
    word_search_free(p->ws);
    ngram_free(p->lm);
    lexicon_free(&p->lex);
    free(p);
}

static pipeline *staged_create(const pipeline_options *opt)
{
    if (!opt->lexicon_path) {
        asr_error("the staged pipeline needs a lexicon (--lexicon, e.g. DATA/lexicon.txt from "
                  "data/recipes/digits.sh or `asr lexicon build`)");
        return NULL;
    }
    pipeline *p = xcalloc(1, sizeof *p);
    p->opt = *opt;
    if (lexicon_read(opt->lexicon_path, NULL, 0, &p->lex) < 0) {
        free(p);
        return NULL;
    }
    if (opt->lm_path && !(p->lm = ngram_read_arpa(opt->lm_path))) {
        staged_free(p);
        return NULL;
    }
    return finish(p);
}

static int staged_prepare(pipeline *p, const corpus *train)
{
    if (p->lm) return 0;
    char **s = xmalloc(sizeof(char *) * (size_t)(train->n ? train->n : 1));
    for (int i = 0; i < train->n; i++) s[i] = train->utts[i].text;
    p->lm = ngram_estimate(s, train->n, 3, NGRAM_KNESER_NEY);
    free(s);
    if (!p->lm) return -1;
    fprintf(stderr,
            "staged: no --lm given: a trigram Kneser-Ney LM from the %d training "
            "transcripts (%d words)\n",
            train->n, ngram_vocab_size(p->lm) - 2);
    rebuild_search(p);
    return 0;
}

static pipeline *staged_load(const model_file *m, const pipeline_options *opt)
{
    const char *lex = model_file_text(m, "lexicon");
    const char *lm = model_file_text(m, "lm");
    const char *syms = model_file_text(m, "symbols");
    if (!lex || !syms) {
        asr_error("staged model without its lexicon or symbol table");
        return NULL;
    }
    /* The symbol table must be this build's phone set in this order. */
    const char *s = syms;
    for (int i = 0; i < NUM_SYMBOLS; i++) {
        const char *name = i ? lexicon_phones[i - 1] : "<blk>";
        size_t n = strlen(name);
        if (strncmp(s, name, n) || s[n] != '\n') {
            asr_error("model's symbol table does not match the staged pipeline's (symbol %d)", i);
            return NULL;
        }
        s += n + 1;
    }
    pipeline *p = xcalloc(1, sizeof *p);
    p->opt = *opt;
    /* A lexicon or LM given at decode time replaces the stored one. */
    int rc = opt->lexicon_path ? lexicon_read(opt->lexicon_path, NULL, 0, &p->lex)
                               : lexicon_read_text(lex, "model lexicon", &p->lex);
    if (rc < 0) {
        free(p);
        return NULL;
    }
    if (opt->lm_path)
        p->lm = ngram_read_arpa(opt->lm_path);
    else if (lm)
        p->lm = ngram_read_arpa_text(lm, "model LM");
    if ((opt->lm_path || lm) && !p->lm) {
        staged_free(p);
        return NULL;
    }
    return finish(p);
}

static int staged_save(const pipeline *p, model_file *m)
{
    size_t len = 0;
    char *buf = NULL;
    FILE *f = open_memstream(&buf, &len);
    for (int i = 0; i < NUM_SYMBOLS; i++) fprintf(f, "%s\n", i ? lexicon_phones[i - 1] : "<blk>");
    fclose(f);
    model_file_put_text(m, "symbols", buf);
    free(buf);
    f = open_memstream(&buf, &len);
    lexicon_print(f, &p->lex);
    fclose(f);
    model_file_put_text(m, "lexicon", buf);
    free(buf);
    if (p->lm) {
        f = open_memstream(&buf, &len);
        ngram_write_arpa(p->lm, f);
        fclose(f);
        model_file_put_text(m, "lm", buf);
        free(buf);
    }
    return 0;
}

static int staged_num_symbols(const pipeline *p)
{
    (void)p;
    return NUM_SYMBOLS;
}

static const char *staged_symbol(const pipeline *p, int id)
{
    (void)p;
    return id == 0 ? "<blk>" : id < NUM_SYMBOLS ? lexicon_phones[id - 1] : NULL;
}

static int staged_targets(const pipeline *p, const corpus_utt *u, int *out, int cap)
{
    int n = 0;
    if (u->phones) {
        char *copy = xstrdup(u->phones), *save = NULL;
        for (char *t = strtok_r(copy, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
            int ph = lexicon_phone_index(t);
            if (ph < 0 || n == cap) {
                free(copy);
                return asr_error("utterance %s: %s", u->id,
                                 ph < 0 ? "a phone outside the 39 ARPAbet phones in its phones line"
                                        : "phone sequence too long");
            }
            out[n++] = ph + 1;
        }
        free(copy);
        return n;
    }
    char *copy = xstrdup(u->text), *save = NULL;
    for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
        const lexicon_entry *e = lexicon_lookup(&p->lex, w);
        if (!e || n + e->pron_len[0] > cap) {
            free(copy);
            return asr_error("utterance %s: %s '%s'", u->id,
                             e ? "too many phones at" : "word not in the lexicon:", w);
        }
        for (int j = 0; j < e->pron_len[0]; j++) out[n++] = e->pron[0][j] + 1;
    }
    free(copy);
    return n;
}

static int staged_decode(const pipeline *p, const float *logp, int T, pipeline_result *res)
{
    word_search_options o = {.beam = p->opt.beam > 1 ? p->opt.beam : 16,
                             .lm_weight = p->opt.lm_weight,
                             .word_penalty = p->opt.word_penalty,
                             .prune = 12.0f};
    return word_search_decode(p->ws, &o, logp, T, &res->words, &res->units);
}

const pipeline_ops pipeline_staged = {
    .name = "staged",
    .create = staged_create,
    .prepare = staged_prepare,
    .load = staged_load,
    .save = staged_save,
    .num_symbols = staged_num_symbols,
    .symbol = staged_symbol,
    .targets = staged_targets,
    .decode = staged_decode,
    .free = staged_free,
};
