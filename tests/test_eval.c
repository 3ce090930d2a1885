/* test_eval.c — asr eval on fixed reference/hypothesis fixtures: per-split
 * WER and the decomposition equal hand-computed numbers; thresholds exclude
 * a model however good its WER; the errors TSV lists the worst utterances and
 * --tally counts what a person tagged. */
#include <check.h>

#include "base/error.h"
#include "recognizer/eval.h"
#include "report/reports.h"
#include "report/report_html.h"
#include "report/worst.h"
#include "recognizer/evaluate.h"
#include "base/fileio.h"
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A report spec with thresholds T and Bayes error BAYES, no provenance. */
static const report_spec *spec_of(const eval_thresholds *t, double bayes)
{
    static report_spec r;
    report_spec_init(&r);
    r.t = *t;
    r.bayes = bayes;
    return &r;
}

/* The Markdown report, or with JSON the JSON report, of M[0..nm) with
 * thresholds T: a new string. */
static char *report_text(const eval_model *m, int nm, const eval_thresholds *t, int json)
{
    char *txt = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&txt, &len);
    if (json)
        eval_write_json(f, m, nm, spec_of(t, -1));
    else
        eval_write_markdown(f, m, nm, spec_of(t, -1));
    fclose(f);
    return txt;
}

static const char *splits[] = {"train", "train_dev", "dev", "test"};
/* Hypotheses of u2 per split; u1 is always right except in dev, where it is
 * missing altogether (5 deletions). Each split has 10 reference words. */
static const char *hyp_u2[] = {"six seven eight nine oh",              /* 1 sub: 10% */
                               "six seven eight",                      /* 2 del: 20% */
                               "six seven eight nine zero",            /* + 5 del: 50% */
                               "five six six seven eight eight nine"}; /* 4 errors: 40% */

static void fixtures(char **data, char **hyps)
{
    float x[800] = {0};
    char *wav = test_write_wav("e.wav", x, 800, 8000);
    *data = test_path("data");
    *hyps = test_path("hyps");
    char dir[1024];
    for (int s = 0; s < 4; s++) {
        snprintf(dir, sizeof dir, "%s/%s", *data, splits[s]);
        ck_assert_int_eq(make_dirs(dir), 0);
    }
    ck_assert_int_eq(make_dirs(*hyps), 0);
    for (int s = 0; s < 4; s++) {
        char p[512], t[1024];
        snprintf(p, sizeof p, "data/%s/wav.scp", splits[s]);
        snprintf(t, sizeof t, "u1 %s\nu2 %s\n", wav, wav);
        test_write_text(p, t);
        snprintf(p, sizeof p, "data/%s/text", splits[s]);
        test_write_text(p, "u1 one two three four five\nu2 six seven eight nine zero\n");
        snprintf(p, sizeof p, "data/%s/utt2spk", splits[s]);
        test_write_text(p, "u1 a\nu2 b\n");
        snprintf(p, sizeof p, "hyps/%s.txt", splits[s]);
        if (s == 2)
            snprintf(t, sizeof t, "u2 %s\n", hyp_u2[s]);
        else
            snprintf(t, sizeof t, "u1 one two three four five\nu2 %s\n", hyp_u2[s]);
        test_write_text(p, t);
    }
}

START_TEST(decomposition_matches_hand_computed_numbers)
{
    char *data, *hyps;
    fixtures(&data, &hyps);
    eval_model m;
    int rc = evaluate_hyps(test_io(), "fixture", hyps, data, (char *const *)splits, 4, &m);
    ck_assert_msg(rc == 0, "%s", asr_last_error());
    ck_assert_int_eq(m.n, 4);
    double want[] = {10, 20, 50, 40};
    for (int i = 0; i < 4; i++) ck_assert_double_eq_tol(eval_wer(&m.splits[i]), want[i], 1e-9);
    ck_assert_int_eq(m.splits[2].words.del, 5);
    ck_assert_int_eq(error_counts_errors(&m.splits[3].words), 4);
    /* Bayes 2%: bias 8, variance 10, mismatch 30, over-tuning -10. */
    eval_decomposition d = eval_decompose(m.splits, m.n, 2.0);
    ck_assert_double_eq_tol(d.bias, 8, 1e-9);
    ck_assert_double_eq_tol(d.variance, 10, 1e-9);
    ck_assert_double_eq_tol(d.mismatch, 30, 1e-9);
    ck_assert_double_eq_tol(d.overtuning, -10, 1e-9);
    ck_assert_int_eq(d.largest, 2);
    ck_assert_str_eq(eval_gap_name(d.largest), "data mismatch");
    ck_assert_ptr_nonnull(strstr(eval_knobs(d.largest), "noise synthesis"));
    /* With Bayes 0 and a train split at 10%, bias (10) is below mismatch. */
    d = eval_decompose(m.splits, m.n, 0);
    ck_assert_double_eq_tol(d.bias, 10, 1e-9);
    /* The Markdown states the numbers. */
    char *md = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&md, &len);
    eval_thresholds t = {0, 0, 0};
    eval_write_markdown(f, &m, 1, spec_of(&t, 2.0));
    fclose(f);
    ck_assert_ptr_nonnull(strstr(md, "avoidable bias 8.00, variance 10.00, data mismatch 30.00, "
                                     "over-tuning to dev -10.00"));
    ck_assert_ptr_nonnull(strstr(md, "**Largest: data mismatch.**"));
    ck_assert_msg(strstr(md, "| dev | 2 | 50.00 | 0.00-100.00 | 0.00-100.00 | 0 | 5 | 0 |"), "%s",
                  md);
    /* With a dev split, its confusions only (test is not for analysis). */
    ck_assert_ptr_nonnull(strstr(md, "confusions on dev"));
    ck_assert_ptr_null(strstr(md, "confusions on test"));
    free(md);
    eval_model_free(&m);
}
END_TEST

