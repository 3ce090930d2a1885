/* cmd_decode.c — `asr decode`: options in, one recognizer/decode.h call, rates out. */
#include "base/alloc.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/log.h"
#include "base/numparse.h"
#include "base/parallel.h"
#include "base/suggest.h"
#include "cli/adapt_args.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/messages.h"
#include "recognizer/decode.h"
#include "recognizer/word_output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char decode_usage[] =
    "usage: asr decode [--model NAME|FILE] [options] DATA_DIR\n"
    "       asr decode [--model NAME|FILE] [options] FILE|- ...\n"
    "\n"
    "Recognises every utterance of DATA_DIR (wav.scp; text and utt2spk optional)\n"
    "and writes the hypotheses as a Kaldi text file (uttid words...) to --out\n"
    "(default: standard output). Prints the real-time factor (decoding seconds /\n"
    "audio seconds) and, when DATA_DIR has transcripts, the word error rate.\n"
    "Given audio files instead (any format libsndfile reads, any rate), writes\n"
    "one line per file: FILE<TAB>words. '-' is one recording read from standard\n"
    "input: WAV, FLAC, OGG... from its header, or headerless PCM with --raw.\n"
    "\n"
    "  --model NAME|FILE    a model file, or the name of one (asr models lists\n"
    "                       them), or a system of several stored in one (asr models\n"
    "                       --combine); default: digits, the shipped digits models\n"
    "                       combined\n"
    "  --raw                standard input is headerless mono PCM\n"
    "  --rate HZ            its sample rate (required with --raw)\n"
    "  --encoding s16le|f32le   its samples (default s16le)\n"
    "  --model M2 ...       given again: an ensemble; the models' log-probabilities\n"
    "                       are averaged per frame and the first model's search\n"
    "                       decodes them (same pipeline, features and outputs)\n"
    "  --combine M2         system combination: M2 (any pipeline: a staged and a\n"
    "                       direct model) decodes too, with its own features and\n"
    "                       search, and each utterance keeps the words of the\n"
    "                       model more confident in them (repeatable); a model\n"
    "                       that rejects it (asr calibrate; the shipped\n"
    "                       digits-direct) rejects it for all\n"
    "  --pad-view MS        the first model also decodes every utterance with MS ms\n"
    "                       of quiet added before and after it, one more system of\n"
    "                       the combination (a word cut tight to its edges, as\n"
    "                       trimmed clips are, is heard with silence around it, as\n"
    "                       in training); word times stay the recording's\n"
    "  --no-trim            recognise each recording whole; by default its long\n"
    "                       quiet is cut first: the silence before and after the\n"
    "                       words (200 ms kept) and pauses between them beyond\n"
    "                       300 ms (no model heard such silence in training: it\n"
    "                       gave words never said, or none), and a word from the\n"
    "                       first sample gets 100 ms of quiet before it; word\n"
    "                       times are the recording's either way\n"
    "  --out FILE           hypotheses file (written atomically)\n"
    "  --units FILE         also write the symbol sequences (characters or phones)\n"
    "  --format text|json|ctm   what --out holds: text (default) as above; json: one\n"
    "                       object per utterance per line {utt, text, confidence,\n"
    "                       gap, rejected, words: [{word, start, end, confidence,\n"
    "                       gap, agreement}]} (seconds; agreement: a combined\n"
    "                       system's, the fraction of its members giving the\n"
    "                       word); ctm: UTT 1 START DUR WORD CONF per\n"
    "                       word (sclite). A model calibrated by asr calibrate\n"
    "                       (or --set reject_gap=X) rejects speech outside its\n"
    "                       vocabulary: no words (text: the id alone; json:\n"
    "                       rejected true; ctm: no line)\n"
    "  --stage words|phones what --out holds (phones: the staged or multitask\n"
    "                       pipeline's phone sequences, for phone error rate)\n"
    "  --beam N             search beam (direct: 1 = greedy; beam search uses the\n"
    "                       model's character LM; staged: width of the word search)\n"
    "  --lm FILE            ARPA LM: words (staged, multitask) or characters (direct)\n"
    "  --lexicon FILE       staged and multitask: replaces the model's lexicon\n"
    "  --lm-weight X --word-penalty X   LM scale and insertion bonus (per word;\n"
    "                       direct: per character)\n"
    "Search settings not given come from the model file (its training config).\n"
    "  --threads N          (default: all cores)   --batch-frames N\n"
    "  --set KEY=VALUE      any search setting (asr train --help lists the keys)\n"
    "  --adapt              two passes over DATA_DIR: decode, adapt to each speaker of\n"
    "                       its utt2spk from the confident hypotheses (asr adapt\n"
    "                       --per-speaker, without storing), decode again; with:\n" CLI_ADAPT_HELP
    "  --stats FILE         the summary (utterances, audio seconds, RTF, WER and its\n"
    "                       S/D/I) as one JSON object, for scripts\n" CLI_QUIET_HELP "\nExamples:\n"
    "  asr decode --model exp/staged/final.mdl --out hyp.txt data/digits/test\n"
    "  asr decode --model exp/staged/final.mdl call.wav other.flac\n"
    "  arecord -d 3 -f S16_LE -r 8000 -c 1 -t raw | \\\n"
    "      asr decode --model exp/staged/final.mdl --raw --rate 8000 -\n"
    "  asr decode --model exp/a/final.mdl --model exp/b/final.mdl data/digits/dev\n"
    "  asr decode --model digits-staged --combine digits-direct data/digits/dev\n"
    "  asr decode --pad-view 100 --combine digits-direct --combine digits-staged-tdnn \\\n"
    "      data/digits/dev\n";

