/* reports.c — the Markdown, JSON and TSV reports of an evaluation; see reports.h. */
#include "report/reports.h"

#include "base/alloc.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/build_info.h"
#include "report/markdown.h"
#include "report/report_html.h"
#include "report/worst.h"

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
        md_text(out, names[j]);
        fprintf(out, " (%d speaker%s, WER %%):\n\n| speaker | utts | words |", n,
                n == 1 ? "" : "s");
        for (int k = 0; k < nm; k++) md_cell(out, m[k].name);
        fprintf(out, "\n|---|---:|---:|");
        for (int k = 0; k < nm; k++) fprintf(out, "---:|");
        fputc('\n', out);
        for (int r = 0; r < n; r++) {
            fputc('|', out);
            md_cell(out, rows[r].speaker);
            fprintf(out, " %d | %ld |", rows[r].utts, rows[r].words);
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
        char pv[32];
        bootstrap_format_p(pv, sizeof pv, r->p);
        fputs("- **", out);
        md_text(out, c[i].a);
        fprintf(out, "** %s **", !sure ? "vs" : r->value < 0 ? "better than" : "worse than");
        md_text(out, c[i].b);
        fputs("** on ", out);
        md_text(out, c[i].split);
        fprintf(out, ": %+.2f points [%+.2f, %+.2f], %s%s\n", r->value, r->lo, r->hi, pv,
                sure ? "" : ": not a sure difference");
    }
    free(c);
}

void report_spec_init(report_spec *r)
{
    memset(r, 0, sizeof *r);
    r->bayes = -1;
    r->worst = 20;
    r->curve_split = "dev";
}

/* A word the shell reads back as itself: as it is when it holds only
 * characters no shell treats specially, else in single quotes (a quote
 * inside as '\''). */
static void shell_word(char **buf, size_t *len, size_t *cap, const char *w)
{
    int plain = *w != 0;
    for (const char *p = w; *p; p++)
        plain &= !!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                          "-_./=:,+@%",
                          *p);
    size_t need = *len + 4 * strlen(w) + 4;
    if (need > *cap) {
        *cap = 2 * need;
        *buf = xrealloc(*buf, *cap);
    }
    char *o = *buf + *len;
    if (*len) *o++ = ' ';
    if (plain) {
        o = stpcpy(o, w);
    } else {
        *o++ = '\'';
        for (const char *p = w; *p; p++) o = *p == '\'' ? stpcpy(o, "'\\''") : (*o = *p, o + 1);
        *o++ = '\'';
        *o = 0;
    }
    *len = (size_t)(o - *buf);
}

int report_date(const report_spec *r, const char *format, char *buf, size_t n)
{
    struct tm tm;
    if (!r->when || !gmtime_r(&r->when, &tm) || !strftime(buf, n, format, &tm)) {
        buf[0] = 0;
        return -1;
    }
    return 0;
}

char *report_command_line(int argc, char *const *argv)
{
    char *buf = xstrdup("");
    size_t len = 0, cap = 1;
    for (int i = 0; i < argc; i++) shell_word(&buf, &len, &cap, argv[i]);
    return buf;
}

/* How the report was made. */
static void provenance_markdown(FILE *out, const report_spec *r)
{
    char date[32];
    if (report_date(r, "%Y-%m-%d %H:%M:%S UTC", date, sizeof date) < 0) strcpy(date, "unknown");
    fprintf(out, "Made %s by asr %s (commit %s)", date, build_version(), build_commit());
    if (r->data) {
        fputs(" from data ", out);
        md_code(out, r->data);
    }
    fprintf(out, ".\n");
    if (r->command) {
        fputs("Command: ", out);
        md_code(out, r->command);
        fputc('\n', out);
    }
    fputc('\n', out);
}

/* Each threshold with M's value and margin. */
static void thresholds_markdown(FILE *out, const eval_model *m, const eval_thresholds *t)
{
    eval_threshold_check c[3];
    int n = eval_threshold_checks(m, t, c);
    if (n == 0) return;
    fprintf(out, "\n| threshold | limit | value | margin |\n|---|---:|---:|---:|\n");
    for (int i = 0; i < n; i++) {
        char limit[48], value[48], margin[48];
        eval_threshold_format(&c[i], c[i].limit, 0, limit, sizeof limit);
        eval_threshold_format(&c[i], c[i].value, 0, value, sizeof value);
        eval_threshold_format(&c[i], c[i].limit - c[i].value, 1, margin, sizeof margin);
        fprintf(out, "| %s | %s | %s | %s%s |\n", c[i].name, limit, value, margin,
                eval_threshold_missed(&c[i]) ? " (missed)" : "");
    }
}

