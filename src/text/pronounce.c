/* pronounce.c — lexicons for word lists, phone transcripts of data
 * directories; see pronounce.h. */
#include "text/pronounce.h"

#include "base/alloc.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/log.h"
#include "base/spawn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Words from PATH, one per line (first field), sorted and unique. */
static int read_words(const char *path, char ***out)
{
    line_reader lr;
    if (line_reader_open(&lr, path)) return -1;
    char **w = NULL, *line, *f[1];
    int n = 0;
    while ((line = line_reader_next(&lr)))
        if (split_fields(line, f, 1) == 1) {
            w = xrealloc(w, (size_t)(n + 1) * sizeof *w);
            w[n++] = xstrdup(f[0]);
        }
    if (line_reader_error(&lr) < 0) {
        line_reader_close(&lr);
        for (int i = 0; i < n; i++) free(w[i]);
        free(w);
        return -1;
    }
    line_reader_close(&lr);
    qsort(w, (size_t)n, sizeof *w, cmp_str);
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (m && !strcmp(w[m - 1], w[i]))
            free(w[i]);
        else
            w[m++] = w[i];
    }
    *out = w;
    return m;
}

/* Pronounce the NMISS words in MISS with espeak-ng (one run for all: each word
 * on its own line ending in a period gives one output line per word) and add
 * them to LEX. The words go through a private temporary file and the voice
 * as one argument: no shell sees either. */
static int espeak_fallback(lexicon *lex, char **miss, int nmiss, const char *voice)
{
    char tmpl[] = "/tmp/asr-lexicon-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0) return asr_error("cannot create a temporary file for espeak-ng");
    FILE *f = fdopen(fd, "w");
    for (int i = 0; i < nmiss; i++) fprintf(f, "%s.\n", miss[i]);
    if (fclose(f) != 0) {
        unlink(tmpl);
        return asr_error("%s: cannot write the words for espeak-ng", tmpl);
    }
    const char *argv[] = {"espeak-ng", "-q", "-x", "-v", voice, "-f", tmpl, NULL};
    char *text;
    size_t len;
    /* Phonemes of a word are a few dozen bytes: a bound far above that. */
    int status = spawn_read(argv, 4096 + (size_t)nmiss * 1024, &text, &len);
    unlink(tmpl);
    if (status < 0) return asr_error("%s (Debian package espeak-ng)", asr_last_error());
    if (status != 0) {
        free(text);
        return asr_error("espeak-ng failed (exit %d): is Debian package espeak-ng installed, and "
                         "is '%s' one of its voices?",
                         status, voice);
    }
    int got = 0, rc = 0;
    int pron[256];
    char *rest = text;
    for (char *line; rc == 0 && (line = strsep(&rest, "\n"));) {
        if (!rest && !*line) break; /* after the last newline */
        line[strcspn(line, "\r")] = 0;
        if (got >= nmiss) {
            got++;
            continue;
        }
        int n = lexicon_espeak_to_arpabet(line, pron, 256);
        if (n <= 0) {
            char why[512]; /* asr_error would overwrite asr_last_error() while reading it */
            snprintf(why, sizeof why, "%s", n < 0 ? asr_last_error() : "no phonemes");
            rc = asr_error("espeak-ng fallback for '%s': %s", asr_quote(miss[got]), why);
            break;
        }
        lexicon_add(lex, miss[got], pron, n);
        char said[512];
        int used = snprintf(said, sizeof said, "fallback: %s", asr_quote(miss[got]));
        for (int k = 0; k < n && used < (int)sizeof said; k++)
            used +=
                snprintf(said + used, sizeof said - (size_t)used, " %s", lexicon_phones[pron[k]]);
        asr_log(ASR_LOG_INFO, "%s", said);
        got++;
    }
    free(text);
    if (rc) return rc;
    if (got != nmiss) return asr_error("espeak-ng gave %d lines for %d words", got, nmiss);
    return 0;
}

