/* corpus.c — Kaldi-style data directories: read, check, write, select, split.
 *
 * One checker serves both corpus_read (stop at the first problem, as an
 * error) and corpus_validate (report every problem): each file is parsed into
 * (id, rest, line) records, checked for order and duplicates as written, then
 * the files are joined on the id after sorting copies, so a problem in one file
 * never hides a problem in another.
 */
#include "text/corpus.h"

#include "base/alloc.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/numparse.h"
#include "base/utf8.h"
#include "text/lexicon.h"
#include "base/rng.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- problem reporting ---- */

typedef struct {
    FILE *out;        /* print every problem here, or NULL */
    int count;        /* problems so far */
    char first[1024]; /* the first one, for corpus_read's error */
} reporter;

static void ASR_PRINTF(2, 3) problem(reporter *r, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (r->count++ == 0) snprintf(r->first, sizeof r->first, "%s", msg);
    if (r->out) fprintf(r->out, "%s\n", msg);
}

/* ---- one file of records ---- */

typedef struct {
    char *id;
    char *rest; /* everything after the id, whitespace-normalised; "" if none */
    long line;
} record;

typedef struct {
    const char *name; /* "wav.scp", "text", … */
    const char *key;  /* what its first field is: "utterance id", or "speaker" (spk2utt) */
    char *path;
    record *recs;
    int n;
    int present;
} table;

/* Fields are separated by blanks: space and tab, and the other ASCII white
 * space too, so that a stray '\r' inside a line is not a transcript of its
 * own (written back it would end the line and vanish as a CRLF ending). */
static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Collapse runs of blanks to single spaces and trim both ends, in place. */
static void squeeze(char *s)
{
    char *w = s;
    int space = 1; /* drop leading blanks */
    for (char *p = s; *p; p++) {
        if (is_blank(*p)) {
            if (!space) *w++ = ' ';
            space = 1;
        } else {
            *w++ = *p;
            space = 0;
        }
    }
    if (w > s && w[-1] == ' ') w--;
    *w = 0;
}

/* Where S first fails as a line of a data file, or -1: the offset of a
 * control character (C0 but the blanks fields are split on, DEL, C1:
 * ESC and CSI start the escape sequences a terminal acts on) or, in its
 * first STRICT bytes, of a byte that is not UTF-8. Beyond STRICT any bytes
 * pass: a path names a file, and file names are bytes. */
static long bad_char(const char *s, size_t strict)
{
    for (const char *p = s; *p;) {
        uint32_t cp;
        int len = utf8_decode(p, &cp);
        if (len == 0 && (size_t)(p - s) >= strict) {
            p++;
            continue;
        }
        if (len == 0 || (utf8_is_control(cp) && !is_blank(*p))) return p - s;
        p += len;
    }
    return -1;
}

/* Load DIR/NAME. FIELDS = 2 means exactly "id value" (utt2spk); 0 means "id
 * rest-of-line" (wav.scp, text, phones). NEED says what a directory needs
 * when the file is required, NULL when it is optional. Malformed lines are
 * reported and skipped; order and duplicates are checked afterwards. */
