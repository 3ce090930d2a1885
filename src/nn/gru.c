/* gru.c — GRU layers over time: one GEMM for the input projection of all
 * frames, one per step for the recurrence; see gru.h for the math. */
#include "nn/gru.h"

#include "base/error.h"
#include "nn/affine.h"

#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

size_t gru_params(int C, int H)
{
    return (size_t)3 * H * C + (size_t)3 * H * H + (size_t)6 * H;
}

/* Where the parameters of one direction are. */
typedef struct {
    const float *wih, *whh, *bih, *bhh;
} gru_weights;

static gru_weights weights(const float *p, const gru_shape *s)
{
    size_t G = (size_t)3 * s->H;
    gru_weights w = {p, p + G * s->C, NULL, NULL};
    w.bih = w.whh + G * s->H;
    w.bhh = w.bih + G;
    return w;
}

/* AUX of one direction, in order:
 *   gates [B*T][3H]  the input projection, then (training) r, z, n of each frame
 *   ghn   [B*T][H]   (training) W_hn h_prev + b_hn of each frame
 *   hist  [B*(T+1)+1][H]  (training) the states: utterance b's block of T+1
 *                    rows holds h_t at row t + 1 (forward) or t (reverse), the
 *                    other rows 0; so the state before frame t, h_prev, is at
 *                    row t of the block (forward) or t + 1 (reverse), and the
 *                    step gradients of all frames meet their h_prev in one GEMM
 *   gh    [B][3H]    one step's recurrent projection
 *   hs    [B][H]     the current states */
typedef struct {
    float *gates, *ghn, *hist, *gh, *hs;
} gru_aux;

static size_t hist_rows(int B, int T)
{
    return (size_t)B * (T + 1) + 1;
}

size_t gru_aux_floats(int B, int T, int H, int train)
{
    size_t BT = (size_t)B * T, n = BT * 3 * H + (size_t)B * 4 * H;
    return train ? n + BT * H + hist_rows(B, T) * H : n;
}

static gru_aux aux_parts(float *aux, int B, int T, int H, int train)
{
    size_t BT = (size_t)B * T;
    gru_aux a = {aux, NULL, NULL, NULL, NULL};
    float *next = aux + BT * 3 * H;
    if (train) {
        a.ghn = next;
        a.hist = a.ghn + BT * H;
        next = a.hist + hist_rows(B, T) * H;
    }
    a.gh = next;
    a.hs = a.gh + (size_t)B * 3 * H;
    return a;
}

/* The utterances [*LO, *HI) of [B0, B1) that span every one still running
 * at step S (lens[b] > S); 0 when none is. The trainer's batches are sorted
 * by length, so the range is exactly the running ones; in any order it holds
 * them (the others in it are computed and ignored). */
static int running(const int *lens, int b0, int b1, int S, int *lo, int *hi)
{
    *lo = b0;
    while (*lo < b1 && lens[*lo] <= S) ++*lo;
    *hi = b1;
    while (*hi > *lo && lens[*hi - 1] <= S) --*hi;
    return *hi > *lo;
}

/* The recurrence runs over fixed groups of GROUP utterances, one GEMM per
 * step and group, the groups in parallel unless already inside a parallel
 * region (the trainer's shards). Decoding a batch on several threads
 * otherwise splits every step's small GEMM across threads, two thread
 * barriers a step: ten times slower than one thread. That holds for a
 * single group too (one utterance of `asr stream`, a short batch): the
 * loop is a parallel region even then, so that OpenBLAS, built on OpenMP,
 * sees itself inside one and runs each step's GEMM on the calling thread
 * (one fork and join per layer instead of two barriers per step; 8x faster
 * decoding 10 short files on 2 busy cores). The groups do not depend on
 * the thread count, so neither do the numbers. */
enum { GROUP = 16 };

static int groups(int B)
{
    return (B + GROUP - 1) / GROUP;
}