enum {
    O_MODEL = 1,
    O_OUT,
    O_UNITS,
    O_STAGE,
    O_STATS,
    O_RAW,
    O_RATE,
    O_ENCODING,
    O_FORMAT,
    O_ADAPT,
    O_COMBINE,
    O_PAD_VIEW,
    O_NO_TRIM
};

/* Further --model options (an ensemble) at most. */
#define MAX_ENSEMBLE 15
/* Most audio files one command line decodes; a data directory has no limit. */
#define MAX_FILES 4096

static const cli_option decode_options[] = {
    {"model", CLI_MODEL, NULL, O_MODEL},
    {"combine", CLI_MODEL, NULL, O_COMBINE},
    {"pad-view", CLI_VALUE, NULL, O_PAD_VIEW},
    {"no-trim", CLI_FLAG, NULL, O_NO_TRIM},
    {"out", CLI_OUTPUT, NULL, O_OUT},
    {"units", CLI_OUTPUT, NULL, O_UNITS},
    {"stage", CLI_VALUE, NULL, O_STAGE},
    {"stats", CLI_OUTPUT, NULL, O_STATS},
    {"raw", CLI_FLAG, NULL, O_RAW},
    {"rate", CLI_VALUE, NULL, O_RATE},
    {"encoding", CLI_VALUE, NULL, O_ENCODING},
    CLI_QUIET_OPTION,
    {"format", CLI_VALUE, NULL, O_FORMAT},
    {"adapt", CLI_FLAG, NULL, O_ADAPT},
    CLI_ADAPT_OPTIONS,
    CLI_SEARCH_OPTIONS,
};

static const cli_operand decode_operands[] = {{CLI_INPUT, "DATA_DIR|FILE"}, {0, NULL}};

typedef struct {
    asr_decode_job job;
    const char *stats;
    asr_decode_input stdin_input; /* how '-' is read: raw, encoding, raw_rate */
    int rate_given, encoding_given;
    const char *more[MAX_ENSEMBLE]; /* --model given again: an ensemble */
    int n_more;
    const char *combine[MAX_ENSEMBLE]; /* --combine */
    int n_combine;
    int adapt, adapt_opts; /* --adapt; adaptation options given */
    adapt_config acfg;
} decode_cmd;

/* --stats: the numbers of the summary lines as one JSON object. */
static int write_stats(const io_set *io, const char *path, const asr_decode_stats *st, double dec,
                       int phones)
{
    char json[1024];
    int n = snprintf(json, sizeof json,
                     "{\"utterances\": %d, \"audio_seconds\": %.3f, \"seconds\": %.4f, "
                     "\"rtf\": %.6f, \"feature_seconds\": %.4f, \"search_seconds\": %.4f, "
                     "\"load_seconds\": %.4f",
                     st->utterances, st->audio_seconds, dec,
                     st->audio_seconds > 0 ? dec / st->audio_seconds : 0, st->feature_seconds,
                     st->search_seconds, st->load_seconds);
    if (st->have_ref) {
        const error_counts *e = &st->errors;
        double rate = metrics_rate(error_counts_errors(e), e->n_ref);
        n += snprintf(json + n, sizeof json - (size_t)n,
                      ", \"%s\": %.2f, \"ref\": %ld, \"sub\": %ld, \"del\": %ld, \"ins\": %ld",
                      phones ? "per" : "wer", rate, e->n_ref, e->sub, e->del, e->ins);
    }
    snprintf(json + n, sizeof json - (size_t)n, "}");
    return cli_write_stats(io, path, json);
}

