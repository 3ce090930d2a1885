/* report_json.c — report.json, what scripts read (with jq); see reports.h. */
#include "report/reports.h"

#include "base/build_info.h"
#include "base/json.h"
#include "report/worst.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void json_num(FILE *out, double v)
{
    if (isfinite(v))
        fprintf(out, "%.6g", v);
    else
        fputs("null", out);
}

/* "key": [lo, hi] of S's 95% interval, or null. */
static void json_interval(FILE *out, const char *key, const eval_split *s, int by_speaker)
{
    bootstrap_result r;
    fprintf(out, ", \"%s\": ", key);
    if (eval_wer_interval(s, by_speaker, &r) == 0) {
        fputc('[', out);
        json_num(out, r.lo);
        fputs(", ", out);
        json_num(out, r.hi);
        fputc(']', out);
    } else {
        fputs("null", out);
    }
}

static void comparisons_json(FILE *out, const eval_model *m, int nm, const eval_thresholds *t)
{
    eval_comparison *c;
    int n = eval_comparisons(m, nm, t, &c);
    for (int i = 0; i < n; i++) {
        const bootstrap_result *r = &c[i].r;
        fprintf(out, "%s\n {\"a\": ", i ? "," : "");
        json_write_string(out, c[i].a);
        fprintf(out, ", \"b\": ");
        json_write_string(out, c[i].b);
        fprintf(out, ", \"split\": ");
        json_write_string(out, c[i].split);
        fprintf(out, ", \"difference\": ");
        json_num(out, r->value);
        fprintf(out, ", \"ci95\": [");
        json_num(out, r->lo);
        fputs(", ", out);
        json_num(out, r->hi);
        fprintf(out, "], \"p\": ");
        json_num(out, r->p);
        fprintf(out, ", \"sure\": %s}", r->lo > 0 || r->hi < 0 ? "true" : "false");
    }
    free(c);
}

/* "confidence": the quality of S's word confidences (recognizer/eval.h),
 * or null when they are not known. */
static void json_confidence(FILE *out, const eval_split *s)
{
    eval_confidence c;
    fprintf(out, ", \"confidence\": ");
    if (eval_split_confidence(s, &c)) {
        fputs("null", out);
        return;
    }
    fprintf(out, "{\"words\": %d, \"right\": %d, \"auc\": ", c.q.words, c.q.right);
    json_num(out, c.q.auc);
    fprintf(out, ", \"ece\": ");
    json_num(out, c.q.ece);
    fprintf(out, ", \"wer_reject_5\": ");
    json_num(out, c.wer_reject_5);
    fprintf(out, ", \"wer_reject_10\": ");
    json_num(out, c.wer_reject_10);
    fprintf(out, ", \"bins\": [");
    for (int b = 0; b < CONF_BINS; b++) {
        const conf_bin *x = &c.q.bins[b];
        fprintf(out, "%s{\"lo\": %g, \"hi\": %g, \"n\": %d, \"mean_confidence\": ", b ? ", " : "",
                x->lo, x->hi, x->n);
        json_num(out, x->mean_confidence);
        fprintf(out, ", \"accuracy\": ");
        json_num(out, x->accuracy);
        fprintf(out, "}");
    }
    fprintf(out, "]}");
}

static void json_speakers(FILE *out, const eval_split *s)
{
    eval_speaker *sp;
    int n = eval_split_speakers(s, &sp);
    fprintf(out, ", \"speakers\": [");
    for (int i = 0; i < n; i++) {
        fprintf(out, "%s{\"speaker\": ", i ? ", " : "");
        json_write_string(out, sp[i].speaker);
        fprintf(out, ", \"utterances\": %d, \"words\": %ld, \"errors\": %ld, \"wer\": ", sp[i].utts,
                sp[i].words, sp[i].errors);
        json_num(out, eval_speaker_wer(&sp[i]));
        fputc('}', out);
    }
    fputc(']', out);
    free(sp);
}

/* S as a JSON string, or null. */
static void json_string_or_null(FILE *out, const char *s)
{
    if (s)
        json_write_string(out, s);
    else
        fputs("null", out);
}

/* How the report was made: "date" ISO 8601 UTC, the build, the command, the data. */
static void json_provenance(FILE *out, const report_spec *r)
{
    char date[32];
    int dated = report_date(r, "%Y-%m-%dT%H:%M:%SZ", date, sizeof date) == 0;
    fprintf(out, "\"provenance\": {\"date\": ");
    json_string_or_null(out, dated ? date : NULL);
    fprintf(out, ", \"asr_version\": ");
    json_write_string(out, build_version());
    fprintf(out, ", \"commit\": ");
    json_write_string(out, build_commit());
    fprintf(out, ", \"command\": ");
    json_string_or_null(out, r->command);
    fprintf(out, ", \"data\": ");
    json_string_or_null(out, r->data);
    fputc('}', out);
}

