/* cmd_calibrate.c — `asr calibrate`: fit a model's confidence calibration
 * and its rejection of out-of-vocabulary speech on held-out data, or measure
 * them (recognizer/calibrate.h does the work). */
#include "base/error.h"
#include "base/numparse.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "recognizer/calibrate.h"

#include <math.h>
#include <stdio.h>

static const char calibrate_usage[] =
    "usage: asr calibrate --model M --data DIR [--oov DIR] [--out M2] [--max-fa RATE]\n"
    "\n"
    "Decodes DIR (in-vocabulary utterances with transcripts, never trained on) and\n"
    "fits the calibration of the words' confidences to whether they are right:\n"
    "p = sigmoid(a logit(c) + g gap + b), c the raw confidence, gap the word's\n"
    "free-path gap (nats per frame the search's words cost against free phone or\n"
    "character decoding). With --oov (utterances holding no in-vocabulary word:\n"
    "other words, music, noise) it also chooses the rejection: an utterance is\n"
    "rejected (no words) when its gap, nats per heard frame, is above reject_gap\n"
    "or its calibrated confidence is below reject_confidence; the pair chosen lets\n"
    "at most --max-fa of the OOV utterances give a word at the least WER on DIR\n"
    "(rejected utterances count as deletions). --out writes M with them stored\n"
    "(search keys confidence_scale, confidence_gap_scale, confidence_bias,\n"
    "reject_gap, reject_confidence; --set gives them to any command). Without\n"
    "--out, M's stored calibration and rejection are measured on DIR and --oov.\n"
    "M several models stored as one (asr models --combine): the words it keeps\n"
    "are calibrated, after its combination, by keys stored in that file (the\n"
    "three above and confidence_agree_scale, the weight of the fraction of its\n"
    "members that give the word at its place: \"agreement\" in decode's JSON); its\n"
    "members' own keys stay as they are, so --oov only measures (no rejection\n"
    "chosen).\n"
    "\n"
    "Prints one JSON object: utterances, words, right, oov_utterances, the keys\n"
    "(null: unset), and before (raw confidence, no rejection) and after: auc (of\n"
    "word confidence, right vs wrong words), ece (expected calibration error, 10\n"
    "bins), wer (%), fa (% of OOV utterances giving a word; null without --oov),\n"
    "rejected (DIR utterances rejected).\n"
    "\n"
    "  --model M        the model (file or name)\n"
    "  --data DIR       in-vocabulary data directory with transcripts\n"
    "  --oov DIR        out-of-vocabulary data directory (transcripts unused)\n"
    "  --out M2         the calibrated model (written atomically)\n"
    "  --max-fa RATE    the false-accept rate to meet, 0 to 1 (default 0.05)\n"
    "  --threads N, --batch-frames N, --beam N, --lm-weight X, --word-penalty X,\n"
    "  --set KEY=VALUE  as asr decode\n" CLI_QUIET_HELP "\nExamples:\n"
    "  asr calibrate --model exp/staged/final.mdl --data heldout --oov oov \\\n"
    "      --out exp/staged/calibrated.mdl\n"
    "  asr calibrate --model exp/staged/calibrated.mdl --data test --oov test_oov\n";

enum { O_MODEL = 1, O_DATA, O_OOV, O_OUT, O_MAX_FA };

static const cli_option calibrate_options[] = {
    {"model", CLI_MODEL, NULL, O_MODEL},
    {"data", CLI_INPUT, NULL, O_DATA},
    {"oov", CLI_INPUT, NULL, O_OOV},
    {"out", CLI_OUTPUT, NULL, O_OUT},
    {"max-fa", CLI_VALUE, NULL, O_MAX_FA},
    CLI_QUIET_OPTION,
    CLI_SEARCH_OPTIONS,
};

static int handle(void *ctx, int id, const char *v)
{
    asr_calibrate_job *j = ctx;
    if (id == O_MODEL) j->model = v;
    if (id == O_DATA) j->data = v;
    if (id == O_OOV) j->oov = v;
    if (id == O_OUT) j->out = v;
    if (id == O_MAX_FA) return parse_double("--max-fa", v, 0, 1, &j->max_fa);
    return 0;
}

static void key(const char *name, float v, int last)
{
    if (isnan(v))
        printf("\"%s\": null%s", name, last ? "" : ", ");
    else
        printf("\"%s\": %.6g%s", name, v, last ? "" : ", ");
}

static void number(double v)
{
    if (isfinite(v))
        printf("%.4f", v);
    else
        printf("null");
}

static void point(const char *name, const asr_calibrate_point *p)
{
    printf("\"%s\": {\"auc\": ", name);
    number(p->auc);
    printf(", \"ece\": ");
    number(p->ece);
    printf(", \"wer\": ");
    number(p->wer);
    printf(", \"fa\": ");
    number(p->fa);
    printf(", \"rejected\": %d}", p->rejected);
}

int cmd_calibrate(int argc, char **argv)
{
    asr_options conf;
    options_init(&conf);
    io_set io;
    io_set_init(&io);
    asr_calibrate_job j = {NULL, NULL, NULL, NULL, 0.05, &conf, &io};
    cli_spec spec = {"asr calibrate",
                     calibrate_usage,
                     calibrate_options,
                     (int)(sizeof calibrate_options / sizeof calibrate_options[0]),
                     &conf,
                     handle,
                     &j,
                     0,
                     0,
                     &io,
                     NULL};
    char *ops[1];
    int n;
    int rc = cli_parse(&spec, argc, argv, ops, &n);
    if (rc != CLI_OK) {
        rc = cli_exit_status(rc);
    } else if (!j.model || !j.data) {
        rc = cli_usage_error(&spec, "--model and --data are required");
    } else {
        cli_apply_threads(conf.threads);
        asr_calibrate_stats st;
        if (asr_calibrate(&j, &st) < 0) {
            fprintf(stderr, "asr calibrate: %s\n", asr_last_error());
            rc = 1;
        } else {
            printf("{\"utterances\": %d, \"words\": %d, \"right\": %d, \"oov_utterances\": %d, ",
                   st.utterances, st.words, st.right, st.oov_utterances);
            key("confidence_scale", st.fit.conf_scale, 0);
            key("confidence_gap_scale", st.fit.conf_gap_scale, 0);
            key("confidence_bias", st.fit.conf_bias, 0);
            key("confidence_agree_scale", st.fit.conf_agree_scale, 0);
            key("reject_gap", st.fit.reject_gap, 0);
            key("reject_confidence", st.fit.reject_confidence, 0);
            point("before", &st.before);
            printf(", ");
            point("after", &st.after);
            printf("}\n");
            rc = 0;
        }
    }
    io_set_free(&io);
    options_free(&conf);
    return rc;
}