/* The fixture's dev split: speaker a's utterance is missing (5 deletions,
 * 100%), speaker b's is right (0%); the split's 50% describes neither. */
START_TEST(speakers_are_scored_apart)
{
    char *data, *hyps;
    fixtures(&data, &hyps);
    eval_model m[2];
    ck_assert_int_eq(evaluate_hyps(test_io(), "one", hyps, data, (char *const *)splits, 4, &m[0]),
                     0);
    /* A second model with only test: its dev cells are missing, not 0. */
    ck_assert_int_eq(
        evaluate_hyps(test_io(), "two", hyps, data, (char *const *)splits + 3, 1, &m[1]), 0);
    eval_speaker *sp;
    int n = eval_split_speakers(eval_find_split(m[0].splits, m[0].n, "dev"), &sp);
    ck_assert_int_eq(n, 2);
    ck_assert_str_eq(sp[0].speaker, "a");
    ck_assert_int_eq(sp[0].utts, 1);
    ck_assert_int_eq(sp[0].words, 5);
    ck_assert_int_eq(sp[0].errors, 5);
    ck_assert_double_eq_tol(eval_speaker_wer(&sp[0]), 100, 1e-9);
    ck_assert_str_eq(sp[1].speaker, "b");
    ck_assert_double_eq_tol(eval_speaker_wer(&sp[1]), 0, 1e-9);
    free(sp);
    /* test: a right, b 4 errors in 5 words; both models have it. */
    eval_speaker *rows;
    double *wer;
    ck_assert_int_eq(eval_speaker_table(m, 2, "test", &rows, &wer), 2);
    ck_assert_double_eq_tol(wer[0], 0, 1e-9);
    ck_assert_double_eq_tol(wer[1], 0, 1e-9);
    ck_assert_double_eq_tol(wer[2], 80, 1e-9);
    ck_assert_double_eq_tol(wer[3], 80, 1e-9);
    free(rows);
    free(wer);
    ck_assert_int_eq(eval_speaker_table(m, 2, "dev", &rows, &wer), 2);
    ck_assert(isnan(wer[1]) && isnan(wer[3]));
    free(rows);
    free(wer);
    ck_assert_int_eq(eval_speaker_table(m, 2, "nosuch", &rows, &wer), 0);
    ck_assert_ptr_null(rows);
    /* The reports carry the same numbers. */
    char *txt = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&txt, &len);
    eval_thresholds t = {0, 0, 0};
    eval_write_markdown(f, m, 2, spec_of(&t, -1));
    fclose(f);
    ck_assert_ptr_nonnull(strstr(txt, "dev (2 speakers, WER %):"));
    ck_assert_ptr_nonnull(strstr(txt, "| a | 1 | 5 | 100.00 | – |"));
    ck_assert_ptr_nonnull(strstr(txt, "| b | 1 | 5 | 80.00 | 80.00 |"));
    free(txt);
    f = open_memstream(&txt, &len);
    eval_write_json(f, m, 1, spec_of(&t, -1));
    fclose(f);
    ck_assert_ptr_nonnull(strstr(txt, "\"speakers\": [{\"speaker\": \"a\", \"utterances\": 1, "
                                      "\"words\": 5, \"errors\": 5, \"wer\": 100}"));
    /* dev: one utterance right, one all wrong: the interval is everything. */
    ck_assert_ptr_nonnull(strstr(txt, "\"wer\": 50, \"wer_ci95\": [0, 100], "
                                      "\"wer_ci95_speakers\": [0, 100]"));
    free(txt);
    /* The paired test of the same hypotheses: no difference. One split
     * decides for every model: dev, which only "one" has (two's test WER
     * is not set against one's dev WER), so there is nothing to compare
     * it with. */
    bootstrap_result r;
    ck_assert_int_eq(eval_paired(eval_find_split(m[0].splits, m[0].n, "test"),
                                 eval_find_split(m[1].splits, m[1].n, "test"), &r),
                     0);
    ck_assert_double_eq(r.value, 0);
    ck_assert_double_eq(r.p, 1);
    txt = report_text(m, 2, &t, 1);
    ck_assert_ptr_nonnull(strstr(txt, "\"best\": \"one\""));
    ck_assert_ptr_nonnull(strstr(txt, "\"comparisons\": []"));
    free(txt);
    /* With test alone, test decides: a tie (the same hypotheses) goes to
     * the first, compared with the other on the splits it has. */
    eval_model_free(&m[0]);
    ck_assert_int_eq(
        evaluate_hyps(test_io(), "one", hyps, data, (char *const *)splits + 3, 1, &m[0]), 0);
    txt = report_text(m, 2, &t, 1);
    ck_assert_msg(strstr(txt, "\"comparisons\": [\n {\"a\": \"one\", \"b\": \"two\", \"split\": "
                              "\"test\", \"difference\": 0, \"ci95\": [0, 0], \"p\": 1, "
                              "\"sure\": false}]"),
                  "%s", strstr(txt, "comparisons"));
    free(txt);
    eval_model_free(&m[0]);
    eval_model_free(&m[1]);
    /* An utterance without a speaker counts under "-". */
    eval_split s = {0};
    s.name = strdup("x");
    eval_split_add(&s, "u", NULL, NULL, "one", "one", NULL, NULL);
    ck_assert_int_eq(eval_split_speakers(&s, &sp), 1);
    ck_assert_str_eq(sp[0].speaker, "-");
    free(sp);
    /* Splits of other names (leave-one-speaker-out's isolated, connected):
     * the report says there is nothing to choose by, not that thresholds
     * were missed. */
    eval_model two[2] = {{.name = "a", .model_path = "a", .size_mb = 1.0, .splits = &s, .n = 1},
                         {.name = "b", .model_path = "b", .size_mb = 1.0, .splits = &s, .n = 1}};
    f = open_memstream(&txt, &len);
    eval_write_markdown(f, two, 2, spec_of(&t, -1));
    fclose(f);
    ck_assert_ptr_nonnull(strstr(txt, "No dev or test split to choose by."));
    ck_assert_ptr_nonnull(strstr(txt, "Most frequent word confusions on x"));
    /* The choice comes first, before the first model's section (as the
     * HTML page's verdict). */
    char *choice = strstr(txt, "## Choice"), *model = strstr(txt, "\n## ");
    ck_assert_ptr_nonnull(choice);
    ck_assert_ptr_eq(model ? model + 1 : NULL, choice);
    free(txt);
    eval_split_free(&s);
}
END_TEST

