/* args.c — see args.h. */
#define _GNU_SOURCE /* getopt_long */
#include "cli/args.h"

#include "base/alloc.h"
#include "base/atomic_file.h"
#include "base/error.h"
#include "base/suggest.h"

#include <cblas.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

int cli_usage_error(const cli_spec *spec, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", spec->command);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n%s", spec->usage);
    return 2;
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
        return spec->handle(spec->ctx, o->id, value);
    case CLI_KEY:
        return options_set(spec->conf, o->key, value);
    case CLI_SET:
        return options_assign(spec->conf, value);
    case CLI_SET_IN:
        return set_in(spec->conf, o->key, value);
    }
    return asr_error("--%s: not understood", o->name);
}

int cli_parse(const cli_spec *spec, int argc, char **argv, char **operands, int *n)
{
    struct option *lo = xcalloc((size_t)spec->nopts + 2, sizeof *lo);
    for (int i = 0; i < spec->nopts; i++)
        lo[i] = (struct option){spec->opts[i].name,
                                spec->opts[i].kind == CLI_FLAG ? no_argument : required_argument,
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
        } else if (apply(spec, &spec->opts[c - 1000], optarg) < 0) {
            rc = (cli_usage_error(spec, "%s", asr_last_error()), CLI_USAGE);
        }
    }
    /* After "--", getopt stops: the rest are operands. */
    for (int i = optind; rc == CLI_OK && i < argc; i++) {
        if (*n == spec->max_operands)
            rc = (cli_usage_error(spec, "unexpected argument '%s'", argv[i]), CLI_USAGE);
        else
            operands[(*n)++] = argv[i];
    }
    if (rc == CLI_OK && *n < spec->min_operands)
        rc = (cli_usage_error(spec, "missing arguments"), CLI_USAGE);
    free(lo);
    return rc;
}

int cli_write_stats(const char *path, const char *json)
{
    atomic_file af;
    if (atomic_file_open(&af, path, "w") < 0) return -1;
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
