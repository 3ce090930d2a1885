/* args.h — the one command-line parser of every subcommand (getopt_long).
 *
 * `--opt value`, `--opt=value`, flags, `--` ending the options, operands
 * anywhere. A subcommand declares its options once, in a table: an option
 * that is a configuration key (recognizer/options.h) sets it through the
 * key table, so `--lr 0.01`, `--set lr=0.01` and `lr = 0.01` in a file are
 * one thing with one range; the subcommand's own options come back to it by
 * id. Errors name the option (and the closest known one, or value) and the
 * caller exits 2, after one line saying where the help is.
 *
 * Paths: the table says which options and operands name a command's inputs
 * and outputs, and the parser declares them all in the command's io_set
 * (base/io_set.h), so an output given as an input, or two outputs that are
 * one file, fail before the command starts (exit 1, naming both), and every
 * writer refuses a path nobody declared.
 */
#ifndef ASR_CLI_ARGS_H
#define ASR_CLI_ARGS_H

#include "base/io_set.h"
#include "recognizer/options.h"
#include "signal/audio.h"

#include <stdio.h>

/* What an option does. */
typedef enum {
    CLI_FLAG,       /* no value: handed to the command (ID) */
    CLI_VALUE,      /* a value: handed to the command (ID) */
    CLI_INPUT,      /* a value naming a file or directory read: handed to the command */
    CLI_MODEL,      /* a model file or name (cli_model_path): the file handed on, an input */
    CLI_OUTPUT,     /* a value naming a file written ("-": standard output): the same */
    CLI_OUTPUT_DIR, /* a value naming a directory written into: the same */
    CLI_KEY,        /* a value for configuration key KEY */
    CLI_SET,        /* KEY=VALUE of any configuration key (--set) */
    CLI_SET_IN,     /* KEY=VALUE where KEY may leave out the prefix KEY ("frame_ms") */
    CLI_QUIET,      /* no value: no progress or notes from now on (cli/messages.h) */
} cli_kind;

typedef struct {
    const char *name; /* without "--" */
    cli_kind kind;
    const char *key; /* CLI_KEY: the configuration key; CLI_SET_IN: its prefix */
    int id;          /* CLI_FLAG, CLI_VALUE, CLI_INPUT, CLI_OUTPUT*: what the handler receives */
} cli_option;

/* The operands in order (the last one stands for any further operands),
 * ended by {0, NULL}: KIND is CLI_VALUE (not a path), CLI_INPUT, CLI_OUTPUT
 * or CLI_OUTPUT_DIR; NAME is the usage's, for messages. */
typedef struct {
    cli_kind kind;
    const char *name;
} cli_operand;

/* The options every run that decodes takes (beam, LM, lexicon, weights,
 * threads, --set), to put at the end of a command's table. */
#define CLI_SEARCH_OPTIONS                                                                         \
    {"beam", CLI_KEY, "beam", 0}, {"lm", CLI_KEY, "lm", 0}, {"lexicon", CLI_KEY, "lexicon", 0},    \
        {"lm-weight", CLI_KEY, "lm_weight", 0}, {"word-penalty", CLI_KEY, "word_penalty", 0},      \
        {"threads", CLI_KEY, "threads", 0}, {"batch-frames", CLI_KEY, "batch_frames", 0},          \
    {                                                                                              \
        "set", CLI_SET, NULL, 0                                                                    \
    }

/* --quiet, in the table of every command that prints progress or notes,
 * and its line of the usage, the same in every command's help. */
#define CLI_QUIET_OPTION                                                                           \
    {                                                                                              \
        "quiet", CLI_QUIET, NULL, 0                                                                \
    }
#define CLI_QUIET_HELP                                                                             \
    "  --quiet              no progress lines or notes on stderr (warnings and errors\n"           \
    "                       are still printed)\n"

typedef struct {
    const char *command; /* "asr decode", for messages */
    const char *usage;   /* printed by --help (stdout) */
    const cli_option *opts;
    int nopts;
    asr_options *conf; /* where CLI_KEY and CLI_SET go (may be NULL if none) */
    /* The command's own options: 0, or -1 with asr_last_error() (usage error). */
    int (*handle)(void *ctx, int id, const char *value);
    void *ctx;
    int min_operands, max_operands;
    /* Where the paths of OPTS and OPERANDS, and the files CONF names (lm,
     * lexicon, init), are declared; NULL only for a command that names no
     * paths. */
    io_set *io;
    const cli_operand *operands; /* NULL: no operand is a path */
} cli_spec;

/* The result of cli_parse. */
enum { CLI_OK = 0, CLI_HELP = 1, CLI_USAGE = -1, CLI_FAILED = -2 };

/* Parse ARGV (ARGV[0] is the subcommand's name) by SPEC; the operands (the
 * arguments that are not options) go to OPERANDS[*N]. CLI_HELP: the usage was
 * printed for --help/-h (exit 0); CLI_USAGE: an error was printed on stderr
 * as cli_usage_error does (exit 2); CLI_FAILED: the paths clash (base/io_set.h),
 * said on stderr (exit 1). */
int cli_parse(const cli_spec *spec, int argc, char **argv, char **operands, int *n);

/* The exit status of a cli_parse result other than CLI_OK. */
int cli_exit_status(int parsed);

/* What follows a usage error's message, with the command ("asr decode"). */
#define CLI_TRY_HELP "Try '%s --help' for more information.\n"

/* A usage error outside the parser (a missing option, say): "COMMAND:
 * MESSAGE" and CLI_TRY_HELP on stderr, two lines (not the usage, which
 * would bury the message); returns the exit status for usage errors. */
int cli_usage_error(const cli_spec *spec, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ARGV[1], the subcommand of a command that has several (asr data split):
 * its index among the N names NAMES (STRIDE bytes apart), or -1 with *STATUS
 * the exit status after printing the usage for --help/-h (0) or a usage
 * error for a missing or unknown one, with the closest name (2). */
int cli_subcommand(const cli_spec *spec, int argc, char **argv, const char *const *names, int n,
                   int stride, int *status);

/* Standard input read as headerless PCM with ENCODING at RATE Hz: when the
 * command assumed either (ENCODING_GIVEN or RATE_GIVEN 0; RATE_WHY says
 * where an assumed rate comes from, "the model's rate"), one line on stderr
 * saying what it assumed and which option says otherwise. Raw samples at
 * another rate are read without an error, and misheard (issue 26). */
void cli_say_raw_input(const char *command, audio_encoding encoding, int encoding_given, int rate,
                       int rate_given, const char *rate_why);

/* The model file SPEC names (a file, or a name on the model search path,
 * recognizer/model_path.h), kept until the process ends; NULL with
 * asr_last_error() when there is none. */
const char *cli_model_path(const char *spec);

/* The default model (MODEL_DEFAULT_NAME, recognizer/model_path.h) of a
 * command given no --model: its file, declared an input of SPEC's io_set,
 * and unless QUIET one line on stderr saying which file it is; NULL after
 * printing why on stderr (none found: where it looked). */
const char *cli_default_model(const cli_spec *spec, int quiet);

/* Write JSON (one object, already formatted) to PATH, an output of IO,
 * atomically, for --stats: what scripts read with jq instead of the lines
 * meant for people. */
int cli_write_stats(const io_set *io, const char *path, const char *json);

/* Process-wide thread counts of OpenMP and OpenBLAS from --threads (0: all
 * cores): a program's policy, so the command sets it, never the library. */
void cli_apply_threads(int threads);

#endif
