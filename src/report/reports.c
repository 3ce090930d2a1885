/* reports.c — the Markdown, JSON and TSV reports of an evaluation; see reports.h. */
#include "report/reports.h"

#include "base/alloc.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/json.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void fmt_rate(char *buf, size_t n, double r)
{
    if (isnan(r))
        snprintf(buf, n, "–");
    else
        snprintf(buf, n, "%.2f", r);
}

void eval_write_speakers_markdown(FILE *out, const eval_model *m, int nm)
{
    const char **names;
    int ns = eval_split_names(m, nm, &names);
    if (ns) fprintf(out, "## WER per speaker\n\n");
    for (int j = 0; j < ns; j++) {
        eval_speaker *rows;
        double *wer;
        int n = eval_speaker_table(m, nm, names[j], &rows, &wer);
        fprintf(out, "%s (%d speaker%s, WER %%):\n\n| speaker | utts | words |", names[j], n,
                n == 1 ? "" : "s");
        for (int k = 0; k < nm; k++) fprintf(out, " %s |", m[k].name);
        fprintf(out, "\n|---|---:|---:|");
        for (int k = 0; k < nm; k++) fprintf(out, "---:|");
        fputc('\n', out);
        for (int r = 0; r < n; r++) {
            fprintf(out, "| %s | %d | %ld |", rows[r].speaker, rows[r].utts, rows[r].words);
            for (int k = 0; k < nm; k++) {
                char b[32];
                fmt_rate(b, sizeof b, wer[(size_t)r * nm + k]);
                fprintf(out, " %s |", b);
            }
            fputc('\n', out);
        }
        fputc('\n', out);
        free(rows);
        free(wer);
    }
    free(names);
}

/* "[lo, hi]" of S's 95% interval (by speaker or utterance), "-" when none. */
static void fmt_interval(char *buf, size_t n, const eval_split *s, int by_speaker)
{
    bootstrap_result r;
    if (eval_wer_interval(s, by_speaker, &r) == 0)
        snprintf(buf, n, "%.2f-%.2f", r.lo, r.hi);
    else
        snprintf(buf, n, "-");
}

/* The paired comparisons, as Markdown sentences. */
static void comparisons_markdown(FILE *out, const eval_model *m, int nm, const eval_thresholds *t)
{
    eval_comparison *c;
    int n = eval_comparisons(m, nm, t, &c);
    if (n)
        fprintf(out, "\nDifferences in WER points, 95%% interval of the paired bootstrap over "
                     "utterances:\n\n");
    for (int i = 0; i < n; i++) {
        const bootstrap_result *r = &c[i].r;
        int sure = r->lo > 0 || r->hi < 0;
        fprintf(out, "- **%s** %s **%s** on %s: %+.2f points [%+.2f, %+.2f], p = %.3f%s\n", c[i].a,
                !sure          ? "vs"
                : r->value < 0 ? "better than"
                               : "worse than",
                c[i].b, c[i].split, r->value, r->lo, r->hi, r->p,
                sure ? "" : ": not a sure difference");
    }
    free(c);
}

/* Whether a model has a split eval_best_model chooses by (dev, else test). */
static int has_choice_split(const eval_model *m, int nm)
{
    for (int k = 0; k < nm; k++)
        if (eval_find_split(m[k].splits, m[k].n, "dev") ||
            eval_find_split(m[k].splits, m[k].n, "test"))
            return 1;
    return 0;
}