START_TEST(thresholds_exclude_a_model_however_good)
{
    eval_model m[2];
    memset(m, 0, sizeof m);
    eval_split good = {0}, bad = {0};
    good.name = strdup("dev");
    bad.name = strdup("dev");
    eval_split_add(&good, "u", NULL, NULL, "one two", "one two", NULL, NULL);
    eval_split_add(&bad, "u", NULL, NULL, "one two", "one", NULL, NULL);
    good.audio_seconds = bad.audio_seconds = 10;
    good.decode_seconds = good.cpu_seconds = 0.5; /* RTF 0.05 */
    bad.decode_seconds = bad.cpu_seconds = 0.05;  /* RTF 0.005 */
    m[0] = (eval_model){
        .name = "fast-but-wrong", .model_path = "a", .size_mb = 1.0, .splits = &bad, .n = 1};
    m[1] = (eval_model){
        .name = "right-but-slow", .model_path = "b", .size_mb = 1.0, .splits = &good, .n = 1};
    eval_thresholds t = {0.01, 0, 0};
    char *miss = eval_misses(&m[1], &t);
    ck_assert_ptr_nonnull(miss);
    ck_assert_ptr_nonnull(strstr(miss, "CPU RTF 0.0500 > 0.0100"));
    free(miss);
    ck_assert_ptr_null(eval_misses(&m[0], &t));
    char *js = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&js, &len);
    eval_write_json(f, m, 2, spec_of(&t, -1));
    fclose(f);
    ck_assert_ptr_nonnull(strstr(js, "\"best\": \"fast-but-wrong\""));
    free(js);
    t.max_rtf = 0; /* no threshold: the better WER wins */
    f = open_memstream(&js, &len);
    eval_write_json(f, m, 2, spec_of(&t, -1));
    fclose(f);
    ck_assert_ptr_nonnull(strstr(js, "\"best\": \"right-but-slow\""));
    free(js);
    eval_split_free(&good);
    eval_split_free(&bad);
}
END_TEST

