/* adapt_args.h — the adaptation options `asr adapt`, `asr decode --adapt`
 * and `asr stream --adapt` share (recognizer/adapt.h), and its report. */
#ifndef ASR_CLI_ADAPT_ARGS_H
#define ASR_CLI_ADAPT_ARGS_H

#include "cli/args.h"
#include "recognizer/adapt.h"

/* Their ids in a command's option table (the command's own stay below). */
enum {
    A_TRANSFORM = 200,
    A_MIN_CONF,
    A_EPOCHS,
    A_LR,
    A_L2,
    A_ROUNDS,
    A_MIN_SECONDS,
    A_AGREE,
    A_COTRAIN
};

#define CLI_ADAPT_OPTIONS                                                                          \
    {"transform", CLI_VALUE, NULL, A_TRANSFORM}, {"min-confidence", CLI_VALUE, NULL, A_MIN_CONF},  \
        {"adapt-epochs", CLI_VALUE, NULL, A_EPOCHS}, {"adapt-lr", CLI_VALUE, NULL, A_LR},          \
        {"adapt-rounds", CLI_VALUE, NULL, A_ROUNDS},                                               \
        {"min-seconds", CLI_VALUE, NULL, A_MIN_SECONDS}, {"agree", CLI_VALUE, NULL, A_AGREE},      \
        {"cotrain", CLI_FLAG, NULL, A_COTRAIN},                                                    \
    {                                                                                              \
        "adapt-l2", CLI_VALUE, NULL, A_L2                                                          \
    }

#define CLI_ADAPT_HELP                                                                             \
    "  --transform feature    an affine map of the features (x' = A x + b, as\n"                   \
    "                         fMLLR; 6.6 kB per speaker for 40 channels; default)\n"               \
    "  --transform layernorm  the layer norms' gains and biases\n"                                 \
    "  --min-confidence P     adapt to hypotheses with confidence >= P (default 0.5)\n"            \
    "  --adapt-epochs N       passes over the kept utterances (default 20)\n"                      \
    "  --adapt-lr X           Adam's step (default 0.01)\n"                                        \
    "  --adapt-l2 X           pull toward the source model (default 0.01)\n"                       \
    "  --adapt-rounds N       decode-and-fit rounds, each from the last one's\n"                   \
    "                         hypotheses, 1 to 3 (default 2; more can collapse\n"                  \
    "                         onto their own errors: 4 took one fold 11% -> 50%)\n"                \
    "  --agree MODEL          keep only the hypotheses a second model (best the other\n"           \
    "                         pipeline) hears word for word too: two recognizers\n"                \
    "                         that agree are right more often; the filter instead of\n"            \
    "                         the confidence (default 0 with it; not in asr stream);\n"            \
    "                         MODEL decodes with its speaker transforms: one adapted\n"            \
    "                         the other way round first is co-training\n"                          \
    "  --cotrain              with --agree: adapt MODEL first (as asr adapt --model\n"             \
    "                         MODEL --agree this-model would), then agree with its\n"              \
    "                         adapted hypotheses (measured: 31% / 26% off direct /\n"              \
    "                         staged on held-out speakers, against 26% / 17% without)\n"

/* Option ID with value V into C: 0, -1 with a message, 1 when ID is not an
 * adaptation option. */
int adapt_args_handle(adapt_config *c, int id, const char *v);

/* A usage error in the adaptation options C as a whole (NULL: none). */
const char *adapt_args_conflict(const adapt_config *c);

/* ST (transforms of kind K) as one JSON object and a newline on OUT. */
void adapt_args_print(FILE *out, xform_kind k, const adapt_stats *st);

#endif