static void json_thresholds(FILE *out, const eval_model *m, const eval_thresholds *t)
{
    eval_threshold_check c[3];
    int n = eval_threshold_checks(m, t, c);
    fprintf(out, ", \"thresholds\": [");
    for (int i = 0; i < n; i++) {
        fprintf(out, "%s{\"name\": ", i ? ", " : "");
        json_write_string(out, c[i].name);
        fprintf(out, ", \"limit\": ");
        json_num(out, c[i].limit);
        fprintf(out, ", \"value\": ");
        json_num(out, c[i].value);
        fprintf(out, ", \"margin\": ");
        json_num(out, c[i].limit - c[i].value);
        fprintf(out, ", \"missed\": %s}", eval_threshold_missed(&c[i]) ? "true" : "false");
    }
    fputc(']', out);
}

/* The verdict (eval_choose): "best", the model chosen among those meeting
 * every threshold (null when none does: what a script may take as meeting
 * them), and "choice", the model chosen in any case with its grounds: the
 * split, its WER there, whether it meets every threshold (null: none set)
 * and the names of those it misses. */
static void json_choice(FILE *out, const eval_model *m, int nm, const eval_thresholds *t)
{
    eval_choice ch = eval_choose(m, nm, t);
    const eval_model *c = ch.model >= 0 ? &m[ch.model] : NULL;
    fprintf(out, ", \"best\": ");
    json_string_or_null(out, c && ch.meets ? c->name : NULL);
    fprintf(out, ", \"choice\": {\"model\": ");
    json_string_or_null(out, c ? c->name : NULL);
    fprintf(out, ", \"split\": ");
    json_string_or_null(out, ch.split);
    fprintf(out, ", \"wer\": ");
    json_num(out, c ? eval_wer(eval_find_split(c->splits, c->n, ch.split)) : NAN);
    fprintf(out, ", \"meets_thresholds\": %s, \"misses\": [",
            !c || !eval_thresholds_set(t) ? "null"
            : ch.meets                    ? "true"
                                          : "false");
    eval_threshold_check k[3];
    int n = c ? eval_threshold_checks(c, t, k) : 0;
    for (int i = 0, j = 0; i < n; i++)
        if (eval_threshold_missed(&k[i])) {
            fputs(j++ ? ", " : "", out);
            json_write_string(out, k[i].name);
        }
    fputs("]}", out);
}

/* The matrix: "words" name the rows (then "(ins)") and the columns (then
 * "(del)") of "counts". */
static void json_confusion(FILE *out, const eval_model *m)
{
    confusion_matrix cm;
    confusion_matrix_make(m, &cm);
    fprintf(out, ", \"confusion\": {\"splits\": [");
    for (int i = 0, k = 0; i < m->n; i++)
        if (eval_analysed_split(m, &m->splits[i])) {
            fputs(k++ ? ", " : "", out);
            json_write_string(out, m->splits[i].name);
        }
    fprintf(out, "], \"words\": [");
    for (int i = 0; i < cm.n; i++) {
        fputs(i ? ", " : "", out);
        json_write_string(out, cm.words[i]);
    }
    fprintf(out, "], \"counts\": [");
    for (int r = 0; r <= cm.n; r++) {
        fputs(r ? ", [" : "[", out);
        for (int c = 0; c <= cm.n; c++)
            fprintf(out, "%s%ld", c ? ", " : "", cm.count[(size_t)r * (cm.n + 1) + c]);
        fputc(']', out);
    }
    fprintf(out, "], \"errors\": %ld}", cm.errors);
    confusion_matrix_free(&cm);
}

/* The REPORT_WORST worst utterances of each analysed split. */
static void json_worst(FILE *out, const eval_model *m)
{
    fprintf(out, ", \"worst\": [");
    int k = 0;
    for (int i = 0; i < m->n; i++) {
        const eval_split *s = &m->splits[i];
        if (!eval_analysed_split(m, s)) continue;
        int *idx, n = eval_worst(s, REPORT_WORST, &idx);
        for (int j = 0; j < n; j++) {
            const eval_utt *u = &s->utts[idx[j]];
            fprintf(out, "%s\n  {\"split\": ", k++ ? "," : "");
            json_write_string(out, s->name);
            fprintf(out, ", \"id\": ");
            json_write_string(out, u->id);
            fprintf(out, ", \"speaker\": ");
            json_write_string(out, u->speaker);
            fprintf(out, ", \"errors\": %d, \"words\": %d, \"audio\": ", u->errors, u->nref);
            json_write_string(out, u->wav);
            fprintf(out, ", \"start\": ");
            json_num(out, u->start);
            fprintf(out, ", \"end\": ");
            json_num(out, u->end >= 0 ? u->end : NAN);
            fprintf(out, ", \"ref\": ");
            json_write_string(out, u->ref);
            fprintf(out, ", \"hyp\": ");
            json_write_string(out, u->hyp);
            fprintf(out, ", \"alignment\": ");
            char *line = eval_utt_alignment(u);
            json_write_string(out, line);
            free(line);
            fputc('}', out);
        }
        free(idx);
    }
    fputc(']', out);
}