void eval_write_markdown(FILE *out, const eval_model *m, int nm, const eval_thresholds *t,
                         double bayes)
{
    for (int k = 0; k < nm; k++) {
        const eval_model *mo = &m[k];
        fprintf(out, "## %s\n\nModel `%s` (%.2f MB).", mo->name, mo->model_path, mo->size_mb);
        if (mo->has_search)
            fprintf(out, " Search: beam %d, LM weight %g, word penalty %g.", mo->search.beam,
                    (double)mo->search.lm_weight, (double)mo->search.word_penalty);
        fprintf(out, "\n\n");
        fprintf(out, "| split | utts | WER %% | 95%% interval: utterances | speakers | S | D | I | "
                     "CER %% | PER %% | SER %% | RTF | latency p50 ms | p95 ms "
                     "|\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < mo->n; i++) {
            const eval_split *s = &mo->splits[i];
            char per[32], ciu[48], cis[48];
            fmt_interval(ciu, sizeof ciu, s, 0);
            fmt_interval(cis, sizeof cis, s, 1);
            fmt_rate(per, sizeof per,
                     s->has_phones ? metrics_rate(error_counts_errors(&s->phones), s->phones.n_ref)
                                   : NAN);
            fprintf(
                out,
                "| %s | %d | %.2f | %s | %s | %ld | %ld | %ld | %.2f | %s | %.2f | %.4f | %.1f | "
                "%.1f |\n",
                s->name, s->n, eval_wer(s), ciu, cis, s->words.sub, s->words.del, s->words.ins,
                metrics_rate(error_counts_errors(&s->chars), s->chars.n_ref), per,
                metrics_rate(s->words.sent_err, s->words.sent),
                s->decode_seconds >= 0 && s->audio_seconds > 0
                    ? s->decode_seconds / s->audio_seconds
                    : 0,
                s->lat_p50_ms, s->lat_p95_ms);
        }
        if (bayes >= 0) {
            eval_decomposition d = eval_decompose(mo->splits, mo->n, bayes);
            char b[4][32];
            fmt_rate(b[0], 32, d.bias);
            fmt_rate(b[1], 32, d.variance);
            fmt_rate(b[2], 32, d.mismatch);
            fmt_rate(b[3], 32, d.overtuning);
            fprintf(out,
                    "\nWith a Bayes (human-level) error of %.2f%%: avoidable bias %s, variance %s, "
                    "data mismatch %s, over-tuning to dev %s (WER points).\n",
                    bayes, b[0], b[1], b[2], b[3]);
            if (d.largest >= 0)
                fprintf(out, "**Largest: %s.** Knobs: %s.\n", eval_gap_name(d.largest),
                        eval_knobs(d.largest));
        }
        char *miss = eval_misses(mo, t);
        fprintf(out, "\nSatisficing: %s.\n", miss ? miss : "meets every threshold");
        free(miss);
        for (int i = 0; i < mo->n; i++) {
            const eval_split *s = &mo->splits[i];
            if (!eval_analysed_split(mo, s)) continue;
            fprintf(out, "\nMost frequent word confusions on %s (reference -> hypothesis):\n\n",
                    s->name);
            eval_write_confusions(out, s, 10);
        }
        fputc('\n', out);
    }
    eval_write_speakers_markdown(out, m, nm);
    if (nm > 1) {
        int best = eval_best_model(m, nm, t);
        fprintf(out, "## Choice\n\n");
        if (best >= 0)
            fprintf(out, "Best by dev WER among models meeting every threshold: **%s**.\n",
                    m[best].name);
        else if (!has_choice_split(m, nm))
            fprintf(out, "No dev or test split to choose by.\n");
        else
            fprintf(out, "No model meets every threshold.\n");
        comparisons_markdown(out, m, nm, t);
    }
}

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

void eval_write_json(FILE *out, const eval_model *m, int nm, const eval_thresholds *t, double bayes)
{
    fprintf(out, "{\"bayes\": ");
    json_num(out, bayes >= 0 ? bayes : NAN);
    fprintf(out, ", \"thresholds\": {\"max_rtf\": ");
    json_num(out, t->max_rtf > 0 ? t->max_rtf : NAN);
    fprintf(out, ", \"max_latency_ms\": ");
    json_num(out, t->max_latency_ms > 0 ? t->max_latency_ms : NAN);
    fprintf(out, ", \"max_size_mb\": ");
    json_num(out, t->max_size_mb > 0 ? t->max_size_mb : NAN);
    int best = eval_best_model(m, nm, t);
    fprintf(out, "}, \"best\": ");
    if (best >= 0)
        json_write_string(out, m[best].name);
    else
        fputs("null", out);
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
        fprintf(out, ", \"meets_thresholds\": ");
        char *miss = eval_misses(mo, t);
        fputs(miss ? "false" : "true", out);
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
            fprintf(out, ", \"rtf\": ");
            json_num(out, s->decode_seconds >= 0 && s->audio_seconds > 0
                              ? s->decode_seconds / s->audio_seconds
                              : NAN);
            fprintf(out, ", \"latency_p50_ms\": ");
            json_num(out, s->lat_p50_ms);
            fprintf(out, ", \"latency_p95_ms\": ");
            json_num(out, s->lat_p95_ms);
            json_speakers(out, s);
            fprintf(out, "}");
        }
        fprintf(out, "]");
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

