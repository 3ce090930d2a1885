/* parallel.c — MPI ranks and the fixed-order shard sum; see parallel.h.
 * The one file that includes mpi.h (when configure found MPI: HAVE_MPI). */
#include "config.h"

#include "base/parallel.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "base/error.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_MPI
#include <mpi.h>
#endif

static int g_rank = 0, g_size = 1;
static double g_comm; /* seconds in collectives */

/* The number of ranks a launcher asked for, 0 when none started us. Open MPI
 * sets OMPI_COMM_WORLD_SIZE, MPICH's Hydra and Slurm's PMI PMI_SIZE, PMIx
 * launchers (srun --mpi=pmix) PMIX_RANK. */
static int launched_size(void)
{
    const char *v = getenv("OMPI_COMM_WORLD_SIZE");
    if (!v) v = getenv("PMI_SIZE");
    if (v) {
        long n = strtol(v, NULL, 10);
        return n > 0 && n < INT_MAX ? (int)n : 1;
    }
    return getenv("PMIX_RANK") ? 1 : 0;
}

int par_rank(void)
{
    return g_rank;
}
int par_size(void)
{
    return g_size;
}

int par_first_shard(int rank, int shards)
{
    return (int)((long long)rank * shards / g_size);
}

double par_comm_seconds(void)
{
    return g_comm;
}

/* ROWS[s * STRIDE + i] for s in [0, S), i in [0, N): the pairwise tree
 * ((r0 + r1) + (r2 + r3)) + ... into row 0. Each element sees the same
 * additions in the same order, however the rows were computed and however
 * the elements are split among threads: the tree runs block by block (a
 * block of every row stays in cache while it is summed), blocks in
 * parallel. */
static void tree_sum(float *rows, int S, size_t stride, size_t n)
{
    enum { BLOCK = 2048 };
    long nblocks = (long)((n + BLOCK - 1) / BLOCK);
#pragma omp parallel for schedule(static)
    for (long k = 0; k < nblocks; k++) {
        size_t lo = (size_t)k * BLOCK, len = n - lo < BLOCK ? n - lo : BLOCK;
        for (int w = 1; w < S; w *= 2)
            for (int s = 0; s + w < S; s += 2 * w) {
                float *a = rows + (size_t)s * stride + lo;
                const float *b = rows + (size_t)(s + w) * stride + lo;
                for (size_t i = 0; i < len; i++) a[i] += b[i];
            }
    }
}

/* The shard sum of one rank that owns every shard. */
static void sum_local(float *slots, int shards, size_t n, float *out)
{
    tree_sum(slots, shards, n, n);
    memcpy(out, slots, n * sizeof(float));
}

void par_slice(size_t n, size_t align, int rank, size_t *lo, size_t *hi)
{
    size_t blocks = (n + align - 1) / align, N = (size_t)g_size, r = (size_t)rank;
    size_t a = align * (blocks * r / N), b = align * (blocks * (r + 1) / N);
    *lo = a < n ? a : n;
    *hi = b < n ? b : n;
}

int par_sum_shards(float *slots, int shards, size_t n, float *out)
{
    return par_reduce_shards(slots, shards, n, 1, out) < 0 ||
                   par_allgather_slices(out, sizeof(float), n, 1) < 0
               ? -1
               : 0;
}

#ifdef HAVE_MPI

static int g_mpi; /* MPI_Init was called */

int par_init(int *argc, char ***argv)
{
    if (launched_size() == 0) return 0;
    int provided;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return asr_error("MPI_Init failed");
    g_mpi = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &g_size);
    return 0;
}

void par_finalize(void)
{
    if (g_mpi) MPI_Finalize();
    g_mpi = 0;
}

void par_abort(int status)
{
    if (g_mpi && g_size > 1) MPI_Abort(MPI_COMM_WORLD, status);
    exit(status);
}

static int too_big(size_t count, const char *what)
{
    return count > INT_MAX
               ? asr_error("%s: %zu elements in one MPI message (at most %d)", what, count, INT_MAX)
               : 0;
}

