/* cmd_text.c — `asr text normalize`: the project's one text normaliser as a filter. */
#include "cli/commands.h"
#include "base/error.h"
#include "base/fileio.h"
#include "text/textnorm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char text_usage[] =
    "usage: asr text normalize [--kaldi] < IN > OUT\n"
    "\n"
    "Lowercase, numbers spelled out (\"22nd\" -> \"twenty second\", \"007\" -> \"zero zero\n"
    "seven\"), punctuation dropped, apostrophes kept inside words; see src/textnorm.h\n"
    "for every rule. With --kaldi each line is \"uttid text\" and the id is kept as is.\n";

int cmd_text(int argc, char **argv)
{
    int kaldi = 0;
    if (argc < 2) {
        fputs(text_usage, stderr);
        return EXIT_USAGE;
    }
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(text_usage, stdout);
            return 0;
        }
    }
    if (strcmp(argv[1], "normalize")) {
        fprintf(stderr, "asr text: unknown subcommand '%s'\n%s", argv[1], text_usage);
        return EXIT_USAGE;
    }
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--kaldi")) {
            kaldi = 1;
        } else {
            fprintf(stderr, "asr text: unknown argument '%s'\n%s", argv[i], text_usage);
            return EXIT_USAGE;
        }
    }
    line_reader lr;
    line_reader_open(&lr, "-");
    char *line;
    while ((line = line_reader_next(&lr))) {
        char *text = line;
        if (kaldi) {
            char *id = line + strspn(line, " \t");
            char *end = id + strcspn(id, " \t");
            text = *end ? end + 1 : end;
            *end = 0;
            if (!*id) continue; /* a blank line */
            fputs(id, stdout);
        }
        char *norm = textnorm_normalize(text);
        printf("%s%s\n", kaldi && *norm ? " " : "", norm);
        free(norm);
    }
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
