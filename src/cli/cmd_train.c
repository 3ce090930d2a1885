/* cmd_train.c — `asr train`: options in, one recognizer/train.h call. */
#include "base/error.h"
#include "base/parallel.h"
#include "base/suggest.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/messages.h"
#include "recognizer/train.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char train_usage[] =
    "usage: asr train --pipeline direct|staged|multitask --train DIR --valid DIR --out EXP\n"
    "                 [options]\n"
    "\n"
    "Trains a recognizer; writes EXP/final.mdl (best validation epoch), EXP/best.mdl,\n"
    "EXP/checkpoint.mdl (every epoch), EXP/log.tsv (one line per epoch) and\n"
    "EXP/config (the effective configuration). Defaults: the pipeline's own,\n"
    "compiled in and listed below with --pipeline P --help (--config FILE instead).\n"
    "\n"
    "Pipelines:\n"
    "  direct      characters (CTC), greedy or beam search over characters\n"
    "  staged      phones (CTC), then words through a lexicon and a word LM\n"
    "  multitask   one network, two CTC heads: phones (decoded as staged) and\n"
    "              characters (a training signal only); an utterance whose phones\n"
    "              cannot be made trains the character head alone\n"
    "\n"
    "  --config FILE        configuration file instead of the pipeline's defaults\n"
    "  --set KEY=VALUE      any configuration key (repeatable; keys below)\n"
    "  --layers 'L1;L2;..'  the network, one layer per ';' (the kinds: 'layer' below)\n"
    "  --epochs N  --lr X  --optimizer sgd|momentum|rmsprop|adam  --momentum X\n"
    "  --l2 X               L2 weight decay        --dropout P  every dropout layer\n"
    "  --clip X  --warmup STEPS  --decay X (per epoch)  --patience N (early stop)\n"
    "  --batch-frames N     padded frames per batch --max-batch N\n"
    "  --specaug | --no-specaug   SpecAugment time and frequency masks\n"
    "  --threads N  --seed N\n"
    "  --resume             continue EXP/checkpoint.mdl exactly, on the same --train\n"
    "                       and --valid data\n"
    "  --force              replace an EXP that holds an earlier run, once this run is\n"
    "                       complete (it trains in EXP.tmp until then)\n"
    "  --lexicon FILE  --lm FILE   staged and multitask resources (--lexicon required)\n"
    "  --init MODEL         transfer learning: start from a trained model's weights\n"
    "                       (layers of the same shape; its features configuration)\n"
    "  --finetune all|last  train every layer (default) or only the output layer\n"
    "  --freeze N           keep the first N layers of the --init model fixed\n" CLI_QUIET_HELP "\n"
    "Under mpirun -np N it trains on N processes: every batch is cut into shards\n"
    "(--set shards=S, 4, at least N) summed in a fixed order, so the model is the\n"
    "same bytes on any number of processes and threads; rank 0 writes EXP.\n"
    "Options take --opt VALUE or --opt=VALUE; -- ends them.\n"
    "\nExamples:\n"
    "  asr train --pipeline staged --train data/digits/train --valid data/digits/train_dev \\\n"
    "      --lexicon data/digits/lexicon.txt --out exp/staged\n"
    "  asr train --pipeline direct --train data/digits/train --valid data/digits/train_dev \\\n"
    "      --epochs 30 --layers 'conv 256 5 2 1;relu;layernorm;affine out' --out exp/direct\n"
    "  asr train --pipeline direct --train data/digits/train --valid data/digits/train_dev \\\n"
    "      --out exp/direct --resume\n"
    "  asr train --pipeline direct --help     # the configuration keys and their defaults\n";

enum {
    O_PIPELINE = 1,
    O_CONFIG,
    O_TRAIN,
    O_VALID,
    O_OUT,
    O_RESUME,
    O_FORCE,
    O_SPECAUG,
    O_NO_SPECAUG,
    O_LAYERS,
    O_DROPOUT,
    O_FINETUNE
};

