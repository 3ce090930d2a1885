/* cmd_lexicon.c — `asr lexicon build` (CMUdict + espeak-ng fallback) and
 * `asr lexicon phones` (a data dir's phones file from its text). */
#include "base/alloc.h"
#include "cli/commands.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/input_set.h"
#include "text/lexicon.h"
#include "base/spawn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_CMUDICT "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict"

static const char lexicon_usage[] =
    "usage: asr lexicon build [--cmudict PATH] [--no-fallback] [--voice V] WORDS OUT\n"
    "       asr lexicon phones LEXICON TEXT OUT\n"
    "\n"
    "build   a CMUdict-format lexicon (39 ARPAbet phones, no stress) for the words\n"
    "        listed one per line in WORDS, from CMUdict (default " DEFAULT_CMUDICT ",\n"
    "        Debian package pocketsphinx-en-us). Words CMUdict lacks are pronounced\n"
    "        by `espeak-ng -q -x -v V` (default en-us) through the espeak->ARPAbet\n"
    "        table in src/lexicon.c; each is listed on stderr as \"fallback: WORD PHONES\".\n"
    "        --no-fallback makes a missing word an error instead.\n"
    "phones  writes a Kaldi phones file (\"uttid PH PH ...\") from a Kaldi text file,\n"
    "        using each word's first pronunciation. Every unknown word is reported\n"
    "        as TEXT:LINE and nothing is written.\n";

static int usage_error(const char *msg)
{
    fprintf(stderr, "asr lexicon: %s\n%s", msg, lexicon_usage);
    return EXIT_USAGE;
}

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
            rc = asr_error("espeak-ng fallback for '%s': %s", miss[got], why);
            break;
        }
        lexicon_add(lex, miss[got], pron, n);
        fprintf(stderr, "fallback: %s", miss[got]);
        for (int k = 0; k < n; k++) fprintf(stderr, " %s", lexicon_phones[pron[k]]);
        fputc('\n', stderr);
        got++;
    }
    free(text);
    if (rc) return rc;
    if (got != nmiss) return asr_error("espeak-ng gave %d lines for %d words", got, nmiss);
    return 0;
}

static int lexicon_build(int argc, char **argv)
{
    const char *cmudict = DEFAULT_CMUDICT, *voice = "en-us", *pos[2];
    int fallback = 1, npos = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--cmudict") && i + 1 < argc)
            cmudict = argv[++i];
        else if (!strcmp(argv[i], "--voice") && i + 1 < argc)
            voice = argv[++i];
        else if (!strcmp(argv[i], "--no-fallback"))
            fallback = 0;
        else if (argv[i][0] == '-' || npos == 2)
            return usage_error("build: unknown option or extra argument");
        else
            pos[npos++] = argv[i];
    }
    if (npos != 2) return usage_error("build needs WORDS and OUT");
    if (!path_exists(cmudict)) {
        fprintf(stderr,
                "asr lexicon: %s: no such dictionary (install the Debian package "
                "pocketsphinx-en-us, or give --cmudict)\n",
                cmudict);
        return 1;
    }
    char **words;
    int n = read_words(pos[0], &words);
    if (n < 0) {
        fprintf(stderr, "asr lexicon: %s\n", asr_last_error());
        return 1;
    }
    lexicon lex;
    int rc = 0;
    if (lexicon_read(cmudict, (const char *const *)words, n, &lex)) {
        fprintf(stderr, "asr lexicon: %s\n", asr_last_error());
        rc = 1;
    }
    char **miss = xmalloc((size_t)(n ? n : 1) * sizeof *miss);
    int nmiss = 0;
    for (int i = 0; rc == 0 && i < n; i++)
        if (!lexicon_lookup(&lex, words[i])) miss[nmiss++] = words[i];
    if (rc == 0 && nmiss && !fallback) {
        for (int i = 0; i < nmiss; i++)
            fprintf(stderr, "asr lexicon: %s: '%s' is not in %s\n", pos[0], miss[i], cmudict);
        rc = 1;
    }
    if (rc == 0 && nmiss && espeak_fallback(&lex, miss, nmiss, voice)) {
        fprintf(stderr, "asr lexicon: %s\n", asr_last_error());
        rc = 1;
    }
    input_set in;
    input_set_init(&in);
    input_set_add(&in, pos[0]);
    input_set_add(&in, cmudict);
    if (rc == 0 && (input_set_check_file(&in, pos[1]) < 0 || lexicon_write(pos[1], &lex))) {
        fprintf(stderr, "asr lexicon: %s\n", asr_last_error());
        rc = 1;
    }
    if (rc == 0)
        fprintf(stderr, "%s: %d words, %d from CMUdict, %d from espeak-ng\n", pos[1], n, n - nmiss,
                nmiss);
    input_set_free(&in);
    for (int i = 0; i < n; i++) free(words[i]);
    free(words);
    free(miss);
    lexicon_free(&lex);
    return rc;
}

