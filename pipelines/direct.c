/* direct.c — the end-to-end pipeline: audio → characters.
 *
 * Output symbols: 0 blank, 1–26 'a'–'z', 27 apostrophe, 28 space. Targets are
 * the transcript spelled out (one space between words); a character outside
 * the alphabet is an error naming the utterance — recipes normalise text with
 * `asr text normalize`, so one here means the data directory was not.
 * Decoding is greedy or prefix beam search over characters.
 */
#include "pipeline.h"

#include "alloc.h"
#include "ctc_beam.h"
#include "error.h"

#include <stdlib.h>
#include <string.h>

enum { SYM_APOS = 27, SYM_SPACE = 28, NUM_SYMBOLS = 29 };

struct pipeline {
    pipeline_options opt;
};

static const char *const names[NUM_SYMBOLS] = {
    "<blk>", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m",      "n",
    "o",     "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z", "'", "<space>"};

static int char_symbol(int c)
{
    if (c >= 'a' && c <= 'z') return 1 + c - 'a';
    if (c == '\'') return SYM_APOS;
    if (c == ' ') return SYM_SPACE;
    return -1;
}

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
    const char *syms = model_file_text(m, "symbols");
    if (!syms) {
        asr_error("model has no symbol table");
        return NULL;
    }
    /* The symbol table in the file must be the one this code spells with. */
    const char *s = syms;
    for (int i = 0; i < NUM_SYMBOLS; i++) {
        size_t n = strlen(names[i]);
        if (strncmp(s, names[i], n) != 0 || s[n] != '\n') {
            asr_error("model's symbol table does not match the direct pipeline's (symbol %d)", i);
            return NULL;
        }
        s += n + 1;
    }
    if (*s) {
        asr_error("model's symbol table has more symbols than the direct pipeline's");
        return NULL;
    }
    return direct_create(opt);
}

static int direct_save(const pipeline *p, model_file *m)
{
    (void)p;
    size_t len = 0;
    for (int i = 0; i < NUM_SYMBOLS; i++) len += strlen(names[i]) + 1;
    char *buf = xmalloc(len + 1), *w = buf;
    for (int i = 0; i < NUM_SYMBOLS; i++) w += sprintf(w, "%s\n", names[i]);
    model_file_put_text(m, "symbols", buf);
    free(buf);
    return 0;
}

static int direct_num_symbols(const pipeline *p)
{
    (void)p;
    return NUM_SYMBOLS;
}

static const char *direct_symbol(const pipeline *p, int id)
{
    (void)p;
    return id >= 0 && id < NUM_SYMBOLS ? names[id] : NULL;
}

static int direct_targets(const pipeline *p, const corpus_utt *u, int *out, int cap)
{
    (void)p;
    int n = 0, pending_space = 0;
    for (const char *c = u->text; *c; c++) {
        if (*c == ' ' || *c == '\t') {
            pending_space = n > 0;
            continue;
        }
        int s = char_symbol(*c);
        if (s < 0)
            return asr_error("utterance %s: character '%c' (0x%02x) is not in the direct "
                             "pipeline's alphabet (a-z, ', space); normalise the text",
                             u->id, *c, (unsigned char)*c);
        if (n + pending_space + 1 > cap)
            return asr_error("utterance %s: transcript longer than %d symbols", u->id, cap);
        if (pending_space) out[n++] = SYM_SPACE;
        pending_space = 0;
        out[n++] = s;
    }
    return n;
}

/* Symbols → text: words split at spaces, with leading, trailing and repeated
 * spaces dropped; units = the characters separated by spaces, "<space>" kept. */
static void to_result(const int *sym, int n, pipeline_result *res)
{
    res->words = xmalloc((size_t)n + 1);
    res->units = xmalloc((size_t)n * 8 + 1);
    char *w = res->words, *u = res->units;
    for (int i = 0; i < n; i++) {
        if (sym[i] == SYM_SPACE) {
            if (w > res->words && w[-1] != ' ') *w++ = ' ';
        } else {
            *w++ = sym[i] == SYM_APOS ? '\'' : (char)('a' + sym[i] - 1);
        }
        u += sprintf(u, "%s%s", i ? " " : "", names[sym[i]]);
    }
    if (w > res->words && w[-1] == ' ') w--;
    *w = '\0';
    *u = '\0';
}

static int direct_decode(const pipeline *p, const float *logp, int T, pipeline_result *res)
{
    int *sym = xmalloc(((size_t)T + 1) * sizeof *sym);
    int n;
    if (p->opt.beam <= 1) {
        n = ctc_greedy(logp, T, NUM_SYMBOLS, sym);
    } else {
        ctc_beam_options bo = {.beam = p->opt.beam, .prune = 10.0f};
        n = ctc_beam_search(logp, T, NUM_SYMBOLS, &bo, sym, NULL);
    }
    to_result(sym, n, res);
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
    .num_symbols = direct_num_symbols,
    .symbol = direct_symbol,
    .targets = direct_targets,
    .decode = direct_decode,
    .free = direct_free,
};