static int group_end(int g, int B)
{
    return (g + 1) * GROUP < B ? (g + 1) * GROUP : B;
}

/* The gate nonlinearities, branch-free so that a step's loop over the units
 * vectorises (expf and tanhf from libm were a quarter of a GRU network's
 * training time). exp(-|x|) is Cephes' expf: x = k ln 2 + r, |r| <= ln 2 / 2,
 * e^r by a degree-6 polynomial, 2^k put in the exponent bits; |x| is clamped
 * to 87 (e^-87 is still a normal float) by comparing bits, since float
 * compares do not vectorise under the default -ftrapping-math. Then
 *   sigmoid(x) = 1 / (1 + e) for x >= 0, e / (1 + e) below, e = exp(-|x|),
 *   tanh(x)    = sign(x) (1 - e) / (1 + e),                 e = exp(-2|x|),
 * both within 1e-7 of the exact values (absolute), and the same bits in the
 * vector and the scalar loop. */
static inline float bits_float(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static inline uint32_t float_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

static inline float exp_neg_abs(float x)
{
    const int32_t max = 0x42ae0000; /* 87.0f */
    int32_t a = (int32_t)(float_bits(x) & 0x7fffffffu);
    float y = -bits_float((uint32_t)(a < max ? a : max));
    /* k = round(y / ln 2): adding and subtracting 1.5 * 2^23 rounds to an integer */
    float k = y * 1.44269504f - 12582912.0f;
    k += 12582912.0f;
    float r = y - k * 0.693359375f; /* ln 2 in two parts, the first exact in float */
    r = r - k * -2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    return (p * r * r + r + 1.0f) * bits_float((uint32_t)((int32_t)k + 127) << 23);
}

static inline float sigmoid(float x)
{
    float e = exp_neg_abs(x), s = 1.0f / (1.0f + e);
    uint32_t neg = (uint32_t)((int32_t)float_bits(x) >> 31); /* all ones when x < 0 */
    return bits_float((float_bits(s) & ~neg) | (float_bits(e * s) & neg));
}

static inline float tanh_(float x)
{
    float e = exp_neg_abs(2.0f * x), t = (1.0f - e) / (1.0f + e);
    return bits_float(float_bits(t) | (float_bits(x) & 0x80000000u));
}

/* x86-64 builds target the baseline instruction set (SSE2); the two gate
 * loops are also compiled for AVX2, and the loader picks the clone the CPU
 * runs (GCC's function multiversioning): a fifth faster forward. Without
 * FMA (and with C11's -ffp-contract=off) both clones compute the same bits. */
#if defined(__x86_64__) && defined(__GNUC__) && defined(__linux__)
#define GATE_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define GATE_CLONES
#endif

/* One step of one utterance: G holds gx (r, z, n parts) and receives r, z,
 * n; Q holds gh; H the state, updated; GHN (training) receives gh_n. */
GATE_CLONES static void cell_forward(float *restrict g, const float *restrict q, float *restrict h,
                                     float *restrict ghn, int H)
{
#pragma omp simd
    for (int j = 0; j < H; j++) {
        float r = sigmoid(g[j] + q[j]);
        float z = sigmoid(g[H + j] + q[H + j]);
        float n = tanh_(g[2 * H + j] + r * q[2 * H + j]);
        h[j] = (1.0f - z) * n + z * h[j];
        g[j] = r;
        g[H + j] = z;
        g[2 * H + j] = n;
    }
    if (ghn) memcpy(ghn, q + 2 * H, (size_t)H * sizeof(float));
}

/* Frame of utterance b at step S, and its rows in hist: h_t, and h_prev. */
static int frame(const gru_shape *s, int len, int S)
{
    return s->reverse ? len - 1 - S : S;
}

static size_t hist_row(const gru_shape *s, int b, int T, int t)
{
    return (size_t)b * (T + 1) + t + !s->reverse;
}

/* The steps of utterances [B0, B1). */
static void forward_steps(const gru_aux *a, const gru_weights *w, float *out, int ldo,
                          const int *lens, int b0, int b1, int T, const gru_shape *s, int train)
{
    int H = s->H, G = 3 * H, lo, hi;
    for (int S = 0; S < T && running(lens, b0, b1, S, &lo, &hi); S++) {
        /* gh[lo..hi) = b_hh + hs[lo..hi) W_hh^T */
        affine_forward(a->gh + (size_t)lo * G, a->hs + (size_t)lo * H, w->whh, w->bhh, hi - lo, H,
                       G);
        for (int b = lo; b < hi; b++) {
            if (lens[b] <= S) continue;
            int t = frame(s, lens[b], S);
            size_t bt = (size_t)b * T + t;
            float *h = a->hs + (size_t)b * H;
            cell_forward(a->gates + bt * G, a->gh + (size_t)b * G, h,
                         train ? a->ghn + bt * H : NULL, H);
            memcpy(out + bt * ldo, h, (size_t)H * sizeof(float));
            if (train) memcpy(a->hist + hist_row(s, b, T, t) * H, h, (size_t)H * sizeof(float));
        }
    }
}

void gru_forward(float *out, int ldo, float *aux, const float *inp, const float *p, const int *lens,
                 int B, int T, const gru_shape *s, int train)
{
    int H = s->H, G = 3 * H;
    gru_weights w = weights(p, s);
    gru_aux a = aux_parts(aux, B, T, H, train);
    /* gates[B*T][3H] = b_ih + inp[B*T][C] W_ih^T: every frame at once */
    affine_forward(a.gates, inp, w.wih, w.bih, B * T, s->C, G);
    memset(a.hs, 0, (size_t)B * H * sizeof(float));
    for (int b = 0; b < B; b++) {
        for (int t = lens[b]; t < T; t++)
            memset(out + ((size_t)b * T + t) * ldo, 0, (size_t)H * sizeof(float));
        if (!train) continue;
        /* the rows of hist no step writes: the state before the first frame
         * (forward) and those past the last (gru_aux) */
        float *block = a.hist + (size_t)b * (T + 1) * H;
        int first = lens[b] + !s->reverse;
        if (!s->reverse) memset(block, 0, (size_t)H * sizeof(float));
        memset(block + (size_t)first * H, 0, (size_t)(T + 1 - first) * H * sizeof(float));
    }
    if (train) memset(a.hist + (size_t)B * (T + 1) * H, 0, (size_t)H * sizeof(float));
#pragma omp parallel for schedule(dynamic, 1)
    for (int g = 0; g < groups(B); g++)
        forward_steps(&a, &w, out, ldo, lens, g * GROUP, group_end(g, B), T, s, train);
}

size_t gru_scratch_floats(int B, int T, int H)
{
    return (size_t)B * T * 3 * H + (size_t)B * (T + 1) * 3 * H + (size_t)B * 4 * H;
}

/* Backward of one step of one utterance (gru.h): DH + DY (from the next
 * step and from the output) is the gradient reaching h_t; DH receives the
 * part that goes straight to h_prev (dh z), DGX and DGH d gx and d gh. */
GATE_CLONES static void cell_backward(float *restrict dgx, float *restrict dgh, float *restrict dh,
                                      const float *restrict dy, const float *restrict g,
                                      const float *restrict ghn, const float *restrict hprev, int H)
{
#pragma omp simd
    for (int j = 0; j < H; j++) {
        float r = g[j], z = g[H + j], n = g[2 * H + j], d = dh[j] + dy[j];
        float dn = d * (1.0f - z) * (1.0f - n * n);
        float dz = d * (hprev[j] - n) * z * (1.0f - z);
        float dr = dn * ghn[j] * r * (1.0f - r);
        dgx[j] = dgh[j] = dr;
        dgx[H + j] = dgh[H + j] = dz;
        dgx[2 * H + j] = dn;
        dgh[2 * H + j] = dn * r;
        dh[j] = d * z;
    }
}

/* The steps of utterances [B0, B1), last first: dgx, dgh and dh of the
 * scratch (gru_backward) from DOUT. */
static void backward_steps(const gru_aux *a, const gru_weights *w, float *scratch,
                           const float *dout, int ldo, const int *lens, int B, int b0, int b1,
                           int T, const gru_shape *s)
{
    int H = s->H, G = 3 * H, lo, hi;
    float *dgx = scratch, *dgh = dgx + (size_t)B * T * G, *dh = dgh + (size_t)B * (T + 1) * G;
    float *dgs = dh + (size_t)B * H;
    for (int S = T - 1; S >= 0; S--) {
        if (!running(lens, b0, b1, S, &lo, &hi)) continue;
        for (int b = lo; b < hi; b++) {
            float *ds = dgs + (size_t)b * G, *d = dh + (size_t)b * H;
            if (lens[b] <= S) {
                memset(ds, 0, (size_t)G * sizeof(float));
                continue;
            }
            int t = frame(s, lens[b], S);
            size_t bt = (size_t)b * T + t, q = (size_t)b * (T + 1) + t;
            const float *hprev = a->hist + (hist_row(s, b, T, t) + (s->reverse ? 1 : -1)) * H;
            cell_backward(dgx + bt * G, ds, d, dout + bt * ldo, a->gates + bt * G, a->ghn + bt * H,
                          hprev, H);
            memcpy(dgh + q * G, ds, (size_t)G * sizeof(float));
        }
        /* dh[lo..hi) += dgs[lo..hi) W_hh */
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, hi - lo, H, G, 1.0f,
                    dgs + (size_t)lo * G, G, w->whh, H, 1.0f, dh + (size_t)lo * H, H);
    }
}

