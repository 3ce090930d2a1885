/* layer.h — what a kind of layer is: one entry of network.c's table.
 *
 * A kind lives in its own file (conv1d.c, gru.c, ...), which defines one
 * nn_layer_kind; network.c lists the kinds in one table and does the rest
 * for all of them alike: parsing a description line, the parameter arena,
 * activations kept for backward, inference through two ping-pong buffers,
 * residual connections, subsampling, transfer-learning shape matching. So a
 * new kind is its file and header, one line of that table, its tests (and
 * its Makefile.am source line).
 *
 * Every pass works on a padded batch [B][T][C] where utterance b has
 * lens[b] valid frames; what a layer writes on frames beyond an utterance's
 * end does not matter (the loss gives them zero gradient, and the next
 * layers must not read them into valid frames: convolutions and recurrences
 * treat them as absent).
 */
#ifndef ASR_NN_LAYER_H
#define ASR_NN_LAYER_H

#include "base/rng.h"

#include <stddef.h>

/* Bounds of a layer's arguments (from a configuration, the command line or
 * a model file): far beyond any network this workbench trains, well within
 * what the machine can allocate, so a typo or a hostile model file is an
 * error naming the line rather than an out-of-memory exit. */
#define NN_MAX_WIDTH    16384
#define NN_MAX_KERNEL   64
#define NN_MAX_STRIDE   8
#define NN_MAX_DILATION 64
#define NN_MAX_ARGS     4

typedef struct nn_layer_kind nn_layer_kind;

typedef struct {
    const nn_layer_kind *kind;
    int in, out;          /* channels per frame */
    int stride;           /* output frames = ceil(input frames / stride) */
    int arg[NN_MAX_ARGS]; /* integer arguments (conv: OC K STRIDE DILATION; gru: N) */
    float farg;           /* a real argument (relu ceiling, dropout probability) */
    int residual;         /* output = input + layer(input) (network.h) */
    size_t w, np;         /* parameters: arena[w .. w + np), laid out by the kind */
} nn_layer;

/* One pass of a layer over a padded batch. */
typedef struct {
    int B, T, To;               /* utterances; padded frames in and out */
    const int *lens, *out_lens; /* valid frames of each utterance, in and out */
    int train;                  /* training: dropout on, AUX kept for backward */
    rng_state *r;               /* dropout's generator (training) */
    void *aux;                  /* aux_bytes(L, B, T, train) bytes: training, this
                                   layer's own until its backward; inference, scratch */
} nn_pass;

struct nn_layer_kind {
    const char *name;
    const char *usage; /* its arguments, for help and messages: "OC K STRIDE DILATION" */
    /* From the ARGC words after the name, with L->in set (and everything
     * else zero): set L->out, L->np and the arguments (L->stride defaults to
     * 1). OUT_DIM is what "out" stands for. -1 with a message (without the
     * line: the caller adds it). */
    int (*parse)(nn_layer *L, int argc, char **argv, int out_dim);
    /* The arguments as parse reads them back (" 256 5 2 1"; "" for none). */
    void (*describe)(const nn_layer *L, char *buf, size_t cap);
    /* Initialise the layer's parameters P (zeros before), drawing from R in a
     * fixed order; NULL leaves zeros. */
    void (*init)(const nn_layer *L, float *p, rng_state *r);
    /* Multiply-adds x2 of a forward pass over T input frames; NULL: 0. */
    double (*flops)(const nn_layer *L, int T);
    /* Bytes of AUX for a pass; NULL: none. */
    size_t (*aux_bytes)(const nn_layer *L, int B, int T, int train);
    /* Bytes of backward's SCRATCH (shared by all layers, not kept); NULL: none. */
    size_t (*scratch_bytes)(const nn_layer *L, int B, int T);
    /* OUT [B][To][out] from IN [B][T][in] and the parameters P. */
    void (*forward)(const nn_layer *L, const float *p, const nn_pass *ps, const float *in,
                    float *out);
    /* After a training forward with the same pass: accumulate the gradients
     * of the parameters into G (the layer's block) from DOUT (zero on
     * frames beyond each utterance's end), and d loss / d in into DIN unless
     * it is NULL (no layer below needs it). */
    void (*backward)(const nn_layer *L, const float *p, float *g, const nn_pass *ps,
                     const float *in, const float *dout, float *din, void *scratch);
};

/* Argument parsers for the kinds: an integer in [1, HI] (else -1); a
 * width, an integer in [1, NN_MAX_WIDTH] or "out" for OUT_DIM (else -1); a
 * real number into *V (-1 with a message quoting S when it is not one). */
int nn_arg_int(const char *s, long hi);
int nn_arg_width(const char *s, int out_dim);
int nn_arg_float(const char *s, float *v);

#endif
