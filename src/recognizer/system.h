/* system.h — what recognises: one model, or several combined, one or the
 * other loaded from one file by the same call, so `asr decode`, `asr stream`
 * and the library (asr/asr.h) recognise with either.
 *
 * A system is
 *   - its first model, M[0] (with ensemble partners M[1..K), whose
 *     log-probabilities are averaged with its own: recognizer/model.h);
 *   - a padded view (PAD_VIEW > 0): M[0] alone also decodes each utterance
 *     with PAD_VIEW seconds of quiet before and after it (signal/audio.h
 *     audio_pad_quiet), word times moved back to the recording's;
 *   - combined models M[K..N), of any pipeline, each with its own features
 *     and search;
 * and each utterance keeps the most confident of these results
 * (recognizer/combine.h). One model alone is the system K = N = 1,
 * PAD_VIEW = 0.
 *
 * A stored system, as `asr models --model M --combine M2 ... --out S` writes it, is a
 * model file (base/model_file.h) of these sections:
 *   "system"          text, one "key = value" per line:
 *                       models = N        (2 to SYSTEM_MAX_MODELS; or 1 with a padded view)
 *                       pad_view = S      (seconds, 0 to SYSTEM_MAX_PAD)
 *                       confidence_scale = A, confidence_gap_scale = G,
 *                       confidence_bias = B, confidence_agree_scale = D
 *                                         (optional: the system's word
 *                                          calibration, below)
 *                       model.I = NAME    (what member I was made from, for people)
 *   "model.I/SECTION" every section of member I's own model file, 0 <= I < N
 * so one file carries everything, under one checksum. A member is one model:
 * a stored system inside one is refused. A command that needs one network
 * (train --init, adapt, models --set) refuses a stored
 * system with a message saying so (asr_model_from_file). */
#ifndef ASR_RECOGNIZER_SYSTEM_H
#define ASR_RECOGNIZER_SYSTEM_H

#include "base/io_set.h"
#include "recognizer/model.h"

#define SYSTEM_MAX_MODELS 8
#define SYSTEM_MAX_PAD    2.0

typedef struct {
    asr_model *m; /* M[0..K): the first system; M[K..N): the combined models */
    int k, n;
    double pad_view; /* seconds; 0: no padded view */
    /* The system's own calibration of the words it gives, after the
     * combination: p = sigmoid(A logit(c) + G gap + B + D agree)
     * (recognizer/reject.h; only the four confidence keys are used; A unset
     * or 0: none), agree the fraction of the members that give the word at
     * its place (recognizer/combine.h). Keeping
     * the surest member's words makes them surer than they are right (on
     * the speaker-disjoint folds the combination's words were 0.97 sure on
     * average and 0.89 right), which no member's own calibration can undo:
     * `asr calibrate` on a stored system fits this. */
    pipeline_options calib;
    /* Recognise a recording with its long quiet cut out (the silence
     * before and after its words, long pauses between them: signal/audio.h
     * audio_cut_quiet), word times moved back to the recording's. On
     * unless the spec says NO_TRIM. */
    int trim;
} asr_system;

/* What makes a system, as `asr decode` takes it: MODEL (a file or a name:
 * recognizer/model_path.h; a stored system too), ENSEMBLE[0..N_ENSEMBLE)
 * averaged with it, COMBINE[0..N_COMBINE) combined after it, and PAD_VIEW
 * seconds (0: none; a stored system's own when MODEL is one). */
typedef struct {
    const char *model;
    const char *const *ensemble;
    int n_ensemble;
    const char *const *combine;
    int n_combine;
    double pad_view;
    int no_trim; /* recognise each recording whole, quiet and all */
    /* The system's calibration (asr_system.calib) to store or use instead
     * of a stored system's own; CONF_SCALE 0 or NAN: none given. */
    float conf_scale, conf_gap_scale, conf_bias, conf_agree_scale;
} asr_system_spec;

