/* test_model_file.c — the model container round-trips bit-exactly and refuses
 * damaged files, other versions and non-models with a message naming the file. */
#include <check.h>

#include "error.h"
#include "model_file.h"
#include "testutil.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *write_sample(const char *name)
{
    model_file m;
    model_file_init(&m);
    model_file_put_text(&m, "pipeline", "direct");
    model_file_put_text(&m, "symbols", "<blk>\na\nb\n");
    float w[1000];
    for (int i = 0; i < 1000; i++) w[i] = (float)i * 0.37f - 100.0f;
    w[3] = -0.0f;
    model_file_put(&m, "weights", w, sizeof w);
    char *p = test_path(name);
    ck_assert_int_eq(model_file_write(&m, p), 0);
    model_file_free(&m);
    return p;
}

static size_t file_bytes(const char *path, unsigned char **out)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    *out = malloc((size_t)n);
    ck_assert_int_eq(fread(*out, 1, (size_t)n, f), n);
    fclose(f);
    return (size_t)n;
}

static void put_bytes(const char *path, const unsigned char *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_int_eq(fwrite(b, 1, n, f), n);
    fclose(f);
}

START_TEST(round_trip_bit_exact)
{
    char *p = write_sample("m1.mdl");
    model_file m;
    ck_assert_int_eq(model_file_read(p, &m), 0);
    ck_assert_str_eq(model_file_text(&m, "pipeline"), "direct");
    ck_assert_str_eq(model_file_text(&m, "symbols"), "<blk>\na\nb\n");
    const model_section *s = model_file_get(&m, "weights");
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(s->size, 1000 * sizeof(float));
    float w[1000];
    for (int i = 0; i < 1000; i++) w[i] = (float)i * 0.37f - 100.0f;
    w[3] = -0.0f;
    ck_assert_int_eq(memcmp(s->data, w, sizeof w), 0);
    ck_assert_ptr_null(model_file_get(&m, "nope"));
    /* Writing what was read gives the same bytes. */
    char *p2 = test_path("m1-again.mdl");
    ck_assert_int_eq(model_file_write(&m, p2), 0);
    unsigned char *a, *b;
    size_t na = file_bytes(p, &a), nb = file_bytes(p2, &b);
    ck_assert_uint_eq(na, nb);
    ck_assert_int_eq(memcmp(a, b, na), 0);
    free(a);
    free(b);
    model_file_free(&m);
}
END_TEST

START_TEST(every_flipped_byte_is_refused)
{
    char *p = write_sample("m2.mdl");
    unsigned char *b;
    size_t n = file_bytes(p, &b);
    char *q = test_path("m2-bad.mdl");
    model_file m;
    /* Flip one bit at a spread of positions: header, names, lengths, data, CRC. */
    for (size_t i = 0; i < n; i += (i < 64 ? 1 : 97)) {
        b[i] ^= 0x10;
        put_bytes(q, b, n);
        ck_assert_msg(model_file_read(q, &m) == -1, "flip at byte %zu accepted", i);
        ck_assert_ptr_nonnull(strstr(asr_last_error(), "m2-bad.mdl"));
        b[i] ^= 0x10;
    }
    free(b);
}
END_TEST

START_TEST(truncated_and_foreign_files_are_refused)
{
    char *p = write_sample("m3.mdl");
    unsigned char *b;
    size_t n = file_bytes(p, &b);
    char *q = test_path("m3-bad.mdl");
    model_file m;
    size_t cuts[] = {0, 5, 20, n / 2, n - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        put_bytes(q, b, cuts[i]);
        ck_assert_int_eq(model_file_read(q, &m), -1);
    }
    put_bytes(q, (const unsigned char *)"RIFF....WAVEfmt ", 16);
    ck_assert_int_eq(model_file_read(q, &m), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "not an asr model"));
    /* Another format version is named as such, not as damage. */
    uint32_t v = MODEL_FILE_VERSION + 1;
    memcpy(b + 8, &v, 4);
    put_bytes(q, b, n);
    ck_assert_int_eq(model_file_read(q, &m), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "version 2"));
    ck_assert_int_eq(model_file_read(test_path("missing.mdl"), &m), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "missing.mdl"));
    free(b);
}
END_TEST

START_TEST(put_replaces_section)
{
    model_file m;
    model_file_init(&m);
    model_file_put_text(&m, "a", "one");
    model_file_put_text(&m, "a", "two");
    ck_assert_int_eq(m.n, 1);
    ck_assert_str_eq(model_file_text(&m, "a"), "two");
    model_file_put(&m, "raw", "xy", 2); /* not NUL-terminated: not text */
    ck_assert_ptr_null(model_file_text(&m, "raw"));
    model_file_free(&m);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("model_file");
    TCase *tc = tcase_create("model_file");
    tcase_add_test(tc, round_trip_bit_exact);
    tcase_add_test(tc, every_flipped_byte_is_refused);
    tcase_add_test(tc, truncated_and_foreign_files_are_refused);
    tcase_add_test(tc, put_replaces_section);
    suite_add_tcase(s, tc);
    return s;
}