static int by_count(const void *a, const void *b)
{
    const eval_confusion *p = a, *q = b;
    if (p->count != q->count) return q->count - p->count;
    int c = strcmp(p->ref, q->ref);
    return c ? c : strcmp(p->hyp, q->hyp);
}

int eval_confusions(const eval_split *s, eval_confusion **out)
{
    eval_confusion *pairs = NULL;
    int np = 0;
    for (int i = 0; i < s->n; i++) {
        token_list r, h;
        metrics_tokenize(s->utts[i].ref, METRICS_WORDS, &r);
        metrics_tokenize(s->utts[i].hyp, METRICS_WORDS, &h);
        edit_alignment a;
        edit_align_strings(r.tok, r.n, h.tok, h.n, &a);
        for (int k = 0; k < a.n_ops; k++) {
            const edit_op *op = &a.ops[k];
            if (op->kind == EDIT_CORRECT) continue;
            const char *rw = op->ref >= 0 ? r.tok[op->ref] : "(ins)";
            const char *hw = op->hyp >= 0 ? h.tok[op->hyp] : "(del)";
            int j = 0;
            while (j < np && (strcmp(pairs[j].ref, rw) || strcmp(pairs[j].hyp, hw))) j++;
            if (j == np) {
                pairs = xrealloc(pairs, sizeof *pairs * (size_t)(np + 1));
                pairs[np++] = (eval_confusion){xstrdup(rw), xstrdup(hw), 0};
            }
            pairs[j].count++;
        }
        edit_alignment_free(&a);
        token_list_free(&r);
        token_list_free(&h);
    }
    if (np > 1) qsort(pairs, (size_t)np, sizeof *pairs, by_count);
    *out = pairs;
    return np;
}

void eval_confusions_free(eval_confusion *c, int n)
{
    for (int j = 0; j < n; j++) {
        free(c[j].ref);
        free(c[j].hyp);
    }
    free(c);
}

void eval_write_confusions(FILE *out, const eval_split *s, int top)
{
    eval_confusion *c;
    int n = eval_confusions(s, &c);
    if (n == 0) fprintf(out, "(none)\n");
    for (int j = 0; j < n && j < top; j++)
        fprintf(out, "- %s -> %s: %d\n", c[j].ref, c[j].hyp, c[j].count);
    eval_confusions_free(c, n);
}

typedef struct {
    const eval_split *s;
    int i;
} worst_ref;

static int by_errors(const void *a, const void *b)
{
    const worst_ref *p = a, *q = b;
    const eval_utt *x = &p->s->utts[p->i], *y = &q->s->utts[q->i];
    if (x->errors != y->errors) return y->errors - x->errors;
    return strcmp(x->id, y->id);
}

/* Tabs and newlines cannot appear inside a TSV field. */
static void tsv_field(FILE *f, const char *s)
{
    for (; *s; s++) fputc(*s == '\t' || *s == '\n' ? ' ' : *s, f);
}

int eval_write_errors_tsv(const char *path, const eval_model *m, int worst)
{
    atomic_file af;
    if (atomic_file_open(&af, path, "w") < 0) return -1;
    fprintf(af.fp, "split\tid\terrors\tref_words\taudio\tref\thyp\talignment\tcategory\n");
    for (int k = 0; k < m->n; k++) {
        const eval_split *s = &m->splits[k];
        worst_ref *w = xmalloc(sizeof(worst_ref) * (size_t)(s->n ? s->n : 1));
        for (int i = 0; i < s->n; i++) w[i] = (worst_ref){s, i};
        qsort(w, (size_t)s->n, sizeof *w, by_errors);
        for (int i = 0; i < s->n && i < worst; i++) {
            const eval_utt *u = &s->utts[w[i].i];
            if (u->errors == 0) break;
            fprintf(af.fp, "%s\t%s\t%d\t%d\t", s->name, u->id, u->errors, u->nref);
            tsv_field(af.fp, u->wav);
            fputc('\t', af.fp);
            tsv_field(af.fp, u->ref);
            fputc('\t', af.fp);
            tsv_field(af.fp, u->hyp);
            fputc('\t', af.fp);
            token_list r, h;
            metrics_tokenize(u->ref, METRICS_WORDS, &r);
            metrics_tokenize(u->hyp ? u->hyp : "", METRICS_WORDS, &h);
            edit_alignment al;
            edit_align_strings(r.tok, r.n, h.tok, h.n, &al);
            char *line = metrics_alignment_line(r.tok, h.tok, &al);
            tsv_field(af.fp, line);
            free(line);
            edit_alignment_free(&al);
            token_list_free(&r);
            token_list_free(&h);
            fprintf(af.fp, "\t\n");
        }
        free(w);
    }
    return atomic_file_commit(&af);
}

