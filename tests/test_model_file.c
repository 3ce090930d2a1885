/* test_model_file.c — src/base/model_file.c: the model container
 * round-trips bit-exactly and refuses damaged files, other versions and
 * non-models with a message naming the file; hostile containers (duplicate
 * or NUL-bearing names, impossible counts, a million sections, special
 * files) are refused cleanly. */
#include <check.h>

#include "base/error.h"
#include "base/model_file.h"
#include "testutil.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

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
    ck_assert_int_eq(model_file_write(&m, test_io(), p), 0);
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
    ck_assert_int_eq(model_file_write(&m, test_io(), p2), 0);
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

/* The last error holds WANT. */
static void error_has(const char *want)
{
    ck_assert_msg(strstr(asr_last_error(), want) != NULL, "message '%s' lacks '%s'",
                  asr_last_error(), want);
}

/* ---- a container built byte by byte, with a valid checksum ---- */

typedef struct {
    unsigned char *b;
    size_t n, cap;
} bytes;

static void add(bytes *x, const void *p, size_t n)
{
    if (x->n + n > x->cap) {
        while (x->n + n > x->cap) x->cap = x->cap ? 2 * x->cap : 256;
        x->b = realloc(x->b, x->cap);
    }
    memcpy(x->b + x->n, p, n);
    x->n += n;
}

static void add_u32(bytes *x, uint32_t v)
{
    add(x, &v, 4);
}

/* Magic, version, byte order and COUNT. */
static bytes header(uint32_t count)
{
    bytes x = {0};
    add(&x, "ASRMODEL", 8);
    add_u32(&x, MODEL_FILE_VERSION);
    add_u32(&x, 0x01020304u);
    add_u32(&x, count);
    return x;
}

static void add_section(bytes *x, const char *name, size_t nlen, const void *data, size_t size)
{
    add_u32(x, (uint32_t)nlen);
    add(x, name, nlen);
    uint64_t d = size;
    add(x, &d, 8);
    add(x, data, size);
}

static void finish(bytes *x)
{
    uint32_t crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), x->b, (uInt)x->n);
    add_u32(x, crc);
}

START_TEST(parse_reads_a_buffer_like_a_file)
{
    char *p = write_sample("m4.mdl");
    unsigned char *b;
    size_t n = file_bytes(p, &b);
    model_file m;
    ck_assert_int_eq(model_file_parse(b, n, "in memory", &m), 0);
    ck_assert_int_eq(m.n, 3);
    ck_assert_str_eq(m.sections[0].name, "pipeline"); /* file order is kept */
    ck_assert_str_eq(model_file_text(&m, "symbols"), "<blk>\na\nb\n");
    model_file_free(&m);
    ck_assert_int_eq(model_file_parse(b, n - 1, "in memory", &m), -1);
    ck_assert_str_eq(asr_last_error(), "in memory: damaged model file (checksum mismatch)");
    ck_assert_int_eq(model_file_parse(b, 3, "tiny", &m), -1);
    error_has("tiny: not an asr model");
    ck_assert_int_eq(model_file_parse(NULL, 0, "empty", &m), -1);
    free(b);
    free(p);
}
END_TEST

/* A second section of the same name was silently merged into the first. */
START_TEST(duplicate_section_names_are_refused)
{
    bytes x = header(3);
    add_section(&x, "pipeline", 8, "direct", 7);
    add_section(&x, "weights", 7, "abcd", 4);
    add_section(&x, "pipeline", 8, "staged", 7);
    finish(&x);
    char *p = test_path("dup.mdl");
    put_bytes(p, x.b, x.n);
    model_file m;
    ck_assert_int_eq(model_file_read(p, &m), -1);
    error_has("dup.mdl: damaged model file (section "
              "'pipeline' appears twice)");
    free(x.b);
    free(p);
}
END_TEST

