/* noise.c — see noise.h. */
#include "signal/noise.h"

#include "base/error.h"

#include <stdlib.h>

#include <fftw3.h>
#include <math.h>
#include <string.h>

size_t noise_active_mask(const float *x, size_t n, int rate, unsigned char *active)
{
    size_t win = (size_t)rate * 25 / 1000, hop = (size_t)rate / 100;
    if (win < 1) win = 1;
    if (hop < 1) hop = 1;
    memset(active, 0, n);
    double maxe = 0;
    for (size_t pass = 0; pass < 2; pass++) {
        double thr = maxe * 1e-4; /* -40 dB */
        for (size_t st = 0; st < n; st += hop) {
            size_t len = st + win <= n ? win : n - st;
            double e = 0;
            for (size_t i = 0; i < len; i++) e += (double)x[st + i] * x[st + i];
            e /= (double)len;
            if (pass == 0) {
                if (e > maxe) maxe = e;
            } else if (e > thr && e > 0) {
                memset(active + st, 1, len);
            }
            if (st + win >= n) break;
        }
    }
    size_t c = 0;
    for (size_t i = 0; i < n; i++) c += active[i];
    return c;
}

double noise_masked_power(const float *x, size_t n, const unsigned char *active)
{
    double e = 0;
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (active[i]) {
            e += (double)x[i] * x[i];
            c++;
        }
    return c ? e / (double)c : 0;
}

int noise_mix_snr(const float *s, const float *nz, size_t n, int rate, double snr_db, float *out,
                  double *noise_scale, double *gain)
{
    unsigned char *act = malloc(n ? n : 1);
    if (!act) return asr_error("noise_mix_snr: out of memory");
    noise_active_mask(s, n, rate, act);
    double ps = noise_masked_power(s, n, act), pn = noise_masked_power(nz, n, act);
    free(act);
    if (ps <= 0) return asr_error("noise_mix_snr: speech has no energy");
    if (pn <= 0) return asr_error("noise_mix_snr: noise is silent over the speech");
    double a = sqrt(ps / (pn * pow(10.0, snr_db / 10.0))), peak = 0;
    for (size_t i = 0; i < n; i++) {
        double v = s[i] + a * nz[i];
        if (fabs(v) > peak) peak = fabs(v);
    }
    double g = peak > NOISE_PEAK_CEILING ? NOISE_PEAK_CEILING / peak : 1.0;
    for (size_t i = 0; i < n; i++) out[i] = (float)(g * (s[i] + a * nz[i]));
    *noise_scale = a;
    *gain = g;
    return 0;
}

static void normalise(float *x, size_t n)
{
    double e = 0;
    for (size_t i = 0; i < n; i++) e += (double)x[i] * x[i];
    if (e <= 0) return;
    float k = (float)(1.0 / sqrt(e / (double)n));
    for (size_t i = 0; i < n; i++) x[i] *= k;
}

void noise_white(rng_state *r, float *out, size_t n)
{
    for (size_t i = 0; i < n; i++) out[i] = (float)rng_normal(r);
    normalise(out, n);
}

void noise_pink(rng_state *r, float *out, size_t n)
{
    enum { ROWS = 16 };
    double row[ROWS], sum = 0;
    for (int k = 0; k < ROWS; k++) sum += row[k] = rng_normal(r);
    for (size_t i = 0; i < n; i++) {
        /* Row k changes every 2^k samples: update the row given by the
         * number of trailing zeros of the counter. */
        size_t c = i + 1;
        int k = 0;
        while (k < ROWS - 1 && !(c & 1)) {
            c >>= 1;
            k++;
        }
        double v = rng_normal(r);
        sum += v - row[k];
        row[k] = v;
        out[i] = (float)(sum + rng_normal(r));
    }
    normalise(out, n);
}

void noise_brown(rng_state *r, float *out, size_t n)
{
    double y = 0;
    for (size_t i = 0; i < n; i++) {
        y = 0.998 * y + rng_normal(r);
        out[i] = (float)y;
    }
    normalise(out, n);
}

void noise_rir_synth(rng_state *r, double rt60, int rate, float *h, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        double t = (double)i / rate;
        h[i] = i == 0 ? 1.0f : (float)(0.3 * rng_normal(r) * exp(-6.9 * t / rt60));
    }
}