int eval_tally(const char *path, FILE *out)
{
    line_reader lr;
    if (line_reader_open(&lr, path) < 0) return -1;
    char *line;
    int col = -1, rows = 0, untagged = 0;
    eval_confusion *cats = NULL; /* categories: ref = the tag, count */
    int nc = 0;
    while ((line = line_reader_next(&lr))) {
        /* Split on tabs, keeping empty fields. */
        char *f[16];
        int nf = 0;
        f[nf++] = line;
        for (char *p = line; *p && nf < 16; p++)
            if (*p == '\t') {
                *p = 0;
                f[nf++] = p + 1;
            }
        if (col < 0) {
            for (int i = 0; i < nf; i++)
                if (!strcmp(f[i], "category")) col = i;
            if (col < 0) {
                line_reader_close(&lr);
                return asr_error("%s:1: no 'category' column in the header", path);
            }
            continue;
        }
        rows++;
        const char *c = col < nf ? f[col] : "";
        while (*c == ' ') c++;
        if (!*c) {
            untagged++;
            continue;
        }
        /* One utterance may carry several categories, comma-separated. */
        char *copy = xstrdup(c), *save = NULL;
        for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            while (*t == ' ') t++;
            char *e = t + strlen(t);
            while (e > t && e[-1] == ' ') *--e = 0;
            if (!*t) continue;
            int j = 0;
            while (j < nc && strcmp(cats[j].ref, t)) j++;
            if (j == nc) {
                cats = xrealloc(cats, sizeof *cats * (size_t)(nc + 1));
                cats[nc++] = (eval_confusion){xstrdup(t), xstrdup(""), 0};
            }
            cats[j].count++;
        }
        free(copy);
    }
    int bad = line_reader_error(&lr);
    line_reader_close(&lr);
    if (bad < 0 || col < 0) {
        eval_confusions_free(cats, nc);
        return bad < 0 ? -1 : asr_error("%s: empty file", path);
    }
    if (nc > 1) qsort(cats, (size_t)nc, sizeof *cats, by_count); /* cats is NULL when nc = 0 */
    fprintf(out, "category\tutterances\tpercent_of_tagged\n");
    int tagged = rows - untagged;
    for (int j = 0; j < nc; j++) {
        fprintf(out, "%s\t%d\t%.1f\n", cats[j].ref, cats[j].count,
                tagged ? 100.0 * cats[j].count / tagged : 0.0);
    }
    fprintf(out, "(untagged)\t%d\t-\n", untagged);
    eval_confusions_free(cats, nc);
    return 0;
}

int eval_write_reports(const char *dir, const eval_model *m, int nm, const eval_thresholds *t,
                       double bayes, int worst)
{
    if (make_dirs(dir) != 0) return asr_error("%s: cannot create: %s", dir, strerror(errno));
    char *p = xmalloc(strlen(dir) + 32);
    atomic_file af;
    int rc = 0;
    sprintf(p, "%s/report.md", dir);
    if (atomic_file_open(&af, p, "w") == 0) {
        fprintf(af.fp, "# Evaluation\n\n");
        eval_write_markdown(af.fp, m, nm, t, bayes);
        rc |= atomic_file_commit(&af);
    } else {
        rc = -1;
    }
    sprintf(p, "%s/report.json", dir);
    if (rc == 0 && atomic_file_open(&af, p, "w") == 0) {
        eval_write_json(af.fp, m, nm, t, bayes);
        rc |= atomic_file_commit(&af);
    }
    for (int k = 0; rc == 0 && k < nm; k++) {
        char *e = xmalloc(strlen(dir) + strlen(m[k].name) + 32);
        if (nm == 1)
            sprintf(e, "%s/errors.tsv", dir);
        else
            sprintf(e, "%s/errors-%s.tsv", dir, m[k].name);
        rc |= eval_write_errors_tsv(e, &m[k], worst);
        free(e);
    }
    free(p);
    return rc;
}