int par_reduce_shards(float *slots, int shards, size_t n, size_t align, float *out)
{
    if (g_size == 1) {
        sum_local(slots, shards, n, out);
        return 0;
    }
    int N = g_size, me = g_rank;
    int f0 = par_first_shard(me, shards), f1 = par_first_shard(me + 1, shards);
    size_t mylo, myhi;
    par_slice(n, align, me, &mylo, &myhi);
    size_t mylen = myhi - mylo;
    if (too_big((size_t)shards * (n / (size_t)N + align), "shard sum")) return -1;
    int *sc = xmalloc(4 * (size_t)N * sizeof(int)), *sd = sc + N, *rc = sd + N, *rd = rc + N;
    float *send = xmalloc(((size_t)(f1 - f0) * n + 1) * sizeof(float));
    float *recv = xmalloc(((size_t)shards * mylen + 1) * sizeof(float));
    /* To rank q: each of my shards' part of q's slice of the buffer. */
    size_t at = 0;
    for (int q = 0; q < N; q++) {
        size_t lo, hi;
        par_slice(n, align, q, &lo, &hi);
        sd[q] = (int)at;
        for (int s = f0; s < f1; s++, at += hi - lo)
            memcpy(send + at, slots + (size_t)s * n + lo, (hi - lo) * sizeof(float));
        sc[q] = (int)(at - (size_t)sd[q]);
        /* From rank q: its shards' parts of my slice, one row per shard. */
        int g0 = par_first_shard(q, shards), g1 = par_first_shard(q + 1, shards);
        rd[q] = (int)((size_t)g0 * mylen);
        rc[q] = (int)((size_t)(g1 - g0) * mylen);
    }
    double t0 = clock_seconds();
    int ok = MPI_Alltoallv(send, sc, sd, MPI_FLOAT, recv, rc, rd, MPI_FLOAT, MPI_COMM_WORLD) ==
             MPI_SUCCESS;
    g_comm += clock_seconds() - t0;
    if (ok) {
        tree_sum(recv, shards, mylen, mylen);
        memcpy(out + mylo, recv, mylen * sizeof(float));
    }
    free(send);
    free(recv);
    free(sc);
    return ok ? 0 : asr_error("the shard sum across %d ranks failed", N);
}

/* Every rank's CNT[q] bytes at DSP[q] of BUF to every rank, in place;
 * frees CNT (DSP lives in it). WHAT names the step in the error. */
static int allgather_in_place(void *buf, int *cnt, const int *dsp, const char *what)
{
    double t0 = clock_seconds();
    int ok = MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, buf, cnt, dsp, MPI_BYTE,
                            MPI_COMM_WORLD) == MPI_SUCCESS;
    g_comm += clock_seconds() - t0;
    free(cnt);
    return ok ? 0 : asr_error("%s across %d ranks failed", what, g_size);
}

int par_allgather_slices(void *buf, size_t elem, size_t n, size_t align)
{
    if (g_size == 1) return 0;
    int N = g_size;
    if (too_big(n * elem, "gathering slices")) return -1;
    int *cnt = xmalloc(2 * (size_t)N * sizeof(int)), *dsp = cnt + N;
    for (int q = 0; q < N; q++) {
        size_t lo, hi;
        par_slice(n, align, q, &lo, &hi);
        dsp[q] = (int)(lo * elem);
        cnt[q] = (int)((hi - lo) * elem);
    }
    return allgather_in_place(buf, cnt, dsp, "gathering slices");
}

int par_share_shards(void *buf, const int *start, int shards, size_t elem)
{
    if (g_size == 1) return 0;
    int N = g_size;
    if (too_big((size_t)start[shards] * elem, "shard results")) return -1;
    int *cnt = xmalloc(2 * (size_t)N * sizeof(int)), *dsp = cnt + N;
    for (int q = 0; q < N; q++) {
        int a = start[par_first_shard(q, shards)], b = start[par_first_shard(q + 1, shards)];
        dsp[q] = (int)((size_t)a * elem);
        cnt[q] = (int)((size_t)(b - a) * elem);
    }
    return allgather_in_place(buf, cnt, dsp, "sharing shard results");
}

/* Rank 0's verdict on what the ranks sent: BAD_RANK < 0 when all is well. */
typedef struct {
    long long bad_rank, kind, got, want;
} gather_verdict;

enum { SENT_COUNT = 1, SENT_BYTES, TOO_MANY_BYTES };

/* Rank 0 checks each rank's (count, bytes) HEADS against the records rank 0
 * expects from it and, with LENS (the lengths as sent, rank by rank), that
 * the lengths add up to the bytes. */
static gather_verdict judge_records(const uint64_t *heads, const uint64_t *lens, int n)
{
    gather_verdict v = {-1, 0, 0, 0};
    uint64_t total = 0;
    size_t at = 0;
    for (int q = 0; q < g_size; q++) {
        uint64_t want = (uint64_t)(par_first_shard(q + 1, n) - par_first_shard(q, n)), sum = 0;
        if (heads[2 * q] != want)
            return (gather_verdict){q, SENT_COUNT, (long long)heads[2 * q], (long long)want};
        for (uint64_t i = 0; lens && i < want; i++) sum += lens[at + i];
        at += want;
        total += heads[2 * q + 1];
        if (lens && sum != heads[2 * q + 1])
            return (gather_verdict){q, SENT_BYTES, (long long)sum, (long long)heads[2 * q + 1]};
        if (total > INT_MAX) return (gather_verdict){q, TOO_MANY_BYTES, (long long)total, INT_MAX};
    }
    return v;
}

