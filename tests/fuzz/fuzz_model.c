/* fuzz_model.c — model files: the container parser (model_file_parse,
 * src/base/model_file.h) and the recognizer built from it (asr_model_from_file,
 * src/recognizer/model.h): pipeline name, feature configuration, network
 * description, weights, symbol tables, search settings, and each pipeline's
 * own sections (lexicon, word or character LM).
 *
 * The input is the sections part of a model file (see fuzz_common.h): the
 * harness puts the header before and a correct CRC-32 after, so the fuzzer
 * gets past the checksum. The search settings are left "not given" (beam 0,
 * NAN weights) as `asr decode` leaves them without options, so those the
 * file stores apply. A model that loads decodes two utterances of random
 * features (network forward pass, log-softmax per head, the pipeline's
 * search), then once more as a greedy search and as a beam search with an LM
 * weight. A stored system (several models in one file, a "system" section:
 * src/recognizer/system.h) is loaded as a system, and one that loads
 * recognises a short recording of random samples with each of its models. */
#include "fuzz_common.h"

#include "recognizer/model.h"
#include "recognizer/system.h"
#include "base/model_file.h"
#include "pipelines/pipeline.h"

#include <math.h>

/* Bounds of the harness's own work (inputs are what the file holds). */
#define MAX_IN_DIM 4096

static void decode(const asr_model *m, uint64_t *s)
{
    int dim = m->net.in_dim;
    if (dim < 1 || dim > MAX_IN_DIM) return;
    int T[2] = {1 + (int)(fuzz_next(s) % 40), 1 + (int)(fuzz_next(s) % 12)};
    float *x[2];
    char id0[] = "u1", id1[] = "u2";
    char *ids[2] = {id0, id1};
    for (int i = 0; i < 2; i++) {
        x[i] = malloc((size_t)T[i] * dim * sizeof(float));
        if (!x[i]) abort();
        for (size_t j = 0; j < (size_t)T[i] * dim; j++) x[i][j] = 3 * fuzz_uniform(s);
    }
    train_set set;
    memset(&set, 0, sizeof set);
    set.x = x;
    set.T = T;
    set.ids = ids;
    set.n = 2;
    set.dim = dim;
    pipeline_result res[2];
    memset(res, 0, sizeof res);
    asr_model_decode(m, NULL, &set, 4000, res);
    for (int i = 0; i < 2; i++) pipeline_result_free(&res[i]);
    for (int i = 0; i < 2; i++) free(x[i]);
}

/* A stored system in MF: loaded, and if it loads, 0.1-0.3 s of random
 * samples recognised by it (features, every model's search, the padded
 * view, the combination). */
static void recognise_system(const model_file *mf, uint64_t *s)
{
    asr_system sys;
    pipeline_options none = {NULL, NULL, NAN, NAN, 0, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
    if (asr_system_from_file(mf, "fuzz.mdl", &none, &sys) < 0) {
        fuzz_refused("system refused");
        return;
    }
    int rate = sys.m[0].feats.rate;
    size_t n = (size_t)rate / 10 * (1 + fuzz_next(s) % 3);
    float *x = malloc(n * sizeof *x);
    if (!x) abort();
    for (size_t i = 0; i < n; i++) x[i] = 0.3f * fuzz_uniform(s);
    features_extractor **fx = asr_system_extractors(&sys);
    pipeline_result res;
    if (asr_system_recognize(&sys, fx, x, n, rate, 0, &res, NULL, NULL) == 0) {
        fuzz_note("system");
        pipeline_result_free(&res);
    }
    asr_system_extractors_free(&sys, fx);
    asr_system_free(&sys);
    free(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    size_t n;
    uint8_t *file = fuzz_container(data, size, &n);
    model_file mf;
    int parsed = model_file_parse(file, n, "fuzz.mdl", &mf);
    free(file);
    if (parsed < 0) {
        fuzz_refused("container refused");
        return 0;
    }
    uint64_t s = fuzz_hash(data, size);
    if (model_file_get(&mf, "system")) {
        recognise_system(&mf, &s);
        model_file_free(&mf);
        return 0;
    }
    /* As `asr decode` without search options, then greedy, then a beam with an LM weight. */
    pipeline_options opts[3] = {
        {NULL, NULL, NAN, NAN, 0, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN},
        {NULL, NULL, NAN, NAN, 1, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN},
        {NULL, NULL, 0.5f, -1.0f, 3, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN},
    };
    for (int k = 0; k < 3; k++) {
        asr_model m;
        if (asr_model_from_file(&mf, "fuzz.mdl", &opts[k], &m) < 0) {
            fuzz_refused("model refused");
            break;
        }
        decode(&m, &s);
        fuzz_note(m.ops->name);
        asr_model_free(&m);
    }
    model_file_free(&mf);
    return 0;
}
