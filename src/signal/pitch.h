/* pitch.h — the pitch of a voice, to tell whether audio is at the rate it
 * is read at.
 *
 * Headerless PCM carries no rate: audio recorded at 16 kHz and read as
 * 8 kHz plays an octave low and twice as slow, and a recognizer hears wrong
 * words without any error (issue 26: `asr stream` without --rate). Spectral
 * shape cannot tell (a speech spectrum falls off roughly as a power of the
 * frequency, so an octave down it looks much the same, and every band's
 * share of the energy is that of the band an octave up, which a recording at
 * twice the rate has), but pitch is in hertz: the median fundamental of
 * adult voices lies between about 80 Hz (low men) and 300 Hz (children, to
 * 400), never below 75 Hz. Measured with this estimator, the median over
 * every voiced frame of a speaker's recordings: the Speech Commands digit
 * speakers at their 16 kHz, 82 to 481 Hz (the 50 with at least 0.5 s of
 * voiced speech; one of the others, with 0.3 s, 65 Hz); the 4 FSDD speakers
 * at 8 kHz, 98 to 158 Hz; the same Speech Commands recordings read as 8 kHz,
 * below 75 Hz for 55 of the 91 speakers with 0.5 s of voiced speech: the
 * men (a woman an octave down has a man's pitch, and this cannot tell her
 * from one). So a median below PITCH_MIN_VOICE_HZ over at least half a
 * second of voiced speech says the rate is wrong for about half of the
 * voices, and for none of the human voices measured at their own rate.
 * (Audio at half the rate it is read at, an octave high, is not checked:
 * children speak up to 400 Hz.)
 *
 * The estimate: 40 ms frames every 10 ms, those within 20 dB of the
 * stretch's loudest; the normalised autocorrelation of the frame's first
 * 15 ms with itself shifted by each lag of 1/600 s to 1/40 s (25 ms); a
 * frame is voiced when its best correlation is at least 0.6, and its period
 * is the shortest lag whose correlation is a local peak within 10% of the
 * best (the usual guard against a multiple of the period, which would halve
 * the pitch: the very error looked for here), placed between samples by the
 * parabola through its neighbours.
 */
#ifndef ASR_SIGNAL_PITCH_H
#define ASR_SIGNAL_PITCH_H

#include <stddef.h>

/* Below this median pitch (Hz) no adult voice speaks. */
#define PITCH_MIN_VOICE_HZ 75.0

/* Pitches of voiced frames, in whole hertz (40..600). */
typedef struct {
    int count[601];
    int frames;
} pitch_tally;

void pitch_tally_init(pitch_tally *t);

/* Add the voiced frames of X (N samples at RATE Hz, one stretch of speech
 * such as an utterance) to T. Only the first MAX_FRAMES frames of X are
 * looked at, so that a caller can bound the cost (about 60 multiply-adds
 * per sample per 10 ms frame: 0.2% of a core at 8 kHz). */
void pitch_tally_add(pitch_tally *t, const float *x, size_t n, int rate, int max_frames);

/* The median pitch (Hz) of T's voiced frames, 0 when it has none. */
double pitch_tally_median(const pitch_tally *t);

#endif
