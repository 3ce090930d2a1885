/* test_trainer.c — the shared trainer end to end on synthetic sequences:
 * a tiny network must overfit four utterances to zero errors; resuming from
 * a checkpoint reproduces an uninterrupted run bit for bit; fine-tuning
 * only the last layer leaves the others untouched; the model file
 * holds exactly the returned weights; a head masked for every utterance
 * leaves its output units untouched while another head learns; a NaN stops training with the epoch
 * and utterance named and the last good checkpoint intact. */
#include <check.h>

#include "base/error.h"
#include "base/model_file.h"
#include "nn/affine.h"
#include "nn/ctc_loss.h"
#include "nn/network.h"
#include "nn/softmax.h"
#include "nn/trainer.h"
#include "decode/ctc_beam.h"
#include "base/rng.h"
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { D = 6, V = 4, NUTT = 4 };
static const int labels[NUTT][4] = {{1, 2, 3}, {3, 3, 1}, {2, 1}, {1, 3, 2, 2}};
static const int nlabels[NUTT] = {3, 3, 2, 4};

/* Each symbol is a fixed random vector held for 3 frames (plus noise), with
 * 2 silent frames around and between symbols. */
static void make_set(train_set *s, uint64_t seed)
{
    rng_state r;
    rng_seed(&r, seed);
    float proto[V][D];
    for (int v = 0; v < V; v++)
        for (int d = 0; d < D; d++) proto[v][d] = (float)(2 * rng_uniform(&r) - 1);
    memset(s, 0, sizeof *s);
    s->n = NUTT;
    s->dim = D;
    s->x = calloc(NUTT, sizeof(float *));
    s->T = calloc(NUTT, sizeof(int));
    s->nheads = 1;
    s->tg[0].y = calloc(NUTT, sizeof(int *));
    s->tg[0].L = calloc(NUTT, sizeof(int));
    s->ids = calloc(NUTT, sizeof(char *));
    for (int u = 0; u < NUTT; u++) {
        int T = 2 + 5 * nlabels[u];
        s->T[u] = T;
        s->x[u] = calloc((size_t)T * D, sizeof(float));
        for (int k = 0; k < nlabels[u]; k++)
            for (int f = 0; f < 3; f++)
                for (int d = 0; d < D; d++)
                    s->x[u][(2 + 5 * k + f) * D + d] =
                        proto[labels[u][k]][d] + (float)(0.05 * rng_normal(&r));
        s->tg[0].L[u] = nlabels[u];
        s->tg[0].y[u] = malloc(sizeof(int) * 4);
        memcpy(s->tg[0].y[u], labels[u], sizeof(int) * 4);
        char id[16];
        snprintf(id, sizeof id, "utt%d", u);
        s->ids[u] = strdup(id);
    }
}

static void free_set(train_set *s)
{
    for (int u = 0; u < s->n; u++) free(s->x[u]), free(s->tg[0].y[u]), free(s->ids[u]);
    free(s->x), free(s->T), free(s->tg[0].y), free(s->tg[0].L), free(s->ids);
}

static void config(trainer_config *c, const char *dir, int epochs)
{
    trainer_config_default(c);
    c->epochs = epochs;
    c->opt.lr = 0.01f;
    c->batch_frames = 40; /* two batches */
    c->max_batch = 2;
    c->quiet = 1;
    c->exp_dir = dir;
    c->io = test_io();
    c->seed = 3;
}

static float *read_weights(const char *path, size_t n)
{
    model_file m;
    ck_assert_msg(model_file_read(path, &m) == 0, "%s", asr_last_error());
    const model_section *w = model_file_get(&m, "weights");
    ck_assert_ptr_nonnull(w);
    ck_assert_uint_eq(w->size, n * sizeof(float));
    float *p = malloc(w->size);
    memcpy(p, w->data, w->size);
    model_file_free(&m);
    return p;
}

static const char *net_desc = "conv 32 3 1 1; relu; dropout 0.1; conv 32 3 1 1; relu; affine out";

