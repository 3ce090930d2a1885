/* testutil.h — helpers shared by the unit tests. */
#ifndef ASR_TESTUTIL_H
#define ASR_TESTUTIL_H

#include "base/io_set.h"
#include "base/model_file.h"

#include <stddef.h>

/* A fresh temporary directory (removed at exit with its contents). */
const char *test_tmpdir(void);
/* The inputs and outputs of a library call under test (base/io_set.h): the
 * temporary directory is its one output directory. Each call starts it
 * afresh (the inputs of the call before are forgotten); freed at exit. */
io_set *test_io(void);
/* "DIR/NAME" in the temporary directory; a new string (the caller frees it). */
char *test_path(const char *name);
/* Write TEXT to a file in the temporary directory; returns its path (caller frees). */
char *test_write_text(const char *name, const char *text);
/* Write N float samples at RATE as 16-bit mono WAV with libsndfile; returns its
 * path (caller frees). */
char *test_write_wav(const char *name, const float *x, size_t n, int rate);
/* The first 255 bytes of PATH as a string (a static buffer), or NULL. */
char *test_slurp(const char *path);
/* A sine of FREQ Hz, AMP amplitude, N samples at RATE (caller frees). */
float *test_sine(double freq, double amp, size_t n, int rate);

/* The sections of a direct-pipeline model over default MFCCs (13 values a
 * frame) into M (model_file_free it): network NET, the NW weights W. */
void test_direct_model(model_file *m, const char *net, const float *w, size_t nw);

/* The entries of directory DIR (not . and ..). */
int test_dir_entries(const char *dir);

/* Phone log-posteriors [*T][1 + LEXICON_NUM_PHONES] from a spec like
 * "W W - AH N - T UW": each token one frame, "-" a blank frame, "N|M" two
 * phones at 0.49 each; the chosen symbol gets 0.98, the rest is spread.
 * At most 64 frames (caller frees). */
float *test_phone_frames(const char *spec, int *T);

/* A toy corpus in the temporary directory, data directory NAME: utterances
 * of one to three "words" a, b, c (0.25 s tones of 300, 700 and 1300 Hz, then
 * 0.05 s of silence) at 8 kHz, one speaker each of two; N utterances (at most
 * 12). Returns the directory's path (caller frees). */
char *test_toy_corpus(const char *name, int n);

#endif
