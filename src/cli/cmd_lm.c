/* cmd_lm.c — `asr lm build`: a word n-gram model from text, in ARPA format. */
#include "base/alloc.h"
#include "decode/charlm.h"
#include "cli/commands.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/input_set.h"
#include "decode/ngram.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char lm_usage[] =
    "usage: asr lm build [--order N] [--method kn|wb] [--kaldi] [--chars] [--out LM.arpa] TEXT\n"
    "\n"
    "Estimates a word N-gram model (default 3) from TEXT, one sentence per line\n"
    "(with --kaldi: a data directory's text file, the first field of each line\n"
    "being the utterance id), and writes it in ARPA format to --out (atomically)\n"
    "or standard output. --method kn: interpolated modified Kneser-Ney (default);\n"
    "wb: Witten-Bell. See src/decode/ngram.h for the formulas. With --chars the\n"
    "tokens are characters (a-z, ', <space> between words): a character LM for the\n"
    "direct pipeline's beam search (asr decode --lm), see src/decode/charlm.h.\n";

int cmd_lm(int argc, char **argv)
{
    int order = 3, kaldi = 0, chars = 0;
    ngram_method method = NGRAM_KNESER_NEY;
    const char *text = NULL, *out = NULL;
    if (argc < 2 || strcmp(argv[1], "build")) {
        for (int i = 1; i < argc; i++)
            if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
                fputs(lm_usage, stdout);
                return 0;
            }
        fputs(lm_usage, stderr);
        return EXIT_USAGE;
    }
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(lm_usage, stdout);
            return 0;
        } else if (!strcmp(a, "--kaldi")) {
            kaldi = 1;
        } else if (!strcmp(a, "--chars")) {
            chars = 1;
        } else if ((!strcmp(a, "--order") || !strcmp(a, "--method") || !strcmp(a, "--out")) &&
                   i + 1 < argc) {
            const char *v = argv[++i];
            if (a[2] == 'o' && a[3] == 'r') {
                char *end;
                long o = strtol(v, &end, 10);
                if (*end || o < 1 || o > NGRAM_MAX_ORDER) {
                    fprintf(stderr, "asr lm: --order %s: expected 1..%d\n", v, NGRAM_MAX_ORDER);
                    return EXIT_USAGE;
                }
                order = (int)o;
            } else if (a[2] == 'm') {
                if (strcmp(v, "kn") && strcmp(v, "wb")) {
                    fprintf(stderr, "asr lm: --method %s: expected kn or wb\n", v);
                    return EXIT_USAGE;
                }
                method = v[0] == 'k' ? NGRAM_KNESER_NEY : NGRAM_WITTEN_BELL;
            } else {
                out = v;
            }
        } else if (a[0] == '-' || text) {
            fprintf(stderr, "asr lm: unexpected argument '%s'\n%s", a, lm_usage);
            return EXIT_USAGE;
        } else {
            text = a;
        }
    }
    if (!text) {
        fputs(lm_usage, stderr);
        return EXIT_USAGE;
    }
    line_reader lr;
    if (line_reader_open(&lr, text) < 0) {
        fprintf(stderr, "asr lm: %s\n", asr_last_error());
        return 1;
    }
    char **sent = NULL;
    int n = 0, cap = 0;
    char *line;
    while ((line = line_reader_next(&lr))) {
        char *s = line;
        if (kaldi) {
            s += strcspn(s, " \t");
            if (!*s && s == line + strlen(line) && strlen(line) == 0) {
                fprintf(stderr, "asr lm: %s:%ld: empty line\n", text, lr.lineno);
                line_reader_close(&lr);
                return 1;
            }
        }
        char *tok = NULL;
        if (chars) {
            char where[64];
            snprintf(where, sizeof where, "line %ld", lr.lineno);
            if (!(tok = charlm_tokens(where, s))) {
                fprintf(stderr, "asr lm: %s: %s\n", text, asr_last_error());
                line_reader_close(&lr);
                for (int i = 0; i < n; i++) free(sent[i]);
                free(sent);
                return 1;
            }
        }
        if (n == cap) sent = xrealloc(sent, sizeof(char *) * (size_t)(cap = cap ? 2 * cap : 256));
        sent[n++] = tok ? tok : xstrdup(s);
    }
    if (line_reader_error(&lr) < 0) {
        fprintf(stderr, "asr lm: %s\n", asr_last_error());
        line_reader_close(&lr);
        for (int i = 0; i < n; i++) free(sent[i]);
        free(sent);
        return 1;
    }
    line_reader_close(&lr);
    int rc = 1;
    ngram_lm *lm = ngram_estimate(sent, n, order, method);
    if (!lm) {
        fprintf(stderr, "asr lm: %s\n", asr_last_error());
    } else if (out) {
        input_set in;
        input_set_init(&in);
        input_set_add(&in, text);
        int clash = input_set_check_file(&in, out);
        input_set_free(&in);
        atomic_file af;
        if (clash < 0 || atomic_file_open(&af, out, "w") < 0)
            fprintf(stderr, "asr lm: %s\n", asr_last_error());
        else if (ngram_write_arpa(lm, af.fp) < 0 || atomic_file_commit(&af) < 0) {
            fprintf(stderr, "asr lm: %s: %s\n", out, asr_last_error());
            atomic_file_abort(&af);
        } else
            rc = 0;
    } else {
        rc = ngram_write_arpa(lm, stdout) < 0 || fflush(stdout) != 0;
    }
    if (lm && rc == 0)
        fprintf(stderr, "asr lm: %d sentences, %d %s in the vocabulary, order %d (%s)\n", n,
                ngram_vocab_size(lm) - 2, chars ? "characters" : "words", order,
                method == NGRAM_KNESER_NEY ? "Kneser-Ney" : "Witten-Bell");
    ngram_free(lm);
    for (int i = 0; i < n; i++) free(sent[i]);
    free(sent);
    return rc;
}
