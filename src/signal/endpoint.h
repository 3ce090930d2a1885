/* endpoint.h — cutting a live stream of audio into utterances (an endpointer).
 *
 * An energy detector with an adaptive noise floor and hangover, as telephone
 * IVRs and PocketSphinx's continuous mode use: the stream is cut into 10 ms
 * frames; a frame is speech when its energy is THRESHOLD_DB above the noise
 * floor and above MIN_LEVEL_DB (dB relative to full scale). An utterance
 * starts after MIN_SPEECH_MS of speech frames in a row and ends after
 * HANGOVER_MS of non-speech frames (or at MAX_UTTERANCE_MS, cut there);
 * PAD_MS of audio is kept on either side, for the onsets and releases that
 * are quieter than the threshold. The noise floor follows the quietest
 * frames quickly and louder ones slowly (see endpoint.c). The start of the
 * stream, which has no background before it, is judged in hindsight: an
 * utterance from the first sample on is found once the stream gets quieter
 * (endpoint.c).
 *
 * Positions are sample indices from the start of the stream, so an utterance
 * can be cut from the same audio again and decoded whole.
 */
#ifndef ASR_SIGNAL_ENDPOINT_H
#define ASR_SIGNAL_ENDPOINT_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    double threshold_db;  /* above the noise floor (default 12) */
    double min_level_db;  /* and above this absolute level, dBFS (default -50) */
    int min_speech_ms;    /* speech this long starts an utterance (default 60) */
    int hangover_ms;      /* non-speech this long ends it (default 300) */
    int pad_ms;           /* audio kept before the start and after the end (default 200) */
    int max_utterance_ms; /* an utterance is cut at this length (default 20000) */
} endpoint_config;

void endpoint_config_default(endpoint_config *c);

/* -1 naming the setting when C is out of range (the ranges are in endpoint.c). */
int endpoint_config_check(const endpoint_config *c);

/* An utterance: samples [start, end) of the stream; SPEECH_END is where its
 * last speech frame ends (END adds the trailing pad). */
typedef struct {
    int64_t start, end, speech_end;
} endpoint_segment;

typedef struct endpointer endpointer;

/* An endpointer for a stream at RATE Hz (C checked by the caller). */
endpointer *endpoint_create(const endpoint_config *c, int rate);
void endpoint_destroy(endpointer *e);

/* Feed N samples. Returns 1 and fills *SEG when an utterance ended within
 * them, *USED receiving how many of the N samples were consumed (feed the
 * rest again, even when none are left: *USED is 0 when the utterance was
 * found in hindsight in samples fed before, and more may follow); 0 when
 * none did (*USED = N). */
int endpoint_feed(endpointer *e, const float *x, size_t n, size_t *used, endpoint_segment *seg);

/* The end of the stream: 1 and *SEG for each utterance still to give
 * (the one going on, or those of a start still undecided): call it until it
 * returns 0. No samples are fed after it. */
int endpoint_finish(endpointer *e, endpoint_segment *seg);

/* Whether an utterance is going on, and where it started (its pad included). */
int endpoint_in_speech(const endpointer *e, int64_t *start);

/* Samples before this position are no longer needed by the endpointer (no
 * utterance can start before it): the caller may drop them. */
int64_t endpoint_keep_from(const endpointer *e);

/* Offline, a whole recording: the quiet to cut from X (N samples at RATE)
 * before it is recognised, into K: sample ranges [START[i], END[i]), in
 * order, disjoint. The recording's own background is known, so it is judged
 * at once rather than as a stream (where the start of a word cut tight,
 * with no background before it, had to be judged in hindsight, and its
 * quiet release was lost): 10 ms frames, their energy with the recording's
 * DC offset removed; the floor is the 10th percentile of those energies;
 * speech is a run of MIN_SPEECH_MS of frames THRESHOLD_DB above the floor
 * and above MIN_LEVEL_DB. Cut are
 *   - the quiet before the first speech and after the last, but PAD_MS of
 *     it, when more than ENDPOINT_SPAN_LEAST_CUT_MS of it is there (a clip
 *     cut tight, or with the silence around it that training words have,
 *     stays whole);
 *   - a pause between words longer than that, but ENDPOINT_PAUSE_KEEP_MS
 *     of it after the word before and before the word after;
 * at most ENDPOINT_MAX_CUTS (longer pauses beyond those stay). And when
 * the first speech starts less than ENDPOINT_LEAD_MS after the recording
 * does (a clip cut tight to its word), K->LEAD is the quiet to add before it
 * to make ENDPOINT_LEAD_MS (samples; audio_cut adds it). C: NULL for
 * the defaults (endpoint_config_default: the 200 ms of padding the stream
 * keeps; chosen over 100 ms on the speaker-disjoint folds, README). 1 when
 * it finds speech (K may still hold no cut); 0 when not (no cut).
 *
 * Why (README, "Silence around the words"): the models never heard a
 * second of silence in training; with it, the per-utterance CMVN shifts and
 * a recurrent network hears words in the silence, or none at all (the
 * shipped default gave 3 of Asterisk's 10 digit prompts with 1.5 s of
 * silence around them right), and a digit string spoken with long pauses
 * went wrong more often the longer they were. And the other way round: a
 * word from the very first sample (Free Spoken Digit's clips are cut so) was
 * misheard far more often than the same word after 200 ms of quiet room,
 * which most training recordings have: on the speaker-disjoint folds the
 * combined staged and direct models' isolated-digit WER went 13.65 -> 10.25%
 * with 100 ms of lead added (50 ms: 12.4%, 200 ms: 10.9% and worse on
 * Speech Commands; README). Only the start: quiet added after a word cut
 * tight at its end did not help, and hurt the Speech Commands clips whose
 * word the clip's end cuts off. */
#define ENDPOINT_LEAD_MS           100
#define ENDPOINT_SPAN_LEAST_CUT_MS 300
/* A pause then lasts 300 ms, the longest the training strings have
 * (data/recipes/connect.sh: 50-300 ms). */
#define ENDPOINT_PAUSE_KEEP_MS 150
#define ENDPOINT_MAX_CUTS      32
typedef struct {
    int n;
    int64_t start[ENDPOINT_MAX_CUTS], end[ENDPOINT_MAX_CUTS];
    int64_t lead; /* samples of quiet to add before the recording */
} endpoint_cuts;
int endpoint_quiet_cuts(const endpoint_config *c, int rate, const float *x, size_t n,
                        endpoint_cuts *k);

#endif
