/* cmd_lm.c — `asr lm build`: options in, one decode/lm_build.h call. */
#include "base/error.h"
#include "base/log.h"
#include "base/numparse.h"
#include "base/suggest.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "decode/lm_build.h"

#include <stdio.h>
#include <string.h>

static const char lm_usage[] =
    "usage: asr lm build [--order N] [--method kn|wb] [--kaldi] [--chars] [--out LM.arpa] TEXT\n"
    "\n"
    "Estimates a word N-gram model (default 3) from TEXT, one sentence per line\n"
    "(with --kaldi: a data directory's text file, the first field of each line\n"
    "being the utterance id), and writes it in ARPA format to --out (atomically)\n"
    "or standard output. --method kn: interpolated modified Kneser-Ney (default);\n"
    "wb: Witten-Bell. With --chars the tokens are characters (a-z, ', <space>\n"
    "between words): a character LM for the direct pipeline's beam search (asr\n"
    "decode --lm).\n" CLI_QUIET_HELP "Options take --opt VALUE or --opt=VALUE; -- ends them.\n"
    "\nExamples:\n"
    "  asr lm build --out lm.arpa sentences.txt\n"
    "  asr lm build --kaldi --order 4 --method wb --out lm.arpa data/digits/train/text\n"
    "  asr lm build --chars --order 5 --out chars.arpa sentences.txt\n";

enum { O_ORDER = 1, O_METHOD, O_KALDI, O_CHARS, O_OUT };

static const cli_option lm_opts[] = {
    {"order", CLI_VALUE, NULL, O_ORDER}, {"method", CLI_VALUE, NULL, O_METHOD},
    {"kaldi", CLI_FLAG, NULL, O_KALDI},  {"chars", CLI_FLAG, NULL, O_CHARS},
    {"out", CLI_OUTPUT, NULL, O_OUT},    CLI_QUIET_OPTION,
};

static const cli_operand lm_operands[] = {{CLI_INPUT, "TEXT"}, {0, NULL}};

static int handle(void *ctx, int id, const char *v)
{
    lm_build_job *j = ctx;
    int method;
    switch (id) {
    case O_ORDER:
        return parse_int("--order", v, 1, NGRAM_MAX_ORDER, &j->order);
    case O_METHOD:
        if (parse_choice("--method", v, "kn|wb", &method) < 0) return -1;
        j->method = method == 0 ? NGRAM_KNESER_NEY : NGRAM_WITTEN_BELL;
        return 0;
    case O_KALDI:
        j->kaldi = 1;
        return 0;
    case O_CHARS:
        j->chars = 1;
        return 0;
    case O_OUT:
        j->out = v;
        return 0;
    }
    return asr_error("internal: option %d", id);
}

int cmd_lm(int argc, char **argv)
{
    io_set io;
    io_set_init(&io);
    lm_build_job j = {NULL, "-", 3, NGRAM_KNESER_NEY, 0, 0, &io};
    cli_spec spec = {"asr lm", lm_usage, lm_opts,    (int)(sizeof lm_opts / sizeof lm_opts[0]),
                     NULL,     handle,   &j,         1,
                     1,        &io,      lm_operands};
    static const char *const subs[] = {"build"};
    int status;
    if (cli_subcommand(&spec, argc, argv, subs, 1, (int)sizeof subs[0], &status) < 0) {
        io_set_free(&io);
        return status;
    }
    char *text[1];
    int n, rc = cli_parse(&spec, argc - 1, argv + 1, text, &n);
    lm_build_stats st;
    j.text = rc == CLI_OK ? text[0] : NULL;
    if (rc == CLI_OK && lm_build_file(&j, &st) < 0) {
        fprintf(stderr, "asr lm: %s\n", asr_last_error());
        rc = CLI_FAILED;
    }
    io_set_free(&io);
    if (rc != CLI_OK) return cli_exit_status(rc);
    asr_log(ASR_LOG_INFO, "asr lm: %d sentences, %d %s in the vocabulary, order %d (%s)",
            st.sentences, st.vocabulary, j.chars ? "characters" : "words", j.order,
            j.method == NGRAM_KNESER_NEY ? "Kneser-Ney" : "Witten-Bell");
    return 0;
}
