/* features.c — fbank and MFCC front end; the definitions are in features.h. */
#include "signal/features.h"

#include "base/alloc.h"
#include "base/error.h"
#include "base/rng.h"

#include <fftw3.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void features_config_default(features_config *c)
{
    memset(c, 0, sizeof *c);
    c->kind = FEATURES_MFCC;
    c->rate = 16000;
    c->frame_ms = 25.0f;
    c->hop_ms = 10.0f;
    c->dither = 0.0f;
    c->seed = 0;
    c->preemph = 0.97f;
    c->window = WINDOW_POVEY;
    c->num_mel = 23;
    c->low_hz = 20.0f;
    c->high_hz = 0.0f;
    c->num_ceps = 13;
    c->lifter = 22.0f;
    c->deltas = 0;
    c->cmvn = 0;
}

static int frame_len(const features_config *c)
{
    return (int)lround(c->rate * c->frame_ms / 1000.0);
}

static int hop_len(const features_config *c)
{
    return (int)lround(c->rate * c->hop_ms / 1000.0);
}

static double nyquist_or(const features_config *c)
{
    return c->high_hz > 0 ? c->high_hz : c->rate / 2.0;
}

int features_dim(const features_config *c)
{
    int s = c->kind == FEATURES_MFCC ? c->num_ceps : c->num_mel;
    return s * (1 + c->deltas);
}

int features_require_frame(const features_config *c, size_t n)
{
    if (features_num_frames(c, n) > 0) return 0;
    return asr_error("%.1f ms of audio is shorter than one %g ms frame",
                     1000.0 * (double)n / c->rate, (double)c->frame_ms);
}

int features_num_frames(const features_config *c, size_t n)
{
    size_t L = (size_t)frame_len(c), H = (size_t)hop_len(c);
    if (n < L || H == 0) return 0;
    return (int)(1 + (n - L) / H);
}

int features_config_check(const features_config *c)
{
    if (c->rate < 1000 || c->rate > 192000)
        return asr_error("features: rate=%d out of range (1000..192000)", c->rate);
    /* Bounded before frame_len: 2e9 ms would overflow the sample count. */
    if (!(c->frame_ms > 0 && c->frame_ms <= FEATURES_MAX_FRAME_MS) ||
        !(c->hop_ms > 0 && c->hop_ms <= FEATURES_MAX_FRAME_MS))
        return asr_error("features: frame_ms=%g hop_ms=%g: each must be in (0, %g] ms", c->frame_ms,
                         c->hop_ms, FEATURES_MAX_FRAME_MS);
    if (frame_len(c) < 8 || hop_len(c) < 1)
        return asr_error("features: frame_ms=%g hop_ms=%g too short at %d Hz", c->frame_ms,
                         c->hop_ms, c->rate);
    if (!(c->preemph >= 0 && c->preemph < 1))
        return asr_error("features: preemph=%g outside [0, 1)", c->preemph);
    if (!(c->dither >= 0 && c->dither <= 32768))
        return asr_error("features: dither=%g outside [0, 32768] (16-bit units)", c->dither);
    if (c->num_mel < 1 || c->num_mel > 256)
        return asr_error("features: num_mel=%d out of range (1..256)", c->num_mel);
    double hi = nyquist_or(c);
    if (!(c->low_hz >= 0) || !(hi > c->low_hz) || hi > c->rate / 2.0 + 1e-3)
        return asr_error("features: mel range %g..%g Hz is not inside 0..%d Hz", c->low_hz, hi,
                         c->rate / 2);
    if (c->kind == FEATURES_MFCC && (c->num_ceps < 1 || c->num_ceps > c->num_mel))
        return asr_error("features: num_ceps=%d must be in 1..num_mel (%d)", c->num_ceps,
                         c->num_mel);
    if (!(c->lifter >= 0 && c->lifter <= 1000))
        return asr_error("features: lifter=%g outside [0, 1000]", c->lifter);
    if (c->deltas < 0 || c->deltas > 2)
        return asr_error("features: deltas=%d must be 0, 1 or 2", c->deltas);
    if (c->cmvn != 0 && c->cmvn != 1) return asr_error("features: cmvn=%d must be 0 or 1", c->cmvn);
    return 0;
}

/* ---- the extractor ---- */

struct features_extractor {
    features_config c;
    int L, H, nfft, nbins; /* frame, hop, FFT size, nfft/2 + 1 */
    float *window;         /* [L] */
    float *frame;          /* [nfft], FFTW-aligned */
    fftwf_complex *spec;   /* [nbins] */
    fftwf_plan plan;
    int *mel_first;    /* first FFT bin of each filter */
    int *mel_count;    /* bins in each filter */
    float *mel_weight; /* concatenated weights of all filters */
    float *dct;        /* [num_ceps][num_mel] orthonormal DCT-II rows */
    float *lifter;     /* [num_ceps] */
    double warp;       /* VTLP factor of the filterbank (1 = none) */
};

static double mel_of(double hz)
{
    return 1127.0 * log(1.0 + hz / 700.0);
}

static double hz_of(double mel)
{
    return 700.0 * (exp(mel / 1127.0) - 1.0);
}