/* The verdict (eval_choose) in words: which model, by what, and when no
 * model meets every threshold, what the one chosen misses. */
static void choice_markdown(FILE *out, const eval_model *m, int nm, const eval_thresholds *t)
{
    eval_choice ch = eval_choose(m, nm, t);
    fprintf(out, "## Choice\n\n");
    if (ch.model < 0) {
        fprintf(out, "No dev or test split to choose by.\n");
    } else if (!ch.meets) {
        char *miss = eval_misses(&m[ch.model], t);
        fprintf(out, "No model meets every threshold. Lowest %s WER: **", ch.split);
        md_text(out, m[ch.model].name);
        fputs("**, which misses ", out);
        md_text(out, miss);
        fputs(".\n", out);
        free(miss);
    } else {
        fprintf(out, "Best by %s WER%s: **", ch.split,
                eval_thresholds_set(t) ? " among models meeting every threshold" : "");
        md_text(out, m[ch.model].name);
        fputs("**.\n", out);
    }
    comparisons_markdown(out, m, nm, t);
    fputc('\n', out);
}

/* Model M against the thresholds: its misses and the table, or with none
 * set, that none is (said once: in the choice when there are several
 * models). */
static void satisficing_markdown(FILE *out, const eval_model *mo, int nm, const eval_thresholds *t)
{
    if (!eval_thresholds_set(t)) {
        if (nm == 1) fputs("\nSatisficing thresholds: none set.\n", out);
        return;
    }
    char *miss = eval_misses(mo, t);
    fputs("\nSatisficing: ", out);
    md_text(out, miss ? miss : "meets every threshold");
    fputs(".\n", out);
    free(miss);
    thresholds_markdown(out, mo, t);
}

/* A timing of S with DECIMALS, "–" when S was not timed. */
static void fmt_timing(char *buf, size_t n, const eval_split *s, eval_timing k, int decimals)
{
    double v = eval_split_timing(s, k);
    if (isnan(v))
        snprintf(buf, n, "–");
    else
        snprintf(buf, n, "%.*f", decimals, v);
}

static void matrix_markdown(FILE *out, const eval_model *m)
{
    confusion_matrix cm;
    confusion_matrix_make(m, &cm);
    if (cm.n) {
        fprintf(out, "\nConfusion matrix (rows: reference, columns: hypothesis):\n\n| |");
        for (int c = 0; c <= cm.n; c++) md_cell(out, c < cm.n ? cm.words[c] : "(del)");
        fprintf(out, "\n|---|");
        for (int c = 0; c <= cm.n; c++) fprintf(out, "---:|");
        fputc('\n', out);
        for (int r = 0; r <= cm.n; r++) {
            fputc('|', out);
            md_cell(out, r < cm.n ? cm.words[r] : "(ins)");
            for (int c = 0; c <= cm.n; c++)
                fprintf(out, " %ld |", cm.count[(size_t)r * (cm.n + 1) + c]);
            fputc('\n', out);
        }
    }
    confusion_matrix_free(&cm);
}

/* Whether U is a segment of its audio file rather than all of it. */
static int is_segment(const eval_utt *u)
{
    return u->start > 0 || u->end >= 0;
}

static void worst_markdown(FILE *out, const eval_model *m)
{
    for (int i = 0; i < m->n; i++) {
        const eval_split *s = &m->splits[i];
        if (!eval_analysed_split(m, s)) continue;
        int *idx, n = eval_worst(s, REPORT_WORST, &idx);
        if (n) {
            fputs("\nWorst utterances on ", out);
            md_text(out, s->name);
            fputs(":\n\n", out);
        }
        for (int j = 0; j < n; j++) {
            const eval_utt *u = &s->utts[idx[j]];
            char *line = eval_utt_alignment(u);
            fputs("- ", out);
            md_code(out, u->id);
            fputs(" (", out);
            md_text(out, u->speaker);
            fprintf(out, ", %d errors in %d words, ", u->errors, u->nref);
            md_code(out, u->wav);
            if (is_segment(u) && u->end >= 0)
                fprintf(out, " %.15g-%.15g s", u->start, u->end);
            else if (is_segment(u))
                fprintf(out, " from %.15g s", u->start);
            fputs("): ", out);
            md_text(out, line);
            fputc('\n', out);
            free(line);
        }
        free(idx);
    }
}

