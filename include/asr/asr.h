/* asr/asr.h — embedding asr's recognizer in a program (libasr).
 *
 *   #include <asr/asr.h>          cc prog.c $(pkg-config --cflags --libs asr)
 *
 *   char err[256], *words;
 *   asr_recognizer *r = asr_recognizer_open("exp/final.mdl", NULL, err, sizeof err);
 *   if (!r) { fprintf(stderr, "%s\n", err); return 1; }
 *   if (asr_recognize_file(r, "call.wav", &words) == 0) { puts(words); asr_free(words); }
 *   else fprintf(stderr, "%s\n", asr_recognizer_error(r));
 *   asr_recognizer_close(r);
 *
 * A model is a file `asr train` wrote (EXP/final.mdl), of either pipeline;
 * it holds everything needed to recognise: features, network, lexicon and
 * language model, search settings. Audio is mono float samples in [-1, 1] at
 * any rate from 1000 to 384000 Hz (resampled to the model's rate); every
 * sample finite and within +-65536, and one recording at most 3600 s and
 * 2^28 samples long, as a file may be (SECURITY.md).
 *
 * Live audio: asr_live_open, then asr_live_feed with chunks of any size as
 * they arrive; an endpointer cuts utterances, and each one's final result is
 * taken with asr_live_final once it has ended (partial results of the
 * utterance going on with asr_live_partial). The final words of an utterance
 * are those asr_recognize gives for the same samples.
 *
 * Errors: every call that can fail returns -1 (or NULL) and leaves a message
 * naming the cause in its handle (asr_recognizer_error, asr_live_error); the
 * library keeps no global state of its own, so two recognizers may be used
 * from two threads at once (one handle is used by one thread at a time). The
 * network's matrix products run on OpenMP threads (OMP_NUM_THREADS).
 * A NULL handle is such a failure too, never a crash: the call returns -1
 * (or NULL) and leaves no message anywhere, as there is no handle to hold
 * one; asr_recognizer_error(NULL) and asr_live_error(NULL) say that the
 * handle is NULL. A NULL result pointer (WORDS, OUT) fails the same way,
 * its message in the handle.
 *
 * Strings the library returns through char ** are the caller's, freed with
 * asr_free; const char * results belong to their handle.
 */
#ifndef ASR_ASR_H
#define ASR_ASR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version, "MAJOR.MINOR.PATCH". */
const char *asr_version(void);

typedef struct asr_recognizer asr_recognizer;

/* Load the model file PATH: one model, or a system of several stored in one
 * file (`asr models --combine`; the shipped default `digits` is one), which
 * recognises each recording with each of its models and keeps the surest
 * result. SETTINGS (every model of a system takes them): NULL, or a NULL-terminated list of
 * "key=value" search settings that override those the model file stores, as
 * `asr decode --set` does: beam (direct models decode greedily unless given
 * one; `asr decode --beam 16` is what the project measures with),
 * lm_weight, word_penalty, the calibration and rejection keys
 * (confidence_scale, confidence_gap_scale, confidence_bias, reject_gap,
 * reject_confidence: `asr calibrate --help`), lm (an ARPA file) and lexicon
 * (a CMUdict file; staged and multitask models only: a direct model spells
 * its words). Any
 * other key, a value out of range, an empty or "-" path is an error. NULL on
 * failure, the reason written to ERR (ERR_SIZE bytes; ERR may be NULL). */
asr_recognizer *asr_recognizer_open(const char *path, const char *const *settings, char *err,
                                    size_t err_size);

void asr_recognizer_close(asr_recognizer *r);

/* The message of R's last failed call ("" when none failed). */
const char *asr_recognizer_error(const asr_recognizer *r);

/* The sample rate the model was trained at (a system's: its first
 * model's), Hz; -1 when R is NULL. */
int asr_recognizer_rate(const asr_recognizer *r);

/* Recognise one recording: N samples X at RATE Hz, with its long quiet cut
 * out first as `asr decode` cuts it (the silence before and after its
 * words, long pauses between them; 100 ms of quiet added before a word that
 * starts at the first sample; word times stay the recording's). 0 and the words
 * (separated by single spaces; "" when none) in *WORDS, or -1 (and *WORDS
 * NULL): a rate out of range, more than 3600 s or 2^28 samples, X NULL
 * with N > 0, a sample not finite or beyond +-65536, or fewer samples than
 * one feature frame. */
int asr_recognize(asr_recognizer *r, const float *x, size_t n, int rate, char **words);

/* The same for an audio file of any format libsndfile reads (mono or mixed
 * down; at most an hour). */