START_TEST(errors_tsv_lists_the_worst_and_tally_counts_tags)
{
    char *data, *hyps;
    fixtures(&data, &hyps);
    eval_model m;
    ck_assert_int_eq(evaluate_hyps(test_io(), "fixture", hyps, data, (char *const *)splits, 4, &m),
                     0);
    char *p = test_path("errors.tsv");
    ck_assert_int_eq(eval_write_errors_tsv(test_io(), p, &m, 1), 0);
    FILE *f = fopen(p, "r");
    char line[1024];
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    ck_assert_str_eq(
        line, "split\tid\terrors\tref_words\taudio\tstart\tend\tref\thyp\talignment\tcategory\n");
    int rows = 0, seen = 0;
    while (fgets(line, sizeof line, f)) {
        rows++;
        /* test's u2: "six seven eight nine zero" heard as
         * "five six six seven eight eight nine": 2 insertions, 2 substitutions
         * (ties broken as metrics.h documents). */
        if (!strncmp(line, "test\tu2\t4\t5\t", 12)) {
            seen = 1;
            ck_assert_ptr_nonnull(
                strstr(line, "\t*->five *->six six seven eight nine->eight zero->nine\t\n"));
        }
    }
    ck_assert(seen);
    fclose(f);
    ck_assert_int_eq(rows, 4); /* the worst of each split (1 each) */
    char *tagged =
        test_write_text("tagged.tsv", "split\tid\terrors\tref_words\taudio\tref\thyp\tcategory\n"
                                      "dev\tu1\t5\t5\tx.wav\ta\tb\tnoise\n"
                                      "test\tu2\t4\t5\tx.wav\ta\tb\tnoise, accent\n"
                                      "train\tu2\t1\t5\tx.wav\ta\tb\t\n");
    char *out = NULL;
    size_t len = 0;
    f = open_memstream(&out, &len);
    ck_assert_int_eq(eval_tally(tagged, f), 0);
    fclose(f);
    ck_assert_str_eq(out,
                     "category\tutterances\tpercent_of_tagged\nnoise\t2\t100.0\naccent\t1\t50.0\n"
                     "(untagged)\t1\t-\n");
    free(out);
    /* Nothing tagged yet: a table of no categories (once undefined
     * behaviour: qsort of a NULL array, caught by UBSan). */
    char *untagged =
        test_write_text("untagged.tsv", "split\tid\terrors\tref_words\taudio\tref\thyp\tcategory\n"
                                        "train\tu2\t1\t5\tx.wav\ta\tb\t\n");
    f = open_memstream(&out, &len);
    ck_assert_int_eq(eval_tally(untagged, f), 0);
    fclose(f);
    ck_assert_str_eq(out, "category\tutterances\tpercent_of_tagged\n(untagged)\t1\t-\n");
    free(out);
    free(untagged);
    eval_model_free(&m);
}
END_TEST

/* The matrix of dev by hand: refs "a b c", hyps "a x", "a b c d": the
 * alignments a=a b->* c->x (asr score's) then a=a b=b c=c *->d. */
START_TEST(confusion_matrix_counts_every_aligned_pair)
{
    eval_model m = {0};
    m.name = "m";
    m.n = 1;
    m.splits = calloc(1, sizeof(eval_split));
    m.splits[0].name = strdup("dev");
    ck_assert_int_eq(eval_split_add(&m.splits[0], "u1", "s", "u1.wav", "a b c", "a x", 0, 0), 0);
    ck_assert_int_eq(eval_split_add(&m.splits[0], "u2", "s", "u2.wav", "a b c", "a b c d", 0, 0),
                     0);
    confusion_matrix cm;
    confusion_matrix_make(&m, &cm);
    /* By reference frequency, then hypothesis frequency, then spelling. */
    ck_assert_int_eq(cm.n, 5);
    const char *words[] = {"a", "b", "c", "d", "x"};
    for (int i = 0; i < 5; i++) ck_assert_str_eq(cm.words[i], words[i]);
    long want[6][6] = {
        /* a  b  c  d  x (del) */
        {2, 0, 0, 0, 0, 0}, /* a */
        {0, 1, 0, 0, 0, 1}, /* b */
        {0, 0, 1, 0, 1, 0}, /* c */
        {0},
        {0},                /* d, x: never said */
        {0, 0, 0, 1, 0, 0}, /* (ins) */
    };
    for (int r = 0; r < 6; r++)
        for (int c = 0; c < 6; c++)
            ck_assert_msg(cm.count[r * 6 + c] == want[r][c], "cell %d,%d: %ld", r, c,
                          cm.count[r * 6 + c]);
    ck_assert_int_eq(cm.errors, 3);
    confusion_matrix_free(&cm);
    /* The worst utterance first; u2 has 1 error, u1 2. */
    int *idx;
    ck_assert_int_eq(eval_worst(&m.splits[0], 5, &idx), 2);
    ck_assert_int_eq(idx[0], 0);
    ck_assert_int_eq(idx[1], 1);
    free(idx);
    char *line = eval_utt_alignment(&m.splits[0].utts[0]);
    ck_assert_str_eq(line, "a b->* c->x");
    free(line);
    /* Thresholds: limit, value and the margin between them. */
    eval_thresholds t = {0, 0, 2.0};
    m.size_mb = 2.5;
    eval_threshold_check c[3];
    ck_assert_int_eq(eval_threshold_checks(&m, &t, c), 1);
    ck_assert_str_eq(c[0].name, "model size");
    ck_assert_double_eq(c[0].limit - c[0].value, -0.5);
    char *miss = eval_misses(&m, &t);
    ck_assert_str_eq(miss, "size 2.50 MB > 2.00 MB");
    free(miss);
    eval_split_free(&m.splits[0]);
    free(m.splits);
}
END_TEST