START_TEST(a_tiny_network_overfits_four_utterances)
{
    train_set s;
    make_set(&s, 1);
    network net;
    ck_assert_int_eq(network_build(&net, net_desc, D, V), 0);
    float *p = malloc(sizeof(float) * net.num_params);
    network_init(&net, p, 1);
    trainer_config c;
    config(&c, test_path("overfit"), 150);
    model_file base;
    model_file_init(&base);
    model_file_put_text(&base, "pipeline", "test");
    ck_assert_msg(trainer_run(&net, p, &s, &s, &c, &base, 0) == 0, "%s", asr_last_error());
    network_work w;
    network_work_init(&w, &net);
    for (int u = 0; u < NUTT; u++) {
        int To, olen;
        const float *lg =
            network_forward(&net, p, &w, s.x[u], &s.T[u], 1, s.T[u], 0, NULL, &To, &olen);
        float lp[64 * V];
        log_softmax_forward(lp, lg, olen, V);
        int out[64];
        int n = ctc_greedy(lp, olen, V, out);
        ck_assert_int_eq(n, nlabels[u]);
        ck_assert_mem_eq(out, labels[u], sizeof(int) * (size_t)n);
    }
    /* final.mdl holds exactly the returned weights. */
    char path[512];
    snprintf(path, sizeof path, "%s/final.mdl", c.exp_dir);
    float *fw = read_weights(path, net.num_params);
    ck_assert_mem_eq(fw, p, sizeof(float) * net.num_params);
    free(fw);
    network_work_free(&w, &net);
    model_file_free(&base);
    network_free(&net);
    free(p);
    free_set(&s);
}
END_TEST

/* Two heads on one network: head "a" = the labels (columns 0..3), head "b"
 * (columns 4..6) masked for every utterance. Head a must still learn, and
 * head b's output units must not move at all: a masked head gets exactly
 * zero gradient, and Adam turns zero gradients into zero steps. */
START_TEST(a_head_masked_everywhere_keeps_its_output_units)
{
    train_set s;
    make_set(&s, 4);
    s.nheads = 2;
    s.tg[1].y = calloc(NUTT, sizeof(int *)); /* all NULL: no labels */
    s.tg[1].L = calloc(NUTT, sizeof(int));
    const mt_head heads[2] = {{"a", 0, V, MT_CTC, 1.0f}, {"b", V, 3, MT_CTC, 1.0f}};
    network net;
    ck_assert_int_eq(network_build(&net, net_desc, D, V + 3), 0);
    float *p = malloc(sizeof(float) * net.num_params);
    network_init(&net, p, 1);
    const nn_layer *out = &net.layers[net.n - 1];
    ck_assert_ptr_eq(out->kind, &nn_affine_kind);
    /* affine: weight [out][in], then bias [out] */
    size_t wb = out->w + (size_t)V * out->in, nb = (size_t)3 * out->in;
    size_t bias = out->w + (size_t)out->out * out->in;
    float *w0 = malloc(sizeof(float) * nb), b0[3];
    memcpy(w0, p + wb, sizeof(float) * nb);
    memcpy(b0, p + bias + V, sizeof b0);
    trainer_config c;
    config(&c, test_path("masked"), 150);
    c.heads = heads;
    c.nheads = 2;
    model_file base;
    model_file_init(&base);
    model_file_put_text(&base, "pipeline", "test");
    ck_assert_msg(trainer_run(&net, p, &s, &s, &c, &base, 0) == 0, "%s", asr_last_error());
    ck_assert_mem_eq(p + wb, w0, sizeof(float) * nb);
    ck_assert_mem_eq(p + bias + V, b0, sizeof b0);
    network_work w;
    network_work_init(&w, &net);
    for (int u = 0; u < NUTT; u++) {
        int To, olen;
        const float *lg =
            network_forward(&net, p, &w, s.x[u], &s.T[u], 1, s.T[u], 0, NULL, &To, &olen);
        float a[64 * V], lp[64 * V];
        for (int t = 0; t < olen; t++) memcpy(a + t * V, lg + t * (V + 3), sizeof(float) * V);
        log_softmax_forward(lp, a, olen, V);
        int sym[64];
        int n = ctc_greedy(lp, olen, V, sym);
        ck_assert_int_eq(n, nlabels[u]);
        ck_assert_mem_eq(sym, labels[u], sizeof(int) * (size_t)n);
    }
    /* A set without targets for every head is refused, naming the counts. */
    c.nheads = 1;
    ck_assert_int_eq(trainer_run(&net, p, &s, &s, &c, &base, 0), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "2 output heads"));
    network_work_free(&w, &net);
    free(s.tg[1].y), free(s.tg[1].L);
    model_file_free(&base);
    network_free(&net);
    free(w0), free(p);
    free_set(&s);
}
END_TEST