static const cli_option train_options[] = {
    {"pipeline", CLI_VALUE, NULL, O_PIPELINE},
    {"config", CLI_INPUT, NULL, O_CONFIG},
    {"train", CLI_INPUT, NULL, O_TRAIN},
    {"valid", CLI_INPUT, NULL, O_VALID},
    {"out", CLI_OUTPUT_DIR, NULL, O_OUT},
    {"resume", CLI_FLAG, NULL, O_RESUME},
    {"force", CLI_FLAG, NULL, O_FORCE},
    CLI_QUIET_OPTION,
    {"specaug", CLI_FLAG, NULL, O_SPECAUG},
    {"no-specaug", CLI_FLAG, NULL, O_NO_SPECAUG},
    {"layers", CLI_VALUE, NULL, O_LAYERS},
    {"dropout", CLI_VALUE, NULL, O_DROPOUT},
    {"finetune", CLI_VALUE, NULL, O_FINETUNE},
    {"epochs", CLI_KEY, "epochs", 0},
    {"lr", CLI_KEY, "lr", 0},
    {"optimizer", CLI_KEY, "optimizer", 0},
    {"momentum", CLI_KEY, "momentum", 0},
    {"l2", CLI_KEY, "l2", 0},
    {"clip", CLI_KEY, "clip", 0},
    {"warmup", CLI_KEY, "warmup", 0},
    {"decay", CLI_KEY, "decay", 0},
    {"patience", CLI_KEY, "patience", 0},
    {"seed", CLI_KEY, "seed", 0},
    {"max-batch", CLI_KEY, "max_batch", 0},
    {"init", CLI_KEY, "init", 0},
    {"freeze", CLI_KEY, "freeze", 0},
    CLI_SEARCH_OPTIONS,
};

typedef struct {
    asr_train_job job;
    io_set io;
} train_cmd;

/* Ctrl-C (or a kill) during training: say what is left and how to go on,
 * then die of the signal as before. The message is made before training
 * starts; the handler only writes it (write(2) is async-signal-safe). */
static char interrupted_msg[1024];
/* Before the first checkpoint (no EXP/checkpoint.mdl yet: access(2) is
 * async-signal-safe) there is nothing to resume: e.g. an MPI job stopped
 * because another rank failed to start. */
static char early_msg[1024], checkpoint_path[1024];

static void on_interrupt(int sig)
{
    const char *msg =
        checkpoint_path[0] && access(checkpoint_path, F_OK) != 0 ? early_msg : interrupted_msg;
    ssize_t rc = write(STDERR_FILENO, msg, strlen(msg));
    (void)rc;
    signal(sig, SIG_DFL);
    raise(sig);
}

static void say_how_to_resume(const asr_train_job *j)
{
    if (par_rank() != 0) return; /* rank 0 speaks for the job (and writes EXP) */
    if (j->force)
        snprintf(interrupted_msg, sizeof interrupted_msg,
                 "\nasr train: interrupted; %s is unchanged (the replacement run in %s.tmp was "
                 "not complete and is removed by the next run)\n",
                 j->exp, j->exp);
    else {
        snprintf(interrupted_msg, sizeof interrupted_msg,
                 "\nasr train: interrupted; %s/checkpoint.mdl holds the last finished epoch: "
                 "run the same command with --resume to continue\n",
                 j->exp);
        snprintf(early_msg, sizeof early_msg,
                 "\nasr train: interrupted before the first epoch ended; %s holds no checkpoint "
                 "to resume\n",
                 j->exp);
        if ((size_t)snprintf(checkpoint_path, sizeof checkpoint_path, "%s/checkpoint.mdl",
                             j->exp) >= sizeof checkpoint_path)
            checkpoint_path[0] = '\0'; /* too long to check: the first message */
    }
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    static const int sigs[] = {SIGINT, SIGTERM};
    for (int i = 0; i < 2; i++) /* a signal the caller ignores (nohup, `&`) stays ignored */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
}