void gru_backward(float *dinp, float *dp, const float *dout, int ldo, const float *aux,
                  const float *inp, const float *p, const int *lens, int B, int T,
                  const gru_shape *s, float *scratch)
{
    int H = s->H, G = 3 * H;
    size_t BT = (size_t)B * T, BT1 = (size_t)B * (T + 1);
    gru_weights w = weights(p, s);
    gru_aux a = aux_parts((float *)aux, B, T, H, 1);
    float *dwih = dp, *dwhh = dp + (size_t)G * s->C, *dbih = dwhh + (size_t)G * H, *dbhh = dbih + G;
    /* scratch: dgx [B*T][3H] (per frame), dgh [B*(T+1)][3H] (aligned with
     * hist's blocks), dh [B][H], dgs [B][3H] (one step's d gh, contiguous) */
    float *dgx = scratch, *dgh = dgx + BT * G, *dh = dgh + BT1 * G;
    /* The rows no step writes: frames past each utterance's end. */
    for (int b = 0; b < B; b++) {
        size_t pad = (size_t)(T - lens[b]) * G;
        memset(dgx + ((size_t)b * T + lens[b]) * G, 0, pad * sizeof(float));
        memset(dgh + ((size_t)b * (T + 1) + lens[b]) * G, 0, (pad + G) * sizeof(float));
    }
    memset(dh, 0, (size_t)B * H * sizeof(float));
#pragma omp parallel for schedule(dynamic, 1)
    for (int g = 0; g < groups(B); g++)
        backward_steps(&a, &w, scratch, dout, ldo, lens, B, g * GROUP, group_end(g, B), T, s);
    /* dW_ih += dgx^T inp, db_ih += sum dgx, dinp += dgx W_ih */
    affine_backward(dinp, dwih, dbih, dgx, inp, w.wih, B * T, s->C, G);
    /* dW_hh += dgh^T h_prev over every frame at once: row q of dgh meets row
     * q (forward) or q + 1 (reverse) of hist (see gru_aux). */
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, G, H, (int)BT1, 1.0f, dgh, G,
                a.hist + (s->reverse ? H : 0), H, 1.0f, dwhh, H);
    for (size_t q = 0; q < BT1; q++)
        for (int k = 0; k < G; k++) dbhh[k] += dgh[q * G + k];
}