/* M with one split, dev, of N utterances u0, u1, ... each recognised
 * right: REFS[k]. */
static void dev_model(eval_model *m, const char *const *refs, int n)
{
    memset(m, 0, sizeof *m);
    m->n = 1;
    m->splits = calloc(1, sizeof(eval_split));
    m->splits[0].name = strdup("dev");
    for (int k = 0; k < n; k++) {
        char id[16];
        sprintf(id, "u%d", k);
        ck_assert_int_eq(eval_split_add(&m->splits[0], id, "s", "x.wav", refs[k], refs[k], 0, 0),
                         0);
    }
}

/* Past CONFUSION_MAX_WORDS the rarest words are pooled as "(other)". */
START_TEST(confusion_matrix_pools_rare_words)
{
    eval_model m;
    char ref[512] = "";
    for (int i = 0; i < 20; i++) sprintf(ref + strlen(ref), "%sw%02d", i ? " " : "", i);
    /* w00 said three times, the rest once each but the first two twice */
    const char *refs[] = {ref, "w00 w01", "w00 w01"};
    dev_model(&m, refs, 3);
    confusion_matrix cm;
    confusion_matrix_make(&m, &cm);
    ck_assert_int_eq(cm.n, CONFUSION_MAX_WORDS);
    ck_assert_str_eq(cm.words[0], "w00");
    ck_assert_str_eq(cm.words[CONFUSION_MAX_WORDS - 1], "(other)");
    int d = cm.n + 1, last = cm.n - 1;
    /* w15..w19: five correct words pooled on (other)'s diagonal. */
    ck_assert_int_eq(cm.count[last * d + last], 5);
    long total = 0;
    for (int i = 0; i < d * d; i++) total += cm.count[i];
    ck_assert_int_eq(total, 24);
    confusion_matrix_free(&cm);
    eval_split_free(&m.splits[0]);
    free(m.splits);
}
END_TEST

/* A split named NAME of one utterance whose WER is ERRORS in 10 words,
 * timed: P95 ms per utterance and RTF both by the wall clock and in CPU
 * time. */
static void timed_split(eval_split *s, const char *name, int errors, double wall_p95,
                        double cpu_p95, double wall_rtf, double cpu_rtf)
{
    memset(s, 0, sizeof *s);
    s->name = strdup(name);
    char hyp[128] = "";
    const char *ref = "one two three four five six seven eight nine zero";
    /* The first ERRORS words deleted. */
    const char *p = ref;
    for (int i = 0; i < errors; i++) p = strchr(p, ' ') + 1;
    snprintf(hyp, sizeof hyp, "%s", errors < 10 ? p : "");
    ck_assert_int_eq(eval_split_add(s, "u", "s", NULL, ref, hyp, NULL, NULL), 0);
    s->audio_seconds = 10;
    s->decode_seconds = 10 * wall_rtf;
    s->cpu_seconds = 10 * cpu_rtf;
    s->lat_p50_ms = s->lat_p95_ms = wall_p95;
    s->cpu_p50_ms = s->cpu_p95_ms = cpu_p95;
}

/* All of file PATH: a new string. */
static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    int c;
    while ((c = getc(f)) != EOF) putc(c, mem);
    fclose(mem);
    fclose(f);
    return buf;
}

/* The demo of issue 26 on a loaded machine: every model over the latency
 * limit. The verdict was the first model (the worst WER); it is the lowest
 * WER with its misses named, the same in report.md, report.json and
 * report.html. */
START_TEST(verdict_is_the_lowest_wer_when_every_model_misses)
{
    eval_split s[3];
    timed_split(&s[0], "dev", 3, 150, 127, 0.2, 0.04); /* 30% */
    timed_split(&s[1], "dev", 2, 150, 131, 0.2, 0.04); /* 20% */
    timed_split(&s[2], "dev", 1, 150, 144, 0.2, 0.04); /* 10% */
    eval_model m[3] = {
        {.name = "staged-clean", .model_path = "a", .size_mb = 1, .splits = &s[0], .n = 1},
        {.name = "staged-noise", .model_path = "b", .size_mb = 1, .splits = &s[1], .n = 1},
        {.name = "direct-noise", .model_path = "c", .size_mb = 1, .splits = &s[2], .n = 1}};
    eval_thresholds t = {0.05, 100, 10};
    eval_choice ch = eval_choose(m, 3, &t);
    ck_assert_int_eq(ch.model, 2);
    ck_assert_int_eq(ch.meets, 0);
    ck_assert_str_eq(ch.split, "dev");
    char *txt = report_text(m, 3, &t, 0);
    ck_assert_msg(strstr(txt, "No model meets every threshold. Lowest dev WER: **direct-noise**, "
                              "which misses CPU p95 latency 144.0 ms > 100.0 ms."),
                  "%.400s", txt);
    free(txt);
    txt = report_text(m, 3, &t, 1);
    ck_assert_msg(strstr(txt, "\"best\": null, \"choice\": {\"model\": \"direct-noise\", "
                              "\"split\": \"dev\", \"wer\": 10, \"meets_thresholds\": false, "
                              "\"misses\": [\"p95 latency (CPU)\"]}"),
                  "%.400s", strstr(txt, "\"best\""));
    free(txt);
    char *p = test_path("verdict.html");
    ck_assert_int_eq(report_html_write(test_io(), p, m, 3, spec_of(&t, -1)), 0);
    txt = read_all(p);
    ck_assert_msg(strstr(txt, "<p>Best: <b class='best'>direct-noise</b>, WER 10.00% on dev"),
                  "%.400s", strstr(txt, "<h2>Verdict"));
    ck_assert_ptr_nonnull(strstr(txt, "No model meets every threshold: it has the lowest WER on "
                                      "dev of all. It misses <span class='miss'>CPU p95 latency "
                                      "144.0 ms &gt; 100.0 ms</span>."));
    free(txt);
    free(p);
    /* Within the limit, the lowest WER among those within it wins. */
    t.max_latency_ms = 130;
    ch = eval_choose(m, 3, &t);
    ck_assert_int_eq(ch.model, 0);
    ck_assert_int_eq(ch.meets, 1);
    for (int i = 0; i < 3; i++) eval_split_free(&s[i]);
}
END_TEST