/* The verdict, broadcast from rank 0, as every rank's error (0 when well). */
static int share_verdict(gather_verdict *v)
{
    if (MPI_Bcast(v, 4, MPI_LONG_LONG, 0, MPI_COMM_WORLD) != MPI_SUCCESS)
        return asr_error("gathering results on rank 0 failed");
    if (v->bad_rank < 0) return 0;
    if (v->kind == SENT_COUNT)
        return asr_error("rank %lld sent %lld results where rank 0 expected %lld: the ranks do "
                         "not agree on the items to share",
                         v->bad_rank, v->got, v->want);
    if (v->kind == SENT_BYTES)
        return asr_error("rank %lld sent results whose lengths add up to %lld bytes, not the "
                         "%lld it announced",
                         v->bad_rank, v->got, v->want);
    return asr_error("gathered results: %lld bytes in one MPI message (at most %lld)", v->got,
                     v->want);
}

/* Every receive is sized from what the ranks said they send, never from
 * what rank 0 expects: first each rank's (record count, bytes), then the
 * record lengths, then the bytes, and rank 0 checks the counts and lengths
 * (judge_records) before taking any byte, so ranks that disagree (a logic
 * error, or other inputs) fail on every rank with one message instead of
 * reading past what arrived. */
int par_gather_records(unsigned char **rec, size_t *len, int n)
{
    if (g_size == 1) return 0;
    int N = g_size, me = g_rank, lo = par_first_shard(me, n), hi = par_first_shard(me + 1, n);
    uint64_t head[2] = {(uint64_t)(hi - lo), 0};
    uint64_t *mine = xmalloc(((size_t)(hi - lo) + 1) * sizeof(uint64_t));
    for (int i = lo; i < hi; i++) head[1] += mine[i - lo] = len[i];
    unsigned char *pack = NULL, *all = NULL;
    uint64_t *heads = NULL, *lens = NULL;
    int *cnt = xmalloc(2 * (size_t)N * sizeof(int)), *dsp = cnt + N;
    gather_verdict v = {-1, 0, 0, 0};
    double t0 = clock_seconds();
    int rc = -1;
    if (me == 0) heads = xmalloc(2 * (size_t)N * sizeof(uint64_t));
    if (MPI_Gather(head, 2, MPI_UINT64_T, heads, 2, MPI_UINT64_T, 0, MPI_COMM_WORLD) != MPI_SUCCESS)
        goto failed;
    /* The counts first: an int each, so the lengths fit one message. */
    if (me == 0) v = judge_records(heads, NULL, n);
    if (share_verdict(&v) < 0) goto done;
    size_t nlens = 0;
    for (int q = 0; me == 0 && q < N; q++) {
        cnt[q] = (int)heads[2 * q];
        dsp[q] = (int)nlens;
        nlens += heads[2 * q];
    }
    if (me == 0) lens = xmalloc((nlens + 1) * sizeof(uint64_t));
    if (MPI_Gatherv(mine, hi - lo, MPI_UINT64_T, lens, cnt, dsp, MPI_UINT64_T, 0, MPI_COMM_WORLD) !=
        MPI_SUCCESS)
        goto failed;
    if (me == 0) v = judge_records(heads, lens, n);
    if (share_verdict(&v) < 0) goto done;
    /* Now every size is known and checked (at most INT_MAX bytes in all). */
    pack = xmalloc(head[1] + 1);
    for (size_t i = (size_t)lo, at = 0; i < (size_t)hi; at += len[i], i++)
        if (len[i]) memcpy(pack + at, rec[i], len[i]);
    size_t total = 0;
    for (int q = 0; me == 0 && q < N; q++) {
        cnt[q] = (int)heads[2 * q + 1];
        dsp[q] = (int)total;
        total += heads[2 * q + 1];
    }
    if (me == 0) all = xmalloc(total + 1);
    if (MPI_Gatherv(pack, (int)head[1], MPI_BYTE, all, cnt, dsp, MPI_BYTE, 0, MPI_COMM_WORLD) !=
        MPI_SUCCESS)
        goto failed;
    /* Rank q's records are the items [par_first_shard(q, n), ...), in order. */
    for (size_t i = 0, at = 0; me == 0 && i < (size_t)n; at += lens[i], i++) {
        if ((int)i >= lo && (int)i < hi) continue;
        len[i] = lens[i];
        rec[i] = xmalloc(len[i] + 1);
        memcpy(rec[i], all + at, len[i]);
    }
    rc = 0;
    goto done;
failed:
    asr_error("gathering results on rank 0 failed");
done:
    g_comm += clock_seconds() - t0;
    free(all);
    free(pack);
    free(lens);
    free(heads);
    free(cnt);
    free(mine);
    return rc;
}