/* ---- the network layers ---- */

static int directions(const nn_layer *L)
{
    return L->kind == &nn_bigru_kind ? 2 : 1;
}

static gru_shape shape(const nn_layer *L, int reverse)
{
    return (gru_shape){L->in, L->out / directions(L), reverse};
}

static int rnn_parse(nn_layer *L, int argc, char **argv, int dirs)
{
    int N = argc == 1 ? nn_arg_int(argv[0], NN_MAX_WIDTH) : -1;
    if (N < dirs || N % dirs)
        return asr_error(dirs == 1 ? "expected 'gru N' with N in 1..%d"
                                   : "expected 'bigru N' with N even in 2..%d",
                         NN_MAX_WIDTH);
    L->out = L->arg[0] = N;
    L->np = (size_t)dirs * gru_params(L->in, N / dirs);
    return 0;
}

static int gru_parse(nn_layer *L, int argc, char **argv, int out_dim)
{
    (void)out_dim;
    return rnn_parse(L, argc, argv, 1);
}

static int bigru_parse(nn_layer *L, int argc, char **argv, int out_dim)
{
    (void)out_dim;
    return rnn_parse(L, argc, argv, 2);
}

static void rnn_describe(const nn_layer *L, char *buf, size_t cap)
{
    snprintf(buf, cap, " %d", L->arg[0]);
}

