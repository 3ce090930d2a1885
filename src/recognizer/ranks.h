/* ranks.h — the agreement every command that shares its work among MPI
 * ranks (base/parallel.h: train, features, decode, eval) checks before it
 * shares anything out.
 *
 * Each rank reads its inputs itself, so ranks started on other files (a
 * node with another copy of the data, another model, an MPMD launch with
 * other arguments) would each compute their share from other inputs and
 * rank 0 would write a mix, or gather shares of another size. Before the
 * work, every rank fingerprints what decides the result, part by part: the
 * bytes of each model, lexicon and LM file; each data directory's utterance
 * ids, spans, transcripts, speakers and the bytes of every audio file it
 * names (not the paths: a copy elsewhere is the same data); the options
 * that change the result (not the thread count). The ranks then compare the
 * parts (par_check_same): when any differs, every rank fails with the same
 * message naming it, before any shared step.
 *
 * Costs: every rank reads every input file once more (each audio file once,
 * however many segments name it), hashed at memory speed (base/hash.h); as
 * one process nothing is read and every call returns at once. */
#ifndef ASR_RECOGNIZER_RANKS_H
#define ASR_RECOGNIZER_RANKS_H

#include "pipelines/pipeline.h"
#include "text/corpus.h"

#include <stdint.h>

typedef struct {
    uint64_t *hash;
    char **what; /* "the model (exp/final.mdl)" */
    int n, cap;
} ranks_check;

void ranks_check_init(ranks_check *k);
/* A part: the bytes of the file PATH, described as "the LABEL (PATH)"; PATH
 * NULL or "" is a part too ("none"), so that a file given to one rank only is
 * named. -1 with a message naming PATH when it cannot be read (every rank
 * needs its inputs). */
int ranks_check_file(ranks_check *k, const char *label, const char *path);
/* A part: corpus C read from DIR (its utterances and their audio files'
 * bytes), described as "the LABEL (DIR)". -1 naming the audio file that
 * cannot be read. */
int ranks_check_corpus(ranks_check *k, const char *label, const char *dir, const corpus *c);
/* A part: TEXT (formatted options), described as "the LABEL". */
void ranks_check_text(ranks_check *k, const char *label, const char *text);
/* Parts: the search settings S, and its lexicon and LM files by content. */
int ranks_check_search(ranks_check *k, const pipeline_options *s);
/* Compare every part across the ranks and free K: 0 when they agree, else
 * -1 on every rank with a message naming the parts that differ. RC < 0 (a
 * part failed: its message stands) frees K and returns -1 at once. */
int ranks_check_done(ranks_check *k, int rc);

#endif
