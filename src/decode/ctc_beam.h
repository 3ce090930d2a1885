/* ctc_beam.h — CTC prefix beam search (Hannun et al., 2014), with an optional
 * language-model scorer.
 *
 * Input: per-frame natural-log posteriors logp[T][V] (a log-softmax output of
 * the network), symbol 0 = blank. A labeling l has probability
 *   P(l | x) = sum over alignments a with B(a) = l of prod_t p_t(a_t)
 * where B collapses repeats and then drops blanks. The search keeps, for each
 * surviving prefix, log P(prefix ends in blank) and log P(prefix ends in its
 * last symbol), so alignments are summed, not maximised. With an infinite beam
 * it is exact: the best labeling and its probability equal brute-force
 * enumeration (tests/test_ctc_beam.c checks this).
 *
 * A scorer adds a log-domain score each time a prefix grows by one symbol
 * (e.g. lm_weight * log P_LM(symbol | history) + insertion bonus) and once at
 * the end; it carries an integer state per prefix (e.g. an n-gram history).
 * Prefixes are ranked by acoustic + scorer score.
 */
#ifndef ASR_CTC_BEAM_H
#define ASR_CTC_BEAM_H

typedef struct {
    /* Score of appending SYM to a prefix whose scorer state is STATE; writes the
     * state after the symbol to *next. */
    float (*extend)(void *ctx, int state, int sym, int *next);
    /* Score of ending the utterance in STATE (may be NULL). */
    float (*finish)(void *ctx, int state);
    int initial_state;
    void *ctx;
} ctc_scorer;

typedef struct {
    int beam;             /* prefixes kept per frame */
    float prune;          /* symbols with logp below max_t - prune are not tried (0 = off) */
    const ctc_scorer *lm; /* NULL: acoustic score only */
    int *frames;          /* NULL, or out[k]'s first frame on the best path (capacity T) */
} ctc_beam_options;

/* Decode T frames of V log-posteriors. Writes the best labeling (without
 * blanks) to out[] (capacity T) and returns its length; *score receives its
 * total log score (acoustic + scorer) when SCORE is not NULL. With
 * opt->frames, each symbol's first frame on the best alignment too
 * (decode/ctc_times.h: the back-pointers). */
int ctc_beam_search(const float *logp, int T, int V, const ctc_beam_options *opt, int *out,
                    float *score);

/* Greedy (best path) decoding: argmax per frame, collapse repeats, drop blanks.
 * Returns the length written to out[] (capacity T). */
int ctc_greedy(const float *logp, int T, int V, int *out);

/* The same, and FRAMES[k] (capacity T) the frame where out[k] begins. */
int ctc_greedy_frames(const float *logp, int T, int V, int *out, int *frames);

#endif
