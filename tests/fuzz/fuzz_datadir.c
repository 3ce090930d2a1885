/* fuzz_datadir.c — Kaldi-style data directories (src/text/corpus.h).
 *
 * The input is the directory's files back to back, separated by the line
 * "%%": wav.scp, then text, utt2spk, phones, segments and spk2utt. Fewer
 * parts leave the later files out (the last three are optional; a missing wav.scp, text or utt2spk
 * is an error the readers must report). They are written into a scratch directory, then read by
 * corpus_read and checked by corpus_validate (its report goes to /dev/null). A directory
 * corpus_validate finds nothing wrong with must load; one that loads is looked up, split, written
 * and read back. Audio paths mostly do not exist, which is one of the problems corpus_validate
 * reports; "$D" in wav.scp stands for the scratch directory, where the regular file $D/audio.wav
 * exists (seeds use it for directories that are valid). */
#include "fuzz_common.h"

#include "text/corpus.h"

#define SEP "\n%%\n"

static const char *const FILES[] = {"wav.scp", "text", "utt2spk", "phones", "segments", "spk2utt"};
#define NFILES 6

static void exercise(const corpus *c, uint64_t seed)
{
    for (int i = 0; i < c->n && i < 64; i++)
        if (corpus_find(c, c->utts[i].id) != i) {
            fprintf(stderr, "fuzz_datadir: corpus_find('%s') is not %d\n", c->utts[i].id, i);
            abort();
        }
    (void)corpus_find(c, "");
    char **spk = NULL;
    int ns = corpus_speakers(c, &spk);
    for (int i = 0; i < ns; i++) free(spk[i]);
    free(spk);
    const double frac[3] = {0.5, 0.3, 0.2};
    for (int by_speaker = 0; by_speaker < 2; by_speaker++) {
        corpus parts[3];
        memset(parts, 0, sizeof parts);
        if (corpus_split(c, by_speaker, frac, 3, seed, NULL, parts) == 0) {
            int total = 0;
            for (int k = 0; k < 3; k++) total += parts[k].n;
            if (total != c->n) {
                fprintf(stderr, "fuzz_datadir: a split of %d utterances has %d\n", c->n, total);
                abort();
            }
            for (int k = 0; k < 3; k++) corpus_free(&parts[k]);
        }
    }
    /* Written, it reads back the same. */
    char out[128];
    fuzz_path(out, "written");
    if (corpus_write(fuzz_io(), out, c) == 0) {
        corpus back;
        if (corpus_read(out, &back) < 0) {
            fprintf(stderr, "fuzz_datadir: a written data directory does not read back: %s\n",
                    asr_last_error());
            abort();
        }
        if (back.n != c->n) {
            fprintf(stderr, "fuzz_datadir: wrote %d utterances, read %d\n", c->n, back.n);
            abort();
        }
        corpus_free(&back);
    }
}

/* Write LEN bytes of P to PATH with every "$D" replaced by the scratch directory. */
static void write_expanded(const char *path, const uint8_t *p, size_t len)
{
    const char *dir = fuzz_dir();
    size_t dl = strlen(dir), n = 0;
    char *out = malloc(len * dl + 1);
    if (!out) abort();
    for (size_t i = 0; i < len; i++) {
        if (p[i] == '$' && i + 1 < len && p[i + 1] == 'D') {
            memcpy(out + n, dir, dl);
            n += dl;
            i++;
        } else {
            out[n++] = (char)p[i];
        }
    }
    fuzz_write(path, out, n);
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    char dir[128], path[256];
    static int audio_made;
    if (!audio_made) {
        fuzz_write(fuzz_path(path, "audio.wav"), "RIFF", 4);
        audio_made = 1;
    }
    fuzz_path(dir, "data");
    mkdir(dir, 0700);
    /* Each part from its start up to the next separator (the last to the end). */
    const uint8_t *p = data, *end = data + size;
    for (int k = 0; k < NFILES; k++) {
        snprintf(path, sizeof path, "%s/%s", dir, FILES[k]);
        remove(path);
        if (!p) continue;
        const uint8_t *q = fuzz_find(p, (size_t)(end - p), SEP, strlen(SEP));
        size_t len = q ? (size_t)(q - p) + 1 : (size_t)(end - p); /* keep the newline */
        if (k == 0)
            write_expanded(path, p, len);
        else
            fuzz_write(path, p, len);
        p = q ? q + strlen(SEP) : NULL;
    }
    FILE *null = fopen("/dev/null", "w");
    if (!null) abort();
    int problems = corpus_validate(dir, null);
    fclose(null);
    corpus c;
    int rc = corpus_read(dir, &c);
    if (problems == 0 && rc < 0) {
        fprintf(stderr, "fuzz_datadir: corpus_validate finds no problem, corpus_read refuses: %s\n",
                asr_last_error());
        abort();
    }
    rc == 0 ? fuzz_note("data directory loaded") : fuzz_refused("data directory refused");
    if (rc == 0) {
        exercise(&c, fuzz_hash(data, size));
        corpus_free(&c);
    }
    return 0;
}
