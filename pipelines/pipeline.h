/* pipeline.h — the one interface the staged and direct pipelines implement.
 *
 * It names what differs between them, nothing more (DESIGN.md):
 *   - the output symbol set (index 0 is always the CTC blank):
 *       direct: characters a–z, apostrophe, space;  staged: the 39 ARPAbet phones;
 *   - how a transcript becomes training targets (spelling vs. lexicon lookup);
 *   - how network outputs become words (character search vs. lexicon + word LM).
 * Features, the network, the trainer, checkpoints and evaluation are shared and
 * never look inside a pipeline. A third pipeline is one more file and one more
 * entry in pipeline.c's table.
 *
 * A pipeline object holds the resources its search needs (a lexicon, a language
 * model); they are saved into and restored from the model file's sections, and
 * decode-time options may override them.
 */
#ifndef ASR_PIPELINE_H
#define ASR_PIPELINE_H

#include "corpus.h"
#include "model_file.h"

typedef struct pipeline pipeline;

/* Resources and search settings. Paths may be NULL when not used. */
typedef struct {
    const char *lexicon_path; /* staged: CMUdict-format lexicon */
    const char *lm_path;      /* ARPA n-gram: words (staged) or characters (direct) */
    float lm_weight;          /* scale of LM log-probabilities (natural log) */
    float word_penalty;       /* added per emitted word (negative discourages insertions) */
    int beam;                 /* <= 1: greedy; else prefix beam width */
} pipeline_options;

/* One decoded utterance. */
typedef struct {
    char *words; /* the transcript, words separated by single spaces */
    char *units; /* the symbol sequence (characters or phones), space-separated */
} pipeline_result;

typedef struct {
    const char *name;
    /* Build from OPTIONS (e.g. read the lexicon). NULL + asr_error on failure. */
    pipeline *(*create)(const pipeline_options *opt);
    /* Learn what the search needs from the training transcripts (e.g. an LM
     * when none was given); may be NULL. */
    int (*prepare)(pipeline *p, const corpus *train);
    /* Rebuild from the sections a model file holds; OPTIONS may override them. */
    pipeline *(*load)(const model_file *m, const pipeline_options *opt);
    /* Store what load needs into M. */
    int (*save)(const pipeline *p, model_file *m);
    /* Number of output symbols including the blank, and their names. */
    int (*num_symbols)(const pipeline *p);
    const char *(*symbol)(const pipeline *p, int id);
    /* Training targets of utterance U: symbol ids 1..V-1 into out[cap].
     * Returns the count, or -1 with an error naming the utterance. */
    int (*targets)(const pipeline *p, const corpus_utt *u, int *out, int cap);
    /* Search T frames of V = num_symbols log-posteriors. */
    int (*decode)(const pipeline *p, const float *logp, int T, pipeline_result *res);
    void (*free)(pipeline *p);
} pipeline_ops;

/* The pipeline called NAME ("direct", "staged"), or NULL. */
const pipeline_ops *pipeline_find(const char *name);
/* NULL-terminated list of all pipelines. */
extern const pipeline_ops *const pipeline_all[];

void pipeline_result_free(pipeline_result *r);

#endif
