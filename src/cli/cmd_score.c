/* cmd_score.c — `asr score`: word/character error rates of a hypothesis
 * transcript file against a reference, printed as Kaldi's compute-wer does,
 * with sclite-style per-utterance alignments on request. */
#include "base/alloc.h"
#include "cli/commands.h"
#include "base/error.h"
#include "base/fileio.h"
#include "text/metrics.h"
#include "text/textnorm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char score_usage[] =
    "usage: asr score [--details] [--normalize] [--level word|char|both] REF HYP\n"
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
    "  --level L      word (default), char, or both\n";

typedef struct {
    char *id;
    char *text;
    long line;
} transcript;

typedef struct {
    const char *path;
    transcript *utt; /* in file order */
    transcript **by_id;
    int n;
} transcript_file;

static int by_id_cmp(const void *a, const void *b)
{
    const transcript *x = *(transcript *const *)a, *y = *(transcript *const *)b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

static int find_cmp(const void *key, const void *elem)
{
    return strcmp(key, (*(transcript *const *)elem)->id);
}

static transcript *transcript_find(const transcript_file *f, const char *id)
{
    transcript **t = bsearch(id, f->by_id, (size_t)f->n, sizeof *f->by_id, find_cmp);
    return t ? *t : NULL;
}

static void transcript_file_free(transcript_file *f)
{
    for (int i = 0; i < f->n; i++) {
        free(f->utt[i].id);
        free(f->utt[i].text);
    }
    free(f->utt);
    free(f->by_id);
    memset(f, 0, sizeof *f);
}

/* If LINE ends in a "(uttid)" token, cut it off (LINE keeps the words) and
 * return the id inside the parentheses; else NULL. */
static char *trn_split(char *line)
{
    char *end = line + strlen(line);
    while (end > line && (end[-1] == ' ' || end[-1] == '\t')) end--;
    if (end == line || end[-1] != ')') return NULL;
    char *open = end - 1;
    while (open > line && open[-1] != ' ' && open[-1] != '\t') open--;
    if (*open != '(' || end - open < 3) return NULL;
    if (memchr(open + 1, '(', (size_t)(end - open - 2)) ||
        memchr(open + 1, ')', (size_t)(end - open - 2)))
        return NULL;
    end[-1] = '\0';
    *open = '\0';
    return open + 1;
}

/* Refuse up front, naming FILE:LINE, an utterance too long to align at LEVEL
 * (metrics.h), so that no output is printed for a run that cannot finish. */
static int check_length(const char *path, const transcript *t, metrics_level level)
{
    int n = metrics_count_tokens(t->text, level);
    if (n <= METRICS_MAX_TOKENS) return 0;
    return asr_error("%s:%ld: utterance '%s' has %d %s, more than the limit of %d per utterance "
                     "(alignment time grows as the product of the lengths)",
                     path, t->line, t->id, n, metrics_level_tokens(level), METRICS_MAX_TOKENS);
}

/* Read a Kaldi text or sclite trn file into F, checking the utterance lengths
 * at the levels to be scored; errors name FILE:LINE. */
static int transcript_file_read(const char *path, int normalize, int words, int chars,
                                transcript_file *f)
{
    memset(f, 0, sizeof *f);
    f->path = path;
    line_reader lr;
    if (line_reader_open(&lr, path)) return -1;
    int cap = 0, trn = 0;
    char *line;
    while ((line = line_reader_next(&lr))) {
        char *id, *text;
        if (lr.lineno == 1) {
            char *copy = xstrdup(line);
            trn = trn_split(copy) != NULL;
            free(copy);
        }
        if (trn) {
            text = line;
            id = trn_split(line);
            if (!id) {
                asr_error("%s:%ld: expected 'words ... (uttid)' (the file is read as sclite "
                          "trn because line 1 ends in '(uttid)')",
                          path, lr.lineno);
                goto fail;
            }
        } else {
            id = line + strspn(line, " \t");
            if (!*id) {
                asr_error("%s:%ld: empty line, expected 'uttid words ...'", path, lr.lineno);
                goto fail;
            }
            text = id + strcspn(id, " \t");
            if (*text) *text++ = '\0';
        }
        if (f->n == cap) {
            cap = cap ? 2 * cap : 64;
            f->utt = xrealloc(f->utt, (size_t)cap * sizeof *f->utt);
        }
        transcript *t = &f->utt[f->n++];
        t->id = xstrdup(id);
        t->text = normalize ? textnorm_normalize(text) : xstrdup(text);
        t->line = lr.lineno;
        if ((words && check_length(path, t, METRICS_WORDS)) ||
            (chars && check_length(path, t, METRICS_CHARS)))
            goto fail;
    }
    /* A line over LINE_READER_MAX_LINE, a NUL byte or a read error: the
     * reader's message names FILE:LINE. */
    if (line_reader_error(&lr) < 0) goto fail;
    line_reader_close(&lr);

    f->by_id = xmalloc(((size_t)f->n + 1) * sizeof *f->by_id);
    for (int i = 0; i < f->n; i++) f->by_id[i] = &f->utt[i];
    qsort(f->by_id, (size_t)f->n, sizeof *f->by_id, by_id_cmp);
    for (int i = 1; i < f->n; i++)
        if (!strcmp(f->by_id[i]->id, f->by_id[i - 1]->id)) {
            asr_error("%s:%ld: duplicate utterance id '%s' (first on line %ld)", path,
                      f->by_id[i]->line, f->by_id[i]->id, f->by_id[i - 1]->line);
            transcript_file_free(f);
            return -1;
        }
    return 0;
fail:
    line_reader_close(&lr);
    transcript_file_free(f);
    return -1;
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("asr score: ", stderr);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", score_usage);
    return EXIT_USAGE;
}

int cmd_score(int argc, char **argv)
{
    int details = 0, normalize = 0, words = 1, chars = 0;
    const char *files[2];
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(score_usage, stdout);
            return 0;
        } else if (!strcmp(a, "--details")) {
            details = 1;
        } else if (!strcmp(a, "--normalize")) {
            normalize = 1;
        } else if (!strcmp(a, "--level") || !strncmp(a, "--level=", 8)) {
            const char *v = a[7] == '=' ? a + 8 : (i + 1 < argc ? argv[++i] : "");
            if (!strcmp(v, "word"))
                words = 1, chars = 0;
            else if (!strcmp(v, "char"))
                words = 0, chars = 1;
            else if (!strcmp(v, "both"))
                words = 1, chars = 1;
            else
                return usage_error("--level must be word, char or both, not '%s'", v);
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option '%s'", a);
        } else if (nfiles == 2) {
            return usage_error("unexpected argument '%s' (give exactly REF and HYP)", a);
        } else {
            files[nfiles++] = a;
        }
    }
    if (nfiles != 2) return usage_error("%s", "needs two files, REF and HYP");

    transcript_file ref, hyp;
    if (transcript_file_read(files[0], normalize, words, chars, &ref)) {
        fprintf(stderr, "asr score: %s\n", asr_last_error());
        return 1;
    }
    if (transcript_file_read(files[1], normalize, words, chars, &hyp)) {
        fprintf(stderr, "asr score: %s\n", asr_last_error());
        transcript_file_free(&ref);
        return 1;
    }
    int status = 0;
    for (int i = 0; i < hyp.n; i++)
        if (!transcript_find(&ref, hyp.utt[i].id)) {
            fprintf(stderr, "asr score: %s:%ld: utterance '%s' is not in the reference %s\n",
                    hyp.path, hyp.utt[i].line, hyp.utt[i].id, ref.path);
            status = 1;
        }
    if (status) goto done;

    error_counts wacc = {0}, cacc = {0};
    long missing = 0;
    for (int i = 0; i < ref.n; i++) {
        const transcript *r = &ref.utt[i], *h = transcript_find(&hyp, r->id);
        if (!h) {
            fprintf(stderr,
                    "asr score: warning: %s:%ld: utterance '%s' has no hypothesis in %s; "
                    "scored as all deletions\n",
                    ref.path, r->line, r->id, hyp.path);
            missing++;
        }
        const char *htext = h ? h->text : "";
        /* The lengths were checked on reading, so these cannot fail; if they
         * did, the totals would be wrong, so stop. */
        if ((words &&
             metrics_score(&wacc, r->id, r->text, htext, METRICS_WORDS, details ? stdout : NULL)) ||
            (chars && metrics_score(&cacc, r->id, r->text, htext, METRICS_CHARS,
                                    details && !words ? stdout : NULL))) {
            fprintf(stderr, "asr score: %s:%ld: %s\n", ref.path, r->line, asr_last_error());
            status = 1;
            goto done;
        }
    }
    if (words) metrics_print_rate(stdout, "WER", &wacc);
    if (chars) metrics_print_rate(stdout, "CER", &cacc);
    metrics_print_ser(stdout, words ? &wacc : &cacc);
    printf("Scored %d sentences, %ld not present in hyp.\n", ref.n, missing);
    if (fflush(stdout) || ferror(stdout)) {
        perror("asr score: writing output");
        status = 1;
    }
done:
    transcript_file_free(&ref);
    transcript_file_free(&hyp);
    return status;
}
