/* cmd_data.c — `asr data`: validate, split, subset and combine data directories. */
#include "base/alloc.h"
#include "signal/audio.h"
#include "cli/commands.h"
#include "text/corpus.h"
#include "base/error.h"
#include "base/fileio.h"
#include "base/input_set.h"
#include "base/numparse.h"
#include "base/out_dir.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char data_usage[] =
    "usage: asr data validate [--check-audio] DIR\n"
    "       asr data split [--by speaker|utterance] [--fractions F,F,...] [--names N,N,...]\n"
    "                      [--seed N] IN OUTDIR\n"
    "       asr data subset (--speakers FILE | --utterances FILE | --first N) IN OUT\n"
    "       asr data combine OUT IN [IN...]\n"
    "\n"
    "Kaldi-style data directories: wav.scp, text, utt2spk, optional phones, each\n"
    "sorted by utterance id (LC_ALL=C sort).\n"
    "\n"
    "validate  reports every problem as FILE:LINE (unsorted or duplicate ids, ids\n"
    "          missing from a file, missing audio, empty transcripts); with\n"
    "          --check-audio also decodes every audio file. Exit 1 if any problem.\n"
    "split     writes OUTDIR/train, train_dev, dev, test (or --names) with sizes\n"
    "          proportional to --fractions (default 0.8,0.05,0.1,0.05), dealing out\n"
    "          whole speakers (--by speaker, default) or utterances, shuffled by --seed\n"
    "          (default 1).\n"
    "subset    keeps the utterances of the speakers / utterance ids listed one per\n"
    "          line in FILE, or the first N utterances.\n"
    "combine   merges directories; an utterance id in two inputs is an error. The\n"
    "          result has a phones file only if every input has one.\n";

static int usage_error(const char *msg)
{
    fprintf(stderr, "asr data: %s\n%s", msg, data_usage);
    return EXIT_USAGE;
}

static int fail(void)
{
    fprintf(stderr, "asr data: %s\n", asr_last_error());
    return 1;
}

/* Write C as data directory DIR: never over one of the command's inputs IN,
 * and locked, so that a second command writing DIR at the same time fails. */
static int write_dir(const char *dir, const corpus *c, const input_set *in)
{
    if (corpus_check_output(in, dir) < 0) return -1;
    dir_lock l;
    if (dir_lock_acquire(&l, dir) < 0) return -1;
    int rc = corpus_write(dir, c);
    dir_lock_release(&l);
    return rc;
}

static int data_validate(int argc, char **argv)
{
    int check_audio = 0;
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--check-audio"))
            check_audio = 1;
        else if (argv[i][0] == '-' || dir)
            return usage_error("validate takes [--check-audio] DIR");
        else
            dir = argv[i];
    }
    if (!dir) return usage_error("validate needs a directory");
    int problems = corpus_validate(dir, stdout);
    if (problems) {
        printf("%s: %d problem%s\n", dir, problems, problems == 1 ? "" : "s");
        return 1;
    }
    corpus c;
    if (corpus_read(dir, &c)) return fail();
    double seconds = 0;
    if (check_audio) {
        for (int i = 0; i < c.n; i++) {
            audio a;
            if (audio_read(c.utts[i].wav, 0, &a)) {
                printf("%s/wav.scp: '%s': %s\n", dir, c.utts[i].id, asr_last_error());
                problems++;
                continue;
            }
            seconds += (double)a.n / a.rate;
            audio_free(&a);
        }
    }
    char **spk;
    int nspk = corpus_speakers(&c, &spk);
    for (int i = 0; i < nspk; i++) free(spk[i]);
    free(spk);
    if (problems)
        printf("%s: %d problem%s\n", dir, problems, problems == 1 ? "" : "s");
    else if (check_audio)
        printf("%s: valid: %d utterances, %d speakers, %.1f minutes of audio%s\n", dir, c.n, nspk,
               seconds / 60, c.has_phones ? ", phones" : "");
    else
        printf("%s: valid: %d utterances, %d speakers%s\n", dir, c.n, nspk,
               c.has_phones ? ", phones" : "");
    corpus_free(&c);
    return problems ? 1 : 0;
}

/* Parse "a,b,c" into at most MAX strings (pointers into a copy, *buf). */
static int split_list(const char *s, char **items, int max, char **buf)
{
    *buf = xstrdup(s);
    int n = 0;
    for (char *p = *buf, *tok; (tok = strsep(&p, ","));) {
        if (n == max || !*tok) return -1;
        items[n++] = tok;
    }
    return n;
}