int asr_recognize_file(asr_recognizer *r, const char *path, char **words);

void asr_free(void *p);

/* ---- word times and confidences (libasr.so.0 interface 1) ---- */

/* A result with its words: when each was said and how sure the recognizer
 * is of it. A word's start is the first frame of its first symbol (phone or
 * character) on the search's best CTC path; its end, the end of the last
 * frame on which its last symbol stays above blank after that. A word's
 * confidence is the mean posterior of its symbols, each at its spike:
 *   c(word) = mean over its symbols s of max over s's frames t of p_t(s),
 * and the result's is the product of its words' (1 for no word). Both are in
 * [0, 1]. A model calibrated by `asr calibrate` maps each word's through
 * the sigmoid it fitted on held-out data (a word of confidence 0.9 is then
 * right about 90% of the time); an uncalibrated one's are raw: compare
 * them with a threshold chosen on held-out data. A stored system (several
 * models combined, as the default "digits" is) may map the words it keeps
 * the same way, fitted by `asr calibrate` on the system, with the fraction
 * of its members that give each word as a further input. */
typedef struct asr_result asr_result;

/* asr_recognize and asr_recognize_file with the words' times (seconds from
 * the start of the recording) in *OUT (freed with asr_result_free), or -1
 * (and *OUT NULL) as they fail. */
int asr_recognize_result(asr_recognizer *r, const float *x, size_t n, int rate, asr_result **out);
int asr_recognize_file_result(asr_recognizer *r, const char *path, asr_result **out);

/* The words separated by single spaces ("" when none; NULL when RES is). */
const char *asr_result_text(const asr_result *res);
/* The result's confidence; -1 when RES is NULL. */
double asr_result_confidence(const asr_result *res);
/* 1 when the recognizer rejected the recording as speech outside its
 * vocabulary (or not speech): then it has no words and its text is "".
 * Models calibrated by `asr calibrate` reject; others never do. 0 when not,
 * -1 when RES is NULL. (Interface 2.) */
int asr_result_rejected(const asr_result *res);
/* How many words it has; -1 when RES is NULL. */
int asr_result_count(const asr_result *res);
/* Word I (0 .. count - 1): its text (belonging to RES) in *WORD, times in
 * seconds in *START and *END, confidence in *CONF (any of them may be
 * NULL). 0, or -1 when RES is NULL or I out of range. */
int asr_result_word(const asr_result *res, int i, const char **word, double *start, double *end,
                    double *conf);
void asr_result_free(asr_result *res);

/* ---- live audio ---- */

typedef struct asr_live asr_live;

typedef struct {
    double start, end; /* seconds from the start of the stream */
    const char *words; /* valid until the next call on the stream */
} asr_live_result;

/* A stream at RATE Hz recognised by R (which must outlive it), with the
 * default endpointer (`asr stream --help`: 300 ms hangover). PARTIAL_MS > 0:
 * a partial result every PARTIAL_MS of speech. NULL on failure (the message
 * in asr_recognizer_error(R)). */
asr_live *asr_live_open(asr_recognizer *r, int rate, int partial_ms);

/* Feed N samples (N = 0: nothing to do). 0, or -1 (asr_live_error): X NULL
 * with N > 0, a sample not finite or beyond +-65536, or a stream already
 * finished. */
int asr_live_feed(asr_live *s, const float *x, size_t n);

/* The end of the stream: an utterance going on is ended. 0 or -1. After it
 * the stream takes no more samples (a new stream is opened for more); a
 * second call does nothing. */
int asr_live_finish(asr_live *s);

/* The oldest final result not yet taken: 1 and *OUT, 0 when there is none,
 * -1 when S or OUT is NULL (loop while it returns 1, not while non-zero). */
int asr_live_final(asr_live *s, asr_live_result *out);

/* The newest partial result of the utterance going on: 1 and *OUT, or 0
 * when there is none (no utterance, or none since the last final); -1 when
 * S or OUT is NULL. A model that rejects speech outside the vocabulary
 * (asr_result_rejected) gives partials without words: the final result,
 * judged on the whole utterance, may reject words that passed so far. */
int asr_live_partial(asr_live *s, asr_live_result *out);

/* The words of the result asr_live_final (FINAL = 1) or asr_live_partial
 * (FINAL = 0) returned last, times in seconds from the start of the stream;
 * valid as that result's words are. NULL when there is none or S is NULL. */
const asr_result *asr_live_words(const asr_live *s, int final);

const char *asr_live_error(const asr_live *s);

void asr_live_close(asr_live *s);

#ifdef __cplusplus
}
#endif

#endif
