/* cmd_score.c — `asr score`: word/character error rates of a hypothesis
 * transcript file against a reference (text/score.h), printed as Kaldi's
 * compute-wer does, with sclite-style per-utterance alignments on request, or
 * as one JSON object (--json) for scripts. */
#include "base/error.h"
#include "base/suggest.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "text/score.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char score_usage[] =
    "usage: asr score [--details | --json] [--normalize] [--level L] [--against HYP0] REF HYP\n"
    "\n"
    "Scores the hypothesis transcripts HYP against the references REF and prints\n"
    "  %WER 12.50 [ 5 / 40, 1 ins, 2 del, 2 sub ]\n"
    "  %CER ...                          (with --level char or both)\n"
    "  %SER 20.00 [ 2 / 10 ]\n"
    "  Scored 10 sentences, 0 not present in hyp.\n"
    "\n"
    "Each file is a Kaldi text file (\"uttid word word ...\") or an sclite trn file\n"
    "(\"word word ... (uttid)\"); a file is read as trn when its first line ends in a\n"
    "\"(uttid)\" token, and then every line must. Errors are S + D + I of a minimum\n"
    "edit-distance alignment (ties: fewest errors, then substitutions rather than\n"
    "deletion+insertion pairs), divided by the number of reference tokens N; a rate\n"
    "with N = 0 is 0.00 without errors and inf with insertions. CER counts the\n"
    "characters of the words, not the spaces between them. SER is the percentage of\n"
    "utterances with any error (at the word level unless --level char).\n"
    "\n"
    "An utterance of REF missing from HYP is scored as all deletions, with a warning.\n"
    "An utterance of HYP missing from REF, a duplicate id, a malformed line, or an\n"
    "utterance of more than 65536 words (or characters, when scored at that level)\n"
    "is an error naming FILE:LINE (exit 1).\n"
    "\n"
    "  --details      before the totals, an sclite-style block per utterance (REF order):\n"
    "                 id, Scores: (#C #S #D #I), aligned REF:/HYP: lines with errors\n"
    "                 uppercased and *** for a missing token, and an Eval: line of S/D/I\n"
    "                 (word alignment, or character alignment with --level char);\n"
    "                 when N x M is over 2^27 (e.g. 20000 x 20000 words), the exact\n"
    "                 Scores line and a note instead of the aligned lines\n"
    "  --normalize    pass both sides through the project's text normaliser first\n"
    "                 (lowercase, numbers spelled out, punctuation dropped)\n"
    "  --level L      word|char|both: word (default), characters, or both\n"
    "  --against HYP0 also HYP's change against another hypothesis file of the same\n"
    "                 REF: WER(HYP) - WER(HYP0) in points with its paired bootstrap\n"
    "                 95% interval and p over the utterances (1,000 resamples, a\n"
    "                 fixed seed); --json: \"against\": {\"wer\", \"change\", \"lo\",\n"
    "                 \"hi\", \"p\"} (HYP0's WER; word level only)\n"
    "  --json         instead, one JSON object on standard output, for scripts; e.g.\n"
    "                 with --level both (on one line):\n"
    "                   {\"wer\": 41.67, \"words\": {\"ref\": 12, \"sub\": 2, \"del\": 1,\n"
    "                    \"ins\": 2}, \"cer\": 40.00, \"chars\": {\"ref\": 25, \"sub\": 6,\n"
    "                    \"del\": 0, \"ins\": 4}, \"ser\": 66.67, \"sentences\": 3,\n"
    "                    \"sentence_errors\": 2, \"missing\": 0}\n"
    "                 Rates are percentages as the lines print them (two decimals;\n"
    "                 null where a line says inf); wer/words and cer/chars are there\n"
    "                 for the levels scored; ser is %SER. Not with --details.\n"
    "Options take --opt VALUE or --opt=VALUE; -- ends them.\n"
    "\nExamples:\n"
    "  asr score data/digits/test/text hyp.txt\n"
    "  asr score --details --normalize ref.txt hyp.txt\n"
    "  asr score --json --level both ref.txt hyp.txt | jq .wer\n"
    "  asr score --json --against hyp-before.txt ref.txt hyp-after.txt | jq .against\n";

/* A rate as the %WER line prints it (two decimals), or null for inf: JSON
 * has no infinity. */
static void json_rate(double rate)
{
    if (isfinite(rate))
        printf("%.2f", rate);
    else
        fputs("null", stdout);
}

/* "RATE_KEY": rate, "COUNTS_KEY": {"ref": N, "sub": S, "del": D, "ins": I}, */
static void json_level(const char *rate_key, const char *counts_key, const error_counts *c)
{
    printf("\"%s\": ", rate_key);
    json_rate(metrics_rate(error_counts_errors(c), c->n_ref));
    printf(", \"%s\": {\"ref\": %ld, \"sub\": %ld, \"del\": %ld, \"ins\": %ld}, ", counts_key,
           c->n_ref, c->sub, c->del, c->ins);
}