int par_sum_to_root(double *v, int n)
{
    if (g_size == 1) return 0;
    double t0 = clock_seconds();
    int ok = MPI_Reduce(g_rank ? v : MPI_IN_PLACE, v, n, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD) ==
             MPI_SUCCESS;
    g_comm += clock_seconds() - t0;
    return ok ? 0 : asr_error("summing statistics on rank 0 failed");
}

int par_broadcast(void *buf, size_t bytes)
{
    if (g_size == 1) return 0;
    if (too_big(bytes, "broadcast")) return -1;
    double t0 = clock_seconds();
    int ok = MPI_Bcast(buf, (int)bytes, MPI_BYTE, 0, MPI_COMM_WORLD) == MPI_SUCCESS;
    g_comm += clock_seconds() - t0;
    return ok ? 0 : asr_error("a broadcast from rank 0 failed");
}

/* The message of par_check_same, naming each part that differs with the
 * first rank where it does: "rank 1 disagrees with rank 0 on A and B, rank 2
 * on C". */
static int report_differences(const uint64_t *all, const char *const *what, int n)
{
    char msg[1024] = "";
    int last = 0;
    for (int k = 0; k < n; k++) {
        int bad = 1;
        while (bad < g_size && all[(size_t)bad * n + k] == all[k]) bad++;
        if (bad == g_size) continue;
        size_t at = strlen(msg);
        if (!last)
            snprintf(msg + at, sizeof msg - at, "rank %d disagrees with rank 0 on %s", bad,
                     what[k]);
        else if (bad == last)
            snprintf(msg + at, sizeof msg - at, " and %s", what[k]);
        else
            snprintf(msg + at, sizeof msg - at, ", rank %d on %s", bad, what[k]);
        last = bad;
    }
    if (!last) return 0;
    return asr_error("%s: every rank must be started with the same command on the same files", msg);
}

int par_check_same(const uint64_t *values, const char *const *what, int n)
{
    if (g_size == 1) return 0;
    /* The number of values first, so that the second exchange is sized from
     * what every rank sends. */
    uint64_t *all = xmalloc(((size_t)g_size * (size_t)n + (size_t)g_size) * sizeof(uint64_t));
    uint64_t count = (uint64_t)n;
    double t0 = clock_seconds();
    int ok =
        MPI_Allgather(&count, 1, MPI_UINT64_T, all, 1, MPI_UINT64_T, MPI_COMM_WORLD) == MPI_SUCCESS;
    int bad = 0;
    while (ok && bad < g_size && all[bad] == count) bad++;
    ok = ok && (bad < g_size || MPI_Allgather(values, n, MPI_UINT64_T, all, n, MPI_UINT64_T,
                                              MPI_COMM_WORLD) == MPI_SUCCESS);
    g_comm += clock_seconds() - t0;
    int rc = !ok ? asr_error("comparing what the %d ranks were given failed", g_size)
             : bad < g_size
                 ? asr_error("rank %d compares %llu inputs and options, rank %d compares %d: the "
                             "ranks were started with different commands",
                             bad, (unsigned long long)all[bad], g_rank, n)
                 : report_differences(all, what, n);
    free(all);
    return rc;
}

#else /* one rank, no MPI */

int par_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (launched_size() > 1)
        return asr_error("started as one of %d ranks, but this asr was built without MPI "
                         "(install libopenmpi-dev and configure --with-mpi)",
                         launched_size());
    return 0;
}

void par_finalize(void) {}

void par_abort(int status)
{
    exit(status);
}

int par_reduce_shards(float *slots, int shards, size_t n, size_t align, float *out)
{
    (void)align;
    sum_local(slots, shards, n, out);
    return 0;
}

int par_allgather_slices(void *buf, size_t elem, size_t n, size_t align)
{
    (void)buf;
    (void)elem;
    (void)n;
    (void)align;
    return 0;
}

int par_share_shards(void *buf, const int *start, int shards, size_t elem)
{
    (void)buf;
    (void)start;
    (void)shards;
    (void)elem;
    return 0;
}

int par_gather_records(unsigned char **rec, size_t *len, int n)
{
    (void)rec;
    (void)len;
    (void)n;
    return 0;
}

int par_sum_to_root(double *v, int n)
{
    (void)v;
    (void)n;
    return 0;
}

int par_broadcast(void *buf, size_t bytes)
{
    (void)buf;
    (void)bytes;
    return 0;
}

int par_check_same(const uint64_t *values, const char *const *what, int n)
{
    (void)values;
    (void)what;
    (void)n;
    return 0;
}

#endif