int noise_reverb(const float *x, size_t n, const float *h, size_t len, float *out)
{
    float peak = 0;
    for (size_t i = 0; i < len; i++)
        if (fabsf(h[i]) > peak) peak = fabsf(h[i]);
    /* A silent (or non-finite) response would silence the speech. */
    if (!(peak > 0 && isfinite(peak)))
        return asr_error("noise_reverb: the impulse response is %s",
                         peak > 0 ? "not finite" : "silent (all zeros)");
    size_t m = n + len - 1, nfft = 1;
    while (nfft < m) nfft <<= 1;
    float *a = fftwf_alloc_real(nfft), *b = fftwf_alloc_real(nfft);
    fftwf_complex *fa = fftwf_alloc_complex(nfft / 2 + 1), *fb = fftwf_alloc_complex(nfft / 2 + 1);
    if (!a || !b || !fa || !fb) {
        fftwf_free(a);
        fftwf_free(b);
        fftwf_free(fa);
        fftwf_free(fb);
        return asr_error("noise_reverb: out of memory");
    }
    /* The FFTW planner is not thread-safe (features.c shares this lock). */
    fftwf_plan pa, pb, pi;
#pragma omp critical(asr_fftw_planner)
    {
        pa = fftwf_plan_dft_r2c_1d((int)nfft, a, fa, FFTW_ESTIMATE);
        pb = fftwf_plan_dft_r2c_1d((int)nfft, b, fb, FFTW_ESTIMATE);
        pi = fftwf_plan_dft_c2r_1d((int)nfft, fa, a, FFTW_ESTIMATE);
    }
    memset(a, 0, nfft * sizeof *a);
    memset(b, 0, nfft * sizeof *b);
    memcpy(a, x, n * sizeof *a);
    memcpy(b, h, len * sizeof *b);
    fftwf_execute(pa);
    fftwf_execute(pb);
    for (size_t k = 0; k < nfft / 2 + 1; k++) {
        float re = fa[k][0] * fb[k][0] - fa[k][1] * fb[k][1];
        float im = fa[k][0] * fb[k][1] + fa[k][1] * fb[k][0];
        fa[k][0] = re;
        fa[k][1] = im;
    }
    fftwf_execute(pi);
    float k = 1.0f / (peak * (float)nfft);
    for (size_t i = 0; i < m; i++) out[i] = a[i] * k;
#pragma omp critical(asr_fftw_planner)
    {
        fftwf_destroy_plan(pa);
        fftwf_destroy_plan(pb);
        fftwf_destroy_plan(pi);
    }
    fftwf_free(a);
    fftwf_free(b);
    fftwf_free(fa);
    fftwf_free(fb);
    return 0;
}

void noise_loop(const float *src, size_t nsrc, size_t offset, float *out, size_t n)
{
    size_t p = offset % nsrc;
    for (size_t i = 0; i < n; i++) {
        out[i] = src[p];
        if (++p == nsrc) p = 0;
    }
}

int noise_babble(rng_state *r, const float *const *srcs, const size_t *lens, int nsrc, int self,
                 int k, float *out, size_t n, int *chosen)
{
    int navail = nsrc - (self >= 0 && self < nsrc);
    if (k < 1 || k > navail)
        return asr_error("babble: need %d other utterances, have %d", k, navail);
    int *idx = malloc((size_t)nsrc * sizeof *idx);
    float *tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (!idx || !tmp) {
        free(idx);
        free(tmp);
        return asr_error("babble: out of memory");
    }
    int m = 0;
    for (int j = 0; j < nsrc; j++)
        if (j != self) idx[m++] = j;
    rng_shuffle_int(r, idx, m);
    memset(out, 0, n * sizeof *out);
    for (int j = 0; j < k; j++) {
        int s = idx[j];
        chosen[j] = s;
        noise_loop(srcs[s], lens[s], (size_t)rng_below(r, lens[s]), tmp, n);
        normalise(tmp, n);
        for (size_t i = 0; i < n; i++) out[i] += tmp[i];
    }
    free(idx);
    free(tmp);
    return 0;
}