/* The words CMUdict lacks (pointers into WORDS). */
static char **missing(const lexicon *lex, char **words, int n, int *nmiss)
{
    char **miss = xmalloc((size_t)(n ? n : 1) * sizeof *miss);
    *nmiss = 0;
    for (int i = 0; i < n; i++)
        if (!lexicon_lookup(lex, words[i])) miss[(*nmiss)++] = words[i];
    return miss;
}

int lexicon_build_file(const lexicon_build_job *j, lexicon_build_stats *st)
{
    if (!path_exists(j->cmudict))
        return asr_error("%s: no such dictionary (install the Debian package pocketsphinx-en-us, "
                         "or give --cmudict)",
                         j->cmudict);
    int clash = io_set_input(j->io, j->words) < 0 || io_set_input(j->io, j->cmudict) < 0 ? -1 : 0;
    char **words;
    int n = clash < 0 ? -1 : read_words(j->words, &words);
    if (n < 0) return -1;
    lexicon lex;
    int rc = lexicon_read(j->cmudict, (const char *const *)words, n, &lex), nmiss = 0;
    char **miss = rc < 0 ? NULL : missing(&lex, words, n, &nmiss);
    if (rc == 0 && nmiss && !j->fallback)
        rc = asr_error("%s: '%s' is not in %s (%d word%s missing; without --no-fallback "
                       "espeak-ng pronounces them)",
                       j->words, asr_quote(miss[0]), j->cmudict, nmiss, nmiss == 1 ? "" : "s");
    if (rc == 0 && nmiss) rc = espeak_fallback(&lex, miss, nmiss, j->voice);
    if (rc == 0) rc = lexicon_write(j->io, j->out, &lex);
    st->words = n;
    st->from_fallback = nmiss;
    for (int i = 0; i < n; i++) free(words[i]);
    free(words);
    free(miss);
    if (rc == 0 || miss) lexicon_free(&lex);
    return rc;
}

/* One line of a Kaldi text file as phones: "uttid PH PH ..." to OUT; each
 * unknown word said, counted in *UNKNOWN. */
static void phone_line(const lexicon *lex, char *line, const char *text, long lineno,
                       const char *lexname, FILE *out, int *unknown)
{
    char *save = NULL, *id = strtok_r(line, " \t", &save);
    if (!id) return;
    fputs(id, out);
    for (char *w = strtok_r(NULL, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
        const lexicon_entry *e = lexicon_lookup(lex, w);
        if (!e) {
            asr_log(ASR_LOG_WARNING, "%s:%ld: '%s': unknown word '%s' (not in %s)", text, lineno,
                    asr_quote(id), asr_quote(w), lexname);
            (*unknown)++;
            continue;
        }
        for (int k = 0; k < e->pron_len[0]; k++) fprintf(out, " %s", lexicon_phones[e->pron[0][k]]);
    }
    fputc('\n', out);
}

int lexicon_phones_file(io_set *io, const char *lexpath, const char *text, const char *out)
{
    int rc = io_set_input(io, lexpath) < 0 || io_set_input(io, text) < 0 ? -1 : 0;
    lexicon lex;
    if (rc < 0 || lexicon_read(lexpath, NULL, 0, &lex) < 0) return -1;
    line_reader lr;
    atomic_file af;
    if (line_reader_open(&lr, text) < 0) {
        lexicon_free(&lex);
        return -1;
    }
    if (atomic_file_open(&af, io, out, "w") < 0) {
        line_reader_close(&lr);
        lexicon_free(&lex);
        return -1;
    }
    int unknown = 0;
    for (char *line; (line = line_reader_next(&lr));)
        phone_line(&lex, line, text, lr.lineno, lexpath, af.fp, &unknown);
    rc = line_reader_error(&lr);
    line_reader_close(&lr);
    lexicon_free(&lex);
    if (rc == 0 && unknown)
        rc = asr_error("%d unknown word%s; %s not written", unknown, unknown == 1 ? "" : "s", out);
    if (rc < 0) {
        atomic_file_abort(&af);
        return -1;
    }
    return atomic_file_commit(&af);
}
