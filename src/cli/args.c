/* args.c — see args.h. */
#define _GNU_SOURCE /* getopt_long */
#include "cli/args.h"

#include "base/alloc.h"
#include "base/atomic_file.h"
#include "base/error.h"
#include "base/suggest.h"
#include "cli/commands.h"
#include "recognizer/model_path.h"
#include "cli/messages.h"

#include <cblas.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

/* One line, then where the help is: the whole usage after the message
 * buried it under 25-40 lines (issue 26). */
int cli_usage_error(const cli_spec *spec, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", spec->command);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n" CLI_TRY_HELP, spec->command);
    return EXIT_USAGE;
}

/* An option getopt did not know: say which, and the closest one there is. */
static int unknown_option(const cli_spec *spec, const char *arg)
{
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)strcspn(arg + 2, "="), arg + 2);
    const char *best = suggest_name(name, &spec->opts[0].name, spec->nopts, sizeof spec->opts[0]);
    if (best)
        cli_usage_error(spec, "unknown option '%s' (did you mean '--%s'?)", arg, best);
    else
        cli_usage_error(spec, "unknown option '%s'", arg);
    return CLI_USAGE;
}

/* --set KEY=VALUE, KEY perhaps without PREFIX (asr features --set frame_ms=25). */
static int set_in(asr_options *conf, const char *prefix, const char *value)
{
    if (!prefix || !strncmp(value, prefix, strlen(prefix))) return options_assign(conf, value);
    char *full = xmalloc(strlen(prefix) + strlen(value) + 1);
    sprintf(full, "%s%s", prefix, value);
    int rc = options_assign(conf, full);
    free(full);
    return rc;
}

/* Apply one parsed option. */
static int apply(const cli_spec *spec, const cli_option *o, const char *value)
{
    switch (o->kind) {
    case CLI_FLAG:
    case CLI_VALUE:
    case CLI_INPUT:
    case CLI_MODEL:
    case CLI_OUTPUT:
    case CLI_OUTPUT_DIR:
        return spec->handle(spec->ctx, o->id, value);
    case CLI_KEY:
        return options_set(spec->conf, o->key, value);
    case CLI_SET:
        return options_assign(spec->conf, value);
    case CLI_SET_IN:
        return set_in(spec->conf, o->key, value);
    case CLI_QUIET:
        cli_set_quiet();
        return 0;
    }
    return asr_error("--%s: not understood", o->name);
}

/* The model files resolved (cli_model_path): the options hold them until
 * the command ends, as they hold argv's strings. */
static char **model_paths;
static int n_model_paths;

static void free_model_paths(void)
{
    for (int i = 0; i < n_model_paths; i++) free(model_paths[i]);
    free(model_paths);
}

const char *cli_model_path(const char *spec)
{
    char *path;
    if (model_path_resolve(spec, &path) < 0) return NULL;
    if (!n_model_paths) atexit(free_model_paths);
    model_paths = xrealloc(model_paths, (size_t)(n_model_paths + 1) * sizeof *model_paths);
    return model_paths[n_model_paths++] = path;
}

const char *cli_default_model(const cli_spec *spec, int quiet)
{
    const char *path = cli_model_path(MODEL_DEFAULT_NAME);
    if (!path || (spec->io && io_set_input(spec->io, path) < 0)) {
        fprintf(stderr, "%s: %s\n", spec->command, asr_last_error());
        return NULL;
    }
    if (!quiet)
        fprintf(stderr,
                "%s: model %s (the default): %s; --model NAME|FILE for another (asr models "
                "lists them)\n",
                spec->command, MODEL_DEFAULT_NAME, path);
    return path;
}

static int is_path(cli_kind kind)
{
    return kind == CLI_INPUT || kind == CLI_MODEL || kind == CLI_OUTPUT || kind == CLI_OUTPUT_DIR;
}

static int is_input(cli_kind kind)
{
    return kind == CLI_INPUT || kind == CLI_MODEL;
}

/* Declare one path of the command line (WHAT: its option or operand) in IO. */
static int declare(io_set *io, cli_kind kind, const char *path, const char *what)
{
    if (!io) return asr_error("internal: %s names a path, but the command has no io_set", what);
    if (is_input(kind)) return io_set_input(io, path);
    if (kind == CLI_OUTPUT) return io_set_output(io, path, what);
    return io_set_output_dir(io, path, what, 0);
}

/* The paths the configuration, the options O[0..N) (values V) and the
 * operands name, declared in SPEC's io_set: inputs first, so that each output
 * is checked against all of them (and against the outputs before it). */
static int declare_paths(const cli_spec *spec, const cli_option **o, const char **v, int n,
                         char **operands, int nops)
{
    if (spec->conf && spec->io && options_add_inputs(spec->conf, spec->io) < 0) return -1;
    int k = 0;
    while (spec->operands && spec->operands[k].name) k++;
    const cli_operand *last = k ? &spec->operands[k - 1] : NULL;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < n; i++) {
            if (is_input(o[i]->kind) != (pass == 0)) continue;
            char what[80];
            snprintf(what, sizeof what, "--%s", o[i]->name);
            if (declare(spec->io, o[i]->kind, v[i], what) < 0) return -1;
        }
        for (int i = 0; i < nops && last; i++) {
            const cli_operand *op = i < k ? &spec->operands[i] : last;
            if (!is_path(op->kind) || is_input(op->kind) != (pass == 0)) continue;
            if (declare(spec->io, op->kind, operands[i], op->name) < 0) return -1;
        }
    }
    return 0;
}

/* Fewer than min_operands operands: name the first one missing, when the
 * table names it. */