static int data_split(int argc, char **argv)
{
    int by_speaker = 1;
    uint64_t seed = 1;
    const char *fracs = "0.8,0.05,0.1,0.05", *names = "train,train_dev,dev,test";
    const char *pos[2];
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(a, "--by") && more) {
            const char *v = argv[++i];
            if (!strcmp(v, "speaker"))
                by_speaker = 1;
            else if (!strcmp(v, "utterance"))
                by_speaker = 0;
            else
                return usage_error("--by takes speaker or utterance");
        } else if (!strcmp(a, "--fractions") && more) {
            fracs = argv[++i];
        } else if (!strcmp(a, "--names") && more) {
            names = argv[++i];
        } else if (!strcmp(a, "--seed") && more) {
            if (parse_u64("--seed", argv[++i], &seed) < 0) return usage_error(asr_last_error());
        } else if (a[0] == '-' || npos == 2) {
            return usage_error("split: unknown option or extra argument");
        } else {
            pos[npos++] = a;
        }
    }
    if (npos != 2) return usage_error("split needs IN and OUTDIR");
    char *fitems[CORPUS_MAX_PARTS], *nitems[CORPUS_MAX_PARTS], *fbuf, *nbuf;
    int nf = split_list(fracs, fitems, CORPUS_MAX_PARTS, &fbuf);
    int nn = split_list(names, nitems, CORPUS_MAX_PARTS, &nbuf);
    int rc = EXIT_USAGE;
    double frac[CORPUS_MAX_PARTS], total = 0;
    if (nf < 1 || nn != nf) {
        usage_error("--fractions and --names need the same number (1-8) of comma-separated items");
        goto out;
    }
    for (int j = 0; j < nf; j++) {
        if (parse_double("--fractions: item", fitems[j], 0, 1e6, &frac[j]) < 0) {
            usage_error(asr_last_error());
            goto out;
        }
        total += frac[j];
    }
    /* Names become directories under OUTDIR: one path component each, all
     * different, or two parts would land in one directory. */
    for (int j = 0; j < nn; j++) {
        if (!strcmp(nitems[j], ".") || !strcmp(nitems[j], "..") || strchr(nitems[j], '/')) {
            char msg[256];
            snprintf(msg, sizeof msg, "--names: '%.100s' is not a plain directory name", nitems[j]);
            usage_error(msg);
            goto out;
        }
        for (int k = 0; k < j; k++)
            if (!strcmp(nitems[j], nitems[k])) {
                char msg[256];
                snprintf(msg, sizeof msg, "--names: '%.100s' is given twice", nitems[j]);
                usage_error(msg);
                goto out;
            }
    }
    if (total <= 0) {
        usage_error("--fractions: the fractions sum to zero");
        goto out;
    }
    rc = 1;
    corpus in, parts[CORPUS_MAX_PARTS];
    if (corpus_read(pos[0], &in)) {
        fail();
        goto out;
    }
    input_set inputs;
    input_set_init(&inputs);
    corpus_add_inputs(&inputs, pos[0], &in);
    if (!corpus_split(&in, by_speaker, frac, nf, seed, parts)) {
        rc = 0;
        for (int j = 0; j < nf; j++) {
            size_t len = strlen(pos[1]) + strlen(nitems[j]) + 2;
            char *dir = xmalloc(len);
            snprintf(dir, len, "%s/%s", pos[1], nitems[j]);
            if (rc == 0 && write_dir(dir, &parts[j], &inputs)) rc = fail();
            if (rc == 0) {
                char **spk;
                int nspk = corpus_speakers(&parts[j], &spk);
                for (int i = 0; i < nspk; i++) free(spk[i]);
                free(spk);
                printf("%s: %d utterances, %d speakers\n", dir, parts[j].n, nspk);
            }
            free(dir);
            corpus_free(&parts[j]);
        }
    } else {
        fail();
    }
    input_set_free(&inputs);
    corpus_free(&in);
out:
    free(fbuf);
    free(nbuf);
    return rc;
}

/* Read a list file (one item per line, blank lines ignored), sorted. */
static int read_list(const char *path, char ***items)
{
    line_reader lr;
    if (line_reader_open(&lr, path)) return -1;
    int n = 0;
    *items = NULL;
    char *line, *f[2];
    while ((line = line_reader_next(&lr))) {
        int nf = split_fields(line, f, 2);
        if (nf == 0) continue;
        if (nf > 1) {
            asr_error("%s:%ld: one item per line expected", path, lr.lineno);
            line_reader_close(&lr);
            return -1;
        }
        *items = xrealloc(*items, (size_t)(n + 1) * sizeof **items);
        (*items)[n++] = xstrdup(f[0]);
    }
    if (line_reader_error(&lr) < 0) {
        line_reader_close(&lr);
        for (int i = 0; i < n; i++) free((*items)[i]);
        free(*items);
        *items = NULL;
        return -1;
    }
    line_reader_close(&lr);
    return n;
}

static int in_list(char **items, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(items[i], s)) return 1;
    return 0;
}