double features_mel_center_hz(const features_config *c, int m)
{
    double lo = mel_of(c->low_hz), hi = mel_of(nyquist_or(c));
    double step = (hi - lo) / (c->num_mel + 1);
    return hz_of(lo + (m + 1) * step);
}

double features_warp_hz(double f, double alpha, double nyquist)
{
    if (alpha == 1.0) return f; /* exactly: an unwarped filterbank stays bit-identical */
    double b = 0.8 * nyquist * (alpha < 1 ? alpha : 1) / alpha;
    if (f <= b) return alpha * f;
    return alpha * b + (nyquist - alpha * b) * (f - b) / (nyquist - b);
}

/* Triangles over the FFT bins: filter m rises linearly (in mel) from
 * left = lo + m*step to centre = left + step and falls to right = centre +
 * step, a bin at f counting as W(f) (features_set_warp). Only the nonzero
 * span of each filter is stored. */
static void build_mel(features_extractor *fx)
{
    const features_config *c = &fx->c;
    int M = c->num_mel;
    double lo = mel_of(c->low_hz), hi = mel_of(nyquist_or(c));
    double step = (hi - lo) / (M + 1);
    fx->mel_first = xcalloc((size_t)M, sizeof(int));
    fx->mel_count = xcalloc((size_t)M, sizeof(int));
    fx->mel_weight = xcalloc((size_t)M * (size_t)fx->nbins, sizeof(float));
    float *w = fx->mel_weight;
    for (int m = 0; m < M; m++) {
        double left = lo + m * step, centre = left + step, right = centre + step;
        int first = -1, count = 0;
        for (int k = 0; k < fx->nbins; k++) {
            double mel =
                mel_of(features_warp_hz((double)k * c->rate / fx->nfft, fx->warp, c->rate / 2.0));
            double v = 0;
            if (mel > left && mel <= centre)
                v = (mel - left) / step;
            else if (mel > centre && mel < right)
                v = (right - mel) / step;
            if (v > 0) {
                if (first < 0) first = k;
                w[k - first] = (float)v;
                count = k - first + 1;
            }
        }
        fx->mel_first[m] = first < 0 ? 0 : first;
        fx->mel_count[m] = count;
        w += count;
    }
}

features_extractor *features_create(const features_config *c)
{
    if (features_config_check(c) < 0) return NULL;
    features_extractor *fx = xcalloc(1, sizeof *fx);
    fx->c = *c;
    fx->L = frame_len(c);
    fx->H = hop_len(c);
    fx->nfft = 1;
    while (fx->nfft < fx->L) fx->nfft *= 2;
    fx->nbins = fx->nfft / 2 + 1;
    fx->window = xmalloc((size_t)fx->L * sizeof(float));
    for (int i = 0; i < fx->L; i++) {
        double a = 2.0 * M_PI * i / (fx->L - 1);
        fx->window[i] = c->window == WINDOW_HAMMING ? (float)(0.54 - 0.46 * cos(a))
                                                    : (float)pow(0.5 - 0.5 * cos(a), 0.85);
    }
    fx->frame = fftwf_alloc_real((size_t)fx->nfft);
    fx->spec = fftwf_alloc_complex((size_t)fx->nbins);
    /* The FFTW planner is not thread-safe; plans are made one at a time.
     * FFTW_ESTIMATE keeps the plan (and so the numbers) the same every run. */
#pragma omp critical(asr_fftw_planner)
    fx->plan = fftwf_plan_dft_r2c_1d(fx->nfft, fx->frame, fx->spec, FFTW_ESTIMATE);
    fx->warp = 1.0;
    build_mel(fx);
    if (c->kind == FEATURES_MFCC) {
        int M = c->num_mel, K = c->num_ceps;
        fx->dct = xmalloc((size_t)K * (size_t)M * sizeof(float));
        fx->lifter = xmalloc((size_t)K * sizeof(float));
        for (int k = 0; k < K; k++) {
            double scale = k == 0 ? sqrt(1.0 / M) : sqrt(2.0 / M);
            for (int m = 0; m < M; m++)
                fx->dct[k * M + m] = (float)(scale * cos(M_PI * k * (m + 0.5) / M));
            fx->lifter[k] =
                c->lifter > 0 ? (float)(1.0 + 0.5 * c->lifter * sin(M_PI * k / c->lifter)) : 1.0f;
        }
    }
    return fx;
}

void features_set_warp(features_extractor *fx, double alpha)
{
    alpha = !(alpha >= 0.5) ? 0.5 : alpha > 2 ? 2 : alpha; /* NaN too */
    if (alpha == fx->warp) return;
    free(fx->mel_first);
    free(fx->mel_count);
    free(fx->mel_weight);
    fx->warp = alpha;
    build_mel(fx);
}

void features_destroy(features_extractor *fx)
{
    if (!fx) return;
#pragma omp critical(asr_fftw_planner)
    fftwf_destroy_plan(fx->plan);
    fftwf_free(fx->frame);
    fftwf_free(fx->spec);
    free(fx->window);
    free(fx->mel_first);
    free(fx->mel_count);
    free(fx->mel_weight);
    free(fx->dct);
    free(fx->lifter);
    free(fx);
}