static int handle(void *ctx, int id, const char *v)
{
    train_cmd *t = ctx;
    asr_options *c = t->job.conf;
    int i;
    switch (id) {
    case O_PIPELINE:
    case O_CONFIG:
        return 0; /* taken before the others (prescan) */
    case O_TRAIN:
        t->job.train_dir = v;
        return 0;
    case O_VALID:
        t->job.valid_dir = v;
        return 0;
    case O_OUT:
        t->job.exp = v;
        return 0;
    case O_RESUME:
    case O_FORCE:
        *(id == O_RESUME ? &t->job.resume : &t->job.force) = 1;
        return 0;
    case O_SPECAUG:
    case O_NO_SPECAUG:
        c->train.specaug = id == O_SPECAUG;
        return 0;
    case O_LAYERS:
        options_set_layers(c, v);
        return 0;
    case O_DROPOUT:
        return options_set_dropout(c, v);
    case O_FINETUNE:
        if (parse_choice("--finetune", v, "all|last", &i) < 0) return -1;
        return options_set(c, "freeze", i == 0 ? "0" : "all-but-last");
    }
    return asr_error("internal: option %d", id);
}

/* The value of --NAME in ARGV (as --NAME V or --NAME=V), before "--"; the
 * defaults it selects are read before any other option applies. */
static const char *prescan(int argc, char **argv, const char *name)
{
    size_t n = strlen(name);
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
        if (strncmp(argv[i], "--", 2) || strncmp(argv[i] + 2, name, n)) continue;
        if (argv[i][2 + n] == '=') return argv[i] + 3 + n;
        if (!argv[i][2 + n] && i + 1 < argc) return argv[i + 1];
    }
    return NULL;
}

static int run(train_cmd *t, cli_spec *spec, int argc, char **argv)
{
    const char *pipeline = prescan(argc, argv, "pipeline");
    const char *config = prescan(argc, argv, "config");
    const pipeline_ops *ops = pipeline ? pipeline_find(pipeline) : NULL;
    if (pipeline && !ops) return cli_usage_error(spec, "%s", asr_last_error());
    if ((config && options_read_file(t->job.conf, config) < 0) ||
        (!config && ops && options_read_pipeline(t->job.conf, pipeline) < 0)) {
        fprintf(stderr, "asr train: %s\n", asr_last_error());
        return 1;
    }
    char *operands[1];
    int n;
    int rc = cli_parse(spec, argc, argv, operands, &n);
    if (rc == CLI_HELP) {
        printf("\nConfiguration keys (--set KEY=VALUE, or KEY = VALUE in a file)%s:\n",
               ops ? ", with this pipeline's defaults" : "");
        options_describe(t->job.conf, stdout);
        return 0;
    }
    if (rc != CLI_OK) return cli_exit_status(rc);
    if (!ops) return cli_usage_error(spec, "--pipeline is required");
    if (!t->job.train_dir || !t->job.valid_dir || !t->job.exp)
        return cli_usage_error(spec, "--train, --valid and --out are required");
    if (t->job.resume && t->job.force)
        return cli_usage_error(spec, "--resume continues EXP, --force replaces it: not both");
    t->job.pipeline = pipeline;
    t->job.conf->train.quiet = cli_quiet();
    if (asr_train_check(&t->job) < 0) return cli_usage_error(spec, "%s", asr_last_error());
    t->job.config_path = config;
    cli_apply_threads(t->job.conf->threads);
    say_how_to_resume(&t->job);
    if (asr_train(&t->job) < 0) {
        fprintf(stderr, "asr train: %s\n", asr_last_error());
        return 1;
    }
    return 0;
}

int cmd_train(int argc, char **argv)
{
    asr_options conf;
    options_init(&conf);
    train_cmd t;
    memset(&t, 0, sizeof t);
    t.job.conf = &conf;
    io_set_init(&t.io);
    t.job.io = &t.io;
    cli_spec spec = {"asr train",
                     train_usage,
                     train_options,
                     (int)(sizeof train_options / sizeof train_options[0]),
                     &conf,
                     handle,
                     &t,
                     0,
                     0,
                     &t.io,
                     NULL};
    int rc = run(&t, &spec, argc, argv);
    io_set_free(&t.io);
    options_free(&conf);
    return rc;
}