static int table_load(table *t, const char *dir, const char *name, int fields, const char *need,
                      reporter *r)
{
    /* wav.scp's values are paths, which may hold any bytes but control
     * ones; spk2utt's lines begin with a speaker, which (as a value of
     * utt2spk) need not be a plain name. */
    int paths = !strcmp(name, "wav.scp"), speakers = !strcmp(name, "spk2utt");
    memset(t, 0, sizeof *t);
    t->name = name;
    t->key = speakers ? "speaker" : "utterance id";
    size_t len = strlen(dir) + strlen(name) + 2;
    t->path = xmalloc(len);
    snprintf(t->path, len, "%s/%s", dir, name);
    if (!path_exists(t->path)) {
        if (need) problem(r, "%s: missing (%s)", t->path, need);
        return 0;
    }
    /* A FIFO or device here would block or never end. */
    if (!path_is_regular(t->path)) {
        problem(r, "%s: not a regular file", t->path);
        return 0;
    }
    line_reader lr;
    if (line_reader_open(&lr, t->path)) {
        problem(r, "%s", asr_last_error());
        return 0;
    }
    t->present = 1;
    int cap = 0;
    char *line;
    while ((line = line_reader_next(&lr))) {
        char *p = line;
        while (is_blank(*p)) p++;
        if (!*p) {
            problem(r, "%s:%ld: empty line", t->path, lr.lineno);
            continue;
        }
        char *id = p;
        while (*p && !is_blank(*p)) p++;
        /* Text at the door: what passes is printable UTF-8 everywhere it
         * goes (messages, report.json, report.md), wav.scp's paths aside. */
        long at = bad_char(line, paths ? (size_t)(p - line) : SIZE_MAX);
        uint32_t cp;
        if (at >= 0 && utf8_decode(line + at, &cp) == 0) {
            problem(r,
                    "%s:%ld: byte %ld (0x%02x) is not UTF-8 (ids, speakers and transcripts are "
                    "UTF-8 text)",
                    t->path, lr.lineno, at + 1, (unsigned char)line[at]);
            continue;
        }
        if (at >= 0) {
            problem(r,
                    "%s:%ld: byte %ld is the control character U+%04X (ids, speakers, "
                    "transcripts and paths are printable text)",
                    t->path, lr.lineno, at + 1, (unsigned)cp);
            continue;
        }
        char *rest = p;
        if (*p) *rest++ = 0;
        squeeze(rest);
        /* Ids name files (asr noise writes OUT/wav/ID.wav): never a path. */
        if (!speakers && (strchr(id, '/') || !strcmp(id, ".") || !strcmp(id, ".."))) {
            problem(r, "%s:%ld: utterance id '%s' is not a plain name (no '/', '.' or '..')",
                    t->path, lr.lineno, id);
            continue;
        }
        if (fields == 2 && (!*rest || strchr(rest, ' '))) {
            problem(r, "%s:%ld: expected \"utterance-id value\", got %s", t->path, lr.lineno,
                    *rest ? "more than two fields" : "no value");
            continue;
        }
        if (cap == t->n) {
            cap = cap ? 2 * cap : 256;
            t->recs = xrealloc(t->recs, (size_t)cap * sizeof *t->recs);
        }
        t->recs[t->n++] = (record){xstrdup(id), xstrdup(rest), lr.lineno};
    }
    if (line_reader_error(&lr) < 0) problem(r, "%s", asr_last_error());
    line_reader_close(&lr);
    return 0;
}

static void table_free(table *t)
{
    for (int i = 0; i < t->n; i++) {
        free(t->recs[i].id);
        free(t->recs[i].rest);
    }
    free(t->recs);
    free(t->path);
}

