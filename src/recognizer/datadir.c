/* datadir.c — validate, split, subset and combine data directories; see datadir.h. */
#include "recognizer/datadir.h"

#include "base/alloc.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/out_dir.h"
#include "recognizer/feats_ark.h"

#include <stdlib.h>
#include <string.h>

static void summarise(const corpus *c, datadir_summary *s)
{
    char **spk;
    s->speakers = corpus_speakers(c, &spk);
    for (int i = 0; i < s->speakers; i++) free(spk[i]);
    free(spk);
    s->utterances = c->n;
    s->has_phones = c->has_phones;
}

/* Write C as data directory DIR (its files declared in IO): locked, so that
 * a second command writing DIR at the same time fails. */
static int write_dir(const io_set *io, const char *dir, const corpus *c)
{
    dir_lock l;
    if (dir_lock_acquire(&l, dir) < 0) return -1;
    int rc = corpus_write(io, dir, c);
    dir_lock_release(&l);
    return rc;
}

int datadir_validate(const char *dir, int check_audio, FILE *report, datadir_summary *s)
{
    memset(s, 0, sizeof *s);
    int problems = corpus_validate(dir, report);
    corpus c;
    if (problems || corpus_read(dir, &c) < 0) return problems ? problems : 1;
    /* The audio through the check training and decoding apply (a 1-sample
     * file, a 10 ms segment give no frame), with the frame of every
     * pipeline's defaults (25 ms), at each file's own rate. */
    features_config cfg;
    features_config_default(&cfg);
    cfg.rate = 0;
    for (int i = 0; check_audio && i < c.n; i++) {
        const corpus_utt *u = &c.utts[i];
        audio a;
        if (feats_read_utt_audio(&cfg, u, &a) < 0) {
            fprintf(report, "%s/%s:%ld: '%s': %s\n", dir, u->recording ? "segments" : "wav.scp",
                    u->line, u->id, asr_last_error());
            problems++;
            continue;
        }
        s->seconds += (double)a.n / a.rate;
        audio_free(&a);
    }
    summarise(&c, s);
    corpus_free(&c);
    return problems;
}

int datadir_split(const datadir_split_job *j, datadir_summary *parts)
{
    corpus in, part[CORPUS_MAX_PARTS];
    if (j->k < 1 || j->k > CORPUS_MAX_PARTS)
        return asr_error("split: 1 to %d parts", CORPUS_MAX_PARTS);
    if (corpus_read(j->in, &in) < 0) return -1;
    char *dir[CORPUS_MAX_PARTS];
    int rc = corpus_add_inputs(j->io, j->in, &in);
    /* Every part's files are declared before the first is written. */
    for (int p = 0; p < j->k; p++) {
        dir[p] = path_join(j->outdir, j->names[p]);
        if (rc == 0) rc = corpus_declare_output(j->io, dir[p]);
    }
    if (rc == 0) rc = corpus_split(&in, j->by_speaker, j->fractions, j->k, j->seed, j->names, part);
    int made = rc == 0;
    for (int p = 0; p < j->k && rc == 0; p++) {
        rc = write_dir(j->io, dir[p], &part[p]);
        summarise(&part[p], &parts[p]);
    }
    for (int p = 0; p < j->k; p++) {
        if (made) corpus_free(&part[p]);
        free(dir[p]);
    }
    corpus_free(&in);
    return rc;
}

/* The names listed in PATH, one per line (blank lines ignored). */
static int read_list(const char *path, char ***items)
{
    line_reader lr;
    if (line_reader_open(&lr, path)) return -1;
    int n = 0, rc = 0;
    *items = NULL;
    char *line, *f[2];
    while (rc == 0 && (line = line_reader_next(&lr))) {
        int nf = split_fields(line, f, 2);
        if (nf == 0) continue;
        if (nf > 1) {
            rc = asr_error("%s:%ld: one item per line expected", path, lr.lineno);
            break;
        }
        *items = xrealloc(*items, (size_t)(n + 1) * sizeof **items);
        (*items)[n++] = xstrdup(f[0]);
    }
    if (rc == 0) rc = line_reader_error(&lr);
    line_reader_close(&lr);
    if (rc == 0) return n;
    for (int i = 0; i < n; i++) free((*items)[i]);
    free(*items);
    *items = NULL;
    return -1;
}

static int in_list(char *const *items, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(items[i], s)) return 1;
    return 0;
}

/* Which utterances of IN the selection keeps; -1 naming a listed name that
 * matches nothing. */
static int select_utts(const corpus *in, subset_kind kind, char *const *items, int nitems,
                       int first, const char *list, const char *dir, unsigned char *keep)
{
    for (int i = 0; i < in->n; i++)
        keep[i] = kind == SUBSET_FIRST
                      ? i < first
                      : in_list(items, nitems,
                                kind == SUBSET_SPEAKERS ? in->utts[i].speaker : in->utts[i].id);
    for (int j = 0; j < nitems; j++) {
        int found = 0;
        for (int i = 0; i < in->n && !found; i++)
            found =
                !strcmp(items[j], kind == SUBSET_SPEAKERS ? in->utts[i].speaker : in->utts[i].id);
        if (!found)
            return asr_error("%s: %s '%s' is not in %s", list,
                             kind == SUBSET_SPEAKERS ? "speaker" : "utterance", asr_quote(items[j]),
                             dir);
    }
    return 0;
}

int datadir_subset(io_set *io, const char *in_dir, const char *out_dir, subset_kind kind,
                   const char *list, int first, int *kept, int *total)
{
    corpus in, out;
    if (corpus_read(in_dir, &in) < 0) return -1;
    char **items = NULL;
    int nitems = kind == SUBSET_FIRST ? 0 : read_list(list, &items);
    unsigned char *keep = xcalloc((size_t)(in.n ? in.n : 1), 1);
    int rc = nitems < 0 ? -1 : select_utts(&in, kind, items, nitems, first, list, in_dir, keep);
    if (rc == 0 && (corpus_add_inputs(io, in_dir, &in) < 0 ||
                    (list && io_set_input(io, list) < 0) || corpus_declare_output(io, out_dir) < 0))
        rc = -1;
    if (rc == 0) {
        corpus_select(&in, keep, &out);
        rc = write_dir(io, out_dir, &out);
        *kept = out.n;
        *total = in.n;
        corpus_free(&out);
    }
    for (int j = 0; j < nitems; j++) free(items[j]);
    free(items);
    free(keep);
    corpus_free(&in);
    return rc;
}

int datadir_combine(io_set *io, const char *out, char *const *ins, int n, datadir_summary *s)
{
    corpus all = {0};
    all.has_phones = 1;
    int rc = corpus_declare_output(io, out);
    for (int i = 0; i < n && rc == 0; i++) {
        corpus c;
        if ((rc = corpus_read(ins[i], &c)) < 0) break;
        rc = corpus_add_inputs(io, ins[i], &c);
        if (!c.has_phones) all.has_phones = 0;
        for (int j = 0; j < c.n; j++) {
            const corpus_utt *u = &c.utts[j];
            corpus_add_utt(&all, u);
        }
        corpus_free(&c);
    }
    if (rc == 0 && corpus_sort(&all) < 0) rc = asr_error("combine: %s", asr_last_error());
    if (rc == 0) rc = write_dir(io, out, &all);
    if (rc == 0) summarise(&all, s);
    corpus_free(&all);
    return rc;
}