/* Transfer learning: a network trained on the four utterances lends its
 * hidden layers to a new network whose output layer covers a bigger symbol
 * set (so it cannot be copied). With every layer but the output frozen, the
 * backward pass never reaches the hidden layers, training leaves them bit
 * for bit as copied, and the new output layer alone learns the task on the
 * borrowed features. */
START_TEST(fine_tuning_the_last_layer_keeps_the_others)
{
    train_set s;
    make_set(&s, 1);
    network src, dst;
    ck_assert_int_eq(network_build(&src, net_desc, D, V), 0);
    ck_assert_int_eq(network_build(&dst, net_desc, D, V + 2), 0);
    float *ps = malloc(sizeof(float) * src.num_params),
          *pd = malloc(sizeof(float) * dst.num_params);
    network_init(&src, ps, 1);
    trainer_config c;
    config(&c, test_path("pretrain"), 150);
    model_file base;
    model_file_init(&base);
    model_file_put_text(&base, "pipeline", "test");
    ck_assert_msg(trainer_run(&src, ps, &s, &s, &c, &base, 0) == 0, "%s", asr_last_error());

    network_init(&dst, pd, 2);
    int copied[8];
    ck_assert_int_eq(network_copy_matching(&dst, pd, &src, ps, copied), 2);
    int last = network_last_param_layer(&dst);
    ck_assert_int_eq(last, dst.n - 1);
    for (int i = 0; i < dst.n; i++) ck_assert_int_eq(copied[i], i == 0 || i == 3);
    size_t head = network_param_offset(&dst, last);
    ck_assert_uint_eq(head, network_param_offset(&src, last));
    ck_assert_mem_eq(pd, ps, sizeof(float) * head);

    /* Backward with the hidden layers frozen writes no gradient below. */
    network_work w;
    network_work_init(&w, &dst);
    w.frozen = last;
    float *g = malloc(sizeof(float) * dst.num_params);
    for (size_t i = 0; i < dst.num_params; i++) g[i] = 7.0f;
    int To, olen;
    rng_state rr;
    rng_seed(&rr, 5);
    network_forward(&dst, pd, &w, s.x[0], &s.T[0], 1, s.T[0], 1, &rr, &To, &olen);
    float *dl = calloc((size_t)To * (V + 2), sizeof(float));
    for (int i = 0; i < To * (V + 2); i++) dl[i] = 0.01f * (float)(i % 7);
    network_backward(&dst, pd, g, &w, dl, NULL);
    for (size_t i = 0; i < head; i++) ck_assert_float_eq(g[i], 7.0f);
    int moved = 0;
    for (size_t i = head; i < dst.num_params; i++) moved += g[i] != 7.0f;
    ck_assert_int_gt(moved, 0);

    float *before = malloc(sizeof(float) * dst.num_params);
    memcpy(before, pd, sizeof(float) * dst.num_params);
    config(&c, test_path("finetune"), 150);
    c.freeze = last;
    c.opt.weight_decay = 1e-3f; /* would shrink the hidden layers if they were trained */
    ck_assert_msg(trainer_run(&dst, pd, &s, &s, &c, &base, 0) == 0, "%s", asr_last_error());
    ck_assert_mem_eq(pd, before, sizeof(float) * head);
    ck_assert(memcmp(pd + head, before + head, sizeof(float) * (dst.num_params - head)) != 0);
    w.frozen = 0;
    for (int u = 0; u < NUTT; u++) {
        const float *lg =
            network_forward(&dst, pd, &w, s.x[u], &s.T[u], 1, s.T[u], 0, NULL, &To, &olen);
        float lp[64 * (V + 2)];
        log_softmax_forward(lp, lg, olen, V + 2);
        int out[64];
        int n = ctc_greedy(lp, olen, V + 2, out);
        ck_assert_int_eq(n, nlabels[u]);
        ck_assert_mem_eq(out, labels[u], sizeof(int) * (size_t)n);
    }
    /* Freezing more layers than the network has is refused. */
    c.freeze = dst.n + 1;
    ck_assert_int_eq(trainer_run(&dst, pd, &s, &s, &c, &base, 0), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "freeze"));
    network_work_free(&w, &dst);
    free(before), free(g), free(dl), free(ps), free(pd);
    model_file_free(&base);
    network_free(&src);
    network_free(&dst);
    free_set(&s);
}
END_TEST

