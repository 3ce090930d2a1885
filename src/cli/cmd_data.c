/* cmd_data.c — `asr data`: validate, split, subset and combine data directories. */
#include "base/alloc.h"
#include "base/error.h"
#include "base/numparse.h"
#include "base/suggest.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "recognizer/datadir.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char data_usage[] =
    "usage: asr data validate [--check-audio] DIR\n"
    "       asr data split [--by speaker|utterance] [--fractions F,F,...] [--names N,N,...]\n"
    "                      [--seed N] IN OUTDIR\n"
    "       asr data subset (--speakers FILE | --utterances FILE | --first N) IN OUT\n"
    "       asr data combine OUT IN [IN...]\n"
    "\n"
    "Kaldi-style data directories: wav.scp, text, utt2spk, optional phones, each\n"
    "sorted by utterance id (LC_ALL=C sort); optional segments (\"utt recording\n"
    "start end\", seconds, end -1 for the end of the recording) make utterances\n"
    "spans of wav.scp's recordings. What asr writes has spk2utt too (one read\n"
    "must agree with utt2spk). Every file is UTF-8 text without control characters.\n"
    "\n"
    "validate  reports every problem as FILE:LINE (unsorted or duplicate ids, ids\n"
    "          missing from a file, missing audio, empty transcripts); with\n"
    "          --check-audio also decodes every utterance's audio as training and\n"
    "          decoding do (at least one 25 ms frame, the pipelines' default).\n"
    "          Exit 1 if any problem.\n"
    "split     writes OUTDIR/train, train_dev, dev, test (or --names) with sizes\n"
    "          proportional to --fractions (default 0.8,0.05,0.1,0.05), dealing out\n"
    "          whole speakers (--by speaker, default) or utterances, shuffled by --seed\n"
    "          (default 1).\n"
    "subset    keeps the utterances of the speakers / utterance ids listed one per\n"
    "          line in FILE, or the first N utterances.\n"
    "combine   merges directories; an utterance id in two inputs is an error. The\n"
    "          result has a phones file only if every input has one.\n"
    "Options take --opt VALUE or --opt=VALUE; -- ends them.\n"
    "\nExamples:\n"
    "  asr data validate --check-audio data/digits/train\n"
    "  asr data split --by speaker --fractions 0.8,0.1,0.1 --names train,dev,test \\\n"
    "      --seed 1 data/all data/split\n"
    "  asr data subset --first 100 data/digits/train data/train100\n"
    "  asr data combine data/both data/digits/train data/asterisk/train\n";

enum { O_CHECK_AUDIO = 1, O_BY, O_FRACTIONS, O_NAMES, O_SEED, O_SPEAKERS, O_UTTERANCES, O_FIRST };

static const cli_option data_opts[] = {
    {"check-audio", CLI_FLAG, NULL, O_CHECK_AUDIO},
    {"by", CLI_VALUE, NULL, O_BY},
    {"fractions", CLI_VALUE, NULL, O_FRACTIONS},
    {"names", CLI_VALUE, NULL, O_NAMES},
    {"seed", CLI_VALUE, NULL, O_SEED},
    {"speakers", CLI_INPUT, NULL, O_SPEAKERS},
    {"utterances", CLI_INPUT, NULL, O_UTTERANCES},
    {"first", CLI_VALUE, NULL, O_FIRST},
};

typedef struct {
    const char *sub; /* which subcommand: its options only */
    int check_audio, by_speaker, first;
    const char *fractions, *names, *list;
    subset_kind kind;
    int nsel; /* selections given (subset: exactly one) */
    uint64_t seed;
    io_set io;
} data_cmd;