/* "pipeline\0x" read as "pipeline": two names for one, or a hidden section. */
START_TEST(a_nul_byte_in_a_section_name_is_refused)
{
    bytes x = header(1);
    add_section(&x, "pipeline\0x", 10, "direct", 7);
    finish(&x);
    model_file m;
    ck_assert_int_eq(model_file_parse(x.b, x.n, "nul.mdl", &m), -1);
    error_has("nul.mdl: damaged model file (section 0 name "
              "holds a NUL byte)");
    free(x.b);
}
END_TEST

START_TEST(the_section_count_must_fit_the_bytes)
{
    bytes x = header(0xffffffffu);
    add_section(&x, "a", 1, "", 0);
    finish(&x);
    model_file m;
    ck_assert_int_eq(model_file_parse(x.b, x.n, "count.mdl", &m), -1);
    ck_assert_str_eq(asr_last_error(), "count.mdl: damaged model file (4294967295 sections "
                                       "cannot fit in the 13 bytes that follow)");
    free(x.b);
}
END_TEST

/* Every section was looked up among all the earlier ones: 300 000 tiny
 * sections took minutes. Now a sort: well under the time limit. */
START_TEST(many_sections_read_in_n_log_n)
{
    enum { N = 300000 };
    bytes x = header(N);
    for (int i = N; i > 0; i--) {
        char name[16];
        int n = snprintf(name, sizeof name, "utt:%07d", i);
        add_section(&x, name, (size_t)n, "", 0);
    }
    finish(&x);
    model_file m;
    ck_assert_msg(model_file_parse(x.b, x.n, "many.mdl", &m) == 0, "%s", asr_last_error());
    ck_assert_int_eq(m.n, N);
    ck_assert_str_eq(m.sections[0].name, "utt:0300000");
    ck_assert_ptr_nonnull(model_file_get(&m, "utt:0000001"));
    ck_assert_ptr_null(model_file_get(&m, "utt:0000000"));
    model_file_free(&m);
    free(x.b);
}
END_TEST

/* Only a regular file is a model: /dev/null is not an empty model, and
 * /dev/zero was read until memory ran out; nor is a file beyond the size
 * limit read at all (a sparse file: no disk used). */
START_TEST(special_and_oversized_files_are_refused)
{
    model_file m;
    ck_assert_int_eq(model_file_read("/dev/null", &m), -1);
    error_has("/dev/null: not a regular file");
    ck_assert_int_eq(model_file_read("/dev/zero", &m), -1);
    error_has("/dev/zero: not a regular file");
    ck_assert_int_eq(model_file_read(test_tmpdir(), &m), -1);
    error_has("not a regular file");
    char *p = test_path("huge.mdl");
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, (off_t)5 << 30), 0);
    close(fd);
    ck_assert_int_eq(model_file_read(p, &m), -1);
    ck_assert_ptr_nonnull(
        strstr(asr_last_error(), "larger than the 4294967296-byte (4 GiB) limit"));
    unlink(p);
    free(p);
}
END_TEST

/* Opening a FIFO waited for a writer forever. */
START_TEST(a_fifo_is_refused_without_waiting)
{
    char *p = test_path("fifo.mdl");
    ck_assert_int_eq(mkfifo(p, 0600), 0);
    model_file m;
    ck_assert_int_eq(model_file_read(p, &m), -1);
    error_has("fifo.mdl: not a regular file");
    free(p);
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
    tcase_add_test(tc, parse_reads_a_buffer_like_a_file);
    tcase_add_test(tc, duplicate_section_names_are_refused);
    tcase_add_test(tc, a_nul_byte_in_a_section_name_is_refused);
    tcase_add_test(tc, the_section_count_must_fit_the_bytes);
    tcase_add_test(tc, special_and_oversized_files_are_refused);
    suite_add_tcase(s, tc);
    /* What hung before: a time limit turns a hang into a failure. */
    TCase *slow = tcase_create("hangs");
    tcase_set_timeout(slow, 30);
    tcase_add_test(slow, many_sections_read_in_n_log_n);
    tcase_add_test(slow, a_fifo_is_refused_without_waiting);
    suite_add_tcase(s, slow);
    return s;
}