/* Time thresholds judge CPU time, which a loaded machine does not stretch:
 * a model whose wall-clock p95 and RTF are over the limits (other processes
 * held the cores) but whose CPU time is within them meets them. */
START_TEST(time_thresholds_judge_cpu_time)
{
    eval_split s;
    timed_split(&s, "dev", 1, 150, 40, 0.2, 0.02);
    eval_model m = {.name = "m", .model_path = "m", .size_mb = 1, .splits = &s, .n = 1};
    eval_thresholds t = {0.05, 100, 0};
    char *miss = eval_misses(&m, &t);
    ck_assert_msg(miss == NULL, "%s", miss);
    eval_threshold_check c[3];
    ck_assert_int_eq(eval_threshold_checks(&m, &t, c), 2);
    ck_assert_double_eq_tol(c[0].value, 0.02, 1e-12);
    ck_assert_double_eq(c[1].value, 40);
    /* Both are reported. */
    ck_assert_double_eq_tol(eval_split_timing(&s, EVAL_RTF), 0.2, 1e-12);
    ck_assert_double_eq(eval_split_timing(&s, EVAL_P95_MS), 150);
    ck_assert_double_eq_tol(eval_split_timing(&s, EVAL_CPU_RTF), 0.02, 1e-12);
    ck_assert_double_eq(eval_split_timing(&s, EVAL_CPU_P95_MS), 40);
    /* Not timed (scored from hypotheses): no number. */
    s.decode_seconds = -1;
    ck_assert(isnan(eval_split_timing(&s, EVAL_CPU_RTF)));
    ck_assert(isnan(eval_model_timing(&m, EVAL_CPU_P95_MS)));
    eval_split_free(&s);
}
END_TEST

/* A miss by 0.0000464 printed as "0.0500 (-0.0000)": the digits grow until
 * the value stands apart from the limit and the margin shows its sign. */
START_TEST(margins_show_their_sign)
{
    char v[48], l[48], g[48];
    eval_threshold_check c = {"real-time factor", "RTF", "", 4, 0.05, 0.0500464};
    eval_threshold_format(&c, c.value, 0, v, sizeof v);
    eval_threshold_format(&c, c.limit, 0, l, sizeof l);
    eval_threshold_format(&c, c.limit - c.value, 1, g, sizeof g);
    ck_assert_str_eq(v, "0.05005");
    ck_assert_str_eq(l, "0.05000");
    ck_assert_str_eq(g, "-0.00005");
    /* A pass by a hair: a non-negative margin that is not zero. */
    c.value = 0.0499999;
    eval_threshold_format(&c, c.limit - c.value, 1, g, sizeof g);
    ck_assert_str_eq(g, "+0.0000001");
    /* Far apart: the usual decimals; on the limit: a pass, +0. */
    c.value = 0.02;
    eval_threshold_format(&c, c.limit - c.value, 1, g, sizeof g);
    ck_assert_str_eq(g, "+0.0300");
    c.value = 0.05;
    eval_threshold_format(&c, c.limit - c.value, 1, g, sizeof g);
    ck_assert_str_eq(g, "+0.0000");
    eval_threshold_check ms = {"p95 latency", "p95 latency", " ms", 1, 100, 100.04};
    eval_threshold_format(&ms, ms.limit - ms.value, 1, g, sizeof g);
    ck_assert_str_eq(g, "-0.04 ms");
}
END_TEST

/* How often S occurs in TEXT. */
static int count_of(const char *text, const char *s)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, s)); p += strlen(s)) n++;
    return n;
}

/* Without thresholds the reports say so once, and never that a model met
 * them ("thresholds: met" beside "None set"). */
