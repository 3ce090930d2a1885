/* ctc_times.h — when each word of a CTC search's result was said, and how
 * sure the network was of it.
 *
 * The searches (ctc_beam.h, word_search.h) carry one back-pointer per
 * hypothesis: the record of the last token on its best contributing path
 * (of the alignments summed into a hypothesis, the one whose term was
 * largest when it was merged). A record is (parent record, symbol, frame)
 * where FRAME is the first frame of the token on that path: the frame at
 * which the hypothesis grew by it. Only the hypotheses that survive a
 * frame's pruning get a record, so a search of T frames keeps at most
 * T x beam of them, and reading the best hypothesis's path back gives every
 * token of the result with its first frame.
 *
 * From the tokens s_1..s_n with first frames f_1..f_n and the frame
 * log-posteriors logp[t][v] (v = 0 blank):
 *
 *   token span   [f_k, l_k]: l_k is the last frame t >= f_k, t < f_{k+1}
 *                (t < T for the last token) such that every frame of
 *                f_k+1..t has p_t(s_k) > p_t(blank). CTC spikes are peaky:
 *                a token's first frame on the path is its onset, and it
 *                lasts while it stays above blank.
 *   token post   q_k = max over its span of p_t(s_k) (its spike's height).
 *   word w       tokens a..b: start = f_a, end = l_b + 1 (frames, end
 *                exclusive), confidence c_w = (q_a + ... + q_b) / (b - a + 1),
 *                the mean of its tokens' spike heights. (On FSDD's connected
 *                strings by speakers the models never heard, staged and
 *                direct, two folds, it told right from wrong words with AUC
 *                0.78-0.83, as the geometric mean did; the least token's
 *                0.72-0.81, the product's 0.71-0.79. Uncalibrated.)
 *
 * The free-path gap (speech outside the vocabulary): the search's tokens are
 * forced through the best CTC alignment (Viterbi, log-probability V) and
 * compared with the free path, the best symbol of every frame with no
 * lexicon, LM or spelling to keep (greedy CTC, log-probability F >= V):
 *   gap = (F - V) / frames >= 0, nats per frame,
 * the log-likelihood ratio of an unconstrained phone (or character) loop
 * against the in-vocabulary result. An utterance's frames are counted as
 * those the free path hears something in (not blank) plus one: silence and
 * pauses, where both paths are blank, would otherwise dilute it (on fold 1's
 * held-out speakers against the out-of-vocabulary sets of eval/reject.sh,
 * staged, the AUC of in- vs out-of-vocabulary was 0.85 per frame of the
 * utterance, 0.90 per heard frame + 1, 0.90 the total; direct 0.74, 0.80,
 * 0.79). Speech the vocabulary can say costs the
 * constrained path little (the network's spikes are the words'); other
 * speech makes the search force words on phones the network does not hear
 * (or blanks on phones it does). Per utterance over all its frames
 * (ctc_free_gap), per word over its span (ctc_word.gap).
 *
 * The pipeline gives the utterance the product of its words' confidences
 * (pipeline_result_name_words: the probability that every word is right,
 * were they independent; 1 for no word), and the recognizer turns frames
 * into seconds (asr_model_search).
 */
#ifndef ASR_CTC_TIMES_H
#define ASR_CTC_TIMES_H

/* One word of a result: its times (frames of the network's output here;
 * seconds once the recognizer scales them), its confidence in [0, 1], its
 * text (NULL until the pipeline names it) and its free-path gap over its
 * span (the header's definition). */
typedef struct {
    double start, end;
    float conf;
    char *word;
    float gap;
    /* The fraction of a system's members that give this word at this
     * place, when a combination chose it (recognizer/combine.h); 0 for one
     * model's result. */
    float agree;
} ctc_word;

/* A gap is at most this (nats per frame): tokens that cannot fit their
 * frames at all. */
#define CTC_GAP_MAX 100.0f

/* Back-pointer records of one search. */
typedef struct {
    int *parent, *sym, *frame;
    int n, cap;
} ctc_path;

void ctc_path_init(ctc_path *p);
void ctc_path_free(ctc_path *p);

/* A record of SYM first emitted at FRAME after the path ending in record
 * PARENT (-1: the start); returns its index. */
int ctc_path_add(ctc_path *p, int parent, int sym, int frame);

/* How many tokens the path ending in record LAST has (-1: none). */
int ctc_path_len(const ctc_path *p, int last);

/* Its tokens in order: SYM[0..len) and FRAME[0..len) (either may be NULL). */
void ctc_path_read(const ctc_path *p, int last, int *sym, int *frame);

/* Group tokens SYM[0..N) into words, the runs of tokens other than SEP:
 * word i is tokens FIRST[i] .. END[i] - 1 (FIRST, END: capacity N). Returns
 * the number of words. */
int ctc_split_words(const int *sym, int n, int sep, int *first, int *end);

/* The times and confidences (the header's definitions) of NW words, word i
 * being tokens FIRST[i] .. END[i] - 1 (non-empty) of SYM/FRAME, from the
 * T x V log-posteriors LOGP. OUT[0..NW) gets them (word names NULL). */
void ctc_word_times(const float *logp, int T, int V, const int *sym, const int *frame, int n,
                    const int *first, const int *end, int nw, ctc_word *out);

/* The free-path gap of tokens SYM[0..N) over all T frames (the header's
 * definition). */
float ctc_free_gap(const float *logp, int T, int V, const int *sym, int n);

#endif
