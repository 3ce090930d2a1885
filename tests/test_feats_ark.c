/* test_feats_ark.c — src/recognizer/feats_ark.c: feature archives round-trip,
 * and damaged or hostile ones (truncated, flipped bytes, dims, record sizes,
 * non-finite values, ids) are refused naming the file and the utterance. */
#include <check.h>

#include "base/error.h"
#include "recognizer/feats_ark.h"
#include "recognizer/options.h"
#include "signal/features.h"
#include "base/model_file.h"
#include "testutil.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(archive_round_trips_and_damage_is_refused)
{
    feats_ark a = {0};
    features_config_default(&a.config);
    a.config.deltas = 1;
    a.dim = 26;
    a.n = 3;
    a.utts = calloc(3, sizeof *a.utts);
    const char *ids[] = {"u1", "u2", "u3"};
    for (int i = 0; i < 3; i++) {
        a.utts[i].id = strdup(ids[i]);
        a.utts[i].T = i * 5;
        a.utts[i].x = malloc(sizeof(float) * (size_t)(i * 5 * 26 + 1));
        for (int j = 0; j < i * 5 * 26; j++) a.utts[i].x[j] = (float)(j * 0.25 - i);
    }
    char *p = test_path("f.ark");
    ck_assert_int_eq(feats_ark_write(test_io(), p, &a), 0);
    feats_ark b;
    ck_assert_int_eq(feats_ark_read(p, &b), 0);
    ck_assert_int_eq(b.n, 3);
    ck_assert_int_eq(b.dim, 26);
    ck_assert_int_eq(b.config.deltas, 1);
    for (int i = 0; i < 3; i++) {
        ck_assert_str_eq(b.utts[i].id, ids[i]);
        ck_assert_int_eq(b.utts[i].T, i * 5);
        ck_assert_mem_eq(b.utts[i].x, a.utts[i].x, sizeof(float) * (size_t)(i * 5 * 26));
    }
    feats_ark_free(&b);
    /* Truncate by one byte, then flip a byte: both refused with the name. */
    FILE *f = fopen(p, "rb");
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    unsigned char *buf = malloc((size_t)size);
    ck_assert_int_eq(fread(buf, 1, (size_t)size, f), size);
    fclose(f);
    char *q = test_path("cut.ark");
    f = fopen(q, "wb");
    fwrite(buf, 1, (size_t)size - 1, f);
    fclose(f);
    ck_assert_int_eq(feats_ark_read(q, &b), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "cut.ark"));
    buf[size / 2] ^= 0x40;
    f = fopen(q, "wb");
    fwrite(buf, 1, (size_t)size, f);
    fclose(f);
    ck_assert_int_eq(feats_ark_read(q, &b), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "checksum"));
    free(buf);
    free(p);
    free(q);
    feats_ark_free(&a);
}
END_TEST

/* An archive NAME of default MFCCs (13 values a frame) claiming DIM, with
 * one utterance record "utt:ID": T frames, then NX values of X. */
static char *crafted_ark(const char *name, uint32_t dim, const char *id, uint32_t T, const float *x,
                         size_t nx)
{
    model_file m;
    model_file_init(&m);
    model_file_put_text(&m, "content", "features");
    features_config c;
    features_config_default(&c);
    char *cfg = features_config_format(&c);
    model_file_put_text(&m, "features", cfg);
    free(cfg);
    model_file_put(&m, "dim", &dim, 4);
    unsigned char *rec = malloc(4 + nx * sizeof(float));
    memcpy(rec, &T, 4);
    memcpy(rec + 4, x, nx * sizeof(float));
    char sec[64];
    snprintf(sec, sizeof sec, "utt:%s", id);
    model_file_put(&m, sec, rec, 4 + nx * sizeof(float));
    free(rec);
    char *p = test_path(name);
    ck_assert_int_eq(model_file_write(&m, test_io(), p), 0);
    model_file_free(&m);
    return p;
}

static void ark_refused(const char *path, const char *want)
{
    feats_ark a;
    ck_assert_int_eq(feats_ark_read(path, &a), -1);
    ck_assert_msg(strstr(asr_last_error(), want) != NULL, "message '%s' lacks '%s'",
                  asr_last_error(), want);
}

START_TEST(archive_values_dims_and_ids_are_checked)
{
    float x[2 * 13];
    for (int i = 0; i < 26; i++) x[i] = (float)i;
    feats_ark a;
    char *p = crafted_ark("ok.ark", 13, "u1", 2, x, 26);
    ck_assert_int_eq(feats_ark_read(p, &a), 0);
    ck_assert_int_eq(a.n, 1);
    ck_assert_int_eq(a.utts[0].T, 2);
    feats_ark_free(&a);
    free(p);
    /* NaN and Inf passed through to training and decoding. */
    x[14] = NAN;
    p = crafted_ark("nan.ark", 13, "u1", 2, x, 26);
    ark_refused(p, "nan.ark: utterance 'u1': frame 1, value 1 is not a finite number");
    free(p);
    x[14] = 0;
    x[3] = -INFINITY;
    p = crafted_ark("inf.ark", 13, "u1", 2, x, 26);
    ark_refused(p, "inf.ark: utterance 'u1': frame 0, value 3 is not a finite");
    free(p);
    x[3] = 0;
    /* Dims outside any configuration, said as such (4294967295 was -1). */
    p = crafted_ark("dim0.ark", 0, "u1", 0, x, 0);
    ark_refused(p, "dim0.ark: dim 0: expected 1 to 65536 values per frame");
    free(p);
    p = crafted_ark("dimbig.ark", 0xffffffffu, "u1", 0, x, 0);
    ark_refused(p, "dimbig.ark: dim 4294967295: expected 1 to 65536");
    free(p);
    /* A frame count whose size wraps, a record one value short. */
    p = crafted_ark("wrap.ark", 13, "u1", 0x80000001u, x, 26);
    ark_refused(p, "wrap.ark: utterance 'u1': record size does not match its frame count");
    free(p);
    p = crafted_ark("short.ark", 13, "u1", 2, x, 25);
    ark_refused(p, "short.ark: utterance 'u1': record size");
    free(p);
    /* A record without an id. */
    p = crafted_ark("noid.ark", 13, "", 2, x, 26);
    ark_refused(p, "noid.ark: an utterance record with an empty id");
    free(p);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("feats_ark");
    TCase *tc = tcase_create("feats_ark");
    tcase_add_test(tc, archive_round_trips_and_damage_is_refused);
    tcase_add_test(tc, archive_values_dims_and_ids_are_checked);
    suite_add_tcase(s, tc);
    return s;
}
