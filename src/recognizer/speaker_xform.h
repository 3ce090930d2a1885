/* speaker_xform.h — the per-speaker transforms an adapted model carries
 * (recognizer/adapt.h makes them), stored in its model file's section
 * "adapt" and applied by every command that decodes with it.
 *
 * A set holds transforms of one kind, each for one speaker:
 *   feature    an affine map of each feature frame, x' = A x + b (D x D
 *              matrix A, D-vector b; D the features' dimension: 1,640 floats,
 *              6.6 kB, for 40 filterbank channels), as fMLLR transforms the
 *              features of a speaker (Gales 1998), here after the model's own
 *              per-utterance CMVN; identity: A = I, b = 0;
 *   layernorm  the gains and biases of every layer-norm layer of the network
 *              (2 x width per layer, in layer order), replacing the model's
 *              own for that speaker's utterances.
 * The speaker "*" stands for every speaker without a transform of its own
 * (one transform for a whole line or device: asr adapt without
 * --per-speaker); `asr stream` and the library, which know no speakers, use
 * it. An utterance of a speaker without a transform, when there is no "*",
 * decodes with the model as it was.
 *
 * Section layout: a text line "KIND COUNT DIM\n", then COUNT records, each
 * the speaker's name and "\n" followed by DIM little-endian float32. Read
 * from an untrusted file: kind and DIM must fit the model, COUNT at most
 * SPEAKER_XFORM_MAX, names 1 to 255 bytes of printable UTF-8 without spaces,
 * unique, every float finite, and no byte left over.
 */
#ifndef ASR_RECOGNIZER_SPEAKER_XFORM_H
#define ASR_RECOGNIZER_SPEAKER_XFORM_H

#include "base/model_file.h"
#include "nn/network.h"

#define SPEAKER_XFORM_MAX 100000

typedef enum { XFORM_FEATURE, XFORM_LAYERNORM } xform_kind;

/* A speaker's name and the index of their transform. */
typedef struct {
    const char *name;
    int i;
} xform_name;

typedef struct {
    xform_kind kind;
    int dim;             /* floats per transform */
    int n;               /* transforms */
    char **speakers;     /* n names */
    float *v;            /* n * dim floats: transform i at v + i * dim */
    xform_name *by_name; /* the n names sorted (strcmp): lookups by binary search */
} speaker_xforms;

/* "feature" / "layernorm"; -1 (with a message) for another name. */
int xform_kind_parse(const char *name, xform_kind *k);
const char *xform_kind_name(xform_kind k);

/* Floats of one transform of kind K for NET (feature: D * D + D); 0 when
 * NET has no layer of that kind (layernorm). */
int xform_dim(xform_kind k, const network *net);

/* The identity of kind K into V (xform_dim floats): A = I, b = 0; or NET's
 * own layer-norm parameters from PARAMS. */
void xform_identity(xform_kind k, const network *net, const float *params, float *v);

void speaker_xforms_init(speaker_xforms *x, xform_kind k, int dim);
/* Add (or replace) SPEAKER's transform V (x->dim floats). */
void speaker_xforms_put(speaker_xforms *x, const char *speaker, const float *v);
/* Index of SPEAKER's transform, else of "*", else -1. */
int speaker_xforms_find(const speaker_xforms *x, const char *speaker);
void speaker_xforms_free(speaker_xforms *x);

/* Store X as section "adapt" of F. */
void speaker_xforms_save(const speaker_xforms *x, model_file *f);
/* Read section "adapt" of F (NAME names the file) for network NET: 0 with
 * X empty (n = 0) when there is none; -1 with a message naming the file and
 * the fault. */
int speaker_xforms_load(const model_file *f, const char *name, const network *net,
                        speaker_xforms *x);

/* Apply transform V of kind K: feature maps X [T][D] into OUT [T][D] (an
 * affine layer, nn/affine.h: V is its weight, then its bias); layernorm
 * writes the layer-norm parameters into PARAMS (a copy of the model's). The
 * other function leaves its arguments alone. */
void xform_apply_features(xform_kind k, const float *v, const float *x, float *out, int T, int D);
void xform_apply_params(xform_kind k, const network *net, const float *v, float *params);

#endif