static int data_subset(int argc, char **argv)
{
    const char *spk_file = NULL, *utt_file = NULL, *pos[2];
    long first = -1;
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(a, "--speakers") && more)
            spk_file = argv[++i];
        else if (!strcmp(a, "--utterances") && more)
            utt_file = argv[++i];
        else if (!strcmp(a, "--first") && more) {
            int f;
            if (parse_int("--first", argv[++i], 0, INT_MAX, &f) < 0)
                return usage_error(asr_last_error());
            first = f;
        } else if (a[0] == '-' || npos == 2)
            return usage_error("subset: unknown option or extra argument");
        else
            pos[npos++] = a;
    }
    if (npos != 2) return usage_error("subset needs IN and OUT");
    if ((spk_file != NULL) + (utt_file != NULL) + (first >= 0) != 1)
        return usage_error("subset needs exactly one of --speakers, --utterances, --first");
    corpus in, out;
    if (corpus_read(pos[0], &in)) return fail();
    char **items = NULL;
    int nitems = 0;
    if (spk_file || utt_file) {
        nitems = read_list(spk_file ? spk_file : utt_file, &items);
        if (nitems < 0) {
            corpus_free(&in);
            return fail();
        }
    }
    unsigned char *keep = xcalloc((size_t)(in.n ? in.n : 1), 1);
    int kept = 0;
    for (int i = 0; i < in.n; i++) {
        if (first >= 0)
            keep[i] = i < first;
        else
            keep[i] = in_list(items, nitems, spk_file ? in.utts[i].speaker : in.utts[i].id);
        kept += keep[i];
    }
    int rc = 0;
    /* A listed name that matches nothing is almost always a typo. */
    for (int j = 0; j < nitems; j++) {
        int found = 0;
        for (int i = 0; i < in.n && !found; i++)
            found = !strcmp(items[j], spk_file ? in.utts[i].speaker : in.utts[i].id);
        if (!found) {
            fprintf(stderr, "asr data: %s: %s '%s' is not in %s\n", spk_file ? spk_file : utt_file,
                    spk_file ? "speaker" : "utterance", items[j], pos[0]);
            rc = 1;
        }
    }
    if (rc == 0) {
        input_set inputs;
        input_set_init(&inputs);
        corpus_add_inputs(&inputs, pos[0], &in);
        if (spk_file || utt_file) input_set_add(&inputs, spk_file ? spk_file : utt_file);
        corpus_select(&in, keep, &out);
        if (write_dir(pos[1], &out, &inputs))
            rc = fail();
        else
            printf("%s: %d of %d utterances\n", pos[1], kept, in.n);
        corpus_free(&out);
        input_set_free(&inputs);
    }
    for (int j = 0; j < nitems; j++) free(items[j]);
    free(items);
    free(keep);
    corpus_free(&in);
    return rc;
}

static int data_combine(int argc, char **argv)
{
    if (argc < 3) return usage_error("combine needs OUT and at least one IN");
    for (int i = 1; i < argc; i++)
        if (argv[i][0] == '-') return usage_error("combine takes no options");
    corpus all = {0};
    all.has_phones = 1;
    input_set inputs;
    input_set_init(&inputs);
    for (int i = 2; i < argc; i++) {
        corpus c;
        if (corpus_read(argv[i], &c)) {
            corpus_free(&all);
            input_set_free(&inputs);
            return fail();
        }
        corpus_add_inputs(&inputs, argv[i], &c);
        if (!c.has_phones) all.has_phones = 0;
        for (int j = 0; j < c.n; j++) {
            const corpus_utt *u = &c.utts[j];
            corpus_add(&all, u->id, u->wav, u->text, u->speaker, u->phones);
        }
        corpus_free(&c);
    }
    int rc = 0;
    if (corpus_sort(&all)) {
        fprintf(stderr, "asr data: combine: %s\n", asr_last_error());
        rc = 1;
    } else if (write_dir(argv[1], &all, &inputs)) {
        rc = fail();
    } else {
        printf("%s: %d utterances from %d directories%s\n", argv[1], all.n, argc - 2,
               all.has_phones ? "" : " (no phones: not every input has them)");
    }
    input_set_free(&inputs);
    corpus_free(&all);
    return rc;
}

int cmd_data(int argc, char **argv)
{
    if (argc < 2) return usage_error("which data subcommand?");
    const char *sub = argv[1];
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(data_usage, stdout);
            return 0;
        }
    if (!strcmp(sub, "validate")) return data_validate(argc - 1, argv + 1);
    if (!strcmp(sub, "split")) return data_split(argc - 1, argv + 1);
    if (!strcmp(sub, "subset")) return data_subset(argc - 1, argv + 1);
    if (!strcmp(sub, "combine")) return data_combine(argc - 1, argv + 1);
    return usage_error("unknown data subcommand");
}
