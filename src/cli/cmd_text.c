/* cmd_text.c — `asr text normalize`: the project's one text normaliser as a
 * filter (text/textnorm.h), standard input to standard output. */
#include "base/error.h"
#include "base/fileio.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "text/textnorm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char text_usage[] =
    "usage: asr text normalize [--kaldi] < IN > OUT\n"
    "\n"
    "Lowercases, drops punctuation (apostrophes inside words stay) and spells\n"
    "numbers out, the same for every recipe, LM text and asr score --normalize.\n"
    "Which reading a number gets:\n"
    "  - a number to dial is read digit by digit, its separators silent: digit\n"
    "    groups joined by hyphens (\"555-1212\" -> \"five five five one two one two\",\n"
    "    \"1-800-555-0199\"), or by dots when there are three groups or more\n"
    "    (\"555.123.4567\"), and the digits after a parenthesised group\n"
    "    (\"(555) 123-4567\");\n"
    "  - so is a number with a leading zero or more than nine digits (\"007\" ->\n"
    "    \"zero zero seven\");\n"
    "  - any other is a cardinal (\"500\" -> \"five hundred\", \"1,234\" -> \"one\n"
    "    thousand two hundred thirty four\"), an ordinal (\"22nd\" -> \"twenty\n"
    "    second\"), a decimal (\"2.5\" -> \"two point five\") or an amount (\"$5\" ->\n"
    "    \"five dollars\");\n"
    "  - % & + # * @ are \"percent\", \"and\", \"plus\", \"pound\", \"star\", \"at\".\n"
    "With --kaldi each line is \"uttid text\" and the id is kept as is.\n"
    "\nExamples:\n"
    "  echo 'Call (555) 123-4567, press 2' | asr text normalize\n"
    "  asr text normalize --kaldi < raw/text > data/mine/text\n";

static const cli_option text_opts[] = {{"kaldi", CLI_FLAG, NULL, 1}};

static int handle(void *ctx, int id, const char *v)
{
    (void)id;
    (void)v;
    *(int *)ctx = 1;
    return 0;
}

/* One line normalised to OUT; with KALDI the first field (the id) as is. */
static void normalize_line(char *line, int kaldi, FILE *out)
{
    char *text = line;
    if (kaldi) {
        char *id = line + strspn(line, " \t");
        char *end = id + strcspn(id, " \t");
        text = *end ? end + 1 : end;
        *end = 0;
        if (!*id) return; /* a blank line */
        fputs(id, out);
    }
    char *norm = textnorm_normalize(text);
    fprintf(out, "%s%s\n", kaldi && *norm ? " " : "", norm);
    free(norm);
}

int cmd_text(int argc, char **argv)
{
    int kaldi = 0;
    cli_spec spec = {"asr text", text_usage, text_opts, 1, NULL, handle, &kaldi, 0, 0, NULL, NULL};
    static const char *const subs[] = {"normalize"};
    int status;
    if (cli_subcommand(&spec, argc, argv, subs, 1, (int)sizeof subs[0], &status) < 0) return status;
    char *none[1];
    int n, rc = cli_parse(&spec, argc - 1, argv + 1, none, &n);
    if (rc != CLI_OK) return rc == CLI_HELP ? 0 : EXIT_USAGE;
    line_reader lr;
    line_reader_open(&lr, "-");
    for (char *line; (line = line_reader_next(&lr));) normalize_line(line, kaldi, stdout);
    int bad = line_reader_error(&lr);
    line_reader_close(&lr);
    if (bad < 0) {
        fprintf(stderr, "asr text: %s\n", asr_last_error());
        return 1;
    }
    if (ferror(stdout) || fflush(stdout)) {
        perror("asr text: writing output");
        return 1;
    }
    return 0;
}