static int handle(void *ctx, int id, const char *v)
{
    data_cmd *d = ctx;
    /* Each option belongs to one subcommand. */
    static const char *const owner[] = {NULL,    "validate", "split",  "split", "split",
                                        "split", "subset",   "subset", "subset"};
    if (strcmp(owner[id], d->sub))
        return asr_error("--%s is not an option of asr data %s", data_opts[id - 1].name, d->sub);
    switch (id) {
    case O_CHECK_AUDIO:
        d->check_audio = 1;
        return 0;
    case O_BY:
        if (parse_choice("--by", v, "utterance|speaker", &d->by_speaker) < 0) return -1;
        return 0;
    case O_FRACTIONS:
        d->fractions = v;
        return 0;
    case O_NAMES:
        d->names = v;
        return 0;
    case O_SEED:
        return parse_u64("--seed", v, &d->seed);
    case O_SPEAKERS:
    case O_UTTERANCES:
        d->kind = id == O_SPEAKERS ? SUBSET_SPEAKERS : SUBSET_UTTERANCES;
        d->list = v;
        d->nsel++;
        return 0;
    case O_FIRST:
        d->kind = SUBSET_FIRST;
        d->nsel++;
        return parse_int("--first", v, 0, INT_MAX, &d->first);
    }
    return asr_error("internal: option %d", id);
}

static int fail(void)
{
    fprintf(stderr, "asr data: %s\n", asr_last_error());
    return 1;
}

static int validate(data_cmd *d, char **pos)
{
    datadir_summary s;
    int problems = datadir_validate(pos[0], d->check_audio, stdout, &s);
    if (problems) {
        printf("%s: %d problem%s\n", pos[0], problems, problems == 1 ? "" : "s");
        return 1;
    }
    printf("%s: valid: %d utterances, %d speakers", pos[0], s.utterances, s.speakers);
    if (d->check_audio) printf(", %.1f minutes of audio", s.seconds / 60);
    printf("%s\n", s.has_phones ? ", phones" : "");
    return 0;
}

/* "a,b,c" into at most MAX items (pointers into *BUF); -1 on an empty item. */
static int split_list(const char *s, char **items, int max, char **buf)
{
    *buf = xstrdup(s);
    int n = 0;
    for (char *p = *buf, *tok; (tok = strsep(&p, ","));) {
        if (n == max || !*tok) return -1;
        items[n++] = tok;
    }
    return n;
}

/* The part names: plain directory names, each once (they become OUTDIR/NAME). */
static int check_names(char **names, int n)
{
    for (int j = 0; j < n; j++) {
        if (!strcmp(names[j], ".") || !strcmp(names[j], "..") || strchr(names[j], '/'))
            return asr_error("--names: '%.100s' is not a plain directory name", names[j]);
        for (int k = 0; k < j; k++)
            if (!strcmp(names[j], names[k]))
                return asr_error("--names: '%.100s' is given twice", names[j]);
    }
    return 0;
}

/* The split's parts from the options; -1 (a usage error) when they are bad. */
static int split_parts(data_cmd *d, char **names, double *frac, int *k, char **fbuf, char **nbuf)
{
    char *fitems[CORPUS_MAX_PARTS];
    int nf = split_list(d->fractions, fitems, CORPUS_MAX_PARTS, fbuf);
    int nn = split_list(d->names, names, CORPUS_MAX_PARTS, nbuf);
    if (nf < 1 || nn != nf)
        return asr_error("--fractions and --names need the same number (1-%d) of comma-separated "
                         "items",
                         CORPUS_MAX_PARTS);
    double total = 0;
    for (int j = 0; j < nf; j++) {
        if (parse_double("--fractions: item", fitems[j], 0, 1e6, &frac[j]) < 0) return -1;
        total += frac[j];
    }
    if (total <= 0) return asr_error("--fractions: the fractions sum to zero");
    *k = nf;
    return check_names(names, nn);
}