void eval_write_json(FILE *out, const eval_model *m, int nm, const report_spec *r)
{
    const eval_thresholds *t = &r->t;
    double bayes = r->bayes;
    fputc('{', out);
    json_provenance(out, r);
    fprintf(out, ", \"bayes\": ");
    json_num(out, bayes >= 0 ? bayes : NAN);
    fprintf(out, ", \"thresholds\": {\"max_rtf\": ");
    json_num(out, t->max_rtf > 0 ? t->max_rtf : NAN);
    fprintf(out, ", \"max_latency_ms\": ");
    json_num(out, t->max_latency_ms > 0 ? t->max_latency_ms : NAN);
    fprintf(out, ", \"max_size_mb\": ");
    json_num(out, t->max_size_mb > 0 ? t->max_size_mb : NAN);
    fputc('}', out);
    json_choice(out, m, nm, t);
    fprintf(out, ", \"models\": [");
    for (int k = 0; k < nm; k++) {
        const eval_model *mo = &m[k];
        fprintf(out, "%s\n {\"name\": ", k ? "," : "");
        json_write_string(out, mo->name);
        fprintf(out, ", \"model\": ");
        json_write_string(out, mo->model_path);
        fprintf(out, ", \"size_mb\": %.4f, \"search\": ", mo->size_mb);
        if (mo->has_search)
            fprintf(out, "{\"beam\": %d, \"lm_weight\": %g, \"word_penalty\": %g}", mo->search.beam,
                    (double)mo->search.lm_weight, (double)mo->search.word_penalty);
        else
            fputs("null", out);
        /* null: no threshold to meet */
        fprintf(out, ", \"meets_thresholds\": ");
        char *miss = eval_misses(mo, t);
        fputs(!eval_thresholds_set(t) ? "null" : miss ? "false" : "true", out);
        free(miss);
        fprintf(out, ", \"splits\": [");
        for (int i = 0; i < mo->n; i++) {
            const eval_split *s = &mo->splits[i];
            fprintf(out, "%s\n  {\"name\": ", i ? "," : "");
            json_write_string(out, s->name);
            fprintf(out, ", \"utterances\": %d, \"wer\": ", s->n);
            json_num(out, eval_wer(s));
            json_interval(out, "wer_ci95", s, 0);
            json_interval(out, "wer_ci95_speakers", s, 1);
            fprintf(out, ", \"sub\": %ld, \"del\": %ld, \"ins\": %ld, \"words\": %ld, \"cer\": ",
                    s->words.sub, s->words.del, s->words.ins, s->words.n_ref);
            json_num(out, metrics_rate(error_counts_errors(&s->chars), s->chars.n_ref));
            fprintf(out, ", \"per\": ");
            json_num(out, s->has_phones
                              ? metrics_rate(error_counts_errors(&s->phones), s->phones.n_ref)
                              : NAN);
            fprintf(out, ", \"ser\": ");
            json_num(out, metrics_rate(s->words.sent_err, s->words.sent));
            /* By the wall clock, then in CPU time (the thresholds'); null
             * when not timed. */
            static const char *const timing[] = {
                "rtf",     "latency_p50_ms",     "latency_p95_ms",
                "cpu_rtf", "cpu_latency_p50_ms", "cpu_latency_p95_ms"};
            for (int k = 0; k < 6; k++) {
                fprintf(out, ", \"%s\": ", timing[k]);
                json_num(out, eval_split_timing(s, (eval_timing)k));
            }
            json_speakers(out, s);
            json_confidence(out, s);
            fprintf(out, "}");
        }
        fprintf(out, "]");
        json_thresholds(out, mo, t);
        json_confusion(out, mo);
        json_worst(out, mo);
        if (bayes >= 0) {
            eval_decomposition d = eval_decompose(mo->splits, mo->n, bayes);
            fprintf(out, ", \"decomposition\": {\"avoidable_bias\": ");
            json_num(out, d.bias);
            fprintf(out, ", \"variance\": ");
            json_num(out, d.variance);
            fprintf(out, ", \"data_mismatch\": ");
            json_num(out, d.mismatch);
            fprintf(out, ", \"overtuning_to_dev\": ");
            json_num(out, d.overtuning);
            fprintf(out, ", \"largest\": ");
            json_write_string(out, eval_gap_name(d.largest));
            fprintf(out, ", \"knobs\": ");
            json_write_string(out, eval_knobs(d.largest));
            fprintf(out, "}");
        }
        fprintf(out, "}");
    }
    fprintf(out, "], \"comparisons\": [");
    comparisons_json(out, m, nm, t);
    fprintf(out, "]}\n");
}