static int missing_operands(const cli_spec *spec, int n)
{
    int k = 0, want = spec->min_operands;
    while (spec->operands && spec->operands[k].name && k <= n) k++;
    const char *least = spec->max_operands > want ? "at least " : "";
    if (k > n)
        cli_usage_error(spec, "missing %s (%s%d operand%s expected, %d given)",
                        spec->operands[n].name, least, want, want == 1 ? "" : "s", n);
    else
        cli_usage_error(spec, "missing operands (%s%d expected, %d given)", least, want, n);
    return CLI_USAGE;
}

int cli_exit_status(int parsed)
{
    return parsed == CLI_HELP ? 0 : parsed == CLI_FAILED ? 1 : EXIT_USAGE;
}

int cli_parse(const cli_spec *spec, int argc, char **argv, char **operands, int *n)
{
    /* The path options given, in order (at most one per argument). */
    const cli_option **po = xcalloc((size_t)argc + 1, sizeof *po);
    const char **pv = xcalloc((size_t)argc + 1, sizeof *pv);
    int np = 0;
    struct option *lo = xcalloc((size_t)spec->nopts + 2, sizeof *lo);
    for (int i = 0; i < spec->nopts; i++)
        lo[i] = (struct option){spec->opts[i].name,
                                spec->opts[i].kind == CLI_FLAG || spec->opts[i].kind == CLI_QUIET
                                    ? no_argument
                                    : required_argument,
                                NULL, 1000 + i};
    lo[spec->nopts] = (struct option){"help", no_argument, NULL, 'h'};
    *n = 0;
    int rc = CLI_OK, c;
    optind = 0; /* glibc: start afresh (a process may parse twice: asr help CMD) */
    opterr = 0;
    /* '-': operands come back in order as option 1, wherever they stand. */
    while (rc == CLI_OK && (c = getopt_long(argc, argv, "-:h", lo, NULL)) != -1) {
        if (c == 'h') {
            fputs(spec->usage, stdout);
            rc = CLI_HELP;
        } else if (c == 1) {
            if (*n == spec->max_operands)
                rc = (cli_usage_error(spec, "unexpected argument '%s'", optarg), CLI_USAGE);
            else
                operands[(*n)++] = optarg;
        } else if (c == ':') {
            rc = (cli_usage_error(spec, "%s needs a value", argv[optind - 1]), CLI_USAGE);
        } else if (c == '?') {
            rc = unknown_option(spec, argv[optind - 1]);
        } else {
            const cli_option *o = &spec->opts[c - 1000];
            const char *v = optarg;
            if (o->kind == CLI_MODEL && !(v = cli_model_path(optarg))) {
                /* Not a usage error: no such model, as no such file (exit 1). */
                fprintf(stderr, "%s: --%s: %s\n", spec->command, o->name, asr_last_error());
                rc = CLI_FAILED;
            } else if (apply(spec, o, v) < 0) {
                rc = (cli_usage_error(spec, "%s", asr_last_error()), CLI_USAGE);
            } else if (is_path(o->kind)) {
                po[np] = o;
                pv[np++] = v;
            }
        }
    }
    /* After "--", getopt stops: the rest are operands. */
    for (int i = optind; rc == CLI_OK && i < argc; i++) {
        if (*n == spec->max_operands)
            rc = (cli_usage_error(spec, "unexpected argument '%s'", argv[i]), CLI_USAGE);
        else
            operands[(*n)++] = argv[i];
    }
    if (rc == CLI_OK && *n < spec->min_operands) rc = missing_operands(spec, *n);
    if (rc == CLI_OK && declare_paths(spec, po, pv, np, operands, *n) < 0) {
        fprintf(stderr, "%s: %s\n", spec->command, asr_last_error());
        rc = CLI_FAILED;
    }
    free(po);
    free(pv);
    free(lo);
    return rc;
}

int cli_subcommand(const cli_spec *spec, int argc, char **argv, const char *const *names, int n,
                   int stride, int *status)
{
    *status = EXIT_USAGE;
    if (argc < 2) {
        char list[256];
        cli_usage_error(spec, "which subcommand? %s",
                        suggest_list(list, sizeof list, names, n, stride));
        return -1;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(spec->usage, stdout);
        *status = 0;
        return -1;
    }
    for (int i = 0; i < n; i++)
        if (!strcmp(argv[1], *(const char *const *)((const char *)names + (long)i * stride)))
            return i;
    char what[64];
    snprintf(what, sizeof what, "%s subcommand", spec->command + strlen("asr "));
    suggest_error(what, argv[1], names, n, stride);
    cli_usage_error(spec, "%s", asr_last_error());
    return -1;
}

void cli_say_raw_input(const char *command, audio_encoding encoding, int encoding_given, int rate,
                       int rate_given, const char *rate_why)
{
    if (encoding_given && rate_given) return;
    fprintf(stderr,
            "%s: standard input as headerless %s PCM%s at %d Hz%s%s%s; give %s if it is not\n",
            command, encoding == AUDIO_S16LE ? "s16le" : "f32le",
            encoding_given ? "" : " (the default)", rate, rate_given ? "" : " (",
            rate_given ? "" : rate_why, rate_given ? "" : ")",
            !rate_given && !encoding_given ? "--rate and --encoding"
            : rate_given                   ? "--encoding"
                                           : "--rate");
}

int cli_write_stats(const io_set *io, const char *path, const char *json)
{
    atomic_file af;
    if (atomic_file_open(&af, io, path, "w") < 0) return -1;
    fprintf(af.fp, "%s\n", json);
    return atomic_file_commit(&af);
}

void cli_apply_threads(int threads)
{
    if (threads <= 0) return;
#ifdef _OPENMP
    omp_set_num_threads(threads);
#endif
    openblas_set_num_threads(threads);
}