static int handle(void *ctx, int id, const char *v)
{
    decode_cmd *c = ctx;
    asr_decode_job *j = &c->job;
    if (id == O_ADAPT) c->adapt = 1;
    int a = adapt_args_handle(&c->acfg, id, v);
    if (a <= 0) {
        c->adapt_opts = 1;
        return a;
    }
    if (id == O_STATS) c->stats = v;
    if (id == O_RAW) c->stdin_input.raw = 1;
    if (id == O_RATE) {
        c->rate_given = 1;
        if (parse_int("--rate", v, AUDIO_MIN_RATE, AUDIO_MAX_RATE, &c->stdin_input.raw_rate) < 0)
            return -1;
    }
    if (id == O_ENCODING) {
        c->encoding_given = 1;
        if (audio_parse_encoding("--encoding", v, &c->stdin_input.encoding) < 0) return -1;
    }
    if (id == O_MODEL) {
        if (!j->system.model)
            j->system.model = v;
        else if (c->n_more == MAX_ENSEMBLE)
            return asr_error("--model: at most %d models decode together", MAX_ENSEMBLE + 1);
        else
            c->more[c->n_more++] = v;
        j->system.ensemble = c->more;
        j->system.n_ensemble = c->n_more;
    }
    if (id == O_COMBINE) {
        if (c->n_combine == MAX_ENSEMBLE)
            return asr_error("--combine: at most %d models", MAX_ENSEMBLE);
        c->combine[c->n_combine++] = v;
        j->system.combine = c->combine;
        j->system.n_combine = c->n_combine;
    }
    if (id == O_PAD_VIEW) {
        int ms;
        if (parse_int("--pad-view", v, 1, 2000, &ms) < 0) return -1;
        j->system.pad_view = ms / 1000.0;
    }
    if (id == O_NO_TRIM) j->system.no_trim = c->acfg.no_trim = 1;
    if (id == O_OUT) j->out = v;
    if (id == O_UNITS) j->units_out = v;
    if (id == O_STAGE) return parse_choice("--stage", v, "words|phones", &j->phones);
    if (id == O_FORMAT) return parse_choice("--format", v, WORDS_FORMATS, &j->format);
    return 0;
}

/* FILE... and '-': every operand an audio input; standard input read whole. */
static int decode_files(decode_cmd *c, char **ops, int n, asr_decode_stats *st)
{
    asr_decode_input *in = xcalloc((size_t)n, sizeof *in);
    unsigned char *bytes = NULL;
    int rc = 0, dashes = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        in[i].name = ops[i];
        if (strcmp(ops[i], "-")) continue;
        if (dashes++) {
            rc = asr_error("'-' given twice: standard input holds one recording");
            break;
        }
        in[i] = c->stdin_input;
        in[i].name = "-";
        if (in[i].raw)
            cli_say_raw_input("asr decode", in[i].encoding, c->encoding_given, in[i].raw_rate, 1,
                              NULL);
        rc = audio_read_stream(stdin, "standard input", in[i].raw, in[i].encoding, in[i].raw_rate,
                               &bytes, &in[i].len);
        in[i].data = bytes;
    }
    if (rc == 0 && c->stdin_input.raw && !dashes)
        rc = asr_error("--raw describes standard input, but no '-' was given");
    if (rc == 0) rc = asr_decode_audio(&c->job, in, n, st);
    free(bytes);
    free(in);
    return rc;
}

