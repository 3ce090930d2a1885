/* testgrad.c — see testgrad.h. */
#include "testgrad.h"

#include "base/error.h"
#include "nn/ctc_loss.h"
#include "nn/network.h"

#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void test_fill(rng_state *r, float *x, size_t n, double lo, double hi)
{
    for (size_t i = 0; i < n; i++) x[i] = (float)(lo + (hi - lo) * rng_uniform(r));
}

double test_dot(const float *a, const float *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += (double)a[i] * b[i];
    return s;
}

void test_check_close(double analytic, double numeric, double rel, double abs_tol, int i)
{
    ck_assert_msg(fabs(analytic - numeric) <= abs_tol + rel * fabs(numeric),
                  "element %d: analytic %.6g vs numeric %.6g", i, analytic, numeric);
}

void test_fd_check(float *v, const float *grad, int n, double (*loss)(void), double e, double rel)
{
    for (int i = 0; i < n; i++) {
        float keep = v[i];
        v[i] = keep + (float)e;
        double lp = loss();
        v[i] = keep - (float)e;
        double lm = loss();
        v[i] = keep;
        test_check_close(grad[i], (lp - lm) / (2 * e), rel, 1e-4, i);
    }
}

/* ---- a whole network under CTC ---- */

enum { NB = 2, NT = 9, ND = 3, NV = 3 };
static network g_net;
static network_work g_work;
static float *g_params, g_x[NB * NT * ND];
static const int g_lens[NB] = {NT, 6};
static const int g_targets[NB][2] = {{1, 2}, {2, 2}};

static const float *net_logits(network_work *w, int train, int *To, int *olens)
{
    return network_forward(&g_net, g_params, w, g_x, g_lens, NB, NT, train, NULL, To, olens);
}

static double net_loss(void)
{
    int To, olens[NB];
    const float *lg = net_logits(&g_work, 0, &To, olens);
    double s = 0;
    for (int b = 0; b < NB; b++)
        s += ctc_loss(lg + b * To * NV, olens[b], NV, g_targets[b], 2, NULL, 1);
    return s;
}

void test_network_gradients(const char *desc, const char *canonical, double rel)
{
    ck_assert_msg(network_build(&g_net, desc, ND, NV) == 0, "%s", asr_last_error());
    g_params = malloc(sizeof(float) * g_net.num_params);
    network_init(&g_net, g_params, 4);
    rng_state r;
    rng_seed(&r, 2);
    for (size_t i = 0; i < g_net.num_params; i++) g_params[i] += (float)(0.1 * rng_normal(&r));
    test_fill(&r, g_x, NB * NT * ND, -1, 1);
    size_t pad = (size_t)(NT + g_lens[1]) * ND, end = (size_t)NB * NT * ND;
    network_work_init(&g_work, &g_net);
    int To, olens[NB];
    /* The shorter utterance's padding is never read: poisoned, the valid
     * output frames are the same, byte for byte. */
    float clean[NB * NT * NV];
    const float *lc = net_logits(&g_work, 0, &To, olens);
    memcpy(clean, lc, sizeof(float) * NB * To * NV);
    for (size_t i = pad; i < end; i++) g_x[i] = 1e6f;
    const float *lp = net_logits(&g_work, 0, &To, olens);
    for (int b = 0; b < NB; b++)
        ck_assert_mem_eq(lp + b * To * NV, clean + b * To * NV, sizeof(float) * olens[b] * NV);
    /* Inference (two ping-pong buffers) gives exactly the training-mode logits. */
    network_work iw;
    network_work_init(&iw, &g_net);
    const float *li = net_logits(&iw, 0, &To, olens);
    const float *lg = net_logits(&g_work, 1, &To, olens);
    ck_assert_mem_eq(li, lg, sizeof(float) * NB * (size_t)To * NV);
    network_work_free(&iw, &g_net);
    float dl[NB * NT * NV] = {0};
    for (int b = 0; b < NB; b++)
        ctc_loss(lg + b * To * NV, olens[b], NV, g_targets[b], 2, dl + b * To * NV, 1);
    float *g = calloc(g_net.num_params, sizeof(float)), dx[NB * NT * ND];
    network_backward(&g_net, g_params, g, &g_work, dl, dx);
    test_fd_check(g_params, g, (int)g_net.num_params, net_loss, 1e-2, rel);
    test_fd_check(g_x, dx, (int)pad, net_loss, 1e-3, rel);
    for (size_t i = pad; i < end; i++) ck_assert_float_eq(dx[i], 0);
    char *d = network_describe(&g_net);
    ck_assert_str_eq(d, canonical);
    free(d);
    network_work_free(&g_work, &g_net);
    network_free(&g_net);
    free(g_params);
    free(g);
}