START_TEST(no_thresholds_are_said_once)
{
    eval_split s[2];
    timed_split(&s[0], "dev", 2, 10, 10, 0.01, 0.01);
    timed_split(&s[1], "dev", 1, 10, 10, 0.01, 0.01);
    eval_model m[2] = {{.name = "a", .model_path = "a", .size_mb = 1, .splits = &s[0], .n = 1},
                       {.name = "b", .model_path = "b", .size_mb = 1, .splits = &s[1], .n = 1}};
    eval_thresholds t = {0, 0, 0};
    char *p = test_path("none.html");
    ck_assert_int_eq(report_html_write(test_io(), p, m, 2, spec_of(&t, -1)), 0);
    char *txt = read_all(p);
    ck_assert_int_eq(count_of(txt, "None set"), 1);
    ck_assert_int_eq(count_of(txt, ">met<"), 0);
    /* Thresholds are named once: the heading of the section saying so. */
    ck_assert_int_eq(count_of(txt, "threshold"), 1);
    free(txt);
    txt = report_text(m, 2, &t, 0);
    ck_assert_msg(count_of(txt, "none set") == 1 && count_of(txt, "meets") == 0, "%.400s", txt);
    ck_assert_ptr_nonnull(strstr(txt, "Best by dev WER: **b**."));
    free(txt);
    txt = report_text(m, 2, &t, 1);
    ck_assert_int_eq(count_of(txt, "\"meets_thresholds\": null"), 3);
    ck_assert_ptr_nonnull(strstr(txt, "\"best\": \"b\""));
    free(txt);
    free(p);
    for (int i = 0; i < 2; i++) eval_split_free(&s[i]);
}
END_TEST

/* Digits as TIDIGITS lists them, zero to nine then oh, whatever their
 * frequencies (they once came out "six, zero, three, eight..."); numerals
 * by value among them; other words after, alphabetically. */
START_TEST(confusion_matrix_in_vocabulary_order)
{
    eval_model m;
    const char *refs[] = {"six six six six zero zero zero three three eight",
                          "yes oh nine one two four five seven 10 no", "six zero three"};
    dev_model(&m, refs, 3);
    confusion_matrix cm;
    confusion_matrix_make(&m, &cm);
    const char *want[] = {"zero",  "one",   "two",  "three", "four", "five", "six",
                          "seven", "eight", "nine", "oh",    "10",   "no",   "yes"};
    ck_assert_int_eq(cm.n, 14);
    for (int i = 0; i < 14; i++) ck_assert_str_eq(cm.words[i], want[i]);
    /* The diagonal follows the words: six was said five times. */
    ck_assert_int_eq(cm.count[6 * 15 + 6], 5);
    confusion_matrix_free(&cm);
    eval_split_free(&m.splits[0]);
    free(m.splits);
    ck_assert_int_lt(confusion_word_order("nine", "oh"), 0);
    ck_assert_int_lt(confusion_word_order("oh", "ten"), 0);
    ck_assert_int_lt(confusion_word_order("twenty", "hundred"), 0);
    ck_assert_int_lt(confusion_word_order("9", "10"), 0);
    ck_assert_int_lt(confusion_word_order("thousand", "alpha"), 0);
    ck_assert_int_lt(confusion_word_order("alpha", "beta"), 0);
}
END_TEST

/* A command line the shell reads back word for word. */
START_TEST(command_line_is_shell_quoted)
{
    char *argv[] = {"compare", "--out", "my dir", "a=b.mdl", "it's", ""};
    char *line = report_command_line(6, argv);
    ck_assert_str_eq(line, "compare --out 'my dir' a=b.mdl 'it'\\''s' ''");
    free(line);
}
END_TEST

/* Word confidences of a hand-made split (text/confidence.h): 7 hypothesis
 * words, 5 right (confidences 0.875 0.75 0.9375 0.25 0.625) and 2 wrong
 * (the substitution "four" 0.375, the insertion "seven" 0.125); values
 * that are exact in binary, each in its own bin. */