START_TEST(resume_reproduces_an_uninterrupted_run)
{
    train_set s;
    make_set(&s, 2);
    network net;
    ck_assert_int_eq(network_build(&net, net_desc, D, V), 0);
    model_file base;
    model_file_init(&base);
    model_file_put_text(&base, "pipeline", "test");
    float *a = malloc(sizeof(float) * net.num_params), *b = malloc(sizeof(float) * net.num_params);
    trainer_config c;
    /* Uninterrupted: 6 epochs, with SpecAugment and dropout drawing numbers. */
    network_init(&net, a, 9);
    config(&c, test_path("whole"), 6);
    c.specaug = 1;
    c.aug = (specaug_config){1, 2, 1, 3, 0.3f};
    ck_assert_int_eq(trainer_run(&net, a, &s, &s, &c, &base, 0), 0);
    /* Killed after epoch 3 (its checkpoint is what a kill leaves), resumed to 6. */
    network_init(&net, b, 9);
    c.exp_dir = test_path("killed");
    c.epochs = 3;
    ck_assert_int_eq(trainer_run(&net, b, &s, &s, &c, &base, 0), 0);
    float *junk = b; /* a resumed run takes nothing from memory */
    for (size_t i = 0; i < net.num_params; i++) junk[i] = 0;
    c.epochs = 6;
    ck_assert_msg(trainer_run(&net, b, &s, &s, &c, &base, 1) == 0, "%s", asr_last_error());
    char pa[512], pb[512];
    snprintf(pa, sizeof pa, "%s/checkpoint.mdl", test_path("whole"));
    snprintf(pb, sizeof pb, "%s/checkpoint.mdl", test_path("killed"));
    float *wa = read_weights(pa, net.num_params), *wb = read_weights(pb, net.num_params);
    ck_assert_mem_eq(wa, wb, sizeof(float) * net.num_params);
    ck_assert_mem_eq(a, b, sizeof(float) * net.num_params);
    free(wa), free(wb), free(a), free(b);
    model_file_free(&base);
    network_free(&net);
    free_set(&s);
}
END_TEST