/* The quality of M's word confidences per split that has them
 * (recognizer/eval.h): nothing when none has. */
static void confidence_markdown(FILE *out, const eval_model *m)
{
    int head = 0;
    for (int i = 0; i < m->n; i++) {
        const eval_split *s = &m->splits[i];
        eval_confidence c;
        if (eval_split_confidence(s, &c)) continue;
        if (!head++)
            fputs(
                "\nWord confidence: AUC of right against wrong words, expected calibration "
                "error (10 bins), and the WER once the 5% or 10% of hypothesis words with the "
                "lowest confidence are dropped:\n\n| split | words | right | AUC | ECE | WER % | "
                "WER % rejecting 5% | rejecting 10% |\n|---|---:|---:|---:|---:|---:|---:|---:|\n",
                out);
        char auc[32], ece[32], r5[32], r10[32];
        snprintf(auc, sizeof auc, isnan(c.q.auc) ? "–" : "%.3f", c.q.auc);
        snprintf(ece, sizeof ece, isnan(c.q.ece) ? "–" : "%.3f", c.q.ece);
        fmt_rate(r5, sizeof r5, c.wer_reject_5);
        fmt_rate(r10, sizeof r10, c.wer_reject_10);
        fputc('|', out);
        md_cell(out, s->name);
        fprintf(out, " %d | %d | %s | %s | %.2f | %s | %s |\n", c.q.words, c.q.right, auc, ece,
                eval_wer(s), r5, r10);
    }
}

void eval_write_markdown(FILE *out, const eval_model *m, int nm, const report_spec *r)
{
    const eval_thresholds *t = &r->t;
    double bayes = r->bayes;
    provenance_markdown(out, r);
    /* The choice first, as the HTML page's verdict: what a reader came for. */
    if (nm > 1) choice_markdown(out, m, nm, t);
    if (nm > 1 && !eval_thresholds_set(t)) fputs("Satisficing thresholds: none set.\n\n", out);
    for (int k = 0; k < nm; k++) {
        const eval_model *mo = &m[k];
        fputs("## ", out);
        md_text(out, mo->name);
        fputs("\n\nModel ", out);
        md_code(out, mo->model_path);
        fprintf(out, " (%.2f MB).", mo->size_mb);
        if (mo->has_search)
            fprintf(out, " Search: beam %d, LM weight %g, word penalty %g.", mo->search.beam,
                    (double)mo->search.lm_weight, (double)mo->search.word_penalty);
        fprintf(out, "\n\n");
        fprintf(out, "| split | utts | WER %% | 95%% interval: utterances | speakers | S | D | I | "
                     "CER %% | PER %% | SER %% | RTF | latency p50 ms | p95 ms | CPU RTF | "
                     "CPU p50 ms | CPU p95 ms |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
                     "---:|---:|---:|---:|---:|---:|---:|\n");
        for (int i = 0; i < mo->n; i++) {
            const eval_split *s = &mo->splits[i];
            char per[32], ciu[48], cis[48], tm[6][32];
            for (int k = 0; k < 6; k++) /* eval_timing's order */
                fmt_timing(tm[k], sizeof tm[k], s, (eval_timing)k, k % 3 ? 1 : 4);
            fmt_interval(ciu, sizeof ciu, s, 0);
            fmt_interval(cis, sizeof cis, s, 1);
            fmt_rate(per, sizeof per,
                     s->has_phones ? metrics_rate(error_counts_errors(&s->phones), s->phones.n_ref)
                                   : NAN);
            fputc('|', out);
            md_cell(out, s->name);
            fprintf(
                out,
                " %d | %.2f | %s | %s | %ld | %ld | %ld | %.2f | %s | %.2f | %s | %s | %s | %s | "
                "%s | %s |\n",
                s->n, eval_wer(s), ciu, cis, s->words.sub, s->words.del, s->words.ins,
                metrics_rate(error_counts_errors(&s->chars), s->chars.n_ref), per,
                metrics_rate(s->words.sent_err, s->words.sent), tm[0], tm[1], tm[2], tm[3], tm[4],
                tm[5]);
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
        confidence_markdown(out, mo);
        satisficing_markdown(out, mo, nm, t);
        for (int i = 0; i < mo->n; i++) {
            const eval_split *s = &mo->splits[i];
            if (!eval_analysed_split(mo, s)) continue;
            fputs("\nMost frequent word confusions on ", out);
            md_text(out, s->name);
            fputs(" (reference -> hypothesis):\n\n", out);
            eval_write_confusions(out, s, 10);
        }
        matrix_markdown(out, mo);
        worst_markdown(out, mo);
        fputc('\n', out);
    }
    eval_write_speakers_markdown(out, m, nm);
}

/* Tabs and newlines cannot appear inside a TSV field, nor any other
 * control character in a file people open (none passes a data directory,
 * but a hypothesis file may hold them). */
static void tsv_field(FILE *f, const char *s)
{
    for (; *s; s++) fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, f);
}

