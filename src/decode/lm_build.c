/* lm_build.c — an n-gram LM from a text file; see lm_build.h. */
#include "decode/lm_build.h"

#include "base/alloc.h"
#include "base/error.h"
#include "base/fileio.h"
#include "decode/charlm.h"
#include "text/alphabet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sentences of J->text; -1 naming FILE:LINE. */
static int read_sentences(const lm_build_job *j, char ***out)
{
    line_reader lr;
    if (line_reader_open(&lr, j->text) < 0) return -1;
    char **sent = NULL, *line;
    int n = 0, cap = 0, rc = 0;
    while (rc == 0 && (line = line_reader_next(&lr))) {
        char *s = line;
        if (j->kaldi) {
            if (!*line) rc = asr_error("%s:%ld: empty line", j->text, lr.lineno);
            s += strcspn(s, " \t");
        }
        char *tok = NULL;
        if (rc == 0 && j->chars) {
            char where[64];
            snprintf(where, sizeof where, "line %ld", lr.lineno);
            if (!(tok = charlm_tokens(where, s)))
                rc = asr_error("%s: %s", j->text, asr_last_error());
        }
        if (rc < 0) break;
        if (n == cap) sent = xrealloc(sent, sizeof(char *) * (size_t)(cap = cap ? 2 * cap : 256));
        sent[n++] = tok ? tok : alphabet_strip_markers(s); /* <noise>: no word */
    }
    if (rc == 0) rc = line_reader_error(&lr);
    line_reader_close(&lr);
    if (rc == 0) {
        *out = sent;
        return n;
    }
    for (int i = 0; i < n; i++) free(sent[i]);
    free(sent);
    return -1;
}

int lm_build_file(const lm_build_job *j, lm_build_stats *st)
{
    int rc = io_set_input(j->io, j->text);
    char **sent = NULL;
    int n = rc < 0 ? -1 : read_sentences(j, &sent);
    if (n < 0) return -1;
    ngram_lm *lm = ngram_estimate(sent, n, j->order, j->method);
    rc = lm ? 0 : -1;
    atomic_file af;
    if (rc == 0 && atomic_file_open(&af, j->io, j->out, "w") < 0) rc = -1;
    if (rc == 0 && ngram_write_arpa(lm, af.fp) < 0) {
        asr_error("%s: %s", j->out, asr_last_error());
        atomic_file_abort(&af);
        rc = -1;
    } else if (rc == 0) {
        rc = atomic_file_commit(&af);
    }
    if (rc == 0) {
        st->sentences = n;
        st->vocabulary = ngram_vocab_size(lm) - 2;
    }
    ngram_free(lm);
    for (int i = 0; i < n; i++) free(sent[i]);
    free(sent);
    return rc;
}
