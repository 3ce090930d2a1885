/* cmd_lexicon.c — `asr lexicon build` and `asr lexicon phones` (text/pronounce.h). */
#include "base/error.h"
#include "base/log.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "text/pronounce.h"

#include <stdio.h>
#include <string.h>

static const char lexicon_usage[] =
    "usage: asr lexicon build [--cmudict PATH] [--no-fallback] [--voice V] WORDS OUT\n"
    "       asr lexicon phones LEXICON TEXT OUT\n"
    "\n"
    "build   a CMUdict-format lexicon (39 ARPAbet phones, no stress) for the words\n"
    "        listed one per line in WORDS, from CMUdict (default " LEXICON_DEFAULT_CMUDICT ",\n"
    "        Debian package pocketsphinx-en-us). Words CMUdict lacks are pronounced\n"
    "        by `espeak-ng -q -x -v V` (default en-us) through the espeak->ARPAbet\n"
    "        table built into asr; each is listed on stderr as \"fallback: WORD PHONES\".\n"
    "        --no-fallback makes a missing word an error instead.\n"
    "phones  writes a Kaldi phones file (\"uttid PH PH ...\") from a Kaldi text file,\n"
    "        using each word's first pronunciation. Every unknown word is reported\n"
    "        as TEXT:LINE and nothing is written.\n" CLI_QUIET_HELP
    "Options take --opt VALUE or --opt=VALUE; -- ends them.\n"
    "\nExamples:\n"
    "  asr lexicon build words.txt lexicon.txt\n"
    "  asr lexicon build --no-fallback --cmudict my.dict words.txt lexicon.txt\n"
    "  asr lexicon phones lexicon.txt data/digits/train/text data/digits/train/phones\n";

enum { O_CMUDICT = 1, O_VOICE, O_NO_FALLBACK };

static const cli_option build_opts[] = {
    {"cmudict", CLI_INPUT, NULL, O_CMUDICT},
    {"voice", CLI_VALUE, NULL, O_VOICE},
    {"no-fallback", CLI_FLAG, NULL, O_NO_FALLBACK},
    CLI_QUIET_OPTION,
};

static const cli_operand build_operands[] = {{CLI_INPUT, "WORDS"}, {CLI_OUTPUT, "OUT"}, {0, NULL}},
                         phones_operands[] = {{CLI_INPUT, "LEXICON"},
                                              {CLI_INPUT, "TEXT"},
                                              {CLI_OUTPUT, "OUT"},
                                              {0, NULL}};

static int handle(void *ctx, int id, const char *v)
{
    lexicon_build_job *j = ctx;
    if (id == O_CMUDICT) j->cmudict = v;
    if (id == O_VOICE) j->voice = v;
    if (id == O_NO_FALLBACK) j->fallback = 0;
    return 0;
}

int cmd_lexicon(int argc, char **argv)
{
    io_set io;
    io_set_init(&io);
    lexicon_build_job j = {NULL, LEXICON_DEFAULT_CMUDICT, "en-us", 1, NULL, &io};
    static const char *const subs[] = {"build", "phones"};
    int build = argc >= 2 && !strcmp(argv[1], subs[0]);
    cli_spec spec = {"asr lexicon",
                     lexicon_usage,
                     build_opts,
                     build ? (int)(sizeof build_opts / sizeof build_opts[0]) : 0,
                     NULL,
                     handle,
                     &j,
                     build ? 2 : 3,
                     build ? 2 : 3,
                     &io,
                     build ? build_operands : phones_operands};
    int status;
    if (cli_subcommand(&spec, argc, argv, subs, 2, (int)sizeof subs[0], &status) < 0) {
        io_set_free(&io);
        return status;
    }
    char *pos[3];
    int n, rc = cli_parse(&spec, argc - 1, argv + 1, pos, &n);
    lexicon_build_stats st;
    if (rc != CLI_OK) {
        rc = cli_exit_status(rc);
    } else if (build) {
        j.words = pos[0];
        j.out = pos[1];
        rc = lexicon_build_file(&j, &st);
    } else {
        rc = lexicon_phones_file(&io, pos[0], pos[1], pos[2]);
    }
    io_set_free(&io);
    if (rc > 0) return rc;
    if (rc < 0) {
        fprintf(stderr, "asr lexicon: %s\n", asr_last_error());
        return 1;
    }
    if (build)
        asr_log(ASR_LOG_INFO, "%s: %d words, %d from CMUdict, %d from espeak-ng", j.out, st.words,
                st.words - st.from_fallback, st.from_fallback);
    return 0;
}