START_TEST(a_nan_stops_training_and_keeps_the_checkpoint)
{
    train_set s;
    make_set(&s, 3);
    network net;
    ck_assert_int_eq(network_build(&net, net_desc, D, V), 0);
    model_file base;
    model_file_init(&base);
    model_file_put_text(&base, "pipeline", "test");
    float *p = malloc(sizeof(float) * net.num_params);
    network_init(&net, p, 1);
    trainer_config c;
    config(&c, test_path("nan"), 2);
    ck_assert_int_eq(trainer_run(&net, p, &s, &s, &c, &base, 0), 0);
    char ck[512];
    snprintf(ck, sizeof ck, "%s/checkpoint.mdl", c.exp_dir);
    float *before = read_weights(ck, net.num_params);
    s.x[2][7 * D + 1] = NAN;
    c.epochs = 4;
    ck_assert_int_eq(trainer_run(&net, p, &s, &s, &c, &base, 1), -1);
    ck_assert_msg(strstr(asr_last_error(), "epoch 3") && strstr(asr_last_error(), "utt2"), "%s",
                  asr_last_error());
    float *after = read_weights(ck, net.num_params);
    ck_assert_mem_eq(before, after, sizeof(float) * net.num_params);
    free(before), free(after), free(p);
    model_file_free(&base);
    network_free(&net);
    free_set(&s);
}
END_TEST

/* ema: the weight average is what validation and the model files get, and
 * it is in the checkpoint, so a resumed run reproduces an uninterrupted one;
 * a checkpoint without it cannot be resumed with it. */
START_TEST(the_weight_average_resumes_exactly)
{
    train_set s;
    make_set(&s, 2);
    network net;
    ck_assert_int_eq(network_build(&net, net_desc, D, V), 0);
    model_file base;
    model_file_init(&base);
    model_file_put_text(&base, "pipeline", "test");
    size_t np = net.num_params;
    float *a = malloc(sizeof(float) * np), *b = malloc(sizeof(float) * np);
    float *plain = malloc(sizeof(float) * np);
    trainer_config c;
    network_init(&net, plain, 9);
    config(&c, test_path("plain"), 4);
    ck_assert_int_eq(trainer_run(&net, plain, &s, &s, &c, &base, 0), 0);
    network_init(&net, a, 9);
    config(&c, test_path("ema_whole"), 4);
    c.ema = 0.9f;
    ck_assert_int_eq(trainer_run(&net, a, &s, &s, &c, &base, 0), 0);
    /* The average is not the last step's weights: the model differs. */
    ck_assert(memcmp(a, plain, sizeof(float) * np) != 0);
    network_init(&net, b, 9);
    c.exp_dir = test_path("ema_killed");
    c.epochs = 2;
    ck_assert_int_eq(trainer_run(&net, b, &s, &s, &c, &base, 0), 0);
    for (size_t i = 0; i < np; i++) b[i] = 0;
    c.epochs = 4;
    ck_assert_msg(trainer_run(&net, b, &s, &s, &c, &base, 1) == 0, "%s", asr_last_error());
    ck_assert_mem_eq(a, b, sizeof(float) * np);
    char pa[512];
    snprintf(pa, sizeof pa, "%s/checkpoint.mdl", test_path("ema_whole"));
    model_file m;
    ck_assert_int_eq(model_file_read(pa, &m), 0);
    const model_section *avg = model_file_get(&m, "weights.ema");
    ck_assert_ptr_nonnull(avg);
    ck_assert_uint_eq(avg->size, sizeof(float) * np);
    model_file_free(&m);
    /* A run without an average cannot be resumed with one. */
    c.exp_dir = test_path("plain");
    c.epochs = 5;
    ck_assert_int_eq(trainer_run(&net, b, &s, &s, &c, &base, 1), -1);
    ck_assert_msg(strstr(asr_last_error(), "ema"), "%s", asr_last_error());
    free(a), free(b), free(plain);
    model_file_free(&base);
    network_free(&net);
    free_set(&s);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("trainer");
    TCase *tc = tcase_create("trainer");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, a_tiny_network_overfits_four_utterances);
    tcase_add_test(tc, a_head_masked_everywhere_keeps_its_output_units);
    tcase_add_test(tc, fine_tuning_the_last_layer_keeps_the_others);
    tcase_add_test(tc, resume_reproduces_an_uninterrupted_run);
    tcase_add_test(tc, the_weight_average_resumes_exactly);
    tcase_add_test(tc, a_nan_stops_training_and_keeps_the_checkpoint);
    suite_add_tcase(s, tc);
    return s;
}