/* Load SPEC's models into S, OPT's search settings over each model's own
 * (asr_model_load); every model is read before any audio. -1 with a message
 * naming the file at fault: one that does not load, ensemble partners that
 * do not fit MODEL (asr_model_ensemble_check), an ensemble with a stored
 * system, a PAD_VIEW out of range. Nothing to free on failure. */
int asr_system_open(const asr_system_spec *spec, const pipeline_options *opt, asr_system *s);

/* The system of F, a model file already read (NAME stands for it in
 * messages): a stored system's models, or F's one model. -1 with a message
 * when it does not load; nothing to free then. */
int asr_system_from_file(const model_file *f, const char *name, const pipeline_options *opt,
                         asr_system *s);

/* asr_system_open of MODEL alone. */
int asr_system_load(const char *model, const pipeline_options *opt, asr_system *s);

void asr_system_free(asr_system *s);

/* Non-zero when S combines results (a padded view or combined models): it
 * gives words, not one network's units or phones, and has no single model
 * to adapt. */
int asr_system_combines(const asr_system *s);

/* Non-zero when any model of S rejects speech outside its vocabulary
 * (recognizer/reject.h): its result may be empty where another's was not. */
int asr_system_rejects(const asr_system *s);

/* A feature extractor for each model of S (FX[i] of M[i]; NULL for the
 * ensemble partners, which read M[0]'s features). */
features_extractor **asr_system_extractors(const asr_system *s);
void asr_system_extractors_free(const asr_system *s, features_extractor **fx);

/* Recognise one recording with S: X, N samples at RATE Hz, resampled to
 * each model's rate as audio_read resamples a file (so a recording cut from
 * a stream decodes as `asr decode` decodes the same samples read from a
 * file), features by FX (asr_system_extractors; dither seeded by INDEX),
 * each model's search, then the combination; with S->trim, X's long quiet
 * is cut out first (audio_cut_quiet; word times stay X's). FEATS_OUT,
 * unless NULL, receives M[0]'s features (untransformed, of X as cut;
 * [*T_OUT][dim], the caller frees). -1 when N is shorter than one feature frame of a model or
 * cannot be resampled. */
int asr_system_recognize(const asr_system *s, features_extractor *const *fx, const float *x,
                         size_t n, int rate, uint64_t index, pipeline_result *res,
                         float **feats_out, int *T_out);

/* ASSIGN ("KEY=VALUE") into SP: one of the system's own settings, its
 * calibration keys (confidence_scale, confidence_gap_scale, confidence_agree_scale,
 * confidence_bias; asr models --combine --set). -1 naming it otherwise or
 * when out of range. */
int asr_system_spec_set(asr_system_spec *sp, const char *assign);

/* The stored system F (NAME in messages) with its calibration replaced by
 * CALIB's four confidence keys (CALIB's scale unset or 0: none), read back
 * as every command reads it; -1 with a message when it would not load. */
int asr_system_file_calibrate(model_file *f, const char *name, const pipeline_options *calib);

/* S's own calibration applied to the words of RES[0..N) and their
 * utterances' confidences (the product of the words'); nothing when S has
 * none. Every path that recognises with S calls it once the combination
 * has chosen. */
void asr_system_calibrate(const asr_system *s, pipeline_result *res, int n);

/* Write OUT, an output of IO: the stored system of SPEC (no ensemble: a
 * stored system's first model is one model; its calibration when given),
 * read back before it is written, so a file that would not load is never
 * written. Each member is
 * stored whole, as its own file is (search settings included). -1 naming
 * the model or setting at fault. The members join IO's inputs. */
int asr_system_store(const asr_system_spec *spec, io_set *io, const char *out);

/* How many models the stored system F holds (0: F is one model); -1 with a
 * message naming NAME when its "system" section is malformed. */
int asr_system_count(const model_file *f, const char *name);

#endif
