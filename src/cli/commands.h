/* commands.h — the subcommands of the `asr` program.
 *
 * Each takes the arguments after the subcommand name (argv[0] is the
 * subcommand) and returns the process exit status: 0 success, 1 failure,
 * 2 bad usage. Each prints its own --help.
 */
#ifndef ASR_COMMANDS_H
#define ASR_COMMANDS_H

#define EXIT_USAGE 2

typedef struct {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} asr_command;

/* Defined in asr.c: the table `asr help` lists. */
extern const asr_command asr_commands[];

/* The subcommands; each lives in src/cli/cmd_NAME.c. */
/* data */
int cmd_data(int argc, char **argv);

/* features */
int cmd_features(int argc, char **argv);

/* lexicon */
int cmd_lexicon(int argc, char **argv);
int cmd_text(int argc, char **argv);

/* noise */
int cmd_noise(int argc, char **argv);

/* score */
int cmd_score(int argc, char **argv);

/* train, decode */
int cmd_train(int argc, char **argv);
int cmd_decode(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_adapt(int argc, char **argv);
int cmd_stream(int argc, char **argv);
int cmd_models(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_compare(int argc, char **argv);

/* lm */
int cmd_lm(int argc, char **argv);

#endif