/* --json: the totals the lines give, as one object on one line (the layout is
 * in score_usage). Scripts read it (with jq) rather than parse the %WER line,
 * whose layout is for people. WORDS or CHARS is NULL for a level not scored;
 * SER is counted at the word level when words were scored, as %SER is. */
static void print_json(const error_counts *words, const error_counts *chars, int sentences,
                       long missing, const bootstrap_result *against, double wer_against)
{
    const error_counts *s = words ? words : chars;
    fputc('{', stdout);
    if (words) json_level("wer", "words", words);
    if (chars) json_level("cer", "chars", chars);
    fputs("\"ser\": ", stdout);
    json_rate(metrics_rate(s->sent_err, s->sent));
    printf(", \"sentences\": %d, \"sentence_errors\": %ld, \"missing\": %ld", sentences,
           s->sent_err, missing);
    if (against) {
        printf(", \"against\": {\"wer\": ");
        json_rate(wer_against);
        printf(", \"change\": %.2f, \"lo\": %.2f, \"hi\": %.2f, \"p\": %.4f}", against->value,
               against->lo, against->hi, against->p);
    }
    fputs("}\n", stdout);
}

enum { O_DETAILS = 1, O_JSON, O_NORMALIZE, O_LEVEL, O_AGAINST };

static const cli_option score_opts[] = {
    {"details", CLI_FLAG, NULL, O_DETAILS},     {"json", CLI_FLAG, NULL, O_JSON},
    {"normalize", CLI_FLAG, NULL, O_NORMALIZE}, {"level", CLI_VALUE, NULL, O_LEVEL},
    {"against", CLI_VALUE, NULL, O_AGAINST},
};

typedef struct {
    score_job job;
    int json;
    const char *against;
} score_cmd;

static int handle(void *ctx, int id, const char *v)
{
    score_cmd *c = ctx;
    int level;
    switch (id) {
    case O_DETAILS:
        c->job.details = stdout;
        return 0;
    case O_JSON:
        c->json = 1;
        return 0;
    case O_NORMALIZE:
        c->job.normalize = 1;
        return 0;
    case O_AGAINST:
        c->against = v;
        return 0;
    case O_LEVEL:
        if (parse_choice("--level", v, "word|char|both", &level) < 0) return -1;
        c->job.words = level != 1;
        c->job.chars = level != 0;
        return 0;
    }
    return asr_error("internal: option %d", id);
}

int cmd_score(int argc, char **argv)
{
    score_cmd c = {{NULL, NULL, 0, 1, 0, NULL}, 0, NULL};
    cli_spec spec = {
        "asr score", score_usage, score_opts, (int)(sizeof score_opts / sizeof score_opts[0]),
        NULL,        handle,      &c,         2,
        2,           NULL,        NULL};
    char *files[2];
    int n, rc = cli_parse(&spec, argc, argv, files, &n);
    if (rc != CLI_OK) return rc == CLI_HELP ? 0 : EXIT_USAGE;
    /* Both write to standard output, which holds one JSON object with --json. */
    if (c.job.details && c.json)
        return cli_usage_error(&spec, "--details and --json do not go together");
    if (c.against && !c.job.words)
        return cli_usage_error(&spec, "--against compares word error rates: not with --level char");
    c.job.ref = files[0];
    c.job.hyp = files[1];
    score_result r;
    if (score_files(&c.job, &r) < 0) {
        fprintf(stderr, "asr score: %s\n", asr_last_error());
        return 1;
    }
    const score_job *j = &c.job;
    double wer0 = 0;
    bootstrap_result b;
    int bad = c.against && score_against(j, &r, c.against, &wer0, &b) < 0;
    score_result_free(&r);
    if (bad) {
        fprintf(stderr, "asr score: %s\n", asr_last_error());
        return 1;
    }
    if (c.json) {
        print_json(j->words ? &r.words : NULL, j->chars ? &r.chars : NULL, r.sentences, r.missing,
                   c.against ? &b : NULL, wer0);
    } else {
        if (j->words) metrics_print_rate(stdout, "WER", &r.words);
        if (j->chars) metrics_print_rate(stdout, "CER", &r.chars);
        metrics_print_ser(stdout, j->words ? &r.words : &r.chars);
        printf("Scored %d sentences, %ld not present in hyp.\n", r.sentences, r.missing);
        if (c.against) {
            char p[32];
            bootstrap_format_p(p, sizeof p, b.p);
            printf("%%WER change against %s (%.2f): %+.2f points [%+.2f, %+.2f], %s\n", c.against,
                   wer0, b.value, b.lo, b.hi, p);
        }
    }
    if (fflush(stdout) || ferror(stdout)) {
        perror("asr score: writing output");
        return 1;
    }
    return 0;
}