static int split(data_cmd *d, const cli_spec *spec, char **pos)
{
    char *names[CORPUS_MAX_PARTS], *fbuf = NULL, *nbuf = NULL;
    double frac[CORPUS_MAX_PARTS];
    int k = 0, rc = split_parts(d, names, frac, &k, &fbuf, &nbuf);
    datadir_summary parts[CORPUS_MAX_PARTS];
    if (rc < 0) {
        rc = cli_usage_error(spec, "%s", asr_last_error());
    } else {
        datadir_split_job j = {pos[0], pos[1], names, frac, k, d->by_speaker, d->seed, &d->io};
        rc = datadir_split(&j, parts) < 0 ? fail() : 0;
        for (int p = 0; rc == 0 && p < k; p++)
            printf("%s/%s: %d utterances, %d speakers\n", pos[1], names[p], parts[p].utterances,
                   parts[p].speakers);
    }
    free(fbuf);
    free(nbuf);
    return rc;
}

static int subset(data_cmd *d, const cli_spec *spec, char **pos)
{
    if (d->nsel != 1)
        return cli_usage_error(spec, "subset needs exactly one of --speakers, --utterances, "
                                     "--first");
    int kept, total;
    if (datadir_subset(&d->io, pos[0], pos[1], d->kind, d->list, d->first, &kept, &total) < 0)
        return fail();
    printf("%s: %d of %d utterances\n", pos[1], kept, total);
    return 0;
}

static int combine(data_cmd *d, char **pos, int n)
{
    datadir_summary s;
    if (datadir_combine(&d->io, pos[0], pos + 1, n - 1, &s) < 0) return fail();
    printf("%s: %d utterances from %d directories%s\n", pos[0], s.utterances, n - 1,
           s.has_phones ? "" : " (no phones: not every input has them)");
    return 0;
}

/* Each subcommand's operands: the directories read, and written. */
static const cli_operand validate_ops[] = {{CLI_INPUT, "DIR"}, {0, NULL}};
static const cli_operand split_ops[] = {{CLI_INPUT, "IN"}, {CLI_OUTPUT_DIR, "OUTDIR"}, {0, NULL}};
static const cli_operand subset_ops[] = {{CLI_INPUT, "IN"}, {CLI_OUTPUT_DIR, "OUT"}, {0, NULL}};
static const cli_operand combine_ops[] = {{CLI_OUTPUT_DIR, "OUT"}, {CLI_INPUT, "IN"}, {0, NULL}};

int cmd_data(int argc, char **argv)
{
    data_cmd d = {.by_speaker = 1,
                  .fractions = "0.8,0.05,0.1,0.05",
                  .names = "train,train_dev,dev,test",
                  .seed = 1};
    static const struct {
        const char *name;
        int min, max;
        const cli_operand *operands;
    } subs[] = {{"validate", 1, 1, validate_ops},
                {"split", 2, 2, split_ops},
                {"subset", 2, 2, subset_ops},
                {"combine", 2, 1024, combine_ops}};
    io_set_init(&d.io);
    cli_spec spec = {
        "asr data", data_usage, data_opts, (int)(sizeof data_opts / sizeof data_opts[0]),
        NULL,       handle,     &d,        0,
        0,          &d.io,      NULL};
    int st, s = cli_subcommand(&spec, argc, argv, &subs[0].name, 4, (int)sizeof subs[0], &st);
    if (s < 0) {
        io_set_free(&d.io);
        return st;
    }
    d.sub = subs[s].name;
    spec.min_operands = subs[s].min;
    spec.max_operands = subs[s].max;
    spec.operands = subs[s].operands;
    char **pos = xcalloc((size_t)argc, sizeof *pos);
    int n, rc = cli_parse(&spec, argc - 1, argv + 1, pos, &n);
    int status = rc != CLI_OK ? cli_exit_status(rc)
                 : s == 0     ? validate(&d, pos)
                 : s == 1     ? split(&d, &spec, pos)
                 : s == 2     ? subset(&d, &spec, pos)
                              : combine(&d, pos, n);
    free(pos);
    io_set_free(&d.io);
    return status;
}
