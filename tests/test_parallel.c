/* test_parallel.c — src/base/parallel.c as one rank (a plain process): the
 * shard sum adds in the pairwise tree and no other order (values chosen so
 * that every other order gives another float), for any shard count and
 * across the blocks the sum is cut into; the shards all belong to rank 0;
 * the exchanges leave the data as they were; a build without MPI refuses
 * to be one of several ranks. Several ranks: tests/cli/mpi.sh. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/parallel.h"

START_TEST(parallel_one_rank)
{
    int argc = 1;
    char *args[] = {"test", NULL}, **argv = args;
    ck_assert_int_eq(par_init(&argc, &argv), 0);
    ck_assert_int_eq(par_rank(), 0);
    ck_assert_int_eq(par_size(), 1);
    ck_assert_int_eq(par_first_shard(0, 8), 0);
    ck_assert_int_eq(par_first_shard(1, 8), 8);
    double v[3] = {1, 2, 3}, loss[4] = {5, 6, 7, 8};
    int start[3] = {0, 1, 4};
    unsigned char a[] = "ab", *rec[2] = {a, a};
    size_t len[2] = {2, 2};
    ck_assert_int_eq(par_broadcast(v, sizeof v), 0);
    ck_assert_int_eq(par_sum_to_root(v, 3), 0);
    ck_assert_int_eq(par_share_shards(loss, start, 2, sizeof(double)), 0);
    const uint64_t same[2] = {42, 43};
    const char *what[2] = {"a number", "another"};
    ck_assert_int_eq(par_check_same(same, what, 2), 0);
    ck_assert_int_eq(par_gather_records(rec, len, 2), 0);
    ck_assert(v[0] == 1 && v[1] == 2 && v[2] == 3);
    ck_assert(loss[0] == 5 && loss[3] == 8);
    ck_assert(rec[0] == a && rec[1] == a && len[1] == 2);
    par_finalize();
}
END_TEST

/* ((1e8 + 1) + (-1e8 + 1)) is 0 in float (1 is below half an ulp of 1e8);
 * left to right it is 1, (1e8 - 1e8) + (1 + 1) is 2. */
START_TEST(parallel_sum_is_the_pairwise_tree)
{
    enum { N = 5000 }; /* more than one block of the sum */
    float *slots = malloc(4 * N * sizeof(float)), *out = malloc(N * sizeof(float));
    const float row[4] = {1e8f, 1, -1e8f, 1};
    for (int s = 0; s < 4; s++)
        for (int i = 0; i < N; i++) slots[s * N + i] = i % 2 ? row[s] : row[(s + 2) % 4];
    ck_assert_int_eq(par_sum_shards(slots, 4, N, out), 0);
    for (int i = 0; i < N; i++) ck_assert(out[i] == 0.0f);
    free(slots);
    free(out);
}
END_TEST

/* Any shard count: element by element the same additions as the tree
 * written out (odd counts carry the last row up a level). */
START_TEST(parallel_sum_any_count)
{
    enum { N = 3000 };
    for (int S = 1; S <= 9; S++) {
        float *slots = malloc((size_t)S * N * sizeof(float)), *out = malloc(N * sizeof(float));
        float *x = malloc((size_t)S * N * sizeof(float));
        srand(7 + S);
        for (int k = 0; k < S * N; k++)
            x[k] = slots[k] = (float)(rand() - RAND_MAX / 2) * (k % 3 ? 1e-3f : 1e3f);
        ck_assert_int_eq(par_sum_shards(slots, S, N, out), 0);
        for (int i = 0; i < N; i++) {
            float r[9];
            for (int s = 0; s < S; s++) r[s] = x[s * N + i];
            for (int w = 1; w < S; w *= 2)
                for (int s = 0; s + w < S; s += 2 * w) r[s] = r[s] + r[s + w];
            ck_assert(out[i] == r[0]);
        }
        free(slots);
        free(out);
        free(x);
    }
}
END_TEST

#ifndef HAVE_MPI
START_TEST(parallel_no_mpi_refuses_ranks)
{
    int argc = 1;
    char *args[] = {"test", NULL}, **argv = args;
    setenv("OMPI_COMM_WORLD_SIZE", "2", 1);
    ck_assert_int_eq(par_init(&argc, &argv), -1);
    ck_assert_ptr_nonnull(strstr(asr_last_error(), "built without MPI"));
    unsetenv("OMPI_COMM_WORLD_SIZE");
}
END_TEST
#endif

Suite *make_suite(void)
{
    Suite *s = suite_create("parallel");
    TCase *tc = tcase_create("parallel");
    tcase_add_test(tc, parallel_one_rank);
    tcase_add_test(tc, parallel_sum_is_the_pairwise_tree);
    tcase_add_test(tc, parallel_sum_any_count);
#ifndef HAVE_MPI
    tcase_add_test(tc, parallel_no_mpi_refuses_ranks);
#endif
    suite_add_tcase(s, tc);
    return s;
}