int eval_write_errors_tsv(const io_set *io, const char *path, const eval_model *m, int worst)
{
    atomic_file af;
    if (atomic_file_open(&af, io, path, "w") < 0) return -1;
    fprintf(af.fp,
            "split\tid\terrors\tref_words\taudio\tstart\tend\tref\thyp\talignment\tcategory\n");
    for (int k = 0; k < m->n; k++) {
        const eval_split *s = &m->splits[k];
        int *idx, n = eval_worst(s, worst, &idx);
        for (int i = 0; i < n; i++) {
            const eval_utt *u = &s->utts[idx[i]];
            fprintf(af.fp, "%s\t%s\t%d\t%d\t", s->name, u->id, u->errors, u->nref);
            tsv_field(af.fp, u->wav);
            /* The utterance's span of it in seconds; no end: to the end. */
            fprintf(af.fp, "\t%.15g\t", u->start);
            if (u->end >= 0) fprintf(af.fp, "%.15g", u->end);
            fputc('\t', af.fp);
            tsv_field(af.fp, u->ref);
            fputc('\t', af.fp);
            tsv_field(af.fp, u->hyp);
            fputc('\t', af.fp);
            char *line = eval_utt_alignment(u);
            tsv_field(af.fp, line);
            free(line);
            fprintf(af.fp, "\t\n");
        }
        free(idx);
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
    eval_confusions_sort(cats, nc);
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

/* The report files in DIR: report.md, report.json, report.html, then one
 * errors file per model (FILE_K = 3 + K): errors.tsv when there is one model,
 * errors-NAME.tsv when there are several. */
#define REPORT_FILES 3
static char *report_file(const char *dir, int file_k, char *const *names, int nm)
{
    static const char *const fixed[REPORT_FILES] = {"report.md", "report.json", "report.html"};
    if (file_k < REPORT_FILES) return path_join(dir, fixed[file_k]);
    const char *name = names[file_k - REPORT_FILES];
    char *base = xmalloc(strlen(name) + 16);
    if (nm == 1)
        strcpy(base, "errors.tsv");
    else
        sprintf(base, "errors-%s.tsv", name);
    char *p = path_join(dir, base);
    free(base);
    return p;
}

int eval_reports_declare(io_set *io, const char *dir, char *const *names, int nm)
{
    int rc = io_set_output_dir(io, dir, "the report directory", 0);
    for (int k = 0; k < REPORT_FILES + nm && rc == 0; k++) {
        char *p = report_file(dir, k, names, nm);
        rc = io_set_output(io, p, "the report");
        free(p);
    }
    return rc;
}

/* report.md, or with JSON report.json, to PATH. */
static int write_summary(const io_set *io, const char *path, int json, const eval_model *m, int nm,
                         const report_spec *r)
{
    atomic_file af;
    if (atomic_file_open(&af, io, path, "w") < 0) return -1;
    if (json) {
        eval_write_json(af.fp, m, nm, r);
    } else {
        fputs("# ", af.fp);
        md_text(af.fp, r->title ? r->title : "Evaluation");
        fputs("\n\n", af.fp);
        eval_write_markdown(af.fp, m, nm, r);
    }
    return atomic_file_commit(&af);
}

int eval_write_reports(const io_set *io, const char *dir, const eval_model *m, int nm,
                       const report_spec *r)
{
    if (make_dirs(dir) != 0) return asr_error("%s: cannot create: %s", dir, strerror(errno));
    char **names = xmalloc(sizeof *names * (size_t)(nm ? nm : 1));
    for (int k = 0; k < nm; k++) names[k] = m[k].name;
    int rc = 0;
    for (int k = 0; k < REPORT_FILES + nm && rc == 0; k++) {
        char *p = report_file(dir, k, names, nm);
        if (k < 2)
            rc = write_summary(io, p, k == 1, m, nm, r);
        else if (k == 2)
            rc = report_html_write(io, p, m, nm, r);
        else
            rc = eval_write_errors_tsv(io, p, &m[k - REPORT_FILES], r->worst);
        free(p);
    }
    free(names);
    return rc;
}