static int run(decode_cmd *c, const cli_spec *spec, int argc, char **argv)
{
    asr_decode_job *j = &c->job;
    char *ops[MAX_FILES];
    int n;
    int rc = cli_parse(spec, argc, argv, ops, &n);
    if (rc != CLI_OK) return cli_exit_status(rc);
    if (n < 1) return cli_usage_error(spec, "a DATA_DIR or audio files are required");
    if (c->stdin_input.raw != c->rate_given)
        return cli_usage_error(spec, "--raw and --rate go together (headerless PCM has no rate)");
    cli_apply_threads(j->conf->threads);
    asr_decode_stats st;
    int files = n > 1 || !path_is_dir(ops[0]);
    if (j->phones && j->format != WORDS_TEXT)
        return cli_usage_error(spec, "--format json and ctm give words: not with --stage phones");
    if (files && (j->units_out || j->phones))
        return cli_usage_error(spec, "--units and --stage phones need a DATA_DIR");
    if (files && par_size() > 1)
        return cli_usage_error(spec, "under mpirun asr decode shares a DATA_DIR's utterances; "
                                     "audio files are decoded by one process");
    if (!j->system.model &&
        !(j->system.model = cli_default_model(spec, cli_quiet() || par_rank() != 0)))
        return 1;
    if (c->adapt_opts && !c->adapt)
        return cli_usage_error(spec, "the adaptation options go with --adapt");
    if ((c->n_combine || j->system.pad_view > 0) && (c->adapt || j->phones || j->units_out))
        return cli_usage_error(spec, "--combine and --pad-view pick each utterance's words from "
                                     "one of several decodings: not with --adapt, --stage phones "
                                     "or --units");
    if (j->system.pad_view > 0 && c->n_more)
        return cli_usage_error(spec, "--pad-view decodes again with one model: not with an "
                                     "ensemble");
    if (c->adapt && (files || c->n_more || par_size() > 1))
        return cli_usage_error(spec, "--adapt adapts to the speakers of one DATA_DIR with one "
                                     "model, in one process");
    if (adapt_args_conflict(&c->acfg))
        return cli_usage_error(spec, "%s", adapt_args_conflict(&c->acfg));
    if (c->adapt) {
        c->acfg.per_speaker = 1;
        j->adapt = &c->acfg;
    }
    j->data_dir = ops[0];
    if ((files ? decode_files(c, ops, n, &st) : asr_decode_dir(j, &st)) < 0) {
        fprintf(stderr, "asr decode: %s\n", asr_last_error());
        return 1;
    }
    if (par_rank() != 0) return 0; /* rank 0 speaks for the job */
    double dec = st.feature_seconds + st.search_seconds;
    asr_log(ASR_LOG_INFO,
            "asr decode: %d utterances, %.1f s of audio in %.2f s: RTF %.4f (features %.2f s, "
            "network and search %.2f s; model load %.2f s)",
            st.utterances, st.audio_seconds, dec, st.audio_seconds > 0 ? dec / st.audio_seconds : 0,
            st.feature_seconds, st.search_seconds, st.load_seconds);
    if (st.resampled)
        asr_log(ASR_LOG_INFO,
                "asr decode: %d of %d recordings resampled to the model's %d Hz (the first from %d "
                "Hz)",
                st.resampled, st.utterances, st.resampled_to, st.resampled_from);
    if (c->adapt)
        asr_log(ASR_LOG_INFO,
                "asr decode: adapted to %d speakers from %d confident utterances in %.2f s",
                st.adapted, st.adapt_used, st.adapt_seconds);
    if (st.have_ref && !cli_quiet())
        metrics_print_rate(stderr, j->phones ? "PER" : "WER", &st.errors);
    if (c->stats && write_stats(j->io, c->stats, &st, dec, j->phones) < 0) {
        fprintf(stderr, "asr decode: %s\n", asr_last_error());
        return 1;
    }
    return 0;
}

int cmd_decode(int argc, char **argv)
{
    asr_options conf;
    options_init(&conf);
    io_set io;
    io_set_init(&io);
    /* By name: a field added to the job or the command cannot shift the others. */
    decode_cmd c = {.job = {.out = "-", .conf = &conf, .io = &io, .format = WORDS_TEXT}};
    cli_spec spec = {"asr decode",
                     decode_usage,
                     decode_options,
                     (int)(sizeof decode_options / sizeof decode_options[0]),
                     &conf,
                     handle,
                     &c,
                     0,
                     MAX_FILES,
                     &io,
                     decode_operands};
    adapt_config_default(&c.acfg);
    int rc = run(&c, &spec, argc, argv);
    io_set_free(&io);
    options_free(&conf);
    return rc;
}