void features_dct(const float *in, int M, float *out, int K)
{
    for (int k = 0; k < K; k++) {
        double scale = k == 0 ? sqrt(1.0 / M) : sqrt(2.0 / M), s = 0;
        for (int m = 0; m < M; m++) s += in[m] * cos(M_PI * k * (m + 0.5) / M);
        out[k] = (float)(scale * s);
    }
}

/* Log-mel energies of one frame of L samples into fb[num_mel]. */
static void frame_fbank(features_extractor *fx, const float *x, rng_state *r, float *fb)
{
    const features_config *c = &fx->c;
    int L = fx->L;
    float *f = fx->frame;
    double mean = 0;
    for (int i = 0; i < L; i++) {
        f[i] = x[i];
        if (c->dither > 0) f[i] += (float)(c->dither / 32768.0 * rng_normal(r));
        mean += f[i];
    }
    mean /= L;
    for (int i = 0; i < L; i++) f[i] -= (float)mean;
    /* Pre-emphasis runs backwards so each sample still sees its unmodified
     * predecessor. */
    for (int i = L - 1; i > 0; i--) f[i] -= c->preemph * f[i - 1];
    f[0] -= c->preemph * f[0];
    for (int i = 0; i < L; i++) f[i] *= fx->window[i];
    memset(f + L, 0, (size_t)(fx->nfft - L) * sizeof(float));
    fftwf_execute(fx->plan);
    /* The power spectrum overwrites the frame buffer (it is no longer needed). */
    float *power = f;
    for (int k = 0; k < fx->nbins; k++)
        power[k] = fx->spec[k][0] * fx->spec[k][0] + fx->spec[k][1] * fx->spec[k][1];
    const float *w = fx->mel_weight;
    for (int m = 0; m < c->num_mel; m++) {
        const float *p = power + fx->mel_first[m];
        float e = 0;
        for (int j = 0; j < fx->mel_count[m]; j++) e += w[j] * p[j];
        w += fx->mel_count[m];
        fb[m] = logf(e > FLT_EPSILON ? e : FLT_EPSILON);
    }
}

void features_deltas(const float *in, int in_stride, float *out, int out_stride, int T, int D)
{
    /* N = 2: denominator 2 * (1 + 4) = 10. */
    for (int t = 0; t < T; t++) {
        float *o = out + (size_t)t * out_stride;
        for (int d = 0; d < D; d++) o[d] = 0;
        for (int n = 1; n <= 2; n++) {
            int a = t + n < T ? t + n : T - 1, b = t - n >= 0 ? t - n : 0;
            const float *pa = in + (size_t)a * in_stride, *pb = in + (size_t)b * in_stride;
            for (int d = 0; d < D; d++) o[d] += n * (pa[d] - pb[d]) / 10.0f;
        }
    }
}

void features_cmvn(float *x, int T, int D)
{
    if (T <= 0) return;
    for (int d = 0; d < D; d++) {
        double s = 0, s2 = 0;
        for (int t = 0; t < T; t++) s += x[(size_t)t * D + d];
        double mean = s / T;
        for (int t = 0; t < T; t++) {
            double v = x[(size_t)t * D + d] - mean;
            s2 += v * v;
        }
        double sd = sqrt(s2 / T);
        float inv = (float)(1.0 / (sd > 1e-5 ? sd : 1e-5));
        for (int t = 0; t < T; t++)
            x[(size_t)t * D + d] = (float)((x[(size_t)t * D + d] - mean) * inv);
    }
}

int features_compute(features_extractor *fx, const float *x, size_t n, uint64_t index, float **out,
                     int *T)
{
    const features_config *c = &fx->c;
    int nt = features_num_frames(c, n);
    int S = c->kind == FEATURES_MFCC ? c->num_ceps : c->num_mel;
    int D = features_dim(c);
    *out = NULL;
    *T = nt;
    if (nt == 0) return 0;
    float *y = xmalloc((size_t)nt * (size_t)D * sizeof(float));
    float *fb = xmalloc((size_t)c->num_mel * sizeof(float));
    rng_state r;
    rng_seed(&r, c->seed * 0x9E3779B97F4A7C15ULL + index);
    for (int t = 0; t < nt; t++) {
        float *row = y + (size_t)t * D;
        if (c->kind == FEATURES_FBANK) {
            frame_fbank(fx, x + (size_t)t * fx->H, &r, row);
            continue;
        }
        frame_fbank(fx, x + (size_t)t * fx->H, &r, fb);
        for (int k = 0; k < S; k++) {
            const float *d = fx->dct + (size_t)k * c->num_mel;
            float s = 0;
            for (int m = 0; m < c->num_mel; m++) s += d[m] * fb[m];
            row[k] = s * fx->lifter[k];
        }
    }
    free(fb);
    for (int k = 1; k <= c->deltas; k++) features_deltas(y + (k - 1) * S, D, y + k * S, D, nt, S);
    if (c->cmvn) features_cmvn(y, nt, D);
    *out = y;
    return 0;
}