static int lexicon_phones_file(int argc, char **argv)
{
    if (argc != 4) return usage_error("phones needs LEXICON TEXT OUT");
    lexicon lex;
    if (lexicon_read(argv[1], NULL, 0, &lex)) {
        fprintf(stderr, "asr lexicon: %s\n", asr_last_error());
        return 1;
    }
    line_reader lr;
    atomic_file af;
    if (line_reader_open(&lr, argv[2])) {
        fprintf(stderr, "asr lexicon: %s\n", asr_last_error());
        lexicon_free(&lex);
        return 1;
    }
    input_set in;
    input_set_init(&in);
    input_set_add(&in, argv[1]);
    input_set_add(&in, argv[2]);
    int clash = input_set_check_file(&in, argv[3]);
    input_set_free(&in);
    if (clash < 0 || atomic_file_open(&af, argv[3], "w")) {
        fprintf(stderr, "asr lexicon: %s\n", asr_last_error());
        line_reader_close(&lr);
        lexicon_free(&lex);
        return 1;
    }
    int unknown = 0;
    char *line, *f[1024];
    while ((line = line_reader_next(&lr))) {
        int nf = split_fields(line, f, 1024);
        if (nf == 0) continue;
        fputs(f[0], af.fp);
        for (int k = 1; k < nf; k++) {
            const lexicon_entry *e = lexicon_lookup(&lex, f[k]);
            if (!e) {
                fprintf(stderr, "asr lexicon: %s:%ld: '%s': unknown word '%s' (not in %s)\n",
                        argv[2], lr.lineno, f[0], f[k], argv[1]);
                unknown++;
                continue;
            }
            for (int j = 0; j < e->pron_len[0]; j++)
                fprintf(af.fp, " %s", lexicon_phones[e->pron[0][j]]);
        }
        fputc('\n', af.fp);
    }
    int bad = line_reader_error(&lr);
    line_reader_close(&lr);
    lexicon_free(&lex);
    if (bad < 0) {
        atomic_file_abort(&af);
        fprintf(stderr, "asr lexicon: %s\n", asr_last_error());
        return 1;
    }
    if (unknown) {
        atomic_file_abort(&af);
        fprintf(stderr, "asr lexicon: %d unknown word%s; %s not written\n", unknown,
                unknown == 1 ? "" : "s", argv[3]);
        return 1;
    }
    if (atomic_file_commit(&af)) {
        fprintf(stderr, "asr lexicon: %s\n", asr_last_error());
        return 1;
    }
    return 0;
}

int cmd_lexicon(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(lexicon_usage, stdout);
            return 0;
        }
    if (argc < 2) return usage_error("which lexicon subcommand?");
    if (!strcmp(argv[1], "build")) return lexicon_build(argc - 1, argv + 1);
    if (!strcmp(argv[1], "phones")) return lexicon_phones_file(argc - 1, argv + 1);
    return usage_error("unknown lexicon subcommand");
}
