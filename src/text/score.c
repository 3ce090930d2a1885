/* score.c — scoring a hypothesis file against a reference file; see score.h. */
#include "text/score.h"

#include "base/alloc.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/log.h"
#include "text/textnorm.h"

#include <stdlib.h>
#include <string.h>

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
                     path, t->line, asr_quote(t->id), n, metrics_level_tokens(level),
                     METRICS_MAX_TOKENS);
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
                      f->by_id[i]->line, asr_quote(f->by_id[i]->id), f->by_id[i - 1]->line);
            transcript_file_free(f);
            return -1;
        }
    return 0;
fail:
    line_reader_close(&lr);
    transcript_file_free(f);
    return -1;
}

/* Every hypothesis must have a reference. */
static int check_ids(const transcript_file *ref, const transcript_file *hyp)
{
    for (int i = 0; i < hyp->n; i++)
        if (!transcript_find(ref, hyp->utt[i].id))
            return asr_error("%s:%ld: utterance '%s' is not in the reference %s", hyp->path,
                             hyp->utt[i].line, asr_quote(hyp->utt[i].id), ref->path);
    return 0;
}

/* The totals over REF's utterances (REF order); a missing hypothesis is all
 * deletions, said as a warning. */
static int score_all(const score_job *j, const transcript_file *ref, const transcript_file *hyp,
                     score_result *r)
{
    for (int i = 0; i < ref->n; i++) {
        const transcript *t = &ref->utt[i], *h = transcript_find(hyp, t->id);
        if (!h) {
            asr_log(ASR_LOG_WARNING,
                    "score: warning: %s:%ld: utterance '%s' has no hypothesis in %s; scored as "
                    "all deletions",
                    ref->path, t->line, asr_quote(t->id), hyp->path);
            r->missing++;
        }
        const char *htext = h ? h->text : "";
        long e0 = error_counts_errors(&r->words), n0 = r->words.n_ref;
        /* The lengths were checked on reading, so these cannot fail; if they
         * did, the totals would be wrong, so stop. */
        if ((j->words &&
             metrics_score(&r->words, t->id, t->text, htext, METRICS_WORDS, j->details)) ||
            (j->chars && metrics_score(&r->chars, t->id, t->text, htext, METRICS_CHARS,
                                       j->words ? NULL : j->details)))
            return asr_error("%s:%ld: %s", ref->path, t->line, asr_last_error());
        if (j->words) {
            r->utt_errors[i] = (int)(error_counts_errors(&r->words) - e0);
            r->utt_ref[i] = (int)(r->words.n_ref - n0);
        }
    }
    r->sentences = ref->n;
    return 0;
}

int score_files(const score_job *j, score_result *r)
{
    memset(r, 0, sizeof *r);
    transcript_file ref, hyp;
    if (transcript_file_read(j->ref, j->normalize, j->words, j->chars, &ref) < 0) return -1;
    if (transcript_file_read(j->hyp, j->normalize, j->words, j->chars, &hyp) < 0) {
        transcript_file_free(&ref);
        return -1;
    }
    int rc = check_ids(&ref, &hyp);
    r->utt_errors = xcalloc((size_t)ref.n + 1, sizeof(int));
    r->utt_ref = xcalloc((size_t)ref.n + 1, sizeof(int));
    if (rc == 0) rc = score_all(j, &ref, &hyp, r);
    if (rc < 0) score_result_free(r);
    transcript_file_free(&ref);
    transcript_file_free(&hyp);
    return rc;
}

void score_result_free(score_result *r)
{
    free(r->utt_errors);
    free(r->utt_ref);
    r->utt_errors = r->utt_ref = NULL;
}

int score_against(const score_job *j, const score_result *mine, const char *against,
                  double *wer_against, bootstrap_result *r)
{
    score_job other = *j;
    other.hyp = against;
    other.words = 1;
    other.chars = 0;
    other.details = NULL;
    score_result o;
    if (score_files(&other, &o) < 0) return -1;
    *wer_against = metrics_rate(error_counts_errors(&o.words), o.words.n_ref);
    bootstrap_config c;
    bootstrap_config_default(&c);
    int rc = bootstrap_wer(mine->utt_errors, o.utt_errors, o.utt_ref, NULL, o.sentences, &c, r);
    score_result_free(&o);
    return rc;
}
