/* pipeline.h — the one interface every pipeline implements.
 *
 * It names what differs between them, nothing more (DESIGN.md):
 *   - the output heads and their symbol sets (index 0 of a CTC head is its blank):
 *       direct: one head of characters a–z, apostrophe, space;
 *       staged: one head of the 39 ARPAbet phones;
 *       multitask: a phone head and a character head on one shared encoder;
 *   - how a transcript becomes each head's training targets (spelling vs.
 *     lexicon lookup), including "this utterance has no label for this head";
 *   - how network outputs become words (character search vs. lexicon + word
 *     LM), from the head or heads the search reads.
 * Features, the network, the trainer, checkpoints and evaluation are shared and
 * never look inside a pipeline. A new pipeline is one more file and one more
 * entry in pipeline.c's table.
 *
 * The network's output row holds the heads side by side in declaration
 * order; each head has its own softmax and loss (src/nn/multitask_loss.h), and the
 * trainer's loss is their weighted sum, each head masked for the utterances
 * it has no label for.
 *
 * A pipeline object holds the resources its search needs (a lexicon, a language
 * model); they are saved into and restored from the model file's sections, and
 * decode-time options may override them.
 */
#ifndef ASR_PIPELINE_H
#define ASR_PIPELINE_H

#include "text/corpus.h"
#include "base/model_file.h"
#include "nn/multitask_loss.h"
#include "decode/ctc_times.h"

typedef struct pipeline pipeline;

/* Widest search beam: a prefix beam beyond a thousand hypotheses buys no
 * accuracy and costs time linear in it (100000 took minutes per utterance). */
#define PIPELINE_MAX_BEAM 1024

/* Resources and search settings. Paths may be NULL when not used. A beam
 * <= 0 or a NAN weight means "not given": pipeline_options_fill completes it
 * (asr decode takes what the model file stores, training the defaults). */
typedef struct {
    const char *lexicon_path; /* staged, multitask: CMUdict-format lexicon */
    const char *lm_path;      /* ARPA n-gram: words (staged, multitask) or characters (direct) */
    float lm_weight;          /* scale of LM log-probabilities (natural log) */
    float word_penalty;       /* added per emitted word (negative discourages insertions) */
    int beam;                 /* <= 1: greedy; else prefix beam width */
    /* Calibration and rejection (recognizer/reject.h), applied by the
     * recognizer after the search; NAN: none (a word's confidence is its
     * raw one, no utterance is rejected). */
    float conf_scale, conf_gap_scale, conf_bias; /* p = sigmoid(a logit(c) + g gap + b) */
    /* + d agree (ctc_word.agree): a stored system's calibration only (recognizer/system.h) */
    float conf_agree_scale;
    float reject_gap;        /* reject when the utterance's free-path gap is above */
    float reject_confidence; /* reject when its calibrated confidence is below */
    /* Added to every word's start and end (seconds; NAN: 0): CTC's spikes
     * sit inside a word, the first after it begins and the last well
     * before it ends, so its times from the spikes are biased by amounts a
     * model keeps; eval/word_times.sh measures them. */
    float time_start_shift, time_end_shift;
} pipeline_options;

/* beam 1 (greedy), LM weight 1, word penalty 0, no calibration, no time shifts. */
extern const pipeline_options pipeline_options_defaults;

/* Complete the settings O does not give (beam <= 0, NAN weights) from FROM. */
void pipeline_options_fill(pipeline_options *o, const pipeline_options *from);

/* One decoded utterance. */
typedef struct {
    char *words; /* the transcript, words separated by single spaces */
    char *units; /* the symbol sequence (characters or phones), space-separated */
    /* The words again, each with its times and confidence (decode/ctc_times.h):
     * W[i].word is the i-th word of WORDS; times in frames of the network's
     * output from decode, in seconds from the recording's start once
     * asr_model_search has scaled them. NW = 0 with W NULL when a search
     * gives no times. CONF: the utterance's confidence, the product of the
     * words' (1 for no word). */
    ctc_word *w;
    int nw;
    float conf;
    /* The utterance's free-path gap (ctc_times.h; 0 when not computed), and
     * whether the recognizer rejected it as outside the vocabulary
     * (recognizer/reject.h: then WORDS is empty and NW 0). */
    float gap;
    int rejected;
} pipeline_result;

/* After a search: R->w (NULL, or one entry per word of R->words, from
 * decode/ctc_times.h) gets the words' names, R->nw their count and R->conf
 * the utterance's confidence. */
void pipeline_result_name_words(pipeline_result *r);

/* One output head. */
typedef struct {
    const char *name; /* "phone", "char": the weight key is PIPELINE.NAME_weight */
    int num_symbols;  /* CTC: including the blank (0); CE: classes */
    mt_loss loss;
    int decode; /* the search reads this head's log-posteriors */
} pipeline_head;

#define PIPELINE_MAX_HEADS MT_MAX_HEADS

/* What targets returns for an utterance that has no label for a head. */
#define PIPELINE_NO_LABEL (-2)

typedef struct {
    const char *name;
    const char *summary; /* one line for `asr help` */
    /* The units of pipeline_result are ARPAbet phones (scorable against a data
     * directory's phones file: phone error rate). */
    int phone_units;
    /* Words come from a lexicon: training without one is a usage error. A
     * model of a pipeline without it refuses one at load (asr_model_load). */
    int needs_lexicon;
    /* Build from OPTIONS (e.g. read the lexicon). NULL + asr_error on failure. */
    pipeline *(*create)(const pipeline_options *opt);
    /* Learn what the search needs from the training transcripts (e.g. an LM
     * when none was given); may be NULL. */
    int (*prepare)(pipeline *p, const corpus *train);
    /* Rebuild from the sections a model file holds; OPTIONS may override them. */
    pipeline *(*load)(const model_file *m, const pipeline_options *opt);
    /* Store what load needs into M. */
    int (*save)(const pipeline *p, model_file *m);
    /* The output heads (*HEADS, in output-column order); returns how many
     * (1..PIPELINE_MAX_HEADS). */
    int (*heads)(const pipeline *p, const pipeline_head **heads);
    /* Name of symbol ID of head HEAD, or NULL outside its range. */
    const char *(*symbol)(const pipeline *p, int head, int id);
    /* Training targets of utterance U for head HEAD into out[cap] (CTC: symbol
     * ids 1..num_symbols-1). Returns the count, PIPELINE_NO_LABEL when U has
     * no label for this head (the head is masked for it; not an error), or -1
     * with an error naming the utterance. */
    int (*targets)(const pipeline *p, int head, const corpus_utt *u, int *out, int cap);
    /* Search T frames: LOGP[h] holds head h's [T][num_symbols] log-posteriors
     * for each head marked decode (NULL for the others). */
    int (*decode)(const pipeline *p, const float *const *logp, int T, pipeline_result *res);
    void (*free)(pipeline *p);
} pipeline_ops;

/* The pipeline called NAME ("direct", "staged", "multitask"), or NULL with
 * an error naming the closest ("unknown pipeline 'stagged' (did you mean
 * 'staged'?)"). */
const pipeline_ops *pipeline_find(const char *name);
/* NULL-terminated list of all pipelines. */
extern const pipeline_ops *const pipeline_all[];

void pipeline_result_free(pipeline_result *r);

#endif
