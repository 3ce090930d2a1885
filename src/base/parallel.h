/* parallel.h — the processes of one job (MPI ranks), and the few collective
 * operations data-parallel training and the sharded commands need. The only
 * module that knows MPI.
 *
 * Started by mpirun (or srun, or any launcher that sets up MPI), asr runs as
 * N ranks 0..N-1; started plainly, it is one rank and never touches MPI.
 * Built without MPI (configure --without-mpi) the same functions exist for
 * one rank, so no other file has an #ifdef; such a build refuses to run
 * under a launcher that asks for more than one rank.
 *
 * Why a sum "of shards" and not MPI_Allreduce: MPI_Allreduce adds the ranks'
 * buffers in an order it chooses, which changes with the number of ranks,
 * and float addition is not associative, so a model trained on 2 ranks would
 * differ in its last bits from one trained on 4. Here the work of a batch is
 * cut into a fixed number S of shards that does not depend on the ranks or
 * threads; every shard's gradient is computed whole by one rank, and
 * par_sum_shards adds the S shard gradients in one fixed pairwise tree,
 *   ((g0 + g1) + (g2 + g3)) + ((g4 + g5) + (g6 + g7))   for S = 8,
 * the same float operations whatever N is. So the result is bit-identical on
 * 1, 2 or 8 ranks and in a plain process.
 *
 * Rank r owns the contiguous shards [par_first_shard(r, S),
 * par_first_shard(r + 1, S)). A shard sum moves, per rank, about
 * (S/N + 1) * n floats (each rank gathers every shard's part of its own
 * 1/N slice of the buffer, sums it, and all ranks gather the summed
 * slices), close to a ring all-reduce's 2 * n when N is near S.
 *
 * Every collective must be called by every rank in the same order. A failed
 * call returns -1 with a message (asr_error); a rank that dies is reported by
 * the launcher, which stops the others. */
#ifndef ASR_BASE_PARALLEL_H
#define ASR_BASE_PARALLEL_H

#include <stddef.h>
#include <stdint.h>

/* Join the job when a launcher started this process (it sets
 * OMPI_COMM_WORLD_SIZE, PMI_SIZE or PMIX_RANK); else stay one rank. -1 with
 * a message when MPI fails to start, or when a build without MPI is asked
 * to be one of several ranks. */
int par_init(int *argc, char ***argv);

/* Leave the job (MPI_Finalize); nothing without one. */
void par_finalize(void);

int par_rank(void);
int par_size(void);

/* Stop every rank of the job with STATUS (MPI_Abort); exit(STATUS) alone. */
void par_abort(int status);

/* The first of the contiguous shards of RANK, out of SHARDS: RANK * SHARDS /
 * size, so par_first_shard(size, S) = S. */
int par_first_shard(int rank, int shards);

/* OUT[0..N) = the fixed pairwise-tree sum over s of SLOTS[s * N .. s * N + N),
 * s in [0, SHARDS), the same bytes on every rank whatever the number of
 * ranks. On entry the slots this rank owns are filled; the others are
 * scratch (overwritten). OUT may not overlap SLOTS. It is par_reduce_shards
 * then par_allgather_slices. */
int par_sum_shards(float *slots, int shards, size_t n, float *out);

/* Rank RANK's slice [*LO, *HI) of N elements cut in blocks of ALIGN: every
 * rank gets a run of whole blocks (the last one may be short), together
 * [0, N) in rank order. */
void par_slice(size_t n, size_t align, int rank, size_t *lo, size_t *hi);

/* The first half of the shard sum: only this rank's slice (par_slice with
 * ALIGN) of OUT receives the tree sum; the rest of OUT is untouched. A rank
 * that then updates only its slice of the parameters and gathers them
 * (par_allgather_slices) moves the same bytes as the whole sum and does
 * 1/N of the update. */
int par_reduce_shards(float *slots, int shards, size_t n, size_t align, float *out);

/* Every rank's slice (par_slice of N elements of ELEM bytes, blocks of
 * ALIGN) of BUF to every rank. */
int par_allgather_slices(void *buf, size_t elem, size_t n, size_t align);

/* Exchange per-shard results: shard s owns the elements [START[s],
 * START[s + 1]) of BUF (ELEM bytes each); on entry this rank's shards are
 * filled, on return every rank holds every shard's bytes. */
int par_share_shards(void *buf, const int *start, int shards, size_t elem);

/* Per-utterance work split across ranks (asr features, decode, eval): rank r
 * takes the items [par_first_shard(r, N), par_first_shard(r + 1, N)) of N,
 * and rank 0 gathers every item's result, in item order, to write the same
 * bytes one process would. On entry REC[i] (LEN[i] bytes) holds this rank's
 * items; on return rank 0's REC and LEN hold all N (the ones received are
 * new allocations, the caller's to free); other ranks' are unchanged.
 * Every receive is sized from what the ranks announce they send; when a
 * rank sends another number of records than rank 0 expects (the ranks
 * disagree on N), or lengths that do not add up, every rank returns -1 with
 * one message, before any record moves. */
int par_gather_records(unsigned char **rec, size_t *len, int n);

/* V[0..N) summed over the ranks, on rank 0 (statistics: audio seconds);
 * other ranks' V unchanged. */
int par_sum_to_root(double *v, int n);

/* BYTES of BUF from rank 0 to every rank. */
int par_broadcast(void *buf, size_t bytes);

/* 0 when every VALUES[k] (k < N: fingerprints of what the ranks were
 * given, recognizer/ranks.h) is the same on every rank. Else -1 on every
 * rank, with one message naming each WHAT[k] that differs and the first
 * rank whose value differs from rank 0's, so that every rank stops and none
 * waits for the others in a later collective. */
int par_check_same(const uint64_t *values, const char *const *what, int n);

/* Seconds this rank has spent in the collectives above since par_init
 * (waiting for slower ranks included): the communication cost of a run. */
double par_comm_seconds(void);

#endif