static int cmp_record_ptr(const void *a, const void *b)
{
    const record *x = *(const record *const *)a, *y = *(const record *const *)b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* Report order problems as written, then return the records sorted by id
 * with duplicates (all but the first occurrence) removed. */
static record **table_sorted(table *t, reporter *r, int *n_out)
{
    for (int i = 1; i < t->n; i++)
        if (strcmp(t->recs[i - 1].id, t->recs[i].id) > 0)
            problem(r, "%s:%ld: not sorted: '%s' after '%s' (sort with LC_ALL=C sort)", t->path,
                    t->recs[i].line, t->recs[i].id, t->recs[i - 1].id);
    record **s = xmalloc((size_t)(t->n ? t->n : 1) * sizeof *s);
    for (int i = 0; i < t->n; i++) s[i] = &t->recs[i];
    qsort(s, (size_t)t->n, sizeof *s, cmp_record_ptr);
    int m = 0;
    for (int i = 0; i < t->n; i++) {
        if (m && !strcmp(s[m - 1]->id, s[i]->id)) {
            problem(r, "%s:%ld: duplicate %s '%s' (first at line %ld)", t->path, s[i]->line, t->key,
                    s[i]->id, s[m - 1]->line);
            continue;
        }
        s[m++] = s[i];
    }
    *n_out = m;
    return s;
}

/* The index of the record of ID among the sorted S[0..n), or -1. */
static int lookup_index(record **s, int n, const char *id)
{
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2, c = strcmp(s[mid]->id, id);
        if (!c) return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

static record *lookup(record **s, int n, const char *id)
{
    int k = lookup_index(s, n, id);
    return k < 0 ? NULL : s[k];
}

/* A spk2utt T2 (Kaldi's inverse of utt2spk, which tools that adapt per
 * speaker read) must say what utt2spk SPK says, sorted as S[0..n): every
 * utterance listed once, under its own speaker. */
static void check_spk2utt(const table *t2, const table *spk, record **s, int n, reporter *r)
{
    long *seen = xcalloc((size_t)(n ? n : 1), sizeof *seen); /* its spk2utt line */
    for (int i = 0; i < t2->n; i++) {
        const record *g = &t2->recs[i];
        if (!*g->rest)
            problem(r, "%s:%ld: speaker '%s' has no utterances", t2->path, g->line, g->id);
        char *copy = xstrdup(g->rest), *save = NULL;
        for (char *u = strtok_r(copy, " ", &save); u; u = strtok_r(NULL, " ", &save)) {
            int k = lookup_index(s, n, u);
            if (k < 0)
                problem(r, "%s:%ld: '%s' is not in %s", t2->path, g->line, u, spk->name);
            else if (seen[k])
                problem(r, "%s:%ld: '%s' is listed again (first at line %ld)", t2->path, g->line, u,
                        seen[k]);
            else if (strcmp(s[k]->rest, g->id))
                problem(r, "%s:%ld: '%s' is under speaker '%s', but %s:%ld says '%s'", t2->path,
                        g->line, u, g->id, spk->name, s[k]->line, s[k]->rest);
            if (k >= 0 && !seen[k]) seen[k] = g->line;
        }
        free(copy);
    }
    for (int k = 0; k < n; k++)
        if (!seen[k])
            problem(r, "%s:%ld: '%s' (speaker '%s') is missing from %s", spk->path, s[k]->line,
                    s[k]->id, s[k]->rest, t2->name);
    free(seen);
}

/* A segments line's "recid start end" into its parts (REST is modified);
 * -1 when it is not that. End -1 means "to the end of the recording". */
static int parse_segment(char *rest, char **rec, double *start, double *end)
{
    char *save = NULL, *a = strtok_r(rest, " ", &save), *b = strtok_r(NULL, " ", &save),
         *e = strtok_r(NULL, " ", &save);
    if (!a || !b || !e || strtok_r(NULL, " ", &save)) return -1;
    *rec = a;
    /* Decimal seconds (strtod took "0x1" too), at most about 11.6 days into
     * a recording: no overflow into frames. */
    if (parse_double("start", b, 0, 1e6, start) < 0 || parse_double("end", e, -1, 1e6, end) < 0 ||
        *start >= 1e6)
        return -1;
    return *end == -1 || (*end > *start && *end < 1e6) ? 0 : -1;
}

/* The whole check. With C non-NULL, also builds the corpus (when there were
 * no problems). Returns the number of problems. */
static int check_dir(const char *dir, int untranscribed, reporter *r, corpus *c)
{
    enum { WAV, TEXT, SPK, PHONES, SEG, S2U, NT };
    table t[NT];
    const char *need = untranscribed
                           ? "audio to decode needs wav.scp; text and utt2spk are optional"
                           : "a data directory needs wav.scp, text and utt2spk";
    table_load(&t[WAV], dir, "wav.scp", 0, need, r);
    table_load(&t[TEXT], dir, "text", 0, untranscribed ? NULL : need, r);
    table_load(&t[SPK], dir, "utt2spk", 2, untranscribed ? NULL : need, r);
    table_load(&t[PHONES], dir, "phones", 0, NULL, r);
    table_load(&t[SEG], dir, "segments", 0, NULL, r);
    table_load(&t[S2U], dir, "spk2utt", 0, NULL, r);
    record **s[NT];
    int n[NT];
    for (int k = 0; k < NT; k++) s[k] = table_sorted(&t[k], r, &n[k]);
    if (t[S2U].present && t[SPK].present) check_spk2utt(&t[S2U], &t[SPK], s[SPK], n[SPK], r);
    /* Audio to recognise: an empty text file says "no transcripts" too. */
    if (untranscribed && n[TEXT] == 0) t[TEXT].present = 0;
    /* With segments, the utterances are its ids and wav.scp's are recordings. */
    int U = t[SEG].present ? SEG : WAV;
    struct seg {
        char *rec;
        double start, end;
    } *seg = xcalloc((size_t)(n[SEG] ? n[SEG] : 1), sizeof *seg);
    for (int i = 0; i < n[SEG]; i++) {
        record *g = s[SEG][i];
        char *copy = xstrdup(g->rest), *rec;
        if (parse_segment(copy, &rec, &seg[i].start, &seg[i].end) < 0)
            problem(r,
                    "%s:%ld: '%s': expected \"recording-id start end\" (seconds, end > start "
                    "or -1), got '%s'",
                    t[SEG].path, g->line, g->id, g->rest);
        else if (!lookup(s[WAV], n[WAV], rec))
            problem(r, "%s:%ld: '%s': recording '%s' is not in wav.scp", t[SEG].path, g->line,
                    g->id, rec);
        else
            seg[i].rec = xstrdup(rec);
        free(copy);
    }
    if (t[SEG].present && n[SEG] == 0) problem(r, "%s: no utterances", t[SEG].path);

    if (t[WAV].present && n[WAV] == 0) problem(r, "%s: no utterances", t[WAV].path);
    for (int i = 0; i < n[WAV]; i++) {
        record *w = s[WAV][i];
        size_t len = strlen(w->rest);
        if (!len)
            problem(r, "%s:%ld: '%s' has no audio path", t[WAV].path, w->line, w->id);
        else if (w->rest[len - 1] == '|')
            problem(r,
                    "%s:%ld: '%s': piped commands are not run (asr runs no command a data file "
                    "names); asr reads WAV, FLAC and OGG at any rate itself: give the file's "
                    "path, or write the command's output to a file",
                    t[WAV].path, w->line, w->id);
        else if (!path_exists(w->rest))
            problem(r, "%s:%ld: '%s': audio file %s does not exist", t[WAV].path, w->line, w->id,
                    w->rest);
        else if (!path_is_regular(w->rest))
            problem(r, "%s:%ld: '%s': audio file %s is not a regular file (a FIFO or device?)",
                    t[WAV].path, w->line, w->id, w->rest);
    }
    /* Every utterance (id of wav.scp, or of segments) in each other file,
     * and nothing else in them. */
    for (int k = TEXT; k <= PHONES; k++) {
        if (!t[k].present) continue;
        for (int i = 0; i < n[U]; i++)
            if (!lookup(s[k], n[k], s[U][i]->id))
                problem(r, "%s:%ld: '%s' is missing from %s", t[U].path, s[U][i]->line, s[U][i]->id,
                        t[k].name);
        for (int i = 0; i < n[k]; i++)
            if (t[U].present && !lookup(s[U], n[U], s[k][i]->id))
                problem(r, "%s:%ld: '%s' is not in %s", t[k].path, s[k][i]->line, s[k][i]->id,
                        t[U].name);
    }
    /* The phones the pipelines train on: nothing validate accepts may
     * stop asr train later. */
    for (int i = 0; i < n[PHONES]; i++) {
        char *copy = xstrdup(s[PHONES][i]->rest), *save = NULL;
        for (char *ph = strtok_r(copy, " ", &save); ph; ph = strtok_r(NULL, " ", &save))
            if (lexicon_phone_index(ph) < 0) {
                problem(r, "%s:%ld: '%s': '%s' is not one of the 39 ARPAbet phones", t[PHONES].path,
                        s[PHONES][i]->line, s[PHONES][i]->id, ph);
                break;
            }
        free(copy);
    }
    static const int has_words[] = {TEXT, PHONES};
    for (int j = 0; j < 2; j++) {
        int k = has_words[j];
        for (int i = 0; i < n[k]; i++)
            if (!*s[k][i]->rest)
                problem(r, "%s:%ld: '%s': empty %s", t[k].path, s[k][i]->line, s[k][i]->id,
                        k == TEXT ? "transcript" : "phone sequence");
    }

    if (c && r->count == 0) {
        c->n = n[U];
        c->has_phones = t[PHONES].present;
        c->utts = xcalloc((size_t)(c->n ? c->n : 1), sizeof *c->utts);
        for (int i = 0; i < c->n; i++) {
            corpus_utt *u = &c->utts[i];
            const char *id = s[U][i]->id;
            u->id = xstrdup(id);
            u->line = s[U][i]->line;
            if (U == SEG) {
                u->wav = xstrdup(lookup(s[WAV], n[WAV], seg[i].rec)->rest);
                u->recording = xstrdup(seg[i].rec);
                u->start = seg[i].start;
                u->end = seg[i].end;
            } else {
                u->wav = xstrdup(s[WAV][i]->rest);
            }
            u->text = t[TEXT].present ? xstrdup(lookup(s[TEXT], n[TEXT], id)->rest) : NULL;
            /* No utt2spk: each utterance its own speaker (Kaldi's convention). */
            u->speaker = xstrdup(t[SPK].present ? lookup(s[SPK], n[SPK], id)->rest : id);
            u->phones = c->has_phones ? xstrdup(lookup(s[PHONES], n[PHONES], id)->rest) : NULL;
        }
    }
    for (int i = 0; i < n[SEG]; i++) free(seg[i].rec);
    free(seg);
    for (int k = 0; k < NT; k++) {
        free(s[k]);
        table_free(&t[k]);
    }
    return r->count;
}

static int read_dir(const char *dir, int untranscribed, corpus *c)
{
    memset(c, 0, sizeof *c);
    reporter r = {0};
    if (check_dir(dir, untranscribed, &r, c) == 0) return 0;
    if (r.count == 1) return asr_error("%s", r.first);
    return asr_error("%s (and %d more problems: run `asr data validate %s`)", r.first, r.count - 1,
                     dir);
}

int corpus_read(const char *dir, corpus *c)
{
    return read_dir(dir, 0, c);
}

int corpus_read_untranscribed(const char *dir, corpus *c)
{
    return read_dir(dir, 1, c);
}

int corpus_validate(const char *dir, FILE *report)
{
    reporter r = {report, 0, ""};
    return check_dir(dir, 0, &r, NULL);
}

/* ---- building and writing ---- */

void corpus_add(corpus *c, const char *id, const char *wav, const char *text, const char *speaker,
                const char *phones)
{
    c->utts = xrealloc(c->utts, (size_t)(c->n + 1) * sizeof *c->utts);
    corpus_utt *u = &c->utts[c->n++];
    u->id = xstrdup(id);
    u->wav = xstrdup(wav);
    u->text = text ? xstrdup(text) : NULL; /* NULL: untranscribed (corpus_read_untranscribed) */
    u->speaker = xstrdup(speaker);
    u->phones = phones ? xstrdup(phones) : NULL;
    u->recording = NULL;
    u->start = u->end = 0;
    u->line = 0;
}

void corpus_add_utt(corpus *c, const corpus_utt *u)
{
    corpus_add(c, u->id, u->wav, u->text, u->speaker, u->phones);
    corpus_utt *v = &c->utts[c->n - 1];
    if (u->recording) {
        v->recording = xstrdup(u->recording);
        v->start = u->start;
        v->end = u->end;
    }
}

static int cmp_utt(const void *a, const void *b)
{
    return strcmp(((const corpus_utt *)a)->id, ((const corpus_utt *)b)->id);
}

int corpus_sort(corpus *c)
{
    qsort(c->utts, (size_t)c->n, sizeof *c->utts, cmp_utt);
    for (int i = 1; i < c->n; i++)
        if (!strcmp(c->utts[i - 1].id, c->utts[i].id))
            return asr_error("duplicate utterance id '%s'", c->utts[i].id);
    return 0;
}

/* The files of a data directory, in the order corpus_write writes them. */
#define DIR_FILES 6
static const char *const dir_files[DIR_FILES] = {"wav.scp", "text",   "utt2spk",
                                                 "spk2utt", "phones", "segments"};

/* One file of "id value" lines; FIELD picks the value. */
static int write_field(const io_set *io, const char *dir, const char *name, const corpus *c,
                       int field)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *path = xmalloc(len);
    snprintf(path, len, "%s/%s", dir, name);
    atomic_file af;
    if (atomic_file_open(&af, io, path, "w")) {
        free(path);
        return -1;
    }
    for (int i = 0; i < c->n; i++) {
        const corpus_utt *u = &c->utts[i];
        const char *v = field == 0   ? u->wav
                        : field == 1 ? u->text
                        : field == 2 ? u->speaker
                                     : u->phones;
        fprintf(af.fp, "%s%s%s\n", u->id, *v ? " " : "", v);
    }
    free(path);
    return atomic_file_commit(&af);
}

static const corpus *spk_order_corpus; /* qsort has no context argument */

static int by_speaker(const void *a, const void *b)
{
    const corpus_utt *u = &spk_order_corpus->utts[*(const int *)a],
                     *v = &spk_order_corpus->utts[*(const int *)b];
    int k = strcmp(u->speaker, v->speaker);
    return k ? k : strcmp(u->id, v->id);
}

/* Kaldi's spk2utt: "speaker utt1 utt2 ..." per speaker, speakers sorted, the
 * inverse of utt2spk (which tools that adapt per speaker read). */
static int write_spk2utt(const io_set *io, const char *dir, const corpus *c)
{
    int *order = xmalloc((size_t)(c->n ? c->n : 1) * sizeof *order);
    for (int i = 0; i < c->n; i++) order[i] = i;
    spk_order_corpus = c;
    qsort(order, (size_t)c->n, sizeof *order, by_speaker);
    char *path = path_join(dir, "spk2utt");
    atomic_file af;
    int rc = atomic_file_open(&af, io, path, "w");
    free(path);
    if (rc == 0) {
        for (int i = 0; i < c->n; i++) {
            const corpus_utt *u = &c->utts[order[i]];
            int first = i == 0 || strcmp(u->speaker, c->utts[order[i - 1]].speaker);
            if (first) fprintf(af.fp, "%s%s", i ? "\n" : "", u->speaker);
            fprintf(af.fp, " %s", u->id);
        }
        if (c->n) fputc('\n', af.fp);
        rc = atomic_file_commit(&af);
    }
    free(order);
    return rc;
}

/* Seconds as short as they read back exactly ("0.5", not "0.50000000000000000"). */
static const char *fmt_seconds(char buf[32], double v)
{
    snprintf(buf, 32, "%.15g", v);
    if (strtod(buf, NULL) != v) snprintf(buf, 32, "%.17g", v);
    return buf;
}

static int by_recording(const void *a, const void *b)
{
    const corpus_utt *u = *(const corpus_utt *const *)a, *v = *(const corpus_utt *const *)b;
    return strcmp(u->recording ? u->recording : u->id, v->recording ? v->recording : v->id);
}

/* A corpus with segments: wav.scp of its recordings (one line each, sorted),
 * and segments; an utterance without one is a whole recording of its own. */
static int write_segments(const io_set *io, const char *dir, const corpus *c)
{
    const corpus_utt **order = xmalloc((size_t)c->n * sizeof *order);
    for (int i = 0; i < c->n; i++) order[i] = &c->utts[i];
    qsort(order, (size_t)c->n, sizeof *order, by_recording);
    int rc = 0;
    for (int i = 1; i < c->n && rc == 0; i++) {
        const corpus_utt *a = order[i - 1], *b = order[i];
        if (!by_recording(&order[i - 1], &order[i]) && strcmp(a->wav, b->wav))
            rc = asr_error("%s: recording '%s' is both %s and %s", dir,
                           b->recording ? b->recording : b->id, a->wav, b->wav);
    }
    char *path = path_join(dir, "wav.scp");
    atomic_file af;
    if (rc == 0 && (rc = atomic_file_open(&af, io, path, "w")) == 0) {
        for (int i = 0; i < c->n; i++)
            if (i == 0 || by_recording(&order[i - 1], &order[i]))
                fprintf(af.fp, "%s %s\n", order[i]->recording ? order[i]->recording : order[i]->id,
                        order[i]->wav);
        rc = atomic_file_commit(&af);
    }
    free(path);
    free(order);
    path = path_join(dir, "segments");
    if (rc == 0 && (rc = atomic_file_open(&af, io, path, "w")) == 0) {
        for (int i = 0; i < c->n; i++) {
            const corpus_utt *u = &c->utts[i];
            char a[32], b[32];
            if (u->recording)
                fprintf(af.fp, "%s %s %s %s\n", u->id, u->recording, fmt_seconds(a, u->start),
                        fmt_seconds(b, u->end));
            else
                fprintf(af.fp, "%s %s 0 -1\n", u->id, u->id);
        }
        rc = atomic_file_commit(&af);
    }
    free(path);
    return rc;
}

/* Remove DIR/NAME, a file that would no longer match (an output of IO). */
static int remove_stale(const io_set *io, const char *dir, const char *name)
{
    char *p = path_join(dir, name);
    int rc = io_set_claim(io, p);
    if (rc == 0) remove(p);
    free(p);
    return rc;
}

int corpus_write(const io_set *io, const char *dir, const corpus *c)
{
    for (int i = 1; i < c->n; i++)
        if (strcmp(c->utts[i - 1].id, c->utts[i].id) >= 0)
            return asr_error("%s: utterances not sorted/unique at '%s' (call corpus_sort)", dir,
                             c->utts[i].id);
    if (c->has_phones)
        for (int i = 0; i < c->n; i++)
            if (!c->utts[i].phones)
                return asr_error("%s: '%s' has no phone sequence", dir, c->utts[i].id);
    if (make_dirs(dir)) return -1;
    int segmented = 0;
    for (int i = 0; i < c->n; i++) segmented |= c->utts[i].recording != NULL;
    if ((segmented ? write_segments(io, dir, c) : write_field(io, dir, "wav.scp", c, 0)) ||
        write_field(io, dir, "text", c, 1) || write_field(io, dir, "utt2spk", c, 2) ||
        write_spk2utt(io, dir, c) || (c->has_phones && write_field(io, dir, "phones", c, 3)))
        return -1;
    if ((!segmented && remove_stale(io, dir, "segments") < 0) ||
        (!c->has_phones && remove_stale(io, dir, "phones") < 0))
        return -1;
    return 0;
}

int corpus_find(const corpus *c, const char *id)
{
    int lo = 0, hi = c->n - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2, k = strcmp(c->utts[mid].id, id);
        if (!k) return mid;
        if (k < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

void corpus_select(const corpus *in, const unsigned char *keep, corpus *out)
{
    memset(out, 0, sizeof *out);
    out->has_phones = in->has_phones;
    for (int i = 0; i < in->n; i++)
        if (keep[i]) {
            corpus_add_utt(out, &in->utts[i]);
        }
}

static int cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int corpus_speakers(const corpus *c, char ***names)
{
    const char **all = xmalloc((size_t)(c->n ? c->n : 1) * sizeof *all);
    for (int i = 0; i < c->n; i++) all[i] = c->utts[i].speaker;
    qsort(all, (size_t)c->n, sizeof *all, cmp_str_ptr);
    int m = 0;
    for (int i = 0; i < c->n; i++)
        if (!m || strcmp(all[m - 1], all[i])) all[m++] = all[i];
    *names = xmalloc((size_t)(m ? m : 1) * sizeof **names);
    for (int i = 0; i < m; i++) (*names)[i] = xstrdup(all[i]);
    free(all);
    return m;
}

/* Largest-remainder rounding of FRAC[k] * N to integers summing to N, so the
 * parts always cover everything. */
static void apportion(int n, const double *frac, int k, int *count)
{
    double total = 0;
    for (int j = 0; j < k; j++) total += frac[j];
    int given = 0;
    double rem[CORPUS_MAX_PARTS];
    for (int j = 0; j < k; j++) {
        double want = total > 0 ? n * frac[j] / total : 0;
        count[j] = (int)want;
        rem[j] = want - count[j];
        given += count[j];
    }
    while (given < n) {
        int best = 0;
        for (int j = 1; j < k; j++)
            if (rem[j] > rem[best]) best = j;
        count[best]++;
        rem[best] = -1;
        given++;
    }
}

/* An error if a part of fraction > 0 got no unit of the N (COUNT[j] each). */
static int check_nonempty(int n, int by_speaker, const double *frac, int k, char *const *names,
                          const int *count)
{
    int empty = 0;
    while (empty < k && (count[empty] > 0 || frac[empty] == 0)) empty++;
    if (empty == k) return 0;
    char shares[512], part[32];
    size_t at = 0;
    shares[0] = '\0';
    for (int j = 0; j < k && at < sizeof shares; j++) {
        snprintf(part, sizeof part, "part %d", j + 1);
        at += (size_t)snprintf(shares + at, sizeof shares - at, "%s%s %g: %d", j ? ", " : "",
                               names ? names[j] : part, frac[j], count[j]);
    }
    snprintf(part, sizeof part, "part %d", empty + 1);
    const char *unit = by_speaker ? "speaker" : "utterance";
    return asr_error("split: %s would be empty: %d %s%s cannot fill %d parts by %s with these "
                     "fractions (%s); give more %ss%s, fewer parts, or %s a fraction of 0",
                     names ? names[empty] : part, n, unit, n == 1 ? "" : "s", k, unit, shares, unit,
                     by_speaker ? ", --by utterance" : "", names ? names[empty] : part);
}

int corpus_split(const corpus *in, int by_speaker, const double *frac, int k, uint64_t seed,
                 char *const *names, corpus *parts)
{
    if (k < 1 || k > CORPUS_MAX_PARTS) return asr_error("split: 1 to %d parts", CORPUS_MAX_PARTS);
    for (int j = 0; j < k; j++)
        if (!(frac[j] >= 0)) return asr_error("split: fraction %d is negative", j + 1);
    rng_state r;
    rng_seed(&r, seed);
    /* Units are speakers or utterances; shuffle them, deal them out in order. */
    char **spk = NULL;
    int nunits = by_speaker ? corpus_speakers(in, &spk) : in->n;
    int *order = xmalloc((size_t)(nunits ? nunits : 1) * sizeof *order);
    for (int i = 0; i < nunits; i++) order[i] = i;
    rng_shuffle_int(&r, order, nunits);
    int count[CORPUS_MAX_PARTS];
    apportion(nunits, frac, k, count);
    if (check_nonempty(nunits, by_speaker, frac, k, names, count) < 0) {
        for (int i = 0; i < (by_speaker ? nunits : 0); i++) free(spk[i]);
        free(spk);
        free(order);
        return -1;
    }
    int *part_of = xmalloc((size_t)(nunits ? nunits : 1) * sizeof *part_of);
    for (int j = 0, pos = 0; j < k; j++)
        for (int i = 0; i < count[j]; i++) part_of[order[pos++]] = j;
    unsigned char *keep = xmalloc((size_t)(in->n ? in->n : 1));
    for (int j = 0; j < k; j++) {
        for (int i = 0; i < in->n; i++) {
            int unit = i;
            if (by_speaker) { /* index of this utterance's speaker in the sorted list */
                int lo = 0, hi = nunits - 1;
                while (lo < hi) {
                    int mid = (lo + hi) / 2;
                    if (strcmp(spk[mid], in->utts[i].speaker) < 0)
                        lo = mid + 1;
                    else
                        hi = mid;
                }
                unit = lo;
            }
            keep[i] = part_of[unit] == j;
        }
        corpus_select(in, keep, &parts[j]);
    }
    for (int i = 0; i < (by_speaker ? nunits : 0); i++) free(spk[i]);
    free(spk);
    free(order);
    free(part_of);
    free(keep);
    return 0;
}

int corpus_add_inputs(io_set *io, const char *dir, const corpus *c)
{
    int rc = io_set_input(io, dir);
    for (int k = 0; k < DIR_FILES && rc == 0; k++) {
        char *p = path_join(dir, dir_files[k]);
        rc = io_set_input(io, p);
        free(p);
    }
    for (int i = 0; c && i < c->n && rc == 0; i++) rc = io_set_input(io, c->utts[i].wav);
    return rc;
}

int corpus_declare_output(io_set *io, const char *dir)
{
    char *what = xmalloc(strlen(dir) + 32);
    sprintf(what, "the data directory %s", dir);
    int rc = 0;
    for (int k = 0; k < DIR_FILES && rc == 0; k++) {
        char *p = path_join(dir, dir_files[k]);
        rc = io_set_output(io, p, what);
        free(p);
    }
    free(what);
    return rc;
}

void corpus_free(corpus *c)
{
    for (int i = 0; i < c->n; i++) {
        free(c->utts[i].id);
        free(c->utts[i].wav);
        free(c->utts[i].text);
        free(c->utts[i].speaker);
        free(c->utts[i].phones);
        free(c->utts[i].recording);
    }
    free(c->utts);
    memset(c, 0, sizeof *c);
}