START_TEST(confidence_quality_of_hand_made_words)
{
    eval_split s = {0};
    s.name = strdup("dev");
    static const float c1[] = {0.875f, 0.75f, 0.375f}, c2[] = {0.9375f, 0.25f, 0.125f},
                       c3[] = {0.625f};
    ck_assert_int_eq(eval_split_add(&s, "u1", "a", "", "one two three", "one two four", NULL, NULL),
                     0);
    eval_utt_set_confidences(&s, c1, 3);
    ck_assert_int_eq(eval_split_add(&s, "u2", "a", "", "five six", "five six seven", NULL, NULL),
                     0);
    eval_utt_set_confidences(&s, c2, 3);
    ck_assert_int_eq(eval_split_add(&s, "u3", "a", "", "eight", "eight", NULL, NULL), 0);
    eval_utt_set_confidences(&s, c3, 1);
    ck_assert_int_eq(eval_split_add(&s, "u4", "a", "", "nine", "", NULL, NULL), 0);
    eval_utt_set_confidences(&s, NULL, 0);
    eval_confidence c;
    ck_assert_int_eq(eval_split_confidence(&s, &c), 0);
    ck_assert_int_eq(c.q.words, 7);
    ck_assert_int_eq(c.q.right, 5);
    /* Of the 10 (right, wrong) pairs only (0.25, 0.375) is misordered. */
    ck_assert_double_eq_tol(c.q.auc, 0.9, 1e-12);
    /* One word a bin: the right words' 1 - p and the wrong words' p,
     * (0.125 + 0.25 + 0.0625 + 0.75 + 0.375 + 0.375 + 0.125) / 7. */
    ck_assert_double_eq_tol(c.q.ece, 2.0625 / 7, 1e-12);
    static const int bin_n[CONF_BINS] = {0, 1, 1, 1, 0, 0, 1, 1, 1, 1};
    for (int b = 0; b < CONF_BINS; b++) ck_assert_int_eq(c.q.bins[b].n, bin_n[b]);
    ck_assert_double_eq_tol(c.q.bins[3].mean_confidence, 0.375, 1e-12);
    ck_assert_double_eq_tol(c.q.bins[3].accuracy, 0, 1e-12);
    ck_assert_double_eq_tol(c.q.bins[8].accuracy, 1, 1e-12);
    ck_assert(isnan(c.q.bins[0].accuracy));
    /* WER 3/7 (a sub, an ins, a del). 5% of 7 words rounds to none; 10% to
     * one, the insertion "seven": 2/7. */
    ck_assert_double_eq_tol(eval_wer(&s), 300.0 / 7, 1e-9);
    ck_assert_double_eq_tol(c.wer_reject_5, 300.0 / 7, 1e-9);
    ck_assert_double_eq_tol(c.wer_reject_10, 200.0 / 7, 1e-9);
    /* Rejecting more can cost: 2 words drop "seven" and the right "six"
     * (a deletion): 3/7; 4 words also "four" (a substitution becomes a
     * deletion) and the right "eight": 4/7. */
    conf_utt u[4];
    for (int i = 0; i < 4; i++)
        u[i] = (conf_utt){s.utts[i].ref, s.utts[i].hyp, s.utts[i].conf, s.utts[i].nconf};
    ck_assert_double_eq_tol(conf_reject_wer(u, 4, 0.3), 300.0 / 7, 1e-9);
    ck_assert_double_eq_tol(conf_reject_wer(u, 4, 0.5), 400.0 / 7, 1e-9);
    ck_assert_double_eq_tol(conf_reject_wer(u, 4, 1), 700.0 / 7, 1e-9);
    ck_assert_double_eq_tol(conf_reject_wer(u, 4, 0), 300.0 / 7, 1e-9);
    /* The reports carry it: report.json's confidence object, report.md's table. */
    eval_model m = {.name = "m", .model_path = "m.mdl", .splits = &s, .n = 1};
    eval_thresholds t = {0};
    char *json = report_text(&m, 1, &t, 1), *md = report_text(&m, 1, &t, 0);
    ck_assert_ptr_nonnull(strstr(json,
                                 "\"confidence\": {\"words\": 7, \"right\": 5, \"auc\": 0.9, "
                                 "\"ece\": 0.294643, \"wer_reject_5\": 42.8571, "
                                 "\"wer_reject_10\": 28.5714, \"bins\": [{\"lo\": 0, \"hi\": "
                                 "0.1, \"n\": 0, \"mean_confidence\": null, \"accuracy\": null}"));
    ck_assert_ptr_nonnull(strstr(md, "| dev | 7 | 5 | 0.900 | 0.295 | 42.86 | 42.86 | 28.57 |"));
    free(json);
    free(md);
    /* A hypothesis without confidences: the split has none. */
    ck_assert_int_eq(eval_split_add(&s, "u5", "a", "", "one", "one", NULL, NULL), 0);
    eval_utt_set_confidences(&s, c1, 3); /* not its one word's: ignored */
    ck_assert_int_eq(eval_split_confidence(&s, &c), 1);
    json = report_text(&m, 1, &t, 1);
    ck_assert_ptr_nonnull(strstr(json, "\"confidence\": null"));
    free(json);
    eval_split_free(&s);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("eval");
    TCase *tc = tcase_create("eval");
    tcase_add_test(tc, decomposition_matches_hand_computed_numbers);
    tcase_add_test(tc, speakers_are_scored_apart);
    tcase_add_test(tc, thresholds_exclude_a_model_however_good);
    tcase_add_test(tc, errors_tsv_lists_the_worst_and_tally_counts_tags);
    tcase_add_test(tc, confusion_matrix_counts_every_aligned_pair);
    tcase_add_test(tc, confusion_matrix_pools_rare_words);
    tcase_add_test(tc, command_line_is_shell_quoted);
    tcase_add_test(tc, verdict_is_the_lowest_wer_when_every_model_misses);
    tcase_add_test(tc, time_thresholds_judge_cpu_time);
    tcase_add_test(tc, margins_show_their_sign);
    tcase_add_test(tc, no_thresholds_are_said_once);
    tcase_add_test(tc, confusion_matrix_in_vocabulary_order);
    tcase_add_test(tc, confidence_quality_of_hand_made_words);
    suite_add_tcase(s, tc);
    return s;
}