static void rnn_init(const nn_layer *L, float *p, rng_state *r)
{
    double k = 1.0 / sqrt((double)L->out / directions(L));
    for (size_t j = 0; j < L->np; j++) p[j] = (float)(k * (2 * rng_uniform(r) - 1));
}

static double rnn_flops(const nn_layer *L, int T)
{
    return 2.0 * T * 3 * L->out * ((double)L->in + (double)L->out / directions(L));
}

/* Training keeps each direction's aux; inference reuses one for both. */
static size_t rnn_aux_bytes(const nn_layer *L, int B, int T, int train)
{
    int dirs = directions(L);
    return (train ? dirs : 1) * gru_aux_floats(B, T, L->out / dirs, train) * sizeof(float);
}

static size_t rnn_scratch_bytes(const nn_layer *L, int B, int T)
{
    return gru_scratch_floats(B, T, L->out / directions(L)) * sizeof(float);
}

static void rnn_forward(const nn_layer *L, const float *p, const nn_pass *ps, const float *in,
                        float *out)
{
    for (int d = 0; d < directions(L); d++) {
        gru_shape s = shape(L, d);
        size_t na = ps->train ? d * gru_aux_floats(ps->B, ps->T, s.H, 1) : 0;
        gru_forward(out + d * s.H, L->out, (float *)ps->aux + na, in, p + d * gru_params(s.C, s.H),
                    ps->lens, ps->B, ps->T, &s, ps->train);
    }
}

static void rnn_backward(const nn_layer *L, const float *p, float *g, const nn_pass *ps,
                         const float *in, const float *dout, float *din, void *scratch)
{
    for (int d = 0; d < directions(L); d++) {
        gru_shape s = shape(L, d);
        size_t np = d * gru_params(s.C, s.H), na = d * gru_aux_floats(ps->B, ps->T, s.H, 1);
        gru_backward(din, g + np, dout + d * s.H, L->out, (const float *)ps->aux + na, in, p + np,
                     ps->lens, ps->B, ps->T, &s, scratch);
    }
}

const nn_layer_kind nn_gru_kind = {
    "gru",     "N",           gru_parse,         rnn_describe, rnn_init,
    rnn_flops, rnn_aux_bytes, rnn_scratch_bytes, rnn_forward,  rnn_backward,
};

const nn_layer_kind nn_bigru_kind = {
    "bigru",   "N",           bigru_parse,       rnn_describe, rnn_init,
    rnn_flops, rnn_aux_bytes, rnn_scratch_bytes, rnn_forward,  rnn_backward,
};
