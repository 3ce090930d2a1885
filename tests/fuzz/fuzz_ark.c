/* fuzz_ark.c — feature archives (src/recognizer/feats_ark.h), what `asr features`
 * writes and `asr train --feats` reads.
 *
 * The input is the sections of a model-file container ("content",
 * "features", "dim", "utt:ID"...; see fuzz_common.h): the harness puts the
 * header before and a correct CRC-32 after, writes it to a scratch file and
 * reads it with feats_ark_read. An archive that loads must hold what it
 * says (every utterance T x dim values) and, written again, read back the
 * same. */
#include "fuzz_common.h"

#include "recognizer/feats_ark.h"

#include <math.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    size_t n;
    uint8_t *file = fuzz_container(data, size, &n);
    char path[128], again[128];
    fuzz_path(path, "in.ark");
    fuzz_write(path, file, n);
    free(file);
    feats_ark a;
    if (feats_ark_read(path, &a) < 0) {
        fuzz_refused("archive refused");
        return 0;
    }
    fuzz_note("archive loaded");
    if (a.dim != features_dim(&a.config)) {
        fprintf(stderr, "fuzz_ark: dim %d, configuration %d\n", a.dim, features_dim(&a.config));
        abort();
    }
    /* Touch every value: ASan checks the buffers hold T * dim floats. */
    double sum = 0;
    for (int i = 0; i < a.n; i++) {
        if (a.utts[i].T < 0 || !a.utts[i].id) abort();
        size_t m = (size_t)a.utts[i].T * (size_t)a.dim;
        for (size_t j = 0; j < m; j++) sum += a.utts[i].x[j];
    }
    (void)sum;
    fuzz_path(again, "again.ark");
    if (feats_ark_write(fuzz_io(), again, &a) == 0) {
        feats_ark b;
        if (feats_ark_read(again, &b) < 0 || b.n != a.n || b.dim != a.dim) {
            fprintf(stderr, "fuzz_ark: a written archive does not read back: %s\n",
                    asr_last_error());
            abort();
        }
        for (int i = 0; i < a.n; i++)
            if (strcmp(a.utts[i].id, b.utts[i].id) || a.utts[i].T != b.utts[i].T ||
                memcmp(a.utts[i].x, b.utts[i].x, (size_t)a.utts[i].T * a.dim * sizeof(float))) {
                fprintf(stderr, "fuzz_ark: utterance %d reads back differently\n", i);
                abort();
            }
        feats_ark_free(&b);
    }
    feats_ark_free(&a);
    return 0;
}
